//! Options (RFC 7252 §3.1, §5.4, §5.10, §12.2): numbers and their
//! properties, the IANA registry of formats and length bounds, values, and
//! option lists in wire form or built by the caller.

use core::fmt;

use crate::sink::Sink;
use crate::{DecodeError, EncodeError};

/// An option number. An open newtype: unknown numbers survive a round trip.
///
/// The number's own bits tell how a receiver that does not know the option
/// must treat it (RFC 7252 §5.4.6): odd numbers are critical, bit 1 marks
/// options a proxy must understand (unsafe to forward), and `(n & 0x1e) ==
/// 0x1c` marks options that are not part of the cache key.
///
/// ```
/// use coap_codec::OptionNumber;
///
/// assert!(OptionNumber::URI_PATH.is_critical());
/// assert!(OptionNumber::URI_PATH.is_unsafe());
/// assert!(OptionNumber::SIZE1.is_no_cache_key());
/// assert!(!OptionNumber::ETAG.is_critical());
/// assert_eq!(OptionNumber::ECHO.name(), Some("Echo"));
/// ```
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct OptionNumber(pub u16);

/// How an option's value is formatted (RFC 7252 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionFormat {
    /// Zero-length value.
    Empty,
    /// Opaque bytes.
    Opaque,
    /// A non-negative integer in network byte order, leading zeros allowed on
    /// receipt and never sent.
    Uint,
    /// UTF-8 text (Net-Unicode).
    String,
}

/// What the IANA registry says about one option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptionDef {
    /// The number.
    pub number: OptionNumber,
    /// The registered name.
    pub name: &'static str,
    /// The value format.
    pub format: OptionFormat,
    /// Shortest valid value, in bytes.
    pub min_len: u16,
    /// Longest valid value, in bytes.
    pub max_len: u16,
    /// Whether the option may occur more than once.
    pub repeatable: bool,
    /// The document defining it.
    pub reference: &'static str,
}

impl OptionDef {
    /// Whether `value` fits the registered format and length bounds; a value
    /// that does not is treated as an unrecognized option (RFC 7252 §5.4.3).
    /// String options must also be UTF-8.
    pub fn value_ok(&self, value: &[u8]) -> bool {
        let len = value.len();
        len >= usize::from(self.min_len)
            && len <= usize::from(self.max_len)
            && (self.format != OptionFormat::String || core::str::from_utf8(value).is_ok())
    }
}

macro_rules! registry {
    ($( $konst:ident = $num:literal, $name:literal, $fmt:ident, $min:literal..=$max:literal, $rep:literal, $reference:literal; )*) => {
        impl OptionNumber {
            $(
                #[doc = concat!($num, " ", $name, " (", $reference, ").")]
                pub const $konst: Self = Self($num);
            )*
        }

        /// The IANA "CoAP Option Numbers" registry, in ascending order.
        pub static REGISTRY: &[OptionDef] = &[
            $(
                OptionDef {
                    number: OptionNumber($num),
                    name: $name,
                    format: OptionFormat::$fmt,
                    min_len: $min,
                    max_len: $max,
                    repeatable: $rep,
                    reference: $reference,
                },
            )*
        ];

        impl OptionNumber {
            /// The registry entry for this number, if it is registered.
            pub fn definition(self) -> Option<&'static OptionDef> {
                let mut i = 0;
                $(
                    if self.0 == $num {
                        return REGISTRY.get(i);
                    }
                    i += 1;
                )*
                let _ = i;
                None
            }
        }
    };
}

