//! The MQTT wire layer: stateless, borrowing decode and encode of every
//! control packet of MQTT 3.1, 3.1.1 and 5.0.

use core::fmt;

use iotcodec_core::{Decoded, Reader};

use crate::error::{DecodeError, EncodeError};
pub use crate::props::{Element, Iter, List, Properties, Property, PropertyValue};
use crate::scan;
use crate::sink::Sink;

mod decode;
mod encode;
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

    /// Whether MQTT 5.0 defines this code for packets of type
    /// `packet_type`: 2 CONNACK, 4 PUBACK, 5 PUBREC, 6 PUBREL, 7 PUBCOMP,
    /// 9 SUBACK, 11 UNSUBACK, 14 DISCONNECT, 15 AUTH (spec 2.4, Table 2-6,
    /// and each packet's reason code table). Other types carry no reason
    /// code: `false`. Table 2-6 also lists 0x8C Bad authentication method
    /// for DISCONNECT, which 3.14.2.1 omits; it is accepted.
    ///
    /// The decoder keeps any byte unless
    /// [`DecodeOptions::strict_reason_codes`] asks it to check this.
    pub fn is_defined_for(self, packet_type: u8) -> bool {
        let codes: &[u8] = match packet_type {
            2 => &CONNACK_CODES,
            4 | 5 => &PUBACK_CODES,
            6 | 7 => &[0x00, 0x92],
            9 => &SUBACK_CODES,
            11 => &UNSUBACK_CODES,
            14 => &DISCONNECT_CODES,
            15 => &[0x00, 0x18, 0x19],
            _ => &[],
        };
        codes.contains(&self.0)
    }
}

/// Connect Reason Codes (3.2.2.2).
const CONNACK_CODES: [u8; 22] = [
    0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97,
    0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
];
/// PUBACK (3.4.2.1) and PUBREC (3.5.2.1) Reason Codes.
const PUBACK_CODES: [u8; 9] = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
/// Subscribe Reason Codes (3.9.3).
const SUBACK_CODES: [u8; 12] = [
    0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2,
];
/// Unsubscribe Reason Codes (3.11.3).
const UNSUBACK_CODES: [u8; 7] = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91];
/// Disconnect Reason Codes (3.14.2.1, and 0x8C from Table 2-6).
const DISCONNECT_CODES: [u8; 30] = [
    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94,
    0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
];

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
    #[inline]
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

// ------------------------------------------------------------ primitives

pub(crate) enum Vbi {
    Value(u32, usize),
    Incomplete,
    Malformed,
}

/// Parses a minimally encoded Variable Byte Integer of at most 4 bytes.
#[inline]
pub(crate) fn parse_vbi(buf: &[u8]) -> Vbi {
    match buf.first() {
        Some(&b) if b < 0x80 => Vbi::Value(u32::from(b), 1),
        Some(_) => parse_long_vbi(buf),
        None => Vbi::Incomplete,
    }
}

