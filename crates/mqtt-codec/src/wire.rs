//! The MQTT wire layer: stateless, borrowing decode and encode of every
//! control packet of MQTT 3.1, 3.1.1 and 5.0.
//!
//! ```
//! use mqtt_codec::wire::{Ack, DecodeOptions, Packet, ProtocolVersion};
//! use mqtt_codec::Decoded;
//!
//! let v = ProtocolVersion::V5;
//! let mut out = [0u8; 8];
//! let n = Packet::Puback(Ack::new(7)).encode_to_slice(v, &mut out).unwrap();
//! assert_eq!(&out[..n], &[0x40, 0x02, 0x00, 0x07]);
//!
//! // the defaults, or every limit and policy spelled out
//! let got = Packet::decode(&out[..n], v).unwrap();
//! let options = DecodeOptions::new().max_packet_size(256).strict_reason_codes(true);
//! assert_eq!(Packet::decode_with(&out[..n], v, &options).unwrap(), got);
//! assert_eq!(got, Decoded::Complete { item: Packet::Puback(Ack::new(7)), consumed: 4 });
//! ```

use core::fmt;

use iotcodec_core::Reader;

use crate::error::DecodeError;
pub use crate::primitives::{FixedHeader, MAX_VBI};
pub use crate::props::{Element, Iter, List, Properties, Property, PropertyValue};

#[cfg(feature = "arbitrary")]
mod arb;
mod decode;
mod encode;
mod options;
#[cfg(feature = "alloc")]
pub mod owned;
mod reason_code;
#[cfg(all(test, feature = "alloc"))]
mod tests;

#[cfg(feature = "arbitrary")]
pub use arb::{ArbVersion, ArbitraryPacket};
pub use options::{DecodeOptions, MAX_PACKET_SIZE};
#[cfg(feature = "alloc")]
pub use owned::OwnedPacket;
pub use reason_code::ReasonCode;

/// The MQTT protocol version.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProtocolVersion {
    /// MQTT 3.1: protocol name `MQIsdp`, level 3.
    V3_1,
    /// MQTT 3.1.1: protocol name `MQTT`, level 4.
    V3_1_1,
    /// MQTT 5.0: protocol name `MQTT`, level 5.
    V5,
}

impl ProtocolVersion {
    /// The protocol level byte of CONNECT.
    pub fn level(self) -> u8 {
        match self {
            Self::V3_1 => 3,
            Self::V3_1_1 => 4,
            Self::V5 => 5,
        }
    }

    /// The protocol name of CONNECT.
    pub fn protocol_name(self) -> &'static str {
        match self {
            Self::V3_1 => "MQIsdp",
            _ => "MQTT",
        }
    }

    fn is_v5(self) -> bool {
        self == Self::V5
    }
}

/// Quality of service.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QoS {
    /// At most once.
    AtMostOnce = 0,
    /// At least once.
    AtLeastOnce = 1,
    /// Exactly once.
    ExactlyOnce = 2,
}

impl QoS {
    /// The QoS for `bits` (0..=2), `None` for anything else.
    pub fn from_bits(bits: u8) -> Option<Self> {
        match bits {
            0 => Some(Self::AtMostOnce),
            1 => Some(Self::AtLeastOnce),
            2 => Some(Self::ExactlyOnce),
            _ => None,
        }
    }
}

/// What to do with retained messages when subscribing (MQTT 5).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RetainHandling {
    /// Send retained messages at subscribe time.
    #[default]
    SendAtSubscribe = 0,
    /// Send them only if the subscription did not exist.
    SendIfNew = 1,
    /// Do not send retained messages.
    DoNotSend = 2,
}

/// The options byte of one subscription.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscriptionOptions {
    /// Maximum QoS.
    pub qos: QoS,
    /// MQTT 5 No Local.
    pub no_local: bool,
    /// MQTT 5 Retain As Published.
    pub retain_as_published: bool,
    /// MQTT 5 Retain Handling.
    pub retain_handling: RetainHandling,
}

impl SubscriptionOptions {
    /// Options with `qos` and every MQTT 5 flag off.
    pub fn qos(qos: QoS) -> Self {
        Self {
            qos,
            no_local: false,
            retain_as_published: false,
            retain_handling: RetainHandling::SendAtSubscribe,
        }
    }

    pub(crate) fn byte(self) -> u8 {
        self.qos as u8
            | u8::from(self.no_local) << 2
            | u8::from(self.retain_as_published) << 3
            | (self.retain_handling as u8) << 4
    }

    fn parse(b: u8, version: ProtocolVersion) -> Result<Self, DecodeError> {
        let reserved = if version.is_v5() { 0xC0 } else { 0xFC };
        if b & reserved != 0 {
            return Err(DecodeError::ReservedSubscriptionOptions(b));
        }
        let qos = QoS::from_bits(b & 3).ok_or(DecodeError::ReservedSubscriptionOptions(b))?;
        let retain_handling = match (b >> 4) & 3 {
            0 => RetainHandling::SendAtSubscribe,
            1 => RetainHandling::SendIfNew,
            2 => RetainHandling::DoNotSend,
            _ => return Err(DecodeError::InvalidRetainHandling),
        };
        Ok(Self {
            qos,
            no_local: b & 4 != 0,
            retain_as_published: b & 8 != 0,
            retain_handling,
        })
    }
}

/// One topic filter of a SUBSCRIBE with its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subscription<'a> {
    /// The topic filter.
    pub filter: &'a str,
    /// The options.
    pub options: SubscriptionOptions,
}

