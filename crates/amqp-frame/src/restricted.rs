//! Restricted types shared by many definitions: `multiple` symbol fields,
//! `fields` maps, `annotations` maps and application properties.
//!
//! Each wraps the borrowed value it was decoded from (validated once when
//! decoded) and iterates it lazily; each can also be built from values in
//! memory for encoding.

use core::fmt;

use iotcodec_core::{Reader, Writer};

use crate::codec::{put_sym, var_len, DecodeComposite, Enc};
use crate::error::EncodeError;
use crate::messaging::{DeliveryState, LinkTarget, Outcome, Source};
use crate::transport::{Attach, Begin, Open};
use crate::types::encode::{canonical_checked_map, entry_codes, map_header};
use crate::types::{code, Array, ArrayRepr, Budget, Map, Value};

/// A `multiple="true"` symbol field (capabilities, locales, mechanisms,
/// outcomes): absent, a single symbol, or an array of symbols.
///
/// All three forms decode; an absent field, `null` and an empty array mean
/// the same and compare equal. A single value encodes as a single symbol,
/// a slice as an array (the form a decoded value arrived in is kept, so
/// canonical input re-encodes to the same bytes).
#[derive(Clone, Copy)]
pub struct Symbols<'a>(SymRepr<'a>);

#[derive(Clone, Copy)]
enum SymRepr<'a> {
    Empty,
    One(&'a str),
    /// The elements of a decoded array of symbols (validated): each a
    /// one-byte (`sym8`) or four-byte (`sym32`) length and ASCII bytes.
    Raw {
        elems: &'a [u8],
        count: u32,
        wide: bool,
    },
    Slice(&'a [&'a str]),
}

impl<'a> Symbols<'a> {
    /// No symbols (the field is left out or `null`).
    pub const EMPTY: Self = Self(SymRepr::Empty);

    /// A single symbol, encoded as a plain `symbol`.
    pub const fn one(s: &'a str) -> Self {
        Self(SymRepr::One(s))
    }

