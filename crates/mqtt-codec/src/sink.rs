//! Where the encoder writes: a caller's slice, a `bytes::BufMut` or a
//! `Vec`.
//!
//! The encoder validates a packet and computes its exact size first, checks
//! the room once, and only then writes. The writes themselves therefore
//! cannot run out of room unless the size computation and the writer
//! disagree (a bug): a sink then stops writing and remembers it, and the
//! encoder reports [`EncodeError::BufferTooSmall`](crate::EncodeError)
//! instead of panicking. That keeps every write a plain copy with one
//! well-predicted branch and no `Result` to pass along.

/// A byte sink with room for everything the encoder will write.
pub(crate) trait Sink {
    /// Appends `b`.
    fn put(&mut self, b: &[u8]);

    /// Appends one byte.
    fn put_u8(&mut self, b: u8);

    /// Records that the encoder found an inconsistency (a bug): the sink
    /// will not report itself filled.
    fn fail(&mut self);

    /// Runs `f`, a writer that is not inlined, on this sink. A sink whose
    /// state should stay in registers hands `f` a copy of itself and takes
    /// the copy's state back, so that its own address never escapes.
    #[inline(always)]
    fn out_of_line(&mut self, f: impl FnOnce(&mut Self)) {
        f(self);
    }

    /// Appends a big-endian `u16`.
    #[inline(always)]
    fn put_u16(&mut self, v: u16) {
        self.put(&v.to_be_bytes());
    }

    /// Appends a few bytes whose number is known when compiling.
    #[inline(always)]
    fn put_array<const N: usize>(&mut self, b: [u8; N]) {
        self.put(&b);
    }

    /// Appends a big-endian `u32`.
    #[inline(always)]
    fn put_u32(&mut self, v: u32) {
        self.put(&v.to_be_bytes());
    }

    /// Appends a `u16` length and `b` (whose length was checked to fit;
    /// should it not, nothing is written and the sink fails).
    #[inline(always)]
    fn put_prefixed(&mut self, b: &[u8]) {
        match u16::try_from(b.len()) {
            Ok(n) => {
                self.put_u16(n);
                self.put(b);
            }
            Err(_) => self.fail(),
        }
    }
}

/// Copies `src` into `dst` when they have the same length (the callers
/// make sure they do; otherwise nothing is copied).
///
/// Up to 32 bytes are copied inline as two overlapping pieces of 1, 4, 8 or
/// 16 bytes (the first and the last), as `memcpy` does inside, without the
/// call: strings and small payloads are mostly this short, and the call
/// costs about as much as the copy, plus the registers the caller saves
/// around it. Longer ones go to `copy_from_slice` (`memcpy`).
#[inline(always)]
pub(crate) fn copy(dst: &mut [u8], src: &[u8]) {
    if dst.len() != src.len() {
        return;
    }
    let n = src.len();
    // the longest first: one comparison for 16..=32 bytes
    if n.wrapping_sub(16) <= 16 {
        copy_ends::<16>(dst, src);
    } else if n > 32 {
        dst.copy_from_slice(src);
    } else if n >= 8 {
        copy_ends::<8>(dst, src);
    } else if n >= 4 {
        copy_ends::<4>(dst, src);
    } else if n > 0 {
        copy_ends::<1>(dst, src);
    }
}

/// The first and the last `N` bytes of `src` into `dst` (of the same length,
/// `N` to `2 * N` bytes; for `N = 1`, 1 to 3, and the middle byte too).
#[inline(always)]
fn copy_ends<const N: usize>(dst: &mut [u8], src: &[u8]) {
    if N == 1 {
        let mid = src.len() / 2;
        if let (Some(d), Some(s)) = (dst.get_mut(mid), src.get(mid)) {
            *d = *s;
        }
    }
    if let (Some(d), Some(s)) = (dst.first_chunk_mut::<N>(), src.first_chunk::<N>()) {
        *d = *s;
    }
    if let (Some(d), Some(s)) = (dst.last_chunk_mut::<N>(), src.last_chunk::<N>()) {
        *d = *s;
    }
}

