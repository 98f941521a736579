//! Decode and encode errors.

use crate::topic::TopicError;

/// Malformed bytes: the peer sent something the specification forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// A Variable Byte Integer longer than 4 bytes or not minimally encoded.
    #[error("variable byte integer overlong or not minimal [MQTT-1.5.5-1]")]
    MalformedVarInt,
    /// The packet is larger than the configured maximum.
    #[error("packet of {size} bytes exceeds the maximum of {max}")]
    PacketTooLarge {
        /// The whole packet's size as claimed by its fixed header.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Packet type 0, or AUTH (15) before MQTT 5.
    #[error("invalid packet type {0}")]
    InvalidPacketType(u8),
    /// Reserved fixed-header flags are wrong.
    #[error("reserved flags {flags:#06b} of packet type {packet_type} are invalid [MQTT-2.1.3-1]")]
    ReservedFlags {
        /// The packet type.
        packet_type: u8,
        /// The low nibble received.
        flags: u8,
    },
    /// PUBLISH with both QoS bits set.
    #[error("PUBLISH with QoS 3 [MQTT-3.3.1-4]")]
    InvalidQoS,
    /// PUBLISH with DUP set and QoS 0.
    #[error("DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]")]
    DupWithQoS0,
    /// A packet identifier of zero.
    #[error("packet identifier 0 [MQTT-2.2.1-3]")]
    ZeroPacketId,
    /// A field runs past the end of the packet (its remaining length).
    #[error("{0} runs past the end of the packet")]
    Truncated(&'static str),
    /// The remaining length holds bytes after the last field.
    #[error("{0} unexpected byte(s) after the last field")]
    TrailingBytes(usize),
    /// A string is not well-formed UTF-8.
    #[error("ill-formed UTF-8 string [MQTT-1.5.4-1]")]
    InvalidUtf8,
    /// A string holds U+0000.
    #[error("U+0000 in a UTF-8 string [MQTT-1.5.4-2]")]
    NulInString,
    /// A topic name or filter is invalid.
    #[error(transparent)]
    Topic(#[from] TopicError),
    /// SUBSCRIBE options with reserved bits set.
    #[error("reserved subscription option bits set in {0:#04x} [MQTT-3.8.3-5]")]
    ReservedSubscriptionOptions(u8),
    /// Retain Handling 3.
    #[error("retain handling 3 is a protocol error")]
    InvalidRetainHandling,
    /// No Local set on a shared subscription.
    #[error("No Local on a shared subscription [MQTT-3.8.3-4]")]
    NoLocalOnShared,
    /// SUBSCRIBE without any filter.
    #[error("SUBSCRIBE without topic filters [MQTT-3.8.3-2]")]
    EmptySubscribe,
    /// UNSUBSCRIBE without any filter.
    #[error("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]")]
    EmptyUnsubscribe,
    /// CONNECT with flag bit 0 set.
    #[error("CONNECT reserved flag set [MQTT-3.1.2-3]")]
    ConnectReservedFlag,
    /// Will QoS non-zero without the Will flag.
    #[error("will QoS set without will flag [MQTT-3.1.2-11]")]
    WillQoSWithoutWill,
    /// Will QoS 3.
    #[error("will QoS 3 [MQTT-3.1.2-12]")]
    InvalidWillQoS,
    /// Will Retain without the Will flag.
    #[error("will retain set without will flag [MQTT-3.1.2-13]")]
    WillRetainWithoutWill,
    /// MQTT 3.1.1: password flag without the user name flag.
    #[error("password without user name [MQTT-3.1.2-22]")]
    PasswordWithoutUsername,
    /// The protocol name is not `MQTT` or `MQIsdp`.
    #[error("unknown protocol name [MQTT-3.1.2-1]")]
    InvalidProtocolName,
    /// The protocol level does not match the name or is unknown.
    #[error("unsupported protocol level {0} [MQTT-3.1.2-2]")]
    UnsupportedProtocolLevel(u8),
    /// CONNACK flags with reserved bits set.
    #[error("reserved CONNACK flags set [MQTT-3.2.2-1]")]
    ConnackReservedFlags,
    /// An MQTT 3.1.1 SUBACK return code other than 0, 1, 2 or 0x80.
    #[error("invalid SUBACK return code {0:#04x} [MQTT-3.9.3-2]")]
    InvalidSubackCode(u8),
    /// A property identifier that MQTT 5 does not define.
    #[error("unknown property identifier {0:#04x}")]
    UnknownProperty(u8),
    /// A property that this packet may not carry.
    #[error("property {0:#04x} not allowed in this packet")]
    PropertyNotAllowed(u8),
    /// A property that may appear once appears twice.
    #[error("property {0:#04x} included more than once")]
    DuplicateProperty(u8),
    /// A property value outside its range.
    #[error("property {0:#04x} has an invalid value")]
    InvalidPropertyValue(u8),
    /// A Response Topic that is not a valid topic name: empty, or holding
    /// a wildcard (`[MQTT-3.3.2-14]`).
    #[error("{}", response_topic_text(.0))]
    InvalidResponseTopic(TopicError),
    /// A property's value runs past the property length.
    #[error("property value runs past the property length")]
    PropertyOverrun,
    /// Strict reason code policy only: an MQTT 5 reason code the
    /// specification does not define for this packet type.
    #[error("reason code {code:#04x} not defined for packet type {packet_type} (strict policy) [{}]", reason_code_rule(*packet_type))]
    UndefinedReasonCode {
        /// The packet type (2 CONNACK, 4–7 PUBACK..PUBCOMP, 9 SUBACK, 11
        /// UNSUBACK, 14 DISCONNECT, 15 AUTH).
        packet_type: u8,
        /// The code received.
        code: u8,
    },
    /// Strict reason code policy only: an MQTT 3.x CONNACK return code
    /// above 5, which 3.1.1 reserves (its section 3.2.2.3).
    #[error("CONNACK return code {0} is reserved (3.1.1 section 3.2.2.3, strict policy)")]
    ReservedReturnCode(u8),
    /// Payload format check only: Payload Format Indicator 1 on a payload
    /// that is not UTF-8 (answer 0x99 Payload format invalid).
    #[error("payload is not UTF-8 although its Payload Format Indicator says so (3.3.2.3.2)")]
    PayloadFormatInvalid,
    /// Strict string policy only: a control character (U+0001..U+001F,
    /// U+007F..U+009F) or a non-character, which senders SHOULD NOT use.
    #[error("control character or non-character in a UTF-8 string (strict policy, spec 1.5.4)")]
    DiscouragedCharacter,
}

impl DecodeError {
    /// The normative statement id broken, where the specification has one.
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            Self::MalformedVarInt => "MQTT-1.5.5-1",
            Self::ReservedFlags { .. } => "MQTT-2.1.3-1",
            Self::InvalidQoS => "MQTT-3.3.1-4",
            Self::DupWithQoS0 => "MQTT-3.3.1-2",
            Self::ZeroPacketId => "MQTT-2.2.1-3",
            Self::InvalidUtf8 => "MQTT-1.5.4-1",
            Self::NulInString => "MQTT-1.5.4-2",
            Self::Topic(t) => return t.rule(),
            Self::ReservedSubscriptionOptions(_) => "MQTT-3.8.3-5",
            Self::NoLocalOnShared => "MQTT-3.8.3-4",
            Self::EmptySubscribe => "MQTT-3.8.3-2",
            Self::EmptyUnsubscribe => "MQTT-3.10.3-2",
            Self::ConnectReservedFlag => "MQTT-3.1.2-3",
            Self::WillQoSWithoutWill => "MQTT-3.1.2-11",
            Self::InvalidWillQoS => "MQTT-3.1.2-12",
            Self::WillRetainWithoutWill => "MQTT-3.1.2-13",
            Self::PasswordWithoutUsername => "MQTT-3.1.2-22",
            Self::InvalidProtocolName => "MQTT-3.1.2-1",
            Self::UnsupportedProtocolLevel(_) => "MQTT-3.1.2-2",
            Self::ConnackReservedFlags => "MQTT-3.2.2-1",
            Self::InvalidSubackCode(_) => "MQTT-3.9.3-2",
            Self::InvalidResponseTopic(t) => return response_topic_rule(t),
            Self::UndefinedReasonCode { packet_type, .. } => reason_code_rule(*packet_type),
            _ => return None,
        })
    }
}