/// [`parse_vbi`] past the first byte.
fn parse_long_vbi(buf: &[u8]) -> Vbi {
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
#[inline]
pub(crate) fn vbi_len(v: u32) -> usize {
    match v {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// Writes `v` (at most [`MAX_VBI`], checked by the caller) as a Variable
/// Byte Integer.
#[inline(always)]
pub(crate) fn put_vbi<S: Sink>(w: &mut S, v: u32) {
    if v < 0x80 {
        w.put_u8(v as u8);
    } else if v < 0x4000 {
        w.put_array([v as u8 | 0x80, (v >> 7) as u8]);
    } else {
        match long_vbi(v) {
            Some((buf, n)) => w.put(buf.get(..n).unwrap_or_default()),
            None => w.fail(),
        }
    }
}

/// The bytes of `v` as a Variable Byte Integer of three bytes and more, and
/// how many there are; `None` above [`MAX_VBI`]. (Out of line and given no
/// sink, so that the sink of the caller can stay in registers.)
#[inline(never)]
fn long_vbi(v: u32) -> Option<([u8; 4], usize)> {
    if v > MAX_VBI {
        return None;
    }
    let mut buf = [0u8; 4];
    let mut n = 0;
    let mut rest = v;
    for b in &mut buf {
        *b = (rest & 0x7f) as u8;
        rest >>= 7;
        n += 1;
        if rest == 0 {
            break;
        }
        *b |= 0x80;
    }
    Some((buf, n))
}

/// Validates a decoded UTF-8 string field: well-formed [MQTT-1.5.4-1], no
/// U+0000 [MQTT-1.5.4-2].
#[inline(always)]
pub(crate) fn read_utf8(b: &[u8]) -> Result<&str, DecodeError> {
    if scan::plain_ascii(b) {
        // ASCII without U+0000: cannot fail
        return core::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8);
    }
    read_utf8_slow(b)
}

/// [`read_utf8`] for strings that are not plain ASCII.
#[inline(never)]
fn read_utf8_slow(b: &[u8]) -> Result<&str, DecodeError> {
    let s = core::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8)?;
    if scan::has_nul(b) {
        return Err(DecodeError::NulInString);
    }
    Ok(s)
}

/// [`read_utf8`] without making the `&str`: for strings kept as raw bytes
/// (properties, topic filter lists), converted when they are read.
#[inline]
pub(crate) fn check_utf8(b: &[u8]) -> Result<(), DecodeError> {
    if scan::plain_ascii(b) {
        return Ok(());
    }
    read_utf8_slow(b).map(|_| ())
}

/// Encoded size of a string field, checking it can be encoded.
#[inline(always)]
pub(crate) fn check_str(s: &str) -> Result<usize, EncodeError> {
    if !scan::plain_ascii(s.as_bytes()) && scan::has_nul(s.as_bytes()) {
        return Err(EncodeError::NulInString);
    }
    check_bin(s.as_bytes())
}

/// Encoded size of a binary field, checking it can be encoded.
#[inline(always)]
pub(crate) fn check_bin(b: &[u8]) -> Result<usize, EncodeError> {
    if b.len() > usize::from(u16::MAX) {
        return Err(EncodeError::FieldTooLong(b.len()));
    }
    Ok(2 + b.len())
}

/// A reader over one packet's body: every field read is bounded by the
/// packet, and running out is [`DecodeError::Truncated`] naming the field.
pub(crate) struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    #[inline(always)]
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Self(b)
    }

    /// The bytes not read yet, without consuming them.
    #[inline(always)]
    pub(crate) fn rest_slice(&self) -> &'a [u8] {
        self.0
    }

    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Skips one byte (nothing when there is none).
    #[inline(always)]
    pub(crate) fn skip_byte(&mut self) {
        self.0 = self.0.get(1..).unwrap_or_default();
    }

    #[inline(always)]
    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let (&b, rest) = self.0.split_first().ok_or(DecodeError::Truncated(what))?;
        self.0 = rest;
        Ok(b)
    }

    #[inline(always)]
    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        let (b, rest) = self
            .0
            .split_first_chunk::<2>()
            .ok_or(DecodeError::Truncated(what))?;
        self.0 = rest;
        Ok(u16::from_be_bytes(*b))
    }

    /// A packet identifier: present and non-zero [MQTT-2.2.1-3].
    #[inline(always)]
    pub(crate) fn pid(&mut self) -> Result<u16, DecodeError> {
        match self.u16("packet identifier")? {
            0 => Err(DecodeError::ZeroPacketId),
            p => Ok(p),
        }
    }

    #[inline(always)]
    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let (b, rest) = self
            .0
            .split_at_checked(n)
            .ok_or(DecodeError::Truncated(what))?;
        self.0 = rest;
        Ok(b)
    }

    /// Binary data: a `u16` length and that many bytes.
    #[inline(always)]
    pub(crate) fn bin(&mut self, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let n = self.u16(what)?;
        self.take(usize::from(n), what)
    }

    /// A UTF-8 string field.
    #[inline(always)]
    pub(crate) fn str(&mut self, what: &'static str) -> Result<&'a str, DecodeError> {
        read_utf8(self.bin(what)?)
    }

    /// Everything left.
    #[inline(always)]
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.0)
    }

    /// The fields must fill the remaining length exactly.
    #[inline(always)]
    pub(crate) fn end(&self) -> Result<(), DecodeError> {
        match self.0.len() {
            0 => Ok(()),
            n => Err(DecodeError::TrailingBytes(n)),
        }
    }
}

