//! Transmission parameters (RFC 7252 §4.8) and the times derived from them
//! (§4.8.2).

use core::time::Duration;

/// The message layer's transmission parameters. The defaults are RFC 7252
/// §4.8's; every one can be changed (§4.8.1 says how carefully).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransmissionParams {
    /// ACK_TIMEOUT: the shortest initial retransmission timeout (2 s).
    pub ack_timeout: Duration,
    /// ACK_RANDOM_FACTOR in thousandths (1500 = 1.5): the initial timeout
    /// is drawn uniformly from [ACK_TIMEOUT, ACK_TIMEOUT × factor].
    pub ack_random_factor_milli: u32,
    /// MAX_RETRANSMIT: retransmissions before giving up (4).
    pub max_retransmit: u32,
    /// NSTART: outstanding interactions per peer (1).
    pub nstart: u32,
    /// DEFAULT_LEISURE: how long a server may wait before answering a
    /// multicast request (5 s).
    pub default_leisure: Duration,
    /// PROBING_RATE in bytes per second (1).
    pub probing_rate: u32,
    /// MAX_LATENCY: the longest a datagram is expected to travel (100 s).
    pub max_latency: Duration,
    /// PROCESSING_DELAY: the time a node takes to answer a CON (ACK_TIMEOUT).
    pub processing_delay: Duration,
}

impl Default for TransmissionParams {
    fn default() -> Self {
        Self {
            ack_timeout: Duration::from_secs(2),
            ack_random_factor_milli: 1500,
            max_retransmit: 4,
            nstart: 1,
            default_leisure: Duration::from_secs(5),
            probing_rate: 1,
            max_latency: Duration::from_secs(100),
            processing_delay: Duration::from_secs(2),
        }
    }
}

impl TransmissionParams {
    /// ACK_TIMEOUT × ACK_RANDOM_FACTOR.
    pub fn max_initial_timeout(&self) -> Duration {
        mul_milli(self.ack_timeout, self.ack_random_factor_milli.max(1000))
    }

    /// MAX_TRANSMIT_SPAN: from the first transmission of a CON to its last
    /// retransmission, at most: ACK_TIMEOUT × (2^MAX_RETRANSMIT − 1) ×
    /// ACK_RANDOM_FACTOR (45 s with the defaults).
    pub fn max_transmit_span(&self) -> Duration {
        self.max_initial_timeout()
            .saturating_mul(pow2_minus_1(self.max_retransmit))
    }

    /// MAX_TRANSMIT_WAIT: from the first transmission of a CON to when the
    /// sender gives up waiting for an ACK or RST: ACK_TIMEOUT ×
    /// (2^(MAX_RETRANSMIT + 1) − 1) × ACK_RANDOM_FACTOR (93 s).
    pub fn max_transmit_wait(&self) -> Duration {
        self.max_initial_timeout()
            .saturating_mul(pow2_minus_1(self.max_retransmit.saturating_add(1)))
    }

    /// EXCHANGE_LIFETIME: how long a Message ID of a CON stays in use, and
    /// how long a received CON is remembered for deduplication:
    /// MAX_TRANSMIT_SPAN + 2 × MAX_LATENCY + PROCESSING_DELAY (247 s).
    pub fn exchange_lifetime(&self) -> Duration {
        self.max_transmit_span()
            .saturating_add(self.max_latency.saturating_mul(2))
            .saturating_add(self.processing_delay)
    }

    /// NON_LIFETIME: how long a received NON is remembered:
    /// MAX_TRANSMIT_SPAN + MAX_LATENCY (145 s).
    pub fn non_lifetime(&self) -> Duration {
        self.max_transmit_span().saturating_add(self.max_latency)
    }
}

/// 2^n − 1, saturating.
fn pow2_minus_1(n: u32) -> u32 {
    1u32.checked_shl(n).map_or(u32::MAX, |v| v - 1)
}

/// `d × milli / 1000`, in whole milliseconds, saturating.
pub(crate) fn mul_milli(d: Duration, milli: u32) -> Duration {
    let ms = d.as_millis().saturating_mul(u128::from(milli)) / 1000;
    Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7252_derived_values() {
        // RFC 7252 §4.8.2, Table 3
        let p = TransmissionParams::default();
        assert_eq!(p.max_transmit_span(), Duration::from_secs(45));
        assert_eq!(p.max_transmit_wait(), Duration::from_secs(93));
        assert_eq!(p.exchange_lifetime(), Duration::from_secs(247));
        assert_eq!(p.non_lifetime(), Duration::from_secs(145));
        assert_eq!(p.max_initial_timeout(), Duration::from_secs(3));
    }

    #[test]
    fn other_values_and_saturation() {
        let p = TransmissionParams {
            ack_timeout: Duration::from_millis(500),
            ack_random_factor_milli: 1000,
            max_retransmit: 2,
            ..TransmissionParams::default()
        };
        assert_eq!(p.max_transmit_span(), Duration::from_millis(1500));
        assert_eq!(p.max_transmit_wait(), Duration::from_millis(3500));
        let huge = TransmissionParams {
            max_retransmit: 40,
            ..TransmissionParams::default()
        };
        assert!(huge.max_transmit_wait() >= Duration::from_secs(3 * u64::from(u32::MAX)));
        // a factor below 1 is treated as 1
        let low = TransmissionParams {
            ack_random_factor_milli: 10,
            ..TransmissionParams::default()
        };
        assert_eq!(low.max_initial_timeout(), Duration::from_secs(2));
    }
}
