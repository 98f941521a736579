//! The MQTT wire layer: stateless, borrowing decode and encode of every
//! control packet of MQTT 3.1, 3.1.1 and 5.0.

use core::fmt;

use iotcodec_core::{Decoded, Reader, Writer};

use crate::error::{DecodeError, EncodeError};
use crate::props::{ctx, properties_len, put_prefixed, read_properties, write_properties};
pub use crate::props::{Element, Iter, List, Properties, Property, PropertyValue};
use crate::topic::{parse_shared, validate_topic_filter, validate_topic_name};

#[cfg(feature = "alloc")]
pub mod owned;
#[cfg(feature = "alloc")]
pub use owned::OwnedPacket;

#[cfg(feature = "arbitrary")]
pub use crate::arb::{ArbVersion, ArbitraryPacket};

/// The largest value a Variable Byte Integer holds (268,435,455).
pub const MAX_VBI: u32 = 268_435_455;

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

/// A reason code (MQTT 5) or CONNACK return code (MQTT 3); an open newtype
/// so that unknown values round-trip.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ReasonCode(pub u8);

impl ReasonCode {
    /// 0x00: Success.
    pub const SUCCESS: Self = Self(0x00);
    /// 0x00: Normal disconnection.
    pub const NORMAL_DISCONNECTION: Self = Self(0x00);
    /// 0x00: Granted QoS 0.
    pub const GRANTED_QOS_0: Self = Self(0x00);
    /// 0x01: Granted QoS 1.
    pub const GRANTED_QOS_1: Self = Self(0x01);
    /// 0x02: Granted QoS 2.
    pub const GRANTED_QOS_2: Self = Self(0x02);
    /// 0x04: Disconnect with will message.
    pub const DISCONNECT_WITH_WILL_MESSAGE: Self = Self(0x04);
    /// 0x10: No matching subscribers.
    pub const NO_MATCHING_SUBSCRIBERS: Self = Self(0x10);
    /// 0x11: No subscription existed.
    pub const NO_SUBSCRIPTION_EXISTED: Self = Self(0x11);
    /// 0x18: Continue authentication.
    pub const CONTINUE_AUTHENTICATION: Self = Self(0x18);
    /// 0x19: Re authenticate.
    pub const RE_AUTHENTICATE: Self = Self(0x19);
    /// 0x80: Unspecified error.
    pub const UNSPECIFIED_ERROR: Self = Self(0x80);
    /// 0x81: Malformed packet.
    pub const MALFORMED_PACKET: Self = Self(0x81);
    /// 0x82: Protocol error.
    pub const PROTOCOL_ERROR: Self = Self(0x82);
    /// 0x83: Implementation specific error.
    pub const IMPLEMENTATION_SPECIFIC_ERROR: Self = Self(0x83);
    /// 0x84: Unsupported protocol version.
    pub const UNSUPPORTED_PROTOCOL_VERSION: Self = Self(0x84);
    /// 0x85: Client identifier not valid.
    pub const CLIENT_IDENTIFIER_NOT_VALID: Self = Self(0x85);
    /// 0x86: Bad user name or password.
    pub const BAD_USER_NAME_OR_PASSWORD: Self = Self(0x86);
    /// 0x87: Not authorized.
    pub const NOT_AUTHORIZED: Self = Self(0x87);
    /// 0x88: Server unavailable.
    pub const SERVER_UNAVAILABLE: Self = Self(0x88);
    /// 0x89: Server busy.
    pub const SERVER_BUSY: Self = Self(0x89);
    /// 0x8A: Banned.
    pub const BANNED: Self = Self(0x8A);
    /// 0x8B: Server shutting down.
    pub const SERVER_SHUTTING_DOWN: Self = Self(0x8B);
    /// 0x8C: Bad authentication method.
    pub const BAD_AUTHENTICATION_METHOD: Self = Self(0x8C);
    /// 0x8D: Keep alive timeout.
    pub const KEEP_ALIVE_TIMEOUT: Self = Self(0x8D);
    /// 0x8E: Session taken over.
    pub const SESSION_TAKEN_OVER: Self = Self(0x8E);
    /// 0x8F: Topic filter invalid.
    pub const TOPIC_FILTER_INVALID: Self = Self(0x8F);
    /// 0x90: Topic name invalid.
    pub const TOPIC_NAME_INVALID: Self = Self(0x90);
    /// 0x91: Packet identifier in use.
    pub const PACKET_IDENTIFIER_IN_USE: Self = Self(0x91);
    /// 0x92: Packet identifier not found.
    pub const PACKET_IDENTIFIER_NOT_FOUND: Self = Self(0x92);
    /// 0x93: Receive maximum exceeded.
    pub const RECEIVE_MAXIMUM_EXCEEDED: Self = Self(0x93);
    /// 0x94: Topic alias invalid.
    pub const TOPIC_ALIAS_INVALID: Self = Self(0x94);
    /// 0x95: Packet too large.
    pub const PACKET_TOO_LARGE: Self = Self(0x95);
    /// 0x96: Message rate too high.
    pub const MESSAGE_RATE_TOO_HIGH: Self = Self(0x96);
    /// 0x97: Quota exceeded.
    pub const QUOTA_EXCEEDED: Self = Self(0x97);
    /// 0x98: Administrative action.
    pub const ADMINISTRATIVE_ACTION: Self = Self(0x98);
    /// 0x99: Payload format invalid.
    pub const PAYLOAD_FORMAT_INVALID: Self = Self(0x99);
    /// 0x9A: Retain not supported.
    pub const RETAIN_NOT_SUPPORTED: Self = Self(0x9A);
    /// 0x9B: QoS not supported.
    pub const QOS_NOT_SUPPORTED: Self = Self(0x9B);
    /// 0x9C: Use another server.
    pub const USE_ANOTHER_SERVER: Self = Self(0x9C);
    /// 0x9D: Server moved.
    pub const SERVER_MOVED: Self = Self(0x9D);
    /// 0x9E: Shared subscriptions not supported.
    pub const SHARED_SUBSCRIPTIONS_NOT_SUPPORTED: Self = Self(0x9E);
    /// 0x9F: Connection rate exceeded.
    pub const CONNECTION_RATE_EXCEEDED: Self = Self(0x9F);
    /// 0xA0: Maximum connect time.
    pub const MAXIMUM_CONNECT_TIME: Self = Self(0xA0);
    /// 0xA1: Subscription identifiers not supported.
    pub const SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED: Self = Self(0xA1);
    /// 0xA2: Wildcard subscriptions not supported.
    pub const WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED: Self = Self(0xA2);
}