/// The statement a bad Response Topic breaks: wildcards are named by
/// MQTT-3.3.2-14, the rest by the topic name rules.
fn response_topic_rule(t: &TopicError) -> Option<&'static str> {
    match t {
        TopicError::WildcardInName => Some("MQTT-3.3.2-14"),
        other => other.rule(),
    }
}

/// "The sender MUST use one of the … Reason Codes", per packet type.
fn reason_code_rule(packet_type: u8) -> &'static str {
    match packet_type {
        2 => "MQTT-3.2.2-8",
        4 => "MQTT-3.4.2-1",
        5 => "MQTT-3.5.2-1",
        6 => "MQTT-3.6.2-1",
        7 => "MQTT-3.7.2-1",
        9 => "MQTT-3.9.3-2",
        11 => "MQTT-3.11.3-2",
        14 => "MQTT-3.14.2-1",
        _ => "MQTT-3.15.2-1",
    }
}

fn response_topic_text(t: &TopicError) -> &'static str {
    match t {
        TopicError::WildcardInName => "wildcard in a Response Topic [MQTT-3.3.2-14]",
        TopicError::Empty => "empty Response Topic [MQTT-4.7.3-1]",
        TopicError::Nul => "NUL character in a Response Topic [MQTT-4.7.3-2]",
        _ => "invalid Response Topic",
    }
}

