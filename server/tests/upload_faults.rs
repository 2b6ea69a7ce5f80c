//! The upload folder cannot be written, or the disk fills part way through a file: the
//! citizen is told beside the file field, in plain words, that the file was not saved and
//! to try again later, and nothing is half-written: no row points at a missing file, no
//! part of a file is left in the folder. SQLite and PostgreSQL.
//!
//! Why a form error and not an error page: the citizen is in the middle of an application
//! (or a support request). Sending them back to the form with the reason beside the field,
//! as for a file of the wrong type, keeps their place and their other answers, and tells
//! them what to do; an error page would lose both. The failure is ours, so it is logged as
//! an error for the operators, who are the ones who can free the disk.
//!
//! How the faults are made, honestly, by a process running as root (where `chmod 0500`
//! stops nothing):
//! - unwritable: `UPLOAD_DIR` is a path under a regular file; no one, root included, can
//!   create a folder there (ENOTDIR), in a server in this process;
//! - full: a real server process whose files may not grow past 4 MiB (`RLIMIT_FSIZE`, set
//!   for that child only, with SIGXFSZ ignored as a server would): a bigger file's write
//!   stops part way with an error, exactly where a full disk would stop it with ENOSPC,
//!   and Raia handles every write error alike. Mounting a tiny filesystem would be closer
//!   still, but needs privileges the suite does not have.

mod support;

use raia_app::db::Db;
use raia_app::test_db::TestDb;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::TestServer;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
/// The most a file of the "full disk" server may hold.
const DISK_ROOM_BYTES: u64 = 4 * 1024 * 1024;
const NOT_SAVED: &str = "We could not save the file just now, and nothing was kept. Try again in a few minutes";

/// A Raia server as a browser reaches it.
struct Site {
    base: String,
    client: reqwest::Client,
}

impl Site {
    fn new(base: String) -> Site {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(60)).build().unwrap();
        Site { base, client }
    }

    async fn post_form(&self, path: &str, body: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.client.post(format!("{}{path}", self.base)).header("content-type", "application/x-www-form-urlencoded").header("sec-fetch-site", "same-origin").body(body.to_string());
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    async fn post_multipart(&self, path: &str, form: Form, cookie: &str) -> reqwest::Response {
        self.client.post(format!("{}{path}", self.base)).header("cookie", cookie).header("sec-fetch-site", "same-origin").multipart(form).send().await.unwrap()
    }

    async fn page(&self, path: &str, cookie: &str) -> (StatusCode, String) {
        let path = path.split('#').next().unwrap();
        let response = self.client.get(format!("{}{path}", self.base)).header("cookie", cookie).header("accept", "text/html").send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Logs the demo citizen in with the SMS code from the development outbox.
    async fn log_in_citizen(&self) -> String {
        let pending = support::session_cookie(&self.post_form("/api/login/password", "identifier=12345678&password=Harambee+demo+2026", None).await);
        self.post_form("/api/code/send", "purpose=login&channel=sms", Some(&pending)).await;
        let outbox: Vec<serde_json::Value> = self.client.get(format!("{}/dev/outbox.json?to=%2B254712345678", self.base)).send().await.unwrap().json().await.unwrap();
        let text = outbox[0]["body"].as_str().unwrap();
        let code: String = text.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).unwrap().to_string();
        support::session_cookie(&self.post_form("/api/code/verify", &format!("purpose=login&code={code}"), Some(&pending)).await)
    }

    async fn upload_photo(&self, cookie: &str, bytes: Vec<u8>) -> reqwest::Response {
        let form = Form::new()
            .text("service", "passport")
            .text("reference", "")
            .text("field", "photo")
            .text("return_to", "/services/passport/apply?step=4")
            .part("file", Part::bytes(bytes).file_name("photo.png"));
        self.post_multipart("/documents", form, cookie).await
    }

    async fn open_ticket(&self, cookie: &str, screenshot: Option<Vec<u8>>) -> reqwest::Response {
        let mut form = Form::new().text("topic", "login").text("application", "").text("message", "My code never came.");
        if let Some(bytes) = screenshot {
            form = form.part("screenshot", Part::bytes(bytes).file_name("screen.png").mime_str("image/png").unwrap());
        }
        self.post_multipart("/support/open", form, cookie).await
    }
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await.unwrap()
}

/// Every file under `dir` (none when it does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() { files_under(&path) } else { vec![path] }
        })
        .collect()
}

