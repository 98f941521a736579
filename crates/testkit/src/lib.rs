//! Test kit shared by the protocol crates' tests, the cross-crate tests and
//! the benchmarks (not published).
//!
//! * Simulation on a virtual clock: any two (or more) sans-IO state machines
//!   plug into a driver through [`DatagramMachine`] or [`StreamMachine`], so
//!   a protocol's simulation writes only its application logic, never its
//!   own stepping loop. [`DatagramSim`] joins datagram machines by a seeded
//!   lossy, duplicating, reordering [`Link`]; [`StreamPair`] joins two
//!   stream machines by seeded pipes that delay the bytes, split them into
//!   arbitrary chunks and can break the connection at any byte ([`Cut`]).
//! * The helpers the test files would otherwise copy: [`hex`] and
//!   [`to_hex`], the shared benchmark [`workloads`], free loopback ports
//!   ([`free_tcp_port`], [`free_udp_and_tcp_port`]) and real peers'
//!   processes ([`PeerProcess`]).
//!
//! Everything random is drawn from a seed given by the test; nothing reads a
//! real clock. A failing simulation names its seed, and running the test
//! body with that seed replays it exactly (see [`datagram`] and [`stream`]).
//!
//! ```
//! use core::time::Duration;
//! use iotcodec_core::Instant;
//! use iotcodec_testkit::{hex, Link, LinkConfig};
//!
//! let mut link = Link::new(LinkConfig::default(), 7);
//! for i in 0..100 {
//!     link.send(Instant::ZERO, 1u8, 2u8, &hex("40 01 00 00"));
//! }
//! // about 30 % lost, about 30 % of the rest duplicated
//! let s = link.stats();
//! assert!(s.lost > 10 && s.duplicated > 10);
//! let first = link.next_delivery().unwrap();
//! assert!(first >= Instant::ZERO + Duration::from_millis(10));
//! ```
#![forbid(unsafe_code)]

pub mod datagram;
mod hex;
pub mod link;
pub mod machine;
mod net;
mod process;
pub mod stream;
pub mod workloads;

pub use datagram::{DatagramReport, DatagramSim};
pub use hex::{hex, to_hex};
pub use link::{Delivery, Link, LinkConfig, LinkStats};
pub use machine::{DatagramMachine, StreamMachine};
pub use net::{free_tcp_port, free_udp_and_tcp_port};
pub use process::{PeerProcess, STOP_LIMIT};
pub use stream::{Cut, Disconnect, Side, StreamConfig, StreamPair, StreamReport};
pub use workloads::repo_root;