    /// Symbols encoded as an array (an empty slice is [`Symbols::EMPTY`]).
    pub const fn from_slice(s: &'a [&'a str]) -> Self {
        if s.is_empty() {
            Self::EMPTY
        } else {
            Self(SymRepr::Slice(s))
        }
    }

    /// A decoded array, if its elements are symbols (the decoder already
    /// validated each element against the shared constructor).
    pub(crate) fn from_decoded_array(a: Array<'a>) -> Option<Self> {
        match a.0 {
            ArrayRepr::Encoded {
                ctor, elems, count, ..
            } => match ctor {
                [code::SYM8] => Some(Self(SymRepr::Raw {
                    elems,
                    count,
                    wide: false,
                })),
                [code::SYM32] => Some(Self(SymRepr::Raw {
                    elems,
                    count,
                    wide: true,
                })),
                _ => None,
            },
            ArrayRepr::Values(_) => None,
        }
    }

    /// How many symbols there are.
    pub fn len(&self) -> usize {
        match self.0 {
            SymRepr::Empty => 0,
            SymRepr::One(_) => 1,
            SymRepr::Raw { count, .. } => count as usize,
            SymRepr::Slice(s) => s.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `s` is one of them.
    pub fn contains(&self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }

    /// The symbols in order.
    pub fn iter(&self) -> SymbolsIter<'a> {
        SymbolsIter(match self.0 {
            SymRepr::Empty => SymIter::One(None),
            SymRepr::One(s) => SymIter::One(Some(s)),
            SymRepr::Raw { elems, count, wide } => SymIter::Raw {
                r: Reader::new(elems),
                left: count,
                wide,
            },
            SymRepr::Slice(s) => SymIter::Slice(s.iter()),
        })
    }

    pub(crate) fn encoded_len(&self) -> Result<usize, EncodeError> {
        match self.0 {
            SymRepr::Empty => Ok(1),
            SymRepr::One(s) => var_len(s.len()),
            SymRepr::Raw { .. } | SymRepr::Slice(_) => {
                slice_plan(self.iter(), self.len()).map(|(total, _, _)| total)
            }
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self.0 {
            SymRepr::Empty => Ok(w.put_u8(code::NULL)?),
            SymRepr::One(s) => put_sym(w, s),
            SymRepr::Raw { .. } | SymRepr::Slice(_) => {
                let count = self.len();
                let (_, data, narrow) = slice_plan(self.iter(), count)?;
                if count <= 255 && data < 255 {
                    w.put_u8(code::ARRAY8)?;
                    w.put_u8(data as u8 + 1)?;
                    w.put_u8(count as u8)?;
                } else {
                    let size = u32::try_from(data + 4).map_err(|_| EncodeError::TooLarge)?;
                    let count = u32::try_from(count).map_err(|_| EncodeError::TooLarge)?;
                    w.put_u8(code::ARRAY32)?;
                    w.put_u32(size)?;
                    w.put_u32(count)?;
                }
                w.put_u8(if narrow { code::SYM8 } else { code::SYM32 })?;
                for x in self.iter() {
                    if narrow {
                        w.put_u8(x.len() as u8)?;
                    } else {
                        w.put_u32(x.len() as u32)?;
                    }
                    w.put_slice(x.as_bytes())?;
                }
                Ok(())
            }
        }
    }
}

/// (total bytes, bytes after the size and count fields, whether `sym8` fits).
fn slice_plan<'s>(
    s: impl Iterator<Item = &'s str>,
    count: usize,
) -> Result<(usize, usize, bool), EncodeError> {
    let mut narrow = true;
    let mut chars = 0usize;
    for x in s {
        if !x.is_ascii() {
            return Err(EncodeError::InvalidSymbol);
        }
        if u32::try_from(x.len()).is_err() {
            return Err(EncodeError::TooLarge);
        }
        narrow &= x.len() <= 255;
        chars = chars.checked_add(x.len()).ok_or(EncodeError::TooLarge)?;
    }
    let per = if narrow { 1 } else { 4 };
    let data = count
        .checked_mul(per)
        .and_then(|n| n.checked_add(chars))
        .and_then(|n| n.checked_add(1))
        .ok_or(EncodeError::TooLarge)?;
    let total = if count <= 255 && data < 255 {
        3 + data
    } else {
        data.checked_add(9).ok_or(EncodeError::TooLarge)?
    };
    Ok((total, data, narrow))
}

impl Default for Symbols<'_> {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl PartialEq for Symbols<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Symbols<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for Symbols<'a> {
    type Item = &'a str;
    type IntoIter = SymbolsIter<'a>;
    fn into_iter(self) -> SymbolsIter<'a> {
        self.iter()
    }
}

/// Iterator over [`Symbols`].
#[derive(Debug, Clone)]
pub struct SymbolsIter<'a>(SymIter<'a>);

#[derive(Debug, Clone)]
enum SymIter<'a> {
    One(Option<&'a str>),
    Raw {
        r: Reader<'a>,
        left: u32,
        wide: bool,
    },
    Slice(core::slice::Iter<'a, &'a str>),
}

impl<'a> Iterator for SymbolsIter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        match &mut self.0 {
            SymIter::One(s) => s.take(),
            // Every element was checked to be an ASCII symbol when decoded.
            SymIter::Raw { r, left, wide } => {
                *left = left.checked_sub(1)?;
                let n = if *wide {
                    r.u32().ok()? as usize
                } else {
                    usize::from(r.u8().ok()?)
                };
                core::str::from_utf8(r.take(n).ok()?).ok()
            }
            SymIter::Slice(it) => it.next().copied(),
        }
    }
}

