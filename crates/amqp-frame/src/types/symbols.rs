//! `multiple="true"` symbol fields (part 1, 1.4: a field that holds a
//! single value or an array of them), as capabilities, locales, SASL
//! mechanisms and outcomes use them.

use core::fmt;

use iotcodec_core::{Reader, Writer};

use super::encode::{put_sym, var_len};
use super::{code, Array, ArrayRepr};
use crate::error::EncodeError;

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
