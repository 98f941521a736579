//! Encoding with the shortest constructor for every value.

use super::{code, Array, ArrayRepr, Descriptor, List, Map, MapRepr, SeqRepr, Value};
use crate::error::EncodeError;
use iotcodec_core::Reader;
use iotcodec_core::Writer;

/// What the encoder needs to know about a (non-described) value to choose
/// its constructor and size it.
#[derive(Debug, Clone, Copy)]
struct Kind {
    /// Constructor when `fits`; also identifies the type for arrays.
    narrow: u8,
    /// Constructor otherwise.
    wide: u8,
    /// Whether the narrow constructor can hold the value.
    fits: bool,
    /// Element count of a compound (keys plus values for a map).
    count: usize,
    /// Bytes of variable data: string/binary bytes, or a compound's
    /// elements (an array's including its element constructor).
    data: usize,
}

impl Kind {
    const fn fixed(c: u8) -> Self {
        Self {
            narrow: c,
            wide: c,
            fits: true,
            count: 0,
            data: 0,
        }
    }

    const fn small(narrow: u8, wide: u8, fits: bool) -> Self {
        Self {
            narrow,
            wide,
            fits,
            count: 0,
            data: 0,
        }
    }

    const fn variable(narrow: u8, wide: u8, data: usize) -> Self {
        Self {
            narrow,
            wide,
            fits: data <= 255,
            count: 0,
            data,
        }
    }

    const fn compound(narrow: u8, wide: u8, count: usize, data: usize) -> Self {
        Self {
            narrow,
            wide,
            fits: count <= 255 && data < 255,
            count,
            data,
        }
    }
}

fn add(a: usize, b: usize) -> Result<usize, EncodeError> {
    a.checked_add(b).ok_or(EncodeError::TooLarge)
}

/// Body length of a value of kind `k` under constructor `c`.
fn body_len(c: u8, k: &Kind) -> Result<usize, EncodeError> {
    Ok(match c {
        0x40..=0x45 => 0,
        0x50..=0x56 => 1,
        0x60 | 0x61 => 2,
        0x70..=0x74 => 4,
        0x80..=0x84 => 8,
        0x94 | 0x98 => 16,
        code::VBIN8 | code::STR8 | code::SYM8 => add(1, k.data)?,
        code::VBIN32 | code::STR32 | code::SYM32 => {
            if u32::try_from(k.data).is_err() {
                return Err(EncodeError::TooLarge);
            }
            add(4, k.data)?
        }
        code::LIST8 | code::MAP8 | code::ARRAY8 => add(2, k.data)?,
        _ => {
            let size = add(4, k.data)?;
            if u32::try_from(size).is_err() || u32::try_from(k.count).is_err() {
                return Err(EncodeError::TooLarge);
            }
            add(4, size)?
        }
    })
}

fn descriptor_len(d: &Descriptor<'_>) -> Result<usize, EncodeError> {
    match d {
        Descriptor::Code(0) => Ok(1),
        Descriptor::Code(c) if *c <= 255 => Ok(2),
        Descriptor::Code(_) => Ok(9),
        Descriptor::Symbol(s) => {
            let k = symbol_kind(s)?;
            add(1, body_len(if k.fits { k.narrow } else { k.wide }, &k)?)
        }
    }
}

fn write_descriptor(d: &Descriptor<'_>, w: &mut Writer<'_>) -> Result<(), EncodeError> {
    match *d {
        Descriptor::Code(c) => Value::Ulong(c).write_to(w),
        Descriptor::Symbol(s) => Value::Symbol(s).write_to(w),
    }
}

fn symbol_kind(s: &str) -> Result<Kind, EncodeError> {
    if !s.is_ascii() {
        return Err(EncodeError::InvalidSymbol);
    }
    Ok(Kind::variable(code::SYM8, code::SYM32, s.len()))
}

