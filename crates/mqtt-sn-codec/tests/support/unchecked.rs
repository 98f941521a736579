//! Shared by `tests/rules.rs`, `tests/arbitrary.rs` and the fuzz target
//! `mqtt_sn_roundtrip`: the bytes a message stands for, written by hand
//! with no check, and which encoder error mirrors which decoder error. Both
//! sides then assert that what the encoder refuses, the decoder rejects.

use mqtt_sn_codec::{DecodeError, EncodeError, Flags, Message, TopicFilter};

/// The message as the wire carries it: the TopicIdType bits of a PUBLISH,
/// SUBSCRIBE or UNSUBSCRIBE come from its topic, and `PingReq { client_id:
/// Some("") }` is the same 2 bytes as `None`.
pub(crate) fn normalised(m: Message<'_>) -> Message<'_> {
    let with = |flags: Flags, topic_id_type| Flags {
        topic_id_type,
        ..flags
    };
    match m {
        Message::Publish {
            flags,
            topic,
            msg_id,
            data,
        } => Message::Publish {
            flags: with(flags, topic.id_type()),
            topic,
            msg_id,
            data,
        },
        Message::Subscribe {
            flags,
            msg_id,
            topic,
        } => Message::Subscribe {
            flags: with(flags, topic.id_type()),
            msg_id,
            topic,
        },
        Message::Unsubscribe {
            flags,
            msg_id,
            topic,
        } => Message::Unsubscribe {
            flags: with(flags, topic.id_type()),
            msg_id,
            topic,
        },
        Message::PingReq {
            client_id: Some(""),
        } => Message::PingReq { client_id: None },
        m => m,
    }
}

/// The bytes `m` stands for (normalised), written by hand with no check;
/// `None` for a message whose fields the decoder never rejects, or where
/// no Length field can express them.
pub(crate) fn unchecked(m: &Message<'_>) -> Option<Vec<u8>> {
    let be = u16::to_be_bytes;
    let (t, body) = match normalised(*m) {
        Message::Register {
            topic_id,
            msg_id,
            topic_name,
        } => (
            0x0a,
            [&be(topic_id)[..], &be(msg_id), topic_name.as_bytes()].concat(),
        ),
        Message::RegAck {
            topic_id,
            msg_id,
            return_code,
        } => (
            0x0b,
            [&be(topic_id)[..], &be(msg_id), &[return_code.0]].concat(),
        ),
        Message::Publish {
            flags,
            topic,
            msg_id,
            data,
        } => (
            0x0c,
            [&[flags.to_byte()][..], &be(topic.raw()), &be(msg_id), data].concat(),
        ),
        Message::SubAck {
            flags,
            topic_id,
            msg_id,
            return_code,
        } => (
            0x13,
            [
                &[flags.to_byte()][..],
                &be(topic_id),
                &be(msg_id),
                &[return_code.0],
            ]
            .concat(),
        ),
        Message::Subscribe {
            flags,
            msg_id,
            topic,
        }
        | Message::Unsubscribe {
            flags,
            msg_id,
            topic,
        } => {
            let t = if matches!(m, Message::Subscribe { .. }) {
                0x12
            } else {
                0x14
            };
            let rest = match topic {
                TopicFilter::Name(n) => n.as_bytes().to_vec(),
                TopicFilter::Predefined(id) => be(id).to_vec(),
                TopicFilter::Short(s) => s.to_vec(),
            };
            (t, [&[flags.to_byte()][..], &be(msg_id), &rest].concat())
        }
        Message::Forwarded(f) => {
            let hlen = u8::try_from(3 + f.node_id.len()).ok()?;
            return Some([&[hlen, 0xfe, f.ctrl][..], f.node_id, f.inner].concat());
        }
        _ => return None,
    };
    let header = if body.len() + 2 <= 255 {
        vec![(body.len() + 2) as u8, t]
    } else {
        let [hi, lo] = u16::try_from(body.len() + 4).ok()?.to_be_bytes();
        vec![1, hi, lo, t]
    };
    Some([header, body].concat())
}

/// Whether the encoder's `e` is the decoder's `d` for the same bytes.
pub(crate) fn mirrors(e: EncodeError, d: DecodeError) -> bool {
    match (e, d) {
        (
            EncodeError::ReservedTopicId { msg_type, topic_id },
            DecodeError::ReservedTopicId {
                msg_type: m,
                topic_id: t,
            },
        ) => (msg_type, topic_id) == (m, t),
        (EncodeError::EmptyTopicName { msg_type }, DecodeError::BodyLength { msg_type: m, .. }) => {
            msg_type == m
        }
        (EncodeError::Encapsulated(inner), d) => inner == d,
        _ => false,
    }
}