/// The reserved flags of every packet type but PUBLISH [MQTT-2.1.3-1].
#[inline(always)]
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
    /// Also reject MQTT 5 reason codes the specification does not define
    /// for the packet carrying them ([`ReasonCode::is_defined_for`]), and
    /// MQTT 3.x CONNACK return codes above 5 (reserved). Off by default:
    /// reason codes are an open set that round-trips.
    pub strict_reason_codes: bool,
    /// Also reject an MQTT 5 PUBLISH (or a CONNECT's will) whose Payload
    /// Format Indicator is 1 but whose payload is not UTF-8 (3.3.2.3.2,
    /// 3.1.3.2.3: a receiver MAY check it and answer 0x99 Payload format
    /// invalid). Off by default.
    pub check_payload_format: bool,
}

impl DecodeOptions {
    /// Options with `max_packet_size` and the lenient policies.
    pub const fn new(max_packet_size: usize) -> Self {
        Self {
            max_packet_size,
            strict_strings: false,
            strict_reason_codes: false,
            check_payload_format: false,
        }
    }

    /// The same options with the strict string policy on or off.
    pub const fn strict_strings(mut self, on: bool) -> Self {
        self.strict_strings = on;
        self
    }

    /// The same options with the strict reason code policy on or off.
    pub const fn strict_reason_codes(mut self, on: bool) -> Self {
        self.strict_reason_codes = on;
        self
    }

