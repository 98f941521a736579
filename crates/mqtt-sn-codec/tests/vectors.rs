//! Hand-checked spec vectors for every message, decoded and encoded back to
//! the same bytes; the benchmark workloads, decoded and re-encoded
//! identically.

use mqtt_sn_codec::{
    DecodeError, EncodeError, Flags, Forwarded, Message, QoS, ReturnCode, Topic, TopicFilter,
    TopicIdType, WillTopic,
};

#[path = "support/common.rs"]
mod common;
use common::*;

#[test]
fn spec_vectors_discovery_and_connect() {
    vector(
        &hex("05 00 07 0384"),
        Message::Advertise {
            gw_id: 7,
            duration: 900,
        },
    );
    vector(&hex("03 01 00"), Message::SearchGw { radius: 0 });
    // GWINFO from a gateway: no GwAdd.
    vector(
        &hex("03 02 07"),
        Message::GwInfo {
            gw_id: 7,
            gw_add: &[],
        },
    );
    // GWINFO from a client: GwAdd present.
    vector(
        &hex("07 02 07 c0a80001"),
        Message::GwInfo {
            gw_id: 7,
            gw_add: &[0xc0, 0xa8, 0, 1],
        },
    );
    vector(
        &hex("0a 04 0c 01 003c 63 6c 69 64"),
        Message::Connect {
            flags: Flags {
                will: true,
                clean_session: true,
                ..Flags::default()
            },
            duration: 60,
            client_id: "clid",
        },
    );
    vector(
        &hex("03 05 00"),
        Message::ConnAck {
            return_code: ReturnCode::ACCEPTED,
        },
    );
    vector(
        &hex("03 05 83"),
        Message::ConnAck {
            return_code: ReturnCode(0x83),
        },
    );
    vector(&hex("02 06"), Message::WillTopicReq);
    vector(&hex("02 07"), Message::WillTopic(None));
    vector(
        &hex("06 07 30 612f62"),
        Message::WillTopic(Some(WillTopic {
            flags: Flags {
                qos: QoS::AtLeastOnce,
                retain: true,
                ..Flags::default()
            },
            topic: "a/b",
        })),
    );
    vector(&hex("02 08"), Message::WillMsgReq);
    vector(&hex("04 09 00ff"), Message::WillMsg { msg: &[0, 0xff] });
}

#[test]
fn spec_vectors_topics_and_publish() {
    vector(
        &hex("07 0a 0000 0001 61"),
        Message::Register {
            topic_id: 0,
            msg_id: 1,
            topic_name: "a",
        },
    );
    vector(
        &hex("07 0b 0001 000b 00"),
        Message::RegAck {
            topic_id: 1,
            msg_id: 11,
            return_code: ReturnCode::ACCEPTED,
        },
    );
    // QoS 0 PUBLISH: MsgId 0x0000 is still on the wire.
    vector(
        &hex("09 0c 00 0005 0000 0102"),
        Message::Publish {
            flags: Flags::default(),
            topic: Topic::Id(5),
            msg_id: 0,
            data: &[1, 2],
        },
    );
    // QoS -1 to a pre-defined id, binary payload.
    vector(
        &hex("08 0c 61 0007 0000 ff"),
        Message::Publish {
            flags: flags(0x61),
            topic: Topic::Predefined(7),
            msg_id: 0,
            data: &[0xff],
        },
    );
    // QoS 2, DUP, retain, short topic "ab".
    vector(
        &hex("07 0c d2 6162 0009"),
        Message::Publish {
            flags: Flags {
                dup: true,
                qos: QoS::ExactlyOnce,
                retain: true,
                topic_id_type: TopicIdType::Short,
                ..Flags::default()
            },
            topic: Topic::Short(*b"ab"),
            msg_id: 9,
            data: &[],
        },
    );
    vector(
        &hex("07 0d 0001 000a 02"),
        Message::PubAck {
            topic_id: 1,
            msg_id: 10,
            return_code: ReturnCode::INVALID_TOPIC_ID,
        },
    );
    vector(&hex("04 0e 000a"), Message::PubComp { msg_id: 10 });
    vector(&hex("04 0f 000a"), Message::PubRec { msg_id: 10 });
    vector(&hex("04 10 000a"), Message::PubRel { msg_id: 10 });
}

