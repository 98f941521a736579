//! Restricted types shared by many definitions: `multiple` symbol fields,
//! `fields` maps, `annotations` maps and application properties.
//!
//! Each wraps the borrowed value it was decoded from (validated once when
//! decoded) and iterates it lazily; each can also be built from values in
//! memory for encoding.

use core::fmt;

use iotcodec_core::{Reader, Writer};

use crate::composite::{read_map, Enc, ListReader};
use crate::error::{DecodeError, EncodeError};
use crate::types::encode::{canonical_checked_map, entry_codes, map_header};
use crate::types::{code, Budget, Map, Value};

pub use crate::types::symbols::{Symbols, SymbolsIter};

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
            fn plan(&self) -> Result<crate::composite::Planned, EncodeError> {
                Ok(crate::composite::Planned::leaf(self.enc_len()?))
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
                Value::Map(self.0).write_to(w)
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

impl<'a, T: Copy> Lazy<'a, T> {
    /// The value, read again by `read` from its validated bytes (the
    /// `decode` of each `Lazy<T>`, generated beside `T` by `lazy_for!`).
    #[inline]
    pub(crate) fn decode_by(
        &self,
        read: fn(&mut Reader<'a>, Budget) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        match self.0 {
            LazyRepr::Encoded { bytes, budget } => read(&mut Reader::new(bytes), budget),
            LazyRepr::Value(v) => Ok(*v),
        }
    }
}

/// `decode`, `PartialEq`, `Debug` and the encoder of `Lazy<'_, T<'_>>`,
/// for a definition `T` with a `read(&mut Reader, Budget)` function and an
/// `Enc` implementation. Invoked beside each type that may be held lazily.
macro_rules! lazy_for {
    ($t:ident) => {
        impl<'a> $crate::restricted::Lazy<'a, $t<'a>> {
            /// The value. A decoded one was validated with its container, so
            /// this fails only if that validation was bypassed.
            pub fn decode(&self) -> Result<$t<'a>, $crate::DecodeError> {
                self.decode_by($t::read)
            }
        }

        impl PartialEq for $crate::restricted::Lazy<'_, $t<'_>> {
            fn eq(&self, other: &Self) -> bool {
                self.decode() == other.decode()
            }
        }

        impl core::fmt::Debug for $crate::restricted::Lazy<'_, $t<'_>> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.decode() {
                    Ok(v) => v.fmt(f),
                    Err(e) => write!(f, "<undecodable: {e}>"),
                }
            }
        }

        impl $crate::composite::Enc for $crate::restricted::Lazy<'_, $t<'_>> {
            fn enc_len(&self) -> Result<usize, $crate::EncodeError> {
                $crate::composite::Enc::enc_len(&self.decode()?)
            }
            fn enc(&self, w: &mut iotcodec_core::Writer<'_>) -> Result<(), $crate::EncodeError> {
                $crate::composite::Enc::enc(&self.decode()?, w)
            }
        }
    };
}
pub(crate) use lazy_for;

/// The field readers of the restricted types.
impl<'a> ListReader<'a> {
    /// A `fields` map: symbol keys.
    #[inline(always)]
    pub(crate) fn fields(&mut self, field: &'static str) -> Option<Fields<'a>> {
        // Usually absent: answered here, without a call whose result would
        // come back through memory.
        if self.take_null() {
            return None;
        }
        self.fields_present(field)
    }

    #[inline(never)]
    fn fields_present(&mut self, field: &'static str) -> Option<Fields<'a>> {
        let name = self.name;
        self.nested(|r, b| {
            read_map(r, b, Fields::check_codes).map_err(|e| match e {
                DecodeError::InvalidField { .. } => DecodeError::InvalidField {
                    composite: name,
                    field,
                },
                e => e,
            })
        })
        .map(Fields::from_validated)
    }

    /// The next field validated by `read` and kept in encoded form.
    pub(crate) fn lazy<T>(
        &mut self,
        read: fn(&mut Reader<'a>, Budget) -> Result<T, DecodeError>,
    ) -> Option<Lazy<'a, T>> {
        self.validated(read)
            .map(|(bytes, budget)| Lazy::encoded(bytes, budget))
    }
}
