//! MQTT 5 properties, kept borrowed as a validated raw slice.

use core::fmt;

use iotcodec_core::{Reader, Writer};

use crate::error::{DecodeError, EncodeError};
use crate::wire::{check_str, parse_vbi, read_utf8, vbi_len, write_vbi, Vbi, MAX_VBI};

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

/// Bit masks of the places a property may appear (spec table 2-4).
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

    /// Where the property may appear (bit mask of [`ctx`]).
    pub(crate) fn allowed(&self) -> u16 {
        use ctx::*;
        match self {
            Self::PayloadFormatIndicator(_)
            | Self::MessageExpiryInterval(_)
            | Self::ContentType(_)
            | Self::ResponseTopic(_)
            | Self::CorrelationData(_) => PUBLISH | WILL,
            Self::SubscriptionIdentifier(_) => PUBLISH | SUBSCRIBE,
            Self::SessionExpiryInterval(_) => CONNECT | CONNACK | DISCONNECT,
            Self::AssignedClientIdentifier(_)
            | Self::ServerKeepAlive(_)
            | Self::ResponseInformation(_)
            | Self::MaximumQoS(_)
            | Self::RetainAvailable(_)
            | Self::WildcardSubscriptionAvailable(_)
            | Self::SubscriptionIdentifierAvailable(_)
            | Self::SharedSubscriptionAvailable(_) => CONNACK,
            Self::AuthenticationMethod(_) | Self::AuthenticationData(_) => CONNECT | CONNACK | AUTH,
            Self::RequestProblemInformation(_) | Self::RequestResponseInformation(_) => CONNECT,
            Self::WillDelayInterval(_) => WILL,
            Self::ServerReference(_) => CONNACK | DISCONNECT,
            Self::ReasonString(_) => CONNACK | ACK | SUBACK | UNSUBACK | DISCONNECT | AUTH,
            Self::ReceiveMaximum(_) | Self::TopicAliasMaximum(_) | Self::MaximumPacketSize(_) => {
                CONNECT | CONNACK
            }
            Self::TopicAlias(_) => PUBLISH,
            Self::UserProperty(..) => ALL,
        }
    }

    /// Whether the value is inside the property's range.
    fn value_ok(&self) -> bool {
        match *self {
            Self::PayloadFormatIndicator(v)
            | Self::RequestProblemInformation(v)
            | Self::RequestResponseInformation(v)
            | Self::MaximumQoS(v)
            | Self::RetainAvailable(v)
            | Self::WildcardSubscriptionAvailable(v)
            | Self::SubscriptionIdentifierAvailable(v)
            | Self::SharedSubscriptionAvailable(v) => v <= 1,
            Self::ReceiveMaximum(v) | Self::TopicAlias(v) => v != 0,
            Self::MaximumPacketSize(v) => v != 0,
            Self::SubscriptionIdentifier(v) => (1..=MAX_VBI).contains(&v),
            _ => true,
        }
    }

    pub(crate) fn encoded_len(&self) -> Result<usize, EncodeError> {
        let v = match self.value() {
            PropertyValue::Byte(_) => 1,
            PropertyValue::U16(_) => 2,
            PropertyValue::U32(_) => 4,
            PropertyValue::VarInt(v) => vbi_len(v),
            PropertyValue::Str(s) => check_str(s)?,
            PropertyValue::Binary(b) => crate::wire::check_bin(b)?,
            PropertyValue::Pair(k, v) => check_str(k)? + check_str(v)?,
        };
        Ok(1 + v)
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.put_u8(self.id())?;
        match self.value() {
            PropertyValue::Byte(v) => w.put_u8(v)?,
            PropertyValue::U16(v) => w.put_u16(v)?,
            PropertyValue::U32(v) => w.put_u32(v)?,
            PropertyValue::VarInt(v) => write_vbi(w, v)?,
            PropertyValue::Str(s) => put_prefixed(w, s.as_bytes())?,
            PropertyValue::Binary(b) => put_prefixed(w, b)?,
            PropertyValue::Pair(k, v) => {
                put_prefixed(w, k.as_bytes())?;
                put_prefixed(w, v.as_bytes())?;
            }
        }
        Ok(())
    }

    /// Reads one property; truncation is [`DecodeError::PropertyOverrun`].
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        const E: DecodeError = DecodeError::PropertyOverrun;
        let id = r.u8().map_err(|_| E)?;
        let byte = |r: &mut Reader<'a>| r.u8().map_err(|_| E);
        let u16_ = |r: &mut Reader<'a>| r.u16().map_err(|_| E);
        let u32_ = |r: &mut Reader<'a>| r.u32().map_err(|_| E);
        let s = |r: &mut Reader<'a>| -> Result<&'a str, DecodeError> {
            read_utf8(r.u16_prefixed().map_err(|_| E)?)
        };
        let b = |r: &mut Reader<'a>| r.u16_prefixed().map_err(|_| E);
        Ok(match id {
            0x01 => Self::PayloadFormatIndicator(byte(r)?),
            0x02 => Self::MessageExpiryInterval(u32_(r)?),
            0x03 => Self::ContentType(s(r)?),
            0x08 => Self::ResponseTopic(s(r)?),
            0x09 => Self::CorrelationData(b(r)?),
            0x0B => match parse_vbi(r.peek_rest()) {
                Vbi::Value(v, n) => {
                    r.skip(n).map_err(|_| E)?;
                    Self::SubscriptionIdentifier(v)
                }
                Vbi::Incomplete => return Err(E),
                Vbi::Malformed => return Err(DecodeError::MalformedVarInt),
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
            other => return Err(DecodeError::UnknownProperty(other)),
        })
    }
}

