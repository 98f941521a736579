//! The composite codec (part 1, 1.4: a described list of fields): the
//! machinery every typed definition shares, reading a described list field
//! by field and writing one with trailing elidable fields left out.
//!
//! Only the type system ([`crate::types`]) is below this module; the
//! definitions built on it (transport, messaging, SASL, transactions, the
//! restricted types) are above it, so nothing here names them.
//!
//! Decoding reads straight from the input (one pass: each field is decoded
//! and validated once, nested compounds included), so a performative costs
//! no more than the bytes it is made of. Encoding visits the fields twice:
//! once to size them and find the last field that must be written, once to
//! write.

use iotcodec_core::{Reader, Writer};

use crate::error::{DecodeError, EncodeError};
use crate::spec;
use crate::types::decode;
use crate::types::encode::{put_sym, put_var, var_len};
use crate::types::symbols::Symbols;
use crate::types::{code, Budget, Descriptor, Map, MapRepr, Value};

/// The numeric code of a descriptor (symbolic descriptors of the standard
/// types are mapped to their codes).
pub(crate) fn descriptor_code(d: &Descriptor<'_>) -> Option<u64> {
    match *d {
        Descriptor::Code(c) => Some(c),
        Descriptor::Symbol(s) => spec::code_of_symbol(s),
    }
}

/// Reads the `0x00` marker and the descriptor of a described value and
/// returns its code (`None` for a descriptor no standard type has) and the
/// budget left for the value it describes. `expected` names the archetype
/// for the error when the value is not described at all.
#[inline(always)]
pub(crate) fn read_head(
    r: &mut Reader<'_>,
    budget: Budget,
    expected: &'static str,
) -> Result<(Option<u64>, Budget), DecodeError> {
    if r.u8()? != code::DESCRIBED {
        return Err(DecodeError::UnexpectedDescriptor { expected });
    }
    let budget = budget.deeper()?;
    // Fast path for the usual `smallulong` descriptor.
    if r.peek_u8() == Some(code::SMALLULONG) {
        r.u8()?;
        return Ok((Some(u64::from(r.u8()?)), budget));
    }
    let d = decode::descriptor(r)?;
    Ok((descriptor_code(&d), budget))
}

#[cold]
#[inline(never)]
fn keep_error(slot: &mut Option<DecodeError>, e: DecodeError) {
    if slot.is_none() {
        *slot = Some(e);
    }
}

/// A described list being read one field at a time.
///
/// The field getters return `Option`s (absent or `null` is `None`) and keep
/// the first error in the reader instead of returning it: after an error
/// every later getter answers `None`, and [`ListReader::finish`] reports
/// it. That keeps the getters' results in registers on the hot path.
#[derive(Debug)]
pub(crate) struct ListReader<'a> {
    /// The elements not read yet.
    buf: &'a [u8],
    /// The size of all elements.
    len: usize,
    left: u32,
    count: u32,
    budget: Budget,
    err: Option<DecodeError>,
    pub(crate) name: &'static str,
}

impl<'a> ListReader<'a> {
    /// Reads a list constructor and header from `r` (after the descriptor)
    /// and takes the list's bytes off `r`.
    #[inline(always)]
    pub(crate) fn open(
        r: &mut Reader<'a>,
        budget: Budget,
        name: &'static str,
    ) -> Result<Self, DecodeError> {
        let c = r.u8()?;
        let (count, elems) = match c {
            code::LIST0 => (0, &[][..]),
            code::LIST8 => {
                let size = r.u8()?;
                if size == 0 {
                    return Err(DecodeError::SizeTooSmall { size: 0 });
                }
                let b = r.take(usize::from(size))?;
                (u32::from(b[0]), &b[1..])
            }
            code::LIST32 => decode::compound(r, true)?,
            _ => return Err(DecodeError::NotAList { composite: name }),
        };
        decode::check_count(count, elems.len())?;
        Ok(Self {
            buf: elems,
            len: elems.len(),
            left: count,
            count,
            budget: budget.deeper()?,
            err: None,
            name,
        })
    }

