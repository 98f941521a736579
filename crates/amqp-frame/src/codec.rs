//! The machinery every typed definition shares: reading a described list
//! field by field, and writing one with trailing elidable fields left out.
//!
//! Decoding reads straight from the input (one pass: each field is decoded
//! and validated once, nested compounds included), so a performative costs
//! no more than the bytes it is made of. Encoding visits the fields twice:
//! once to size them and find the last field that must be written, once to
//! write.

use iotcodec_core::{Reader, Writer};

use crate::error::{DecodeError, EncodeError};
use crate::restricted::{Fields, Symbols};
use crate::spec;
use crate::types::decode;
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

/// A described list being read one field at a time.
#[derive(Debug)]
pub(crate) struct ListReader<'a> {
    r: Reader<'a>,
    left: u32,
    count: u32,
    budget: Budget,
    pub(crate) name: &'static str,
}

impl<'a> ListReader<'a> {
    /// Reads a list constructor and header from `r` (after the descriptor)
    /// and takes the list's bytes off `r`.
    pub(crate) fn open(
        r: &mut Reader<'a>,
        budget: Budget,
        name: &'static str,
    ) -> Result<Self, DecodeError> {
        let c = r.u8()?;
        let (count, elems) = match c {
            code::LIST0 => (0, &[][..]),
            code::LIST8 | code::LIST32 => decode::compound(r, c == code::LIST32)?,
            _ => return Err(DecodeError::NotAList { composite: name }),
        };
        decode::check_count(count, elems.len())?;
        Ok(Self {
            r: Reader::new(elems),
            left: count,
            count,
            budget: budget.deeper()?,
            name,
        })
    }

