//! The values inside MQTT-SN messages (spec 5.3): the Flags octet and its
//! QoS and TopicIdType, return codes, and the topics of PUBLISH,
//! (UN)SUBSCRIBE and WILLTOPIC.

use crate::error::DecodeError;

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

    #[inline]
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
    #[inline]
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
    #[inline]
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
    #[inline]
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
    #[inline]
    pub fn id_type(self) -> TopicIdType {
        match self {
            Self::Id(_) => TopicIdType::Normal,
            Self::Predefined(_) => TopicIdType::Predefined,
            Self::Short(_) => TopicIdType::Short,
        }
    }

    /// The two TopicId octets as a big-endian `u16`: the id, or the short
    /// name's two bytes. This is the value a PUBACK echoes.
    #[inline]
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
    #[inline]
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
