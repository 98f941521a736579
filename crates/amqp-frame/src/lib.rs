//! AMQP 1.0 wire layer: the type system, frames, performatives and messages.
//!
//! Part of the `iotcodec` workspace of sans-IO protocol crates: pure
//! functions from bytes to borrowed values and back, with no sockets,
//! threads or clocks inside, and no allocation unless the `alloc` feature's
//! owned forms are used. The connection, session and link state machines
//! are not written yet. The time types come from [`iotcodec_core`] and are
//! re-exported here for them.
//!
//! | layer | status |
//! | --- | --- |
//! | type system: all 39 primitive encodings, described types ([`types`]) | built |
//! | protocol headers, frames (size, doff, type, channel, extended header, heartbeats), stream decoding ([`frame`]) | built |
//! | the nine performatives with every field, error and conditions ([`transport`]), typed frames ([`TypedFrame`]) | built |
//! | delivery states, source/target, lifetime policies, messages with every section and section order ([`messaging`]) | built |
//! | transaction types ([`transactions`]), SASL frames with all five outcome codes ([`sasl`]) | built |
//! | the definitions as data, checked against the OASIS XML ([`spec`]) | built |
//! | owned frames and messages sharing `bytes::Bytes` ([`owned`], feature `alloc`) | built |
//! | decode limits in one [`DecodeOptions`] (frame size, nesting depth, zero-width array elements) | built |
//! | `arbitrary::Arbitrary` for frames, performatives, delivery states and messages that round-trip (feature `arbitrary`) | built |
//! | connection/session/link state machines | **not built yet** |
//!
//! # Typed frames
//!
//! Every performative, SASL body, delivery state, terminus and message
//! section decodes from its described list in one pass, borrowing from the
//! input: omitted fields take their **defaults** (an omitted
//! `max-frame-size` is 4294967295), mandatory fields are enforced,
//! `multiple` fields take a single value or an array, restricted types are
//! open newtypes, and every error is a [`DecodeError`] naming the section it
//! breaks ([`DecodeError::rule`]). Encoding writes the shortest constructors
//! and leaves trailing absent or default fields out.
//!
//! ```
//! use amqp_frame::frame::{FrameBody, TransferFrame, TypedFrame};
//! use amqp_frame::messaging::{Body, DataSections, Message, Properties};
//! use amqp_frame::transport::{Performative, Transfer};
//! use amqp_frame::Decoded;
//!
//! // A sender: a transfer carrying a message, encoded into one buffer.
//! let message = Message {
//!     properties: Some(Properties { subject: Some("temperature"), ..Properties::default() }),
//!     body: Some(Body::Data(DataSections::one(b"21.5"))),
//!     ..Message::default()
//! };
//! let transfer = Transfer {
//!     delivery_id: Some(0),
//!     delivery_tag: Some(b"t0"),
//!     message_format: Some(0),
//!     ..Transfer::new(0)
//! };
//! let frame = TransferFrame { channel: 0, transfer, message: &message };
//! let mut wire = [0u8; 128];
//! let n = frame.encode_to_slice(&mut wire).unwrap();
//!
//! // A receiver: frame, performative and message, all borrowed from `wire`.
//! let Decoded::Complete { item, consumed } = TypedFrame::decode(&wire[..n]).unwrap() else {
//!     panic!("incomplete")
//! };
//! assert_eq!(consumed, n);
//! let FrameBody::Amqp { performative: Performative::Transfer(t), payload } = item.body else {
//!     panic!("not a transfer")
//! };
//! assert_eq!(t.delivery_tag, Some(&b"t0"[..]));
//! assert!(!t.more && !t.aborted); // defaults applied
//! assert_eq!(Message::decode(payload).unwrap(), message);
//!
//! // Malformed performatives name the rule they break.
//! let no_handle = [0, 0, 0, 12, 2, 0, 0, 0, 0x00, 0x53, 0x14, 0x45];
//! let e = TypedFrame::decode(&no_handle).unwrap_err();
//! assert_eq!(e.rule(), Some("2.7.5"));
//! ```
//!
//! # The type system
//!
//! [`Value`] borrows from the input: strings, binaries and symbols are
//! slices, and [`List`], [`Map`] and [`Array`] keep their validated bytes
//! and decode elements lazily, so decoding never allocates. Encoding always
//! picks the shortest constructor (`uint0`/`smalluint`/`uint`, `list0`/
//! `list8`/`list32`, ...); decoding accepts every constructor.
//!
//! | AMQP type | constructors | [`Value`] variant |
//! | --- | --- | --- |
//! | null | `0x40` | `Null` |
//! | boolean | `0x56`, `0x41`, `0x42` | `Bool` |
//! | ubyte, ushort | `0x50`, `0x60` | `Ubyte`, `Ushort` |
//! | uint | `0x70`, `0x52`, `0x43` | `Uint` |
//! | ulong | `0x80`, `0x53`, `0x44` | `Ulong` |
//! | byte, short | `0x51`, `0x61` | `Byte`, `Short` |
//! | int | `0x71`, `0x54` | `Int` |
//! | long | `0x81`, `0x55` | `Long` |
//! | float, double | `0x72`, `0x82` | `Float`, `Double` |
//! | decimal32/64/128 | `0x74`, `0x84`, `0x94` | `Decimal32`/`64`/`128` (raw bytes) |
//! | char | `0x73` | `Char` (valid scalar only) |
//! | timestamp | `0x83` | `Timestamp` (any `i64` ms) |
//! | uuid | `0x98` | `Uuid` |
//! | binary | `0xa0`, `0xb0` | `Binary` |
//! | string | `0xa1`, `0xb1` | `Str` (UTF-8 checked) |
//! | symbol | `0xa3`, `0xb3` | `Symbol` (ASCII checked) |
//! | list | `0x45`, `0xc0`, `0xd0` | `List` |
//! | map | `0xc1`, `0xd1` | `Map` (even count checked) |
//! | array | `0xe0`, `0xf0` | `Array` |
//! | described | `0x00` + ulong or symbol descriptor | `Described` |
//!
//! Untrusted input is bounded by [`DecodeOptions`]: frame size, nesting
//! depth, and the element count of arrays whose elements take zero bytes.
//! See [`types`].
//!
//! ```
//! use amqp_frame::{Described, Descriptor, List, Value};
//!
//! // A flow performative's shape: descriptor 0x13 and a list of fields.
//! let fields = [Value::Uint(1), Value::Uint(2048), Value::Null, Value::Str("hi")];
//! let list = Value::List(List::from_values(&fields));
//! let flow = Value::Described(Described::new(Descriptor::Code(0x13), &list));
//!
//! let mut buf = [0u8; 64];
//! let n = flow.encode_to_slice(&mut buf).unwrap();
//! assert_eq!(
//!     &buf[..n],
//!     &[0x00, 0x53, 0x13, 0xc0, 0x0d, 0x04, 0x52, 0x01, 0x70, 0, 0, 0x08, 0, 0x40, 0xa1, 0x02, b'h', b'i']
//! );
//!
//! let (decoded, used) = Value::decode(&buf[..n]).unwrap();
//! assert_eq!(used, n);
//! let Value::Described(d) = decoded else { unreachable!() };
//! assert_eq!(d.descriptor, Descriptor::Code(0x13));
//! let Value::List(l) = d.value.decode().unwrap() else { unreachable!() };
//! let mut it = l.iter();
//! assert_eq!(it.next(), Some(Ok(Value::Uint(1))));
//! assert_eq!(it.nth(2), Some(Ok(Value::Str("hi"))));
//! assert_eq!(decoded, flow);
//! ```
//!
//! The time types come from [`iotcodec_core`]:
//!
//! ```
//! use amqp_frame::Instant;
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

#[cfg(feature = "arbitrary")]
mod arb;
mod buf;
mod composite;
mod definitions;
pub mod error;
pub mod frame;
pub mod messaging;
mod options;
#[cfg(feature = "alloc")]
pub mod owned;
pub mod restricted;
pub mod sasl;
pub mod spec;
pub mod transactions;
pub mod transport;
pub mod types;

/// The `bytes` crate the owned forms use, re-exported so that callers (and
/// fuzz targets) name the same version.
#[cfg(feature = "alloc")]
pub use bytes;
pub use error::{DecodeError, EncodeError};
pub use frame::{
    Frame, FrameBody, FrameType, OutFrame, ProtocolHeader, ProtocolId, TransferFrame, TypedFrame,
    Unit,
};
pub use iotcodec_core::{Decoded, Instant};
pub use messaging::Message;
pub use options::DecodeOptions;
pub use transport::Performative;
pub use types::{Array, Described, Descriptor, List, Map, RawValue, Value};
