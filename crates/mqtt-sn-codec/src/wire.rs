//! The MQTT-SN 1.2 wire layer: every message type, decode and encode.

use core::str;

use iotcodec_core::BufferTooSmall;

/// The largest total a Length field can express (3-byte form).
pub const MAX_LEN: usize = 65_535;

/// Message type octets (spec 5.2.2).
pub mod msg_type {
    /// ADVERTISE
    pub const ADVERTISE: u8 = 0x00;
    /// SEARCHGW
    pub const SEARCHGW: u8 = 0x01;
    /// GWINFO
    pub const GWINFO: u8 = 0x02;
    /// CONNECT
    pub const CONNECT: u8 = 0x04;
    /// CONNACK
    pub const CONNACK: u8 = 0x05;
    /// WILLTOPICREQ
    pub const WILLTOPICREQ: u8 = 0x06;
    /// WILLTOPIC
    pub const WILLTOPIC: u8 = 0x07;
    /// WILLMSGREQ
    pub const WILLMSGREQ: u8 = 0x08;
    /// WILLMSG
    pub const WILLMSG: u8 = 0x09;
    /// REGISTER
    pub const REGISTER: u8 = 0x0A;
    /// REGACK
    pub const REGACK: u8 = 0x0B;
    /// PUBLISH
    pub const PUBLISH: u8 = 0x0C;
    /// PUBACK
    pub const PUBACK: u8 = 0x0D;
    /// PUBCOMP
    pub const PUBCOMP: u8 = 0x0E;
    /// PUBREC
    pub const PUBREC: u8 = 0x0F;
    /// PUBREL
    pub const PUBREL: u8 = 0x10;
    /// SUBSCRIBE
    pub const SUBSCRIBE: u8 = 0x12;
    /// SUBACK
    pub const SUBACK: u8 = 0x13;
    /// UNSUBSCRIBE
    pub const UNSUBSCRIBE: u8 = 0x14;
    /// UNSUBACK
    pub const UNSUBACK: u8 = 0x15;
    /// PINGREQ
    pub const PINGREQ: u8 = 0x16;
    /// PINGRESP
    pub const PINGRESP: u8 = 0x17;
    /// DISCONNECT
    pub const DISCONNECT: u8 = 0x18;
    /// WILLTOPICUPD
    pub const WILLTOPICUPD: u8 = 0x1A;
    /// WILLTOPICRESP
    pub const WILLTOPICRESP: u8 = 0x1B;
    /// WILLMSGUPD
    pub const WILLMSGUPD: u8 = 0x1C;
    /// WILLMSGRESP
    pub const WILLMSGRESP: u8 = 0x1D;
    /// Forwarder encapsulation
    pub const FORWARDER: u8 = 0xFE;
}

/// The spec section that defines a message type's layout.
fn section_of(t: u8) -> &'static str {
    use msg_type::*;
    match t {
        ADVERTISE => "5.4.1",
        SEARCHGW => "5.4.2",
        GWINFO => "5.4.3",
        CONNECT => "5.4.4",
        CONNACK => "5.4.5",
        WILLTOPICREQ => "5.4.6",
        WILLTOPIC => "5.4.7",
        WILLMSGREQ => "5.4.8",
        WILLMSG => "5.4.9",
        REGISTER => "5.4.10",
        REGACK => "5.4.11",
        PUBLISH => "5.4.12",
        PUBACK => "5.4.13",
        PUBCOMP | PUBREC | PUBREL => "5.4.14",
        SUBSCRIBE => "5.4.15",
        SUBACK => "5.4.16",
        UNSUBSCRIBE => "5.4.17",
        UNSUBACK => "5.4.18",
        PINGREQ => "5.4.19",
        PINGRESP => "5.4.20",
        DISCONNECT => "5.4.21",
        WILLTOPICUPD => "5.4.22",
        WILLMSGUPD => "5.4.23",
        WILLTOPICRESP => "5.4.24",
        WILLMSGRESP => "5.4.25",
        FORWARDER => "5.5",
        _ => "5.2.2",
    }
}

/// Why a datagram is not a valid MQTT-SN 1.2 message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
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
    /// The section of the MQTT-SN 1.2 specification the datagram breaks.
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
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
/// The encoder refuses every message whose bytes [`Message::decode`] would
/// reject (and nothing is written then). Apart from
/// [`EncodeError::BufferTooSmall`] and [`EncodeError::InvalidField`], each
/// variant names the rule those bytes would break, and
/// [`EncodeError::rule`] gives the section the decoder's error for them
/// names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
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
    /// error [`Message::decode`] gives for the whole encapsulation.
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

/// A return code (spec 5.3.10). Unknown values are kept, so they survive a
/// round trip (EMQX sends 0x80-0x84).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReturnCode(pub u8);

impl ReturnCode {
    /// 0x00 Accepted.
    pub const ACCEPTED: Self = Self(0x00);
    /// 0x01 Rejected: congestion.
    pub const CONGESTION: Self = Self(0x01);
    /// 0x02 Rejected: invalid topic ID.
    pub const INVALID_TOPIC_ID: Self = Self(0x02);
    /// 0x03 Rejected: not supported.
    pub const NOT_SUPPORTED: Self = Self(0x03);

    /// Whether this is [`ReturnCode::ACCEPTED`].
    pub fn is_accepted(self) -> bool {
        self == Self::ACCEPTED
    }

    /// The spec's name for the code, `None` for reserved values.
    pub fn name(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("accepted"),
            1 => Some("rejected: congestion"),
            2 => Some("rejected: invalid topic ID"),
            3 => Some("rejected: not supported"),
            _ => None,
        }
    }
}

/// The QoS field of a Flags octet (bits 6-5).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QoS {
    /// `0b00`: QoS 0.
    #[default]
    AtMostOnce,
    /// `0b01`: QoS 1.
    AtLeastOnce,
    /// `0b10`: QoS 2.
    ExactlyOnce,
    /// `0b11`: QoS −1 (publish without a connection).
    MinusOne,
}

impl QoS {
    /// The numeric level: 0, 1, 2 or −1.
    pub fn level(self) -> i8 {
        match self {
            Self::AtMostOnce => 0,
            Self::AtLeastOnce => 1,
            Self::ExactlyOnce => 2,
            Self::MinusOne => -1,
        }
    }

    fn bits(self) -> u8 {
        match self {
            Self::AtMostOnce => 0,
            Self::AtLeastOnce => 1,
            Self::ExactlyOnce => 2,
            Self::MinusOne => 3,
        }
    }
}

