//! Decode and encode errors.

use iotcodec_core::BufferTooSmall;

use crate::msg_type::section_of;

/// Why a datagram is not a valid MQTT-SN 1.2 message, or is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The datagram is larger than the limit
    /// ([`DecodeOptions::max_message_size`](crate::DecodeOptions), by
    /// default [`MAX_DATAGRAM_LEN`](crate::MAX_DATAGRAM_LEN), beyond which
    /// no datagram can be valid). Checked before anything else.
    #[error("datagram of {size} bytes exceeds the maximum of {max}")]
    MessageTooLarge {
        /// The datagram size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The datagram ends inside the Length field or the MsgType octet.
    #[error("datagram too short: {needed} more bytes needed for the header")]
    Truncated {
        /// How many more bytes the header needs.
        needed: usize,
    },
    /// The Length field holds a value no message can have (0, or below the header size).
    #[error("invalid Length value {value}")]
    InvalidLength {
        /// The value read.
        value: usize,
    },
    /// The Length field differs from the datagram size.
    #[error("Length field says {declared} bytes but the datagram has {actual}")]
    LengthMismatch {
        /// What the Length field says.
        declared: usize,
        /// The datagram size.
        actual: usize,
    },
    /// A MsgType the spec reserves (0x03, 0x11, 0x19, 0x1E-0xFD, 0xFF).
    #[error("reserved message type 0x{msg_type:02x}")]
    ReservedMsgType {
        /// The octet read.
        msg_type: u8,
    },
    /// The message body has a size its type does not allow.
    #[error("message type 0x{msg_type:02x} cannot have a {len}-byte body")]
    BodyLength {
        /// The message type.
        msg_type: u8,
        /// The body size (bytes after the MsgType octet).
        len: usize,
    },
    /// TopicIdType 0b11 in a Flags octet.
    #[error("reserved TopicIdType 0b11 in flags 0x{flags:02x}")]
    ReservedTopicIdType {
        /// The Flags octet.
        flags: u8,
    },
    /// A topic id the spec reserves (0x0000 or 0xFFFF) where a real id is required.
    #[error("reserved topic id 0x{topic_id:04x} in message type 0x{msg_type:02x}")]
    ReservedTopicId {
        /// The message type.
        msg_type: u8,
        /// The topic id.
        topic_id: u16,
    },
    /// CONNECT with a ProtocolId other than 0x01.
    #[error("unsupported ProtocolId 0x{value:02x} (MQTT-SN 1.2 is 0x01)")]
    ProtocolId {
        /// The octet read.
        value: u8,
    },
    /// A string field that is not UTF-8.
    #[error("{field} is not valid UTF-8")]
    InvalidUtf8 {
        /// Which field.
        field: &'static str,
    },
    /// A malformed forwarder encapsulation.
    #[error("malformed forwarder encapsulation: {reason}")]
    Forwarder {
        /// What is wrong.
        reason: &'static str,
    },
}

impl DecodeError {
    /// The section of the MQTT-SN 1.2 specification the datagram breaks;
    /// `None` for [`DecodeError::MessageTooLarge`], a limit of the
    /// receiver's.
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            // the receiver's limit, not a rule of the specification
            Self::MessageTooLarge { .. } => return None,
            Self::Truncated { .. } | Self::InvalidLength { .. } | Self::LengthMismatch { .. } => {
                "5.2.1"
            }
            Self::ReservedMsgType { .. } => "5.2.2",
            Self::BodyLength { msg_type, .. } => section_of(*msg_type),
            Self::ReservedTopicIdType { .. } => "5.3.4",
            Self::ReservedTopicId { .. } => "5.3.11",
            Self::ProtocolId { .. } => "5.3.8",
            Self::InvalidUtf8 { field } => match *field {
                "ClientId" => "5.3.1",
                "TopicName" => "5.3.12",
                "WillTopic" => "5.3.14",
                _ => "5.3",
            },
            Self::Forwarder { .. } => "5.5",
        })
    }
}

/// Why a message cannot be encoded.
///
/// The encoder refuses every message whose bytes [`Message::decode`](crate::Message::decode) would
/// reject (and nothing is written then). Apart from
/// [`EncodeError::BufferTooSmall`] and [`EncodeError::InvalidField`], each
/// variant names the rule those bytes would break, and
/// [`EncodeError::rule`] gives the section the decoder's error for them
/// names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer is smaller than the message.
    #[error("output buffer too small: {required} bytes required")]
    BufferTooSmall {
        /// The message's encoded size.
        required: usize,
    },
    /// The message is longer than the 65535 bytes a Length field can
    /// express (5.2.1).
    #[error("message of {len} bytes exceeds the 65535-byte maximum")]
    TooLong {
        /// The size it would have.
        len: usize,
    },
    /// A topic id the spec reserves (0x0000 or 0xFFFF) where the decoder
    /// requires a real one (5.3.11): in PUBLISH (normal and pre-defined
    /// ids), in a pre-defined (UN)SUBSCRIBE; 0xFFFF in REGISTER, REGACK and
    /// SUBACK; 0x0000 in a REGACK that accepts.
    #[error("reserved topic id 0x{topic_id:04x} in message type 0x{msg_type:02x}")]
    ReservedTopicId {
        /// The message type.
        msg_type: u8,
        /// The topic id.
        topic_id: u16,
    },
    /// An empty TopicName in REGISTER, SUBSCRIBE or UNSUBSCRIBE; the
    /// decoder takes such a body for one of the wrong size, so the rule is
    /// the message's section (5.4.10, 5.4.15, 5.4.17).
    #[error("empty TopicName in message type 0x{msg_type:02x}")]
    EmptyTopicName {
        /// The message type.
        msg_type: u8,
    },
    /// A Wireless Node Id longer than the 252 bytes a forwarder's 1-byte
    /// Length can cover (5.5).
    #[error("Wireless Node Id of {len} bytes exceeds 252")]
    NodeIdTooLong {
        /// Its length.
        len: usize,
    },
    /// The bytes a forwarder encapsulates (5.5) are not one valid plain
    /// message: empty, malformed, or an encapsulation themselves. Holds the
    /// error [`Message::decode`](crate::Message::decode) gives for the whole encapsulation.
    #[error("invalid encapsulated message: {0}")]
    Encapsulated(DecodeError),
    /// A value that cannot be put on the wire. `Message`'s encoders do not
    /// return it; `OwnedMessage::from_message` (feature `alloc`) does if
    /// the bytes written fail to decode, which would be a bug.
    #[error("invalid field: {field}")]
    InvalidField {
        /// What is wrong.
        field: &'static str,
    },
}

impl EncodeError {
    /// The section of the MQTT-SN 1.2 specification the message would
    /// break; `None` for a buffer too small and for
    /// [`EncodeError::InvalidField`].
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            Self::BufferTooSmall { .. } | Self::InvalidField { .. } => None,
            Self::TooLong { .. } => Some("5.2.1"),
            Self::ReservedTopicId { .. } => Some("5.3.11"),
            Self::EmptyTopicName { msg_type } => Some(section_of(*msg_type)),
            Self::NodeIdTooLong { .. } => Some("5.5"),
            Self::Encapsulated(e) => e.rule(),
        }
    }
}

impl From<BufferTooSmall> for EncodeError {
    fn from(e: BufferTooSmall) -> Self {
        Self::BufferTooSmall {
            required: e.required,
        }
    }
}
