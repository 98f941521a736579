//! The body sections (part 3, 3.2.6 to 3.2.8): one or more `data`
//! sections, one or more `amqp-sequence` sections, or one `amqp-value`.

use core::fmt;

use iotcodec_core::{Reader, Writer};

use crate::composite::{descriptor_len, put_descriptor, read_head};
use crate::error::EncodeError;
use crate::types::encode::{put_var, var_len};
use crate::types::{code, decode, Budget, List, Value};

pub(super) const DATA: u64 = 0x75;
pub(super) const SEQUENCE: u64 = 0x76;
pub(super) const AMQP_VALUE: u64 = 0x77;

/// One or more `data` sections (part 3, 3.2.6), each a binary.
#[derive(Clone, Copy)]
pub struct DataSections<'a>(DataRepr<'a>);

#[derive(Clone, Copy)]
enum DataRepr<'a> {
    /// The validated sections as they were decoded.
    Encoded {
        bytes: &'a [u8],
        count: u32,
    },
    One(&'a [u8]),
    Slices(&'a [&'a [u8]]),
}

impl<'a> DataSections<'a> {
    /// The validated sections of a decoded message.
    pub(super) const fn encoded(bytes: &'a [u8], count: u32) -> Self {
        Self(DataRepr::Encoded { bytes, count })
    }

    /// A single data section.
    pub const fn one(data: &'a [u8]) -> Self {
        Self(DataRepr::One(data))
    }

    /// One data section per slice (at least one is needed in a message).
    pub const fn from_slices(sections: &'a [&'a [u8]]) -> Self {
        Self(DataRepr::Slices(sections))
    }

    /// The number of sections.
    pub fn len(&self) -> usize {
        match self.0 {
            DataRepr::Encoded { count, .. } => count as usize,
            DataRepr::One(_) => 1,
            DataRepr::Slices(s) => s.len(),
        }
    }

    /// Whether there are none (never, for a decoded message).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each section's bytes, in order.
    pub fn iter(&self) -> DataIter<'a> {
        DataIter(match self.0 {
            DataRepr::Encoded { bytes, count } => DataIterRepr::Encoded {
                r: Reader::new(bytes),
                left: count,
            },
            DataRepr::One(b) => DataIterRepr::One(Some(b)),
            DataRepr::Slices(s) => DataIterRepr::Slices(s.iter()),
        })
    }

    /// The total bytes of all sections' data.
    pub fn total_len(&self) -> usize {
        self.iter().map(<[u8]>::len).sum()
    }

    pub(super) fn encoded_len(&self) -> Result<usize, EncodeError> {
        let mut n = 0usize;
        for d in self.iter() {
            n = n
                .checked_add(descriptor_len(DATA) + var_len(d.len())?)
                .ok_or(EncodeError::TooLarge)?;
        }
        Ok(n)
    }

    pub(super) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        for d in self.iter() {
            put_descriptor(w, DATA)?;
            put_var(w, code::VBIN8, code::VBIN32, d)?;
        }
        Ok(())
    }
}

impl PartialEq for DataSections<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for DataSections<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Iterator over [`DataSections`].
#[derive(Debug, Clone)]
pub struct DataIter<'a>(DataIterRepr<'a>);

#[derive(Debug, Clone)]
enum DataIterRepr<'a> {
    Encoded { r: Reader<'a>, left: u32 },
    One(Option<&'a [u8]>),
    Slices(core::slice::Iter<'a, &'a [u8]>),
}

impl<'a> Iterator for DataIter<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        match &mut self.0 {
            DataIterRepr::Encoded { r, left } => {
                *left = left.checked_sub(1)?;
                // Validated when the message was decoded.
                let (_, b) = read_head(r, Budget::DEFAULT, "data").ok()?;
                match decode::value(r, b).ok()? {
                    Value::Binary(d) => Some(d),
                    _ => None,
                }
            }
            DataIterRepr::One(b) => b.take(),
            DataIterRepr::Slices(it) => it.next().copied(),
        }
    }
}

/// One or more `amqp-sequence` sections (part 3, 3.2.7), each a list.
#[derive(Clone, Copy)]
pub struct SequenceSections<'a>(SeqSecRepr<'a>);

#[derive(Clone, Copy)]
enum SeqSecRepr<'a> {
    Encoded {
        bytes: &'a [u8],
        count: u32,
        budget: Budget,
    },
    Lists(&'a [List<'a>]),
}

impl<'a> SequenceSections<'a> {
    /// The validated sections of a decoded message.
    pub(super) const fn encoded(bytes: &'a [u8], count: u32, budget: Budget) -> Self {
        Self(SeqSecRepr::Encoded {
            bytes,
            count,
            budget,
        })
    }

    /// One section per list.
    pub const fn from_lists(lists: &'a [List<'a>]) -> Self {
        Self(SeqSecRepr::Lists(lists))
    }

    /// The number of sections.
    pub fn len(&self) -> usize {
        match self.0 {
            SeqSecRepr::Encoded { count, .. } => count as usize,
            SeqSecRepr::Lists(l) => l.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each section's list, in order.
    pub fn iter(&self) -> impl Iterator<Item = List<'a>> + 'a {
        let (mut r, mut left, budget, lists) = match self.0 {
            SeqSecRepr::Encoded {
                bytes,
                count,
                budget,
            } => (Reader::new(bytes), count, budget, &[][..]),
            SeqSecRepr::Lists(l) => (Reader::new(&[]), 0, Budget::DEFAULT, l),
        };
        let encoded = core::iter::from_fn(move || {
            left = left.checked_sub(1)?;
            let (_, b) = read_head(&mut r, budget, "amqp-sequence").ok()?;
            decode::value(&mut r, b).ok()?.as_list()
        });
        lists.iter().copied().chain(encoded)
    }

    pub(super) fn encoded_len(&self) -> Result<usize, EncodeError> {
        let mut n = 0usize;
        for l in self.iter() {
            n = n
                .checked_add(descriptor_len(SEQUENCE) + Value::List(l).encoded_len()?)
                .ok_or(EncodeError::TooLarge)?;
        }
        Ok(n)
    }

    pub(super) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        for l in self.iter() {
            put_descriptor(w, SEQUENCE)?;
            Value::List(l).write_to(w)?;
        }
        Ok(())
    }
}

impl PartialEq for SequenceSections<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for SequenceSections<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A message body (part 3, 3.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Body<'a> {
    /// One or more `data` sections.
    Data(DataSections<'a>),
    /// One or more `amqp-sequence` sections.
    Sequence(SequenceSections<'a>),
    /// One `amqp-value` section.
    Value(Value<'a>),
}
