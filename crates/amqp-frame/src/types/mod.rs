//! The AMQP 1.0 type system (part 1, `types.xml`): borrowed values and their codec.
//!
//! [`Value::decode`] reads one encoded value without allocating: strings,
//! binaries and symbols borrow from the input, and lists, maps and arrays keep
//! their validated bytes and yield their elements lazily. [`Value::encode_to_slice`]
//! always picks the shortest constructor, so re-encoding canonical input gives
//! the same bytes; decoding accepts every wider constructor too.
//!
//! # Hostile input
//!
//! * nesting of compound and described values is capped by
//!   [`DecodeOptions::max_depth`] (default 32);
//! * sizes and counts are checked against the bytes present before anything
//!   is iterated, and a compound's elements must consume exactly its size;
//! * arrays whose element constructor has zero width (`null`, `true`,
//!   `false`, `uint0`, `ulong0`, `list0`, possibly described) would let a few
//!   bytes claim 2^32 elements; their count is capped by
//!   [`DecodeOptions::max_zero_width_elements`] (default 4096). Every other array,
//!   list and map must have no more elements than bytes.
//!
//! Decoding validates a compound completely once; iterating it later decodes
//! its elements again (so nested compounds cost one pass per level). An
//! array of zero-width elements is validated by checking its constructor
//! once, not once per element, so nested zero-width arrays stay linear.
//!
//! # Arrays
//!
//! When encoding, an array's shared element constructor is the smallest that
//! fits every element (`smalluint` only if all are below 256, `str8` only if
//! all are shorter than 256 bytes, `list8` only if every list fits, ...).
//! Booleans use `boolean` (0x56), and `uint0`, `ulong0` and `list0` are never
//! chosen. `null` elements are zero-width, so an array of more than
//! [`DecodeOptions::max_zero_width_elements`] nulls encodes but does not decode
//! under the same limits. An empty array built in memory gets `null` as its
//! element constructor; a decoded empty array keeps the one it arrived with.
//! Elements that are described values share one descriptor, written once in
//! the constructor; elements described twice over are not supported.

pub(crate) mod decode;
pub(crate) mod encode;
pub(crate) mod symbols;

use crate::error::DecodeError;
use crate::options::DecodeOptions;
use iotcodec_core::Reader;

/// AMQP 1.0 format codes.
pub mod code {
    /// Descriptor marker of a described type.
    pub const DESCRIBED: u8 = 0x00;
    /// `null`.
    pub const NULL: u8 = 0x40;
    /// `boolean` `true`.
    pub const TRUE: u8 = 0x41;
    /// `boolean` `false`.
    pub const FALSE: u8 = 0x42;
    /// `uint` zero.
    pub const UINT0: u8 = 0x43;
    /// `ulong` zero.
    pub const ULONG0: u8 = 0x44;
    /// Empty `list`.
    pub const LIST0: u8 = 0x45;
    /// `ubyte`.
    pub const UBYTE: u8 = 0x50;
    /// `byte`.
    pub const BYTE: u8 = 0x51;
    /// `uint` in one byte.
    pub const SMALLUINT: u8 = 0x52;
    /// `ulong` in one byte.
    pub const SMALLULONG: u8 = 0x53;
    /// `int` in one signed byte.
    pub const SMALLINT: u8 = 0x54;
    /// `long` in one signed byte.
    pub const SMALLLONG: u8 = 0x55;
    /// `boolean` in one byte (0 or 1).
    pub const BOOLEAN: u8 = 0x56;
    /// `ushort`.
    pub const USHORT: u8 = 0x60;
    /// `short`.
    pub const SHORT: u8 = 0x61;
    /// `uint`.
    pub const UINT: u8 = 0x70;
    /// `int`.
    pub const INT: u8 = 0x71;
    /// `float` (IEEE 754 binary32).
    pub const FLOAT: u8 = 0x72;
    /// `char` (UTF-32 code point).
    pub const CHAR: u8 = 0x73;
    /// `decimal32`.
    pub const DECIMAL32: u8 = 0x74;
    /// `ulong`.
    pub const ULONG: u8 = 0x80;
    /// `long`.
    pub const LONG: u8 = 0x81;
    /// `double` (IEEE 754 binary64).
    pub const DOUBLE: u8 = 0x82;
    /// `timestamp` (ms since the Unix epoch).
    pub const TIMESTAMP: u8 = 0x83;
    /// `decimal64`.
    pub const DECIMAL64: u8 = 0x84;
    /// `decimal128`.
    pub const DECIMAL128: u8 = 0x94;
    /// `uuid`.
    pub const UUID: u8 = 0x98;
    /// `binary` with a one-byte length.
    pub const VBIN8: u8 = 0xa0;
    /// `string` with a one-byte length.
    pub const STR8: u8 = 0xa1;
    /// `symbol` with a one-byte length.
    pub const SYM8: u8 = 0xa3;
    /// `binary` with a four-byte length.
    pub const VBIN32: u8 = 0xb0;
    /// `string` with a four-byte length.
    pub const STR32: u8 = 0xb1;
    /// `symbol` with a four-byte length.
    pub const SYM32: u8 = 0xb3;
    /// `list` with one-byte size and count.
    pub const LIST8: u8 = 0xc0;
    /// `map` with one-byte size and count.
    pub const MAP8: u8 = 0xc1;
    /// `list` with four-byte size and count.
    pub const LIST32: u8 = 0xd0;
    /// `map` with four-byte size and count.
    pub const MAP32: u8 = 0xd1;
    /// `array` with one-byte size and count.
    pub const ARRAY8: u8 = 0xe0;
    /// `array` with four-byte size and count.
    pub const ARRAY32: u8 = 0xf0;
}

