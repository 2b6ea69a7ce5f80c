//! The real `raia-server` binary as a child process, for the faults that need one: a
//! process killed with SIGKILL, two processes on one database. It is configured only
//! through its environment, as in production, and its log goes to a file that a failing
//! test prints.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a process may take to migrate, seed and answer `/healthz` (a debug build, on a
/// machine busy with other tests).
const START_DEADLINE: Duration = Duration::from_secs(90);

pub struct ServerProcess {
    pub base: String,
    pub port: u16,
    pub client: reqwest::Client,
    child: Child,
    log: PathBuf,
}

/// What a process is started with: the database and any settings a test adds.
#[derive(Clone)]
pub struct ProcessConfig {
    pub database_url: String,
    pub port: u16,
    pub vars: Vec<(String, String)>,
}

impl ProcessConfig {
    /// A process on `database_url`, on a free port of its own.
    pub fn new(database_url: &str) -> Self {
        ProcessConfig { database_url: database_url.to_string(), port: free_port(), vars: Vec::new() }
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.vars.push((name.to_string(), value.to_string()));
        self
    }
}

impl ServerProcess {
    /// Starts the process and waits until it answers `/healthz`.
    pub async fn start(config: &ProcessConfig) -> ServerProcess {
        let mut process = Self::spawn(config);
        process.wait_until_healthy().await;
        process
    }

    /// Starts the process without waiting: two processes can then start at the same moment.
    pub fn spawn(config: &ProcessConfig) -> ServerProcess {
        let scratch = std::env::temp_dir().join(format!("raia-process-{}-{}", std::process::id(), config.port));
        std::fs::create_dir_all(&scratch).expect("scratch folder");
        // One log per start: a restarted process keeps the log of the one killed.
        let log = scratch.join(format!("server-{}.log", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()));
        let out = File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_raia-server"));
        // Nothing of the test's own environment (DATABASE_URL, a `.env` in the checkout) leaks in.
        command
            .env_clear()
            .current_dir(&scratch)
            .env("APP_ENV", "dev")
            .env("BIND_ADDR", format!("127.0.0.1:{}", config.port))
            .env("DATABASE_URL", &config.database_url)
            .env("RECONCILE_EVERY_SECONDS", "1")
            .env("DELIVER_EVERY_SECONDS", "1")
            .env("RUST_LOG", "info,sqlx=warn")
            // Pages render without the browser bundle (its files are simply not there).
            .env("LEPTOS_OUTPUT_NAME", "raia")
            .env("LEPTOS_SITE_ROOT", scratch.join("site"))
            .env("LEPTOS_HASH_FILES", "false")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        for (name, value) in &config.vars {
            command.env(name, value);
        }
        let child = command.spawn().expect("raia-server starts");
        let base = format!("http://127.0.0.1:{}", config.port);
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(30)).build().unwrap();
        ServerProcess { base, port: config.port, client, child, log }
    }

    pub async fn wait_until_healthy(&mut self) {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            assert!(self.is_running(), "raia-server stopped while starting:\n{}", self.log());
            if let Ok(response) = self.client.get(format!("{}/healthz", self.base)).timeout(Duration::from_secs(2)).send().await {
                if response.status().is_success() {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "raia-server did not answer /healthz in time:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL: no graceful shutdown, nothing flushed, as when the machine dies.
    pub fn kill_9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the process is still running (it did not stop on an error of its own).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// What the process wrote so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A page as a browser asks for it.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.base)).header("accept", "text/html");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("request sent")
    }

    /// A form post as the browser sends it from one of Raia's own pages.
    pub async fn post_form(&self, path: &str, body: &str, cookie: Option<&str>) -> reqwest::Response {
        super::post_form_at(&self.client, &self.base, path, body, cookie).await
    }

    /// Logs in over HTTP (password, then the SMS code from this process's dev outbox).
    pub async fn log_in(&self, identifier: &str, password: &str, phone: &str) -> String {
        super::log_in_at(&self.client, &self.base, identifier, password, phone).await
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill_9();
        if std::thread::panicking() {
            eprintln!("--- log of raia-server on port {} ---\n{}", self.port, self.log());
        }
    }
}

/// A port nobody listens on now. The process binds it a moment later; on a test machine
/// nothing else takes it in between.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A new, empty PostgreSQL database (no migrations run), dropped with this value's
/// `drop_database`; `None` when `TEST_DATABASE_URL` is unset.
pub struct EmptyPostgres {
    pub url: String,
    admin_url: String,
    name: String,
}

impl EmptyPostgres {
    pub async fn create() -> Option<EmptyPostgres> {
        let admin_url = std::env::var("TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())?;
        let name = format!("raia_procs_{}_{}", std::process::id(), free_port());
        let admin = raia_app::db::Db::connect(&admin_url, 1).await.expect("TEST_DATABASE_URL reachable");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await.expect("create database");
        admin.close().await;
        let base = admin_url.split('?').next().unwrap();
        let url = format!("{}/{name}", &base[..base.rfind('/').expect("a database in TEST_DATABASE_URL")]);
        Some(EmptyPostgres { url, admin_url, name })
    }

    pub async fn drop_database(self) {
        if let Ok(admin) = raia_app::db::Db::connect(&self.admin_url, 1).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(admin.pool()).await;
            admin.close().await;
        }
    }
}

/// Waits (up to `seconds`) until `done` answers true; false if it never did.
pub async fn eventually<F, Fut>(seconds: u64, mut done: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}
