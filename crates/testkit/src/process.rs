//! Real peers' processes (servers, client runs, version checks) for the
//! real-peer tests: [`PeerProcess`] stops and reaps its process when
//! dropped, so that no run can leave one behind, also on panic.
//!
//! ```
//! use std::process::{Command, Stdio};
//! use std::time::Duration;
//! use iotcodec_testkit::PeerProcess;
//!
//! let mut cmd = Command::new("sh");
//! cmd.args(["-c", "echo ready"]).stdout(Stdio::piped());
//! let mut peer = PeerProcess::start("a shell", &mut cmd, "install a POSIX shell");
//! let (status, out, _err) = peer.wait(Duration::from_secs(10));
//! assert!(status.success());
//! assert_eq!(out, "ready\n");
//! ```

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long a peer may take to exit once asked to (SIGINT) before it is
/// killed.
pub const STOP_LIMIT: Duration = Duration::from_secs(3);

/// A real peer's process (a server, a client run, a version check),
/// stopped and reaped when dropped, so that no run can leave it behind,
/// also on panic.
pub struct PeerProcess {
    what: String,
    child: Child,
}

impl PeerProcess {
    /// Spawns `cmd` with stdin closed. `install` says what installs the
    /// program, for the message when it cannot start.
    pub fn start(what: &str, cmd: &mut Command, install: &str) -> Self {
        let child = cmd.stdin(Stdio::null()).spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {what} ({:?}): {e}; {install}",
                cmd.get_program()
            )
        });
        Self {
            what: what.to_owned(),
            child,
        }
    }

    /// The exit status, once the process has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child
            .try_wait()
            .unwrap_or_else(|e| panic!("poll {}: {e}", self.what))
    }

    /// Asks the process to stop with SIGINT (peers then exit cleanly and
    /// flush their output) and kills it if it still runs after
    /// [`STOP_LIMIT`].
    pub fn stop(&mut self) -> ExitStatus {
        if let Some(status) = self.exited() {
            return status;
        }
        // the shell's kill: procps may not be installed
        let _ = Command::new("sh")
            .args(["-c", "kill -INT \"$0\""])
            .arg(self.child.id().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let asked = Instant::now();
        while asked.elapsed() < STOP_LIMIT {
            if let Some(status) = self.exited() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        self.child
            .wait()
            .unwrap_or_else(|e| panic!("wait for {}: {e}", self.what))
    }

    /// Stops the process ([`PeerProcess::stop`]) and returns its status
    /// and piped output.
    pub fn finish(&mut self) -> (ExitStatus, String, String) {
        let status = self.stop();
        let mut out = String::new();
        let mut err = String::new();
        if let Some(s) = self.child.stdout.as_mut() {
            let _ = s.read_to_string(&mut out);
        }
        if let Some(s) = self.child.stderr.as_mut() {
            let _ = s.read_to_string(&mut err);
        }
        (status, out, err)
    }

    /// Waits for the process to exit by itself, then returns what
    /// [`PeerProcess::finish`] does; panics (the process is then stopped)
    /// when it runs longer than `limit`.
    pub fn wait(&mut self, limit: Duration) -> (ExitStatus, String, String) {
        let start = Instant::now();
        while self.exited().is_none() {
            assert!(
                start.elapsed() < limit,
                "{} did not exit within {limit:?}",
                self.what
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        self.finish()
    }

    /// What the process is, as named at [`PeerProcess::start`].
    pub fn what(&self) -> &str {
        &self.what
    }
}

impl Drop for PeerProcess {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}
