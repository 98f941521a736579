//! MQTT 3.1, 3.1.1 and 5.0: wire codec (session state machines to come).
//!
//! Part of the `iotcodec` workspace of sans-IO protocol crates: no sockets,
//! threads or clocks inside. The [`wire`] module decodes packets borrowing
//! from the input (no allocation, `no_std`) and encodes them into a caller's
//! buffer; [`topic`] validates and matches topics.
//!
//! [`wire::Packet::decode`] takes the connection's protocol version (a
//! CONNECT names its own); [`wire::Packet::decode_with`] also takes
//! [`wire::DecodeOptions`]: a maximum packet size, checked as soon as the
//! fixed header is read, and the optional strict policies. Decoding answers
//! [`Decoded::Incomplete`] when more bytes are needed and a [`DecodeError`]
//! naming the broken normative statement ([`DecodeError::rule`]) when the
//! bytes are malformed. Encoding checks every field first ([`EncodeError`],
//! with [`EncodeError::rule`]): nothing is silently truncated.
//! Decoding then encoding gives the same bytes for canonical input, and
//! encoding then decoding gives the same value.
//!
//! ```
//! use mqtt_codec::wire::{Packet, ProtocolVersion, Publish, QoS, Properties};
//! use mqtt_codec::Decoded;
//!
//! // PUBLISH QoS 1, topic "a/b", packet id 10, payload "hi" (MQTT 3.1.1)
//! let bytes = [0x32, 0x09, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x0a, b'h', b'i'];
//! let Decoded::Complete { item, consumed } =
//!     Packet::decode(&bytes, ProtocolVersion::V3_1_1).unwrap()
//! else {
//!     panic!("incomplete")
//! };
//! assert_eq!(consumed, bytes.len());
//! let Packet::Publish(p) = item else { panic!("not a PUBLISH") };
//! assert_eq!((p.topic, p.packet_id, p.payload), ("a/b", Some(10), &b"hi"[..]));
//!
//! // a prefix is not an error, just incomplete
//! assert!(!Packet::decode(&bytes[..5], ProtocolVersion::V3_1_1).unwrap().is_complete());
//!
//! // encoding gives the same bytes back
//! let mut out = [0u8; 16];
//! let n = item.encode_to_slice(ProtocolVersion::V3_1_1, &mut out).unwrap();
//! assert_eq!(&out[..n], &bytes);
//!
//! // build one from scratch
//! let publish = Packet::Publish(Publish {
//!     dup: false,
//!     qos: QoS::AtMostOnce,
//!     retain: true,
//!     topic: "x",
//!     packet_id: None,
//!     properties: Properties::empty(),
//!     payload: b"1",
//! });
//! let n = publish.encode_to_slice(ProtocolVersion::V5, &mut out).unwrap();
//! assert_eq!(&out[..n], &[0x31, 0x05, 0x00, 0x01, b'x', 0x00, b'1']);
//! ```
//!
//! | area | status |
//! | --- | --- |
//! | every control packet, 3.1 / 3.1.1 / 5.0, decode and encode | built |
//! | v5 properties: all 27, per-packet allow-list, duplicates, ranges | built |
//! | v5 short forms (PUBACK family, DISCONNECT, AUTH) | built |
//! | malformed-packet rules, named by statement id ([`DecodeError::rule`]) | built |
//! | optional strict string and reason code policies, payload format check ([`wire::DecodeOptions`]) | built |
//! | secrets (password, Authentication Data) redacted in `Debug` | built |
//! | topic names, filters, matching, `$share` | built |
//! | owned packets sharing `bytes::Bytes` (`wire::OwnedPacket`, feature `alloc`) | built |
//! | `arbitrary::Arbitrary`, valid packets only (`wire::ArbitraryPacket`, feature `arbitrary`) | built |
//! | session state machines (client and server) | to come |
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod error;
mod primitives;
mod props;
mod scan;
mod sink;
pub mod topic;
pub mod wire;

/// The `bytes` crate the owned forms use, re-exported so that callers (and
/// fuzz targets) name the same version.
#[cfg(feature = "alloc")]
pub use bytes;
pub use error::{DecodeError, EncodeError};
pub use iotcodec_core::{Decoded, Instant};
