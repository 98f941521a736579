//! The limits and policies of the decoder.

/// Limits and policies for [`Packet::decode_with`](super::Packet::decode_with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The largest whole packet (fixed header included) accepted.
    pub max_packet_size: usize,
    /// Also reject strings holding control characters or non-characters
    /// (what the specification says senders SHOULD NOT send).
    pub strict_strings: bool,
    /// Also reject MQTT 5 reason codes the specification does not define
    /// for the packet carrying them ([`ReasonCode::is_defined_for`](super::ReasonCode::is_defined_for)), and
    /// MQTT 3.x CONNACK return codes above 5 (reserved). Off by default:
    /// reason codes are an open set that round-trips.
    pub strict_reason_codes: bool,
    /// Also reject an MQTT 5 PUBLISH (or a CONNECT's will) whose Payload
    /// Format Indicator is 1 but whose payload is not UTF-8 (3.3.2.3.2,
    /// 3.1.3.2.3: a receiver MAY check it and answer 0x99 Payload format
    /// invalid). Off by default.
    pub check_payload_format: bool,
}

impl DecodeOptions {
    /// Options with `max_packet_size` and the lenient policies.
    pub const fn new(max_packet_size: usize) -> Self {
        Self {
            max_packet_size,
            strict_strings: false,
            strict_reason_codes: false,
            check_payload_format: false,
        }
    }

    /// The same options with the strict string policy on or off.
    pub const fn strict_strings(mut self, on: bool) -> Self {
        self.strict_strings = on;
        self
    }

    /// The same options with the strict reason code policy on or off.
    pub const fn strict_reason_codes(mut self, on: bool) -> Self {
        self.strict_reason_codes = on;
        self
    }

    /// The same options with the Payload Format Indicator check on or off.
    pub const fn check_payload_format(mut self, on: bool) -> Self {
        self.check_payload_format = on;
        self
    }
}
