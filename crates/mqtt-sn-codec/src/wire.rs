//! The MQTT-SN 1.2 messages: [`Message`], its forwarder encapsulation
//! [`Forwarded`], and what they tell about themselves. Decoding is in
//! `decode`, encoding in `encode`, the owned form in `owned`.

use crate::fields::{Flags, ReturnCode, Topic, TopicFilter, WillTopic};
use crate::msg_type;

pub(crate) mod decode;
pub(crate) mod encode;
#[cfg(feature = "alloc")]
pub(crate) mod owned;

/// The largest total a Length field can express (3-byte form): the
/// largest plain message.
pub const MAX_LEN: usize = 65_535;

/// The largest datagram that can be a valid MQTT-SN message: a forwarder
/// encapsulation (5.5) with the longest header its 1-byte Length allows
/// (255 bytes) around a message of [`MAX_LEN`] bytes. The default limit of
/// [`DecodeOptions`](crate::DecodeOptions).
pub const MAX_DATAGRAM_LEN: usize = 255 + MAX_LEN;

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

impl Message<'_> {
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
}