/// The element constructor chosen for an array.
#[derive(Debug, Clone, Copy)]
enum Ctor<'a> {
    /// Copied from decoded input (only for empty arrays).
    Raw(&'a [u8]),
    /// An optional descriptor and a format code.
    Built(Option<Descriptor<'a>>, u8),
}

struct ArrayPlan<'a> {
    ctor: Ctor<'a>,
    ctor_len: usize,
    count: usize,
    elems_len: usize,
}

/// Splits an array element into its descriptor and the value described.
fn undescribe<'a>(v: Value<'a>) -> Result<(Option<Descriptor<'a>>, Value<'a>), EncodeError> {
    match v {
        Value::Described(d) => match d.value.decode()? {
            Value::Described(_) => Err(EncodeError::Unsupported(
                "array element with more than one descriptor",
            )),
            inner => Ok((Some(d.descriptor), inner)),
        },
        v => Ok((None, v)),
    }
}

fn array_plan<'a>(a: &Array<'a>) -> Result<ArrayPlan<'a>, EncodeError> {
    let mut first: Option<(Option<Descriptor<'a>>, u8, u8)> = None;
    let (mut all_fit, mut narrow_len, mut wide_len, mut count) = (true, 0usize, 0usize, 0usize);
    for e in a.iter() {
        let (desc, inner) = undescribe(e?)?;
        let k = kind(&inner)?;
        match first {
            None => first = Some((desc, k.narrow, k.wide)),
            Some((d0, n0, _)) => {
                if d0 != desc || n0 != k.narrow {
                    return Err(EncodeError::MixedArray);
                }
            }
        }
        all_fit &= k.fits;
        narrow_len = add(narrow_len, body_len(k.narrow, &k)?)?;
        wide_len = add(wide_len, body_len(k.wide, &k)?)?;
        count += 1;
    }
    let (ctor, elems_len) = match first {
        None => match a.0 {
            ArrayRepr::Encoded { ctor, .. } => (Ctor::Raw(ctor), 0),
            ArrayRepr::Values(_) => (Ctor::Built(None, code::NULL), 0),
        },
        Some((d, n, w)) => {
            if all_fit {
                (Ctor::Built(d, n), narrow_len)
            } else {
                (Ctor::Built(d, w), wide_len)
            }
        }
    };
    let ctor_len = match &ctor {
        Ctor::Raw(b) => b.len(),
        Ctor::Built(None, _) => 1,
        Ctor::Built(Some(d), _) => 2 + descriptor_len(d)?,
    };
    Ok(ArrayPlan {
        ctor,
        ctor_len,
        count,
        elems_len,
    })
}

/// Classifies a non-described value.
fn kind(v: &Value<'_>) -> Result<Kind, EncodeError> {
    Ok(match *v {
        Value::Null => Kind::fixed(code::NULL),
        Value::Bool(_) => Kind::fixed(code::BOOLEAN),
        Value::Ubyte(_) => Kind::fixed(code::UBYTE),
        Value::Ushort(_) => Kind::fixed(code::USHORT),
        Value::Uint(x) => Kind::small(code::SMALLUINT, code::UINT, x <= 255),
        Value::Ulong(x) => Kind::small(code::SMALLULONG, code::ULONG, x <= 255),
        Value::Byte(_) => Kind::fixed(code::BYTE),
        Value::Short(_) => Kind::fixed(code::SHORT),
        Value::Int(x) => Kind::small(code::SMALLINT, code::INT, i8::try_from(x).is_ok()),
        Value::Long(x) => Kind::small(code::SMALLLONG, code::LONG, i8::try_from(x).is_ok()),
        Value::Float(_) => Kind::fixed(code::FLOAT),
        Value::Double(_) => Kind::fixed(code::DOUBLE),
        Value::Decimal32(_) => Kind::fixed(code::DECIMAL32),
        Value::Decimal64(_) => Kind::fixed(code::DECIMAL64),
        Value::Decimal128(_) => Kind::fixed(code::DECIMAL128),
        Value::Char(_) => Kind::fixed(code::CHAR),
        Value::Timestamp(_) => Kind::fixed(code::TIMESTAMP),
        Value::Uuid(_) => Kind::fixed(code::UUID),
        Value::Binary(b) => Kind::variable(code::VBIN8, code::VBIN32, b.len()),
        Value::Str(s) => Kind::variable(code::STR8, code::STR32, s.len()),
        Value::Symbol(s) => symbol_kind(s)?,
        Value::List(l) => {
            if let Some(elems) = canonical_list(&l) {
                return Ok(Kind::compound(
                    code::LIST8,
                    code::LIST32,
                    l.len(),
                    elems.len(),
                ));
            }
            let mut data = 0usize;
            for e in l.iter() {
                data = add(data, e?.encoded_len()?)?;
            }
            Kind::compound(code::LIST8, code::LIST32, l.len(), data)
        }
        Value::Map(m) => {
            if let Some(elems) = canonical_map(&m) {
                return Ok(Kind::compound(
                    code::MAP8,
                    code::MAP32,
                    m.len() * 2,
                    elems.len(),
                ));
            }
            let mut data = 0usize;
            for p in m.iter() {
                let (k, v) = p?;
                data = add(data, add(k.encoded_len()?, v.encoded_len()?)?)?;
            }
            Kind::compound(code::MAP8, code::MAP32, m.len().saturating_mul(2), data)
        }
        Value::Array(a) => {
            let p = array_plan(&a)?;
            Kind::compound(
                code::ARRAY8,
                code::ARRAY32,
                p.count,
                add(p.ctor_len, p.elems_len)?,
            )
        }
        Value::Described(_) => {
            return Err(EncodeError::Unsupported("described value in this position"))
        }
    })
}