/// Decoding state carried into lazily decoded compounds: the limits and how
/// much nesting depth is left, in 8 bytes (it is stored in every lazily
/// decoded list, map and array). Nesting limits above 65535 are treated as
/// 65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Budget {
    max_zero_width_elements: u32,
    max_depth: u16,
    depth_left: u16,
}

impl Budget {
    /// The budget of [`DecodeOptions::new()`].
    pub(crate) const DEFAULT: Self = Self::new(&DecodeOptions::new());

    pub(crate) const fn new(options: &DecodeOptions) -> Self {
        let max_depth = if options.max_depth > u16::MAX as u32 {
            u16::MAX
        } else {
            options.max_depth as u16
        };
        Self {
            max_zero_width_elements: options.max_zero_width_elements,
            max_depth,
            depth_left: max_depth,
        }
    }

    pub(crate) const fn max_zero_width_elements(self) -> u32 {
        self.max_zero_width_elements
    }

    #[inline]
    pub(crate) fn deeper(self) -> Result<Self, DecodeError> {
        match self.depth_left.checked_sub(1) {
            Some(depth_left) => Ok(Self { depth_left, ..self }),
            None => Err(DecodeError::DepthExceeded {
                limit: u32::from(self.max_depth),
            }),
        }
    }
}

/// The descriptor of a described type: a numeric code or a symbolic name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Descriptor<'a> {
    /// A `ulong` descriptor, `domain << 32 | id` (e.g. `0x13` for flow).
    Code(u64),
    /// A `symbol` descriptor such as `amqp:flow:list`.
    Symbol(&'a str),
}

/// A described value: a descriptor and the value it describes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Described<'a> {
    /// What the value means.
    pub descriptor: Descriptor<'a>,
    /// The described value, decoded on demand.
    pub value: RawValue<'a>,
}

impl<'a> Described<'a> {
    /// A described value built from a value in memory, for encoding.
    pub const fn new(descriptor: Descriptor<'a>, value: &'a Value<'a>) -> Self {
        Self {
            descriptor,
            value: RawValue(RawRepr::Value(value)),
        }
    }
}

/// A single value kept in encoded form until [`RawValue::decode`] is called.
#[derive(Debug, Clone, Copy)]
pub struct RawValue<'a>(pub(crate) RawRepr<'a>);