    /// The first error met, or a check that every element was read and
    /// used exactly the list's bytes.
    #[inline]
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        if self.err.is_some() {
            return Err(self.take_error());
        }
        if self.left > 0 {
            return Err(DecodeError::TooManyFields {
                composite: self.name,
                count: self.count,
            });
        }
        if !self.buf.is_empty() {
            return Err(DecodeError::SizeMismatch {
                declared: self.len,
                consumed: self.len - self.buf.len(),
            });
        }
        Ok(())
    }

    /// Whether an error was kept.
    #[inline(always)]
    pub(crate) fn failed(&self) -> bool {
        self.err.is_some()
    }

    /// The error kept (only called after [`ListReader::failed`]).
    #[cold]
    pub(crate) fn take_error(&self) -> DecodeError {
        self.err.unwrap_or(DecodeError::UnexpectedEnd { needed: 0 })
    }

    /// Keeps `e` (unless an earlier error is kept) and stops reading.
    ///
    /// Only the error slot is handed to the (cold, out of line) store, so
    /// the reader's other fields can live in registers.
    #[inline(always)]
    pub(crate) fn fail(&mut self, e: DecodeError) {
        keep_error(&mut self.err, e);
        self.left = 0;
    }

    #[inline(always)]
    pub(crate) fn invalid(&mut self, field: &'static str) {
        let composite = self.name;
        self.fail(DecodeError::InvalidField { composite, field });
    }

    #[inline(always)]
    pub(crate) fn missing(&mut self, field: &'static str) {
        let composite = self.name;
        self.fail(DecodeError::MissingField { composite, field });
    }

    /// `v`, or an invalid-field error when it is `None` (for conversions).
    pub(crate) fn check<T>(&mut self, field: &'static str, v: Option<T>) -> Option<T> {
        if v.is_none() {
            self.invalid(field);
        }
        v
    }

    /// A mandatory field's value; a missing-field error (and a default
    /// value that [`ListReader::finish`] then discards) when absent.
    #[inline]
    pub(crate) fn required<T: Default>(&mut self, field: &'static str, v: Option<T>) -> T {
        match v {
            Some(v) => v,
            None => {
                self.missing(field);
                T::default()
            }
        }
    }

    /// Whether the next element is absent (past the end) or `null`; a
    /// `null` is consumed.
    #[inline(always)]
    pub(crate) fn take_null(&mut self) -> bool {
        if self.left == 0 {
            return true;
        }
        if let [code::NULL, rest @ ..] = self.buf {
            self.left -= 1;
            self.buf = rest;
            return true;
        }
        false
    }

    /// Keeps the error of `res`, if any.
    #[inline]
    fn ok<T>(&mut self, res: Result<T, DecodeError>) -> Option<T> {
        match res {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    /// The next field as a value; `None` when absent or `null`.
    pub(crate) fn value(&mut self) -> Option<Value<'a>> {
        if self.take_null() {
            return None;
        }
        self.left -= 1;
        let mut r = Reader::new(self.buf);
        let v = decode::value(&mut r, self.budget);
        self.buf = r.peek_rest();
        self.ok(v)
    }

    /// The next field read by `f` straight from the input (for nested
    /// described values); `None` when absent or `null`.
    #[inline]
    pub(crate) fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Reader<'a>, Budget) -> Result<T, DecodeError>,
    ) -> Option<T> {
        if self.take_null() {
            return None;
        }
        self.left -= 1;
        let mut r = Reader::new(self.buf);
        let v = f(&mut r, self.budget);
        self.buf = r.peek_rest();
        self.ok(v)
    }

    /// The next field validated by `read`, as its bytes and the budget
    /// to decode them again with (for values kept in encoded form).
    pub(crate) fn validated<T>(
        &mut self,
        read: fn(&mut Reader<'a>, Budget) -> Result<T, DecodeError>,
    ) -> Option<(&'a [u8], Budget)> {
        if self.take_null() {
            return None;
        }
        self.left -= 1;
        let start = self.buf;
        let mut r = Reader::new(start);
        let v = read(&mut r, self.budget);
        self.buf = r.peek_rest();
        self.ok(v)?;
        let used = r.position();
        Some((start.get(..used).unwrap_or(start), self.budget))
    }

    /// The next element's format code, consumed; `None` when the list has
    /// no more elements (or after an error). Primitive fields are read
    /// straight from the bytes after it: anything but the field's own type
    /// (or `null`) is an invalid field, so the general decoder is not
    /// needed for them.
    #[inline(always)]
    fn code(&mut self) -> Option<u8> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        match self.buf {
            [c, rest @ ..] => {
                self.buf = rest;
                Some(*c)
            }
            [] => {
                self.fail(DecodeError::UnexpectedEnd { needed: 1 });
                None
            }
        }
    }

    /// The next `N` bytes.
    #[inline(always)]
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        match self.buf.split_first_chunk::<N>() {
            Some((a, rest)) => {
                self.buf = rest;
                Some(*a)
            }
            None => {
                let needed = N - self.buf.len();
                self.fail(DecodeError::UnexpectedEnd { needed });
                None
            }
        }
    }

    /// The next `n` bytes.
    #[inline]
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n <= self.buf.len() {
            let (a, rest) = self.buf.split_at(n);
            self.buf = rest;
            Some(a)
        } else {
            let needed = n - self.buf.len();
            self.fail(DecodeError::UnexpectedEnd { needed });
            None
        }
    }

    #[inline(always)]
    fn u8(&mut self) -> Option<u8> {
        self.bytes::<1>().map(|[b]| b)
    }

    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        self.bytes().map(u32::from_be_bytes)
    }

    #[inline(always)]
    pub(crate) fn bool(&mut self, field: &'static str) -> Option<bool> {
        match self.code()? {
            code::NULL => None,
            code::TRUE => Some(true),
            code::FALSE => Some(false),
            code::BOOLEAN => match self.u8()? {
                0 => Some(false),
                1 => Some(true),
                value => {
                    self.fail(DecodeError::InvalidBoolean { value });
                    None
                }
            },
            _ => {
                self.invalid(field);
                None
            }
        }
    }

    #[inline(always)]
    pub(crate) fn uint(&mut self, field: &'static str) -> Option<u32> {
        match self.code()? {
            code::NULL => None,
            code::UINT0 => Some(0),
            code::SMALLUINT => self.u8().map(u32::from),
            code::UINT => self.u32(),
            _ => {
                self.invalid(field);
                None
            }
        }
    }

    #[inline(always)]
    pub(crate) fn ulong(&mut self, field: &'static str) -> Option<u64> {
        match self.code()? {
            code::NULL => None,
            code::ULONG0 => Some(0),
            code::SMALLULONG => self.u8().map(u64::from),
            code::ULONG => self.bytes().map(u64::from_be_bytes),
            _ => {
                self.invalid(field);
                None
            }
        }
    }

    #[inline(always)]
    pub(crate) fn ushort(&mut self, field: &'static str) -> Option<u16> {
        match self.code()? {
            code::NULL => None,
            code::USHORT => self.bytes().map(u16::from_be_bytes),
            _ => {
                self.invalid(field);
                None
            }
        }
    }

    #[inline(always)]
    pub(crate) fn ubyte(&mut self, field: &'static str) -> Option<u8> {
        match self.code()? {
            code::NULL => None,
            code::UBYTE => self.u8(),
            _ => {
                self.invalid(field);
                None
            }
        }
    }

    #[inline]
    pub(crate) fn timestamp(&mut self, field: &'static str) -> Option<i64> {
        match self.code()? {
            code::NULL => None,
            code::TIMESTAMP => self.bytes().map(i64::from_be_bytes),
            _ => {
                self.invalid(field);
                None
            }
        }
    }

    /// The bytes of a variable-width value whose constructors are
    /// `narrow` / `wide`.
    #[inline]
    fn variable(&mut self, field: &'static str, narrow: u8, wide: u8) -> Option<&'a [u8]> {
        let n = match self.code()? {
            code::NULL => return None,
            c if c == narrow => usize::from(self.u8()?),
            c if c == wide => self.u32()? as usize,
            _ => {
                self.invalid(field);
                return None;
            }
        };
        self.take(n)
    }

    #[inline]
    pub(crate) fn string(&mut self, field: &'static str) -> Option<&'a str> {
        let b = self.variable(field, code::STR8, code::STR32)?;
        match core::str::from_utf8(b) {
            Ok(s) => Some(s),
            Err(_) => {
                self.fail(DecodeError::InvalidUtf8);
                None
            }
        }
    }

    #[inline]
    pub(crate) fn symbol(&mut self, field: &'static str) -> Option<&'a str> {
        let b = self.variable(field, code::SYM8, code::SYM32)?;
        if b.is_ascii() {
            core::str::from_utf8(b).ok()
        } else {
            self.fail(DecodeError::InvalidSymbol);
            None
        }
    }

    #[inline]
    pub(crate) fn binary(&mut self, field: &'static str) -> Option<&'a [u8]> {
        self.variable(field, code::VBIN8, code::VBIN32)
    }

    pub(crate) fn map(&mut self, field: &'static str) -> Option<Map<'a>> {
        match self.value()? {
            Value::Map(m) => Some(m),
            _ => {
                self.invalid(field);
                None
            }
        }
    }

    /// A `multiple` symbol field: a single symbol or an array of them.
    #[inline(always)]
    pub(crate) fn symbols(&mut self, field: &'static str) -> Symbols<'a> {
        if self.take_null() {
            return Symbols::EMPTY;
        }
        self.symbols_present(field)
    }

    #[inline(never)]
    fn symbols_present(&mut self, field: &'static str) -> Symbols<'a> {
        match self.value() {
            None => Symbols::EMPTY,
            Some(Value::Symbol(s)) => Symbols::one(s),
            Some(Value::Array(a)) => match Symbols::from_decoded_array(a) {
                Some(s) => s,
                None => {
                    self.invalid(field);
                    Symbols::EMPTY
                }
            },
            Some(_) => {
                self.invalid(field);
                Symbols::EMPTY
            }
        }
    }
}

/// Reads a map value straight from `r`, validating every key and value and
/// checking each entry with `check`, which gets the first format codes of
/// the key and the value (`0x00` for a described value); a failed check is
/// reported as [`DecodeError::InvalidField`] (callers rename it).
pub(crate) fn read_map<'a>(
    r: &mut Reader<'a>,
    budget: Budget,
    check: impl Fn(u8, u8) -> bool,
) -> Result<Map<'a>, DecodeError> {
    let c = r.u8()?;
    if c != code::MAP8 && c != code::MAP32 {
        return Err(DecodeError::InvalidField {
            composite: "map",
            field: "map",
        });
    }
    let (count, elems) = decode::compound(r, c == code::MAP32)?;
    decode::check_count(count, elems.len())?;
    if count % 2 != 0 {
        return Err(DecodeError::OddMapCount { count });
    }
    let inner = budget.deeper()?;
    let mut e = Reader::new(elems);
    for _ in 0..count / 2 {
        // The values themselves are not needed here (only validated), so
        // they are not read back.
        let kc = e.peek_u8().unwrap_or(0);
        decode::value(&mut e, inner)?;
        let vc = e.peek_u8().unwrap_or(0);
        decode::value(&mut e, inner)?;
        if !check(kc, vc) {
            return Err(DecodeError::InvalidField {
                composite: "map",
                field: "key",
            });
        }
    }
    decode::check_consumed(&e, elems.len())?;
    Ok(Map(MapRepr::Encoded {
        elems,
        count,
        budget: inner,
    }))
}

/// A typed definition decoded from a described list.
pub(crate) trait DecodeComposite<'a>: Sized {
    /// The composite's name in the specification.
    const NAME: &'static str;
    /// Its descriptor code.
    const CODE: u64;
    /// Reads the fields (the list header was read).
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError>;

    /// Reads the list of a value whose descriptor was read.
    #[inline]
    fn read_body(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let mut l = ListReader::open(r, budget, Self::NAME)?;
        let v = Self::read_fields(&mut l);
        if l.failed() {
            return Err(l.take_error());
        }
        let v = v?;
        l.finish()?;
        Ok(v)
    }

    /// Reads the whole described value.
    fn read(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let (code, budget) = read_head(r, budget, Self::NAME)?;
        if code != Some(Self::CODE) {
            return Err(DecodeError::UnexpectedDescriptor {
                expected: Self::NAME,
            });
        }
        Self::read_body(r, budget)
    }
}

/// One field to encode.
#[derive(Clone, Copy)]
pub(crate) enum F<'x, 'a> {
    Null,
    Bool(bool),
    Ubyte(u8),
    Ushort(u16),
    Uint(u32),
    Ulong(u64),
    Ts(i64),
    Str(&'a str),
    Sym(&'a str),
    Bin(&'a [u8]),
    Uuid(&'x [u8; 16]),
    Val(&'x Value<'a>),
    Map(&'x Map<'a>),
    Syms(&'x Symbols<'a>),
    Nested(&'x dyn Enc),
}

impl<'x, 'a> F<'x, 'a> {
    #[inline(always)]
    pub(crate) fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Self) -> Self {
        v.map_or(Self::Null, f)
    }

    /// An optional map field.
    #[inline(always)]
    pub(crate) fn map(m: &'x Option<Map<'a>>) -> Self {
        match m {
            Some(m) => Self::Map(m),
            None => Self::Null,
        }
    }

    #[inline(always)]
    fn is_null(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Syms(s) => s.is_empty(),
            _ => false,
        }
    }

    #[inline(always)]
    fn len(&self) -> Result<usize, EncodeError> {
        Ok(match *self {
            Self::Null | Self::Bool(_) => 1,
            Self::Ubyte(_) => 2,
            Self::Ushort(_) => 3,
            Self::Uint(x) => small_len(u64::from(x), 5),
            Self::Ulong(x) => small_len(x, 9),
            Self::Ts(_) => 9,
            Self::Str(s) => var_len(s.len())?,
            // checked here too, so that a size is only given for what
            // encodes (nothing is written on error)
            Self::Sym(s) if !s.is_ascii() => return Err(EncodeError::InvalidSymbol),
            Self::Sym(s) => var_len(s.len())?,
            Self::Bin(b) => var_len(b.len())?,
            Self::Uuid(_) => 17,
            Self::Val(v) => v.encoded_len()?,
            Self::Map(m) => Value::Map(*m).encoded_len()?,
            Self::Syms(s) => {
                if s.is_empty() {
                    1
                } else {
                    s.encoded_len()?
                }
            }
            Self::Nested(e) => e.enc_len()?,
        })
    }

    #[inline(always)]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match *self {
            Self::Null => w.put_u8(code::NULL)?,
            Self::Bool(b) => w.put_u8(if b { code::TRUE } else { code::FALSE })?,
            Self::Ubyte(x) => {
                w.put_u8(code::UBYTE)?;
                w.put_u8(x)?;
            }
            Self::Ushort(x) => {
                w.put_u8(code::USHORT)?;
                w.put_u16(x)?;
            }
            Self::Uint(x) => put_uint(w, x)?,
            Self::Ulong(x) => put_ulong(w, x)?,
            Self::Ts(t) => {
                w.put_u8(code::TIMESTAMP)?;
                w.put_u64(t as u64)?;
            }
            Self::Str(s) => put_var(w, code::STR8, code::STR32, s.as_bytes())?,
            Self::Sym(s) => put_sym(w, s)?,
            Self::Bin(b) => put_var(w, code::VBIN8, code::VBIN32, b)?,
            Self::Uuid(u) => {
                w.put_u8(code::UUID)?;
                w.put_slice(u)?;
            }
            Self::Val(v) => v.write_to(w)?,
            Self::Map(m) => Value::Map(*m).write_to(w)?,
            Self::Syms(s) => {
                if s.is_empty() {
                    w.put_u8(code::NULL)?;
                } else {
                    s.write(w)?;
                }
            }
            Self::Nested(e) => e.enc(w)?,
        }
        Ok(())
    }
}

#[inline]
const fn small_len(x: u64, wide: usize) -> usize {
    if x == 0 {
        1
    } else if x <= 255 {
        2
    } else {
        wide
    }
}

#[inline]
pub(crate) fn put_uint(w: &mut Writer<'_>, x: u32) -> Result<(), EncodeError> {
    if x == 0 {
        w.put_u8(code::UINT0)?;
    } else if x <= 255 {
        w.put_u8(code::SMALLUINT)?;
        w.put_u8(x as u8)?;
    } else {
        w.put_u8(code::UINT)?;
        w.put_u32(x)?;
    }
    Ok(())
}

#[inline]
pub(crate) fn put_ulong(w: &mut Writer<'_>, x: u64) -> Result<(), EncodeError> {
    if x == 0 {
        w.put_u8(code::ULONG0)?;
    } else if x <= 255 {
        w.put_u8(code::SMALLULONG)?;
        w.put_u8(x as u8)?;
    } else {
        w.put_u8(code::ULONG)?;
        w.put_u64(x)?;
    }
    Ok(())
}

/// Length of a described value with a numeric descriptor `code`.
pub(crate) const fn descriptor_len(code: u64) -> usize {
    1 + small_len(code, 9)
}

pub(crate) fn put_descriptor(w: &mut Writer<'_>, c: u64) -> Result<(), EncodeError> {
    w.put_u8(code::DESCRIBED)?;
    put_ulong(w, c)
}

/// The bytes of a list header for `n` elements taking `bytes` bytes.
const fn list_header_len(n: u32, bytes: usize) -> usize {
    if n == 0 {
        1
    } else if n <= 255 && bytes < 255 {
        3
    } else {
        9
    }
}

fn put_list_header(w: &mut Writer<'_>, n: u32, bytes: usize) -> Result<(), EncodeError> {
    if n == 0 {
        w.put_u8(code::LIST0)?;
    } else if n <= 255 && bytes < 255 {
        w.put_u8(code::LIST8)?;
        w.put_u8(bytes as u8 + 1)?;
        w.put_u8(n as u8)?;
    } else {
        let size = bytes
            .checked_add(4)
            .and_then(|s| u32::try_from(s).ok())
            .ok_or(EncodeError::TooLarge)?;
        w.put_u8(code::LIST32)?;
        w.put_u32(size)?;
        w.put_u32(n)?;
    }
    Ok(())
}

/// Receives the fields of a composite in order.
pub(crate) trait Visit {
    /// One field; `elide` says it may be left out when only elidable
    /// fields follow it (it is absent or holds its default).
    fn field(&mut self, f: F<'_, '_>, elide: bool) -> Result<(), EncodeError>;
}

/// A typed definition encoded as a described list.
pub(crate) trait EncodeComposite {
    /// Its descriptor code.
    const CODE: u64;
    /// Visits every field in order.
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError>;
}

/// The result of sizing a value: its length and, for a composite, the
/// list it will write, so that writing need not size it again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Planned {
    pub(crate) len: usize,
    n: u32,
    bytes: usize,
}

impl Planned {
    /// The plan of a value that is not a composite.
    pub(crate) const fn leaf(len: usize) -> Self {
        Self {
            len,
            n: 0,
            bytes: 0,
        }
    }
}

/// Something that encodes as one AMQP value (object safe, for nesting).
pub(crate) trait Enc {
    fn enc_len(&self) -> Result<usize, EncodeError>;
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
    /// Sizes the value once for [`Enc::enc_planned`].
    fn plan(&self) -> Result<Planned, EncodeError> {
        Ok(Planned {
            len: self.enc_len()?,
            n: 0,
            bytes: 0,
        })
    }
    /// Writes the value sized by [`Enc::plan`].
    fn enc_planned(&self, _p: Planned, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        self.enc(w)
    }
}

#[derive(Default)]
struct Plan {
    n: u32,
    bytes: usize,
    keep_n: u32,
    keep_bytes: usize,
}

impl Visit for Plan {
    #[inline(always)]
    fn field(&mut self, f: F<'_, '_>, elide: bool) -> Result<(), EncodeError> {
        self.bytes = self
            .bytes
            .checked_add(f.len()?)
            .ok_or(EncodeError::TooLarge)?;
        self.n += 1;
        if !elide && !f.is_null() {
            self.keep_n = self.n;
            self.keep_bytes = self.bytes;
        }
        Ok(())
    }
}

struct Put<'w, 'b> {
    w: &'w mut Writer<'b>,
    left: u32,
}

impl Visit for Put<'_, '_> {
    #[inline(always)]
    fn field(&mut self, f: F<'_, '_>, _elide: bool) -> Result<(), EncodeError> {
        if self.left == 0 {
            return Ok(());
        }
        self.left -= 1;
        f.write(self.w)
    }
}

impl<T: EncodeComposite> Enc for T {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        self.plan().map(|p| p.len)
    }

    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let p = self.plan()?;
        self.enc_planned(p, w)
    }

    #[inline]
    fn plan(&self) -> Result<Planned, EncodeError> {
        let mut p = Plan::default();
        self.visit(&mut p)?;
        let len = (descriptor_len(T::CODE) + list_header_len(p.keep_n, p.keep_bytes))
            .checked_add(p.keep_bytes)
            .ok_or(EncodeError::TooLarge)?;
        Ok(Planned {
            len,
            n: p.keep_n,
            bytes: p.keep_bytes,
        })
    }

    #[inline]
    fn enc_planned(&self, p: Planned, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        put_descriptor(w, T::CODE)?;
        put_list_header(w, p.n, p.bytes)?;
        self.visit(&mut Put { w, left: p.n })
    }
}

/// Encodes `v` into the start of `buf`, checking the length first.
pub(crate) fn to_slice(v: &(impl Enc + ?Sized), buf: &mut [u8]) -> Result<usize, EncodeError> {
    let p = v.plan()?;
    if buf.len() < p.len {
        return Err(EncodeError::BufferTooSmall { required: p.len });
    }
    let mut w = Writer::new(buf);
    v.enc_planned(p, &mut w)?;
    Ok(p.len)
}

/// The public encode/decode methods of a composite type, in the shapes the
/// workspace uses everywhere.
macro_rules! composite_api {
    ($t:ident $(<$l:lifetime>)?) => {
        impl<'a> $t $(<$l>)? {
            /// Decodes one from the start of `buf` with the default
            /// [`DecodeOptions`](crate::DecodeOptions), returning it and the
            /// bytes it used.
            pub fn decode(buf: &'a [u8]) -> Result<(Self, usize), $crate::DecodeError> {
                Self::decode_with(buf, &$crate::DecodeOptions::new())
            }

            /// Decodes one from the start of `buf` under `options`.
            pub fn decode_with(
                buf: &'a [u8],
                options: &$crate::DecodeOptions,
            ) -> Result<(Self, usize), $crate::DecodeError> {
                let mut r = iotcodec_core::Reader::new(buf);
                let v = <Self as $crate::composite::DecodeComposite<'a>>::read(
                    &mut r,
                    $crate::types::Budget::new(options),
                )?;
                Ok((v, r.position()))
            }

            /// The number of bytes [`Self::encode_to_slice`] writes.
            pub fn encoded_len(&self) -> Result<usize, $crate::EncodeError> {
                $crate::composite::Enc::enc_len(self)
            }

            /// Encodes into the start of `buf` (shortest constructors, trailing
            /// absent or default fields left out), returning the bytes written.
            pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, $crate::EncodeError> {
                $crate::composite::to_slice(self, buf)
            }

            $crate::buf::encode_to_buf!();
        }
    };
}
pub(crate) use composite_api;

/// An optional nested composite field (`null` when absent).
#[inline(always)]
pub(crate) fn nest<'x, 'a, T: Enc>(o: &'x Option<T>) -> F<'x, 'a> {
    match o {
        Some(x) => F::Nested(x),
        None => F::Null,
    }
}

/// `From` conversions from each variant's type into an enum of
/// definitions (`enum E { A(A<'a>), .. }`, or `Variant => Type` pairs).
macro_rules! from_variant {
    ($enum:ident, $($v:ident),*) => {
        $(impl<'a> From<$v<'a>> for $enum<'a> {
            fn from(x: $v<'a>) -> Self {
                Self::$v(x)
            }
        })*
    };
    ($enum:ident; $($v:ident => $t:ident),*) => {
        $(impl<'a> From<$t<'a>> for $enum<'a> {
            fn from(x: $t<'a>) -> Self {
                Self::$v(x)
            }
        })*
    };
}
pub(crate) use from_variant;
