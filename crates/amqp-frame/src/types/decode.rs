//! Decoding: constructors, bodies and validation of compounds.

use super::{
    code, Array, ArrayRepr, Budget, Described, Descriptor, List, Map, MapRepr, RawRepr, RawValue,
    SeqRepr, Value,
};
use crate::error::DecodeError;
use iotcodec_core::Reader;

/// Decodes a whole value (constructor then body) from `r`.
#[inline]
pub(crate) fn value<'a>(r: &mut Reader<'a>, budget: Budget) -> Result<Value<'a>, DecodeError> {
    // Most values are not described: their constructor is one format code.
    match r.peek_u8() {
        Some(c) if c != code::DESCRIBED => {
            r.u8()?;
            body(c, r, budget)
        }
        _ => {
            let (ctor, _) = constructor(r, budget)?;
            with_ctor(ctor, r, budget)
        }
    }
}

/// Reads a constructor (a format code, possibly preceded by descriptors) and
/// returns its bytes and innermost format code.
pub(super) fn constructor<'a>(
    r: &mut Reader<'a>,
    budget: Budget,
) -> Result<(&'a [u8], u8), DecodeError> {
    let start = r.peek_rest();
    let p0 = r.position();
    let mut budget = budget;
    loop {
        let c = r.u8()?;
        if c != code::DESCRIBED {
            let used = r.position() - p0;
            return Ok((start.get(..used).unwrap_or(start), c));
        }
        budget = budget.deeper()?;
        descriptor(r)?;
    }
}

pub(crate) fn descriptor<'a>(r: &mut Reader<'a>) -> Result<Descriptor<'a>, DecodeError> {
    let c = r.u8()?;
    Ok(match c {
        code::ULONG0 => Descriptor::Code(0),
        code::SMALLULONG => Descriptor::Code(u64::from(r.u8()?)),
        code::ULONG => Descriptor::Code(r.u64()?),
        code::SYM8 | code::SYM32 => match body(c, r, Budget::DEFAULT)? {
            Value::Symbol(s) => Descriptor::Symbol(s),
            _ => return Err(DecodeError::UnsupportedDescriptor { code: c }),
        },
        _ => return Err(DecodeError::UnsupportedDescriptor { code: c }),
    })
}

/// Decodes a body from `r` using the already read constructor bytes `ctor`.
pub(super) fn with_ctor<'a>(
    ctor: &'a [u8],
    r: &mut Reader<'a>,
    budget: Budget,
) -> Result<Value<'a>, DecodeError> {
    let mut c = Reader::new(ctor);
    let first = c.u8()?;
    if first != code::DESCRIBED {
        return body(first, r, budget);
    }
    let inner_budget = budget.deeper()?;
    let descriptor = descriptor(&mut c)?;
    let inner = c.rest();
    let start = r.peek_rest();
    let p0 = r.position();
    with_ctor(inner, r, inner_budget)?;
    let used = r.position() - p0;
    Ok(Value::Described(Described {
        descriptor,
        value: RawValue(RawRepr::Encoded {
            ctor: inner,
            body: start.get(..used).unwrap_or(start),
            budget: inner_budget,
        }),
    }))
}

fn str_of(bytes: &[u8]) -> Result<&str, DecodeError> {
    core::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)
}

fn sized<'a>(r: &mut Reader<'a>, wide: bool) -> Result<&'a [u8], DecodeError> {
    let n = if wide {
        r.u32()? as usize
    } else {
        usize::from(r.u8()?)
    };
    Ok(r.take(n)?)
}

/// Splits a compound body into its count and element bytes.
pub(crate) fn compound<'a>(r: &mut Reader<'a>, wide: bool) -> Result<(u32, &'a [u8]), DecodeError> {
    let (size, width) = if wide {
        (r.u32()?, 4)
    } else {
        (u32::from(r.u8()?), 1)
    };
    if size < width {
        return Err(DecodeError::SizeTooSmall { size });
    }
    let mut b = Reader::new(r.take(size as usize)?);
    let count = if wide { b.u32()? } else { u32::from(b.u8()?) };
    Ok((count, b.rest()))
}

pub(crate) fn check_count(count: u32, available: usize) -> Result<(), DecodeError> {
    if count as usize > available {
        return Err(DecodeError::CountExceedsSize { count, available });
    }
    Ok(())
}

pub(crate) fn check_consumed(r: &Reader<'_>, declared: usize) -> Result<(), DecodeError> {
    if !r.is_empty() {
        return Err(DecodeError::SizeMismatch {
            declared,
            consumed: r.position(),
        });
    }
    Ok(())
}

