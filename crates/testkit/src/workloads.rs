//! The shared benchmark workloads (`benches/workloads/`), for the tests that
//! check the codecs on the very bytes the benchmarks time.
//!
//! ```
//! use iotcodec_testkit::workloads;
//!
//! let packet = workloads::load("m3_pub_qos1");
//! assert_eq!(packet, workloads::load("m3_pub_qos1.bin"));
//! assert_eq!(packet[0] >> 4, 3); // an MQTT PUBLISH
//! assert!(workloads::ids().contains(&"m3_pub_qos1".to_owned()));
//! ```

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    // this crate lives in `crates/testkit`
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent()
        .and_then(|crates| crates.parent())
        .map(PathBuf::from)
        .unwrap_or(dir)
}

/// The directory holding the workload files (a copy of the shared
/// `bench-workloads`, digests in `SHA256SUMS`).
pub fn dir() -> PathBuf {
    repo_root().join("benches").join("workloads")
}

/// The path of workload `name`: its id (`m3_pub_qos1`) or its file name
/// (`m3_pub_qos1.bin`).
pub fn path(name: &str) -> PathBuf {
    if name.ends_with(".bin") {
        dir().join(name)
    } else {
        dir().join(format!("{name}.bin"))
    }
}

/// The bytes of workload `name`: its id (`m3_pub_qos1`) or its file name
/// (`m3_pub_qos1.bin`).
///
/// # Panics
/// When the file cannot be read: a test without its input cannot run.
pub fn load(name: &str) -> Vec<u8> {
    let path = path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The ids of every workload listed in `SHA256SUMS`, in its order.
///
/// # Panics
/// When `SHA256SUMS` cannot be read or has a malformed line.
pub fn ids() -> Vec<String> {
    digests().into_iter().map(|(id, _)| id).collect()
}

/// Every workload id listed in `SHA256SUMS` with its SHA-256 digest
/// (lower-case hex), in the file's order.
///
/// # Panics
/// When `SHA256SUMS` cannot be read or has a malformed line.
pub fn digests() -> Vec<(String, String)> {
    let path = dir().join("SHA256SUMS");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (digest, file) = line
                .split_once(char::is_whitespace)
                .unwrap_or_else(|| panic!("malformed line in SHA256SUMS: {line:?}"));
            // `sha256sum` marks binary mode with a '*' before the name
            let file = file.trim_start().trim_start_matches('*');
            let id = file
                .strip_suffix(".bin")
                .unwrap_or_else(|| panic!("not a .bin workload in SHA256SUMS: {line:?}"));
            (id.to_owned(), digest.to_owned())
        })
        .collect()
}