    /// The same options with the Payload Format Indicator check on or off.
    pub const fn check_payload_format(mut self, on: bool) -> Self {
        self.check_payload_format = on;
        self
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    use alloc::{format, vec};

    fn vbi_bytes(v: u32) -> ([u8; 4], usize) {
        let mut out = vec![];
        put_vbi(&mut out, v);
        let mut buf = [0u8; 4];
        buf[..out.len()].copy_from_slice(&out);
        (buf, out.len())
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
        // every one- and two-byte value (written inline) and some longer
        for v in (0..20_000).chain((16_384..MAX_VBI).step_by(9_973)) {
            let (buf, len) = vbi_bytes(v);
            assert_eq!(len, vbi_len(v), "{v}");
            assert!(matches!(parse_vbi(&buf[..len]), Vbi::Value(x, l) if x == v && l == len));
        }
        // a value too large makes the sink fail instead of wrapping
        let mut buf = [0u8; 4];
        let mut w = crate::sink::SliceSink::new(&mut buf);
        put_vbi(&mut w, MAX_VBI + 1);
        assert!(!w.filled());
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

    /// An MQTT 5 CONNECT whose will carries `properties` and `payload`.
    fn connect_with_will<'a>(properties: &'a [Property<'a>], payload: &'a [u8]) -> Packet<'a> {
        Packet::Connect(Connect {
            protocol: ProtocolVersion::V5,
            clean_start: true,
            keep_alive: 0,
            properties: Properties::empty(),
            client_id: "c",
            will: Some(Will {
                qos: QoS::AtMostOnce,
                retain: false,
                properties: Properties::new(properties),
                topic: "w",
                payload,
            }),
            username: None,
            password: None,
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
        // [MQTT-3.3.2-14] a Response Topic is a topic name: no wildcards,
        // not empty; in a PUBLISH and in the will properties
        for (topic, err) in [
            ("a/+", crate::topic::TopicError::WildcardInName),
            ("#", crate::topic::TopicError::WildcardInName),
            ("", crate::topic::TopicError::Empty),
        ] {
            let props = [Property::ResponseTopic(topic)];
            let request = Packet::Publish(Publish {
                properties: Properties::new(&props),
                ..p
            });
            assert_eq!(
                request.encoded_len(v5),
                Err(EncodeError::InvalidResponseTopic(err)),
                "{topic:?}"
            );
            let will = connect_with_will(&props, b"");
            assert_eq!(
                will.encoded_len(v5),
                Err(EncodeError::InvalidResponseTopic(err)),
                "{topic:?}"
            );
        }
        let props = [Property::ResponseTopic("$SYS/r/é")];
        let request = Packet::Publish(Publish {
            properties: Properties::new(&props),
            ..p
        });
        assert!(request.encoded_len(v5).is_ok());
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
    fn strict_reason_code_policy() {
        let v5 = ProtocolVersion::V5;
        let lenient = DecodeOptions::new(99);
        let strict = DecodeOptions::new(99).strict_reason_codes(true);
        // one packet per type with the code in its place
        type Make = fn(u8) -> vec::Vec<u8>;
        let packets: [(u8, Make); 9] = [
            (2, |c| vec![0x20, 0x03, 0x00, c, 0x00]),
            (4, |c| vec![0x40, 0x03, 0x00, 0x01, c]),
            (5, |c| vec![0x50, 0x03, 0x00, 0x01, c]),
            (6, |c| vec![0x62, 0x03, 0x00, 0x01, c]),
            (7, |c| vec![0x70, 0x03, 0x00, 0x01, c]),
            (9, |c| vec![0x90, 0x05, 0x00, 0x01, 0x00, 0x00, c]),
            (11, |c| vec![0xb0, 0x05, 0x00, 0x01, 0x00, 0x00, c]),
            (14, |c| vec![0xe0, 0x02, c, 0x00]),
            (15, |c| vec![0xf0, 0x02, c, 0x00]),
        ];
        for (packet_type, make) in packets {
            let mut defined = 0;
            for code in 0..=255u8 {
                let b = make(code);
                assert!(Packet::decode_with(&b, v5, &lenient).is_ok(), "{b:02x?}");
                let got = Packet::decode_with(&b, v5, &strict);
                if ReasonCode(code).is_defined_for(packet_type) {
                    defined += 1;
                    assert!(got.is_ok(), "{b:02x?}: {got:?}");
                } else {
                    let err = DecodeError::UndefinedReasonCode { packet_type, code };
                    assert_eq!(got, Err(err), "{b:02x?}");
                    let rule = err.rule().unwrap();
                    assert!(format!("{err}").contains(rule), "{err}");
                }
            }
            // the number of codes each packet's table lists
            let want = match packet_type {
                2 => 22,
                4 | 5 => 9,
                6 | 7 => 2,
                9 => 12,
                11 => 7,
                14 => 30,
                _ => 3,
            };
            assert_eq!(defined, want, "packet type {packet_type}");
        }
        // spot checks against Table 2-6
        assert!(ReasonCode::NO_MATCHING_SUBSCRIBERS.is_defined_for(4));
        assert!(!ReasonCode::NO_MATCHING_SUBSCRIBERS.is_defined_for(6));
        assert!(ReasonCode::SESSION_TAKEN_OVER.is_defined_for(14));
        assert!(!ReasonCode::SESSION_TAKEN_OVER.is_defined_for(2));
        assert!(ReasonCode::BANNED.is_defined_for(2));
        assert!(!ReasonCode::BANNED.is_defined_for(14));
        assert!(ReasonCode::RE_AUTHENTICATE.is_defined_for(15));
        assert!(!ReasonCode::SUCCESS.is_defined_for(3));
        // 3.x CONNACK return codes: 0 to 5 defined, the rest reserved
        for v in [ProtocolVersion::V3_1, ProtocolVersion::V3_1_1] {
            for code in 0..=255u8 {
                let b = [0x20, 0x02, 0x00, code];
                assert!(Packet::decode_with(&b, v, &lenient).is_ok());
                let got = Packet::decode_with(&b, v, &strict);
                if code <= 5 {
                    assert!(got.is_ok(), "{code}");
                } else {
                    assert_eq!(got, Err(DecodeError::ReservedReturnCode(code)));
                }
            }
        }
    }

    #[test]
    fn payload_format_check() {
        let v5 = ProtocolVersion::V5;
        let check = DecodeOptions::new(999).check_payload_format(true);
        let lenient = DecodeOptions::new(999);
        let utf8 = [Property::PayloadFormatIndicator(1)];
        let bytes = [Property::PayloadFormatIndicator(0)];
        let cases: [(&[Property<'_>], &[u8], bool); 6] = [
            (&utf8, "héllo".as_bytes(), true),
            (&utf8, b"", true),
            (&utf8, b"\xff", false),
            (&utf8, b"\xed\xa0\x80", false),
            (&bytes, b"\xff", true),
            (&[], b"\xff", true),
        ];
        for (props, payload, ok) in cases {
            let Packet::Publish(plain) = publish("t", payload) else {
                unreachable!()
            };
            let request = Packet::Publish(Publish {
                properties: Properties::new(props),
                ..plain
            });
            for p in [request, connect_with_will(props, payload)] {
                let b = p.to_vec(v5).unwrap();
                assert!(Packet::decode_with(&b, v5, &lenient).is_ok());
                let got = Packet::decode_with(&b, v5, &check);
                if ok {
                    assert!(got.is_ok(), "{p:?}: {got:?}");
                } else {
                    assert_eq!(got, Err(DecodeError::PayloadFormatInvalid), "{p:?}");
                }
            }
        }
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
