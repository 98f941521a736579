//! MQTT 5 properties, kept borrowed as a validated raw slice.

use core::fmt;

use iotcodec_core::Reader;

use crate::error::{DecodeError, EncodeError};
use crate::primitives::{
    check_bin, check_str, check_utf8, parse_vbi, put_vbi, vbi_len, Cursor, Vbi, MAX_VBI,
};
use crate::sink::Sink;
use crate::topic::validate_name_bytes;

/// The identifier of Response Topic, the one string property with rules of
/// its own (a topic name).
const RESPONSE_TOPIC: u8 = 0x08;

/// A value type of the MQTT 5 data representation, as properties carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyValue<'a> {
    /// A single byte.
    Byte(u8),
    /// A two byte integer.
    U16(u16),
    /// A four byte integer.
    U32(u32),
    /// A Variable Byte Integer.
    VarInt(u32),
    /// A UTF-8 encoded string.
    Str(&'a str),
    /// Binary data.
    Binary(&'a [u8]),
    /// A UTF-8 string pair.
    Pair(&'a str, &'a str),
}

/// One MQTT 5 property (spec section 2.2.2.2), with its value.
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Property<'a> {
    /// 0x01 Payload Format Indicator (0 or 1).
    PayloadFormatIndicator(u8),
    /// 0x02 Message Expiry Interval, seconds.
    MessageExpiryInterval(u32),
    /// 0x03 Content Type.
    ContentType(&'a str),
    /// 0x08 Response Topic.
    ResponseTopic(&'a str),
    /// 0x09 Correlation Data.
    CorrelationData(&'a [u8]),
    /// 0x0B Subscription Identifier (1..=268,435,455).
    SubscriptionIdentifier(u32),
    /// 0x11 Session Expiry Interval, seconds.
    SessionExpiryInterval(u32),
    /// 0x12 Assigned Client Identifier.
    AssignedClientIdentifier(&'a str),
    /// 0x13 Server Keep Alive, seconds.
    ServerKeepAlive(u16),
    /// 0x15 Authentication Method.
    AuthenticationMethod(&'a str),
    /// 0x16 Authentication Data (redacted in `Debug`).
    AuthenticationData(&'a [u8]),
    /// 0x17 Request Problem Information (0 or 1).
    RequestProblemInformation(u8),
    /// 0x18 Will Delay Interval, seconds.
    WillDelayInterval(u32),
    /// 0x19 Request Response Information (0 or 1).
    RequestResponseInformation(u8),
    /// 0x1A Response Information.
    ResponseInformation(&'a str),
    /// 0x1C Server Reference.
    ServerReference(&'a str),
    /// 0x1F Reason String.
    ReasonString(&'a str),
    /// 0x21 Receive Maximum (non-zero).
    ReceiveMaximum(u16),
    /// 0x22 Topic Alias Maximum.
    TopicAliasMaximum(u16),
    /// 0x23 Topic Alias (non-zero).
    TopicAlias(u16),
    /// 0x24 Maximum QoS (0 or 1).
    MaximumQoS(u8),
    /// 0x25 Retain Available (0 or 1).
    RetainAvailable(u8),
    /// 0x26 User Property (may repeat; order is kept).
    UserProperty(&'a str, &'a str),
    /// 0x27 Maximum Packet Size (non-zero).
    MaximumPacketSize(u32),
    /// 0x28 Wildcard Subscription Available (0 or 1).
    WildcardSubscriptionAvailable(u8),
    /// 0x29 Subscription Identifiers Available (0 or 1).
    SubscriptionIdentifierAvailable(u8),
    /// 0x2A Shared Subscription Available (0 or 1).
    SharedSubscriptionAvailable(u8),
}

impl fmt::Debug for Property<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = f.debug_tuple(self.name());
        match (self, self.value()) {
            (Self::AuthenticationData(d), _) => {
                t.field(&format_args!("<{} bytes redacted>", d.len()))
            }
            (_, PropertyValue::Byte(v)) => t.field(&v),
            (_, PropertyValue::U16(v)) => t.field(&v),
            (_, PropertyValue::U32(v) | PropertyValue::VarInt(v)) => t.field(&v),
            (_, PropertyValue::Str(v)) => t.field(&v),
            (_, PropertyValue::Binary(v)) => t.field(&v),
            (_, PropertyValue::Pair(k, v)) => t.field(&k).field(&v),
        };
        t.finish()
    }
}

/// Bit masks of the places a property may appear (spec table 2-4), and the
/// markers of validated topic filter lists.
pub(crate) mod ctx {
    pub(crate) const CONNECT: u16 = 1;
    pub(crate) const WILL: u16 = 2;
    pub(crate) const CONNACK: u16 = 4;
    pub(crate) const PUBLISH: u16 = 8;
    pub(crate) const ACK: u16 = 16;
    pub(crate) const SUBSCRIBE: u16 = 32;
    pub(crate) const SUBACK: u16 = 64;
    pub(crate) const UNSUBSCRIBE: u16 = 128;
    pub(crate) const UNSUBACK: u16 = 256;
    pub(crate) const DISCONNECT: u16 = 512;
    pub(crate) const AUTH: u16 = 1024;
    pub(crate) const ALL: u16 = 2047;
    /// A SUBSCRIBE or UNSUBSCRIBE list validated by the MQTT 3.x rules.
    pub(crate) const LIST_V3: u16 = 0x4000;
    /// A SUBSCRIBE or UNSUBSCRIBE list validated by the MQTT 5 rules.
    pub(crate) const LIST_V5: u16 = 0x8000;
}

/// A property's wire type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Byte,
    U16,
    U32,
    VarInt,
    Str,
    Bin,
    Pair,
}

/// A property's value range.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Range {
    Any,
    /// 0 or 1.
    Bool,
    NonZero,
    /// 1..=268,435,455.
    SubscriptionId,
}

impl Range {
    #[inline(always)]
    fn contains(self, v: u32) -> bool {
        match self {
            Self::Any => true,
            Self::Bool => v <= 1,
            Self::NonZero => v != 0,
            Self::SubscriptionId => v != 0 && v <= MAX_VBI,
        }
    }
}

/// What the specification says about one property identifier.
#[derive(Clone, Copy)]
struct Spec {
    kind: Kind,
    /// Where it may appear (bit mask of [`ctx`]).
    places: u16,
    range: Range,
}

/// Spec table 2-4 with each property's type and range (sections 2.2.2.2,
/// 3.1.2.11, 3.2.2.3, 3.3.2.3, 3.8.2.1.2, 3.14.2.2, 3.15.2.2).
const fn spec(id: u8) -> Option<Spec> {
    use ctx::*;
    use Kind::*;
    use Range::*;
    let (kind, places, range) = match id {
        0x01 => (Byte, PUBLISH | WILL, Bool),
        0x02 => (U32, PUBLISH | WILL, Any),
        0x03 | 0x08 => (Str, PUBLISH | WILL, Any),
        0x09 => (Bin, PUBLISH | WILL, Any),
        0x0B => (VarInt, PUBLISH | SUBSCRIBE, SubscriptionId),
        0x11 => (U32, CONNECT | CONNACK | DISCONNECT, Any),
        0x12 | 0x1A => (Str, CONNACK, Any),
        0x13 => (U16, CONNACK, Any),
        0x15 => (Str, CONNECT | CONNACK | AUTH, Any),
        0x16 => (Bin, CONNECT | CONNACK | AUTH, Any),
        0x17 | 0x19 => (Byte, CONNECT, Bool),
        0x18 => (U32, WILL, Any),
        0x1C => (Str, CONNACK | DISCONNECT, Any),
        0x1F => (
            Str,
            CONNACK | ACK | SUBACK | UNSUBACK | DISCONNECT | AUTH,
            Any,
        ),
        0x21 => (U16, CONNECT | CONNACK, NonZero),
        0x22 => (U16, CONNECT | CONNACK, Any),
        0x23 => (U16, PUBLISH, NonZero),
        0x24 | 0x25 | 0x28 | 0x29 | 0x2A => (Byte, CONNACK, Bool),
        0x26 => (Pair, ALL, Any),
        0x27 => (U32, CONNECT | CONNACK, NonZero),
        _ => return None,
    };
    Some(Spec {
        kind,
        places,
        range,
    })
}

/// Highest property identifier plus one.
const IDS: usize = 0x2B;

/// [`spec`] for every identifier, looked up by the decoder.
static SPECS: [Option<Spec>; IDS] = {
    let mut t = [None; IDS];
    let mut i = 0;
    while i < IDS {
        t[i] = spec(i as u8);
        i += 1;
    }
    t
};

/// Whether a property may appear twice: User Property anywhere,
/// Subscription Identifier in PUBLISH (3.3.2.3.8).
#[inline(always)]
fn may_repeat(id: u8, place: u16) -> bool {
    id == 0x26 || (id == 0x0B && place == ctx::PUBLISH)
}

impl<'a> Property<'a> {
    /// The property identifier.
    pub fn id(&self) -> u8 {
        match self {
            Self::PayloadFormatIndicator(_) => 0x01,
            Self::MessageExpiryInterval(_) => 0x02,
            Self::ContentType(_) => 0x03,
            Self::ResponseTopic(_) => 0x08,
            Self::CorrelationData(_) => 0x09,
            Self::SubscriptionIdentifier(_) => 0x0B,
            Self::SessionExpiryInterval(_) => 0x11,
            Self::AssignedClientIdentifier(_) => 0x12,
            Self::ServerKeepAlive(_) => 0x13,
            Self::AuthenticationMethod(_) => 0x15,
            Self::AuthenticationData(_) => 0x16,
            Self::RequestProblemInformation(_) => 0x17,
            Self::WillDelayInterval(_) => 0x18,
            Self::RequestResponseInformation(_) => 0x19,
            Self::ResponseInformation(_) => 0x1A,
            Self::ServerReference(_) => 0x1C,
            Self::ReasonString(_) => 0x1F,
            Self::ReceiveMaximum(_) => 0x21,
            Self::TopicAliasMaximum(_) => 0x22,
            Self::TopicAlias(_) => 0x23,
            Self::MaximumQoS(_) => 0x24,
            Self::RetainAvailable(_) => 0x25,
            Self::UserProperty(..) => 0x26,
            Self::MaximumPacketSize(_) => 0x27,
            Self::WildcardSubscriptionAvailable(_) => 0x28,
            Self::SubscriptionIdentifierAvailable(_) => 0x29,
            Self::SharedSubscriptionAvailable(_) => 0x2A,
        }
    }

    /// The property's name as the specification spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::PayloadFormatIndicator(_) => "PayloadFormatIndicator",
            Self::MessageExpiryInterval(_) => "MessageExpiryInterval",
            Self::ContentType(_) => "ContentType",
            Self::ResponseTopic(_) => "ResponseTopic",
            Self::CorrelationData(_) => "CorrelationData",
            Self::SubscriptionIdentifier(_) => "SubscriptionIdentifier",
            Self::SessionExpiryInterval(_) => "SessionExpiryInterval",
            Self::AssignedClientIdentifier(_) => "AssignedClientIdentifier",
            Self::ServerKeepAlive(_) => "ServerKeepAlive",
            Self::AuthenticationMethod(_) => "AuthenticationMethod",
            Self::AuthenticationData(_) => "AuthenticationData",
            Self::RequestProblemInformation(_) => "RequestProblemInformation",
            Self::WillDelayInterval(_) => "WillDelayInterval",
            Self::RequestResponseInformation(_) => "RequestResponseInformation",
            Self::ResponseInformation(_) => "ResponseInformation",
            Self::ServerReference(_) => "ServerReference",
            Self::ReasonString(_) => "ReasonString",
            Self::ReceiveMaximum(_) => "ReceiveMaximum",
            Self::TopicAliasMaximum(_) => "TopicAliasMaximum",
            Self::TopicAlias(_) => "TopicAlias",
            Self::MaximumQoS(_) => "MaximumQoS",
            Self::RetainAvailable(_) => "RetainAvailable",
            Self::UserProperty(..) => "UserProperty",
            Self::MaximumPacketSize(_) => "MaximumPacketSize",
            Self::WildcardSubscriptionAvailable(_) => "WildcardSubscriptionAvailable",
            Self::SubscriptionIdentifierAvailable(_) => "SubscriptionIdentifierAvailable",
            Self::SharedSubscriptionAvailable(_) => "SharedSubscriptionAvailable",
        }
    }

    /// The value, by its wire type.
    pub fn value(&self) -> PropertyValue<'a> {
        use PropertyValue as V;
        match *self {
            Self::PayloadFormatIndicator(v)
            | Self::RequestProblemInformation(v)
            | Self::RequestResponseInformation(v)
            | Self::MaximumQoS(v)
            | Self::RetainAvailable(v)
            | Self::WildcardSubscriptionAvailable(v)
            | Self::SubscriptionIdentifierAvailable(v)
            | Self::SharedSubscriptionAvailable(v) => V::Byte(v),
            Self::ServerKeepAlive(v)
            | Self::ReceiveMaximum(v)
            | Self::TopicAliasMaximum(v)
            | Self::TopicAlias(v) => V::U16(v),
            Self::MessageExpiryInterval(v)
            | Self::SessionExpiryInterval(v)
            | Self::WillDelayInterval(v)
            | Self::MaximumPacketSize(v) => V::U32(v),
            Self::SubscriptionIdentifier(v) => V::VarInt(v),
            Self::ContentType(v)
            | Self::ResponseTopic(v)
            | Self::AssignedClientIdentifier(v)
            | Self::AuthenticationMethod(v)
            | Self::ResponseInformation(v)
            | Self::ServerReference(v)
            | Self::ReasonString(v) => V::Str(v),
            Self::CorrelationData(v) | Self::AuthenticationData(v) => V::Binary(v),
            Self::UserProperty(k, v) => V::Pair(k, v),
        }
    }

    /// The identifier and the value, in one match (the encoder's view).
    #[inline(always)]
    fn parts(&self) -> (u8, PropertyValue<'a>) {
        use PropertyValue as V;
        match *self {
            Self::PayloadFormatIndicator(v) => (0x01, V::Byte(v)),
            Self::MessageExpiryInterval(v) => (0x02, V::U32(v)),
            Self::ContentType(v) => (0x03, V::Str(v)),
            Self::ResponseTopic(v) => (0x08, V::Str(v)),
            Self::CorrelationData(v) => (0x09, V::Binary(v)),
            Self::SubscriptionIdentifier(v) => (0x0B, V::VarInt(v)),
            Self::SessionExpiryInterval(v) => (0x11, V::U32(v)),
            Self::AssignedClientIdentifier(v) => (0x12, V::Str(v)),
            Self::ServerKeepAlive(v) => (0x13, V::U16(v)),
            Self::AuthenticationMethod(v) => (0x15, V::Str(v)),
            Self::AuthenticationData(v) => (0x16, V::Binary(v)),
            Self::RequestProblemInformation(v) => (0x17, V::Byte(v)),
            Self::WillDelayInterval(v) => (0x18, V::U32(v)),
            Self::RequestResponseInformation(v) => (0x19, V::Byte(v)),
            Self::ResponseInformation(v) => (0x1A, V::Str(v)),
            Self::ServerReference(v) => (0x1C, V::Str(v)),
            Self::ReasonString(v) => (0x1F, V::Str(v)),
            Self::ReceiveMaximum(v) => (0x21, V::U16(v)),
            Self::TopicAliasMaximum(v) => (0x22, V::U16(v)),
            Self::TopicAlias(v) => (0x23, V::U16(v)),
            Self::MaximumQoS(v) => (0x24, V::Byte(v)),
            Self::RetainAvailable(v) => (0x25, V::Byte(v)),
            Self::UserProperty(k, v) => (0x26, V::Pair(k, v)),
            Self::MaximumPacketSize(v) => (0x27, V::U32(v)),
            Self::WildcardSubscriptionAvailable(v) => (0x28, V::Byte(v)),
            Self::SubscriptionIdentifierAvailable(v) => (0x29, V::Byte(v)),
            Self::SharedSubscriptionAvailable(v) => (0x2A, V::Byte(v)),
        }
    }

    /// Where the property may appear (bit mask of [`ctx`]).
    #[cfg(any(test, feature = "arbitrary"))]
    pub(crate) fn allowed(&self) -> u16 {
        match spec(self.id()) {
            Some(s) => s.places,
            None => 0,
        }
    }

    /// Encoded size (identifier included), checking that strings hold no
    /// U+0000 and fit their length prefix.
    #[cfg(any(test, feature = "arbitrary"))]
    pub(crate) fn encoded_len(&self) -> Result<usize, EncodeError> {
        let v = match self.value() {
            PropertyValue::Str(s) => check_str(s)?,
            PropertyValue::Binary(b) => check_bin(b)?,
            PropertyValue::Pair(k, v) => check_str(k)? + check_str(v)?,
            _ => return Ok(self.wire_len()),
        };
        Ok(1 + v)
    }

    /// Encoded size (identifier included) of a property already checked.
    #[inline]
    fn wire_len(&self) -> usize {
        1 + match self.parts().1 {
            PropertyValue::Byte(_) => 1,
            PropertyValue::U16(_) => 2,
            PropertyValue::U32(_) => 4,
            PropertyValue::VarInt(v) => vbi_len(v),
            PropertyValue::Str(s) => 2 + s.len(),
            PropertyValue::Binary(b) => 2 + b.len(),
            PropertyValue::Pair(k, v) => 4 + k.len() + v.len(),
        }
    }

    /// Writes a property already checked by [`Property::encoded_len`].
    #[inline]
    pub(crate) fn write<S: Sink>(&self, w: &mut S) {
        let (id, value) = self.parts();
        w.put_u8(id);
        match value {
            PropertyValue::Byte(v) => w.put_u8(v),
            PropertyValue::U16(v) => w.put_u16(v),
            PropertyValue::U32(v) => w.put_u32(v),
            PropertyValue::VarInt(v) => put_vbi(w, v),
            PropertyValue::Str(s) => w.put_prefixed(s.as_bytes()),
            PropertyValue::Binary(b) => w.put_prefixed(b),
            PropertyValue::Pair(k, v) => {
                w.put_prefixed(k.as_bytes());
                w.put_prefixed(v.as_bytes());
            }
        }
    }

    /// Reads one property from bytes [`validate`] accepted.
    fn read(r: &mut Reader<'a>) -> Option<Self> {
        let id = r.u8().ok()?;
        let byte = |r: &mut Reader<'a>| r.u8().ok();
        let u16_ = |r: &mut Reader<'a>| r.u16().ok();
        let u32_ = |r: &mut Reader<'a>| r.u32().ok();
        let s = |r: &mut Reader<'a>| core::str::from_utf8(r.u16_prefixed().ok()?).ok();
        let b = |r: &mut Reader<'a>| r.u16_prefixed().ok();
        Some(match id {
            0x01 => Self::PayloadFormatIndicator(byte(r)?),
            0x02 => Self::MessageExpiryInterval(u32_(r)?),
            0x03 => Self::ContentType(s(r)?),
            0x08 => Self::ResponseTopic(s(r)?),
            0x09 => Self::CorrelationData(b(r)?),
            0x0B => match parse_vbi(r.peek_rest()) {
                Vbi::Value(v, n) => {
                    r.skip(n).ok()?;
                    Self::SubscriptionIdentifier(v)
                }
                _ => return None,
            },
            0x11 => Self::SessionExpiryInterval(u32_(r)?),
            0x12 => Self::AssignedClientIdentifier(s(r)?),
            0x13 => Self::ServerKeepAlive(u16_(r)?),
            0x15 => Self::AuthenticationMethod(s(r)?),
            0x16 => Self::AuthenticationData(b(r)?),
            0x17 => Self::RequestProblemInformation(byte(r)?),
            0x18 => Self::WillDelayInterval(u32_(r)?),
            0x19 => Self::RequestResponseInformation(byte(r)?),
            0x1A => Self::ResponseInformation(s(r)?),
            0x1C => Self::ServerReference(s(r)?),
            0x1F => Self::ReasonString(s(r)?),
            0x21 => Self::ReceiveMaximum(u16_(r)?),
            0x22 => Self::TopicAliasMaximum(u16_(r)?),
            0x23 => Self::TopicAlias(u16_(r)?),
            0x24 => Self::MaximumQoS(byte(r)?),
            0x25 => Self::RetainAvailable(byte(r)?),
            0x26 => Self::UserProperty(s(r)?, s(r)?),
            0x27 => Self::MaximumPacketSize(u32_(r)?),
            0x28 => Self::WildcardSubscriptionAvailable(byte(r)?),
            0x29 => Self::SubscriptionIdentifierAvailable(byte(r)?),
            0x2A => Self::SharedSubscriptionAvailable(byte(r)?),
            _ => return None,
        })
    }
}

/// Checks one property given as a value for packet part `place` (allowed
/// there, not repeated unless it may be, in range, strings without U+0000
/// and within 65,535 bytes, in that order) and returns its encoded size.
#[inline(always)]
fn checked_len(p: &Property<'_>, place: u16, seen: &mut u64) -> Result<usize, EncodeError> {
    let (id, value) = p.parts();
    // `spec` folds to constants once `parts` is inlined
    let (places, range) = match spec(id) {
        Some(s) => (s.places, s.range),
        None => (0, Range::Any),
    };
    if places & place == 0 {
        return Err(EncodeError::PropertyNotAllowed(id));
    }
    let bit = 1u64 << id;
    if *seen & bit != 0 && !may_repeat(id, place) {
        return Err(EncodeError::DuplicateProperty(id));
    }
    *seen |= bit;
    let (number, len) = match value {
        PropertyValue::Byte(v) => (u32::from(v), 1),
        PropertyValue::U16(v) => (u32::from(v), 2),
        PropertyValue::U32(v) => (v, 4),
        PropertyValue::VarInt(v) => (v, vbi_len(v)),
        PropertyValue::Str(s) => {
            if id == RESPONSE_TOPIC {
                validate_name_bytes(s.as_bytes()).map_err(EncodeError::InvalidResponseTopic)?;
            }
            (0, check_str(s)?)
        }
        PropertyValue::Binary(b) => (0, check_bin(b)?),
        PropertyValue::Pair(k, v) => (0, check_str(k)? + check_str(v)?),
    };
    if !range.contains(number) {
        return Err(EncodeError::InvalidPropertyValue(id));
    }
    Ok(1 + len)
}

/// An element of a [`List`]: something that can be read back from the
/// already validated bytes a [`List`] keeps.
pub trait Element<'a>: Copy {
    /// Reads one element from bytes that were validated at decode time;
    /// `None` ends the iteration.
    fn read_validated(r: &mut Reader<'a>) -> Option<Self>;
}

impl<'a> Element<'a> for Property<'a> {
    fn read_validated(r: &mut Reader<'a>) -> Option<Self> {
        Self::read(r)
    }
}

/// A sequence of `T` that is either a validated raw slice of a decoded
/// packet or a slice of values given for encoding.
///
/// A decoded list remembers what it was validated for (a property list: the
/// packet part it came from; a topic filter list: the protocol version), so
/// that encoding it again in the same place copies its bytes instead of
/// checking every element a second time. Anywhere else it is checked like
/// a list of values.
#[derive(Clone, Copy)]
pub struct List<'a, T> {
    repr: Repr<'a, T>,
}

