/// A small seeded pseudo-random generator (PCG-XSH-RR with 64-bit state and
/// 32-bit output, after M. E. O'Neill's PCG family, "PCG: A Family of
/// Simple Fast Space-Efficient Statistically Good Algorithms for Random
/// Number Generation", 2014). The multiplier and increment are the
/// reference generator's published constants, and seeding follows its
/// `srandom` steps (advance, add the seed, advance).
///
/// The state machines draw message IDs, tokens and back-off jitter from it.
/// It is seeded from the machine's configuration, never from a global or OS
/// source, so the same inputs always give the same behaviour: simulations and
/// fuzz runs can be replayed exactly. It is **not** cryptographically secure;
/// seed it from a real random source in production so that tokens and IDs are
/// hard to guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

const MULTIPLIER: u64 = 6_364_136_223_846_793_005;
const INCREMENT: u64 = 1_442_695_040_888_963_407;

impl Rng {
    /// A generator seeded with `seed`. Every seed, zero included, is fine.
    pub fn new(seed: u64) -> Self {
        let mut rng = Self { state: 0 };
        rng.step();
        rng.state = rng.state.wrapping_add(seed);
        rng.step();
        rng
    }

    fn step(&mut self) {
        self.state = self.state.wrapping_mul(MULTIPLIER).wrapping_add(INCREMENT);
    }

    /// The next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.step();
        // Truncations below are the algorithm: keep the top bits of the xorshift.
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        (u64::from(self.next_u32()) << 32) | u64::from(self.next_u32())
    }

    /// The next 16 random bits.
    pub fn next_u16(&mut self) -> u16 {
        (self.next_u32() >> 16) as u16
    }

    /// Fills `out` with random bytes.
    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(4) {
            let bytes = self.next_u32().to_be_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    /// A value uniformly distributed in `low..=high` (without modulo bias).
    /// Returns `low` when `high <= low`.
    pub fn range_inclusive(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        let span = high - low;
        if span == u64::MAX {
            return self.next_u64();
        }
        let n = span + 1;
        // Reject the top partial bucket so that every value is equally likely.
        let zone = u64::MAX - (u64::MAX % n) - 1;
        loop {
            let x = self.next_u64();
            if x <= zone {
                return low + x % n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_per_seed() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let mut c = Rng::new(8);
        let xs: [u32; 4] = core::array::from_fn(|_| a.next_u32());
        let ys: [u32; 4] = core::array::from_fn(|_| b.next_u32());
        let zs: [u32; 4] = core::array::from_fn(|_| c.next_u32());
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        // Not stuck on a constant.
        assert!(xs.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn range_stays_inside_and_covers() {
        let mut rng = Rng::new(1);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let v = rng.range_inclusive(10, 14);
            assert!((10..=14).contains(&v));
            seen[(v - 10) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(rng.range_inclusive(5, 5), 5);
        assert_eq!(rng.range_inclusive(9, 3), 9);
        let _ = rng.range_inclusive(0, u64::MAX);
    }

    #[test]
    fn fill_any_length() {
        let mut rng = Rng::new(3);
        let mut buf = [0u8; 7];
        rng.fill(&mut buf);
        assert!(buf.iter().any(|&b| b != 0));
        let mut empty = [0u8; 0];
        rng.fill(&mut empty);
    }

    #[test]
    fn bits_are_balanced() {
        // A weak but real check: over many draws each of the 32 bits is set
        // roughly half the time.
        let mut rng = Rng::new(12345);
        let mut counts = [0u32; 32];
        let n = 20_000;
        for _ in 0..n {
            let x = rng.next_u32();
            for (i, c) in counts.iter_mut().enumerate() {
                *c += (x >> i) & 1;
            }
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "bit count {c}");
        }
    }
}
