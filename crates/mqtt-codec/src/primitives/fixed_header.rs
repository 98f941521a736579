//! The fixed header (spec 2.1): packet type, flags and remaining length.

use iotcodec_core::Decoded;

use super::{parse_vbi, Vbi};
use crate::error::DecodeError;

/// The fixed header of a packet: its first byte and the remaining length.
///
/// ```
/// use mqtt_codec::wire::FixedHeader;
/// use mqtt_codec::Decoded;
///
/// // a PUBLISH with 321 bytes after its 3-byte fixed header
/// let Ok(Decoded::Complete { item, consumed }) = FixedHeader::decode(&[0x30, 0xc1, 0x02]) else {
///     panic!("incomplete")
/// };
/// assert_eq!((item.packet_type(), item.remaining_length, consumed), (3, 321, 3));
/// assert_eq!(item.packet_len(), 324);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedHeader {
    /// The first byte: type in the high nibble, flags in the low one.
    pub first_byte: u8,
    /// The remaining length.
    pub remaining_length: u32,
    /// Bytes of the fixed header (2..=5).
    pub header_len: usize,
}

impl FixedHeader {
    /// The packet type (1..=15; 0 is reserved).
    pub fn packet_type(&self) -> u8 {
        self.first_byte >> 4
    }

    /// The whole packet's size.
    pub fn packet_len(&self) -> usize {
        self.header_len + self.remaining_length as usize
    }

    /// Reads a fixed header from the front of `buf`. Only the Variable Byte
    /// Integer rule is checked here.
    #[inline]
    pub fn decode(buf: &[u8]) -> Result<Decoded<Self>, DecodeError> {
        let Some((&first_byte, rest)) = buf.split_first() else {
            return Ok(Decoded::needs(2));
        };
        match parse_vbi(rest) {
            Vbi::Value(remaining_length, n) => Ok(Decoded::Complete {
                item: Self {
                    first_byte,
                    remaining_length,
                    header_len: 1 + n,
                },
                consumed: 1 + n,
            }),
            Vbi::Incomplete => Ok(Decoded::needs(1)),
            Vbi::Malformed => Err(DecodeError::MalformedVarInt),
        }
    }
}

/// The reserved flags of every packet type but PUBLISH [MQTT-2.1.3-1].
#[inline(always)]
pub(crate) fn required_flags(packet_type: u8) -> u8 {
    match packet_type {
        6 | 8 | 10 => 0b0010,
        _ => 0,
    }
}