#[derive(Debug, Clone, Copy)]
pub(crate) enum RawRepr<'a> {
    /// Validated encoding: constructor bytes and the body they apply to.
    Encoded {
        ctor: &'a [u8],
        body: &'a [u8],
        budget: Budget,
    },
    /// A value in memory.
    Value(&'a Value<'a>),
}

impl<'a> RawValue<'a> {
    /// A raw value referring to a value in memory.
    pub const fn from_value(value: &'a Value<'a>) -> Self {
        Self(RawRepr::Value(value))
    }

    /// Decodes the value. Values produced by [`Value::decode`] were already
    /// validated, so this only fails if that validation was bypassed.
    pub fn decode(&self) -> Result<Value<'a>, DecodeError> {
        match self.0 {
            RawRepr::Encoded { ctor, body, budget } => {
                let mut r = Reader::new(body);
                decode::with_ctor(ctor, &mut r, budget)
            }
            RawRepr::Value(v) => Ok(*v),
        }
    }
}

impl PartialEq for RawValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.decode() == other.decode()
    }
}

/// An AMQP list: validated bytes and a count, iterated lazily.
#[derive(Debug, Clone, Copy)]
pub struct List<'a>(pub(crate) SeqRepr<'a>);

/// An AMQP map: validated bytes and a count, iterated lazily as pairs.
#[derive(Debug, Clone, Copy)]
pub struct Map<'a>(pub(crate) MapRepr<'a>);

/// An AMQP array: one shared element constructor, elements iterated lazily.
#[derive(Debug, Clone, Copy)]
pub struct Array<'a>(pub(crate) ArrayRepr<'a>);

#[derive(Debug, Clone, Copy)]
pub(crate) enum SeqRepr<'a> {
    Encoded {
        elems: &'a [u8],
        count: u32,
        budget: Budget,
    },
    Values(&'a [Value<'a>]),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum MapRepr<'a> {
    /// `count` is the number of keys plus values, as on the wire.
    Encoded {
        elems: &'a [u8],
        count: u32,
        budget: Budget,
    },
    Pairs(&'a [(Value<'a>, Value<'a>)]),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum ArrayRepr<'a> {
    Encoded {
        ctor: &'a [u8],
        elems: &'a [u8],
        count: u32,
        budget: Budget,
    },
    Values(&'a [Value<'a>]),
}

impl<'a> List<'a> {
    /// A list of values in memory, for encoding.
    pub const fn from_values(values: &'a [Value<'a>]) -> Self {
        Self(SeqRepr::Values(values))
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        match self.0 {
            SeqRepr::Encoded { count, .. } => count as usize,
            SeqRepr::Values(v) => v.len(),
        }
    }

    /// Whether the list has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements, decoded one at a time.
    pub fn iter(&self) -> ListIter<'a> {
        ListIter(match self.0 {
            SeqRepr::Encoded {
                elems,
                count,
                budget,
            } => SeqIter::Encoded {
                r: Reader::new(elems),
                left: count,
                budget,
            },
            SeqRepr::Values(v) => SeqIter::Values(v.iter()),
        })
    }
}

impl<'a> IntoIterator for List<'a> {
    type Item = Result<Value<'a>, DecodeError>;
    type IntoIter = ListIter<'a>;
    fn into_iter(self) -> ListIter<'a> {
        self.iter()
    }
}

impl PartialEq for List<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Iterator over a [`List`]'s elements.
#[derive(Debug, Clone)]
pub struct ListIter<'a>(SeqIter<'a>);

#[derive(Debug, Clone)]
enum SeqIter<'a> {
    Encoded {
        r: Reader<'a>,
        left: u32,
        budget: Budget,
    },
    Values(core::slice::Iter<'a, Value<'a>>),
}

impl<'a> SeqIter<'a> {
    fn next_value(&mut self) -> Option<Result<Value<'a>, DecodeError>> {
        match self {
            Self::Encoded { r, left, budget } => {
                *left = left.checked_sub(1)?;
                let v = decode::value(r, *budget);
                if v.is_err() {
                    *left = 0;
                }
                Some(v)
            }
            Self::Values(it) => it.next().map(|v| Ok(*v)),
        }
    }
}