registry! {
    IF_MATCH = 1, "If-Match", Opaque, 0..=8, true, "RFC 7252";
    URI_HOST = 3, "Uri-Host", String, 1..=255, false, "RFC 7252";
    ETAG = 4, "ETag", Opaque, 1..=8, true, "RFC 7252";
    IF_NONE_MATCH = 5, "If-None-Match", Empty, 0..=0, false, "RFC 7252";
    OBSERVE = 6, "Observe", Uint, 0..=3, false, "RFC 7641";
    URI_PORT = 7, "Uri-Port", Uint, 0..=2, false, "RFC 7252";
    LOCATION_PATH = 8, "Location-Path", String, 0..=255, true, "RFC 7252";
    OSCORE = 9, "OSCORE", Opaque, 0..=255, false, "RFC 8613";
    URI_PATH = 11, "Uri-Path", String, 0..=255, true, "RFC 7252";
    CONTENT_FORMAT = 12, "Content-Format", Uint, 0..=2, false, "RFC 7252";
    MAX_AGE = 14, "Max-Age", Uint, 0..=4, false, "RFC 7252";
    URI_QUERY = 15, "Uri-Query", String, 0..=255, true, "RFC 7252";
    HOP_LIMIT = 16, "Hop-Limit", Uint, 1..=1, false, "RFC 8768";
    ACCEPT = 17, "Accept", Uint, 0..=2, false, "RFC 7252";
    Q_BLOCK1 = 19, "Q-Block1", Uint, 0..=3, false, "RFC 9177";
    LOCATION_QUERY = 20, "Location-Query", String, 0..=255, true, "RFC 7252";
    EDHOC = 21, "EDHOC", Empty, 0..=0, false, "RFC 9668";
    BLOCK2 = 23, "Block2", Uint, 0..=3, false, "RFC 7959";
    BLOCK1 = 27, "Block1", Uint, 0..=3, false, "RFC 7959";
    SIZE2 = 28, "Size2", Uint, 0..=4, false, "RFC 7959";
    Q_BLOCK2 = 31, "Q-Block2", Uint, 0..=3, false, "RFC 9177";
    PROXY_URI = 35, "Proxy-Uri", String, 1..=1034, false, "RFC 7252";
    PROXY_SCHEME = 39, "Proxy-Scheme", String, 1..=255, false, "RFC 7252";
    SIZE1 = 60, "Size1", Uint, 0..=4, false, "RFC 7252";
    PROXY_CRI = 235, "Proxy-Cri", Opaque, 1..=1034, false, "draft-ietf-core-href";
    PROXY_SCHEME_NUMBER = 239, "Proxy-Scheme-Number", Uint, 0..=4, false, "draft-ietf-core-href";
    ECHO = 252, "Echo", Opaque, 1..=40, false, "RFC 9175";
    NO_RESPONSE = 258, "No-Response", Uint, 0..=1, false, "RFC 7967";
    REQUEST_TAG = 292, "Request-Tag", Opaque, 0..=8, true, "RFC 9175";
    OCF_ACCEPT_CONTENT_FORMAT_VERSION = 2049, "OCF-Accept-Content-Format-Version", Uint, 0..=2, false, "OCF";
    OCF_CONTENT_FORMAT_VERSION = 2053, "OCF-Content-Format-Version", Uint, 0..=2, false, "OCF";
    SCP82_PARAMS = 2055, "SCP82-Params", Opaque, 0..=255, false, "GlobalPlatform";
    X_ADMIN_PROTOCOL = 2056, "X-Admin-Protocol", Opaque, 0..=255, false, "GlobalPlatform";
}

impl OptionNumber {
    /// Odd numbers: a receiver that does not recognize the option must not
    /// ignore it (RFC 7252 §5.4.1).
    pub const fn is_critical(self) -> bool {
        self.0 & 1 == 1
    }

    /// Even numbers: an unrecognized elective option is silently ignored.
    pub const fn is_elective(self) -> bool {
        !self.is_critical()
    }

    /// Bit 1: a proxy that does not understand the option must not forward
    /// the message (RFC 7252 §5.4.2).
    pub const fn is_unsafe(self) -> bool {
        self.0 & 2 == 2
    }

    /// `(n & 0x1e) == 0x1c`: safe-to-forward options that are not part of
    /// the cache key (RFC 7252 §5.4.6).
    pub const fn is_no_cache_key(self) -> bool {
        self.0 & 0x1e == 0x1c
    }

    /// The registered name.
    pub fn name(self) -> Option<&'static str> {
        self.definition().map(|d| d.name)
    }

    /// Whether the option may occur more than once. Unregistered numbers
    /// are treated as repeatable: nothing is known against it.
    pub fn is_repeatable(self) -> bool {
        self.definition().map_or(true, |d| d.repeatable)
    }
}

impl fmt::Debug for OptionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{}({})", name, self.0),
            None => write!(f, "Option({})", self.0),
        }
    }
}

impl fmt::Display for OptionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.0),
        }
    }
}

impl From<u16> for OptionNumber {
    fn from(n: u16) -> Self {
        Self(n)
    }
}

/// Reads an unsigned integer option value: up to 4 bytes, big-endian,
/// leading zeros allowed (RFC 7252 §3.2). `None` when longer than 4 bytes.
pub fn decode_uint(value: &[u8]) -> Option<u32> {
    if value.len() > 4 {
        return None;
    }
    Some(value.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
}

/// The minimal encoding of `v` (no leading zeros; 0 is the empty value)
/// inside a 4-byte array, with its length.
pub fn encode_uint(v: u32) -> ([u8; 4], usize) {
    let len = 4 - (v.leading_zeros() / 8) as usize;
    (v.to_be_bytes(), len)
}

/// An option value given by the caller: borrowed bytes, or an integer kept
/// inline in its minimal encoding.
#[derive(Clone, Copy)]
pub struct OptionValue<'a>(ValueRepr<'a>);

#[derive(Clone, Copy)]
enum ValueRepr<'a> {
    Bytes(&'a [u8]),
    Uint([u8; 4], u8),
}

