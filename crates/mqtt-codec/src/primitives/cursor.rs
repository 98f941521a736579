//! The reader over one packet's body.

use super::read_utf8;
use crate::error::DecodeError;

/// A reader over one packet's body: every field read is bounded by the
/// packet, and running out is [`DecodeError::Truncated`] naming the field.
pub(crate) struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    #[inline(always)]
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Self(b)
    }

    /// The bytes not read yet, without consuming them.
    #[inline(always)]
    pub(crate) fn rest_slice(&self) -> &'a [u8] {
        self.0
    }

    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Skips one byte (nothing when there is none).
    #[inline(always)]
    pub(crate) fn skip_byte(&mut self) {
        self.0 = self.0.get(1..).unwrap_or_default();
    }

    #[inline(always)]
    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let (&b, rest) = self.0.split_first().ok_or(DecodeError::Truncated(what))?;
        self.0 = rest;
        Ok(b)
    }

    #[inline(always)]
    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        let (b, rest) = self
            .0
            .split_first_chunk::<2>()
            .ok_or(DecodeError::Truncated(what))?;
        self.0 = rest;
        Ok(u16::from_be_bytes(*b))
    }

    /// A packet identifier: present and non-zero [MQTT-2.2.1-3].
    #[inline(always)]
    pub(crate) fn pid(&mut self) -> Result<u16, DecodeError> {
        match self.u16("packet identifier")? {
            0 => Err(DecodeError::ZeroPacketId),
            p => Ok(p),
        }
    }

    #[inline(always)]
    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let (b, rest) = self
            .0
            .split_at_checked(n)
            .ok_or(DecodeError::Truncated(what))?;
        self.0 = rest;
        Ok(b)
    }

    /// Binary data: a `u16` length and that many bytes.
    #[inline(always)]
    pub(crate) fn bin(&mut self, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let n = self.u16(what)?;
        self.take(usize::from(n), what)
    }

    /// A UTF-8 string field.
    #[inline(always)]
    pub(crate) fn str(&mut self, what: &'static str) -> Result<&'a str, DecodeError> {
        read_utf8(self.bin(what)?)
    }

    /// Everything left.
    #[inline(always)]
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.0)
    }

    /// The fields must fill the remaining length exactly.
    #[inline(always)]
    pub(crate) fn end(&self) -> Result<(), DecodeError> {
        match self.0.len() {
            0 => Ok(()),
            n => Err(DecodeError::TrailingBytes(n)),
        }
    }
}