impl<'a> Iterator for ListIter<'a> {
    type Item = Result<Value<'a>, DecodeError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_value()
    }
}

impl<'a> Map<'a> {
    /// A map of key/value pairs in memory, for encoding.
    pub const fn from_pairs(pairs: &'a [(Value<'a>, Value<'a>)]) -> Self {
        Self(MapRepr::Pairs(pairs))
    }

    /// The number of key/value pairs.
    pub fn len(&self) -> usize {
        match self.0 {
            MapRepr::Encoded { count, .. } => count as usize / 2,
            MapRepr::Pairs(p) => p.len(),
        }
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries in wire order, decoded one at a time.
    pub fn iter(&self) -> MapIter<'a> {
        MapIter(match self.0 {
            MapRepr::Encoded {
                elems,
                count,
                budget,
            } => PairIter::Encoded {
                r: Reader::new(elems),
                left: count / 2,
                budget,
            },
            MapRepr::Pairs(p) => PairIter::Pairs(p.iter()),
        })
    }
}

impl<'a> IntoIterator for Map<'a> {
    type Item = Result<(Value<'a>, Value<'a>), DecodeError>;
    type IntoIter = MapIter<'a>;
    fn into_iter(self) -> MapIter<'a> {
        self.iter()
    }
}

impl PartialEq for Map<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Iterator over a [`Map`]'s key/value pairs.
#[derive(Debug, Clone)]
pub struct MapIter<'a>(PairIter<'a>);

#[derive(Debug, Clone)]
enum PairIter<'a> {
    Encoded {
        r: Reader<'a>,
        left: u32,
        budget: Budget,
    },
    Pairs(core::slice::Iter<'a, (Value<'a>, Value<'a>)>),
}

impl<'a> Iterator for MapIter<'a> {
    type Item = Result<(Value<'a>, Value<'a>), DecodeError>;
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            PairIter::Encoded { r, left, budget } => {
                *left = left.checked_sub(1)?;
                let pair = decode::value(r, *budget)
                    .and_then(|k| decode::value(r, *budget).map(|v| (k, v)));
                if pair.is_err() {
                    *left = 0;
                }
                Some(pair)
            }
            PairIter::Pairs(it) => it.next().map(|p| Ok(*p)),
        }
    }
}

impl<'a> Array<'a> {
    /// An array of values in memory, for encoding. The elements must all
    /// have the same type (and, if described, the same descriptor).
    pub const fn from_values(values: &'a [Value<'a>]) -> Self {
        Self(ArrayRepr::Values(values))
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        match self.0 {
            ArrayRepr::Encoded { count, .. } => count as usize,
            ArrayRepr::Values(v) => v.len(),
        }
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements, decoded one at a time.
    pub fn iter(&self) -> ArrayIter<'a> {
        match self.0 {
            ArrayRepr::Encoded {
                ctor,
                elems,
                count,
                budget,
            } => ArrayIter {
                ctor,
                inner: SeqIter::Encoded {
                    r: Reader::new(elems),
                    left: count,
                    budget,
                },
            },
            ArrayRepr::Values(v) => ArrayIter {
                ctor: &[],
                inner: SeqIter::Values(v.iter()),
            },
        }
    }
}

impl<'a> IntoIterator for Array<'a> {
    type Item = Result<Value<'a>, DecodeError>;
    type IntoIter = ArrayIter<'a>;
    fn into_iter(self) -> ArrayIter<'a> {
        self.iter()
    }
}

impl PartialEq for Array<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Iterator over an [`Array`]'s elements.
#[derive(Debug, Clone)]
pub struct ArrayIter<'a> {
    ctor: &'a [u8],
    inner: SeqIter<'a>,
}

impl<'a> Iterator for ArrayIter<'a> {
    type Item = Result<Value<'a>, DecodeError>;
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            SeqIter::Encoded { r, left, budget } => {
                *left = left.checked_sub(1)?;
                let v = decode::with_ctor(self.ctor, r, *budget);
                if v.is_err() {
                    *left = 0;
                }
                Some(v)
            }
            it @ SeqIter::Values(_) => it.next_value(),
        }
    }
}

