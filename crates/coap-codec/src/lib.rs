//! CoAP (RFC 7252 and friends): message codec and endpoint state machine.
//!
//! Part of the `iotcodec` workspace of sans-IO protocol crates: a pure state
//! machine that takes bytes in and gives events out, with no sockets, threads
//! or clocks inside. The time types come from [`iotcodec_core`] and are
//! re-exported here.
//!
//! | layer | what | status |
//! | --- | --- | --- |
//! | wire | [`Message`] decode/encode (RFC 7252 §3), strict, zero-copy, no allocator | built |
//! | wire | [`Code`], [`OptionNumber`] with the IANA option registry ([`REGISTRY`]), [`ContentFormat`] registry | built |
//! | wire | option values: [`Block`] (RFC 7959), Observe ordering ([`observe_is_newer`], RFC 7641) | built |
//! | wire | [`TcpMessage`]: the framing of CoAP over TCP/TLS (RFC 8323 §3.2), stream decode with a size limit | built |
//! | wire | [`uri`]: URIs to options and back (RFC 7252 §6.4, §6.5) | built |
//! | wire | [`OwnedMessage`], [`OptionList`] sharing or owning their bytes (feature `alloc`) | built |
//! | endpoint | [`endpoint::Endpoint`] (feature `alloc`): CON/NON/ACK/RST with exponential back-off, NSTART, Message IDs, deduplication, ping; tokens, piggybacked and separate responses, 4.02/4.13/5.03, No-Response, multicast | built |
//! | endpoint | Observe (RFC 7641) and block-wise transfers (RFC 7959) | not built yet |
//! | endpoint | CoAP over TCP (CSM, Ping/Pong, Release, Abort) | not built yet |
//!
//! # Decoding
//!
//! [`Message::decode`] checks the whole message format at once (header,
//! token, every option header, payload marker, type/code rules) and borrows
//! options and payload from the datagram. A [`DecodeError`] tells what the
//! RFC wants done with the datagram ([`DecodeError::disposition`]: ignore
//! it, or reject it with a Reset when it was Confirmable). Whether the
//! options can be processed depends on what the receiver recognizes:
//! [`Options::first_bad_critical`] finds the critical option that makes a
//! request a 4.02 Bad Option (unrecognized, repeated though not repeatable,
//! or with a value outside the registry's bounds); unrecognized elective
//! options are ignored.
//!
//! ```
//! use coap_codec::{Code, ContentFormat, Message, MessageType, OptionNumber};
//!
//! // a piggybacked 2.05 Content with Content-Format 50 (application/json)
//! let datagram = b"\x62\x45\x12\x34\xbe\xef\xc1\x32\xff{\"t\":21.5}";
//! let m = Message::decode(datagram).unwrap();
//! assert_eq!(m.mtype, MessageType::Acknowledgement);
//! assert_eq!(m.code, Code::CONTENT);
//! assert_eq!(m.token.as_bytes(), &[0xbe, 0xef]);
//! assert_eq!(m.content_format(), Some(ContentFormat::JSON));
//! assert_eq!(m.payload, b"{\"t\":21.5}");
//! assert_eq!(m.options.first_bad_critical(|n| n.definition().is_some()), None);
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod block;
mod code;
mod content_format;
#[cfg(feature = "alloc")]
pub mod endpoint;
mod error;
mod message;
mod option;
mod options;
#[cfg(feature = "alloc")]
mod owned;
mod sink;
mod tcp;
pub mod uri;

pub use block::{
    observe_is_newer, Block, OBSERVE_DEREGISTER, OBSERVE_FRESHNESS, OBSERVE_MAX, OBSERVE_REGISTER,
};
/// The `bytes` crate the owned forms and the endpoint use, re-exported so
/// that callers (and fuzz targets) name the same version.
#[cfg(feature = "alloc")]
pub use bytes;
pub use code::Code;
pub use content_format::ContentFormat;
pub use error::{DecodeError, Disposition, EncodeError, UriError};
pub use iotcodec_core::{Decoded, Instant};
pub use message::{Header, Message, MessageType, Token};
#[cfg(feature = "alloc")]
pub use option::OptionList;
pub use option::{
    decode_uint, encode_uint, CoapOption, OptionDef, OptionFormat, OptionNumber, OptionRef,
    OptionValue, Options, OptionsIter, REGISTRY,
};
pub use options::DecodeOptions;
#[cfg(feature = "alloc")]
pub use owned::OwnedMessage;
pub use tcp::{TcpHeader, TcpMessage};
