use core::fmt;

/// An output buffer was too small for what had to be written into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BufferTooSmall {
    /// The total number of bytes the whole write needs.
    pub required: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "output buffer too small: {} bytes required",
            self.required
        )
    }
}

impl core::error::Error for BufferTooSmall {}

/// A cursor over a caller's output slice whose every write is bounds-checked.
///
/// Encoders compute a value's length first and check it against the buffer
/// once; the writer's own checks then only guard against a length function
/// and an encoder disagreeing, which would be a bug: it reports
/// [`BufferTooSmall`] instead of panicking.
///
/// `coap-codec` and `amqp-frame` encode through it; `mqtt-codec` and
/// `mqtt-sn-codec` keep their own sinks (see the crate docs).
///
/// ```
/// use iotcodec_core::{BufferTooSmall, Writer};
///
/// let mut buf = [0u8; 4];
/// let mut w = Writer::new(&mut buf);
/// w.put_u8(0x40).unwrap();
/// w.put_u16(0x0102).unwrap();
/// assert_eq!(w.put_u16(3), Err(BufferTooSmall { required: 5 }));
/// assert_eq!(w.written(), &[0x40, 1, 2]);
/// ```
#[derive(Debug)]
pub struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> Writer<'a> {
    /// A writer at the start of `buf`.
    #[inline]
    pub fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Bytes written so far.
    #[inline]
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Room left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Writes `bytes`.
    #[inline]
    pub fn put_slice(&mut self, bytes: &[u8]) -> Result<(), BufferTooSmall> {
        let end = self.pos + bytes.len();
        match self.buf.get_mut(self.pos..end) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.pos = end;
                Ok(())
            }
            None => Err(BufferTooSmall { required: end }),
        }
    }

    /// Writes one byte.
    #[inline]
    pub fn put_u8(&mut self, b: u8) -> Result<(), BufferTooSmall> {
        match self.buf.get_mut(self.pos) {
            Some(dst) => {
                *dst = b;
                self.pos += 1;
                Ok(())
            }
            None => Err(BufferTooSmall {
                required: self.pos + 1,
            }),
        }
    }

    /// Writes a big-endian `u16`.
    #[inline]
    pub fn put_u16(&mut self, v: u16) -> Result<(), BufferTooSmall> {
        self.put_slice(&v.to_be_bytes())
    }

    /// Writes a big-endian `u32`.
    #[inline]
    pub fn put_u32(&mut self, v: u32) -> Result<(), BufferTooSmall> {
        self.put_slice(&v.to_be_bytes())
    }

    /// Writes a big-endian `u64`.
    #[inline]
    pub fn put_u64(&mut self, v: u64) -> Result<(), BufferTooSmall> {
        self.put_slice(&v.to_be_bytes())
    }

    /// The bytes written so far.
    #[inline]
    pub fn written(&self) -> &[u8] {
        &self.buf[..self.pos]
    }

    /// Gives the written part back, ending the writer.
    #[inline]
    pub fn into_written(self) -> &'a mut [u8] {
        let pos = self.pos;
        &mut self.buf[..pos]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_refuses_overflow() {
        let mut buf = [0u8; 7];
        let mut w = Writer::new(&mut buf);
        w.put_u8(1).unwrap();
        w.put_u16(0x0203).unwrap();
        w.put_u32(0x0405_0607).unwrap();
        assert_eq!(w.remaining(), 0);
        assert_eq!(w.put_u8(9), Err(BufferTooSmall { required: 8 }));
        assert_eq!(w.put_slice(&[1, 2]), Err(BufferTooSmall { required: 9 }));
        assert_eq!(w.written(), &[1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(w.position(), 7);
        assert_eq!(w.into_written().len(), 7);
        let mut small = [0u8; 4];
        let mut w = Writer::new(&mut small);
        assert_eq!(w.put_u64(1), Err(BufferTooSmall { required: 8 }));
        assert_eq!(w.position(), 0);
    }
}