/// A value that cannot be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer is too small.
    #[error("output buffer too small: {required} bytes required")]
    BufferTooSmall {
        /// Bytes the whole packet needs.
        required: usize,
    },
    /// A string or binary field longer than 65,535 bytes.
    #[error("string or binary field of {0} bytes exceeds 65535")]
    FieldTooLong(usize),
    /// A string holding U+0000.
    #[error("U+0000 in a UTF-8 string [MQTT-1.5.4-2]")]
    NulInString,
    /// The remaining length exceeds 268,435,455.
    #[error("remaining length {0} exceeds 268435455")]
    PacketTooLarge(usize),
    /// A property value outside its range.
    #[error("property {0:#04x} has an invalid value")]
    InvalidPropertyValue(u8),
    /// A property that this packet may not carry.
    #[error("property {0:#04x} not allowed in this packet")]
    PropertyNotAllowed(u8),
    /// A property that may appear once appears twice.
    #[error("property {0:#04x} included more than once")]
    DuplicateProperty(u8),
    /// A packet identifier of zero, or present/absent against the QoS.
    #[error("packet identifier missing, zero or not allowed at this QoS")]
    InvalidPacketId,
    /// A topic name or filter is invalid.
    #[error(transparent)]
    Topic(#[from] TopicError),
    /// A Response Topic that is not a valid topic name (see
    /// [`DecodeError::InvalidResponseTopic`]).
    #[error("{}", response_topic_text(.0))]
    InvalidResponseTopic(TopicError),
    /// A field the chosen protocol version cannot carry.
    #[error("{0} cannot be encoded in this protocol version")]
    NotInVersion(&'static str),
    /// A field combination the specification forbids.
    #[error("invalid field: {0}")]
    Invalid(&'static str),
}

impl EncodeError {
    /// The normative statement the value would break, where the
    /// specification has one (the same ids [`DecodeError::rule`] gives for
    /// the decoder's side of the rule).
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            Self::NulInString => "MQTT-1.5.4-2",
            Self::Topic(t) => return t.rule(),
            Self::InvalidResponseTopic(t) => return response_topic_rule(t),
            Self::Invalid(what) => match *what {
                "DUP with QoS 0" => "MQTT-3.3.1-2",
                "No Local on a shared subscription" => "MQTT-3.8.3-4",
                "SUBSCRIBE without subscriptions" => "MQTT-3.8.3-2",
                "UNSUBSCRIBE without filters" => "MQTT-3.10.3-2",
                "password without user name" => "MQTT-3.1.2-22",
                _ => return None,
            },
            // a packet identifier that is zero [MQTT-2.2.1-3] and one given
            // at QoS 0 [MQTT-2.2.1-2] share the variant: no single id
            _ => return None,
        })
    }
}

impl From<iotcodec_core::BufferTooSmall> for EncodeError {
    fn from(e: iotcodec_core::BufferTooSmall) -> Self {
        Self::BufferTooSmall {
            required: e.required,
        }
    }
}