/// The TopicIdType field of a Flags octet (bits 1-0); `0b11` is reserved
/// and rejected on decode.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TopicIdType {
    /// `0b00`: a normal topic id (a topic *name* in SUBSCRIBE/UNSUBSCRIBE).
    #[default]
    Normal,
    /// `0b01`: a pre-defined topic id.
    Predefined,
    /// `0b10`: a short (2-byte) topic name.
    Short,
}

impl TopicIdType {
    fn bits(self) -> u8 {
        match self {
            Self::Normal => 0,
            Self::Predefined => 1,
            Self::Short => 2,
        }
    }
}

/// A decoded Flags octet (spec 5.3.4). Every bit is kept, so a message
/// re-encodes to the same octet even where a bit has no meaning for its type.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags {
    /// Bit 7: DUP.
    pub dup: bool,
    /// Bits 6-5: QoS.
    pub qos: QoS,
    /// Bit 4: Retain.
    pub retain: bool,
    /// Bit 3: Will (CONNECT).
    pub will: bool,
    /// Bit 2: CleanSession (CONNECT).
    pub clean_session: bool,
    /// Bits 1-0: TopicIdType. In PUBLISH, SUBSCRIBE and UNSUBSCRIBE the
    /// encoder takes it from the message's topic instead.
    pub topic_id_type: TopicIdType,
}

impl Flags {
    /// Parses a Flags octet; `0b11` in bits 1-0 is an error.
    pub fn from_byte(b: u8) -> Result<Self, DecodeError> {
        let topic_id_type = match b & 0b11 {
            0 => TopicIdType::Normal,
            1 => TopicIdType::Predefined,
            2 => TopicIdType::Short,
            _ => return Err(DecodeError::ReservedTopicIdType { flags: b }),
        };
        let qos = match (b >> 5) & 0b11 {
            0 => QoS::AtMostOnce,
            1 => QoS::AtLeastOnce,
            2 => QoS::ExactlyOnce,
            _ => QoS::MinusOne,
        };
        Ok(Self {
            dup: b & 0x80 != 0,
            qos,
            retain: b & 0x10 != 0,
            will: b & 0x08 != 0,
            clean_session: b & 0x04 != 0,
            topic_id_type,
        })
    }

    /// The octet on the wire.
    pub fn to_byte(self) -> u8 {
        (u8::from(self.dup) << 7)
            | (self.qos.bits() << 5)
            | (u8::from(self.retain) << 4)
            | (u8::from(self.will) << 3)
            | (u8::from(self.clean_session) << 2)
            | self.topic_id_type.bits()
    }
}

/// The topic of a PUBLISH: its TopicIdType and the two TopicId octets.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A registered topic id (TopicIdType `0b00`). With QoS −1 some peers put
    /// the length of a topic name here (non-standard "long topic" form).
    Id(u16),
    /// A pre-defined topic id (`0b01`).
    Predefined(u16),
    /// A short topic name (`0b10`): exactly two octets, kept as bytes.
    Short([u8; 2]),
}

impl Topic {
    /// The TopicIdType this topic is sent with.
    pub fn id_type(self) -> TopicIdType {
        match self {
            Self::Id(_) => TopicIdType::Normal,
            Self::Predefined(_) => TopicIdType::Predefined,
            Self::Short(_) => TopicIdType::Short,
        }
    }

    /// The two TopicId octets as a big-endian `u16`: the id, or the short
    /// name's two bytes. This is the value a PUBACK echoes.
    pub fn raw(self) -> u16 {
        match self {
            Self::Id(v) | Self::Predefined(v) => v,
            Self::Short(s) => u16::from_be_bytes(s),
        }
    }
}

/// The topic of a SUBSCRIBE or UNSUBSCRIBE.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicFilter<'a> {
    /// A topic name or filter (TopicIdType `0b00`), UTF-8, possibly with
    /// wildcards; never empty.
    Name(&'a str),
    /// A pre-defined topic id (`0b01`).
    Predefined(u16),
    /// A short topic name (`0b10`): exactly two octets.
    Short([u8; 2]),
}

impl TopicFilter<'_> {
    /// The TopicIdType this topic is sent with.
    pub fn id_type(&self) -> TopicIdType {
        match self {
            Self::Name(_) => TopicIdType::Normal,
            Self::Predefined(_) => TopicIdType::Predefined,
            Self::Short(_) => TopicIdType::Short,
        }
    }
}

/// The body of a non-empty WILLTOPIC or WILLTOPICUPD.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WillTopic<'a> {
    /// Flags: the will QoS and Retain (other bits kept as sent).
    pub flags: Flags,
    /// The will topic, UTF-8.
    pub topic: &'a str,
}

/// A forwarder encapsulation (MsgType 0xFE, spec 5.5).
///
/// Its Length octet covers only its own header (Length, MsgType, Ctrl,
/// Wireless Node Id); the encapsulated message follows with its own header.
/// The encapsulated message is kept as bytes; [`Message::decode`] checks that
/// it is a valid message (and not itself an encapsulation) and
/// [`Forwarded::message`] decodes it.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Forwarded<'a> {
    /// The Ctrl octet (bits 1-0: broadcast radius, gateway to forwarder).
    pub ctrl: u8,
    /// The Wireless Node Id, at most 252 bytes.
    pub node_id: &'a [u8],
    /// The encapsulated MQTT-SN message, header included.
    pub inner: &'a [u8],
}

impl<'a> Forwarded<'a> {
    /// Decodes the encapsulated message.
    pub fn message(&self) -> Result<Message<'a>, DecodeError> {
        decode_plain(self.inner)
    }
}

