//! AMQP 1.0: frames, the type system and connection/session/link state machines.
//!
//! Part of the `iotcodec` workspace of sans-IO protocol crates: a pure state
//! machine that takes bytes in and gives events out, with no sockets, threads
//! or clocks inside. The time types come from [`iotcodec_core`] and are
//! re-exported here.
//!
//! | layer | status |
//! | --- | --- |
//! | type system: all 39 primitive encodings, described types ([`types`]) | built |
//! | protocol headers, frames (size, doff, type, channel, extended header, heartbeats), stream decoding ([`frame`]) | built |
//! | performatives as generic described values ([`Frame::performative`]) | built |
//! | performative structs (open, begin, attach, flow, transfer, ...) | **not built yet** |
//! | messages (sections, properties) | **not built yet** |
//! | SASL mechanisms and negotiation (SASL frames decode as frames) | **not built yet** |
//! | connection/session/link state machines | **not built yet** |
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
//! Untrusted input is bounded by [`Limits`]: nesting depth, and the element
//! count of arrays whose elements take zero bytes. See [`types`].
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

mod codec;
pub mod error;
pub mod frame;
pub mod messaging;
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
pub use transport::Performative;
pub use types::{Array, Described, Descriptor, Limits, List, Map, RawValue, Value};
