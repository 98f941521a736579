//! The two kinds of sans-IO state machine the simulations drive: multi-peer
//! machines over datagrams ([`DatagramMachine`]) and single byte-stream
//! connections ([`StreamMachine`]).
//!
//! The protocol crates' machines implement these in their tests through small
//! wrapper newtypes (the test kit does not depend on the protocol crates).
//! Events and commands stay protocol-specific: the drivers call a hook after
//! every step, in which the test drains the machines' events and issues
//! commands.
//!
//! ```
//! use bytes::BytesMut;
//! use iotcodec_core::{Instant, Transmit};
//! use iotcodec_testkit::DatagramMachine;
//!
//! /// Answers every datagram with its bytes reversed.
//! #[derive(Default)]
//! struct Mirror {
//!     out: Vec<(u8, Vec<u8>)>,
//! }
//!
//! impl DatagramMachine<u8> for Mirror {
//!     fn handle_datagram(&mut self, _now: Instant, from: u8, datagram: &[u8]) {
//!         self.out.push((from, datagram.iter().rev().copied().collect()));
//!     }
//!     fn poll_transmit(&mut self, _now: Instant, buf: &mut BytesMut) -> Option<Transmit<u8>> {
//!         let (to, bytes) = self.out.pop()?;
//!         buf.extend_from_slice(&bytes);
//!         Some(Transmit::new(to, bytes.len()))
//!     }
//!     fn poll_timeout(&self) -> Option<Instant> {
//!         None
//!     }
//!     fn handle_timeout(&mut self, _now: Instant) {}
//! }
//!
//! let mut m = Mirror::default();
//! m.handle_datagram(Instant::ZERO, 7, b"abc");
//! let mut buf = BytesMut::new();
//! let t = m.poll_transmit(Instant::ZERO, &mut buf).unwrap();
//! assert_eq!((t.destination, &buf[..t.len]), (7, &b"cba"[..]));
//! ```

use bytes::BytesMut;
use iotcodec_core::{Instant, Transmit};

/// A multi-peer machine over datagrams (CoAP endpoint, MQTT-SN client and
/// gateway), addressed by `A`.
pub trait DatagramMachine<A> {
    /// A datagram from `from` arrived at `now`.
    fn handle_datagram(&mut self, now: Instant, from: A, datagram: &[u8]);
    /// Appends one datagram to `buf` and returns where it goes and its
    /// length, or `None` when there is nothing to send.
    fn poll_transmit(&mut self, now: Instant, buf: &mut BytesMut) -> Option<Transmit<A>>;
    /// When [`DatagramMachine::handle_timeout`] is next due, if ever.
    fn poll_timeout(&self) -> Option<Instant>;
    /// The time reached `now`: fire the timers due.
    fn handle_timeout(&mut self, now: Instant);
}

/// A single byte-stream connection (MQTT session, AMQP connection).
pub trait StreamMachine {
    /// Bytes from the peer arrived at `now` (any split of the stream).
    fn handle_input(&mut self, now: Instant, bytes: &[u8]);
    /// Appends bytes to send to `buf` and returns how many were appended, or
    /// `None` when there is nothing to send.
    fn poll_transmit(&mut self, now: Instant, buf: &mut BytesMut) -> Option<usize>;
    /// When [`StreamMachine::handle_timeout`] is next due, if ever.
    fn poll_timeout(&self) -> Option<Instant>;
    /// The time reached `now`: fire the timers due.
    fn handle_timeout(&mut self, now: Instant);
}