/// One MQTT-SN 1.2 message, borrowing its variable-length fields from the
/// datagram it was decoded from.
///
/// Strings the spec calls character strings (ClientId, TopicName,
/// WillTopic) are validated as UTF-8 and given as `&str`; WillMsg, Data,
/// GwAdd, short topic names and Wireless Node Ids are binary `&[u8]`.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Message<'a> {
    /// 0x00 ADVERTISE (5.4.1).
    Advertise {
        /// GwId.
        gw_id: u8,
        /// Seconds until the next ADVERTISE.
        duration: u16,
    },
    /// 0x01 SEARCHGW (5.4.2).
    SearchGw {
        /// Broadcast radius (0 = all).
        radius: u8,
    },
    /// 0x02 GWINFO (5.4.3).
    GwInfo {
        /// GwId.
        gw_id: u8,
        /// GwAdd: present (non-empty) only when a client answers for a gateway.
        gw_add: &'a [u8],
    },
    /// 0x04 CONNECT (5.4.4). ProtocolId is always 0x01.
    Connect {
        /// Flags: Will and CleanSession.
        flags: Flags,
        /// Keep-alive in seconds.
        duration: u16,
        /// ClientId (the length is not limited to the spec's 23).
        client_id: &'a str,
    },
    /// 0x05 CONNACK (5.4.5).
    ConnAck {
        /// ReturnCode.
        return_code: ReturnCode,
    },
    /// 0x06 WILLTOPICREQ (5.4.6).
    WillTopicReq,
    /// 0x07 WILLTOPIC (5.4.7); `None` is the 2-byte empty form (delete the will).
    WillTopic(Option<WillTopic<'a>>),
    /// 0x08 WILLMSGREQ (5.4.8).
    WillMsgReq,
    /// 0x09 WILLMSG (5.4.9).
    WillMsg {
        /// The will message, binary.
        msg: &'a [u8],
    },
    /// 0x0A REGISTER (5.4.10).
    Register {
        /// TopicId (0x0000 when sent by a client).
        topic_id: u16,
        /// MsgId.
        msg_id: u16,
        /// TopicName (never empty).
        topic_name: &'a str,
    },
    /// 0x0B REGACK (5.4.11).
    RegAck {
        /// TopicId.
        topic_id: u16,
        /// MsgId.
        msg_id: u16,
        /// ReturnCode.
        return_code: ReturnCode,
    },
    /// 0x0C PUBLISH (5.4.12).
    Publish {
        /// Flags: DUP, QoS, Retain (TopicIdType comes from `topic`).
        flags: Flags,
        /// The topic.
        topic: Topic,
        /// MsgId (0x0000 for QoS 0 and −1, but always on the wire).
        msg_id: u16,
        /// The payload, binary.
        data: &'a [u8],
    },
    /// 0x0D PUBACK (5.4.13).
    PubAck {
        /// TopicId.
        topic_id: u16,
        /// MsgId.
        msg_id: u16,
        /// ReturnCode.
        return_code: ReturnCode,
    },
    /// 0x0E PUBCOMP (5.4.14).
    PubComp {
        /// MsgId.
        msg_id: u16,
    },
    /// 0x0F PUBREC (5.4.14).
    PubRec {
        /// MsgId.
        msg_id: u16,
    },
    /// 0x10 PUBREL (5.4.14).
    PubRel {
        /// MsgId.
        msg_id: u16,
    },
    /// 0x12 SUBSCRIBE (5.4.15).
    Subscribe {
        /// Flags: DUP, requested QoS (TopicIdType comes from `topic`).
        flags: Flags,
        /// MsgId.
        msg_id: u16,
        /// The topic.
        topic: TopicFilter<'a>,
    },
    /// 0x13 SUBACK (5.4.16).
    SubAck {
        /// Flags: granted QoS.
        flags: Flags,
        /// TopicId (0x0000 for wildcard and short subscriptions).
        topic_id: u16,
        /// MsgId.
        msg_id: u16,
        /// ReturnCode.
        return_code: ReturnCode,
    },
    /// 0x14 UNSUBSCRIBE (5.4.17).
    Unsubscribe {
        /// Flags (TopicIdType comes from `topic`).
        flags: Flags,
        /// MsgId.
        msg_id: u16,
        /// The topic.
        topic: TopicFilter<'a>,
    },
    /// 0x15 UNSUBACK (5.4.18).
    UnsubAck {
        /// MsgId.
        msg_id: u16,
    },
    /// 0x16 PINGREQ (5.4.19); a ClientId means a sleeping client is waking.
    PingReq {
        /// ClientId, when present.
        client_id: Option<&'a str>,
    },
    /// 0x17 PINGRESP (5.4.20).
    PingResp,
    /// 0x18 DISCONNECT (5.4.21); a Duration means the client goes to sleep.
    Disconnect {
        /// Sleep duration in seconds, when present.
        duration: Option<u16>,
    },
    /// 0x1A WILLTOPICUPD (5.4.22); `None` (2 bytes) deletes will topic and message.
    WillTopicUpd(Option<WillTopic<'a>>),
    /// 0x1B WILLTOPICRESP (5.4.24).
    WillTopicResp {
        /// ReturnCode.
        return_code: ReturnCode,
    },
    /// 0x1C WILLMSGUPD (5.4.23).
    WillMsgUpd {
        /// The will message, binary.
        msg: &'a [u8],
    },
    /// 0x1D WILLMSGRESP (5.4.25).
    WillMsgResp {
        /// ReturnCode.
        return_code: ReturnCode,
    },
    /// 0xFE forwarder encapsulation (5.5).
    Forwarded(Forwarded<'a>),
}

/// The first error found in a string field that is not UTF-8.
#[inline]
fn utf8<'a>(b: &'a [u8], field: &'static str) -> Result<&'a str, DecodeError> {
    str::from_utf8(b).map_err(|_| DecodeError::InvalidUtf8 { field })
}

/// A topic id that must be a real one: 0x0000 and 0xFFFF are reserved.
#[inline]
fn real_topic_id(msg_type: u8, topic_id: u16) -> Result<u16, DecodeError> {
    if topic_id == 0 || topic_id == 0xFFFF {
        Err(DecodeError::ReservedTopicId { msg_type, topic_id })
    } else {
        Ok(topic_id)
    }
}

/// A topic id where 0x0000 is legitimate but 0xFFFF is reserved.
#[inline]
fn not_ffff(msg_type: u8, topic_id: u16) -> Result<u16, DecodeError> {
    if topic_id == 0xFFFF {
        Err(DecodeError::ReservedTopicId { msg_type, topic_id })
    } else {
        Ok(topic_id)
    }
}

/// A body whose size its message type does not allow.
#[inline]
fn bad_body<T>(msg_type: u8, body: &[u8]) -> Result<T, DecodeError> {
    Err(DecodeError::BodyLength {
        msg_type,
        len: body.len(),
    })
}

/// Reads the Length field and MsgType: `(declared total, header size, type)`.
fn header(d: &[u8]) -> Result<(usize, usize, u8), DecodeError> {
    let (total, hlen) = match *d {
        [] => return Err(DecodeError::Truncated { needed: 2 }),
        [0x01, ref rest @ ..] => match *rest {
            [hi, lo, ..] => {
                let v = usize::from(u16::from_be_bytes([hi, lo]));
                if v < 4 {
                    return Err(DecodeError::InvalidLength { value: v });
                }
                (v, 4)
            }
            // 0x01, then the two octets of the u16 and the MsgType.
            _ => {
                return Err(DecodeError::Truncated {
                    needed: 3 - rest.len(),
                })
            }
        },
        [0, ..] => return Err(DecodeError::InvalidLength { value: 0 }),
        [first, ..] => (usize::from(first), 2),
    };
    match d.get(hlen - 1) {
        Some(&t) => Ok((total, hlen, t)),
        None => Err(DecodeError::Truncated { needed: 1 }),
    }
}

/// Every datagram the fast path of [`Message::decode`] does not take: the
/// 3-byte Length form, a forwarder encapsulation, and every header error.
/// `nested` is set for the message inside an encapsulation.
#[inline(never)]
fn decode_general(d: &[u8], nested: bool) -> Result<Message<'_>, DecodeError> {
    let (total, hlen, t) = header(d)?;
    if t == msg_type::FORWARDER {
        if nested {
            return Err(DecodeError::Forwarder {
                reason: "nested encapsulation",
            });
        }
        return decode_forwarded(d, hlen);
    }
    if total != d.len() {
        return Err(DecodeError::LengthMismatch {
            declared: total,
            actual: d.len(),
        });
    }
    // `header` returned `hlen <= d.len()`.
    decode_body(t, d.get(hlen..).unwrap_or_default())
}

/// A forwarder encapsulation (5.5) whose header is `hlen` bytes long.
fn decode_forwarded(d: &[u8], hlen: usize) -> Result<Message<'_>, DecodeError> {
    if hlen != 2 {
        return Err(DecodeError::Forwarder {
            reason: "encapsulation header must use the 1-byte Length",
        });
    }
    let len = usize::from(d[0]);
    if len < 3 {
        return Err(DecodeError::Forwarder {
            reason: "Length below 3",
        });
    }
    if len >= d.len() {
        return Err(DecodeError::Forwarder {
            reason: "no encapsulated message",
        });
    }
    // 3 <= len < d.len(), so every index below is in bounds.
    let inner = &d[len..];
    decode_plain(inner)?;
    Ok(Message::Forwarded(Forwarded {
        ctrl: d[2],
        node_id: &d[3..len],
        inner,
    }))
}

