//! Shared building blocks of the `iotcodec` protocol crates.
//!
//! The four protocol crates (`mqtt-codec`, `mqtt-sn-codec`, `coap-codec` and
//! `amqp-frame`) are sans-IO: they never read a clock, never draw from an OS
//! random source and never touch a socket. What they need from the outside
//! world comes in through the small types defined here, so that all four
//! crates speak the same dialect:
//!
//! | item | what it is |
//! | --- | --- |
//! | [`Instant`] | a point in time, in milliseconds since an epoch the caller chooses |
//! | [`Rng`] | a tiny seeded PRNG (PCG-XSH-RR 32) for message IDs, tokens and jitter |
//! | [`Decoded`] | the outcome of decoding from a stream: a complete item or "need more bytes" |
//! | [`Reader`] | a bounds-checked cursor over borrowed bytes that never panics (the decoders of `mqtt-codec` and `amqp-frame`) |
//! | [`Writer`] | a bounds-checked cursor over a caller's output slice (the encoders of `coap-codec` and `amqp-frame`) |
//! | [`Transmit`] | where a datagram written by a state machine should go |
//!
//! Durations are [`core::time::Duration`]: no second duration type is needed.
//!
//! [`Reader`] and [`Writer`] are the shared cursors of the crates named
//! above, not of all four: `mqtt-sn-codec` and `coap-codec` decode by
//! matching each header's or body's exact shape as a slice pattern (and
//! CoAP's options with its own scanner), and `mqtt-codec` and `mqtt-sn-codec` encode through
//! their own sinks, which keep their hot paths in registers in a way a
//! `Result`-returning writer does not (measured: `docs/BENCHMARKS.md`,
//! "Shared reader and writer").
//!
//! ```
//! use core::time::Duration;
//! use iotcodec_core::{Instant, Reader, Rng};
//!
//! let start = Instant::from_millis(1_000);
//! let deadline = start + Duration::from_secs(2);
//! assert_eq!(deadline.as_millis(), 3_000);
//! assert_eq!(deadline - start, Duration::from_secs(2));
//!
//! let mut rng = Rng::new(42);
//! let a = rng.next_u32();
//! assert_eq!(Rng::new(42).next_u32(), a); // same seed, same draws
//!
//! let mut r = Reader::new(&[0x12, 0x34, 0xff]);
//! assert_eq!(r.u16(), Ok(0x1234));
//! assert_eq!(r.remaining(), 1);
//! assert!(r.take(2).is_err()); // never reads past the end
//! ```
//!
//! The crate is `#![no_std]` and needs no allocator; its `std` feature only
//! adds conversions from [`std::time::Instant`].
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "std")]
extern crate std;

mod decoded;
mod reader;
mod rng;
mod time;
mod transmit;
mod writer;

pub use decoded::Decoded;
pub use reader::{Reader, UnexpectedEnd};
pub use rng::Rng;
pub use time::Instant;
#[cfg(feature = "std")]
pub use time::StdClock;
pub use transmit::Transmit;
pub use writer::{BufferTooSmall, Writer};
