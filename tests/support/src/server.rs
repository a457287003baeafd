//! The test servers, running for real under uvicorn on a free loopback port for as long as a test
//! holds them — stopped when dropped, also when the test panics: the fixture server
//! (`tests/server`: python-socketio + FastAPI) and the Glovebox test server
//! (`tests/glovebox-server`: protocol v1 over a plain WebSocket).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The bearer token the fixture server accepts (its default `GLOW_FIXTURE_TOKEN`).
pub const TOKEN: &str = "fixture-token";

/// How long the server may take to answer after starting.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The key the Glovebox test server accepts (its default `GLOVEBOX_TEST_KEY`).
pub const GLOVEBOX_KEY: &str = "test-key";

/// A running fixture server.
pub struct FixtureServer {
    python: PathBuf,
    port: u16,
    log: PathBuf,
    child: Option<Child>,
    app: App,
}

/// Which server: where its ASGI app is, and a path that answers `200` once it is up.
#[derive(Clone, Copy)]
struct App {
    folder: &'static str,
    module: &'static str,
    ready_path: &'static str,
}

const FIXTURE: App = App {
    folder: "tests/server/core",
    module: "app.main:app",
    ready_path: "/openapi.json",
};

const GLOVEBOX: App = App {
    folder: "tests/glovebox-server",
    module: "app:app",
    ready_path: "/health",
};

impl FixtureServer {
    /// Starts the fixture server with `python` (the fixture venv's) on a free port and waits
    /// until it answers HTTP.
    pub fn start(python: &Path) -> FixtureServer {
        Self::start_app(python, FIXTURE)
    }

    /// Starts the Glovebox test server (key [`GLOVEBOX_KEY`]) the same way.
    pub fn start_glovebox(python: &Path) -> FixtureServer {
        Self::start_app(python, GLOVEBOX)
    }

    fn start_app(python: &Path, app: App) -> FixtureServer {
        let port = free_port();
        let mut server = FixtureServer {
            python: python.to_path_buf(),
            port,
            log: std::env::temp_dir().join(format!("glow-test-server-{port}.log")),
            child: None,
            app,
        };
        server.spawn();
        server
    }

    /// `ws://127.0.0.1:<port>/`: the Glovebox server's socket.
    pub fn ws_url(&self) -> String {
        format!("ws://127.0.0.1:{}/", self.port)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills the server at once (SIGKILL, as a crash would), waiting until its port is free.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    fn spawn(&mut self) {
        let root = crate::workspace().join(self.app.folder);
        let log = std::fs::File::create(&self.log).expect("the server's log file");
        let child = Command::new(&self.python)
            .args(["-m", "uvicorn", self.app.module, "--host", "127.0.0.1"])
            .args(["--port", &self.port.to_string(), "--log-level", "warning"])
            .current_dir(&root)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", self.python.display()));
        self.child = Some(child);
        self.wait_until_answering();
    }

    fn wait_until_answering(&mut self) {
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Some(child) = &mut self.child
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!(
                    "the test server exited ({status}) before answering:\n{}",
                    self.log_text()
                );
            }
            if answers(self.port, self.app.ready_path) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the test server did not answer within {START_TIMEOUT:?}:\n{}",
            self.log_text()
        );
    }

    /// What the server wrote to stderr so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for FixtureServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// A port nothing listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free loopback port");
    listener.local_addr().expect("its address").port()
}

/// Whether an HTTP request to the server's public `ready_path` gets a `200`.
fn answers(port: u16, ready_path: &str) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request =
        format!("GET {ready_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}