/// Decodes one message that is not a forwarder encapsulation.
#[inline]
fn decode_plain(d: &[u8]) -> Result<Message<'_>, DecodeError> {
    match *d {
        [len, t, ref body @ ..] if usize::from(len) == d.len() && t != msg_type::FORWARDER => {
            decode_body(t, body)
        }
        _ => decode_general(d, true),
    }
}

/// Decodes the body (the bytes after the MsgType octet) of a message of
/// type `t`, the Length having been checked.
///
/// Each arm matches the body's exact shape as a slice pattern, so a field
/// is read without a bounds check of its own and nothing is read twice.
fn decode_body(t: u8, body: &[u8]) -> Result<Message<'_>, DecodeError> {
    use msg_type::*;
    match t {
        ADVERTISE => match *body {
            [gw_id, d0, d1] => Ok(Message::Advertise {
                gw_id,
                duration: u16be(d0, d1),
            }),
            _ => bad_body(t, body),
        },
        SEARCHGW => match *body {
            [radius] => Ok(Message::SearchGw { radius }),
            _ => bad_body(t, body),
        },
        GWINFO => match *body {
            [gw_id, ref gw_add @ ..] => Ok(Message::GwInfo { gw_id, gw_add }),
            _ => bad_body(t, body),
        },
        CONNACK => match *body {
            [rc] => Ok(Message::ConnAck {
                return_code: ReturnCode(rc),
            }),
            _ => bad_body(t, body),
        },
        WILLTOPICRESP => match *body {
            [rc] => Ok(Message::WillTopicResp {
                return_code: ReturnCode(rc),
            }),
            _ => bad_body(t, body),
        },
        WILLMSGRESP => match *body {
            [rc] => Ok(Message::WillMsgResp {
                return_code: ReturnCode(rc),
            }),
            _ => bad_body(t, body),
        },
        WILLTOPICREQ if body.is_empty() => Ok(Message::WillTopicReq),
        WILLMSGREQ if body.is_empty() => Ok(Message::WillMsgReq),
        PINGRESP if body.is_empty() => Ok(Message::PingResp),
        WILLTOPICREQ | WILLMSGREQ | PINGRESP => bad_body(t, body),
        WILLTOPIC | WILLTOPICUPD if body.is_empty() => Ok(if t == WILLTOPIC {
            Message::WillTopic(None)
        } else {
            Message::WillTopicUpd(None)
        }),
        WILLMSG => Ok(Message::WillMsg { msg: body }),
        WILLMSGUPD => Ok(Message::WillMsgUpd { msg: body }),
        REGACK => match *body {
            // An accepted registration hands out the id PUBLISH will use, so
            // it must be a real one; a rejection may carry 0x0000 (the id is
            // not relevant then, and gateways send 0x0000).
            [0, 0, _, _, rc] if rc == ReturnCode::ACCEPTED.0 => Err(DecodeError::ReservedTopicId {
                msg_type: t,
                topic_id: 0,
            }),
            [i0, i1, m0, m1, rc] => Ok(Message::RegAck {
                topic_id: not_ffff(t, u16be(i0, i1))?,
                msg_id: u16be(m0, m1),
                return_code: ReturnCode(rc),
            }),
            _ => bad_body(t, body),
        },
        PUBACK => match *body {
            [i0, i1, m0, m1, rc] => Ok(Message::PubAck {
                topic_id: u16be(i0, i1),
                msg_id: u16be(m0, m1),
                return_code: ReturnCode(rc),
            }),
            _ => bad_body(t, body),
        },
        PUBCOMP => match *body {
            [m0, m1] => Ok(Message::PubComp {
                msg_id: u16be(m0, m1),
            }),
            _ => bad_body(t, body),
        },
        PUBREC => match *body {
            [m0, m1] => Ok(Message::PubRec {
                msg_id: u16be(m0, m1),
            }),
            _ => bad_body(t, body),
        },
        PUBREL => match *body {
            [m0, m1] => Ok(Message::PubRel {
                msg_id: u16be(m0, m1),
            }),
            _ => bad_body(t, body),
        },
        UNSUBACK => match *body {
            [m0, m1] => Ok(Message::UnsubAck {
                msg_id: u16be(m0, m1),
            }),
            _ => bad_body(t, body),
        },
        PINGREQ if body.is_empty() => Ok(Message::PingReq { client_id: None }),
        DISCONNECT => match *body {
            [] => Ok(Message::Disconnect { duration: None }),
            [d0, d1] => Ok(Message::Disconnect {
                duration: Some(u16be(d0, d1)),
            }),
            _ => bad_body(t, body),
        },
        PUBLISH | SUBACK | CONNECT | WILLTOPIC | WILLTOPICUPD | REGISTER | SUBSCRIBE
        | UNSUBSCRIBE | PINGREQ => out_of_line(t, body),
        _ => Err(DecodeError::ReservedMsgType { msg_type: t }),
    }
}