/// The citizen uploads a passport photo and opens a support request with a screenshot,
/// both of which storage refuses; what they see, and what is left behind.
async fn refused_uploads_leave_nothing(site: &Site, db: &Db, upload_dir: &Path, cookie: &str, file: Vec<u8>) {
    let refused = site.upload_photo(cookie, file.clone()).await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER, "back to the form, not an error page");
    let back = location(&refused);
    assert_eq!(back, "/services/passport/apply?step=4&field=photo&upload_error=not_saved#photo");
    let (status, page) = site.page(&back, cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(NOT_SAVED), "the reason is shown beside the photo field: {page}");

    let refused = site.open_ticket(cookie, Some(file)).await;
    let back = location(&refused);
    assert!(back.starts_with("/support?__path=%2Fsupport%2Fopen&__err="), "the support form again, with its problem: {back}");
    let (status, page) = site.page(&back, cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(NOT_SAVED) && page.contains("id=\"screenshot-error\""), "the reason is shown beside the screenshot field: {page}");

    for table in ["application_documents", "support_tickets", "support_messages", "support_attachments"] {
        assert_eq!(count(db, table).await, 0, "no row in {table}");
    }
    assert_eq!(files_under(upload_dir), Vec::<PathBuf>::new(), "no file, whole or partial, in the upload folder");

    // What needs no file still works: a request without a screenshot opens.
    let opened = site.open_ticket(cookie, None).await;
    assert!(location(&opened).starts_with("/support/TKT-"), "{}", location(&opened));
}

#[tokio::test]
async fn an_upload_folder_that_cannot_be_written_refuses_files_with_a_clear_message_and_keeps_nothing() {
    for test_db in TestDb::all().await {
        let scratch = std::env::temp_dir().join(format!("raia-unwritable-{}-{}", std::process::id(), test_db.url.len()));
        std::fs::create_dir_all(&scratch).unwrap();
        let regular_file = scratch.join("not-a-folder");
        std::fs::write(&regular_file, b"a file where the upload folder's parent should be").unwrap();
        let upload_dir = regular_file.join("uploads");
        let server = TestServer::start_in(test_db, &[("UPLOAD_DIR", Box::leak(upload_dir.display().to_string().into_boxed_str()))]).await;
        let site = Site::new(server.base.clone());
        let citizen = site.log_in_citizen().await;

        refused_uploads_leave_nothing(&site, &server.state.db, &upload_dir, &citizen, PNG.to_vec()).await;

        let _ = std::fs::remove_dir_all(&scratch);
        server.test_db.drop_database().await;
    }
}

/// `raia-server` in a process of its own, whose files may not grow past `DISK_ROOM_BYTES`.
struct CrampedServer {
    child: std::process::Child,
    log: PathBuf,
}

impl CrampedServer {
    async fn start(test_db: &TestDb, upload_dir: &Path, scratch: &Path) -> (CrampedServer, Site) {
        use std::os::unix::process::CommandExt;
        // A free port: taken, then let go for the server.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = scratch.join("server.log");
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_raia-server"));
        command
            .env("APP_ENV", "dev")
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &test_db.url)
            .env("DATABASE_MAX_CONNECTIONS", "3")
            .env("UPLOAD_DIR", upload_dir)
            .env("LEPTOS_OUTPUT_NAME", "raia")
            .env("LEPTOS_SITE_ROOT", scratch.join("site"))
            .env("LEPTOS_HASH_FILES", "false")
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::process::Stdio::inherit());
        // SAFETY: between fork and exec only async-signal-safe calls (setrlimit, signal).
        unsafe {
            command.pre_exec(|| {
                let room = libc::rlimit { rlim_cur: DISK_ROOM_BYTES as libc::rlim_t, rlim_max: DISK_ROOM_BYTES as libc::rlim_t };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &room) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // Without this the kernel would kill the server at the limit; ignored, the
                // write fails with an error the server sees, as on a full disk.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                Ok(())
            });
        }
        let mut server = CrampedServer { child: command.spawn().expect("raia-server starts"), log };
        let site = Site::new(format!("http://127.0.0.1:{port}"));
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("raia-server stopped ({status}): {}", std::fs::read_to_string(&server.log).unwrap_or_default());
            }
            if let Ok(response) = site.client.get(format!("{}/readyz", site.base)).send().await {
                if response.status() == StatusCode::OK {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "raia-server not ready in time: {}", std::fs::read_to_string(&server.log).unwrap_or_default());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        (server, site)
    }
}

impl Drop for CrampedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_disk_that_fills_during_an_upload_refuses_the_file_with_a_clear_message_and_keeps_no_part_of_it() {
    for test_db in TestDb::all().await {
        let scratch = std::env::temp_dir().join(format!("raia-full-disk-{}-{}", std::process::id(), test_db.url.len()));
        std::fs::create_dir_all(&scratch).unwrap();
        let upload_dir = scratch.join("uploads");
        let (server, site) = CrampedServer::start(&test_db, &upload_dir, &scratch).await;
        let citizen = site.log_in_citizen().await;

        // A photo of 4.5 MB: within the 5 MB Raia accepts, beyond the room on the disk.
        let mut big = PNG.to_vec();
        big.resize(DISK_ROOM_BYTES as usize + 512 * 1024, 0);
        refused_uploads_leave_nothing(&site, &test_db.db, &upload_dir, &citizen, big).await;

        // A file that fits is stored as ever, and only it.
        let stored = site.upload_photo(&citizen, PNG.to_vec()).await;
        assert_eq!(location(&stored), "/services/passport/apply?step=4");
        assert_eq!(count(&test_db.db, "application_documents").await, 1);
        let files = files_under(&upload_dir);
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(std::fs::read(&files[0]).unwrap(), PNG);

        drop(server);
        let _ = std::fs::remove_dir_all(&scratch);
        test_db.drop_database().await;
    }
}
