//! Restricted types shared by many definitions: `multiple` symbol fields,
//! `fields` maps, `annotations` maps and application properties.
//!
//! Each wraps the borrowed value it was decoded from (validated once when
//! decoded) and iterates it lazily; each can also be built from values in
//! memory for encoding.

use core::fmt;

use iotcodec_core::Writer;

use crate::codec::{put_sym, var_len, Enc};
use crate::error::EncodeError;
use crate::types::{code, Array, Map, Value};

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
    /// Decoded; every element was checked to be a symbol.
    Array(Array<'a>),
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

    /// A decoded array, if every element is a symbol.
    pub(crate) fn from_decoded_array(a: Array<'a>) -> Option<Self> {
        for e in a.iter() {
            if !matches!(e, Ok(Value::Symbol(_))) {
                return None;
            }
        }
        Some(Self(SymRepr::Array(a)))
    }

    /// How many symbols there are.
    pub fn len(&self) -> usize {
        match self.0 {
            SymRepr::Empty => 0,
            SymRepr::One(_) => 1,
            SymRepr::Array(a) => a.len(),
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
            SymRepr::Array(a) => SymIter::Array(a.iter()),
            SymRepr::Slice(s) => SymIter::Slice(s.iter()),
        })
    }

    pub(crate) fn encoded_len(&self) -> Result<usize, EncodeError> {
        match self.0 {
            SymRepr::Empty => Ok(1),
            SymRepr::One(s) => var_len(s.len()),
            SymRepr::Array(a) => Value::Array(a).encoded_len(),
            SymRepr::Slice(s) => slice_plan(s).map(|(total, _, _)| total),
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self.0 {
            SymRepr::Empty => Ok(w.put_u8(code::NULL)?),
            SymRepr::One(s) => put_sym(w, s),
            SymRepr::Array(a) => Value::Array(a).encode(w),
            SymRepr::Slice(s) => {
                let (_, data, narrow) = slice_plan(s)?;
                let count = s.len();
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
                for x in s {
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
fn slice_plan(s: &[&str]) -> Result<(usize, usize, bool), EncodeError> {
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
    let data = s
        .len()
        .checked_mul(per)
        .and_then(|n| n.checked_add(chars))
        .and_then(|n| n.checked_add(1))
        .ok_or(EncodeError::TooLarge)?;
    let total = if s.len() <= 255 && data < 255 {
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
    Array(crate::types::ArrayIter<'a>),
    Slice(core::slice::Iter<'a, &'a str>),
}

impl<'a> Iterator for SymbolsIter<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        match &mut self.0 {
            SymIter::One(s) => s.take(),
            // Every element was checked to be a symbol when decoded.
            SymIter::Array(it) => match it.next()? {
                Ok(Value::Symbol(s)) => Some(s),
                _ => None,
            },
            SymIter::Slice(it) => it.next().copied(),
        }
    }
}

macro_rules! map_wrapper {
    ($(#[$m:meta])* $name:ident, $key:ty, $what:literal, $keyfn:expr, $valfn:expr) => {
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
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_map().entries(self.iter()).finish()
            }
        }

        impl Enc for $name<'_> {
            fn enc_len(&self) -> Result<usize, EncodeError> {
                for e in self.0.iter() {
                    let (k, v) = e?;
                    if !Self::check(&k, &v) {
                        return Err(EncodeError::Invalid($what));
                    }
                }
                Value::Map(self.0).encoded_len()
            }
            fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
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
    any_value
);

map_wrapper!(
    /// An `annotations` map (part 3, 3.2.10): symbol or ulong keys, any
    /// values. Delivery annotations, message annotations and the footer.
    Annotations,
    AnnotationKey<'a>,
    "annotations key is neither a symbol nor a ulong (part 3, 3.2.10)",
    annotation_key,
    any_value
);

map_wrapper!(
    /// Application properties (part 3, 3.2.5): string keys, values of
    /// simple types (no map, list or array).
    ApplicationProperties,
    &'a str,
    "application-properties key is not a string or value is compound (part 3, 3.2.5)",
    string_key,
    simple_value
);