// The messages with a Flags octet or a string to validate are decoded out
// of line, through one call site: the registers they need are then saved on
// their path only, and the small fixed-size messages above pay for none.

/// PUBLISH, SUBACK, CONNECT, non-empty WILLTOPIC/WILLTOPICUPD, REGISTER,
/// SUBSCRIBE, UNSUBSCRIBE and a PINGREQ with a ClientId.
#[inline(never)]
fn out_of_line(t: u8, body: &[u8]) -> Result<Message<'_>, DecodeError> {
    use msg_type::*;
    match t {
        PUBLISH => publish(body),
        SUBACK => suback(body),
        CONNECT => connect(body),
        WILLTOPIC | WILLTOPICUPD => will_topic(t, body),
        REGISTER => register(body),
        SUBSCRIBE | UNSUBSCRIBE => subscribe(t, body),
        _ => waking_ping(body),
    }
}

fn u16be(hi: u8, lo: u8) -> u16 {
    u16::from_be_bytes([hi, lo])
}

/// PUBLISH (5.4.12): Flags, TopicId as the TopicIdType says, MsgId, Data.
fn publish(body: &[u8]) -> Result<Message<'_>, DecodeError> {
    let t = msg_type::PUBLISH;
    match *body {
        [f, i0, i1, m0, m1, ref data @ ..] => {
            let flags = Flags::from_byte(f)?;
            let raw = u16be(i0, i1);
            let topic = match flags.topic_id_type {
                TopicIdType::Normal => Topic::Id(real_topic_id(t, raw)?),
                TopicIdType::Predefined => Topic::Predefined(real_topic_id(t, raw)?),
                TopicIdType::Short => Topic::Short([i0, i1]),
            };
            Ok(Message::Publish {
                flags,
                topic,
                msg_id: u16be(m0, m1),
                data,
            })
        }
        _ => bad_body(t, body),
    }
}

/// SUBACK (5.4.16): Flags, TopicId (0x0000 for wildcards), MsgId, ReturnCode.
fn suback(body: &[u8]) -> Result<Message<'_>, DecodeError> {
    let t = msg_type::SUBACK;
    match *body {
        [f, i0, i1, m0, m1, rc] => Ok(Message::SubAck {
            flags: Flags::from_byte(f)?,
            topic_id: not_ffff(t, u16be(i0, i1))?,
            msg_id: u16be(m0, m1),
            return_code: ReturnCode(rc),
        }),
        _ => bad_body(t, body),
    }
}

/// CONNECT (5.4.4): Flags, ProtocolId, Duration, ClientId.
fn connect(body: &[u8]) -> Result<Message<'_>, DecodeError> {
    match *body {
        [f, protocol_id, d0, d1, ref client_id @ ..] => {
            let flags = Flags::from_byte(f)?;
            if protocol_id != 0x01 {
                return Err(DecodeError::ProtocolId { value: protocol_id });
            }
            Ok(Message::Connect {
                flags,
                duration: u16be(d0, d1),
                client_id: utf8(client_id, "ClientId")?,
            })
        }
        _ => bad_body(msg_type::CONNECT, body),
    }
}

/// A non-empty WILLTOPIC or WILLTOPICUPD (5.4.7, 5.4.22): Flags and WillTopic.
fn will_topic(t: u8, body: &[u8]) -> Result<Message<'_>, DecodeError> {
    match *body {
        [f, ref topic @ ..] => {
            let will = Some(WillTopic {
                flags: Flags::from_byte(f)?,
                topic: utf8(topic, "WillTopic")?,
            });
            Ok(if t == msg_type::WILLTOPIC {
                Message::WillTopic(will)
            } else {
                Message::WillTopicUpd(will)
            })
        }
        [] => bad_body(t, body),
    }
}

/// REGISTER (5.4.10): TopicId (0x0000 from a client), MsgId, TopicName.
fn register(body: &[u8]) -> Result<Message<'_>, DecodeError> {
    let t = msg_type::REGISTER;
    match *body {
        [i0, i1, m0, m1, ref name @ ..] if !name.is_empty() => Ok(Message::Register {
            topic_id: not_ffff(t, u16be(i0, i1))?,
            msg_id: u16be(m0, m1),
            topic_name: utf8(name, "TopicName")?,
        }),
        _ => bad_body(t, body),
    }
}

/// A PINGREQ with a ClientId (5.4.19): a sleeping client waking up.
fn waking_ping(body: &[u8]) -> Result<Message<'_>, DecodeError> {
    Ok(Message::PingReq {
        client_id: Some(utf8(body, "ClientId")?),
    })
}

/// SUBSCRIBE or UNSUBSCRIBE (5.4.15, 5.4.17): Flags, MsgId, and a topic
/// name, a pre-defined id or a short name as the TopicIdType says.
fn subscribe(t: u8, body: &[u8]) -> Result<Message<'_>, DecodeError> {
    match *body {
        [f, m0, m1, ref rest @ ..] => {
            let flags = Flags::from_byte(f)?;
            let topic = match (flags.topic_id_type, rest) {
                (TopicIdType::Normal, []) => return bad_body(t, body),
                (TopicIdType::Normal, name) => TopicFilter::Name(utf8(name, "TopicName")?),
                (TopicIdType::Predefined, &[i0, i1]) => {
                    TopicFilter::Predefined(real_topic_id(t, u16be(i0, i1))?)
                }
                (TopicIdType::Short, &[s0, s1]) => TopicFilter::Short([s0, s1]),
                _ => return bad_body(t, body),
            };
            let msg_id = u16be(m0, m1);
            Ok(if t == msg_type::SUBSCRIBE {
                Message::Subscribe {
                    flags,
                    msg_id,
                    topic,
                }
            } else {
                Message::Unsubscribe {
                    flags,
                    msg_id,
                    topic,
                }
            })
        }
        _ => bad_body(t, body),
    }
}

impl<'a> Message<'a> {
    /// Decodes one datagram. The Length field must equal the datagram size
    /// (a shorter or longer datagram is an error); the 3-byte Length form is
    /// accepted even for totals below 256.
    ///
    /// The header is read once. The common case (a 1-byte Length, not an
    /// encapsulation) is checked here, small enough to be inlined into the
    /// caller; everything else goes through one out-of-line function.
    #[inline]
    pub fn decode(datagram: &'a [u8]) -> Result<Self, DecodeError> {
        match *datagram {
            // `len == datagram.len() >= 2` also rules out 0x00 and the
            // 3-byte form's 0x01.
            [len, t, ref body @ ..]
                if usize::from(len) == datagram.len() && t != msg_type::FORWARDER =>
            {
                decode_body(t, body)
            }
            _ => decode_general(datagram, false),
        }
    }