impl<'a> OptionValue<'a> {
    /// The empty value (If-None-Match, Observe 0, Content-Format 0, ...).
    pub const EMPTY: Self = Self(ValueRepr::Bytes(&[]));

    /// Opaque bytes.
    pub const fn bytes(b: &'a [u8]) -> Self {
        Self(ValueRepr::Bytes(b))
    }

    /// A string.
    pub const fn str(s: &'a str) -> Self {
        Self(ValueRepr::Bytes(s.as_bytes()))
    }

    /// An unsigned integer in its minimal encoding.
    pub fn uint(v: u32) -> Self {
        let (bytes, len) = encode_uint(v);
        // `len` is at most 4
        Self(ValueRepr::Uint(bytes, len as u8))
    }

    /// The value's bytes as they go on the wire.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            ValueRepr::Bytes(b) => b,
            ValueRepr::Uint(bytes, len) => &bytes[4 - usize::from(*len)..],
        }
    }
}

impl PartialEq for OptionValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for OptionValue<'_> {}

impl fmt::Debug for OptionValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x?}", self.as_bytes())
    }
}

/// An option as the caller builds it, for [`Options::from_slice`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoapOption<'a> {
    /// The number.
    pub number: OptionNumber,
    /// The value.
    pub value: OptionValue<'a>,
}

impl<'a> CoapOption<'a> {
    /// An option with opaque bytes.
    pub const fn bytes(number: OptionNumber, value: &'a [u8]) -> Self {
        Self {
            number,
            value: OptionValue::bytes(value),
        }
    }

    /// A string option.
    pub const fn str(number: OptionNumber, value: &'a str) -> Self {
        Self {
            number,
            value: OptionValue::str(value),
        }
    }

    /// An unsigned-integer option, minimally encoded.
    pub fn uint(number: OptionNumber, value: u32) -> Self {
        Self {
            number,
            value: OptionValue::uint(value),
        }
    }

    /// An empty option.
    pub const fn empty(number: OptionNumber) -> Self {
        Self {
            number,
            value: OptionValue::EMPTY,
        }
    }
}

/// One option as found in a message: its number and value bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptionRef<'a> {
    /// The number.
    pub number: OptionNumber,
    /// The value bytes.
    pub value: &'a [u8],
}

impl<'a> OptionRef<'a> {
    /// The value as an unsigned integer (up to 4 bytes).
    pub fn as_uint(&self) -> Option<u32> {
        decode_uint(self.value)
    }

    /// The value as UTF-8 text.
    pub fn as_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.value).ok()
    }
}

impl fmt::Debug for OptionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fmt = self.number.definition().map(|d| d.format);
        match (fmt, self.as_str(), self.as_uint()) {
            (Some(OptionFormat::String), Some(s), _) => write!(f, "{:?}: {:?}", self.number, s),
            (Some(OptionFormat::Uint), _, Some(v)) => write!(f, "{:?}: {}", self.number, v),
            _ => write!(f, "{:?}: {:02x?}", self.number, self.value),
        }
    }
}

/// The options of a message: either the validated wire bytes of a decoded
/// message, or a list the caller built (ascending by number).
///
/// Iterating never fails: wire bytes are validated when the message is
/// decoded (or by [`Options::from_encoded`]), and a caller's list is checked
/// when encoding.
#[derive(Clone, Copy)]
pub struct Options<'a>(Repr<'a>);

#[derive(Clone, Copy)]
enum Repr<'a> {
    Encoded(&'a [u8]),
    List(&'a [CoapOption<'a>]),
    #[cfg(feature = "alloc")]
    Owned(&'a OptionList),
}

impl<'a> Options<'a> {
    /// No options.
    pub const EMPTY: Options<'static> = Options(Repr::Encoded(&[]));

