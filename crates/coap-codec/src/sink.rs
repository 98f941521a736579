//! Where encoders write: a bounds-checked slice, or a `bytes::BufMut`.

use iotcodec_core::Writer;

use crate::EncodeError;

/// A byte sink the encoders write to after checking the size.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeError>;
}

impl Sink for Writer<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        Ok(self.put_slice(bytes)?)
    }
}

/// A `BufMut` whose remaining capacity was checked beforehand.
#[cfg(feature = "alloc")]
pub(crate) struct BufSink<'b, B>(pub(crate) &'b mut B);

#[cfg(feature = "alloc")]
impl<B: bytes::BufMut> Sink for BufSink<'_, B> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        self.0.put_slice(bytes);
        Ok(())
    }
}
