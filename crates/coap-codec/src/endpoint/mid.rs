//! Message ID allocation toward one peer (RFC 7252 §4.4): sequential from a
//! random start, never reusing an ID within EXCHANGE_LIFETIME.
//!
//! IDs are handed out in order, so the ID that would be reused next is the
//! one handed out 65,536 allocations ago. The allocator keeps how many IDs
//! were handed out per time bucket (one bucket per [`BUCKET`], 8 s); an ID counts
//! as in use until its bucket's end plus the lifetime, which is never
//! earlier than its real allocation time plus the lifetime. Memory is at
//! most one entry per bucket in a lifetime (33 with the defaults; an ID may
//! stay in use up to 8 s longer than its lifetime, of 65,536),
//! whatever the rate.

use alloc::collections::VecDeque;
use core::time::Duration;

use crate::Instant;

/// Width of a time bucket.
pub(crate) const BUCKET: Duration = Duration::from_secs(8);

#[derive(Debug, Clone)]
pub(crate) struct MidAllocator {
    next: u16,
    /// (end of bucket, IDs handed out in it), oldest first.
    buckets: VecDeque<(Instant, u32)>,
    in_use: u32,
}

impl MidAllocator {
    pub(crate) fn new(start: u16) -> Self {
        Self {
            next: start,
            buckets: VecDeque::new(),
            in_use: 0,
        }
    }

    fn expire(&mut self, now: Instant, lifetime: Duration) {
        while let Some(&(end, n)) = self.buckets.front() {
            if end.saturating_add(lifetime) > now {
                break;
            }
            self.in_use -= n;
            self.buckets.pop_front();
        }
    }

    /// The next ID, or `None` when all 65,536 are still in use.
    pub(crate) fn allocate(&mut self, now: Instant, lifetime: Duration) -> Option<u16> {
        self.expire(now, lifetime);
        if self.in_use >= 1 << 16 {
            return None;
        }
        match self.buckets.back_mut() {
            Some((end, n)) if now <= *end => *n += 1,
            _ => self.buckets.push_back((now.saturating_add(BUCKET), 1)),
        }
        self.in_use += 1;
        let id = self.next;
        self.next = self.next.wrapping_add(1);
        Some(id)
    }

    /// Whether nothing is remembered any more (the peer's state may go).
    pub(crate) fn is_idle(&mut self, now: Instant, lifetime: Duration) -> bool {
        self.expire(now, lifetime);
        self.in_use == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFE: Duration = Duration::from_secs(247);

    #[test]
    fn sequential_from_start_and_wrapping() {
        let mut a = MidAllocator::new(65534);
        let t = Instant::from_secs(1);
        assert_eq!(a.allocate(t, LIFE), Some(65534));
        assert_eq!(a.allocate(t, LIFE), Some(65535));
        assert_eq!(a.allocate(t, LIFE), Some(0));
    }

    #[test]
    fn never_reuses_within_the_lifetime() {
        let mut a = MidAllocator::new(7);
        let t0 = Instant::from_secs(10);
        for i in 0..65536u32 {
            assert_eq!(a.allocate(t0, LIFE), Some(7u16.wrapping_add(i as u16)));
        }
        // all in use: 7 again only once its bucket is older than the lifetime
        assert_eq!(a.allocate(t0, LIFE), None);
        let bucket_end = t0.saturating_add(BUCKET);
        assert_eq!(
            a.allocate(bucket_end + LIFE - Duration::from_millis(1), LIFE),
            None
        );
        assert_eq!(a.allocate(bucket_end + LIFE, LIFE), Some(7));
        assert!(!a.is_idle(bucket_end + LIFE, LIFE));
        assert!(a.is_idle(bucket_end + LIFE + LIFE + BUCKET, LIFE));
    }

    #[test]
    fn memory_is_one_entry_per_bucket() {
        let mut a = MidAllocator::new(0);
        let mut t = Instant::ZERO;
        for _ in 0..100_000 {
            a.allocate(t, LIFE).unwrap();
            t += Duration::from_millis(10);
        }
        // 100 allocations a second: 33 buckets live at most
        assert!(a.buckets.len() <= 33, "{}", a.buckets.len());
        assert!(a.in_use <= 33 * 801);
    }
}
