//! Variable Byte Integers (spec 1.5.5): at most 4 bytes, 7 bits each,
//! minimally encoded [MQTT-1.5.5-1].

use crate::sink::Sink;

/// The largest value a Variable Byte Integer holds (268,435,455).
pub const MAX_VBI: u32 = 268_435_455;

/// What [`parse_vbi`] found.
pub(crate) enum Vbi {
    Value(u32, usize),
    Incomplete,
    Malformed,
}

/// Parses a minimally encoded Variable Byte Integer of at most 4 bytes.
#[inline]
pub(crate) fn parse_vbi(buf: &[u8]) -> Vbi {
    match buf.first() {
        Some(&b) if b < 0x80 => Vbi::Value(u32::from(b), 1),
        Some(_) => parse_long_vbi(buf),
        None => Vbi::Incomplete,
    }
}

/// [`parse_vbi`] past the first byte.
fn parse_long_vbi(buf: &[u8]) -> Vbi {
    let mut v = 0u32;
    for i in 0..4 {
        let Some(&b) = buf.get(i) else {
            return Vbi::Incomplete;
        };
        v |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if i > 0 && b == 0 {
                return Vbi::Malformed;
            }
            return Vbi::Value(v, i + 1);
        }
    }
    Vbi::Malformed
}

/// Bytes of the Variable Byte Integer for `v`.
#[inline]
pub(crate) fn vbi_len(v: u32) -> usize {
    match v {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// Writes `v` (at most [`MAX_VBI`], checked by the caller) as a Variable
/// Byte Integer.
#[inline(always)]
pub(crate) fn put_vbi<S: Sink>(w: &mut S, v: u32) {
    if v < 0x80 {
        w.put_u8(v as u8);
    } else if v < 0x4000 {
        w.put_array([v as u8 | 0x80, (v >> 7) as u8]);
    } else {
        match long_vbi(v) {
            Some((buf, n)) => w.put(buf.get(..n).unwrap_or_default()),
            None => w.fail(),
        }
    }
}

/// The bytes of `v` as a Variable Byte Integer of three bytes and more, and
/// how many there are; `None` above [`MAX_VBI`]. (Out of line and given no
/// sink, so that the sink of the caller can stay in registers.)
#[inline(never)]
fn long_vbi(v: u32) -> Option<([u8; 4], usize)> {
    if v > MAX_VBI {
        return None;
    }
    let mut buf = [0u8; 4];
    let mut n = 0;
    let mut rest = v;
    for b in &mut buf {
        *b = (rest & 0x7f) as u8;
        rest >>= 7;
        n += 1;
        if rest == 0 {
            break;
        }
        *b |= 0x80;
    }
    Some((buf, n))
}