/// The shortest standalone constructor of a non-described value.
fn standalone(v: &Value<'_>, k: &Kind) -> u8 {
    match *v {
        Value::Bool(true) => code::TRUE,
        Value::Bool(false) => code::FALSE,
        Value::Uint(0) => code::UINT0,
        Value::Ulong(0) => code::ULONG0,
        Value::List(l) if l.is_empty() => code::LIST0,
        _ if k.fits => k.narrow,
        _ => k.wide,
    }
}

fn put_len(w: &mut Writer<'_>, wide: bool, n: usize) -> Result<(), EncodeError> {
    if wide {
        w.put_u32(u32::try_from(n).map_err(|_| EncodeError::TooLarge)?)?;
    } else {
        w.put_u8(u8::try_from(n).map_err(|_| EncodeError::TooLarge)?)?;
    }
    Ok(())
}

/// Writes the body of non-described `v` under constructor `c`.
fn write_body(v: &Value<'_>, c: u8, w: &mut Writer<'_>) -> Result<(), EncodeError> {
    let wide = matches!(
        c,
        code::VBIN32 | code::STR32 | code::SYM32 | code::LIST32 | code::MAP32 | code::ARRAY32
    );
    match *v {
        Value::Null => {}
        Value::Bool(b) => {
            if c == code::BOOLEAN {
                w.put_u8(u8::from(b))?;
            }
        }
        Value::Ubyte(x) => w.put_u8(x)?,
        Value::Ushort(x) => w.put_u16(x)?,
        Value::Uint(x) => match c {
            code::UINT0 => {}
            code::SMALLUINT => w.put_u8(x as u8)?,
            _ => w.put_u32(x)?,
        },
        Value::Ulong(x) => match c {
            code::ULONG0 => {}
            code::SMALLULONG => w.put_u8(x as u8)?,
            _ => w.put_u64(x)?,
        },
        Value::Byte(x) => w.put_u8(x as u8)?,
        Value::Short(x) => w.put_u16(x as u16)?,
        Value::Int(x) => match c {
            code::SMALLINT => w.put_u8(x as i8 as u8)?,
            _ => w.put_u32(x as u32)?,
        },
        Value::Long(x) => match c {
            code::SMALLLONG => w.put_u8(x as i8 as u8)?,
            _ => w.put_u64(x as u64)?,
        },
        Value::Float(x) => w.put_u32(x.to_bits())?,
        Value::Double(x) => w.put_u64(x.to_bits())?,
        Value::Decimal32(b) => w.put_slice(&b)?,
        Value::Decimal64(b) => w.put_slice(&b)?,
        Value::Decimal128(b) => w.put_slice(&b)?,
        Value::Char(ch) => w.put_u32(u32::from(ch))?,
        Value::Timestamp(t) => w.put_u64(t as u64)?,
        Value::Uuid(b) => w.put_slice(&b)?,
        Value::Binary(b) => {
            put_len(w, wide, b.len())?;
            w.put_slice(b)?;
        }
        Value::Str(s) => {
            put_len(w, wide, s.len())?;
            w.put_slice(s.as_bytes())?;
        }
        Value::Symbol(s) => {
            if !s.is_ascii() {
                return Err(EncodeError::InvalidSymbol);
            }
            put_len(w, wide, s.len())?;
            w.put_slice(s.as_bytes())?;
        }
        Value::List(l) => {
            if c != code::LIST0 {
                let k = kind(v)?;
                put_len(w, wide, add(k.data, if wide { 4 } else { 1 })?)?;
                put_len(w, wide, k.count)?;
                if let Some(elems) = canonical_list(&l) {
                    w.put_slice(elems)?;
                    return Ok(());
                }
                for e in l.iter() {
                    e?.write_to(w)?;
                }
            }
        }
        Value::Map(m) => {
            let k = kind(v)?;
            put_len(w, wide, add(k.data, if wide { 4 } else { 1 })?)?;
            put_len(w, wide, k.count)?;
            if let Some(elems) = canonical_map(&m) {
                w.put_slice(elems)?;
                return Ok(());
            }
            for p in m.iter() {
                let (key, val) = p?;
                key.write_to(w)?;
                val.write_to(w)?;
            }
        }
        Value::Array(a) => {
            let p = array_plan(&a)?;
            let data = add(p.ctor_len, p.elems_len)?;
            put_len(w, wide, add(data, if wide { 4 } else { 1 })?)?;
            put_len(w, wide, p.count)?;
            let ec = match p.ctor {
                Ctor::Raw(b) => {
                    w.put_slice(b)?;
                    return Ok(());
                }
                Ctor::Built(d, ec) => {
                    if let Some(d) = d {
                        w.put_u8(code::DESCRIBED)?;
                        write_descriptor(&d, w)?;
                    }
                    w.put_u8(ec)?;
                    ec
                }
            };
            for e in a.iter() {
                let (_, inner) = undescribe(e?)?;
                write_body(&inner, ec, w)?;
            }
        }
        Value::Described(_) => {
            return Err(EncodeError::Unsupported("described value in this position"))
        }
    }
    Ok(())
}