#[test]
fn spec_vectors_subscribe_ping_sleep_will_updates() {
    vector(
        &hex("07 12 21 000d 0005"),
        Message::Subscribe {
            flags: flags(0x21),
            msg_id: 13,
            topic: TopicFilter::Predefined(5),
        },
    );
    vector(
        &hex("07 12 82 000e 6162"),
        Message::Subscribe {
            flags: flags(0x82),
            msg_id: 14,
            topic: TopicFilter::Short(*b"ab"),
        },
    );
    vector(
        &hex("06 12 40 000f 23"),
        Message::Subscribe {
            flags: flags(0x40),
            msg_id: 15,
            topic: TopicFilter::Name("#"),
        },
    );
    vector(
        &hex("08 13 20 0000 000c 00"),
        Message::SubAck {
            flags: flags(0x20),
            topic_id: 0,
            msg_id: 12,
            return_code: ReturnCode::ACCEPTED,
        },
    );
    vector(
        &hex("07 14 02 000f 6162"),
        Message::Unsubscribe {
            flags: flags(0x02),
            msg_id: 15,
            topic: TopicFilter::Short(*b"ab"),
        },
    );
    vector(&hex("04 15 000f"), Message::UnsubAck { msg_id: 15 });
    vector(&hex("02 16"), Message::PingReq { client_id: None });
    vector(
        &hex("05 16 616263"),
        Message::PingReq {
            client_id: Some("abc"),
        },
    );
    vector(&hex("02 17"), Message::PingResp);
    vector(&hex("02 18"), Message::Disconnect { duration: None });
    vector(
        &hex("04 18 003c"),
        Message::Disconnect { duration: Some(60) },
    );
    vector(&hex("02 1a"), Message::WillTopicUpd(None));
    vector(
        &hex("06 1a 40 612f62"),
        Message::WillTopicUpd(Some(WillTopic {
            flags: flags(0x40),
            topic: "a/b",
        })),
    );
    vector(
        &hex("03 1b 00"),
        Message::WillTopicResp {
            return_code: ReturnCode::ACCEPTED,
        },
    );
    vector(&hex("04 1c 6869"), Message::WillMsgUpd { msg: b"hi" });
    vector(
        &hex("03 1d 03"),
        Message::WillMsgResp {
            return_code: ReturnCode::NOT_SUPPORTED,
        },
    );
}