#[derive(Clone, Copy)]
enum Repr<'a, T> {
    Items(&'a [T]),
    Raw {
        bytes: &'a [u8],
        /// A [`ctx`] place or list marker the bytes were validated for; 0
        /// when they were not validated.
        checked: u16,
    },
}

impl<'a, T: Element<'a>> List<'a, T> {
    /// The empty list.
    pub const fn empty() -> Self {
        Self::new(&[])
    }

    /// A list of the given values, for encoding.
    pub const fn new(items: &'a [T]) -> Self {
        Self {
            repr: Repr::Items(items),
        }
    }

    /// Wire bytes that are valid but were not checked by the decoder
    /// (generated ones): encoding checks them.
    #[cfg(feature = "arbitrary")]
    pub(crate) const fn from_raw(raw: &'a [u8]) -> Self {
        Self::checked(raw, 0)
    }

    /// Wire bytes the decoder validated for `checked` (a [`ctx`] value).
    #[inline(always)]
    pub(crate) const fn checked(bytes: &'a [u8], checked: u16) -> Self {
        Self {
            repr: Repr::Raw { bytes, checked },
        }
    }

    /// The validated wire bytes, when this list was decoded.
    pub fn raw(&self) -> Option<&'a [u8]> {
        match self.repr {
            Repr::Raw { bytes, .. } if !bytes.is_empty() => Some(bytes),
            _ => None,
        }
    }

    /// The wire bytes when they were validated for `checked`.
    #[inline(always)]
    pub(crate) fn raw_checked_for(&self, checked: u16) -> Option<&'a [u8]> {
        match self.repr {
            Repr::Raw { bytes, checked: c } if c == checked && c != 0 => Some(bytes),
            _ => None,
        }
    }

    /// Whether there are no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        match self.repr {
            Repr::Items(items) => items.is_empty(),
            Repr::Raw { bytes, .. } => bytes.is_empty(),
        }
    }

    /// The elements in order.
    pub fn iter(&self) -> Iter<'a, T> {
        let (raw, items) = match self.repr {
            Repr::Items(items) => (&[][..], items),
            Repr::Raw { bytes, .. } => (bytes, &[][..]),
        };
        Iter {
            raw: Reader::new(raw),
            items: items.iter(),
        }
    }
}