    /// Checks that every element was read and used exactly the list's bytes.
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        if self.left > 0 {
            return Err(DecodeError::TooManyFields {
                composite: self.name,
                count: self.count,
            });
        }
        let declared = self.r.position() + self.r.remaining();
        decode::check_consumed(&self.r, declared)
    }

    pub(crate) fn invalid(&self, field: &'static str) -> DecodeError {
        DecodeError::InvalidField {
            composite: self.name,
            field,
        }
    }

    pub(crate) fn missing(&self, field: &'static str) -> DecodeError {
        DecodeError::MissingField {
            composite: self.name,
            field,
        }
    }

    /// Whether the next element is absent (past the end) or `null`; a
    /// `null` is consumed.
    fn take_null(&mut self) -> bool {
        if self.left == 0 {
            return true;
        }
        if self.r.peek_u8() == Some(code::NULL) {
            self.left -= 1;
            let _ = self.r.u8();
            return true;
        }
        false
    }

    /// The next field as a value; `None` when absent or `null`.
    pub(crate) fn value(&mut self) -> Result<Option<Value<'a>>, DecodeError> {
        if self.take_null() {
            return Ok(None);
        }
        self.left -= 1;
        decode::value(&mut self.r, self.budget).map(Some)
    }

    /// The next field read by `f` straight from the input (for nested
    /// described values); `None` when absent or `null`.
    pub(crate) fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Reader<'a>, Budget) -> Result<T, DecodeError>,
    ) -> Result<Option<T>, DecodeError> {
        if self.take_null() {
            return Ok(None);
        }
        self.left -= 1;
        f(&mut self.r, self.budget).map(Some)
    }

    /// A mandatory field: present and not `null`.
    pub(crate) fn required<T>(
        &mut self,
        field: &'static str,
        v: Option<T>,
    ) -> Result<T, DecodeError> {
        v.ok_or_else(|| self.missing(field))
    }

    pub(crate) fn bool(&mut self, field: &'static str) -> Result<Option<bool>, DecodeError> {
        if self.take_null() {
            return Ok(None);
        }
        self.left -= 1;
        // Fast paths for the one-byte encodings.
        match self.r.peek_u8() {
            Some(code::TRUE) => {
                let _ = self.r.u8();
                return Ok(Some(true));
            }
            Some(code::FALSE) => {
                let _ = self.r.u8();
                return Ok(Some(false));
            }
            _ => {}
        }
        match decode::value(&mut self.r, self.budget)? {
            Value::Bool(b) => Ok(Some(b)),
            _ => Err(self.invalid(field)),
        }
    }

    pub(crate) fn uint(&mut self, field: &'static str) -> Result<Option<u32>, DecodeError> {
        if self.take_null() {
            return Ok(None);
        }
        self.left -= 1;
        let v = match self.r.peek_u8() {
            Some(code::UINT0) => {
                let _ = self.r.u8();
                return Ok(Some(0));
            }
            Some(code::SMALLUINT) => {
                let _ = self.r.u8();
                return Ok(Some(u32::from(self.r.u8()?)));
            }
            _ => decode::value(&mut self.r, self.budget)?,
        };
        match v {
            Value::Uint(x) => Ok(Some(x)),
            _ => Err(self.invalid(field)),
        }
    }

    pub(crate) fn ulong(&mut self, field: &'static str) -> Result<Option<u64>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Ulong(x)) => Ok(Some(x)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    pub(crate) fn ushort(&mut self, field: &'static str) -> Result<Option<u16>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Ushort(x)) => Ok(Some(x)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    pub(crate) fn ubyte(&mut self, field: &'static str) -> Result<Option<u8>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Ubyte(x)) => Ok(Some(x)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    pub(crate) fn timestamp(&mut self, field: &'static str) -> Result<Option<i64>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Timestamp(x)) => Ok(Some(x)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    pub(crate) fn string(&mut self, field: &'static str) -> Result<Option<&'a str>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    pub(crate) fn symbol(&mut self, field: &'static str) -> Result<Option<&'a str>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Symbol(s)) => Ok(Some(s)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    pub(crate) fn binary(&mut self, field: &'static str) -> Result<Option<&'a [u8]>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Binary(b)) => Ok(Some(b)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    pub(crate) fn map(&mut self, field: &'static str) -> Result<Option<Map<'a>>, DecodeError> {
        match self.value()? {
            None => Ok(None),
            Some(Value::Map(m)) => Ok(Some(m)),
            Some(_) => Err(self.invalid(field)),
        }
    }

    /// A `fields` map: symbol keys.
    pub(crate) fn fields(
        &mut self,
        field: &'static str,
    ) -> Result<Option<Fields<'a>>, DecodeError> {
        let name = self.name;
        self.nested(|r, b| {
            read_map(r, b, |k, _| matches!(k, Value::Symbol(_))).map_err(|e| match e {
                DecodeError::InvalidField { .. } => DecodeError::InvalidField {
                    composite: name,
                    field,
                },
                e => e,
            })
        })
        .map(|m| m.map(Fields::from_validated))
    }

    /// A `multiple` symbol field: a single symbol or an array of them.
    pub(crate) fn symbols(&mut self, field: &'static str) -> Result<Symbols<'a>, DecodeError> {
        match self.value()? {
            None => Ok(Symbols::EMPTY),
            Some(Value::Symbol(s)) => Ok(Symbols::one(s)),
            Some(Value::Array(a)) => {
                Symbols::from_decoded_array(a).ok_or_else(|| self.invalid(field))
            }
            Some(_) => Err(self.invalid(field)),
        }
    }
}

/// Reads a map value straight from `r`, checking every entry with `check`
/// (which gets the key and value); a failed check is reported as
/// [`DecodeError::InvalidField`] (callers rename it).
pub(crate) fn read_map<'a>(
    r: &mut Reader<'a>,
    budget: Budget,
    check: impl Fn(&Value<'a>, &Value<'a>) -> bool,
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
        let k = decode::value(&mut e, inner)?;
        let v = decode::value(&mut e, inner)?;
        if !check(&k, &v) {
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
    fn read_body(r: &mut Reader<'a>, budget: Budget) -> Result<Self, DecodeError> {
        let mut l = ListReader::open(r, budget, Self::NAME)?;
        let v = Self::read_fields(&mut l)?;
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
    Val(Value<'a>),
    Syms(&'x Symbols<'a>),
    Nested(&'x dyn Enc),
}

impl<'x, 'a> F<'x, 'a> {
    pub(crate) fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Self) -> Self {
        v.map_or(Self::Null, f)
    }

    fn is_null(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Syms(s) => s.is_empty(),
            _ => false,
        }
    }

    fn len(&self) -> Result<usize, EncodeError> {
        Ok(match *self {
            Self::Null | Self::Bool(_) => 1,
            Self::Ubyte(_) => 2,
            Self::Ushort(_) => 3,
            Self::Uint(x) => small_len(u64::from(x), 5),
            Self::Ulong(x) => small_len(x, 9),
            Self::Ts(_) => 9,
            Self::Str(s) | Self::Sym(s) => var_len(s.len())?,
            Self::Bin(b) => var_len(b.len())?,
            Self::Val(v) => v.encoded_len()?,
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
            Self::Val(v) => v.encode(w)?,
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

const fn small_len(x: u64, wide: usize) -> usize {
    if x == 0 {
        1
    } else if x <= 255 {
        2
    } else {
        wide
    }
}

pub(crate) fn var_len(n: usize) -> Result<usize, EncodeError> {
    if n <= 255 {
        Ok(2 + n)
    } else if u32::try_from(n).is_ok() {
        n.checked_add(5).ok_or(EncodeError::TooLarge)
    } else {
        Err(EncodeError::TooLarge)
    }
}

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

pub(crate) fn put_var(
    w: &mut Writer<'_>,
    narrow: u8,
    wide: u8,
    b: &[u8],
) -> Result<(), EncodeError> {
    if let Ok(n) = u8::try_from(b.len()) {
        w.put_u8(narrow)?;
        w.put_u8(n)?;
    } else {
        let n = u32::try_from(b.len()).map_err(|_| EncodeError::TooLarge)?;
        w.put_u8(wide)?;
        w.put_u32(n)?;
    }
    w.put_slice(b)?;
    Ok(())
}

pub(crate) fn put_sym(w: &mut Writer<'_>, s: &str) -> Result<(), EncodeError> {
    if !s.is_ascii() {
        return Err(EncodeError::InvalidSymbol);
    }
    put_var(w, code::SYM8, code::SYM32, s.as_bytes())
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

/// Something that encodes as one AMQP value (object safe, for nesting).
pub(crate) trait Enc {
    fn enc_len(&self) -> Result<usize, EncodeError>;
    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
}

#[derive(Default)]
struct Plan {
    n: u32,
    bytes: usize,
    keep_n: u32,
    keep_bytes: usize,
}

impl Visit for Plan {
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
    fn field(&mut self, f: F<'_, '_>, _elide: bool) -> Result<(), EncodeError> {
        if self.left == 0 {
            return Ok(());
        }
        self.left -= 1;
        f.write(self.w)
    }
}

fn plan<T: EncodeComposite>(c: &T) -> Result<(u32, usize), EncodeError> {
    let mut p = Plan::default();
    c.visit(&mut p)?;
    Ok((p.keep_n, p.keep_bytes))
}

impl<T: EncodeComposite> Enc for T {
    fn enc_len(&self) -> Result<usize, EncodeError> {
        let (n, bytes) = plan(self)?;
        (descriptor_len(T::CODE) + list_header_len(n, bytes))
            .checked_add(bytes)
            .ok_or(EncodeError::TooLarge)
    }

    fn enc(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let (n, bytes) = plan(self)?;
        put_descriptor(w, T::CODE)?;
        put_list_header(w, n, bytes)?;
        self.visit(&mut Put { w, left: n })
    }
}

/// Encodes `v` into the start of `buf`, checking the length first.
pub(crate) fn to_slice(v: &(impl Enc + ?Sized), buf: &mut [u8]) -> Result<usize, EncodeError> {
    let len = v.enc_len()?;
    if buf.len() < len {
        return Err(EncodeError::BufferTooSmall { required: len });
    }
    let mut w = Writer::new(buf);
    v.enc(&mut w)?;
    Ok(len)
}

/// Appends the encoding of something `len` bytes long, written by `write`
/// into a slice, to `out` (through a stack buffer when it is small).
#[cfg(feature = "alloc")]
pub(crate) fn to_buf<B: bytes::BufMut>(
    len: usize,
    out: &mut B,
    write: impl FnOnce(&mut [u8]) -> Result<usize, EncodeError>,
) -> Result<usize, EncodeError> {
    if out.remaining_mut() < len {
        return Err(EncodeError::BufferTooSmall { required: len });
    }
    if len <= 256 {
        let mut tmp = [0u8; 256];
        let n = write(&mut tmp[..len])?;
        out.put_slice(&tmp[..n]);
        Ok(n)
    } else {
        let mut tmp = alloc::vec![0u8; len];
        let n = write(&mut tmp)?;
        out.put_slice(&tmp[..n]);
        Ok(n)
    }
}

/// The public encode/decode methods of a composite type, in the shapes the
/// workspace uses everywhere.
macro_rules! composite_api {
    ($t:ident $(<$l:lifetime>)?) => {
        impl<'a> $t $(<$l>)? {
            /// Decodes one from the start of `buf` with
            /// [`Limits::DEFAULT`](crate::Limits), returning it and the bytes it used.
            pub fn decode(buf: &'a [u8]) -> Result<(Self, usize), $crate::DecodeError> {
                Self::decode_with_limits(buf, $crate::Limits::DEFAULT)
            }

            /// Decodes one from the start of `buf` under `limits`.
            pub fn decode_with_limits(
                buf: &'a [u8],
                limits: $crate::Limits,
            ) -> Result<(Self, usize), $crate::DecodeError> {
                let mut r = iotcodec_core::Reader::new(buf);
                let v = <Self as $crate::codec::DecodeComposite<'a>>::read(
                    &mut r,
                    $crate::types::Budget::new(limits),
                )?;
                Ok((v, r.position()))
            }

            /// The number of bytes [`Self::encode_to_slice`] writes.
            pub fn encoded_len(&self) -> Result<usize, $crate::EncodeError> {
                $crate::codec::Enc::enc_len(self)
            }

            /// Encodes into the start of `buf` (shortest constructors, trailing
            /// absent or default fields left out), returning the bytes written.
            pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, $crate::EncodeError> {
                $crate::codec::to_slice(self, buf)
            }

            /// Appends the encoding to `out`, returning the bytes written.
            #[cfg(feature = "alloc")]
            pub fn encode<B: bytes::BufMut>(&self, out: &mut B) -> Result<usize, $crate::EncodeError> {
                let len = self.encoded_len()?;
                $crate::codec::to_buf(len, out, |b| self.encode_to_slice(b))
            }
        }
    };
}
pub(crate) use composite_api;