#[test]
fn forwarder_encapsulation() {
    let bytes = hex("05 fe 01 aabb 02 16");
    let m = Message::decode(&bytes).unwrap();
    let Message::Forwarded(f) = m else {
        panic!("{m:?}")
    };
    assert_eq!(f.ctrl, 1);
    assert_eq!(f.node_id, &[0xaa, 0xbb]);
    assert_eq!(f.message(), Ok(Message::PingReq { client_id: None }));
    assert_eq!(encode(&m), bytes);
    // Empty node id, inner 3-byte form.
    let bytes = hex("03 fe 00 01 0005 18 00");
    assert!(matches!(
        Message::decode(&bytes),
        Err(DecodeError::BodyLength { .. })
    ));
    let bytes = hex("03 fe 00 01 0006 18 0001");
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(
        m,
        Message::Forwarded(Forwarded {
            ctrl: 0,
            node_id: &[],
            inner: &bytes[3..],
        })
    );
    assert_eq!(encode(&m), bytes);
    // Malformed encapsulations.
    for (bad, why) in [
        ("03 fe 00", "no encapsulated message"),
        ("02 fe 02 16", "Length below 3"),
        ("01 0005 fe 00 0216", "1-byte"),
        ("03 fe 00 03 fe 00 0216", "nested"),
    ] {
        match Message::decode(&hex(bad)) {
            Err(e @ DecodeError::Forwarder { reason }) => {
                assert!(reason.contains(why), "{bad}: {reason}");
                assert_eq!(e.rule(), Some("5.5"));
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    // The encapsulated message must itself be valid.
    assert_eq!(
        Message::decode(&hex("03 fe 00 03 16")),
        Err(DecodeError::LengthMismatch {
            declared: 3,
            actual: 2
        })
    );
    let long = Message::Forwarded(Forwarded {
        ctrl: 0,
        node_id: &[0; 253],
        inner: &[2, 0x16],
    });
    let too_long = EncodeError::NodeIdTooLong { len: 253 };
    assert_eq!(long.encoded_len(), Err(too_long));
    assert_eq!(long.encode_to_slice(&mut [0; 300]), Err(too_long));
    assert_eq!(too_long.rule(), Some("5.5"));
}

#[test]
fn msg_id_is_on_the_wire_for_qos_0_and_minus_1() {
    // QoS 0 and QoS -1 (to a pre-defined id and to a short name): the MsgId
    // octets are there, coded 0x0000.
    for (bytes, flags, topic) in [
        ("07 0c 00 0001 0000", 0x00, Topic::Id(1)),
        ("07 0c 61 0005 0000", 0x61, Topic::Predefined(5)),
        ("07 0c 62 6162 0000", 0x62, Topic::Short(*b"ab")),
    ] {
        let m = Message::Publish {
            flags: Flags::from_byte(flags).unwrap(),
            topic,
            msg_id: 0,
            data: &[],
        };
        vector(&hex(bytes), m);
        assert_eq!(m.msg_id(), Some(0));
    }
    // Without them the PUBLISH is too short, whatever its QoS.
    for bytes in ["06 0c 00 0001 00", "06 0c 61 0005 00", "05 0c 60 0005"] {
        assert!(
            matches!(
                Message::decode(&hex(bytes)),
                Err(DecodeError::BodyLength { msg_type: 0x0c, .. })
            ),
            "{bytes}"
        );
    }
}

#[test]
fn return_codes_are_open() {
    for rc in 0..=255u8 {
        let code = ReturnCode(rc);
        assert_eq!(code.is_accepted(), rc == 0);
        assert_eq!(code.name().is_some(), rc <= 3);
        for (bytes, expected) in [
            (vec![3, 0x05, rc], Message::ConnAck { return_code: code }),
            (
                vec![3, 0x1b, rc],
                Message::WillTopicResp { return_code: code },
            ),
            (
                vec![3, 0x1d, rc],
                Message::WillMsgResp { return_code: code },
            ),
            (
                vec![7, 0x0d, 0, 1, 0, 2, rc],
                Message::PubAck {
                    topic_id: 1,
                    msg_id: 2,
                    return_code: code,
                },
            ),
            (
                vec![7, 0x0b, 0, 1, 0, 2, rc],
                Message::RegAck {
                    topic_id: 1,
                    msg_id: 2,
                    return_code: code,
                },
            ),
            (
                vec![8, 0x13, 0x20, 0, 1, 0, 2, rc],
                Message::SubAck {
                    flags: flags(0x20),
                    topic_id: 1,
                    msg_id: 2,
                    return_code: code,
                },
            ),
        ] {
            vector(&bytes, expected);
        }
    }
    assert_eq!(ReturnCode::CONGESTION.name(), Some("rejected: congestion"));
    assert_eq!(ReturnCode(0x84).name(), None);
}

#[test]
fn decode_borrows_from_the_datagram() {
    let inside = |d: &[u8], part: &[u8]| {
        let (start, end) = (d.as_ptr() as usize, d.as_ptr() as usize + d.len());
        let p = part.as_ptr() as usize;
        start <= p && p + part.len() <= end
    };
    let d = hex("0c 0c 20 0001 000a 68656c6c6f");
    let Ok(Message::Publish { data, .. }) = Message::decode(&d) else {
        panic!()
    };
    assert_eq!(data, b"hello");
    assert!(inside(&d, data));
    assert_eq!(data.as_ptr() as usize, d.as_ptr() as usize + 7);
    let d = hex("0a 0a 0000 0001 612f6263");
    let Ok(Message::Register { topic_name, .. }) = Message::decode(&d) else {
        panic!()
    };
    assert!(inside(&d, topic_name.as_bytes()));
    let d = hex("08 04 04 01 003c 6964");
    let Ok(Message::Connect { client_id, .. }) = Message::decode(&d) else {
        panic!()
    };
    assert!(inside(&d, client_id.as_bytes()));
    let d = hex("05 fe 01 aabb 02 16");
    let Ok(Message::Forwarded(f)) = Message::decode(&d) else {
        panic!()
    };
    assert!(inside(&d, f.node_id) && inside(&d, f.inner));
}

fn workload(name: &str) -> Vec<u8> {
    let p = format!(
        "{}/../../benches/workloads/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn workloads_decode_and_reencode_exactly() {
    for name in [
        "sn_connect.bin",
        "sn_pingreq.bin",
        "sn_publish_qos1.bin",
        "sn_publish_long.bin",
        "sn_register.bin",
        "sn_subscribe.bin",
    ] {
        let b = workload(name);
        let m = Message::decode(&b).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(encode(&m), b, "{name}");
    }
    let b = workload("sn_publish_qos1.bin");
    let m = Message::decode(&b).unwrap();
    assert_eq!(
        m,
        publish(b"abcdefghijklmnopqrstuvwxyzabcdef"),
        "39-byte QoS 1 PUBLISH"
    );
    let b = workload("sn_connect.bin");
    assert_eq!(
        Message::decode(&b),
        Ok(Message::Connect {
            flags: flags(0x04),
            duration: 60,
            client_id: "bench-client-0001",
        })
    );
}

#[test]
fn stream_workload_split_by_length() {
    let all = workload("sn_stream.bin");
    let mut rest = &all[..];
    let mut count = 0;
    while !rest.is_empty() {
        let len = if rest[0] == 1 {
            usize::from(u16::from_be_bytes([rest[1], rest[2]]))
        } else {
            usize::from(rest[0])
        };
        let (one, tail) = rest.split_at(len);
        let m = Message::decode(one).unwrap_or_else(|e| panic!("message {count}: {e}"));
        assert_eq!(encode(&m), one, "message {count}");
        rest = tail;
        count += 1;
    }
    assert_eq!(count, 10_000);
}
