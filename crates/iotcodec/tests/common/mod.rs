//! Helpers shared by the CLI tests: run the `iotcodec` binary, read its
//! output, find the shared workload files.
#![allow(dead_code)] // each test file uses what it needs

use std::process::{Command, Output};

/// Runs the binary with `args`.
pub(crate) fn iotcodec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotcodec"))
        .args(args)
        .output()
        .expect("run iotcodec")
}

/// Standard output and error, together.
pub(crate) fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The path of a file in `benches/workloads/` (name with its extension).
pub(crate) fn workload(file: &str) -> String {
    iotcodec_testkit::workloads::path(file)
        .to_string_lossy()
        .into_owned()
}