macro_rules! map_wrapper {
    ($(#[$m:meta])* $name:ident, $key:ty, $what:literal, $keyfn:expr, $valfn:expr, $codes:expr) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq)]
        pub struct $name<'a>(Map<'a>);

        impl<'a> $name<'a> {
            /// Entries from a map in memory, for encoding (its keys and values
            /// are checked when it is encoded).
            pub const fn from_map(map: Map<'a>) -> Self {
                Self(map)
            }

            /// A map decoded and checked by the codec.
            pub(crate) const fn from_validated(map: Map<'a>) -> Self {
                Self(map)
            }

            /// The map itself.
            pub const fn as_map(&self) -> Map<'a> {
                self.0
            }

            /// The number of entries.
            pub fn len(&self) -> usize {
                self.0.len()
            }

            /// Whether there are no entries.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            /// The entries in wire order.
            pub fn iter(&self) -> impl Iterator<Item = ($key, Value<'a>)> + 'a {
                self.0.iter().filter_map(|e| {
                    let (k, v) = e.ok()?;
                    Some((($keyfn)(&k)?, v))
                })
            }

            /// The value of the first entry whose key is `key`.
            pub fn get(&self, key: $key) -> Option<Value<'a>> {
                self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
            }

            pub(crate) fn check(k: &Value<'_>, v: &Value<'_>) -> bool {
                ($keyfn)(k).is_some() && ($valfn)(v)
            }

            /// The same rule on the first format codes of a key and a value.
            pub(crate) fn check_codes(k: u8, v: u8) -> bool {
                ($codes)(k, v)
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map().entries(self.iter()).finish()
            }
        }

        impl Enc for $name<'_> {
            fn plan(&self) -> Result<crate::codec::Planned, EncodeError> {
                Ok(crate::codec::Planned::leaf(self.enc_len()?))
            }

            fn enc_len(&self) -> Result<usize, EncodeError> {
                // A decoded, canonical map: its header and its bytes.
                match canonical_checked_map(&self.0, Self::check_codes) {
                    Some(Ok(elems)) => {
                        let (h, _) = map_header(self.0.len() * 2, elems.len())?;
                        return Ok(h + elems.len());
                    }
                    Some(Err(())) => return Err(EncodeError::Invalid($what)),
                    None => {}
                }
                // A decoded map's keys and values are checked from their
                // format codes, without decoding them.
                let ok = match entry_codes(&self.0) {
                    Some(mut codes) => codes.all(|(k, v)| Self::check_codes(k, v)),
                    None => self
                        .0
                        .iter()
                        .all(|e| e.is_ok_and(|(k, v)| Self::check(&k, &v))),
                };
                if !ok {
                    return Err(EncodeError::Invalid($what));
                }
                Value::Map(self.0).encoded_len()
            }
            fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                if let Some(Ok(elems)) = canonical_checked_map(&self.0, Self::check_codes) {
                    let (n, h) = map_header(self.0.len() * 2, elems.len())?;
                    w.put_slice(&h[..n])?;
                    return Ok(w.put_slice(elems)?);
                }
                Value::Map(self.0).encode(w)
            }
        }
    };
}

fn symbol_key<'a>(k: &Value<'a>) -> Option<&'a str> {
    k.as_symbol()
}

fn string_key<'a>(k: &Value<'a>) -> Option<&'a str> {
    k.as_str()
}

fn annotation_key<'a>(k: &Value<'a>) -> Option<AnnotationKey<'a>> {
    match *k {
        Value::Symbol(s) => Some(AnnotationKey::Symbol(s)),
        Value::Ulong(x) => Some(AnnotationKey::Ulong(x)),
        _ => None,
    }
}

fn any_value(_: &Value<'_>) -> bool {
    true
}

/// Application property values are simple types: no map, list or array
/// (part 3, 3.2.5). Described values are accepted, as some brokers send them.
fn simple_value(v: &Value<'_>) -> bool {
    !matches!(v, Value::Map(_) | Value::List(_) | Value::Array(_))
}

/// The key of an annotation: a symbol or a ulong (part 3, 3.2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnnotationKey<'a> {
    /// A symbolic key (`x-opt-...` for optional ones).
    Symbol(&'a str),
    /// A numeric key.
    Ulong(u64),
}

