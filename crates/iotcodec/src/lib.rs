//! The `iotcodec` inspector: decodes captures of MQTT, MQTT-SN, CoAP and AMQP
//! traffic with the workspace's own codecs, explains every packet, and checks
//! that re-encoding gives the same bytes.
//!
//! This crate is a thin layer over the protocol crates' public APIs: it
//! splits the input into packets with their decoders, formats what they
//! return, and re-encodes with their encoders. It holds no protocol logic of
//! its own. The binary `iotcodec` (see `src/main.rs`) is its command line.
//!
//! ```
//! use iotcodec::{inspect, Outcome, Proto};
//!
//! let proto: Proto = "mqtt3".parse().unwrap();
//! let items = inspect(proto, &[0xc0, 0x00]);
//! match &items[0].outcome {
//!     Outcome::Packet { len, text, json, .. } => {
//!         assert_eq!((*len, text.as_str()), (2, "PINGREQ"));
//!         assert_eq!(json.to_string(), r#"{"type":"PINGREQ"}"#);
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```
//!
//! The JSON of each packet is a [`serde_json::Value`] whose objects keep
//! their keys in the order the inspector writes them (the workspace builds
//! `serde_json` with `preserve_order`), and the `--json` lines of the
//! binary are those values printed by `serde_json`. Credentials (MQTT
//! passwords and authentication data, AMQP SASL responses) are redacted
//! before they reach a value.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod hex;
mod protocols;

use std::fmt;
use std::str::FromStr;

pub use hex::hex;
use serde_json::Value;

/// The protocols the inspector knows, by their command-line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    /// `mqtt3`: MQTT 3.1 (`MQIsdp`, level 3) and 3.1.1 (`MQTT`, level 4), a byte stream.
    Mqtt3,
    /// `mqtt5`: MQTT 5.0, a byte stream.
    Mqtt5,
    /// `mqtt-sn`: one MQTT-SN 1.2 datagram.
    MqttSn,
    /// `coap`: one CoAP datagram (RFC 7252).
    Coap,
    /// `coap-tcp`: CoAP over TCP (RFC 8323) framing, a byte stream.
    CoapTcp,
    /// `amqp`: AMQP 1.0 frames and protocol headers, a byte stream.
    Amqp,
}

impl Proto {
    /// Every protocol, in the order the usage text lists them.
    pub const ALL: [Self; 6] = [
        Self::Mqtt3,
        Self::Mqtt5,
        Self::MqttSn,
        Self::Coap,
        Self::CoapTcp,
        Self::Amqp,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Mqtt3 => "mqtt3",
            Self::Mqtt5 => "mqtt5",
            Self::MqttSn => "mqtt-sn",
            Self::Coap => "coap",
            Self::CoapTcp => "coap-tcp",
            Self::Amqp => "amqp",
        }
    }

    /// Whether the input is a byte stream holding any number of packets
    /// (otherwise it is exactly one datagram).
    pub fn is_stream(self) -> bool {
        !matches!(self, Self::MqttSn | Self::Coap)
    }
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Proto::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProto(pub String);

impl fmt::Display for UnknownProto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown protocol '{}'", self.0)
    }
}

impl std::error::Error for UnknownProto {}

impl FromStr for Proto {
    type Err = UnknownProto;
    fn from_str(s: &str) -> Result<Self, UnknownProto> {
        Self::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownProto(s.to_owned()))
    }
}

/// One packet (or one failure) found in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where in the input it starts.
    pub offset: usize,
    /// What the decoder said.
    pub outcome: Outcome,
}

/// What the decoder said about the bytes at one offset.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A packet decoded.
    Packet {
        /// How many bytes it used.
        len: usize,
        /// A one-line human summary.
        text: String,
        /// The decoded fields, credentials redacted.
        json: Value,
        /// The packet encoded again by the crate's encoder, or why it could not be.
        reencoded: Result<Vec<u8>, String>,
    },
    /// The bytes are malformed.
    Error {
        /// The decoder's message.
        message: String,
        /// The specification statement or section broken, when the decoder names one.
        rule: Option<String>,
    },
    /// The input ends inside a packet.
    Incomplete {
        /// How many more bytes are needed, when known.
        needed: Option<usize>,
    },
}

/// What a protocol adapter reports for the bytes at the front of its input.
#[derive(Debug)]
pub(crate) enum Step {
    Packet {
        len: usize,
        text: String,
        json: Value,
        reencoded: Result<Vec<u8>, String>,
    },
    Error {
        message: String,
        rule: Option<String>,
        /// Where decoding can carry on, when the framing told the packet's length.
        resume_after: Option<usize>,
    },
    Incomplete {
        needed: Option<usize>,
    },
}

/// Decodes every packet of `input` with `proto`'s codec.
///
/// Stream protocols decode packet after packet until the input ends, an
/// incomplete packet is left, or a malformed packet leaves no way to find the
/// next one; datagram protocols decode the whole input as one datagram.
pub fn inspect(proto: Proto, input: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut offset = 0;
    while offset < input.len() || (items.is_empty() && !proto.is_stream()) {
        let step = protocols::step(proto, &input[offset..]);
        let (outcome, advance) = match step {
            Step::Packet {
                len,
                text,
                json,
                reencoded,
            } => (
                Outcome::Packet {
                    len,
                    text,
                    json,
                    reencoded,
                },
                Some(len),
            ),
            Step::Error {
                message,
                rule,
                resume_after,
            } => (Outcome::Error { message, rule }, resume_after),
            Step::Incomplete { needed } => (Outcome::Incomplete { needed }, None),
        };
        items.push(Item { offset, outcome });
        match advance {
            Some(n) if n > 0 && proto.is_stream() => offset += n,
            _ => break,
        }
    }
    items
}

/// The first position where `a` and `b` differ (a length difference counts
/// at the shorter length).
pub fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Proto::ALL {
            assert_eq!(p.name().parse::<Proto>(), Ok(p));
        }
        assert_eq!(
            "mqtt4".parse::<Proto>(),
            Err(UnknownProto("mqtt4".to_owned()))
        );
        assert!(Proto::Amqp.is_stream());
        assert!(!Proto::Coap.is_stream());
    }

    #[test]
    fn json_escapes_nests_and_keeps_key_order() {
        // a CoAP GET whose Uri-Path holds a backspace, a form feed, U+0001,
        // a quote and a backslash; no token, no payload
        let get = b"\x40\x01\x00\x01\xb7a\x08\x0c\x01\"\\b";
        let items = inspect(Proto::Coap, get);
        let Outcome::Packet { json, .. } = &items[0].outcome else {
            panic!("{items:?}");
        };
        assert_eq!(
            json.to_string(),
            concat!(
                r#"{"type":"CON","message_id":1,"message":{"#,
                r#""code":{"class":0,"detail":1,"name":"GET"},"token":"","#,
                r#""options":[{"number":11,"name":"Uri-Path","critical":true,"#,
                r#""value":"61080c01225c62","text":"a\b\f\u0001\"\\b","valid":true}],"#,
                r#""bad_critical_option":null,"payload":""}}"#
            )
        );
    }

    #[test]
    fn differences() {
        assert_eq!(first_difference(b"abc", b"abc"), None);
        assert_eq!(first_difference(b"abc", b"abd"), Some(2));
        assert_eq!(first_difference(b"ab", b"abc"), Some(2));
        assert_eq!(first_difference(b"", b"x"), Some(0));
    }
}