impl Value<'_> {
    /// The number of bytes [`Value::encode_to_slice`] (and
    /// [`Value::write_to`]) writes.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        match self {
            Value::Described(d) => {
                let inner = d.value.decode()?.encoded_len()?;
                add(1 + descriptor_len(&d.descriptor)?, inner)
            }
            v => {
                let k = kind(v)?;
                add(1, body_len(standalone(v, &k), &k)?)
            }
        }
    }

    /// Writes the value with the shortest constructors into `w`, the
    /// core's slice writer (for callers assembling a buffer themselves).
    ///
    /// The whole length is checked against the writer first, so on
    /// [`EncodeError::BufferTooSmall`] nothing has been written.
    pub fn write_to(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let len = self.encoded_len()?;
        if w.remaining() < len {
            return Err(EncodeError::BufferTooSmall {
                required: w.position().saturating_add(len),
            });
        }
        match self {
            Value::Described(d) => {
                w.put_u8(code::DESCRIBED)?;
                write_descriptor(&d.descriptor, w)?;
                d.value.decode()?.write_to(w)
            }
            v => {
                let k = kind(v)?;
                let c = standalone(v, &k);
                w.put_u8(c)?;
                write_body(v, c, w)
            }
        }
    }

    /// Encodes into the start of `buf`, returning the bytes written.
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = Writer::new(buf);
        self.write_to(&mut w)?;
        Ok(w.position())
    }

    crate::buf::encode_to_buf!();
}

