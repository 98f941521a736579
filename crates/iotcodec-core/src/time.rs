use core::fmt;
use core::ops::{Add, AddAssign, Sub};
use core::time::Duration;

/// A point in time: milliseconds since an epoch the caller chooses.
///
/// The state machines never read a clock; every call that depends on time
/// takes the current `Instant` as an argument. Only differences between
/// instants matter, so any monotonic millisecond counter will do: a
/// microcontroller tick counter, [`StdClock`] under `std`, or a virtual clock
/// in a simulation.
///
/// Arithmetic saturates instead of overflowing or panicking: an instant plus a
/// huge duration is [`Instant::MAX`], and a later instant minus an earlier one
/// is never negative (`a - b` is zero when `b > a`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

/// Milliseconds in a duration, rounded up so that a timer never fires early,
/// saturating at `u64::MAX`.
fn ceil_millis(d: Duration) -> u64 {
    let ms = d.as_millis();
    let ms = if d.subsec_nanos() % 1_000_000 != 0 {
        ms + 1
    } else {
        ms
    };
    u64::try_from(ms).unwrap_or(u64::MAX)
}

impl Instant {
    /// The epoch itself.
    pub const ZERO: Self = Self(0);
    /// The latest representable instant.
    pub const MAX: Self = Self(u64::MAX);

    /// An instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }

    /// An instant `s` seconds after the epoch (saturating).
    pub const fn from_secs(s: u64) -> Self {
        Self(s.saturating_mul(1000))
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// `self + d`, or `None` if that is past [`Instant::MAX`].
    pub fn checked_add(self, d: Duration) -> Option<Self> {
        u64::try_from(d.as_millis())
            .ok()
            .and_then(|ms| {
                let extra = u64::from(d.subsec_nanos() % 1_000_000 != 0);
                ms.checked_add(extra)
            })
            .and_then(|ms| self.0.checked_add(ms))
            .map(Self)
    }

    /// `self + d`, saturating at [`Instant::MAX`].
    pub fn saturating_add(self, d: Duration) -> Self {
        Self(self.0.saturating_add(ceil_millis(d)))
    }

    /// `self - d`, saturating at the epoch.
    pub fn saturating_sub(self, d: Duration) -> Self {
        Self(self.0.saturating_sub(ceil_millis(d)))
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Instant {
    type Output = Self;
    fn add(self, d: Duration) -> Self {
        self.saturating_add(d)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, d: Duration) {
        *self = *self + d;
    }
}

impl Sub<Duration> for Instant {
    type Output = Self;
    fn sub(self, d: Duration) -> Self {
        self.saturating_sub(d)
    }
}

impl Sub for Instant {
    type Output = Duration;
    fn sub(self, earlier: Self) -> Duration {
        self.saturating_duration_since(earlier)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.0 / 1000, self.0 % 1000)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Turns [`std::time::Instant`]s into [`Instant`]s, counting from the moment
/// the clock was created.
///
/// ```
/// let clock = iotcodec_core::StdClock::new();
/// let now = clock.now();
/// let later = clock.to_std(now + core::time::Duration::from_millis(250));
/// assert!(later >= std::time::Instant::now() - std::time::Duration::from_secs(1));
/// ```
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StdClock {
    epoch: std::time::Instant,
}

#[cfg(feature = "std")]
impl StdClock {
    /// A clock whose epoch is now.
    pub fn new() -> Self {
        Self::with_epoch(std::time::Instant::now())
    }

    /// A clock whose epoch is `epoch`.
    pub fn with_epoch(epoch: std::time::Instant) -> Self {
        Self { epoch }
    }

    /// The current time.
    pub fn now(&self) -> Instant {
        self.from_std(std::time::Instant::now())
    }

    /// Converts a [`std::time::Instant`]; instants before the epoch map to
    /// the epoch.
    pub fn from_std(&self, t: std::time::Instant) -> Instant {
        Instant::ZERO.saturating_add(t.saturating_duration_since(self.epoch))
    }

    /// Converts back, for example to sleep until a state machine's
    /// `poll_timeout`.
    pub fn to_std(&self, t: Instant) -> std::time::Instant {
        self.epoch + Duration::from_millis(t.as_millis())
    }
}

#[cfg(feature = "std")]
impl Default for StdClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let t = Instant::from_millis(10);
        assert_eq!(t + Duration::from_millis(5), Instant::from_millis(15));
        assert_eq!(t - Duration::from_millis(50), Instant::ZERO);
        assert_eq!(Instant::MAX + Duration::from_secs(1), Instant::MAX);
        assert_eq!(t + Duration::MAX, Instant::MAX);
        assert_eq!(t.checked_add(Duration::MAX), None);
        assert_eq!(Instant::MAX.checked_add(Duration::from_millis(1)), None);
        assert_eq!(
            t.checked_add(Duration::from_millis(1)),
            Some(Instant::from_millis(11))
        );
        assert_eq!(Instant::from_millis(3) - t, Duration::ZERO);
        assert_eq!(t - Instant::from_millis(3), Duration::from_millis(7));
        assert_eq!(Instant::from_secs(2).as_millis(), 2000);
    }

    #[test]
    fn sub_millisecond_rounds_up() {
        let t = Instant::ZERO + Duration::from_micros(1);
        assert_eq!(t, Instant::from_millis(1));
        assert_eq!(
            Instant::ZERO.checked_add(Duration::from_micros(1500)),
            Some(Instant::from_millis(2))
        );
        let mut u = Instant::ZERO;
        u += Duration::from_millis(2);
        assert_eq!(u.as_millis(), 2);
    }

    #[test]
    fn debug_format() {
        extern crate std;
        use std::format;
        assert_eq!(format!("{:?}", Instant::from_millis(93_005)), "93.005s");
        assert_eq!(format!("{}", Instant::from_millis(7)), "0.007s");
    }

    #[cfg(feature = "std")]
    #[test]
    fn std_clock_round_trip() {
        let epoch = std::time::Instant::now();
        let clock = StdClock::with_epoch(epoch);
        let t = Instant::from_millis(1234);
        assert_eq!(clock.from_std(clock.to_std(t)), t);
        assert_eq!(clock.from_std(epoch), Instant::ZERO);
    }
}