impl<'a> Element<'a> for Subscription<'a> {
    fn read_validated(r: &mut Reader<'a>) -> Option<Self> {
        let filter = core::str::from_utf8(r.u16_prefixed().ok()?).ok()?;
        let options = SubscriptionOptions::parse(r.u8().ok()?, ProtocolVersion::V5).ok()?;
        Some(Self { filter, options })
    }
}

impl<'a> Element<'a> for &'a str {
    fn read_validated(r: &mut Reader<'a>) -> Option<Self> {
        core::str::from_utf8(r.u16_prefixed().ok()?).ok()
    }
}

/// The subscriptions of a SUBSCRIBE.
pub type Subscriptions<'a> = List<'a, Subscription<'a>>;
/// The topic filters of an UNSUBSCRIBE.
pub type TopicFilters<'a> = List<'a, &'a str>;

/// The will message of a CONNECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Will<'a> {
    /// Will QoS.
    pub qos: QoS,
    /// Will Retain.
    pub retain: bool,
    /// MQTT 5 will properties.
    pub properties: Properties<'a>,
    /// Will topic.
    pub topic: &'a str,
    /// Will payload.
    pub payload: &'a [u8],
}

/// CONNECT. It carries its own protocol version.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Connect<'a> {
    /// The version named by the protocol name and level.
    pub protocol: ProtocolVersion,
    /// Clean Session (3.x) / Clean Start (5).
    pub clean_start: bool,
    /// Keep alive, seconds.
    pub keep_alive: u16,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
    /// Client identifier.
    pub client_id: &'a str,
    /// The will message.
    pub will: Option<Will<'a>>,
    /// User name.
    pub username: Option<&'a str>,
    /// Password (redacted in `Debug`).
    pub password: Option<&'a [u8]>,
}

impl fmt::Debug for Connect<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connect")
            .field("protocol", &self.protocol)
            .field("clean_start", &self.clean_start)
            .field("keep_alive", &self.keep_alive)
            .field("properties", &self.properties)
            .field("client_id", &self.client_id)
            .field("will", &self.will)
            .field("username", &self.username)
            .field("password", &self.password.map(|_| "<redacted>"))
            .finish()
    }
}

/// CONNACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connack<'a> {
    /// Session Present.
    pub session_present: bool,
    /// Reason code (5) or return code (3.x).
    pub reason_code: ReasonCode,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
}

/// PUBLISH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Publish<'a> {
    /// Duplicate delivery flag.
    pub dup: bool,
    /// Quality of service.
    pub qos: QoS,
    /// Retain flag.
    pub retain: bool,
    /// Topic name (empty only with a MQTT 5 Topic Alias).
    pub topic: &'a str,
    /// Packet identifier: present exactly when QoS > 0.
    pub packet_id: Option<u16>,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
    /// Application message.
    pub payload: &'a [u8],
}

/// PUBACK, PUBREC, PUBREL or PUBCOMP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ack<'a> {
    /// Packet identifier.
    pub packet_id: u16,
    /// MQTT 5 reason code (success in 3.x).
    pub reason_code: ReasonCode,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
}

impl Ack<'_> {
    /// A success acknowledgement of `packet_id`.
    pub fn new(packet_id: u16) -> Self {
        Self {
            packet_id,
            reason_code: ReasonCode::SUCCESS,
            properties: Properties::empty(),
        }
    }
}

/// SUBSCRIBE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subscribe<'a> {
    /// Packet identifier.
    pub packet_id: u16,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
    /// Topic filters with options (at least one).
    pub subscriptions: Subscriptions<'a>,
}

/// SUBACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suback<'a> {
    /// Packet identifier.
    pub packet_id: u16,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
    /// One reason (return) code byte per subscription.
    pub reason_codes: &'a [u8],
}

/// UNSUBSCRIBE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsubscribe<'a> {
    /// Packet identifier.
    pub packet_id: u16,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
    /// Topic filters (at least one).
    pub filters: TopicFilters<'a>,
}

/// UNSUBACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsuback<'a> {
    /// Packet identifier.
    pub packet_id: u16,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
    /// MQTT 5 reason code bytes, one per filter (empty in 3.x).
    pub reason_codes: &'a [u8],
}

/// DISCONNECT (or AUTH, which has the same shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Disconnect<'a> {
    /// MQTT 5 reason code.
    pub reason_code: ReasonCode,
    /// MQTT 5 properties.
    pub properties: Properties<'a>,
}

/// AUTH (MQTT 5 only). Authentication Data is redacted in `Debug`.
pub type Auth<'a> = Disconnect<'a>;

/// One MQTT control packet, borrowing from the decoded input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Packet<'a> {
    /// CONNECT (1).
    Connect(Connect<'a>),
    /// CONNACK (2).
    Connack(Connack<'a>),
    /// PUBLISH (3).
    Publish(Publish<'a>),
    /// PUBACK (4).
    Puback(Ack<'a>),
    /// PUBREC (5).
    Pubrec(Ack<'a>),
    /// PUBREL (6).
    Pubrel(Ack<'a>),
    /// PUBCOMP (7).
    Pubcomp(Ack<'a>),
    /// SUBSCRIBE (8).
    Subscribe(Subscribe<'a>),
    /// SUBACK (9).
    Suback(Suback<'a>),
    /// UNSUBSCRIBE (10).
    Unsubscribe(Unsubscribe<'a>),
    /// UNSUBACK (11).
    Unsuback(Unsuback<'a>),
    /// PINGREQ (12).
    Pingreq,
    /// PINGRESP (13).
    Pingresp,
    /// DISCONNECT (14).
    Disconnect(Disconnect<'a>),
    /// AUTH (15), MQTT 5 only.
    Auth(Auth<'a>),
}