impl ReasonCode {
    /// Whether the code reports a failure (0x80 and above).
    pub fn is_error(self) -> bool {
        self.0 >= 0x80
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

/// The fixed header of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedHeader {
    /// The first byte: type in the high nibble, flags in the low one.
    pub first_byte: u8,
    /// The remaining length.
    pub remaining_length: u32,
    /// Bytes of the fixed header (2..=5).
    pub header_len: usize,
}

impl FixedHeader {
    /// The packet type (1..=15; 0 is reserved).
    pub fn packet_type(&self) -> u8 {
        self.first_byte >> 4
    }

    /// The whole packet's size.
    pub fn packet_len(&self) -> usize {
        self.header_len + self.remaining_length as usize
    }

    /// Reads a fixed header from the front of `buf`. Only the Variable Byte
    /// Integer rule is checked here.
    pub fn decode(buf: &[u8]) -> Result<Decoded<Self>, DecodeError> {
        let Some((&first_byte, rest)) = buf.split_first() else {
            return Ok(Decoded::needs(2));
        };
        match parse_vbi(rest) {
            Vbi::Value(remaining_length, n) => Ok(Decoded::Complete {
                item: Self {
                    first_byte,
                    remaining_length,
                    header_len: 1 + n,
                },
                consumed: 1 + n,
            }),
            Vbi::Incomplete => Ok(Decoded::needs(1)),
            Vbi::Malformed => Err(DecodeError::MalformedVarInt),
        }
    }
}

pub(crate) enum Vbi {
    Value(u32, usize),
    Incomplete,
    Malformed,
}

/// Parses a minimally encoded Variable Byte Integer of at most 4 bytes.
pub(crate) fn parse_vbi(buf: &[u8]) -> Vbi {
    let mut v = 0u32;
    for i in 0..4 {
        let Some(&b) = buf.get(i) else {
            return Vbi::Incomplete;
        };
        v |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if i > 0 && b == 0 {
                return Vbi::Malformed;
            }
            return Vbi::Value(v, i + 1);
        }
    }
    Vbi::Malformed
}

/// Bytes of the Variable Byte Integer for `v`.
pub(crate) fn vbi_len(v: u32) -> usize {
    match v {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

pub(crate) fn write_vbi(w: &mut Writer<'_>, mut v: u32) -> Result<(), EncodeError> {
    if v > MAX_VBI {
        return Err(EncodeError::PacketTooLarge(v as usize));
    }
    loop {
        let mut b = (v & 0x7f) as u8;
        v >>= 7;
        if v > 0 {
            b |= 0x80;
        }
        w.put_u8(b)?;
        if v == 0 {
            return Ok(());
        }
    }
}

/// Validates a decoded UTF-8 string field.
pub(crate) fn read_utf8(b: &[u8]) -> Result<&str, DecodeError> {
    let s = core::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8)?;
    if b.contains(&0) {
        return Err(DecodeError::NulInString);
    }
    Ok(s)
}

/// Encoded size of a string field, checking it can be encoded.
pub(crate) fn check_str(s: &str) -> Result<usize, EncodeError> {
    if s.as_bytes().contains(&0) {
        return Err(EncodeError::NulInString);
    }
    check_bin(s.as_bytes())
}

/// Encoded size of a binary field, checking it can be encoded.
pub(crate) fn check_bin(b: &[u8]) -> Result<usize, EncodeError> {
    if b.len() > usize::from(u16::MAX) {
        return Err(EncodeError::FieldTooLong(b.len()));
    }
    Ok(2 + b.len())
}

/// A reader bounded to one packet's body.
struct Body<'a>(Reader<'a>);

impl<'a> Body<'a> {
    fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        self.0.u8().map_err(|_| DecodeError::Truncated(what))
    }
    fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        self.0.u16().map_err(|_| DecodeError::Truncated(what))
    }
    fn pid(&mut self) -> Result<u16, DecodeError> {
        match self.u16("packet identifier")? {
            0 => Err(DecodeError::ZeroPacketId),
            p => Ok(p),
        }
    }
    fn bin(&mut self, what: &'static str) -> Result<&'a [u8], DecodeError> {
        self.0
            .u16_prefixed()
            .map_err(|_| DecodeError::Truncated(what))
    }
    fn str(&mut self, what: &'static str) -> Result<&'a str, DecodeError> {
        read_utf8(self.bin(what)?)
    }
    fn props(&mut self, v: ProtocolVersion, place: u16) -> Result<Properties<'a>, DecodeError> {
        if v.is_v5() {
            read_properties(&mut self.0, place)
        } else {
            Ok(Properties::empty())
        }
    }
    fn end(&self) -> Result<(), DecodeError> {
        match self.0.remaining() {
            0 => Ok(()),
            n => Err(DecodeError::TrailingBytes(n)),
        }
    }
}

fn required_flags(packet_type: u8) -> u8 {
    match packet_type {
        6 | 8 | 10 => 0b0010,
        _ => 0,
    }
}

/// Limits and policies for [`Packet::decode_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The largest whole packet (fixed header included) accepted.
    pub max_packet_size: usize,
    /// Also reject strings holding control characters or non-characters
    /// (what the specification says senders SHOULD NOT send).
    pub strict_strings: bool,
}

impl DecodeOptions {
    /// Options with `max_packet_size` and the lenient string policy.
    pub const fn new(max_packet_size: usize) -> Self {
        Self {
            max_packet_size,
            strict_strings: false,
        }
    }

    /// The same options with the strict string policy on or off.
    pub const fn strict_strings(mut self, on: bool) -> Self {
        self.strict_strings = on;
        self
    }
}

