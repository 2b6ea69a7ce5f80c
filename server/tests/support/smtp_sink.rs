//! A small SMTP server for tests: it speaks just enough of RFC 5321 (greeting, EHLO,
//! MAIL, RCPT, DATA, QUIT) for a real client to deliver to it, and keeps each message's
//! envelope and raw text. Written here because the point is to exercise our real SMTP
//! client over a real socket, and the crates that embed an SMTP server bring far more.

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug, Default)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink { url: format!("smtp://{}", listener.local_addr().unwrap()), received: Default::default() };
        let received = sink.received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let received = received.clone();
                tokio::spawn(async move {
                    let (reader, mut writer) = stream.into_split();
                    let mut lines = BufReader::new(reader).lines();
                    let mut current = Received::default();
                    writer.write_all(b"220 sink.test ESMTP\r\n").await.ok();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let command = line.to_ascii_uppercase();
                        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                            b"250-sink.test\r\n250 8BITMIME\r\n"
                        } else if command.starts_with("MAIL FROM:") {
                            current = Received { from: line[10..].trim().to_string(), ..Default::default() };
                            b"250 OK\r\n"
                        } else if command.starts_with("RCPT TO:") {
                            current.to.push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        } else if command == "DATA" {
                            writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await.ok();
                            while let Ok(Some(data_line)) = lines.next_line().await {
                                if data_line == "." {
                                    break;
                                }
                                current.data.push_str(&data_line);
                                current.data.push('\n');
                            }
                            received.lock().unwrap().push(std::mem::take(&mut current));
                            b"250 OK queued as 1\r\n"
                        } else if command == "QUIT" {
                            writer.write_all(b"221 Bye\r\n").await.ok();
                            break;
                        } else {
                            b"250 OK\r\n"
                        };
                        writer.write_all(reply).await.ok();
                    }
                });
            }
        });
        sink
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}