pub(crate) fn put_prefixed(w: &mut Writer<'_>, b: &[u8]) -> Result<(), EncodeError> {
    let len = u16::try_from(b.len()).map_err(|_| EncodeError::FieldTooLong(b.len()))?;
    w.put_u16(len)?;
    w.put_slice(b)?;
    Ok(())
}

enum Fault {
    NotAllowed(u8),
    Duplicate(u8),
    Value(u8),
}

fn check(p: &Property<'_>, place: u16, seen: &mut u64) -> Result<(), Fault> {
    let id = p.id();
    if p.allowed() & place == 0 {
        return Err(Fault::NotAllowed(id));
    }
    let bit = 1u64 << id;
    // User Property may repeat anywhere, Subscription Identifier only in PUBLISH
    let may_repeat = id == 0x26 || (id == 0x0B && place == ctx::PUBLISH);
    if *seen & bit != 0 && !may_repeat {
        return Err(Fault::Duplicate(id));
    }
    *seen |= bit;
    if !p.value_ok() {
        return Err(Fault::Value(id));
    }
    Ok(())
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
        Self::read(r).ok()
    }
}

/// A sequence of `T` that is either a validated raw slice of a decoded
/// packet or a slice of values given for encoding.
#[derive(Clone, Copy)]
pub struct List<'a, T> {
    raw: &'a [u8],
    items: &'a [T],
}

impl<'a, T: Element<'a>> List<'a, T> {
    /// The empty list.
    pub const fn empty() -> Self {
        Self {
            raw: &[],
            items: &[],
        }
    }

    /// A list of the given values, for encoding.
    pub const fn new(items: &'a [T]) -> Self {
        Self { raw: &[], items }
    }

    pub(crate) const fn from_raw(raw: &'a [u8]) -> Self {
        Self { raw, items: &[] }
    }

    /// The validated wire bytes, when this list was decoded.
    pub fn raw(&self) -> Option<&'a [u8]> {
        (!self.raw.is_empty()).then_some(self.raw)
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty() && self.items.is_empty()
    }

    /// The elements in order.
    pub fn iter(&self) -> Iter<'a, T> {
        Iter {
            raw: Reader::new(self.raw),
            items: self.items.iter(),
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

/// Reads a property length and the properties of a packet part `place`.
pub(crate) fn read_properties<'a>(
    r: &mut Reader<'a>,
    place: u16,
) -> Result<Properties<'a>, DecodeError> {
    let len = match parse_vbi(r.peek_rest()) {
        Vbi::Value(v, n) => {
            r.skip(n)
                .map_err(|_| DecodeError::Truncated("property length"))?;
            v
        }
        Vbi::Incomplete => return Err(DecodeError::Truncated("property length")),
        Vbi::Malformed => return Err(DecodeError::MalformedVarInt),
    };
    let bytes = r
        .take(len as usize)
        .map_err(|_| DecodeError::Truncated("properties"))?;
    let mut pr = Reader::new(bytes);
    let mut seen = 0u64;
    while !pr.is_empty() {
        let p = Property::read(&mut pr)?;
        check(&p, place, &mut seen).map_err(|f| match f {
            Fault::NotAllowed(id) => DecodeError::PropertyNotAllowed(id),
            Fault::Duplicate(id) => DecodeError::DuplicateProperty(id),
            Fault::Value(id) => DecodeError::InvalidPropertyValue(id),
        })?;
    }
    Ok(List::from_raw(bytes))
}

/// Validates properties for encoding in `place`; returns the length of the
/// property bytes (without the property length itself).
pub(crate) fn properties_len(p: &Properties<'_>, place: u16) -> Result<usize, EncodeError> {
    let mut seen = 0u64;
    let mut len = 0usize;
    for prop in p.iter() {
        check(&prop, place, &mut seen).map_err(|f| match f {
            Fault::NotAllowed(id) => EncodeError::PropertyNotAllowed(id),
            Fault::Duplicate(id) => EncodeError::DuplicateProperty(id),
            Fault::Value(id) => EncodeError::InvalidPropertyValue(id),
        })?;
        len += prop.encoded_len()?;
    }
    if len > MAX_VBI as usize {
        return Err(EncodeError::PacketTooLarge(len));
    }
    Ok(len)
}

/// Writes properties whose length `len` came from [`properties_len`].
pub(crate) fn write_properties(
    w: &mut Writer<'_>,
    p: &Properties<'_>,
    len: usize,
) -> Result<(), EncodeError> {
    write_vbi(w, len as u32)?;
    if let Some(raw) = p.raw() {
        w.put_slice(raw)?;
    }
    for prop in p.items {
        prop.write(w)?;
    }
    Ok(())
}