/// Whether `c` is a character senders SHOULD NOT use (spec 1.5.4).
fn discouraged(c: char) -> bool {
    let c = u32::from(c);
    matches!(c, 0x01..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF) || c & 0xFFFE == 0xFFFE
}

impl<'a> Packet<'a> {
    /// Decodes like [`Packet::decode`] with the limits and policies of
    /// `options`.
    pub fn decode_with(
        buf: &'a [u8],
        version: ProtocolVersion,
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let decoded = Self::decode(buf, version, options.max_packet_size)?;
        if options.strict_strings {
            if let Decoded::Complete { item, .. } = &decoded {
                if !item.strings_pass(&|s: &str| !s.chars().any(discouraged)) {
                    return Err(DecodeError::DiscouragedCharacter);
                }
            }
        }
        Ok(decoded)
    }

    /// Whether every UTF-8 string of the packet passes `ok`.
    fn strings_pass(&self, ok: &dyn Fn(&str) -> bool) -> bool {
        let props_ok = |p: &Properties<'_>| {
            p.iter().all(|p| match p.value() {
                PropertyValue::Str(s) => ok(s),
                PropertyValue::Pair(k, v) => ok(k) && ok(v),
                _ => true,
            })
        };
        match self {
            Self::Connect(c) => {
                props_ok(&c.properties)
                    && ok(c.client_id)
                    && c.username.map_or(true, ok)
                    && c.will
                        .map_or(true, |w| ok(w.topic) && props_ok(&w.properties))
            }
            Self::Connack(c) => props_ok(&c.properties),
            Self::Publish(p) => ok(p.topic) && props_ok(&p.properties),
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a) => {
                props_ok(&a.properties)
            }
            Self::Subscribe(s) => {
                props_ok(&s.properties) && s.subscriptions.iter().all(|x| ok(x.filter))
            }
            Self::Suback(s) => props_ok(&s.properties),
            Self::Unsubscribe(u) => props_ok(&u.properties) && u.filters.iter().all(ok),
            Self::Unsuback(u) => props_ok(&u.properties),
            Self::Disconnect(d) | Self::Auth(d) => props_ok(&d.properties),
            Self::Pingreq | Self::Pingresp => true,
        }
    }

    /// Decodes the packet at the front of `buf`.
    ///
    /// `version` is the version of the connection; a CONNECT names its own
    /// version and decodes whatever `version` says. Packets larger than
    /// `max_packet_size` (the whole packet, fixed header included) are an
    /// error as soon as the fixed header is read.
    pub fn decode(
        buf: &'a [u8],
        version: ProtocolVersion,
        max_packet_size: usize,
    ) -> Result<Decoded<Self>, DecodeError> {
        let header = match FixedHeader::decode(buf)? {
            Decoded::Complete { item, .. } => item,
            Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
        };
        let size = header.packet_len();
        if size > max_packet_size {
            return Err(DecodeError::PacketTooLarge {
                size,
                max: max_packet_size,
            });
        }
        let ty = header.packet_type();
        let flags = header.first_byte & 0x0f;
        if ty == 0 || (ty == 15 && !version.is_v5()) {
            return Err(DecodeError::InvalidPacketType(ty));
        }
        if ty == 3 {
            if flags & 0b0110 == 0b0110 {
                return Err(DecodeError::InvalidQoS);
            }
            if flags & 0b1110 == 0b1000 {
                return Err(DecodeError::DupWithQoS0);
            }
        } else if flags != required_flags(ty) {
            return Err(DecodeError::ReservedFlags {
                packet_type: ty,
                flags,
            });
        }
        let Some(body) = buf.get(header.header_len..size) else {
            return Ok(Decoded::needs(size - buf.len()));
        };
        let item = Self::decode_body(ty, flags, body, version)?;
        Ok(Decoded::Complete {
            item,
            consumed: size,
        })
    }

    fn decode_body(
        ty: u8,
        flags: u8,
        body: &'a [u8],
        v: ProtocolVersion,
    ) -> Result<Self, DecodeError> {
        let mut r = Body(Reader::new(body));
        let packet = match ty {
            1 => Self::Connect(decode_connect(&mut r)?),
            2 => {
                let f = r.u8("CONNACK flags")?;
                if f & 0xfe != 0 {
                    return Err(DecodeError::ConnackReservedFlags);
                }
                let reason_code = ReasonCode(r.u8("CONNACK reason code")?);
                Self::Connack(Connack {
                    session_present: f & 1 != 0,
                    reason_code,
                    properties: r.props(v, ctx::CONNACK)?,
                })
            }
            3 => {
                let qos = QoS::from_bits((flags >> 1) & 3).ok_or(DecodeError::InvalidQoS)?;
                let topic = r.str("topic name")?;
                let packet_id = if qos == QoS::AtMostOnce {
                    None
                } else {
                    Some(r.pid()?)
                };
                let properties = r.props(v, ctx::PUBLISH)?;
                if topic.is_empty() && v.is_v5() && properties.get(0x23).is_some() {
                    // a Topic Alias stands in for the topic name
                } else {
                    validate_topic_name(topic)?;
                }
                Self::Publish(Publish {
                    dup: flags & 8 != 0,
                    qos,
                    retain: flags & 1 != 0,
                    topic,
                    packet_id,
                    properties,
                    payload: r.0.rest(),
                })
            }
            4..=7 => {
                let packet_id = r.pid()?;
                let mut ack = Ack::new(packet_id);
                if v.is_v5() && !r.0.is_empty() {
                    ack.reason_code = ReasonCode(r.u8("reason code")?);
                    if !r.0.is_empty() {
                        ack.properties = read_properties(&mut r.0, ctx::ACK)?;
                    }
                }
                match ty {
                    4 => Self::Puback(ack),
                    5 => Self::Pubrec(ack),
                    6 => Self::Pubrel(ack),
                    _ => Self::Pubcomp(ack),
                }
            }
            8 => {
                let packet_id = r.pid()?;
                let properties = r.props(v, ctx::SUBSCRIBE)?;
                let start = r.0.peek_rest();
                if start.is_empty() {
                    return Err(DecodeError::EmptySubscribe);
                }
                while !r.0.is_empty() {
                    let filter = r.str("topic filter")?;
                    let options = SubscriptionOptions::parse(r.u8("subscription options")?, v)?;
                    validate_topic_filter(filter)?;
                    if v.is_v5() && parse_shared(filter)?.is_some() && options.no_local {
                        return Err(DecodeError::NoLocalOnShared);
                    }
                }
                Self::Subscribe(Subscribe {
                    packet_id,
                    properties,
                    subscriptions: List::from_raw(start),
                })
            }
            9 => {
                let packet_id = r.pid()?;
                let properties = r.props(v, ctx::SUBACK)?;
                let reason_codes = r.0.rest();
                if !v.is_v5() {
                    if let Some(&c) = reason_codes.iter().find(|c| !matches!(c, 0 | 1 | 2 | 0x80)) {
                        return Err(DecodeError::InvalidSubackCode(c));
                    }
                }
                Self::Suback(Suback {
                    packet_id,
                    properties,
                    reason_codes,
                })
            }
            10 => {
                let packet_id = r.pid()?;
                let properties = r.props(v, ctx::UNSUBSCRIBE)?;
                let start = r.0.peek_rest();
                if start.is_empty() {
                    return Err(DecodeError::EmptyUnsubscribe);
                }
                while !r.0.is_empty() {
                    let filter = r.str("topic filter")?;
                    validate_topic_filter(filter)?;
                    if v.is_v5() {
                        parse_shared(filter)?;
                    }
                }
                Self::Unsubscribe(Unsubscribe {
                    packet_id,
                    properties,
                    filters: List::from_raw(start),
                })
            }
            11 => {
                let packet_id = r.pid()?;
                let properties = r.props(v, ctx::UNSUBACK)?;
                Self::Unsuback(Unsuback {
                    packet_id,
                    properties,
                    reason_codes: if v.is_v5() { r.0.rest() } else { &[] },
                })
            }
            12 => Self::Pingreq,
            13 => Self::Pingresp,
            14 | 15 => {
                let mut d = Disconnect::default();
                if v.is_v5() && !r.0.is_empty() {
                    d.reason_code = ReasonCode(r.u8("reason code")?);
                    if !r.0.is_empty() {
                        let place = if ty == 14 { ctx::DISCONNECT } else { ctx::AUTH };
                        d.properties = read_properties(&mut r.0, place)?;
                    }
                }
                if ty == 14 {
                    Self::Disconnect(d)
                } else {
                    Self::Auth(d)
                }
            }
            _ => return Err(DecodeError::InvalidPacketType(ty)),
        };
        r.end()?;
        Ok(packet)
    }
}

