//! MQTT-SN 1.2: wire codec (client and gateway state machines to come).
//!
//! Part of the `iotcodec` workspace of sans-IO protocol crates: no sockets,
//! threads or clocks inside. Today the crate is the wire layer; the client
//! and gateway state machines, which will take datagrams in and give events
//! out, are still to be written. The time types they will use come from
//! [`iotcodec_core`] and are re-exported here.
//!
//! # Wire layer
//!
//! [`Message::decode`] takes one datagram and borrows from it; no copies,
//! no allocation. [`Message::decode_with`] does the same under the limits
//! of a [`DecodeOptions`] (the largest datagram accepted).
//! [`Message::encoded_len`] gives the exact size before
//! [`Message::encode_to_slice`] writes it (with `alloc`, `Message::encode`
//! writes into a `bytes::BufMut` and `Message::to_vec` into a new `Vec`).
//! Neither needs an allocator; `OwnedMessage` (feature `alloc`) keeps a
//! decoded datagram in a `bytes::Bytes`, for messages a state machine must
//! store.
//!
//! `encoded_len` and the encoders refuse, with the same [`EncodeError`]
//! and writing nothing, every message the decoder would reject, so what
//! encodes decodes back to an equal message (see "Rules and choices").
//!
//! ```
//! use mqtt_sn_codec::{Flags, Message, QoS, Topic};
//!
//! // A QoS 1 PUBLISH to topic id 1, MsgId 10, 3 payload bytes.
//! let datagram = [0x0a, 0x0c, 0x20, 0x00, 0x01, 0x00, 0x0a, b'a', b'b', b'c'];
//! let msg = Message::decode(&datagram).unwrap();
//! let Message::Publish { flags, topic, msg_id, data } = msg else { panic!() };
//! assert_eq!((flags.qos, topic, msg_id, data), (QoS::AtLeastOnce, Topic::Id(1), 10, &b"abc"[..]));
//!
//! assert_eq!(msg.encoded_len(), Ok(datagram.len()));
//! let mut out = [0u8; 16];
//! let n = msg.encode_to_slice(&mut out).unwrap();
//! assert_eq!(&out[..n], &datagram);
//!
//! // The Length field must equal the datagram size.
//! let err = Message::decode(&datagram[..9]).unwrap_err();
//! assert_eq!(err.rule(), Some("5.2.1"));
//!
//! // The encoder refuses what the decoder rejects: topic id 0x0000 is
//! // reserved in a PUBLISH.
//! let reserved = Message::Publish { flags, topic: Topic::Id(0), msg_id, data };
//! let err = reserved.encoded_len().unwrap_err();
//! assert_eq!(err.rule(), Some("5.3.11"));
//! # let _ = Flags::default();
//! ```
//!
//! | layer | status |
//! | --- | --- |
//! | wire layer (encode/decode) | all 27 MQTT-SN 1.2 messages and the forwarder encapsulation, see [`Message`] |
//! | decode limits ([`DecodeOptions`], [`Message::decode_with`]) | the largest datagram accepted |
//! | owned messages sharing `bytes::Bytes` (feature `alloc`) | `OwnedMessage` |
//! | `arbitrary::Arbitrary` for every wire type (feature `arbitrary`) | for fuzzing; values may be refused by the encoder |
//! | client and gateway state machines | not built yet |
//!
//! ## Rules and choices
//!
//! | rule (spec 1.2 section) | what the codec does |
//! | --- | --- |
//! | Length (5.2.1) | 1-byte form 2..=255, or `0x01` + u16 (>= 4). Non-minimal 3-byte forms are accepted; encoding is canonical (1 byte when the total is <= 255). Length must equal the datagram size, else [`DecodeError::LengthMismatch`]. Totals over 65535 are [`EncodeError::TooLong`]. A datagram over the decode limit ([`DecodeOptions::max_message_size`], by default [`MAX_DATAGRAM_LEN`], beyond which none can be valid) is [`DecodeError::MessageTooLarge`], before anything else is read. |
//! | MsgType (5.2.2) | 0x03, 0x11, 0x19, 0x1E-0xFD and 0xFF are [`DecodeError::ReservedMsgType`]. |
//! | Flags (5.3.4) | every bit kept in [`Flags`]; TopicIdType `0b11` is rejected wherever a Flags octet appears (a [`Flags`] value cannot hold it, so the encoder never writes it). QoS `0b11` is QoS −1. |
//! | ProtocolId (5.3.8) | CONNECT must carry 0x01; anything else is [`DecodeError::ProtocolId`]. The encoder always writes 0x01. |
//! | ReturnCode (5.3.10) | open newtype [`ReturnCode`]; unknown codes round-trip. |
//! | TopicId (5.3.11) | 0x0000/0xFFFF rejected in PUBLISH (normal and pre-defined) and for pre-defined ids in (UN)SUBSCRIBE; 0xFFFF rejected in REGISTER, REGACK, SUBACK, where 0x0000 is legitimate (a client's REGISTER, a wildcard or short SUBACK, a REGACK that rejects), but not in a REGACK that accepts; PUBACK echoes any id (it may be a short name's two bytes). The encoder refuses the same ids in the same messages ([`EncodeError::ReservedTopicId`]). |
//! | short topic names | exactly 2 bytes, kept as `[u8; 2]` (not UTF-8 checked), so the encoder cannot write another size. |
//! | strings | ClientId (5.3.1), TopicName (5.3.12) and WillTopic (5.3.14) are UTF-8 checked and given as `&str`; WillMsg, Data and GwAdd are binary `&[u8]`, never UTF-8 checked. ClientId length is not limited to 23 (peers allow 64). TopicName in REGISTER/(UN)SUBSCRIBE must not be empty ([`EncodeError::EmptyTopicName`] on encode). `PingReq { client_id: Some("") }` encodes like `None`. |
//! | fixed-size messages | a body of the wrong size is [`DecodeError::BodyLength`] (the rule names the message's section). |
//! | optional fields | GWINFO GwAdd (empty = sent by a gateway), WILLTOPIC/WILLTOPICUPD empty = delete, PINGREQ ClientId, DISCONNECT Duration. |
//! | MsgId (5.3.7) | always on the wire, also for QoS 0/−1, where the sender codes 0x0000; the decoder keeps whatever value came (it is not relevant then) and the encoder writes the value given. |
//! | forwarder (5.5) | 1-byte Length covering Length, MsgType, Ctrl and Wireless Node Id; the encapsulated message follows and must be valid and not itself encapsulated ([`Forwarded`]). The encoder refuses a node id over 252 bytes ([`EncodeError::NodeIdTooLong`]) and encapsulated bytes that do not decode so, with the decoder's error ([`EncodeError::Encapsulated`]). |
//!
//! Every wire type is `Copy` and `Debug`. MQTT-SN 1.2 carries no
//! credentials, so `Debug` shows every field (payloads as bytes).
//!
//! With the `arbitrary` feature every wire type derives
//! `arbitrary::Arbitrary`; such values may hold reserved ids or over-long
//! fields, which the encoder refuses. Whatever it accepts decodes to an
//! equal message, up to the TopicIdType bits of a PUBLISH, SUBSCRIBE or
//! UNSUBSCRIBE (taken from its topic) and `PingReq(Some(""))`.
//!
//! `docs/coverage/mqtt-sn.md` in the repository maps each rule to the tests.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub use iotcodec_core::{Decoded, Instant};

mod error;
mod fields;
pub mod msg_type;
mod wire;

pub use error::{DecodeError, EncodeError};
pub use fields::{Flags, QoS, ReturnCode, Topic, TopicFilter, TopicIdType, WillTopic};
pub use wire::decode::DecodeOptions;
#[cfg(feature = "alloc")]
pub use wire::owned::OwnedMessage;
pub use wire::{Forwarded, Message, MAX_DATAGRAM_LEN, MAX_LEN};
