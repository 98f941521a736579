use core::fmt;

/// A read ran past the end of the bytes available to a [`Reader`].
///
/// Each protocol crate turns this into its own decode error (a truncated
/// datagram, or a field that claims more bytes than its packet holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnexpectedEnd {
    /// How many more bytes the read needed.
    pub needed: usize,
}

impl fmt::Display for UnexpectedEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "input ends {} byte(s) too early", self.needed)
    }
}

impl core::error::Error for UnexpectedEnd {}

/// A cursor over borrowed bytes whose every read is bounds-checked.
///
/// A `Reader` never panics and never reads past the slice it was given, so a
/// decoder that bounds a reader to one packet cannot read into the next one.
/// Multi-byte integers are big-endian (network order), as in all four
/// protocols.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader positioned at the start of `buf`.
    #[inline]
    pub const fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Bytes read so far.
    #[inline]
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left to read.
    #[inline]
    pub const fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Whether every byte has been read.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The bytes not read yet, without consuming them.
    #[inline]
    pub fn peek_rest(&self) -> &'a [u8] {
        let buf: &'a [u8] = self.buf;
        buf.get(self.pos..).unwrap_or(&[])
    }

    /// The next byte, without consuming it.
    #[inline]
    pub fn peek_u8(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Consumes and returns the next `n` bytes.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], UnexpectedEnd> {
        let buf: &'a [u8] = self.buf;
        match self
            .pos
            .checked_add(n)
            .and_then(|end| buf.get(self.pos..end))
        {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(UnexpectedEnd {
                needed: n - self.remaining(),
            }),
        }
    }

    /// Consumes and returns every byte left.
    #[inline]
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.peek_rest();
        self.pos = self.buf.len();
        rest
    }

    /// Skips `n` bytes.
    #[inline]
    pub fn skip(&mut self, n: usize) -> Result<(), UnexpectedEnd> {
        self.take(n).map(|_| ())
    }

    /// Consumes a fixed-size array.
    #[inline]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], UnexpectedEnd> {
        let s = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Consumes one byte.
    #[inline]
    pub fn u8(&mut self) -> Result<u8, UnexpectedEnd> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(UnexpectedEnd { needed: 1 }),
        }
    }

    /// Consumes a big-endian `u16`.
    #[inline]
    pub fn u16(&mut self) -> Result<u16, UnexpectedEnd> {
        self.array().map(u16::from_be_bytes)
    }

    /// Consumes a big-endian `u32`.
    #[inline]
    pub fn u32(&mut self) -> Result<u32, UnexpectedEnd> {
        self.array().map(u32::from_be_bytes)
    }

    /// Consumes a big-endian `u64`.
    #[inline]
    pub fn u64(&mut self) -> Result<u64, UnexpectedEnd> {
        self.array().map(u64::from_be_bytes)
    }

    /// Consumes a big-endian `u128`.
    #[inline]
    pub fn u128(&mut self) -> Result<u128, UnexpectedEnd> {
        self.array().map(u128::from_be_bytes)
    }

    /// Consumes a `u16` length prefix and then that many bytes.
    #[inline]
    pub fn u16_prefixed(&mut self) -> Result<&'a [u8], UnexpectedEnd> {
        let mut probe = self.clone();
        let len = probe.u16()?;
        let s = probe.take(usize::from(len))?;
        *self = probe;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_order() {
        let data = [1, 0, 2, 0, 0, 0, 3, 9, 9];
        let mut r = Reader::new(&data);
        assert_eq!(r.u8(), Ok(1));
        assert_eq!(r.u16(), Ok(2));
        assert_eq!(r.u32(), Ok(3));
        assert_eq!(r.position(), 7);
        assert_eq!(r.peek_u8(), Some(9));
        assert_eq!(r.rest(), &[9, 9]);
        assert!(r.is_empty());
        assert_eq!(r.u8(), Err(UnexpectedEnd { needed: 1 }));
        assert_eq!(r.peek_u8(), None);
    }

    #[test]
    fn failed_reads_do_not_move() {
        let data = [0, 5, 1, 2];
        let mut r = Reader::new(&data);
        assert_eq!(r.u16_prefixed(), Err(UnexpectedEnd { needed: 3 }));
        assert_eq!(r.position(), 0);
        assert_eq!(r.take(5), Err(UnexpectedEnd { needed: 1 }));
        assert_eq!(r.take(usize::MAX).unwrap_err().needed, usize::MAX - 4);
        assert_eq!(r.u32(), Ok(0x0005_0102));
        assert_eq!(r.u64(), Err(UnexpectedEnd { needed: 8 }));
    }

    #[test]
    fn prefixed_and_wide() {
        let data = [0, 2, b'h', b'i', 0, 0, 0, 0, 0, 0, 0, 7];
        let mut r = Reader::new(&data);
        assert_eq!(r.u16_prefixed(), Ok(&b"hi"[..]));
        assert_eq!(r.u64(), Ok(7));
        let big = [0xffu8; 16];
        assert_eq!(Reader::new(&big).u128(), Ok(u128::MAX));
        let mut r = Reader::new(&big);
        assert_eq!(r.skip(15), Ok(()));
        assert_eq!(r.skip(2), Err(UnexpectedEnd { needed: 1 }));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..64),
                        ops in proptest::collection::vec(0u8..8, 0..32)) {
            let mut r = Reader::new(&data);
            for op in ops {
                let before = r.position();
                let ok = match op {
                    0 => r.u8().is_ok(),
                    1 => r.u16().is_ok(),
                    2 => r.u32().is_ok(),
                    3 => r.u64().is_ok(),
                    4 => r.u16_prefixed().is_ok(),
                    5 => r.take(3).is_ok(),
                    6 => { let _ = r.rest(); true }
                    _ => r.u128().is_ok(),
                };
                if !ok { proptest::prop_assert_eq!(r.position(), before); }
                proptest::prop_assert!(r.position() <= data.len());
            }
        }
    }
}