fn decode_connect<'a>(r: &mut Body<'a>) -> Result<Connect<'a>, DecodeError> {
    let name = r.bin("protocol name")?;
    let level = r.u8("protocol level")?;
    let protocol = match (name, level) {
        (b"MQIsdp", 3) => ProtocolVersion::V3_1,
        (b"MQTT", 4) => ProtocolVersion::V3_1_1,
        (b"MQTT", 5) => ProtocolVersion::V5,
        (b"MQIsdp" | b"MQTT", l) => return Err(DecodeError::UnsupportedProtocolLevel(l)),
        _ => return Err(DecodeError::InvalidProtocolName),
    };
    let flags = r.u8("connect flags")?;
    if flags & 1 != 0 {
        return Err(DecodeError::ConnectReservedFlag);
    }
    let will_flag = flags & 0x04 != 0;
    let will_qos = (flags >> 3) & 3;
    let will_retain = flags & 0x20 != 0;
    if !will_flag && will_qos != 0 {
        return Err(DecodeError::WillQoSWithoutWill);
    }
    if will_qos == 3 {
        return Err(DecodeError::InvalidWillQoS);
    }
    if !will_flag && will_retain {
        return Err(DecodeError::WillRetainWithoutWill);
    }
    let has_user = flags & 0x80 != 0;
    let has_pass = flags & 0x40 != 0;
    if has_pass && !has_user && !protocol.is_v5() {
        return Err(DecodeError::PasswordWithoutUsername);
    }
    let keep_alive = r.u16("keep alive")?;
    let properties = r.props(protocol, ctx::CONNECT)?;
    let client_id = r.str("client identifier")?;
    let will = if will_flag {
        let properties = r.props(protocol, ctx::WILL)?;
        let topic = r.str("will topic")?;
        validate_topic_name(topic)?;
        Some(Will {
            qos: QoS::from_bits(will_qos).ok_or(DecodeError::InvalidWillQoS)?,
            retain: will_retain,
            properties,
            topic,
            payload: r.bin("will payload")?,
        })
    } else {
        None
    };
    let username = if has_user {
        Some(r.str("user name")?)
    } else {
        None
    };
    let password = if has_pass {
        Some(r.bin("password")?)
    } else {
        None
    };
    Ok(Connect {
        protocol,
        clean_start: flags & 0x02 != 0,
        keep_alive,
        properties,
        client_id,
        will,
        username,
        password,
    })
}

// ---------------------------------------------------------------- encoding

/// Length of the properties field (length prefix included), or an error if
/// `v` cannot carry non-empty properties.
fn props_field_len(
    p: &Properties<'_>,
    v: ProtocolVersion,
    place: u16,
) -> Result<usize, EncodeError> {
    if !v.is_v5() {
        return if p.is_empty() {
            Ok(0)
        } else {
            Err(EncodeError::NotInVersion("properties"))
        };
    }
    let len = properties_len(p, place)?;
    Ok(vbi_len(len as u32) + len)
}

fn put_props(
    w: &mut Writer<'_>,
    p: &Properties<'_>,
    v: ProtocolVersion,
    place: u16,
) -> Result<(), EncodeError> {
    if v.is_v5() {
        let len = properties_len(p, place)?;
        write_properties(w, p, len)?;
    }
    Ok(())
}

fn pid_ok(pid: u16) -> Result<(), EncodeError> {
    if pid == 0 {
        Err(EncodeError::InvalidPacketId)
    } else {
        Ok(())
    }
}