    /// The MsgType octet.
    pub fn msg_type(&self) -> u8 {
        use msg_type::*;
        match self {
            Self::Advertise { .. } => ADVERTISE,
            Self::SearchGw { .. } => SEARCHGW,
            Self::GwInfo { .. } => GWINFO,
            Self::Connect { .. } => CONNECT,
            Self::ConnAck { .. } => CONNACK,
            Self::WillTopicReq => WILLTOPICREQ,
            Self::WillTopic(_) => WILLTOPIC,
            Self::WillMsgReq => WILLMSGREQ,
            Self::WillMsg { .. } => WILLMSG,
            Self::Register { .. } => REGISTER,
            Self::RegAck { .. } => REGACK,
            Self::Publish { .. } => PUBLISH,
            Self::PubAck { .. } => PUBACK,
            Self::PubComp { .. } => PUBCOMP,
            Self::PubRec { .. } => PUBREC,
            Self::PubRel { .. } => PUBREL,
            Self::Subscribe { .. } => SUBSCRIBE,
            Self::SubAck { .. } => SUBACK,
            Self::Unsubscribe { .. } => UNSUBSCRIBE,
            Self::UnsubAck { .. } => UNSUBACK,
            Self::PingReq { .. } => PINGREQ,
            Self::PingResp => PINGRESP,
            Self::Disconnect { .. } => DISCONNECT,
            Self::WillTopicUpd(_) => WILLTOPICUPD,
            Self::WillTopicResp { .. } => WILLTOPICRESP,
            Self::WillMsgUpd { .. } => WILLMSGUPD,
            Self::WillMsgResp { .. } => WILLMSGRESP,
            Self::Forwarded(_) => FORWARDER,
        }
    }

