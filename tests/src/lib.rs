//! Cross-crate tests and the tests against real peers, in `tests/`.
//!
//! Real-peer tests are `#[ignore]`d in a plain `cargo test`; the script
//! `scripts/real-peers.sh` installs the peers, starts the servers on loopback
//! and runs them with `--ignored`. The helpers they share (real peers'
//! processes, free ports, hex, the workloads) are in `iotcodec-testkit`.