impl<'a, T: Element<'a>> Default for List<'a, T> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<'a, T: Element<'a> + PartialEq> PartialEq for List<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'a, T: Element<'a> + Eq> Eq for List<'a, T> {}

impl<'a, T: Element<'a> + fmt::Debug> fmt::Debug for List<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, T: Element<'a>> IntoIterator for List<'a, T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// Iterator over a [`List`].
#[derive(Debug, Clone)]
pub struct Iter<'a, T> {
    raw: Reader<'a>,
    items: core::slice::Iter<'a, T>,
}

impl<'a, T: Element<'a>> Iterator for Iter<'a, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        if let Some(x) = self.items.next() {
            return Some(*x);
        }
        if self.raw.is_empty() {
            return None;
        }
        T::read_validated(&mut self.raw)
    }
}

/// MQTT 5 properties of one packet: validated at decode time, iterated as
/// [`Property`] values; build them for encoding with [`List::new`].
pub type Properties<'a> = List<'a, Property<'a>>;

impl<'a> Properties<'a> {
    /// The first property with identifier `id`.
    pub fn get(&self, id: u8) -> Option<Property<'a>> {
        self.iter().find(|p| p.id() == id)
    }
}

/// Checks the property bytes of packet part `place`: every property known,
/// readable within the property length, its strings valid, allowed here,
/// not repeated unless it may be, and in range. The checks run in that
/// order for each property in turn, so the first fault found is reported.
pub(crate) fn validate(bytes: &[u8], place: u16) -> Result<(), DecodeError> {
    const OVERRUN: DecodeError = DecodeError::PropertyOverrun;
    let overrun = |_| OVERRUN;
    let mut seen = 0u64;
    let mut r = Reader::new(bytes);
    while let Ok(id) = r.u8() {
        let Some(spec) = SPECS.get(usize::from(id)).copied().flatten() else {
            return Err(DecodeError::UnknownProperty(id));
        };
        let mut text: &[u8] = &[];
        let value = match spec.kind {
            Kind::Byte => u32::from(r.u8().map_err(overrun)?),
            Kind::U16 => u32::from(r.u16().map_err(overrun)?),
            Kind::U32 => r.u32().map_err(overrun)?,
            Kind::VarInt => match parse_vbi(r.peek_rest()) {
                Vbi::Value(v, n) => {
                    r.skip(n).map_err(overrun)?;
                    v
                }
                Vbi::Incomplete => return Err(OVERRUN),
                Vbi::Malformed => return Err(DecodeError::MalformedVarInt),
            },
            Kind::Str => {
                let s = r.u16_prefixed().map_err(overrun)?;
                check_utf8(s)?;
                text = s;
                0
            }
            Kind::Bin => {
                r.u16_prefixed().map_err(overrun)?;
                0
            }
            Kind::Pair => {
                check_utf8(r.u16_prefixed().map_err(overrun)?)?;
                check_utf8(r.u16_prefixed().map_err(overrun)?)?;
                0
            }
        };
        if spec.places & place == 0 {
            return Err(DecodeError::PropertyNotAllowed(id));
        }
        let bit = 1u64 << id;
        if seen & bit != 0 && !may_repeat(id, place) {
            return Err(DecodeError::DuplicateProperty(id));
        }
        seen |= bit;
        if !spec.range.contains(value) {
            return Err(DecodeError::InvalidPropertyValue(id));
        }
        if id == RESPONSE_TOPIC {
            validate_name_bytes(text).map_err(DecodeError::InvalidResponseTopic)?;
        }
    }
    Ok(())
}