/// How an acknowledgement-like packet is laid out in MQTT 5.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Short {
    /// Nothing after the fixed fields (reason success, no properties).
    Bare,
    /// Reason code only.
    Reason,
    /// Reason code and properties.
    Full,
}

fn short_form(reason: ReasonCode, props: &Properties<'_>) -> Short {
    if !props.is_empty() {
        Short::Full
    } else if reason == ReasonCode::SUCCESS {
        Short::Bare
    } else {
        Short::Reason
    }
}

impl Packet<'_> {
    /// The packet type (1..=15).
    pub fn packet_type(&self) -> u8 {
        match self {
            Self::Connect(_) => 1,
            Self::Connack(_) => 2,
            Self::Publish(_) => 3,
            Self::Puback(_) => 4,
            Self::Pubrec(_) => 5,
            Self::Pubrel(_) => 6,
            Self::Pubcomp(_) => 7,
            Self::Subscribe(_) => 8,
            Self::Suback(_) => 9,
            Self::Unsubscribe(_) => 10,
            Self::Unsuback(_) => 11,
            Self::Pingreq => 12,
            Self::Pingresp => 13,
            Self::Disconnect(_) => 14,
            Self::Auth(_) => 15,
        }
    }

    /// The packet type's name, e.g. `"PUBLISH"`.
    pub fn name(&self) -> &'static str {
        [
            "RESERVED",
            "CONNECT",
            "CONNACK",
            "PUBLISH",
            "PUBACK",
            "PUBREC",
            "PUBREL",
            "PUBCOMP",
            "SUBSCRIBE",
            "SUBACK",
            "UNSUBSCRIBE",
            "UNSUBACK",
            "PINGREQ",
            "PINGRESP",
            "DISCONNECT",
            "AUTH",
        ][usize::from(self.packet_type())]
    }

    fn first_byte(&self) -> u8 {
        let flags = match self {
            Self::Publish(p) => u8::from(p.dup) << 3 | (p.qos as u8) << 1 | u8::from(p.retain),
            _ => required_flags(self.packet_type()),
        };
        self.packet_type() << 4 | flags
    }

    /// The remaining length, validating every field.
    fn body_len(&self, v: ProtocolVersion) -> Result<usize, EncodeError> {
        Ok(match self {
            Self::Connect(c) => connect_len(c)?,
            Self::Connack(c) => 2 + props_field_len(&c.properties, v, ctx::CONNACK)?,
            Self::Publish(p) => {
                match (p.qos, p.packet_id) {
                    (QoS::AtMostOnce, None) => {
                        if p.dup {
                            return Err(EncodeError::Invalid("DUP with QoS 0"));
                        }
                    }
                    (QoS::AtLeastOnce | QoS::ExactlyOnce, Some(id)) => pid_ok(id)?,
                    _ => return Err(EncodeError::InvalidPacketId),
                }
                let props = props_field_len(&p.properties, v, ctx::PUBLISH)?;
                if !(p.topic.is_empty() && v.is_v5() && p.properties.get(0x23).is_some()) {
                    validate_topic_name(p.topic)?;
                }
                check_str(p.topic)?
                    + 2 * usize::from(p.packet_id.is_some())
                    + props
                    + p.payload.len()
            }
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a) => {
                pid_ok(a.packet_id)?;
                if v.is_v5() {
                    match short_form(a.reason_code, &a.properties) {
                        Short::Bare => 2,
                        Short::Reason => 3,
                        Short::Full => 3 + props_field_len(&a.properties, v, ctx::ACK)?,
                    }
                } else if a.reason_code != ReasonCode::SUCCESS || !a.properties.is_empty() {
                    return Err(EncodeError::NotInVersion("reason code"));
                } else {
                    2
                }
            }
            Self::Subscribe(s) => {
                pid_ok(s.packet_id)?;
                let mut n = 2 + props_field_len(&s.properties, v, ctx::SUBSCRIBE)?;
                if s.subscriptions.is_empty() {
                    return Err(EncodeError::Invalid("SUBSCRIBE without subscriptions"));
                }
                for sub in s.subscriptions.iter() {
                    validate_topic_filter(sub.filter)?;
                    let o = sub.options;
                    if !v.is_v5()
                        && (o.no_local
                            || o.retain_as_published
                            || o.retain_handling != RetainHandling::SendAtSubscribe)
                    {
                        return Err(EncodeError::NotInVersion("subscription options"));
                    }
                    if v.is_v5() && parse_shared(sub.filter)?.is_some() && o.no_local {
                        return Err(EncodeError::Invalid("No Local on a shared subscription"));
                    }
                    n += check_str(sub.filter)? + 1;
                }
                n
            }
            Self::Suback(s) => {
                pid_ok(s.packet_id)?;
                if !v.is_v5()
                    && s.reason_codes
                        .iter()
                        .any(|c| !matches!(c, 0 | 1 | 2 | 0x80))
                {
                    return Err(EncodeError::NotInVersion("SUBACK reason code"));
                }
                2 + props_field_len(&s.properties, v, ctx::SUBACK)? + s.reason_codes.len()
            }
            Self::Unsubscribe(u) => {
                pid_ok(u.packet_id)?;
                let mut n = 2 + props_field_len(&u.properties, v, ctx::UNSUBSCRIBE)?;
                if u.filters.is_empty() {
                    return Err(EncodeError::Invalid("UNSUBSCRIBE without filters"));
                }
                for f in u.filters.iter() {
                    validate_topic_filter(f)?;
                    if v.is_v5() {
                        parse_shared(f)?;
                    }
                    n += check_str(f)?;
                }
                n
            }
            Self::Unsuback(u) => {
                pid_ok(u.packet_id)?;
                if !v.is_v5() && !u.reason_codes.is_empty() {
                    return Err(EncodeError::NotInVersion("UNSUBACK reason codes"));
                }
                2 + props_field_len(&u.properties, v, ctx::UNSUBACK)? + u.reason_codes.len()
            }
            Self::Pingreq | Self::Pingresp => 0,
            Self::Disconnect(d) | Self::Auth(d) => {
                let place = if matches!(self, Self::Auth(_)) {
                    if !v.is_v5() {
                        return Err(EncodeError::NotInVersion("AUTH"));
                    }
                    ctx::AUTH
                } else {
                    ctx::DISCONNECT
                };
                if v.is_v5() {
                    match short_form(d.reason_code, &d.properties) {
                        Short::Bare => 0,
                        Short::Reason => 1,
                        Short::Full => 1 + props_field_len(&d.properties, v, place)?,
                    }
                } else if d.reason_code != ReasonCode::SUCCESS || !d.properties.is_empty() {
                    return Err(EncodeError::NotInVersion("reason code"));
                } else {
                    0
                }
            }
        })
    }

    /// The whole encoded size in protocol version `version` (a CONNECT uses
    /// its own version), checking that every field can be encoded.
    pub fn encoded_len(&self, version: ProtocolVersion) -> Result<usize, EncodeError> {
        total_len(self.body_len(version)?)
    }

    /// Encodes into the front of `out` and returns the bytes written.
    pub fn encode_to_slice(
        &self,
        version: ProtocolVersion,
        out: &mut [u8],
    ) -> Result<usize, EncodeError> {
        let body = self.body_len(version)?;
        let total = total_len(body)?;
        if out.len() < total {
            return Err(EncodeError::BufferTooSmall { required: total });
        }
        let mut w = Writer::new(out);
        w.put_u8(self.first_byte())?;
        write_vbi(&mut w, body as u32)?;
        self.write_body(version, &mut w)?;
        debug_assert_eq!(w.position(), total);
        Ok(total)
    }

    /// Appends the encoding to `out` and returns the bytes written.
    #[cfg(feature = "alloc")]
    pub fn encode<B: bytes::BufMut>(
        &self,
        version: ProtocolVersion,
        out: &mut B,
    ) -> Result<usize, EncodeError> {
        let total = self.encoded_len(version)?;
        if out.remaining_mut() < total {
            return Err(EncodeError::BufferTooSmall { required: total });
        }
        let mut buf = alloc::vec![0u8; total];
        self.encode_to_slice(version, &mut buf)?;
        out.put_slice(&buf);
        Ok(total)
    }

    /// Encodes into a new vector.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self, version: ProtocolVersion) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let mut buf = alloc::vec![0u8; self.encoded_len(version)?];
        self.encode_to_slice(version, &mut buf)?;
        Ok(buf)
    }

    fn write_body(&self, v: ProtocolVersion, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self {
            Self::Connect(c) => write_connect(c, w)?,
            Self::Connack(c) => {
                w.put_u8(u8::from(c.session_present))?;
                w.put_u8(c.reason_code.0)?;
                put_props(w, &c.properties, v, ctx::CONNACK)?;
            }
            Self::Publish(p) => {
                put_prefixed(w, p.topic.as_bytes())?;
                if let Some(id) = p.packet_id {
                    w.put_u16(id)?;
                }
                put_props(w, &p.properties, v, ctx::PUBLISH)?;
                w.put_slice(p.payload)?;
            }
            Self::Puback(a) | Self::Pubrec(a) | Self::Pubrel(a) | Self::Pubcomp(a) => {
                w.put_u16(a.packet_id)?;
                if v.is_v5() {
                    let form = short_form(a.reason_code, &a.properties);
                    if form != Short::Bare {
                        w.put_u8(a.reason_code.0)?;
                    }
                    if form == Short::Full {
                        put_props(w, &a.properties, v, ctx::ACK)?;
                    }
                }
            }
            Self::Subscribe(s) => {
                w.put_u16(s.packet_id)?;
                put_props(w, &s.properties, v, ctx::SUBSCRIBE)?;
                for sub in s.subscriptions.iter() {
                    put_prefixed(w, sub.filter.as_bytes())?;
                    w.put_u8(sub.options.byte())?;
                }
            }
            Self::Suback(s) => {
                w.put_u16(s.packet_id)?;
                put_props(w, &s.properties, v, ctx::SUBACK)?;
                w.put_slice(s.reason_codes)?;
            }
            Self::Unsubscribe(u) => {
                w.put_u16(u.packet_id)?;
                put_props(w, &u.properties, v, ctx::UNSUBSCRIBE)?;
                for f in u.filters.iter() {
                    put_prefixed(w, f.as_bytes())?;
                }
            }
            Self::Unsuback(u) => {
                w.put_u16(u.packet_id)?;
                put_props(w, &u.properties, v, ctx::UNSUBACK)?;
                w.put_slice(u.reason_codes)?;
            }
            Self::Pingreq | Self::Pingresp => {}
            Self::Disconnect(d) | Self::Auth(d) => {
                if v.is_v5() {
                    let place = if matches!(self, Self::Auth(_)) {
                        ctx::AUTH
                    } else {
                        ctx::DISCONNECT
                    };
                    let form = short_form(d.reason_code, &d.properties);
                    if form != Short::Bare {
                        w.put_u8(d.reason_code.0)?;
                    }
                    if form == Short::Full {
                        put_props(w, &d.properties, v, place)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The whole packet size for a remaining length of `body`.
fn total_len(body: usize) -> Result<usize, EncodeError> {
    let body32 = u32::try_from(body)
        .ok()
        .filter(|&b| b <= MAX_VBI)
        .ok_or(EncodeError::PacketTooLarge(body))?;
    Ok(1 + vbi_len(body32) + body)
}

fn connect_len(c: &Connect<'_>) -> Result<usize, EncodeError> {
    let v = c.protocol;
    let mut n = 2 + v.protocol_name().len() + 1 + 1 + 2;
    n += props_field_len(&c.properties, v, ctx::CONNECT)?;
    n += check_str(c.client_id)?;
    if let Some(w) = &c.will {
        validate_topic_name(w.topic)?;
        n += props_field_len(&w.properties, v, ctx::WILL)?;
        n += check_str(w.topic)? + check_bin(w.payload)?;
    }
    if let Some(u) = c.username {
        n += check_str(u)?;
    }
    if let Some(p) = c.password {
        if c.username.is_none() && !v.is_v5() {
            return Err(EncodeError::Invalid("password without user name"));
        }
        n += check_bin(p)?;
    }
    Ok(n)
}

fn write_connect(c: &Connect<'_>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
    let v = c.protocol;
    put_prefixed(w, v.protocol_name().as_bytes())?;
    w.put_u8(v.level())?;
    let mut flags = u8::from(c.clean_start) << 1;
    if let Some(will) = &c.will {
        flags |= 0x04 | (will.qos as u8) << 3 | u8::from(will.retain) << 5;
    }
    if c.password.is_some() {
        flags |= 0x40;
    }
    if c.username.is_some() {
        flags |= 0x80;
    }
    w.put_u8(flags)?;
    w.put_u16(c.keep_alive)?;
    put_props(w, &c.properties, v, ctx::CONNECT)?;
    put_prefixed(w, c.client_id.as_bytes())?;
    if let Some(will) = &c.will {
        put_props(w, &will.properties, v, ctx::WILL)?;
        put_prefixed(w, will.topic.as_bytes())?;
        put_prefixed(w, will.payload)?;
    }
    if let Some(u) = c.username {
        put_prefixed(w, u.as_bytes())?;
    }
    if let Some(p) = c.password {
        put_prefixed(w, p)?;
    }
    Ok(())
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    use alloc::{format, vec};

    fn vbi_bytes(v: u32) -> ([u8; 4], usize) {
        let mut buf = [0u8; 4];
        let mut w = Writer::new(&mut buf);
        write_vbi(&mut w, v).unwrap();
        let n = w.position();
        (buf, n)
    }

    #[test]
    fn vbi_boundaries() {
        for (v, n) in [
            (0, 1),
            (127, 1),
            (128, 2),
            (16_383, 2),
            (16_384, 3),
            (2_097_151, 3),
            (2_097_152, 4),
            (MAX_VBI, 4),
        ] {
            let (buf, len) = vbi_bytes(v);
            assert_eq!((len, vbi_len(v)), (n, n), "{v}");
            assert!(matches!(parse_vbi(&buf[..len]), Vbi::Value(x, l) if x == v && l == n));
            assert!(matches!(parse_vbi(&buf[..len - 1]), Vbi::Incomplete));
        }
        assert_eq!(vbi_bytes(MAX_VBI).0, [0xff, 0xff, 0xff, 0x7f]);
        let mut buf = [0u8; 4];
        assert_eq!(
            write_vbi(&mut Writer::new(&mut buf), MAX_VBI + 1),
            Err(EncodeError::PacketTooLarge(MAX_VBI as usize + 1))
        );
        assert!(matches!(parse_vbi(&[0x80, 0x00]), Vbi::Malformed));
        assert!(matches!(
            parse_vbi(&[0xff, 0xff, 0xff, 0x80]),
            Vbi::Malformed
        ));
    }

    fn publish<'a>(topic: &'a str, payload: &'a [u8]) -> Packet<'a> {
        Packet::Publish(Publish {
            dup: false,
            qos: QoS::AtMostOnce,
            retain: false,
            topic,
            packet_id: None,
            properties: Properties::empty(),
            payload,
        })
    }

    #[test]
    fn encode_errors_never_wrap() {
        let long = "a".repeat(65_536);
        assert_eq!(
            publish(&long, b"").encoded_len(ProtocolVersion::V3_1_1),
            Err(EncodeError::FieldTooLong(65_536))
        );
        let ok = "a".repeat(65_535);
        assert_eq!(
            publish(&ok, b"").encoded_len(ProtocolVersion::V3_1_1),
            Ok(1 + 3 + 65_537)
        );
        let huge = vec![0u8; MAX_VBI as usize];
        assert_eq!(
            publish("t", &huge).encoded_len(ProtocolVersion::V3_1_1),
            Err(EncodeError::PacketTooLarge(MAX_VBI as usize + 3))
        );
        let mut small = [0u8; 3];
        assert_eq!(
            publish("t", b"x").encode_to_slice(ProtocolVersion::V5, &mut small),
            Err(EncodeError::BufferTooSmall { required: 7 })
        );
        assert_eq!(
            publish("a/+", b"").encoded_len(ProtocolVersion::V5),
            Err(EncodeError::Topic(crate::topic::TopicError::WildcardInName))
        );
        let props = [Property::TopicAlias(0)];
        let mut p = publish("t", b"");
        if let Packet::Publish(x) = &mut p {
            x.properties = Properties::new(&props);
        }
        assert_eq!(
            p.encoded_len(ProtocolVersion::V5),
            Err(EncodeError::InvalidPropertyValue(0x23))
        );
        assert_eq!(
            p.encoded_len(ProtocolVersion::V3_1_1),
            Err(EncodeError::NotInVersion("properties"))
        );
        let props = [Property::ReceiveMaximum(5)];
        if let Packet::Publish(x) = &mut p {
            x.properties = Properties::new(&props);
        }
        assert_eq!(
            p.encoded_len(ProtocolVersion::V5),
            Err(EncodeError::PropertyNotAllowed(0x21))
        );
        let props = [Property::ContentType("a"), Property::ContentType("b")];
        if let Packet::Publish(x) = &mut p {
            x.properties = Properties::new(&props);
        }
        assert_eq!(
            p.encoded_len(ProtocolVersion::V5),
            Err(EncodeError::DuplicateProperty(0x03))
        );
        let qos1_without_id = Packet::Publish(Publish {
            qos: QoS::AtLeastOnce,
            ..match publish("t", b"") {
                Packet::Publish(x) => x,
                _ => unreachable!(),
            }
        });
        assert_eq!(
            qos1_without_id.encoded_len(ProtocolVersion::V5),
            Err(EncodeError::InvalidPacketId)
        );
        assert_eq!(
            Packet::Auth(Disconnect::default()).encoded_len(ProtocolVersion::V3_1_1),
            Err(EncodeError::NotInVersion("AUTH"))
        );
    }

    #[test]
    fn encoder_refuses_what_the_decoder_rejects() {
        let v4 = ProtocolVersion::V3_1_1;
        let v5 = ProtocolVersion::V5;
        // [MQTT-3.3.1-2] DUP on QoS 0
        let Packet::Publish(p) = publish("t", b"") else {
            unreachable!()
        };
        let dup = Packet::Publish(Publish { dup: true, ..p });
        assert_eq!(
            dup.encoded_len(v5),
            Err(EncodeError::Invalid("DUP with QoS 0"))
        );
        // [MQTT-2.2.1-2] no packet identifier at QoS 0
        let with_id = Packet::Publish(Publish {
            packet_id: Some(1),
            ..p
        });
        assert_eq!(with_id.encoded_len(v5), Err(EncodeError::InvalidPacketId));
        // [MQTT-2.2.1-3] non-zero packet identifiers
        assert_eq!(
            Packet::Puback(Ack::new(0)).encoded_len(v4),
            Err(EncodeError::InvalidPacketId)
        );
        // [MQTT-1.5.4-2] no U+0000
        assert_eq!(
            publish("a\0", b"").encoded_len(v4),
            Err(EncodeError::Topic(crate::topic::TopicError::Nul))
        );
        let sub = |filter, options| {
            let subs = vec![Subscription { filter, options }];
            let subs: &'static [Subscription<'static>] = subs.leak();
            Packet::Subscribe(Subscribe {
                packet_id: 1,
                properties: Properties::empty(),
                subscriptions: List::new(subs),
            })
        };
        let mut no_local = SubscriptionOptions::qos(QoS::AtMostOnce);
        no_local.no_local = true;
        // [MQTT-3.8.3-4] No Local on a shared subscription
        assert_eq!(
            sub("$share/g/a", no_local).encoded_len(v5),
            Err(EncodeError::Invalid("No Local on a shared subscription"))
        );
        assert!(sub("a", no_local).encoded_len(v5).is_ok());
        // MQTT 5 subscription options cannot be sent in 3.1.1
        assert_eq!(
            sub("a", no_local).encoded_len(v4),
            Err(EncodeError::NotInVersion("subscription options"))
        );
        // [MQTT-4.7.1-1] '#' last
        assert_eq!(
            sub("a/#/b", SubscriptionOptions::qos(QoS::AtMostOnce)).encoded_len(v4),
            Err(EncodeError::Topic(
                crate::topic::TopicError::InvalidMultiLevel
            ))
        );
        // [MQTT-3.8.3-2] / [MQTT-3.10.3-2] at least one filter
        let empty_sub = Packet::Subscribe(Subscribe {
            packet_id: 1,
            properties: Properties::empty(),
            subscriptions: List::empty(),
        });
        assert_eq!(
            empty_sub.encoded_len(v4),
            Err(EncodeError::Invalid("SUBSCRIBE without subscriptions"))
        );
        let empty_unsub = Packet::Unsubscribe(Unsubscribe {
            packet_id: 1,
            properties: Properties::empty(),
            filters: List::empty(),
        });
        assert_eq!(
            empty_unsub.encoded_len(v4),
            Err(EncodeError::Invalid("UNSUBSCRIBE without filters"))
        );
        // [MQTT-3.9.3-2] 3.1.1 SUBACK return codes
        let suback = Packet::Suback(Suback {
            packet_id: 1,
            properties: Properties::empty(),
            reason_codes: &[0x8f],
        });
        assert_eq!(
            suback.encoded_len(v4),
            Err(EncodeError::NotInVersion("SUBACK reason code"))
        );
        assert!(suback.encoded_len(v5).is_ok());
        // [MQTT-3.1.2-22] 3.1.1: password needs a user name
        let connect = |protocol| {
            Packet::Connect(Connect {
                protocol,
                clean_start: true,
                keep_alive: 0,
                properties: Properties::empty(),
                client_id: "c",
                will: None,
                username: None,
                password: Some(b"p"),
            })
        };
        assert_eq!(
            connect(v4).encoded_len(v4),
            Err(EncodeError::Invalid("password without user name"))
        );
        assert!(connect(v5).encoded_len(v5).is_ok());
        // reason codes and properties need MQTT 5
        let nack = Packet::Puback(Ack {
            reason_code: ReasonCode::NOT_AUTHORIZED,
            ..Ack::new(1)
        });
        assert_eq!(
            nack.encoded_len(v4),
            Err(EncodeError::NotInVersion("reason code"))
        );
    }

    #[test]
    fn encode_into_bufmut() {
        let mut out = bytes::BytesMut::new();
        assert_eq!(
            publish("t", b"x").encode(ProtocolVersion::V5, &mut out),
            Ok(7)
        );
        assert_eq!(Packet::Pingreq.encode(ProtocolVersion::V5, &mut out), Ok(2));
        assert_eq!(&out[..], &[0x30, 5, 0, 1, b't', 0, b'x', 0xc0, 0]);
        let mut fixed = [0u8; 1];
        let mut slice = &mut fixed[..];
        assert_eq!(
            Packet::Pingreq.encode(ProtocolVersion::V5, &mut slice),
            Err(EncodeError::BufferTooSmall { required: 2 })
        );
    }

    #[test]
    fn strict_string_policy() {
        let b = [0x30, 0x04, 0x00, 0x02, b'a', 0x07];
        let v = ProtocolVersion::V3_1_1;
        assert!(Packet::decode(&b, v, 99).is_ok());
        let strict = DecodeOptions::new(99).strict_strings(true);
        assert_eq!(
            Packet::decode_with(&b, v, &strict),
            Err(DecodeError::DiscouragedCharacter)
        );
        let nonchar = [0x30, 0x05, 0x00, 0x03, 0xef, 0xbf, 0xbf];
        assert_eq!(
            Packet::decode_with(&nonchar, v, &strict),
            Err(DecodeError::DiscouragedCharacter)
        );
        let fine = [0x30, 0x05, 0x00, 0x03, 0xe2, 0x82, 0xac];
        assert!(Packet::decode_with(&fine, v, &strict).is_ok());
    }

    #[test]
    fn debug_redacts_secrets() {
        let props = [Property::AuthenticationData(b"s3cret")];
        let a = Packet::Auth(Disconnect {
            reason_code: ReasonCode::CONTINUE_AUTHENTICATION,
            properties: Properties::new(&props),
        });
        let dbg = format!("{a:?}");
        assert!(dbg.contains("redacted") && !dbg.contains("115"), "{dbg}");
    }
}