    /// The spec's upper-case name (`"PUBLISH"`, `"FORWARDER"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Advertise { .. } => "ADVERTISE",
            Self::SearchGw { .. } => "SEARCHGW",
            Self::GwInfo { .. } => "GWINFO",
            Self::Connect { .. } => "CONNECT",
            Self::ConnAck { .. } => "CONNACK",
            Self::WillTopicReq => "WILLTOPICREQ",
            Self::WillTopic(_) => "WILLTOPIC",
            Self::WillMsgReq => "WILLMSGREQ",
            Self::WillMsg { .. } => "WILLMSG",
            Self::Register { .. } => "REGISTER",
            Self::RegAck { .. } => "REGACK",
            Self::Publish { .. } => "PUBLISH",
            Self::PubAck { .. } => "PUBACK",
            Self::PubComp { .. } => "PUBCOMP",
            Self::PubRec { .. } => "PUBREC",
            Self::PubRel { .. } => "PUBREL",
            Self::Subscribe { .. } => "SUBSCRIBE",
            Self::SubAck { .. } => "SUBACK",
            Self::Unsubscribe { .. } => "UNSUBSCRIBE",
            Self::UnsubAck { .. } => "UNSUBACK",
            Self::PingReq { .. } => "PINGREQ",
            Self::PingResp => "PINGRESP",
            Self::Disconnect { .. } => "DISCONNECT",
            Self::WillTopicUpd(_) => "WILLTOPICUPD",
            Self::WillTopicResp { .. } => "WILLTOPICRESP",
            Self::WillMsgUpd { .. } => "WILLMSGUPD",
            Self::WillMsgResp { .. } => "WILLMSGRESP",
            Self::Forwarded(_) => "FORWARDER",
        }
    }

    /// The MsgId of the messages that carry one (REGISTER, REGACK, PUBLISH,
    /// PUBACK, PUBCOMP, PUBREC, PUBREL, SUBSCRIBE, SUBACK, UNSUBSCRIBE,
    /// UNSUBACK), as on the wire: a QoS 0 or −1 PUBLISH gives its 0x0000.
    pub fn msg_id(&self) -> Option<u16> {
        match *self {
            Self::Register { msg_id, .. }
            | Self::RegAck { msg_id, .. }
            | Self::Publish { msg_id, .. }
            | Self::PubAck { msg_id, .. }
            | Self::PubComp { msg_id }
            | Self::PubRec { msg_id }
            | Self::PubRel { msg_id }
            | Self::Subscribe { msg_id, .. }
            | Self::SubAck { msg_id, .. }
            | Self::Unsubscribe { msg_id, .. }
            | Self::UnsubAck { msg_id } => Some(msg_id),
            _ => None,
        }
    }

    /// Encodes into a new `Vec` of exactly [`Message::encoded_len`] bytes.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let mut out = alloc::vec::Vec::with_capacity(self.encoded_len()?);
        self.encode(&mut out)?;
        Ok(out)
    }

    /// Hands this message's parts to `e`: the MsgType, the fixed-size fields
    /// as one array (so each arm writes a constant number of octets) and the
    /// variable-length field that runs to the end of the message. This is
    /// the one description of the layout, and the one place its values are
    /// checked: [`Message::encoded_len`] and both encoders are `Emit`
    /// implementations, so the size announced, the bytes written and the
    /// messages refused cannot disagree.
    ///
    /// Each arm refuses what the decoder rejects in that message's fields
    /// (the decoder's function for it is named); the size rules are checked
    /// by [`Emit::emit`] and [`Emit::forwarded`], after the fields.
    #[inline(always)]
    fn emit<E: Emit>(&self, e: E) -> Result<usize, EncodeError> {
        use msg_type::*;
        let be = u16::to_be_bytes;
        let with_type = |f: &Flags, t: TopicIdType| {
            Flags {
                topic_id_type: t,
                ..*f
            }
            .to_byte()
        };
        match self {
            Self::Advertise { gw_id, duration } => {
                let [d0, d1] = be(*duration);
                e.emit(ADVERTISE, [*gw_id, d0, d1], &[])
            }
            Self::SearchGw { radius } => e.emit(SEARCHGW, [*radius], &[]),
            Self::GwInfo { gw_id, gw_add } => e.emit(GWINFO, [*gw_id], gw_add),
            Self::Connect {
                flags,
                duration,
                client_id,
            } => {
                let [d0, d1] = be(*duration);
                e.emit(
                    CONNECT,
                    [flags.to_byte(), 0x01, d0, d1],
                    client_id.as_bytes(),
                )
            }
            Self::ConnAck { return_code } => e.emit(CONNACK, [return_code.0], &[]),
            Self::WillTopicResp { return_code } => e.emit(WILLTOPICRESP, [return_code.0], &[]),
            Self::WillMsgResp { return_code } => e.emit(WILLMSGRESP, [return_code.0], &[]),
            Self::WillTopicReq => e.emit(WILLTOPICREQ, [], &[]),
            Self::WillMsgReq => e.emit(WILLMSGREQ, [], &[]),
            Self::PingResp => e.emit(PINGRESP, [], &[]),
            Self::WillTopic(None) => e.emit(WILLTOPIC, [], &[]),
            Self::WillTopicUpd(None) => e.emit(WILLTOPICUPD, [], &[]),
            Self::WillTopic(Some(w)) => e.emit(WILLTOPIC, [w.flags.to_byte()], w.topic.as_bytes()),
            Self::WillTopicUpd(Some(w)) => {
                e.emit(WILLTOPICUPD, [w.flags.to_byte()], w.topic.as_bytes())
            }
            Self::WillMsg { msg } => e.emit(WILLMSG, [], msg),
            Self::WillMsgUpd { msg } => e.emit(WILLMSGUPD, [], msg),
            Self::Register {
                topic_id,
                msg_id,
                topic_name,
            } => {
                // `register`: a TopicName first, then the id.
                topic_name_given(REGISTER, topic_name)?;
                id_not_ffff(REGISTER, *topic_id)?;
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                e.emit(REGISTER, [i0, i1, m0, m1], topic_name.as_bytes())
            }
            Self::RegAck {
                topic_id,
                msg_id,
                return_code,
            } => {
                // `decode_body` REGACK: an accepted registration hands out
                // the id PUBLISH will use.
                if *topic_id == 0 && return_code.is_accepted() {
                    return Err(EncodeError::ReservedTopicId {
                        msg_type: REGACK,
                        topic_id: 0,
                    });
                }
                id_not_ffff(REGACK, *topic_id)?;
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                e.emit(REGACK, [i0, i1, m0, m1, return_code.0], &[])
            }
            Self::Publish {
                flags,
                topic,
                msg_id,
                data,
            } => {
                // `publish`: normal and pre-defined ids must be real ones; a
                // short name is any two octets.
                let raw = topic.raw();
                if !matches!(topic, Topic::Short(_)) {
                    real_id(PUBLISH, raw)?;
                }
                let f = with_type(flags, topic.id_type());
                let ([i0, i1], [m0, m1]) = (be(raw), be(*msg_id));
                e.emit(PUBLISH, [f, i0, i1, m0, m1], data)
            }
            Self::PubAck {
                topic_id,
                msg_id,
                return_code,
            } => {
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                e.emit(PUBACK, [i0, i1, m0, m1, return_code.0], &[])
            }
            Self::PubComp { msg_id } => e.emit(PUBCOMP, be(*msg_id), &[]),
            Self::PubRec { msg_id } => e.emit(PUBREC, be(*msg_id), &[]),
            Self::PubRel { msg_id } => e.emit(PUBREL, be(*msg_id), &[]),
            Self::UnsubAck { msg_id } => e.emit(UNSUBACK, be(*msg_id), &[]),
            Self::Subscribe {
                flags,
                msg_id,
                topic,
            }
            | Self::Unsubscribe {
                flags,
                msg_id,
                topic,
            } => {
                let t = if matches!(self, Self::Subscribe { .. }) {
                    SUBSCRIBE
                } else {
                    UNSUBSCRIBE
                };
                let f = with_type(flags, topic.id_type());
                let [m0, m1] = be(*msg_id);
                // `subscribe`: a name is never empty, a pre-defined id is a
                // real one, a short name is two octets (by its type).
                match topic {
                    TopicFilter::Name(name) => {
                        topic_name_given(t, name)?;
                        e.emit(t, [f, m0, m1], name.as_bytes())
                    }
                    TopicFilter::Predefined(id) => {
                        real_id(t, *id)?;
                        let [i0, i1] = be(*id);
                        e.emit(t, [f, m0, m1, i0, i1], &[])
                    }
                    TopicFilter::Short([s0, s1]) => e.emit(t, [f, m0, m1, *s0, *s1], &[]),
                }
            }
            Self::SubAck {
                flags,
                topic_id,
                msg_id,
                return_code,
            } => {
                // `suback`: 0x0000 is a wildcard or short subscription.
                id_not_ffff(SUBACK, *topic_id)?;
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                let fixed = [flags.to_byte(), i0, i1, m0, m1, return_code.0];
                e.emit(SUBACK, fixed, &[])
            }
            Self::PingReq { client_id } => {
                e.emit(PINGREQ, [], client_id.map_or(&[][..], str::as_bytes))
            }
            Self::Disconnect { duration: None } => e.emit(DISCONNECT, [], &[]),
            Self::Disconnect { duration: Some(d) } => e.emit(DISCONNECT, be(*d), &[]),
            Self::Forwarded(f) => e.forwarded(f),
        }
    }

    /// The encoded size in bytes: 1-byte Length when the total fits in 255,
    /// else the 3-byte form. A forwarder encapsulation is its 3-byte-plus-node
    /// header and the encapsulated bytes.
    ///
    /// It refuses exactly what [`Message::encode_to_slice`] refuses, with
    /// the same error (it runs the same checks): a message over 65535 bytes
    /// and every message the decoder would reject. For a forwarder
    /// encapsulation that includes decoding the encapsulated bytes.
    #[inline]
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.emit(Size)
    }

    /// Encodes into `out`, returning the number of bytes written.
    ///
    /// The encoder refuses every message whose bytes [`Message::decode`]
    /// would reject, with an [`EncodeError`] naming the rule, and writes
    /// nothing then: a reserved topic id where the decoder refuses one
    /// ([`EncodeError::ReservedTopicId`]), an empty topic name
    /// ([`EncodeError::EmptyTopicName`]), a Wireless Node Id over 252 bytes
    /// ([`EncodeError::NodeIdTooLong`]), encapsulated bytes that are not one
    /// valid plain message ([`EncodeError::Encapsulated`]), a total over
    /// 65535 bytes ([`EncodeError::TooLong`]). The other rules of the
    /// decoder hold by construction (a [`Flags`] cannot hold TopicIdType
    /// `0b11`, a short topic name is a `[u8; 2]`, strings are `&str`, the
    /// ProtocolId is always written as 0x01). What it accepts decodes to an
    /// equal message, except that the TopicIdType bits of a PUBLISH,
    /// SUBSCRIBE or UNSUBSCRIBE come from its topic, and
    /// `PingReq { client_id: Some("") }` encodes like `None`.
    ///
    /// A datagram the decoder rejects (for a test or a peer) has to be
    /// built by hand.
    pub fn encode_to_slice(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        self.emit(ToSlice(out))
    }

    /// Encodes into a [`bytes::BufMut`], returning the number of bytes
    /// written. It refuses what [`Message::encode_to_slice`] refuses;
    /// nothing is written when it fails.
    #[cfg(feature = "alloc")]
    pub fn encode<B: bytes::BufMut>(&self, buf: &mut B) -> Result<usize, EncodeError> {
        self.emit(ToBuf(buf))
    }
}

