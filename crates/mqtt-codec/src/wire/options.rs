//! The limits and policies of the decoder.

use crate::primitives::MAX_VBI;

/// The largest packet MQTT can carry: a remaining length of 268,435,455
/// after a fixed header of 5 bytes. [`Packet::decode`](super::Packet::decode)
/// accepts packets up to this size.
pub const MAX_PACKET_SIZE: usize = MAX_VBI as usize + 5;

/// Every limit and policy of the decoder, for
/// [`Packet::decode_with`](super::Packet::decode_with) and
/// [`OwnedPacket::decode_with`](super::OwnedPacket::decode_with) (feature
/// `alloc`). [`DecodeOptions::new`] (or `default()`) gives what
/// [`Packet::decode`](super::Packet::decode) does: packets up to
/// [`MAX_PACKET_SIZE`], the lenient policies.
///
/// ```
/// use mqtt_codec::wire::{DecodeOptions, Packet, ProtocolVersion};
/// use mqtt_codec::DecodeError;
///
/// // a client that told the server its Maximum Packet Size is 1024
/// const OPTIONS: DecodeOptions = DecodeOptions::new().max_packet_size(1024).strict_strings(true);
///
/// let pingresp = [0xd0, 0x00];
/// assert!(Packet::decode_with(&pingresp, ProtocolVersion::V5, &OPTIONS).is_ok());
/// // a PUBLISH claiming 2000 bytes is refused from its fixed header alone
/// let big = [0x30, 0xcd, 0x0f];
/// assert_eq!(
///     Packet::decode_with(&big, ProtocolVersion::V5, &OPTIONS),
///     Err(DecodeError::PacketTooLarge { size: 2000, max: 1024 })
/// );
/// assert_eq!(DecodeOptions::default(), DecodeOptions::new());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The largest whole packet (fixed header included) accepted; checked
    /// as soon as the fixed header is read. [`MAX_PACKET_SIZE`] by default.
    pub max_packet_size: usize,
    /// Also reject strings holding control characters or non-characters
    /// (what the specification says senders SHOULD NOT send).
    pub strict_strings: bool,
    /// Also reject MQTT 5 reason codes the specification does not define
    /// for the packet carrying them
    /// ([`ReasonCode::is_defined_for`](super::ReasonCode::is_defined_for)),
    /// and MQTT 3.x CONNACK return codes above 5 (reserved). Off by
    /// default: reason codes are an open set that round-trips.
    pub strict_reason_codes: bool,
    /// Also reject an MQTT 5 PUBLISH (or a CONNECT's will) whose Payload
    /// Format Indicator is 1 but whose payload is not UTF-8 (3.3.2.3.2,
    /// 3.1.3.2.3: a receiver MAY check it and answer 0x99 Payload format
    /// invalid). Off by default.
    pub check_payload_format: bool,
}

impl DecodeOptions {
    /// The defaults: packets up to [`MAX_PACKET_SIZE`], the lenient
    /// policies.
    pub const fn new() -> Self {
        Self {
            max_packet_size: MAX_PACKET_SIZE,
            strict_strings: false,
            strict_reason_codes: false,
            check_payload_format: false,
        }
    }

    /// The same options accepting packets of at most `n` bytes (fixed
    /// header included).
    pub const fn max_packet_size(mut self, n: usize) -> Self {
        self.max_packet_size = n;
        self
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

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::new()
    }
}
