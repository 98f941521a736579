//! CoAP (RFC 7252 and friends): message codec and endpoint state machine.
//!
//! Part of the `iotcodec` workspace of sans-IO protocol crates: a pure state
//! machine that takes bytes in and gives events out, with no sockets, threads
//! or clocks inside. The time types come from [`iotcodec_core`] and are
//! re-exported here.
//!
//! | layer | status |
//! | --- | --- |
//! | wire layer (encode/decode) | not built yet |
//! | state machines | not built yet |
//!
//! ```
//! use coap_codec::Instant;
//! let t = Instant::from_millis(5) + core::time::Duration::from_millis(10);
//! assert_eq!(t.as_millis(), 15);
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub use iotcodec_core::{Decoded, Instant};