/// Reads a property length and the properties of packet part `place`.
#[inline]
pub(crate) fn read_properties<'a>(
    r: &mut Cursor<'a>,
    place: u16,
) -> Result<Properties<'a>, DecodeError> {
    let len = match r.rest_slice().first() {
        // the common case: a one-byte property length
        Some(&n) if n < 0x80 => {
            r.skip_byte();
            usize::from(n)
        }
        _ => match parse_vbi(r.rest_slice()) {
            Vbi::Value(v, n) => {
                r.take(n, "property length")?;
                v as usize
            }
            Vbi::Incomplete => return Err(DecodeError::Truncated("property length")),
            Vbi::Malformed => return Err(DecodeError::MalformedVarInt),
        },
    };
    let bytes = r.take(len, "properties")?;
    if !bytes.is_empty() {
        validate(bytes, place)?;
    }
    Ok(List::checked(bytes, place))
}

/// Checks properties for encoding in `place`; returns the length of the
/// property bytes (without the property length itself). A list decoded
/// from this very place was checked then and is not checked again.
#[inline(always)]
pub(crate) fn properties_len(p: &Properties<'_>, place: u16) -> Result<usize, EncodeError> {
    match p.repr {
        Repr::Raw { bytes, checked } if checked == place && checked != 0 => Ok(bytes.len()),
        Repr::Items([]) => Ok(0),
        _ => check_properties(p, place),
    }
}

