//! Decoding: one datagram, borrowed, every rule checked as the bytes are
//! read.

use core::str;

use super::{Forwarded, Message, MAX_DATAGRAM_LEN};
use crate::error::DecodeError;
use crate::fields::{Flags, ReturnCode, Topic, TopicFilter, TopicIdType, WillTopic};
use crate::msg_type;

/// Limits for [`Message::decode_with`].
///
/// [`Message::decode`] uses the defaults ([`DecodeOptions::new`]), which
/// accept every datagram that can be a valid message; a receiver that
/// expects smaller ones (a gateway on a constrained network, a client that
/// never sees large PUBLISHes) lowers `max_message_size` and rejects the
/// others before anything else is read.
///
/// ```
/// use mqtt_sn_codec::{DecodeError, DecodeOptions, Message};
///
/// const OPTS: DecodeOptions = DecodeOptions::new().max_message_size(8);
/// let ping = [0x02, 0x16]; // PINGREQ
/// assert_eq!(Message::decode_with(&ping, &OPTS), Ok(Message::PingReq { client_id: None }));
///
/// let publish = [0x0a, 0x0c, 0x20, 0x00, 0x01, 0x00, 0x0a, b'a', b'b', b'c'];
/// assert_eq!(
///     Message::decode_with(&publish, &OPTS),
///     Err(DecodeError::MessageTooLarge { size: 10, max: 8 })
/// );
/// assert!(Message::decode_with(&publish, &DecodeOptions::default()).is_ok());
/// ```
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The largest datagram accepted, in bytes; a larger one is
    /// [`DecodeError::MessageTooLarge`]. Default: [`MAX_DATAGRAM_LEN`]
    /// (65,790), the largest datagram that can be valid.
    pub max_message_size: usize,
}

impl DecodeOptions {
    /// The defaults: every datagram that can be a valid message is read.
    pub const fn new() -> Self {
        Self {
            max_message_size: MAX_DATAGRAM_LEN,
        }
    }

    /// The same options with the largest datagram accepted set to `max`
    /// bytes.
    pub const fn max_message_size(mut self, max: usize) -> Self {
        self.max_message_size = max;
        self
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::new()
    }
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
///
/// A datagram over [`MAX_DATAGRAM_LEN`] (the default limit) is refused
/// first; the fast path never sees one (its Length is one octet).
#[inline(never)]
fn decode_general(d: &[u8], nested: bool) -> Result<Message<'_>, DecodeError> {
    if d.len() > MAX_DATAGRAM_LEN {
        return Err(DecodeError::MessageTooLarge {
            size: d.len(),
            max: MAX_DATAGRAM_LEN,
        });
    }
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
pub(super) fn decode_plain(d: &[u8]) -> Result<Message<'_>, DecodeError> {
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

impl<'a> Forwarded<'a> {
    /// Decodes the encapsulated message.
    pub fn message(&self) -> Result<Message<'a>, DecodeError> {
        decode_plain(self.inner)
    }
}

impl<'a> Message<'a> {
    /// Decodes one datagram with the default [`DecodeOptions`]. The Length
    /// field must equal the datagram size (a shorter or longer datagram is
    /// an error); the 3-byte Length form is accepted even for totals below
    /// 256.
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

    /// Decodes one datagram as [`Message::decode`] does, refusing first
    /// one larger than `opts.max_message_size` bytes
    /// ([`DecodeError::MessageTooLarge`]). With the default options it
    /// gives what [`Message::decode`] gives.
    #[inline]
    pub fn decode_with(datagram: &'a [u8], opts: &DecodeOptions) -> Result<Self, DecodeError> {
        if datagram.len() > opts.max_message_size {
            return Err(DecodeError::MessageTooLarge {
                size: datagram.len(),
                max: opts.max_message_size,
            });
        }
        Self::decode(datagram)
    }
}