/// How deeply [`skim`] follows nested compounds before giving up (and
/// letting the encoder re-encode element by element).
const SKIM_DEPTH: u32 = 32;

/// Reads one already validated value from `r` without decoding it (no
/// UTF-8 checks, nothing built) and returns its first format code and
/// whether it is written exactly as this encoder would write it (shortest
/// constructors everywhere). Arrays are never reported canonical: their
/// shared constructor is chosen from all elements. `None` when the bytes
/// are not a value this skim follows.
pub(crate) fn skim(r: &mut Reader<'_>, depth: u32) -> Option<(u8, bool)> {
    let depth = depth.checked_sub(1)?;
    let c = r.u8().ok()?;
    let skip = |r: &mut Reader<'_>, n: usize| r.skip(n).ok();
    let ok = match c {
        code::DESCRIBED => {
            let desc = match r.u8().ok()? {
                code::ULONG0 => true,
                code::SMALLULONG => r.u8().ok()? != 0,
                code::ULONG => r.u64().ok()? > 255,
                code::SYM8 => {
                    let n = r.u8().ok()?;
                    skip(r, usize::from(n))?;
                    true
                }
                code::SYM32 => {
                    let n = r.u32().ok()? as usize;
                    skip(r, n)?;
                    n > 255
                }
                _ => return None,
            };
            let (_, inner) = skim(r, depth)?;
            desc && inner
        }
        0x40..=0x45 => true,
        code::BOOLEAN => {
            skip(r, 1)?;
            false
        }
        code::UBYTE | code::BYTE | code::SMALLINT | code::SMALLLONG => {
            skip(r, 1)?;
            true
        }
        code::SMALLUINT | code::SMALLULONG => r.u8().ok()? != 0,
        code::USHORT | code::SHORT => {
            skip(r, 2)?;
            true
        }
        code::UINT => r.u32().ok()? > 255,
        code::INT => i8::try_from(r.u32().ok()? as i32).is_err(),
        code::FLOAT | code::CHAR | code::DECIMAL32 => {
            skip(r, 4)?;
            true
        }
        code::ULONG => r.u64().ok()? > 255,
        code::LONG => i8::try_from(r.u64().ok()? as i64).is_err(),
        code::DOUBLE | code::TIMESTAMP | code::DECIMAL64 => {
            skip(r, 8)?;
            true
        }
        code::DECIMAL128 | code::UUID => {
            skip(r, 16)?;
            true
        }
        code::VBIN8 | code::STR8 | code::SYM8 => {
            let n = r.u8().ok()?;
            skip(r, usize::from(n))?;
            true
        }
        code::VBIN32 | code::STR32 | code::SYM32 => {
            let n = r.u32().ok()? as usize;
            skip(r, n)?;
            n > 255
        }
        code::LIST8 | code::LIST32 | code::MAP8 | code::MAP32 => {
            let wide = c == code::LIST32 || c == code::MAP32;
            let (count, elems) = super::decode::compound(r, wide).ok()?;
            let fits = count <= 255 && elems.len() < 255;
            let header = match c {
                code::LIST8 => count > 0 && fits,
                code::LIST32 => count > 0 && !fits,
                code::MAP8 => fits,
                _ => !fits,
            };
            header && elems_canonical(elems, count, depth)?
        }
        code::ARRAY8 | code::ARRAY32 => {
            super::decode::compound(r, c == code::ARRAY32).ok()?;
            false
        }
        _ => return None,
    };
    Some((c, ok))
}

/// Whether `count` validated elements in `elems` are all canonical.
fn elems_canonical(elems: &[u8], count: u32, depth: u32) -> Option<bool> {
    let mut r = Reader::new(elems);
    for _ in 0..count {
        if !skim(&mut r, depth)?.1 {
            return Some(false);
        }
    }
    Some(r.is_empty())
}

/// The element bytes of a decoded list that can be copied as they are.
fn canonical_list<'a>(l: &List<'a>) -> Option<&'a [u8]> {
    match l.0 {
        SeqRepr::Encoded { elems, count, .. } if count > 0 => {
            elems_canonical(elems, count, SKIM_DEPTH)?.then_some(elems)
        }
        _ => None,
    }
}