    /// Options from a caller's list, which must be in ascending order of
    /// their numbers (repeated options in the order they are to appear);
    /// encoding checks it.
    pub const fn from_slice(list: &'a [CoapOption<'a>]) -> Self {
        Self(Repr::List(list))
    }

    /// Options in wire form (delta/length headers, no payload marker),
    /// validated here.
    pub fn from_encoded(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let (end, _) = scan(bytes)?;
        if end != bytes.len() {
            // a payload marker is not part of the options
            return Err(DecodeError::ReservedNibble);
        }
        Ok(Self(Repr::Encoded(bytes)))
    }

    /// Wire bytes already validated by [`scan`].
    pub(crate) const fn encoded_unchecked(bytes: &'a [u8]) -> Self {
        Self(Repr::Encoded(bytes))
    }

    /// The wire bytes, when these options came from a decoded message.
    pub fn as_encoded(&self) -> Option<&'a [u8]> {
        match self.0 {
            Repr::Encoded(b) => Some(b),
            _ => None,
        }
    }

    /// Every option, in order.
    pub fn iter(&self) -> OptionsIter<'a> {
        OptionsIter(match self.0 {
            Repr::Encoded(b) => IterRepr::Encoded { rest: b, number: 0 },
            Repr::List(l) => IterRepr::List(l.iter()),
            #[cfg(feature = "alloc")]
            Repr::Owned(o) => IterRepr::Owned(o, 0),
        })
    }

    /// Whether there are no options.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The value of the first occurrence of `number`.
    pub fn get(&self, number: OptionNumber) -> Option<&'a [u8]> {
        self.get_all(number).next()
    }

    /// The values of every occurrence of `number`, in order.
    pub fn get_all(&self, number: OptionNumber) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.iter()
            .skip_while(move |o| o.number < number)
            .take_while(move |o| o.number == number)
            .map(|o| o.value)
    }

    /// The first occurrence of a registered option, as the registry allows
    /// it: `None` when absent or when its value breaks the registered bounds
    /// (such a value is treated as an unrecognized option, RFC 7252 §5.4.3).
    /// Later occurrences of a non-repeatable option are ignored (§5.4.5).
    pub fn get_valid(&self, number: OptionNumber) -> Option<&'a [u8]> {
        let v = self.get(number)?;
        match number.definition() {
            Some(d) if !d.value_ok(v) => None,
            _ => Some(v),
        }
    }

    /// The first valid occurrence of an unsigned-integer option.
    pub fn get_uint(&self, number: OptionNumber) -> Option<u32> {
        self.get_valid(number).and_then(decode_uint)
    }

    /// The first valid occurrence of a string option.
    pub fn get_str(&self, number: OptionNumber) -> Option<&'a str> {
        self.get_valid(number)
            .and_then(|v| core::str::from_utf8(v).ok())
    }

    /// Every occurrence of a repeatable string option, skipping values that
    /// break the registry's bounds (treated as unrecognized).
    pub fn get_all_str(&self, number: OptionNumber) -> impl Iterator<Item = &'a str> + 'a {
        let def = number.definition();
        self.get_all(number).filter_map(move |v| match def {
            Some(d) if !d.value_ok(v) => None,
            _ => core::str::from_utf8(v).ok(),
        })
    }

    /// The first critical option a receiver must not ignore (RFC 7252 §5.4):
    /// one that `recognized` does not know, a second occurrence of a
    /// non-repeatable option (§5.4.5), or a registered option whose value
    /// breaks its format or length bounds (§5.4.3). `None` when the message
    /// may be processed (unrecognized elective options are ignored).
    ///
    /// A request with such an option is answered 4.02 Bad Option; a
    /// response or an ACK/RST with one is rejected.
    pub fn first_bad_critical(
        &self,
        mut recognized: impl FnMut(OptionNumber) -> bool,
    ) -> Option<OptionNumber> {
        let mut prev: Option<OptionNumber> = None;
        for o in self.iter() {
            let n = o.number;
            let repeated = prev == Some(n);
            prev = Some(n);
            if !n.is_critical() {
                continue;
            }
            let bad = match n.definition() {
                Some(d) => (repeated && !d.repeatable) || !d.value_ok(o.value) || !recognized(n),
                None => !recognized(n),
            };
            if bad {
                return Some(n);
            }
        }
        None
    }

    /// The options a receiver processes: those `recognized` knows, with
    /// values within the registry's bounds, and only the first occurrence
    /// of a non-repeatable option. The rest are what RFC 7252 §5.4 calls
    /// unrecognized; check [`Options::first_bad_critical`] first.
    pub fn recognized(
        &self,
        mut recognized: impl FnMut(OptionNumber) -> bool + 'a,
    ) -> impl Iterator<Item = OptionRef<'a>> + 'a {
        let mut prev: Option<OptionNumber> = None;
        self.iter().filter(move |o| {
            let n = o.number;
            let repeated = prev == Some(n);
            prev = Some(n);
            match n.definition() {
                Some(d) => (!repeated || d.repeatable) && d.value_ok(o.value) && recognized(n),
                None => recognized(n),
            }
        })
    }

    /// Bytes the options take on the wire; checks the order and lengths.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        if let Repr::Encoded(b) = self.0 {
            return Ok(b.len());
        }
        let mut total = 0usize;
        let mut prev = 0u16;
        for o in self.iter() {
            if o.number.0 < prev {
                return Err(EncodeError::OptionsNotAscending(o.number.0));
            }
            let delta = usize::from(o.number.0 - prev);
            let len = o.value.len();
            if len > 65535 + 269 {
                return Err(EncodeError::OptionTooLong(o.number.0));
            }
            total += 1 + ext_len(delta) + ext_len(len) + len;
            prev = o.number.0;
        }
        Ok(total)
    }

    /// Writes the options in wire form; call [`Options::encoded_len`] first.
    pub(crate) fn write(&self, w: &mut impl Sink) -> Result<(), EncodeError> {
        if let Repr::Encoded(b) = self.0 {
            return w.put(b);
        }
        let mut prev = 0u16;
        for o in self.iter() {
            let delta = usize::from(o.number.0.wrapping_sub(prev));
            let (dn, dx) = nibble(delta);
            let (ln, lx) = nibble(o.value.len());
            let mut head = [0u8; 5];
            head[0] = (dn << 4) | ln;
            let mut n = 1;
            for (nib, ext) in [(dn, dx), (ln, lx)] {
                match nib {
                    13 => {
                        head[n] = ext as u8;
                        n += 1;
                    }
                    14 => {
                        head[n..n + 2].copy_from_slice(&ext.to_be_bytes());
                        n += 2;
                    }
                    _ => {}
                }
            }
            w.put(&head[..n])?;
            w.put(o.value)?;
            prev = o.number.0;
        }
        Ok(())
    }
}