/// [`properties_len`] for lists given as values, or decoded elsewhere.
#[inline(never)]
fn check_properties(p: &Properties<'_>, place: u16) -> Result<usize, EncodeError> {
    let len = match p.repr {
        Repr::Raw { bytes, .. } => {
            validate(bytes, place).map_err(|e| match e {
                DecodeError::PropertyNotAllowed(id) => EncodeError::PropertyNotAllowed(id),
                DecodeError::DuplicateProperty(id) => EncodeError::DuplicateProperty(id),
                DecodeError::InvalidPropertyValue(id) => EncodeError::InvalidPropertyValue(id),
                DecodeError::NulInString => EncodeError::NulInString,
                DecodeError::InvalidResponseTopic(t) => EncodeError::InvalidResponseTopic(t),
                _ => EncodeError::Invalid("malformed property bytes"),
            })?;
            bytes.len()
        }
        Repr::Items(items) => {
            let mut seen = 0u64;
            let mut len = 0usize;
            for prop in items {
                len += checked_len(prop, place, &mut seen)?;
            }
            len
        }
    };
    if len > MAX_VBI as usize {
        return Err(EncodeError::PacketTooLarge(len));
    }
    Ok(len)
}

/// Writes the property length and the properties [`properties_len`]
/// accepted.
#[inline(always)]
pub(crate) fn write_properties<S: Sink>(w: &mut S, p: &Properties<'_>) {
    match p.repr {
        Repr::Raw { bytes, .. } => {
            put_vbi(w, bytes.len() as u32);
            w.put(bytes);
        }
        Repr::Items([]) => w.put_u8(0),
        Repr::Items(items) => w.out_of_line(|w| write_items(w, items)),
    }
}