map_wrapper!(
    /// A `fields` map (part 2, 2.8.13): symbol keys, any values.
    Fields,
    &'a str,
    "fields key is not a symbol (part 2, 2.8.13)",
    symbol_key,
    any_value,
    |k, _| matches!(k, code::SYM8 | code::SYM32)
);

map_wrapper!(
    /// An `annotations` map (part 3, 3.2.10): symbol or ulong keys, any
    /// values. Delivery annotations, message annotations and the footer.
    Annotations,
    AnnotationKey<'a>,
    "annotations key is neither a symbol nor a ulong (part 3, 3.2.10)",
    annotation_key,
    any_value,
    |k, _| matches!(
        k,
        code::SYM8 | code::SYM32 | code::ULONG0 | code::SMALLULONG | code::ULONG
    )
);

map_wrapper!(
    /// Application properties (part 3, 3.2.5): string keys, values of
    /// simple types (no map, list or array).
    ApplicationProperties,
    &'a str,
    "application-properties key is not a string or value is compound (part 3, 3.2.5)",
    string_key,
    simple_value,
    |k, v| matches!(k, code::STR8 | code::STR32)
        && !matches!(
            v,
            code::LIST0
                | code::LIST8
                | code::LIST32
                | code::MAP8
                | code::MAP32
                | code::ARRAY8
                | code::ARRAY32
        )
);

/// A large, rarely used value held in encoded form: `open`, `begin` and
/// `attach` in a [`Performative`](crate::Performative), the `source` and
/// `target` of an `attach`, the state of a `transfer`, the provisional
/// outcome of a transactional state. It was
/// validated completely when its container was decoded; [`Lazy::decode`]
/// decodes it again into its type. Keeping such values encoded keeps the
/// types that hold them small, which makes every frame cheaper to decode
/// and to move (measured: see `docs/BENCHMARKS.md`).
pub struct Lazy<'a, T>(LazyRepr<'a, T>);

enum LazyRepr<'a, T> {
    Encoded { bytes: &'a [u8], budget: Budget },
    Value(&'a T),
}

impl<T> Clone for Lazy<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Lazy<'_, T> {}

impl<T> Clone for LazyRepr<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for LazyRepr<'_, T> {}

impl<'a, T> Lazy<'a, T> {
    /// A value in memory, for encoding.
    pub const fn new(value: &'a T) -> Self {
        Self(LazyRepr::Value(value))
    }

    pub(crate) const fn encoded(bytes: &'a [u8], budget: Budget) -> Self {
        Self(LazyRepr::Encoded { bytes, budget })
    }
}

macro_rules! lazy_for {
    ($t:ident) => {
        impl<'a> Lazy<'a, $t<'a>> {
            /// The value. A decoded one was validated with its container, so
            /// this fails only if that validation was bypassed.
            pub fn decode(&self) -> Result<$t<'a>, crate::DecodeError> {
                match self.0 {
                    LazyRepr::Encoded { bytes, budget } => {
                        $t::read(&mut Reader::new(bytes), budget)
                    }
                    LazyRepr::Value(v) => Ok(*v),
                }
            }
        }

        impl PartialEq for Lazy<'_, $t<'_>> {
            fn eq(&self, other: &Self) -> bool {
                self.decode() == other.decode()
            }
        }

        impl fmt::Debug for Lazy<'_, $t<'_>> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.decode() {
                    Ok(v) => v.fmt(f),
                    Err(e) => write!(f, "<undecodable: {e}>"),
                }
            }
        }

        impl Enc for Lazy<'_, $t<'_>> {
            fn enc_len(&self) -> Result<usize, EncodeError> {
                self.decode()?.enc_len()
            }
            fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
                self.decode()?.enc(w)
            }
        }
    };
}

lazy_for!(Source);
lazy_for!(LinkTarget);
lazy_for!(Open);
lazy_for!(Begin);
lazy_for!(Attach);
lazy_for!(Outcome);
lazy_for!(DeliveryState);