/// Extra bytes an option delta or length takes beyond its nibble.
fn ext_len(v: usize) -> usize {
    match v {
        0..=12 => 0,
        13..=268 => 1,
        _ => 2,
    }
}

/// The nibble for a delta or length and its extension value.
fn nibble(v: usize) -> (u8, u16) {
    match v {
        // the arms bound the values, so the casts are exact
        0..=12 => (v as u8, 0),
        13..=268 => (13, (v - 13) as u16),
        _ => (14, (v - 269) as u16),
    }
}

/// Walks wire-form options from the start of `bytes` up to a payload marker
/// or the end, validating every header (RFC 7252 §3.1). Returns where the
/// options end (the marker's offset, or `bytes.len()`) and the offset of
/// the payload (after the marker), if there is a marker.
pub(crate) fn scan(bytes: &[u8]) -> Result<(usize, Option<usize>), DecodeError> {
    let mut pos = 0usize;
    let mut number = 0u32;
    while let Some(&b) = bytes.get(pos) {
        if b == 0xff {
            if pos + 1 == bytes.len() {
                return Err(DecodeError::EmptyPayload);
            }
            return Ok((pos, Some(pos + 1)));
        }
        pos += 1;
        let delta = ext_value(bytes, &mut pos, b >> 4)?;
        let len = ext_value(bytes, &mut pos, b & 0x0f)?;
        number += delta;
        if number > 65535 {
            return Err(DecodeError::OptionNumberOverflow(number));
        }
        pos = pos
            .checked_add(len as usize)
            .filter(|&end| end <= bytes.len())
            .ok_or(DecodeError::TruncatedOption)?;
    }
    Ok((pos, None))
}

/// The value of a delta or length nibble with its extension bytes.
#[inline]
fn ext_value(bytes: &[u8], pos: &mut usize, nibble: u8) -> Result<u32, DecodeError> {
    match nibble {
        0..=12 => Ok(u32::from(nibble)),
        13 => {
            let b = *bytes.get(*pos).ok_or(DecodeError::TruncatedOption)?;
            *pos += 1;
            Ok(u32::from(b) + 13)
        }
        14 => {
            let hi = *bytes.get(*pos).ok_or(DecodeError::TruncatedOption)?;
            let lo = *bytes.get(*pos + 1).ok_or(DecodeError::TruncatedOption)?;
            *pos += 2;
            Ok(u32::from(u16::from_be_bytes([hi, lo])) + 269)
        }
        _ => Err(DecodeError::ReservedNibble),
    }
}

impl PartialEq for Options<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Options<'_> {}

impl fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options::EMPTY
    }
}

impl<'a> IntoIterator for Options<'a> {
    type Item = OptionRef<'a>;
    type IntoIter = OptionsIter<'a>;
    fn into_iter(self) -> OptionsIter<'a> {
        self.iter()
    }
}

/// Iterator over [`Options`].
#[derive(Clone)]
pub struct OptionsIter<'a>(IterRepr<'a>);

#[derive(Clone)]
enum IterRepr<'a> {
    Encoded {
        rest: &'a [u8],
        number: u32,
    },
    List(core::slice::Iter<'a, CoapOption<'a>>),
    #[cfg(feature = "alloc")]
    Owned(&'a OptionList, usize),
}

impl<'a> Iterator for OptionsIter<'a> {
    type Item = OptionRef<'a>;

