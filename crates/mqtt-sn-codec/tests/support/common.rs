//! Shared by the wire-layer tests (`vectors.rs`, `rules.rs`,
//! `properties.rs`): hex input (the test kit's), encoding into a `Vec`, the vector check,
//! and message builders. Each test file uses a part of them.
#![allow(dead_code)]

use mqtt_sn_codec::{
    Flags, Forwarded, Message, QoS, ReturnCode, Topic, TopicFilter, TopicIdType, WillTopic,
};

#[allow(unused_imports)] // not every test file reads hex
pub(crate) use iotcodec_testkit::hex;

pub(crate) fn encode(m: &Message<'_>) -> Vec<u8> {
    let mut out = vec![0u8; m.encoded_len().unwrap()];
    let n = m.encode_to_slice(&mut out).unwrap();
    assert_eq!(n, out.len());
    out
}

/// Decodes `bytes` to `expected` and encodes `expected` back to `bytes`.
pub(crate) fn vector(bytes: &[u8], expected: Message<'_>) {
    assert_eq!(Message::decode(bytes), Ok(expected), "{bytes:02x?}");
    assert_eq!(expected.encoded_len(), Ok(bytes.len()));
    assert_eq!(encode(&expected), bytes);
}

pub(crate) fn flags(b: u8) -> Flags {
    Flags::from_byte(b).unwrap()
}

pub(crate) fn publish(data: &[u8]) -> Message<'_> {
    Message::Publish {
        flags: Flags {
            qos: QoS::AtLeastOnce,
            ..Flags::default()
        },
        topic: Topic::Id(1),
        msg_id: 10,
        data,
    }
}

/// Builds a valid message of kind `kind % 28` from raw material.
pub(crate) fn build<'a>(kind: u8, a: u8, b: u16, c: u16, s: &'a str, v: &'a [u8]) -> Message<'a> {
    let f = Flags::from_byte(a & 0xfc).unwrap();
    let id = b.clamp(1, 0xfffe);
    let rc = ReturnCode(a);
    let short = b.to_be_bytes();
    let name = if s.is_empty() { "t" } else { s };
    match kind % 28 {
        0 => Message::Advertise {
            gw_id: a,
            duration: b,
        },
        1 => Message::SearchGw { radius: a },
        2 => Message::GwInfo {
            gw_id: a,
            gw_add: v,
        },
        3 => Message::Connect {
            flags: f,
            duration: b,
            client_id: s,
        },
        4 => Message::ConnAck { return_code: rc },
        5 => Message::WillTopicReq,
        6 => Message::WillTopic((a & 1 == 1).then_some(WillTopic { flags: f, topic: s })),
        7 => Message::WillMsgReq,
        8 => Message::WillMsg { msg: v },
        9 => Message::Register {
            topic_id: b.min(0xfffe),
            msg_id: c,
            topic_name: name,
        },
        10 => Message::RegAck {
            // 0x0000 only with a rejection code
            topic_id: if rc.is_accepted() { id } else { b.min(0xfffe) },
            msg_id: c,
            return_code: rc,
        },
        11 => {
            let topic = match c % 3 {
                0 => Topic::Id(id),
                1 => Topic::Predefined(id),
                _ => Topic::Short(short),
            };
            Message::Publish {
                flags: Flags {
                    topic_id_type: match topic {
                        Topic::Id(_) => TopicIdType::Normal,
                        Topic::Predefined(_) => TopicIdType::Predefined,
                        Topic::Short(_) => TopicIdType::Short,
                    },
                    ..f
                },
                topic,
                msg_id: c,
                data: v,
            }
        }
        12 => Message::PubAck {
            topic_id: b,
            msg_id: c,
            return_code: rc,
        },
        13 => Message::PubComp { msg_id: c },
        14 => Message::PubRec { msg_id: c },
        15 => Message::PubRel { msg_id: c },
        16 | 18 => {
            let topic = match b % 3 {
                0 => TopicFilter::Name(name),
                1 => TopicFilter::Predefined(c.clamp(1, 0xfffe)),
                _ => TopicFilter::Short(c.to_be_bytes()),
            };
            let flags = Flags {
                topic_id_type: match topic {
                    TopicFilter::Name(_) => TopicIdType::Normal,
                    TopicFilter::Predefined(_) => TopicIdType::Predefined,
                    TopicFilter::Short(_) => TopicIdType::Short,
                },
                ..f
            };
            if kind % 28 == 16 {
                Message::Subscribe {
                    flags,
                    msg_id: c,
                    topic,
                }
            } else {
                Message::Unsubscribe {
                    flags,
                    msg_id: c,
                    topic,
                }
            }
        }
        17 => Message::SubAck {
            flags: f,
            topic_id: b.min(0xfffe),
            msg_id: c,
            return_code: rc,
        },
        19 => Message::UnsubAck { msg_id: c },
        20 => Message::PingReq {
            client_id: (!s.is_empty()).then_some(s),
        },
        21 => Message::PingResp,
        22 => Message::Disconnect {
            duration: (a & 1 == 1).then_some(b),
        },
        23 => Message::WillTopicUpd((a & 1 == 1).then_some(WillTopic { flags: f, topic: s })),
        24 => Message::WillTopicResp { return_code: rc },
        25 => Message::WillMsgUpd { msg: v },
        26 => Message::WillMsgResp { return_code: rc },
        _ => Message::Forwarded(Forwarded {
            ctrl: a,
            node_id: &v[..v.len().min(usize::from(a) % 20)],
            inner: &[0x02, 0x16],
        }),
    }
}