/// Writes into the front of a slice.
pub(crate) struct SliceSink<'a> {
    /// The part not written yet.
    rest: &'a mut [u8],
    overflow: bool,
}

impl<'a> SliceSink<'a> {
    #[inline(always)]
    pub(crate) fn new(out: &'a mut [u8]) -> Self {
        Self {
            rest: out,
            overflow: false,
        }
    }

    /// Whether every write found room and the slice is exactly filled.
    #[inline(always)]
    pub(crate) fn filled(&self) -> bool {
        !self.overflow && self.rest.is_empty()
    }

    /// The next `n` bytes, if there is room for them: one comparison with
    /// the room left, then the front of the slice moves on.
    #[inline(always)]
    fn next(&mut self, n: usize) -> Option<&'a mut [u8]> {
        if n > self.rest.len() {
            self.overflow = true;
            return None;
        }
        let (dst, rest) = core::mem::take(&mut self.rest).split_at_mut(n);
        self.rest = rest;
        Some(dst)
    }
}

impl Sink for SliceSink<'_> {
    #[inline(always)]
    fn out_of_line(&mut self, f: impl FnOnce(&mut Self)) {
        let mut copy = SliceSink {
            rest: core::mem::take(&mut self.rest),
            overflow: self.overflow,
        };
        f(&mut copy);
        *self = copy;
    }

    #[inline(always)]
    fn fail(&mut self) {
        self.overflow = true;
    }

    #[inline(always)]
    fn put(&mut self, b: &[u8]) {
        if let Some(dst) = self.next(b.len()) {
            // `next` gave exactly `b.len()` bytes; the test keeps
            // `copy_from_slice` from ever having a reason to panic
            if dst.len() == b.len() {
                dst.copy_from_slice(b);
            }
        }
    }

    /// One room check for the length and the bytes.
    #[inline(always)]
    fn put_prefixed(&mut self, b: &[u8]) {
        let Ok(n) = u16::try_from(b.len()) else {
            self.fail();
            return;
        };
        if let Some(dst) = self.next(2 + b.len()) {
            if let Some((len, rest)) = dst.split_first_chunk_mut::<2>() {
                *len = n.to_be_bytes();
                copy(rest, b);
            }
        }
    }

    #[inline(always)]
    fn put_u8(&mut self, b: u8) {
        if let Some([dst]) = self.next(1) {
            *dst = b;
        }
    }

    #[inline(always)]
    fn put_u16(&mut self, v: u16) {
        self.put_array(v.to_be_bytes());
    }

    #[inline(always)]
    fn put_array<const N: usize>(&mut self, b: [u8; N]) {
        if let Some(dst) = self.next(N) {
            if let Ok(dst) = <&mut [u8; N]>::try_from(dst) {
                *dst = b;
            }
        }
    }

    #[inline(always)]
    fn put_u32(&mut self, v: u32) {
        self.put_array(v.to_be_bytes());
    }
}

/// Appends to a `bytes::BufMut` that was checked to have `left` bytes of
/// room; `BufMut`'s own writes panic when out of room, so every write is
/// checked against `left` first.
#[cfg(feature = "alloc")]
pub(crate) struct BufSink<'a, B> {
    out: &'a mut B,
    left: usize,
    overflow: bool,
}

#[cfg(feature = "alloc")]
impl<'a, B: bytes::BufMut> BufSink<'a, B> {
    #[inline(always)]
    pub(crate) fn new(out: &'a mut B, len: usize) -> Self {
        Self {
            out,
            left: len,
            overflow: false,
        }
    }

    /// Whether exactly the announced length was written.
    #[inline(always)]
    pub(crate) fn filled(&self) -> bool {
        !self.overflow && self.left == 0
    }
}