/// The element bytes of a decoded map that can be copied as they are.
pub(crate) fn canonical_map<'a>(m: &Map<'a>) -> Option<&'a [u8]> {
    match m.0 {
        MapRepr::Encoded { elems, count, .. } => {
            elems_canonical(elems, count, SKIM_DEPTH)?.then_some(elems)
        }
        MapRepr::Pairs(_) => None,
    }
}

/// The first format codes of the keys and values of a decoded map, read
/// without decoding them; `None` for a map built in memory.
pub(crate) fn entry_codes<'a>(m: &Map<'a>) -> Option<impl Iterator<Item = (u8, u8)> + 'a> {
    let MapRepr::Encoded { elems, count, .. } = m.0 else {
        return None;
    };
    let mut r = Reader::new(elems);
    let mut left = count / 2;
    Some(core::iter::from_fn(move || {
        left = left.checked_sub(1)?;
        let (k, _) = skim(&mut r, SKIM_DEPTH)?;
        let (v, _) = skim(&mut r, SKIM_DEPTH)?;
        Some((k, v))
    }))
}

/// For a decoded map: `Some(Ok(elems))` when every entry passes `check`
/// (on the first format codes of key and value) and is already canonical,
/// so that the map can be written as a header and these bytes; `Some(Err)`
/// when an entry fails `check`; `None` when the map was built in memory or
/// is not canonical (the caller re-encodes it element by element). One pass.
pub(crate) fn canonical_checked_map<'a>(
    m: &Map<'a>,
    check: impl Fn(u8, u8) -> bool,
) -> Option<Result<&'a [u8], ()>> {
    let MapRepr::Encoded { elems, count, .. } = m.0 else {
        return None;
    };
    let mut r = Reader::new(elems);
    let mut canonical = true;
    for _ in 0..count / 2 {
        let (k, kc) = skim(&mut r, SKIM_DEPTH)?;
        let (v, vc) = skim(&mut r, SKIM_DEPTH)?;
        if !check(k, v) {
            return Some(Err(()));
        }
        canonical &= kc && vc;
    }
    (canonical && r.is_empty()).then_some(Ok(elems))
}

/// The header of a map of `count` keys and values in `data` bytes, as the
/// encoder writes it: its length, and the bytes (up to 9).
pub(crate) fn map_header(count: usize, data: usize) -> Result<(usize, [u8; 9]), EncodeError> {
    let mut h = [0u8; 9];
    if count <= 255 && data < 255 {
        h[..3].copy_from_slice(&[code::MAP8, data as u8 + 1, count as u8]);
        Ok((3, h))
    } else {
        let size = u32::try_from(add(data, 4)?).map_err(|_| EncodeError::TooLarge)?;
        let count = u32::try_from(count).map_err(|_| EncodeError::TooLarge)?;
        h[0] = code::MAP32;
        h[1..5].copy_from_slice(&size.to_be_bytes());
        h[5..9].copy_from_slice(&count.to_be_bytes());
        Ok((9, h))
    }
}

/// The length of a `str`/`sym`/`vbin` value of `n` bytes, shortest constructor.
#[inline]
pub(crate) fn var_len(n: usize) -> Result<usize, EncodeError> {
    if n <= 255 {
        Ok(2 + n)
    } else if u32::try_from(n).is_ok() {
        n.checked_add(5).ok_or(EncodeError::TooLarge)
    } else {
        Err(EncodeError::TooLarge)
    }
}

/// Writes a variable-width value with constructor `narrow` (one-byte size) or
/// `wide` (four-byte size).
#[inline]
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

/// Writes a symbol, refusing non-ASCII text.
#[inline]
pub(crate) fn put_sym(w: &mut Writer<'_>, s: &str) -> Result<(), EncodeError> {
    if !s.is_ascii() {
        return Err(EncodeError::InvalidSymbol);
    }
    put_var(w, code::SYM8, code::SYM32, s.as_bytes())
}