/// Decodes the body of a value whose (non-described) format code is `c`.
pub(super) fn body<'a>(
    c: u8,
    r: &mut Reader<'a>,
    budget: Budget,
) -> Result<Value<'a>, DecodeError> {
    Ok(match c {
        code::NULL => Value::Null,
        code::TRUE => Value::Bool(true),
        code::FALSE => Value::Bool(false),
        code::BOOLEAN => match r.u8()? {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            value => return Err(DecodeError::InvalidBoolean { value }),
        },
        code::UBYTE => Value::Ubyte(r.u8()?),
        code::USHORT => Value::Ushort(r.u16()?),
        code::UINT => Value::Uint(r.u32()?),
        code::SMALLUINT => Value::Uint(u32::from(r.u8()?)),
        code::UINT0 => Value::Uint(0),
        code::ULONG => Value::Ulong(r.u64()?),
        code::SMALLULONG => Value::Ulong(u64::from(r.u8()?)),
        code::ULONG0 => Value::Ulong(0),
        code::BYTE => Value::Byte(r.u8()? as i8),
        code::SHORT => Value::Short(r.u16()? as i16),
        code::INT => Value::Int(r.u32()? as i32),
        code::SMALLINT => Value::Int(i32::from(r.u8()? as i8)),
        code::LONG => Value::Long(r.u64()? as i64),
        code::SMALLLONG => Value::Long(i64::from(r.u8()? as i8)),
        code::FLOAT => Value::Float(f32::from_bits(r.u32()?)),
        code::DOUBLE => Value::Double(f64::from_bits(r.u64()?)),
        code::DECIMAL32 => Value::Decimal32(r.array()?),
        code::DECIMAL64 => Value::Decimal64(r.array()?),
        code::DECIMAL128 => Value::Decimal128(r.array()?),
        code::CHAR => {
            let code_point = r.u32()?;
            Value::Char(char::from_u32(code_point).ok_or(DecodeError::InvalidChar { code_point })?)
        }
        code::TIMESTAMP => Value::Timestamp(r.u64()? as i64),
        code::UUID => Value::Uuid(r.array()?),
        code::VBIN8 | code::VBIN32 => Value::Binary(sized(r, c == code::VBIN32)?),
        code::STR8 | code::STR32 => Value::Str(str_of(sized(r, c == code::STR32)?)?),
        code::SYM8 | code::SYM32 => {
            let b = sized(r, c == code::SYM32)?;
            if !b.is_ascii() {
                return Err(DecodeError::InvalidSymbol);
            }
            Value::Symbol(str_of(b)?)
        }
        code::LIST0 => Value::List(List(SeqRepr::Encoded {
            elems: &[],
            count: 0,
            budget,
        })),
        code::LIST8 | code::LIST32 | code::MAP8 | code::MAP32 => {
            let (count, elems) = compound(r, c == code::LIST32 || c == code::MAP32)?;
            check_count(count, elems.len())?;
            let is_map = c == code::MAP8 || c == code::MAP32;
            if is_map && count % 2 != 0 {
                return Err(DecodeError::OddMapCount { count });
            }
            let inner = budget.deeper()?;
            let mut e = Reader::new(elems);
            for _ in 0..count {
                value(&mut e, inner)?;
            }
            check_consumed(&e, elems.len())?;
            if is_map {
                Value::Map(Map(MapRepr::Encoded {
                    elems,
                    count,
                    budget: inner,
                }))
            } else {
                Value::List(List(SeqRepr::Encoded {
                    elems,
                    count,
                    budget: inner,
                }))
            }
        }
        code::ARRAY8 | code::ARRAY32 => {
            let (count, rest) = compound(r, c == code::ARRAY32)?;
            let inner = budget.deeper()?;
            let mut e = Reader::new(rest);
            let (ctor, innermost) = constructor(&mut e, inner)?;
            let elems = e.peek_rest();
            if !known(innermost) {
                return Err(DecodeError::UnknownFormatCode { code: innermost });
            }
            if zero_width(innermost) {
                let limit = budget.max_zero_width_elements();
                if count > limit {
                    return Err(DecodeError::TooManyZeroWidthElements { count, limit });
                }
            } else {
                check_count(count, elems.len())?;
            }
            // Zero-width elements are all identical: checking one is enough,
            // which keeps validation of nested zero-width arrays linear.
            let checks = if zero_width(innermost) {
                count.min(1)
            } else {
                count
            };
            let mut e = Reader::new(elems);
            for _ in 0..checks {
                with_ctor(ctor, &mut e, inner)?;
            }
            check_consumed(&e, elems.len())?;
            Value::Array(Array(ArrayRepr::Encoded {
                ctor,
                elems,
                count,
                budget: inner,
            }))
        }
        _ => return Err(DecodeError::UnknownFormatCode { code: c }),
    })
}

/// Whether values with format code `c` have an empty body.
pub(super) const fn zero_width(c: u8) -> bool {
    matches!(c, 0x40..=0x45)
}

/// Whether `c` is one of the format codes AMQP 1.0 defines (other than the
/// descriptor marker).
const fn known(c: u8) -> bool {
    matches!(
        c,
        0x40..=0x45
            | 0x50..=0x56
            | 0x60
            | 0x61
            | 0x70..=0x74
            | 0x80..=0x84
            | 0x94
            | 0x98
            | 0xa0
            | 0xa1
            | 0xa3
            | 0xb0
            | 0xb1
            | 0xb3
            | 0xc0
            | 0xc1
            | 0xd0
            | 0xd1
            | 0xe0
            | 0xf0
    )
}