/// [`write_properties`] for a list of values.
#[inline(never)]
fn write_items<S: Sink>(w: &mut S, items: &[Property<'_>]) {
    let len: usize = items.iter().map(Property::wire_len).sum();
    put_vbi(w, len as u32);
    for prop in items {
        prop.write(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lookup table and the typed enum agree on every property.
    #[test]
    fn table_matches_the_enum() {
        let all = [
            Property::PayloadFormatIndicator(0),
            Property::MessageExpiryInterval(0),
            Property::ContentType(""),
            Property::ResponseTopic("r"),
            Property::CorrelationData(&[]),
            Property::SubscriptionIdentifier(1),
            Property::SessionExpiryInterval(0),
            Property::AssignedClientIdentifier(""),
            Property::ServerKeepAlive(0),
            Property::AuthenticationMethod(""),
            Property::AuthenticationData(&[]),
            Property::RequestProblemInformation(0),
            Property::WillDelayInterval(0),
            Property::RequestResponseInformation(0),
            Property::ResponseInformation(""),
            Property::ServerReference(""),
            Property::ReasonString(""),
            Property::ReceiveMaximum(1),
            Property::TopicAliasMaximum(0),
            Property::TopicAlias(1),
            Property::MaximumQoS(0),
            Property::RetainAvailable(0),
            Property::UserProperty("", ""),
            Property::MaximumPacketSize(1),
            Property::WildcardSubscriptionAvailable(0),
            Property::SubscriptionIdentifierAvailable(0),
            Property::SharedSubscriptionAvailable(0),
        ];
        let known = (0..=255u8).filter(|&id| spec(id).is_some()).count();
        assert_eq!(known, all.len());
        for p in all {
            let s = spec(p.id()).unwrap();
            let kind = match p.value() {
                PropertyValue::Byte(_) => Kind::Byte,
                PropertyValue::U16(_) => Kind::U16,
                PropertyValue::U32(_) => Kind::U32,
                PropertyValue::VarInt(_) => Kind::VarInt,
                PropertyValue::Str(_) => Kind::Str,
                PropertyValue::Binary(_) => Kind::Bin,
                PropertyValue::Pair(..) => Kind::Pair,
            };
            assert!(s.kind == kind, "{p:?}");
            assert!(SPECS[usize::from(p.id())].is_some());
            // one encoded property of each kind is read back the same
            let mut buf = [0u8; 16];
            let n = p.encoded_len().unwrap();
            let mut w = crate::sink::SliceSink::new(&mut buf[..n]);
            p.write(&mut w);
            assert!(w.filled());
            assert_eq!(Property::read(&mut Reader::new(&buf[..n])), Some(p));
            assert_eq!(validate(&buf[..n], s.places), Ok(()));
        }
    }
}
