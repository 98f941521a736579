//! The reader over one packet's body.

use iotcodec_core::Reader;

use super::read_utf8;
use crate::error::DecodeError;

/// A reader over one packet's body: every field read is bounded by the
/// packet, and running out is [`DecodeError::Truncated`] naming the field.
///
/// It is the shared [`iotcodec_core::Reader`] with each read given the
/// field's name for the error: the reads themselves, their bounds checks
/// and the sub-slices they return are the core's.
pub(crate) struct Cursor<'a>(Reader<'a>);

/// The error of a read of field `what` that ran past the packet.
#[inline(always)]
fn truncated<E>(what: &'static str) -> impl FnOnce(E) -> DecodeError {
    move |_| DecodeError::Truncated(what)
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Self(Reader::new(b))
    }

    /// The bytes not read yet, without consuming them.
    #[inline(always)]
    pub(crate) fn rest_slice(&self) -> &'a [u8] {
        self.0.peek_rest()
    }

    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Skips one byte (nothing when there is none).
    #[inline(always)]
    pub(crate) fn skip_byte(&mut self) {
        let _ = self.0.u8();
    }

    #[inline(always)]
    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        self.0.u8().map_err(truncated(what))
    }

    #[inline(always)]
    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        self.0.u16().map_err(truncated(what))
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
        self.0.take(n).map_err(truncated(what))
    }

    /// Binary data: a `u16` length and that many bytes.
    #[inline(always)]
    pub(crate) fn bin(&mut self, what: &'static str) -> Result<&'a [u8], DecodeError> {
        self.0.u16_prefixed().map_err(truncated(what))
    }

    /// A UTF-8 string field.
    #[inline(always)]
    pub(crate) fn str(&mut self, what: &'static str) -> Result<&'a str, DecodeError> {
        read_utf8(self.bin(what)?)
    }

    /// Everything left.
    #[inline(always)]
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        self.0.rest()
    }

    /// The fields must fill the remaining length exactly.
    #[inline(always)]
    pub(crate) fn end(&self) -> Result<(), DecodeError> {
        match self.0.remaining() {
            0 => Ok(()),
            n => Err(DecodeError::TrailingBytes(n)),
        }
    }
}
