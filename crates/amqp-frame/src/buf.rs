//! The `bytes::BufMut` output (feature `alloc`) every encoder shares: the
//! `encode(&mut impl BufMut)` of the calling convention, written through
//! `encode_to_slice`.

use crate::error::EncodeError;

/// Inside an `impl` with `encoded_len() -> Result<usize, _>` and
/// `encode_to_slice`: the `BufMut` output of the calling convention.
macro_rules! encode_to_buf {
    () => {
        /// Appends the encoding to `out`, returning the bytes written.
        #[cfg(feature = "alloc")]
        pub fn encode<B: bytes::BufMut>(&self, out: &mut B) -> Result<usize, $crate::EncodeError> {
            let len = self.encoded_len()?;
            $crate::buf::to_buf(len, out, |b| self.encode_to_slice(b))
        }
    };
}
pub(crate) use encode_to_buf;

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