/// A topic id the decoder requires to be a real one (its `real_topic_id`).
#[inline(always)]
fn real_id(msg_type: u8, topic_id: u16) -> Result<(), EncodeError> {
    if topic_id == 0 || topic_id == 0xFFFF {
        Err(EncodeError::ReservedTopicId { msg_type, topic_id })
    } else {
        Ok(())
    }
}

/// A topic id where the decoder allows 0x0000 but not 0xFFFF (its `not_ffff`).
#[inline(always)]
fn id_not_ffff(msg_type: u8, topic_id: u16) -> Result<(), EncodeError> {
    if topic_id == 0xFFFF {
        Err(EncodeError::ReservedTopicId { msg_type, topic_id })
    } else {
        Ok(())
    }
}

/// A TopicName the decoder requires to be non-empty.
#[inline(always)]
fn topic_name_given(msg_type: u8, name: &str) -> Result<(), EncodeError> {
    if name.is_empty() {
        Err(EncodeError::EmptyTopicName { msg_type })
    } else {
        Ok(())
    }
}

/// The total size of a plain message whose body (after the MsgType) is
/// `body` bytes, in its canonical form.
#[inline(always)]
fn total_len(body: usize) -> usize {
    if body + 2 <= 255 {
        body + 2
    } else {
        body + 4
    }
}

/// The size of a forwarder encapsulation's own header (its Length value),
/// or why it cannot be encoded: the checks of `decode_forwarded`, in its
/// order, after the node id's own limit.
#[inline(always)]
fn forwarder_header_len(f: &Forwarded<'_>) -> Result<usize, EncodeError> {
    if f.node_id.len() > 252 {
        return Err(EncodeError::NodeIdTooLong {
            len: f.node_id.len(),
        });
    }
    if f.inner.is_empty() {
        return Err(EncodeError::Encapsulated(DecodeError::Forwarder {
            reason: "no encapsulated message",
        }));
    }
    if let Err(e) = decode_plain(f.inner) {
        return Err(EncodeError::Encapsulated(e));
    }
    Ok(3 + f.node_id.len())
}

/// What is done with a message's parts (see `Message::emit`). The provided
/// methods check the sizes, once for every implementation, and hand the
/// checked size to the required ones.
trait Emit: Sized {
    /// A plain message of `len` bytes (at most [`MAX_LEN`]): `fixed` then
    /// `tail` after the header.
    fn write<const N: usize>(
        self,
        len: usize,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError>;

    /// A forwarder encapsulation whose own header is `hlen` bytes (at most
    /// 255) and whose encapsulated message is valid.
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError>;

    /// A plain message: its size, refused over 65535 bytes.
    #[inline(always)]
    fn emit<const N: usize>(
        self,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError> {
        let len = total_len(N + tail.len());
        if len > MAX_LEN {
            return Err(EncodeError::TooLong { len });
        }
        self.write(len, msg_type, fixed, tail)
    }

    /// A forwarder encapsulation, checked by `forwarder_header_len`.
    #[inline(always)]
    fn forwarded(self, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        let hlen = forwarder_header_len(f)?;
        self.write_forwarded(hlen, f)
    }
}

/// Computes the encoded size.
struct Size;

impl Emit for Size {
    #[inline(always)]
    fn write<const N: usize>(
        self,
        len: usize,
        _: u8,
        _: [u8; N],
        _: &[u8],
    ) -> Result<usize, EncodeError> {
        Ok(len)
    }
    #[inline(always)]
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        Ok(hlen + f.inner.len())
    }
}

/// Writes into a caller's slice.
struct ToSlice<'o>(&'o mut [u8]);

impl Emit for ToSlice<'_> {
    #[inline(always)]
    fn write<const N: usize>(
        self,
        len: usize,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError> {
        let small = Err(EncodeError::BufferTooSmall { required: len });
        let Some(dst) = self.0.get_mut(..len) else {
            return small;
        };
        // `dst` is exactly `len` bytes, so none of the fallbacks below is
        // taken; they keep every write free of a panic path.
        let rest = match dst {
            [l, t, rest @ ..] if len <= 255 => {
                *l = len as u8;
                *t = msg_type;
                rest
            }
            [one, hi, lo, t, rest @ ..] => {
                [*one, *hi, *lo, *t] = [0x01, (len >> 8) as u8, len as u8, msg_type];
                rest
            }
            _ => return small,
        };
        let Some((f, rest)) = rest.split_at_mut_checked(N) else {
            return small;
        };
        f.copy_from_slice(&fixed);
        if rest.len() != tail.len() {
            return small;
        }
        if !tail.is_empty() {
            rest.copy_from_slice(tail);
        }
        Ok(len)
    }
    #[inline(always)]
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        let len = hlen + f.inner.len();
        let small = Err(EncodeError::BufferTooSmall { required: len });
        let Some(dst) = self.0.get_mut(..len) else {
            return small;
        };
        let Some(([l, t, c], rest)) = dst.split_first_chunk_mut::<3>() else {
            return small;
        };
        [*l, *t, *c] = [hlen as u8, msg_type::FORWARDER, f.ctrl];
        let Some((node, inner)) = rest.split_at_mut_checked(f.node_id.len()) else {
            return small;
        };
        node.copy_from_slice(f.node_id);
        if inner.len() != f.inner.len() {
            return small;
        }
        inner.copy_from_slice(f.inner);
        Ok(len)
    }
}

/// Writes into a `bytes::BufMut`, after checking its capacity.
#[cfg(feature = "alloc")]
struct ToBuf<'b, B>(&'b mut B);

#[cfg(feature = "alloc")]
impl<B: bytes::BufMut> Emit for ToBuf<'_, B> {
    fn write<const N: usize>(
        self,
        len: usize,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError> {
        if self.0.remaining_mut() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        if len <= 255 {
            self.0.put_slice(&[len as u8, msg_type]);
        } else {
            self.0.put_u8(0x01);
            self.0.put_u16(len as u16);
            self.0.put_u8(msg_type);
        }
        self.0.put_slice(&fixed);
        self.0.put_slice(tail);
        Ok(len)
    }
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        let len = hlen + f.inner.len();
        if self.0.remaining_mut() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        self.0.put_slice(&[hlen as u8, msg_type::FORWARDER, f.ctrl]);
        self.0.put_slice(f.node_id);
        self.0.put_slice(f.inner);
        Ok(len)
    }
}