/// One AMQP 1.0 value, borrowing from the bytes it was decoded from (or from
/// values in memory when built for encoding).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `boolean`.
    Bool(bool),
    /// `ubyte`.
    Ubyte(u8),
    /// `ushort`.
    Ushort(u16),
    /// `uint`.
    Uint(u32),
    /// `ulong`.
    Ulong(u64),
    /// `byte`.
    Byte(i8),
    /// `short`.
    Short(i16),
    /// `int`.
    Int(i32),
    /// `long`.
    Long(i64),
    /// `float`.
    Float(f32),
    /// `double`.
    Double(f64),
    /// `decimal32`, IEEE 754 decimal bytes as on the wire.
    Decimal32([u8; 4]),
    /// `decimal64`, IEEE 754 decimal bytes as on the wire.
    Decimal64([u8; 8]),
    /// `decimal128`, IEEE 754 decimal bytes as on the wire.
    Decimal128([u8; 16]),
    /// `char`.
    Char(char),
    /// `timestamp`: milliseconds since the Unix epoch, any `i64`.
    Timestamp(i64),
    /// `uuid`, RFC 4122 bytes.
    Uuid([u8; 16]),
    /// `binary`.
    Binary(&'a [u8]),
    /// `string`.
    Str(&'a str),
    /// `symbol` (ASCII).
    Symbol(&'a str),
    /// `list`.
    List(List<'a>),
    /// `map`.
    Map(Map<'a>),
    /// `array`.
    Array(Array<'a>),
    /// A described value.
    Described(Described<'a>),
}

impl<'a> Value<'a> {
    /// Decodes one value from the start of `buf` with the default
    /// [`DecodeOptions`], returning it and the number of bytes it used.
    pub fn decode(buf: &'a [u8]) -> Result<(Self, usize), DecodeError> {
        Self::decode_with(buf, &DecodeOptions::new())
    }

    /// Decodes one value from the start of `buf` under `options`.
    pub fn decode_with(
        buf: &'a [u8],
        options: &DecodeOptions,
    ) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(buf);
        let v = Self::read(&mut r, options)?;
        Ok((v, r.position()))
    }

    /// Decodes one value from `r` under `options`, advancing it past the
    /// value. On error the reader's position is unspecified.
    pub fn read(r: &mut Reader<'a>, options: &DecodeOptions) -> Result<Self, DecodeError> {
        decode::value(r, Budget::new(options))
    }
}

impl<'a> Value<'a> {
    /// Whether this is `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The boolean, if this is one.
    pub const fn as_bool(&self) -> Option<bool> {
        match *self {
            Self::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The `uint`, if this is one.
    pub const fn as_uint(&self) -> Option<u32> {
        match *self {
            Self::Uint(x) => Some(x),
            _ => None,
        }
    }

    /// The `ulong`, if this is one.
    pub const fn as_ulong(&self) -> Option<u64> {
        match *self {
            Self::Ulong(x) => Some(x),
            _ => None,
        }
    }

    /// The string, if this is a `string`.
    pub const fn as_str(&self) -> Option<&'a str> {
        match *self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The name, if this is a `symbol`.
    pub const fn as_symbol(&self) -> Option<&'a str> {
        match *self {
            Self::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is a `binary`.
    pub const fn as_binary(&self) -> Option<&'a [u8]> {
        match *self {
            Self::Binary(b) => Some(b),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub const fn as_list(&self) -> Option<List<'a>> {
        match *self {
            Self::List(l) => Some(l),
            _ => None,
        }
    }

    /// The map, if this is one.
    pub const fn as_map(&self) -> Option<Map<'a>> {
        match *self {
            Self::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub const fn as_array(&self) -> Option<Array<'a>> {
        match *self {
            Self::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The described value, if this is one.
    pub const fn as_described(&self) -> Option<Described<'a>> {
        match *self {
            Self::Described(d) => Some(d),
            _ => None,
        }
    }
}
