//! Helpers shared by the cross-crate tests and the real-peer tests.
//!
//! Real-peer tests are `#[ignore]`d in a plain `cargo test`; the script
//! `scripts/real-peers.sh` installs the peers, starts the servers on loopback
//! and runs them with `--ignored`.

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The bytes of a benchmark workload, for tests that check our codecs on the
/// same bytes the benchmarks use.
pub fn workload(id: &str) -> Vec<u8> {
    let path = repo_root()
        .join("benches")
        .join("workloads")
        .join(format!("{id}.bin"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
