//! Values of the Block1/Block2 options (RFC 7959 §2.2) and the Observe
//! option (RFC 7641 §2, §3.4).

use core::time::Duration;

use crate::Instant;

/// A Block1/Block2 value: block number (20 bits), more flag, size exponent.
///
/// ```
/// use coap_codec::Block;
///
/// let b = Block::new(1, true, 6).unwrap(); // block 1 of 1024-byte blocks, more follow
/// assert_eq!(b.to_uint(), 0x1e);
/// assert_eq!((b.size(), b.offset()), (1024, 1024));
/// assert_eq!(Block::from_uint(0x1e), Some(b));
/// assert_eq!(Block::new(1 << 20, false, 0), None); // NUM is 20 bits
/// ```
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Block {
    num: u32,
    more: bool,
    szx: u8,
}

impl Block {
    /// Largest block number (2^20 − 1).
    pub const MAX_NUM: u32 = (1 << 20) - 1;

    /// A block value; `None` when `num` exceeds 20 bits or `szx` exceeds 7.
    /// SZX 7 is reserved on UDP and means BERT on reliable transports
    /// (RFC 8323 §6); [`Block::is_bert`] tells.
    pub const fn new(num: u32, more: bool, szx: u8) -> Option<Self> {
        if num > Self::MAX_NUM || szx > 7 {
            return None;
        }
        Some(Self { num, more, szx })
    }

    /// Decodes an option value read as an unsigned integer (0–3 bytes).
    pub const fn from_uint(v: u32) -> Option<Self> {
        if v > 0x00ff_ffff {
            return None;
        }
        Some(Self {
            num: v >> 4,
            more: v & 0x08 != 0,
            szx: (v & 0x07) as u8,
        })
    }

    /// The option value as an unsigned integer.
    pub const fn to_uint(self) -> u32 {
        (self.num << 4) | ((self.more as u32) << 3) | self.szx as u32
    }

    /// The block number.
    pub const fn num(self) -> u32 {
        self.num
    }

    /// Whether more blocks follow (in a Block2 request it is ignored, RFC 7959 §2.2).
    pub const fn more(self) -> bool {
        self.more
    }

    /// The size exponent.
    pub const fn szx(self) -> u8 {
        self.szx
    }

    /// SZX 7: BERT (only on reliable transports).
    pub const fn is_bert(self) -> bool {
        self.szx == 7
    }

    /// Block size in bytes: 2^(SZX + 4), 16–1024 (1024 for BERT units).
    pub const fn size(self) -> usize {
        if self.szx == 7 {
            1024
        } else {
            1 << (self.szx + 4)
        }
    }

    /// Byte offset of this block: NUM × size.
    pub const fn offset(self) -> usize {
        self.num as usize * self.size()
    }
}

/// The largest Observe sequence number: values are 24 bits (RFC 7641 §3.4).
pub const OBSERVE_MAX: u32 = 0x00ff_ffff;

/// Observe value 0 in a GET: register (RFC 7641 §2).
pub const OBSERVE_REGISTER: u32 = 0;
/// Observe value 1 in a GET: deregister (RFC 7641 §2).
pub const OBSERVE_DEREGISTER: u32 = 1;

/// How long after the previous notification a notification counts as newer
/// whatever its sequence number (RFC 7641 §3.4).
pub const OBSERVE_FRESHNESS: Duration = Duration::from_secs(128);

/// Whether a notification with sequence number `v2` received at `t2` is
/// newer than the one with `v1` received at `t1` (RFC 7641 §3.4): the
/// 24-bit serial-number comparison, or more than 128 s elapsed. Times must
/// come from a monotonic clock.
///
/// ```
/// use coap_codec::{observe_is_newer, Instant};
///
/// let t = Instant::from_secs(10);
/// assert!(observe_is_newer(5, t, 6, t));
/// assert!(!observe_is_newer(6, t, 5, t));
/// assert!(observe_is_newer(0xff_fff0, t, 3, t)); // wrapped
/// assert!(observe_is_newer(6, t, 5, Instant::from_secs(139))); // > 128 s later
/// ```
pub fn observe_is_newer(v1: u32, t1: Instant, v2: u32, t2: Instant) -> bool {
    const HALF: u32 = 1 << 23;
    let (v1, v2) = (v1 & OBSERVE_MAX, v2 & OBSERVE_MAX);
    (v1 < v2 && v2 - v1 < HALF)
        || (v1 > v2 && v1 - v2 > HALF)
        || t2 > t1.saturating_add(OBSERVE_FRESHNESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_values() {
        assert_eq!(Block::from_uint(0), Block::new(0, false, 0));
        let b = Block::from_uint(0x0f_ffff).unwrap();
        assert_eq!((b.num(), b.more(), b.szx()), (0xffff, true, 7));
        assert!(b.is_bert());
        let max = Block::new(Block::MAX_NUM, false, 6).unwrap();
        assert_eq!(max.to_uint(), 0xff_fff6);
        assert_eq!(Block::from_uint(max.to_uint()), Some(max));
        assert_eq!(Block::from_uint(0x0100_0000), None);
        assert_eq!(Block::new(5, false, 8), None);
        // NUM 5000 does not fit 16 bits and must survive (coap-lite bug)
        let b = Block::new(5000, false, 2).unwrap();
        assert_eq!(Block::from_uint(b.to_uint()).unwrap().num(), 5000);
        assert_eq!(Block::new(3, false, 0).unwrap().offset(), 48);
    }

    #[test]
    fn observe_order() {
        let t = Instant::from_secs(1000);
        assert!(!observe_is_newer(7, t, 7, t));
        assert!(observe_is_newer(0, t, (1 << 23) - 1, t));
        assert!(!observe_is_newer(0, t, 1 << 23, t));
        assert!(!observe_is_newer(3, t, 0xff_fff0, t));
        // exactly 128 s later is not enough, 128 s + 1 ms is
        let later = t.saturating_add(OBSERVE_FRESHNESS);
        assert!(!observe_is_newer(6, t, 5, later));
        assert!(observe_is_newer(
            6,
            t,
            5,
            later.saturating_add(Duration::from_millis(1))
        ));
        // values above 24 bits are masked
        assert!(observe_is_newer(0x0100_0005, t, 6, t));
    }
}