    #[inline]
    fn next(&mut self) -> Option<OptionRef<'a>> {
        match &mut self.0 {
            IterRepr::Encoded { rest, number } => {
                // The bytes were validated; on anything unexpected the
                // iteration simply ends.
                let b = *rest.first()?;
                if b == 0xff {
                    return None;
                }
                let mut pos = 1;
                let delta = ext_value(rest, &mut pos, b >> 4).ok()?;
                let len = ext_value(rest, &mut pos, b & 0x0f).ok()? as usize;
                let value = rest.get(pos..pos + len)?;
                *number += delta;
                *rest = &rest[pos + len..];
                Some(OptionRef {
                    number: OptionNumber(u16::try_from(*number).ok()?),
                    value,
                })
            }
            IterRepr::List(it) => it.next().map(|o| OptionRef {
                number: o.number,
                value: o.value.as_bytes(),
            }),
            #[cfg(feature = "alloc")]
            IterRepr::Owned(list, i) => {
                let o = list.get(*i)?;
                *i += 1;
                Some(o)
            }
        }
    }
}

#[cfg(feature = "alloc")]
pub use owned::OptionList;

#[cfg(feature = "alloc")]
mod owned {
    use alloc::vec::Vec;
    use core::fmt;

    use super::{encode_uint, OptionNumber, OptionRef, Options, Repr};

    /// An owned, always-sorted list of options (feature `alloc`), for
    /// building messages whose options are computed at run time (e.g. from
    /// a URI).
    ///
    /// ```
    /// use coap_codec::{OptionList, OptionNumber};
    ///
    /// let mut opts = OptionList::new();
    /// opts.push_str(OptionNumber::URI_QUERY, "a=1");
    /// opts.push_str(OptionNumber::URI_PATH, "sensors");
    /// opts.push_uint(OptionNumber::CONTENT_FORMAT, 50);
    /// opts.push_str(OptionNumber::URI_PATH, "temp");
    /// let numbers: Vec<u16> = opts.as_options().iter().map(|o| o.number.0).collect();
    /// assert_eq!(numbers, [11, 11, 12, 15]);
    /// assert_eq!(opts.as_options().get(OptionNumber::CONTENT_FORMAT), Some(&[50][..]));
    /// ```
    #[derive(Clone, Default)]
    pub struct OptionList {
        /// (number, offset in `data`, length), ascending by number.
        entries: Vec<(OptionNumber, usize, usize)>,
        pub(super) data: Vec<u8>,
    }

    impl OptionList {
        /// An empty list.
        pub const fn new() -> Self {
            Self {
                entries: Vec::new(),
                data: Vec::new(),
            }
        }

        /// Adds an option after every option with a number up to its own.
        pub fn push(&mut self, number: OptionNumber, value: &[u8]) {
            let start = self.data.len();
            self.data.extend_from_slice(value);
            let at = self.entries.partition_point(|e| e.0 <= number);
            self.entries.insert(at, (number, start, value.len()));
        }

        /// Adds a string option.
        pub fn push_str(&mut self, number: OptionNumber, value: &str) {
            self.push(number, value.as_bytes());
        }

        /// Adds an unsigned-integer option in its minimal encoding.
        pub fn push_uint(&mut self, number: OptionNumber, value: u32) {
            let (b, len) = encode_uint(value);
            self.push(number, &b[4 - len..]);
        }

        /// Adds every option of `options`.
        pub fn extend(&mut self, options: Options<'_>) {
            for o in options.iter() {
                self.push(o.number, o.value);
            }
        }

        /// Removes every occurrence of `number`.
        pub fn remove(&mut self, number: OptionNumber) {
            if !self.entries.iter().any(|e| e.0 == number) {
                return;
            }
            self.entries.retain(|e| e.0 != number);
            // compact: the values left, in order, and nothing else
            let mut data = Vec::with_capacity(self.data.len());
            for e in &mut self.entries {
                let value = self.data.get(e.1..e.1 + e.2).unwrap_or_default();
                e.1 = data.len();
                data.extend_from_slice(value);
            }
            self.data = data;
        }

        /// Replaces every occurrence of `number` with one value.
        pub fn set(&mut self, number: OptionNumber, value: &[u8]) {
            self.remove(number);
            self.push(number, value);
        }

        /// Number of options.
        pub fn len(&self) -> usize {
            self.entries.len()
        }

        /// Whether the list is empty.
        pub fn is_empty(&self) -> bool {
            self.entries.is_empty()
        }

        /// The list as [`Options`], to put in a message.
        pub fn as_options(&self) -> Options<'_> {
            Options(Repr::Owned(self))
        }

