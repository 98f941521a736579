//! UTF-8 string (spec 1.5.4) and binary data (1.5.6) fields: their checks
//! when decoding and their sizes when encoding.

use crate::error::{DecodeError, EncodeError};
use crate::scan;

/// Validates a decoded UTF-8 string field: well-formed [MQTT-1.5.4-1], no
/// U+0000 [MQTT-1.5.4-2].
#[inline(always)]
pub(crate) fn read_utf8(b: &[u8]) -> Result<&str, DecodeError> {
    if scan::plain_ascii(b) {
        // ASCII without U+0000: cannot fail
        return core::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8);
    }
    read_utf8_slow(b)
}

/// [`read_utf8`] for strings that are not plain ASCII.
#[inline(never)]
fn read_utf8_slow(b: &[u8]) -> Result<&str, DecodeError> {
    let s = core::str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8)?;
    if scan::has_nul(b) {
        return Err(DecodeError::NulInString);
    }
    Ok(s)
}

/// [`read_utf8`] without making the `&str`: for strings kept as raw bytes
/// (properties, topic filter lists), converted when they are read.
#[inline]
pub(crate) fn check_utf8(b: &[u8]) -> Result<(), DecodeError> {
    if scan::plain_ascii(b) {
        return Ok(());
    }
    read_utf8_slow(b).map(|_| ())
}

/// Encoded size of a string field, checking it can be encoded.
#[inline(always)]
pub(crate) fn check_str(s: &str) -> Result<usize, EncodeError> {
    if !scan::plain_ascii(s.as_bytes()) && scan::has_nul(s.as_bytes()) {
        return Err(EncodeError::NulInString);
    }
    check_bin(s.as_bytes())
}

/// Encoded size of a binary field, checking it can be encoded.
#[inline(always)]
pub(crate) fn check_bin(b: &[u8]) -> Result<usize, EncodeError> {
    if b.len() > usize::from(u16::MAX) {
        return Err(EncodeError::FieldTooLong(b.len()));
    }
    Ok(2 + b.len())
}
