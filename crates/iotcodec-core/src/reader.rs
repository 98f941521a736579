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
///
/// It keeps only the part of the slice not read yet (and the length it
/// started with, for [`position`](Self::position)): a read compares the
/// length wanted with what is left once and moves the front of the slice
/// on, and every read is `#[inline(always)]`, so a decoder that reads
/// through a `Reader` compiles to the same code as one that slices by hand.
///
/// ```
/// use iotcodec_core::{Reader, UnexpectedEnd};
///
/// let mut r = Reader::new(&[0x00, 0x02, b'h', b'i', 0x07]);
/// assert_eq!(r.u16_prefixed(), Ok(&b"hi"[..])); // a sub-slice of the input
/// assert_eq!(r.position(), 4);
/// assert_eq!(r.u16(), Err(UnexpectedEnd { needed: 1 })); // nothing consumed
/// assert_eq!(r.u8(), Ok(7));
/// assert!(r.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    /// The bytes not read yet.
    rest: &'a [u8],
    /// The length of the slice the reader started with.
    len: usize,
}

impl<'a> Reader<'a> {
    /// A reader positioned at the start of `buf`.
    #[inline(always)]
    pub const fn new(buf: &'a [u8]) -> Self {
        Self {
            rest: buf,
            len: buf.len(),
        }
    }

    /// Bytes read so far.
    #[inline(always)]
    pub const fn position(&self) -> usize {
        self.len - self.rest.len()
    }

    /// Bytes left to read.
    #[inline(always)]
    pub const fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Whether every byte has been read.
    #[inline(always)]
    pub const fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The bytes not read yet, without consuming them.
    #[inline(always)]
    pub const fn peek_rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The next byte, without consuming it.
    #[inline(always)]
    pub const fn peek_u8(&self) -> Option<u8> {
        match self.rest {
            [b, ..] => Some(*b),
            [] => None,
        }
    }

    /// The error of a read of `n` bytes that does not fit.
    #[inline(always)]
    const fn short(&self, n: usize) -> UnexpectedEnd {
        UnexpectedEnd {
            needed: n - self.rest.len(),
        }
    }

    /// Consumes and returns the next `n` bytes.
    #[inline(always)]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], UnexpectedEnd> {
        match self.rest.split_at_checked(n) {
            Some((s, rest)) => {
                self.rest = rest;
                Ok(s)
            }
            None => Err(self.short(n)),
        }
    }

    /// Consumes and returns every byte left.
    #[inline(always)]
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.rest)
    }

    /// Skips `n` bytes.
    #[inline(always)]
    pub fn skip(&mut self, n: usize) -> Result<(), UnexpectedEnd> {
        self.take(n).map(|_| ())
    }

    /// Consumes a fixed-size array.
    #[inline(always)]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], UnexpectedEnd> {
        match self.rest.split_first_chunk::<N>() {
            Some((a, rest)) => {
                self.rest = rest;
                Ok(*a)
            }
            None => Err(self.short(N)),
        }
    }

    /// Consumes one byte.
    #[inline(always)]
    pub fn u8(&mut self) -> Result<u8, UnexpectedEnd> {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                Ok(b)
            }
            None => Err(UnexpectedEnd { needed: 1 }),
        }
    }

    /// Consumes a big-endian `u16`.
    #[inline(always)]
    pub fn u16(&mut self) -> Result<u16, UnexpectedEnd> {
        self.array().map(u16::from_be_bytes)
    }

    /// Consumes a big-endian `u32`.
    #[inline(always)]
    pub fn u32(&mut self) -> Result<u32, UnexpectedEnd> {
        self.array().map(u32::from_be_bytes)
    }

    /// Consumes a big-endian `u64`.
    #[inline(always)]
    pub fn u64(&mut self) -> Result<u64, UnexpectedEnd> {
        self.array().map(u64::from_be_bytes)
    }

    /// Consumes a big-endian `u128`.
    #[inline(always)]
    pub fn u128(&mut self) -> Result<u128, UnexpectedEnd> {
        self.array().map(u128::from_be_bytes)
    }

    /// Consumes a `u16` length prefix and then that many bytes; consumes
    /// nothing when they are not all there.
    #[inline(always)]
    pub fn u16_prefixed(&mut self) -> Result<&'a [u8], UnexpectedEnd> {
        let Some((n, body)) = self.rest.split_first_chunk::<2>() else {
            return Err(self.short(2));
        };
        let n = usize::from(u16::from_be_bytes(*n));
        match body.split_at_checked(n) {
            Some((s, rest)) => {
                self.rest = rest;
                Ok(s)
            }
            None => Err(self.short(2 + n)),
        }
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