#[cfg(feature = "alloc")]
impl<B: bytes::BufMut> Sink for BufSink<'_, B> {
    #[inline(always)]
    fn fail(&mut self) {
        self.overflow = true;
    }

    #[inline(always)]
    fn put(&mut self, b: &[u8]) {
        if b.len() <= self.left {
            self.left -= b.len();
            self.out.put_slice(b);
        } else {
            self.overflow = true;
        }
    }

    #[inline(always)]
    fn put_u8(&mut self, b: u8) {
        if self.left >= 1 {
            self.left -= 1;
            self.out.put_u8(b);
        } else {
            self.overflow = true;
        }
    }
}

/// Appends to a vector (which grows as needed). Used where a failure
/// cannot happen (values generated valid) or is checked by length.
#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    #[inline(always)]
    fn fail(&mut self) {}

    #[inline(always)]
    fn put(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }

    #[inline(always)]
    fn put_u8(&mut self, b: u8) {
        self.push(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_sink_stops_at_the_end_without_panicking() {
        let mut buf = [0u8; 9];
        let mut s = SliceSink::new(&mut buf);
        s.put_u8(1);
        s.put_u16(0x0203);
        s.put_u32(0x0405_0607);
        assert!(!s.filled());
        s.put(&[8, 9]);
        assert!(s.filled());
        s.put_u8(10);
        assert!(!s.filled());
        s.put_u16(1);
        s.put_u32(1);
        s.put(&[1]);
        assert!(!s.filled());
        assert_eq!(buf, [1, 2, 3, 4, 5, 6, 7, 8, 9]);

        let mut small = [0u8; 3];
        let mut s = SliceSink::new(&mut small);
        s.put_u32(1);
        assert!(!s.filled());
        let mut s = SliceSink::new(&mut small);
        s.put_prefixed(b"a");
        assert!(s.filled());
        assert_eq!(small, [0, 1, b'a']);
    }

    #[test]
    fn short_copies_copy_every_byte() {
        let src: [u8; 80] = core::array::from_fn(|i| i as u8 + 1);
        for n in 0..=80 {
            let mut dst = [0u8; 81];
            copy(&mut dst[..n], &src[..n]);
            assert_eq!(dst[..n], src[..n], "{n}");
            assert!(dst[n..].iter().all(|&b| b == 0), "{n}");
            // lengths that differ: nothing is copied
            let mut dst = [0u8; 81];
            copy(&mut dst[..n + 1], &src[..n]);
            assert!(dst.iter().all(|&b| b == 0), "{n}");
        }
        // through the sink, with the length in front
        for n in 0..=40 {
            let mut buf = [0u8; 42];
            let mut s = SliceSink::new(&mut buf[..n + 2]);
            s.put_prefixed(&src[..n]);
            assert!(s.filled());
            assert_eq!(buf[..2], (n as u16).to_be_bytes());
            assert_eq!(buf[2..n + 2], src[..n]);
        }
    }

    #[test]
    fn out_of_line_writes_land_in_place() {
        let mut buf = [0u8; 4];
        let mut s = SliceSink::new(&mut buf);
        s.put_u8(1);
        s.out_of_line(|w| w.put_u16(0x0203));
        s.put_u8(4);
        assert!(s.filled());
        s.out_of_line(|w| w.put_u8(5));
        assert!(!s.filled());
        assert_eq!(buf, [1, 2, 3, 4]);
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn buf_sink_checks_its_budget() {
        let mut out = bytes::BytesMut::new();
        let mut s = BufSink::new(&mut out, 3);
        s.put_u8(1);
        s.put_u16(0x0203);
        assert!(s.filled());
        s.put_u8(4);
        s.put(&[5]);
        assert!(!s.filled());
        assert_eq!(&out[..], &[1, 2, 3]);
        // a fixed slice as `BufMut`: writing past it would panic, the
        // budget stops it first
        let mut fixed = [0u8; 2];
        let mut slice = &mut fixed[..];
        let mut s = BufSink::new(&mut slice, 2);
        s.put(&[1, 2, 3]);
        assert!(!s.filled());
        let mut v = alloc::vec::Vec::new();
        v.put_prefixed(b"xy");
        assert_eq!(v, [0, 2, b'x', b'y']);
    }
}