        pub(super) fn get(&self, i: usize) -> Option<OptionRef<'_>> {
            let &(number, start, len) = self.entries.get(i)?;
            let value = self.data.get(start..start + len)?;
            Some(OptionRef { number, value })
        }
    }

    /// Equal when they hold the same options in the same order, however
    /// they were built.
    impl PartialEq for OptionList {
        fn eq(&self, other: &Self) -> bool {
            self.as_options() == other.as_options()
        }
    }

    impl Eq for OptionList {}

    impl core::hash::Hash for OptionList {
        fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
            for o in self.as_options().iter() {
                o.hash(state);
            }
        }
    }

    impl fmt::Debug for OptionList {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.as_options().fmt(f)
        }
    }

    impl<'a> From<Options<'a>> for OptionList {
        fn from(options: Options<'a>) -> Self {
            let mut list = Self::new();
            list.extend(options);
            list
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_bits() {
        // RFC 7252 Table 4 / §5.4.6 examples
        let c = |n: OptionNumber| (n.is_critical(), n.is_unsafe(), n.is_no_cache_key());
        assert_eq!(c(OptionNumber::IF_MATCH), (true, false, false));
        assert_eq!(c(OptionNumber::URI_HOST), (true, true, false));
        assert_eq!(c(OptionNumber::ETAG), (false, false, false));
        assert_eq!(c(OptionNumber::URI_PORT), (true, true, false));
        assert_eq!(c(OptionNumber::MAX_AGE), (false, true, false));
        assert_eq!(c(OptionNumber::SIZE1), (false, false, true));
        assert_eq!(c(OptionNumber::SIZE2), (false, false, true));
        assert_eq!(c(OptionNumber::NO_RESPONSE), (false, true, false));
        assert_eq!(c(OptionNumber::ECHO), (false, false, true));
    }

    #[test]
    fn registry_is_sorted_and_consistent() {
        for w in REGISTRY.windows(2) {
            assert!(w[0].number < w[1].number, "{:?}", w[1].number);
        }
        for d in REGISTRY {
            assert_eq!(d.number.definition(), Some(d));
            assert!(d.min_len <= d.max_len);
            if d.format == OptionFormat::Uint {
                assert!(d.max_len <= 4, "{}", d.name);
            }
            if d.format == OptionFormat::Empty {
                assert_eq!(d.max_len, 0, "{}", d.name);
            }
        }
        assert_eq!(REGISTRY.len(), 33);
        assert_eq!(OptionNumber(2).definition(), None);
        assert_eq!(OptionNumber(65535).definition(), None);
    }

    #[test]
    fn uint_values() {
        assert_eq!(encode_uint(0), ([0, 0, 0, 0], 0));
        assert_eq!(OptionValue::uint(0).as_bytes(), &[] as &[u8]);
        assert_eq!(OptionValue::uint(5683).as_bytes(), &[0x16, 0x33]);
        assert_eq!(OptionValue::uint(0x0100_0000).as_bytes(), &[1, 0, 0, 0]);
        assert_eq!(decode_uint(&[0, 0, 0x2a]), Some(42)); // leading zeros accepted
        assert_eq!(decode_uint(&[1, 2, 3, 4, 5]), None);
        assert_eq!(decode_uint(&[]), Some(0));
    }

    #[test]
    fn extended_delta_and_length() {
        // deltas and lengths at the 12/13/268/269 boundaries
        for (number, len) in [
            (12u16, 12usize),
            (13, 13),
            (268, 268),
            (269, 269),
            (65535, 1000),
        ] {
            let value = alloc::vec![0x61; len];
            let list = [CoapOption::bytes(OptionNumber(number), &value)];
            let opts = Options::from_slice(&list);
            let n = opts.encoded_len().unwrap();
            let mut buf = alloc::vec![0u8; n];
            let mut w = iotcodec_core::Writer::new(&mut buf);
            opts.write(&mut w).unwrap();
            assert_eq!(w.written().len(), n);
            let back = Options::from_encoded(&buf).unwrap();
            assert_eq!(back, opts);
            let o = back.iter().next().unwrap();
            assert_eq!((o.number.0, o.value.len()), (number, len));
        }
    }

    #[test]
    fn scan_rejects() {
        assert_eq!(scan(&[0xf0]), Err(DecodeError::ReservedNibble));
        assert_eq!(scan(&[0x0f]), Err(DecodeError::ReservedNibble));
        assert_eq!(scan(&[0xd0]), Err(DecodeError::TruncatedOption));
        assert_eq!(scan(&[0xe0, 0x01]), Err(DecodeError::TruncatedOption));
        assert_eq!(scan(&[0x03, 0x61]), Err(DecodeError::TruncatedOption));
        assert_eq!(scan(&[0x01, 0x61, 0xff]), Err(DecodeError::EmptyPayload));
        // 65535 is the largest number; one more overflows
        assert_eq!(scan(&[0xe0, 0xfe, 0xf2]).map(|r| r.0), Ok(3));
        assert_eq!(
            scan(&[0xe0, 0xfe, 0xf2, 0x10]),
            Err(DecodeError::OptionNumberOverflow(65536))
        );
        assert_eq!(
            scan(&[0xe0, 0xff, 0xff]),
            Err(DecodeError::OptionNumberOverflow(65804))
        );
        assert_eq!(scan(&[0x01, 0x61, 0xff, 0x00]), Ok((2, Some(3))));
    }

    #[test]
    fn encode_checks_order() {
        let list = [
            CoapOption::str(OptionNumber::URI_PATH, "a"),
            CoapOption::str(OptionNumber::URI_HOST, "h"),
        ];
        assert_eq!(
            Options::from_slice(&list).encoded_len(),
            Err(EncodeError::OptionsNotAscending(3))
        );
    }

    #[test]
    fn option_list_equality_and_compaction() {
        let mut a = OptionList::new();
        a.push_str(OptionNumber::URI_PATH, "x");
        a.set(OptionNumber::URI_PATH, b"y");
        let mut b = OptionList::new();
        b.push_str(OptionNumber::URI_PATH, "y");
        assert_eq!(a, b);
        // built in another order, same options
        let mut c = OptionList::new();
        c.push_uint(OptionNumber::CONTENT_FORMAT, 0);
        c.push_str(OptionNumber::URI_PATH, "y");
        let mut d = OptionList::new();
        d.push_str(OptionNumber::URI_PATH, "y");
        d.push_uint(OptionNumber::CONTENT_FORMAT, 0);
        assert_eq!(c, d);
        // repeated set does not grow the buffer
        for i in 0..1000u32 {
            a.set(OptionNumber::URI_PATH, &i.to_be_bytes());
        }
        assert!(a.data.len() <= 8, "{}", a.data.len());
        assert_ne!(a, b);
    }

    #[test]
    fn bad_critical_rules() {
        let known = |n: OptionNumber| n.definition().is_some();
        let check = |list: &[CoapOption<'_>]| Options::from_slice(list).first_bad_critical(known);
        // unrecognized elective: ignored; unrecognized critical: bad
        assert_eq!(check(&[CoapOption::empty(OptionNumber(2048))]), None);
        assert_eq!(
            check(&[CoapOption::empty(OptionNumber(2051))]),
            Some(OptionNumber(2051))
        );
        // repeated non-repeatable critical (Uri-Host) is bad; repeated
        // elective (Max-Age) only ignored; repeatable (Uri-Path) fine
        let host2 = [
            CoapOption::str(OptionNumber::URI_HOST, "a"),
            CoapOption::str(OptionNumber::URI_HOST, "b"),
        ];
        assert_eq!(check(&host2), Some(OptionNumber::URI_HOST));
        let age2 = [
            CoapOption::uint(OptionNumber::MAX_AGE, 1),
            CoapOption::uint(OptionNumber::MAX_AGE, 2),
        ];
        assert_eq!(check(&age2), None);
        assert_eq!(
            Options::from_slice(&age2).get_uint(OptionNumber::MAX_AGE),
            Some(1)
        );
        let paths = [
            CoapOption::str(OptionNumber::URI_PATH, "a"),
            CoapOption::str(OptionNumber::URI_PATH, "b"),
        ];
        assert_eq!(check(&paths), None);
        // length out of bounds: critical (If-None-Match with a value) bad,
        // elective (ETag of 9 bytes) ignored
        assert_eq!(
            check(&[CoapOption::bytes(OptionNumber::IF_NONE_MATCH, b"x")]),
            Some(OptionNumber::IF_NONE_MATCH)
        );
        let etag9 = [CoapOption::bytes(OptionNumber::ETAG, &[0; 9])];
        assert_eq!(check(&etag9), None);
        assert_eq!(
            Options::from_slice(&etag9).get_valid(OptionNumber::ETAG),
            None
        );
        // a critical string option that is not UTF-8 is unrecognized
        assert_eq!(
            check(&[CoapOption::bytes(OptionNumber::URI_PATH, &[0xc3])]),
            Some(OptionNumber::URI_PATH)
        );
        // the application decides what it recognizes
        let no_oscore = |n: OptionNumber| n != OptionNumber::OSCORE;
        assert_eq!(
            Options::from_slice(&[CoapOption::empty(OptionNumber::OSCORE)])
                .first_bad_critical(no_oscore),
            Some(OptionNumber::OSCORE)
        );
        // the recognized view drops what the rules say to ignore
        let mixed = [
            CoapOption::bytes(OptionNumber::ETAG, &[0; 9]),
            CoapOption::str(OptionNumber::URI_PATH, "a"),
            CoapOption::uint(OptionNumber::MAX_AGE, 1),
            CoapOption::uint(OptionNumber::MAX_AGE, 2),
            CoapOption::empty(OptionNumber(2048)),
        ];
        let seen: alloc::vec::Vec<u16> = Options::from_slice(&mixed)
            .recognized(known)
            .map(|o| o.number.0)
            .collect();
        assert_eq!(seen, [11, 14]);
    }
}
