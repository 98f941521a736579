//! A seeded, lossy, duplicating, reordering datagram link on a virtual
//! clock.
//!
//! A [`Link`] carries datagrams between addresses with a delay drawn from a
//! range, and drops or duplicates each one with configured probabilities.
//! Variable delays reorder datagrams. Everything is driven by an
//! [`iotcodec_core::Rng`] seed, so a failing run can be replayed exactly.
//!
//! ```
//! use core::time::Duration;
//! use iotcodec_core::Instant;
//! use iotcodec_testkit::{Link, LinkConfig};
//!
//! let mut link = Link::new(LinkConfig { loss: 0.0, duplicate: 0.0, ..LinkConfig::default() }, 7);
//! link.send(Instant::ZERO, 1u8, 2u8, b"hello");
//! let at = link.next_delivery().unwrap();
//! assert!(at >= Instant::ZERO + Duration::from_millis(10));
//! let d = link.deliver(at).unwrap();
//! assert_eq!((d.from, d.to, &d.bytes[..]), (1, 2, &b"hello"[..]));
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use iotcodec_core::{Instant, Rng};

/// How the link misbehaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkConfig {
    /// Probability that a datagram is lost.
    pub loss: f64,
    /// Probability that a datagram that got through arrives twice (the copy
    /// with its own delay).
    pub duplicate: f64,
    /// Shortest one-way delay.
    pub min_delay: Duration,
    /// Longest one-way delay.
    pub max_delay: Duration,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            loss: 0.3,
            duplicate: 0.3,
            min_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(500),
        }
    }
}

/// A datagram coming out of the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery<A> {
    /// Sender.
    pub from: A,
    /// Receiver.
    pub to: A,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Counters of what the link did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Datagrams handed to the link.
    pub sent: u64,
    /// Datagrams dropped.
    pub lost: u64,
    /// Extra copies made.
    pub duplicated: u64,
    /// Datagrams delivered (copies included).
    pub delivered: u64,
}

/// A lossy, duplicating, reordering datagram link.
#[derive(Debug)]
pub struct Link<A> {
    config: LinkConfig,
    rng: Rng,
    seq: u64,
    in_flight: BTreeMap<(Instant, u64), Delivery<A>>,
    stats: LinkStats,
}

impl<A: Clone> Link<A> {
    /// A link misbehaving as `config` says, driven by `seed`.
    pub fn new(config: LinkConfig, seed: u64) -> Self {
        Self {
            config,
            rng: Rng::new(seed),
            seq: 0,
            in_flight: BTreeMap::new(),
            stats: LinkStats::default(),
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        // 53 random bits as a fraction in [0, 1)
        let x = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        x < p
    }

    fn delay(&mut self) -> Duration {
        let lo = self.config.min_delay.as_millis() as u64;
        let hi = self.config.max_delay.as_millis() as u64;
        Duration::from_millis(self.rng.range_inclusive(lo, hi))
    }

    /// Hands a datagram to the link at `now`.
    pub fn send(&mut self, now: Instant, from: A, to: A, bytes: &[u8]) {
        self.stats.sent += 1;
        if self.chance(self.config.loss) {
            self.stats.lost += 1;
            return;
        }
        let copies = if self.chance(self.config.duplicate) {
            self.stats.duplicated += 1;
            2
        } else {
            1
        };
        for _ in 0..copies {
            let at = now + self.delay();
            self.seq += 1;
            let d = Delivery {
                from: from.clone(),
                to: to.clone(),
                bytes: bytes.to_vec(),
            };
            self.in_flight.insert((at, self.seq), d);
        }
    }

    /// When the next datagram comes out.
    pub fn next_delivery(&self) -> Option<Instant> {
        self.in_flight.keys().next().map(|&(t, _)| t)
    }

    /// The next datagram due at or before `now`.
    pub fn deliver(&mut self, now: Instant) -> Option<Delivery<A>> {
        let (&key, _) = self.in_flight.iter().next()?;
        if key.0 > now {
            return None;
        }
        self.stats.delivered += 1;
        self.in_flight.remove(&key)
    }

    /// Datagrams still travelling.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// What the link did so far.
    pub fn stats(&self) -> LinkStats {
        self.stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loss_and_duplication_rates() {
        let mut link = Link::new(LinkConfig::default(), 1);
        for i in 0..10_000u64 {
            link.send(Instant::from_millis(i), 1u8, 2u8, b"x");
        }
        let s = link.stats();
        assert!((2_700..3_300).contains(&s.lost), "{s:?}");
        assert!((1_800..2_400).contains(&s.duplicated), "{s:?}");
        let mut last = Instant::ZERO;
        let mut n = 0;
        while let Some(t) = link.next_delivery() {
            assert!(t >= last);
            last = t;
            link.deliver(t).unwrap();
            n += 1;
        }
        assert_eq!(n, s.sent - s.lost + s.duplicated);
    }

    #[test]
    fn reorders_and_replays() {
        let cfg = LinkConfig {
            loss: 0.0,
            duplicate: 0.0,
            ..LinkConfig::default()
        };
        let run = |seed| {
            let mut link = Link::new(cfg, seed);
            for i in 0..20u8 {
                link.send(Instant::ZERO, 0u8, 1u8, &[i]);
            }
            let mut order = vec![];
            while let Some(t) = link.next_delivery() {
                order.push(link.deliver(t).unwrap().bytes[0]);
            }
            order
        };
        let a = run(3);
        assert_eq!(a, run(3));
        assert_ne!(a, (0..20).collect::<Vec<_>>(), "no reordering");
    }

    #[test]
    fn nothing_arrives_early() {
        let cfg = LinkConfig {
            loss: 0.0,
            ..LinkConfig::default()
        };
        let mut link = Link::new(cfg, 0);
        link.send(Instant::from_secs(5), 0u8, 1u8, b"x");
        assert_eq!(link.deliver(Instant::from_secs(5)), None);
        let t = link.next_delivery().unwrap();
        assert!(
            t >= Instant::from_secs(5) + cfg.min_delay
                && t <= Instant::from_secs(5) + cfg.max_delay
        );
        assert_eq!(link.deliver(t).map(|d| d.bytes), Some(b"x".to_vec()));
    }
}
