//! Wire-layer tests: hand-checked spec vectors for every message, the
//! benchmark workloads, Length boundaries, malformed datagrams and property
//! tests.

use mqtt_sn_codec::{
    msg_type, DecodeError, EncodeError, Flags, Forwarded, Message, QoS, ReturnCode, Topic,
    TopicFilter, TopicIdType, WillTopic,
};
use proptest::prelude::*;

#[path = "support/unchecked.rs"]
mod unchecked;
use unchecked::{mirrors, unchecked};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn encode(m: &Message<'_>) -> Vec<u8> {
    let mut out = vec![0u8; m.encoded_len().unwrap()];
    let n = m.encode_to_slice(&mut out).unwrap();
    assert_eq!(n, out.len());
    out
}

/// Decodes `bytes` to `expected` and encodes `expected` back to `bytes`.
fn vector(bytes: &[u8], expected: Message<'_>) {
    assert_eq!(Message::decode(bytes), Ok(expected), "{bytes:02x?}");
    assert_eq!(expected.encoded_len(), Ok(bytes.len()));
    assert_eq!(encode(&expected), bytes);
}

fn flags(b: u8) -> Flags {
    Flags::from_byte(b).unwrap()
}

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
fn length_mismatch_both_ways() {
    for (bytes, declared, actual) in [
        ("03 05 00 00", 3, 4),
        ("04 0e 00", 4, 3),
        ("01 0006 18 00", 6, 5),
        ("01 0005 18 0000", 5, 6),
    ] {
        let e = Message::decode(&hex(bytes)).unwrap_err();
        assert_eq!(e, DecodeError::LengthMismatch { declared, actual });
        assert_eq!(e.rule(), Some("5.2.1"));
    }
}

#[test]
fn invalid_length_and_truncated_headers() {
    assert_eq!(
        Message::decode(&[]),
        Err(DecodeError::Truncated { needed: 2 })
    );
    assert_eq!(
        Message::decode(&[5]),
        Err(DecodeError::Truncated { needed: 1 })
    );
    assert!(matches!(
        Message::decode(&[1, 0]),
        Err(DecodeError::Truncated { .. })
    ));
    assert!(matches!(
        Message::decode(&[1, 0, 4]),
        Err(DecodeError::Truncated { .. })
    ));
    assert_eq!(
        Message::decode(&[0, 0x16]),
        Err(DecodeError::InvalidLength { value: 0 })
    );
    assert_eq!(
        Message::decode(&hex("01 0003 16")),
        Err(DecodeError::InvalidLength { value: 3 })
    );
    // Non-minimal 3-byte form is accepted and re-encoded canonically.
    let b = hex("01 0004 16");
    let m = Message::decode(&b).unwrap();
    assert_eq!(m, Message::PingReq { client_id: None });
    assert_eq!(encode(&m), hex("02 16"));
}

#[test]
fn reserved_values_rejected() {
    for t in [0x03u8, 0x11, 0x19, 0x1e, 0x80, 0xfd, 0xff] {
        let e = Message::decode(&[2, t]).unwrap_err();
        assert_eq!(e, DecodeError::ReservedMsgType { msg_type: t });
        assert_eq!(e.rule(), Some("5.2.2"));
    }
    // TopicIdType 0b11 in every message that has a Flags octet.
    for bytes in [
        "07 0c 03 0001 0000",
        "07 12 03 0001 0001",
        "07 14 03 0001 0001",
        "08 13 03 0001 0001 00",
        "06 04 03 01 0000",
        "03 07 03",
        "03 1a 03",
    ] {
        let e = Message::decode(&hex(bytes)).unwrap_err();
        assert!(
            matches!(e, DecodeError::ReservedTopicIdType { .. }),
            "{bytes}: {e:?}"
        );
        assert_eq!(e.rule(), Some("5.3.4"));
    }
    // Reserved topic ids 0x0000 / 0xFFFF.
    for bytes in [
        "07 0c 00 0000 0000",
        "07 0c 00 ffff 0000",
        "07 0c 01 0000 0000",
        "07 0c 01 ffff 0000",
        "07 12 01 0001 0000",
        "07 14 01 0001 ffff",
        "07 0a ffff 0001 61",
        "07 0b ffff 0001 00",
        "08 13 00 ffff 0001 00",
    ] {
        let e = Message::decode(&hex(bytes)).unwrap_err();
        assert!(
            matches!(e, DecodeError::ReservedTopicId { .. }),
            "{bytes}: {e:?}"
        );
        assert_eq!(e.rule(), Some("5.3.11"));
    }
    // Short topic names may be any two octets, including 00 00.
    assert!(Message::decode(&hex("07 0c 02 0000 0000")).is_ok());
    // 0x0000 is legitimate in a client's REGISTER and a wildcard SUBACK.
    assert!(Message::decode(&hex("07 0a 0000 0001 61")).is_ok());
    assert!(Message::decode(&hex("08 13 00 0000 0001 00")).is_ok());
    let e = Message::decode(&hex("06 04 04 02 0000")).unwrap_err();
    assert_eq!(e, DecodeError::ProtocolId { value: 2 });
    assert_eq!(e.rule(), Some("5.3.8"));
}

#[test]
fn fixed_sizes_and_strings() {
    for bytes in [
        "04 00 07 03",
        "04 01 00 00",
        "02 02",
        "05 04 00 01 00",
        "02 05",
        "03 06 00",
        "03 08 00",
        "05 0a 0000 00",
        "06 0b 0001 0001",
        "06 0c 00 0001 00",
        "06 0d 0001 0001",
        "05 0e 0001 00",
        "03 0f 00",
        "05 10 0001 00",
        "05 12 00 0001",
        "06 0a 0000 0001",
        "08 12 01 0001 0001 00",
        "06 12 02 0001 61",
        "07 13 00 0001 0001",
        "05 15 0001 00",
        "03 17 00",
        "03 18 00",
        "05 18 0001 00",
        "02 1b",
        "04 1d 00 00",
    ] {
        let e = Message::decode(&hex(bytes)).unwrap_err();
        assert!(
            matches!(e, DecodeError::BodyLength { .. }),
            "{bytes}: {e:?}"
        );
        assert!(e.rule().unwrap().starts_with("5.4."), "{bytes}: {e:?}");
    }
    for bytes in [
        "07 04 00 01 0000 ff",
        "03 16 ff",
        "07 0a 0000 0001 c3",
        "04 07 00 80",
        "06 12 00 0001 fe",
    ] {
        let e = Message::decode(&hex(bytes)).unwrap_err();
        assert!(
            matches!(e, DecodeError::InvalidUtf8 { .. }),
            "{bytes}: {e:?}"
        );
    }
    // Binary payloads are never forced to UTF-8.
    assert!(Message::decode(&hex("08 0c 00 0001 0000 ff")).is_ok());
    assert!(Message::decode(&hex("03 09 ff")).is_ok());
}

fn publish(data: &[u8]) -> Message<'_> {
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

#[test]
fn length_boundaries() {
    // Total 2.
    assert_eq!(encode(&Message::PingResp), [2, 0x17]);
    // Total 255: the last 1-byte form.
    let data = vec![0xab; 248];
    let b = encode(&publish(&data));
    assert_eq!((b.len(), b[0], b[1]), (255, 255, 0x0c));
    assert_eq!(Message::decode(&b), Ok(publish(&data)));
    // One more payload byte: the 3-byte form, total 258 (256 and 257 exist
    // only as non-minimal encodings).
    let data = vec![0xab; 249];
    let b = encode(&publish(&data));
    assert_eq!(b.len(), 258);
    assert_eq!(&b[..4], &[0x01, 0x01, 0x02, 0x0c]);
    assert_eq!(Message::decode(&b), Ok(publish(&data)));
    // Totals 256 and 257 in the 3-byte form decode and re-encode as 254/255.
    for total in [256usize, 257] {
        let data = vec![7u8; total - 9];
        let mut b = vec![
            0x01,
            (total >> 8) as u8,
            total as u8,
            0x0c,
            0x20,
            0,
            1,
            0,
            10,
        ];
        b.extend_from_slice(&data);
        assert_eq!(b.len(), total);
        let m = Message::decode(&b).unwrap();
        assert_eq!(m, publish(&data));
        let again = encode(&m);
        assert_eq!(again.len(), total - 2);
        assert_eq!(usize::from(again[0]), total - 2);
        assert_eq!(Message::decode(&again), Ok(m));
    }
    // Total 65535: the maximum.
    let data = vec![0x5a; 65_526];
    let b = encode(&publish(&data));
    assert_eq!(b.len(), 65_535);
    assert_eq!(&b[..3], &[0x01, 0xff, 0xff]);
    assert_eq!(Message::decode(&b), Ok(publish(&data)));
    // One byte too many.
    let data = vec![0x5a; 65_527];
    assert_eq!(
        publish(&data).encode_to_slice(&mut vec![0; 70_000]),
        Err(EncodeError::TooLong { len: 65_536 })
    );
}

#[test]
fn buffer_too_small() {
    let m = publish(b"hello");
    let mut small = [0u8; 8];
    assert_eq!(
        m.encode_to_slice(&mut small),
        Err(EncodeError::BufferTooSmall { required: 12 })
    );
    let mut big = [0u8; 64];
    assert_eq!(m.encode_to_slice(&mut big), Ok(12));
}

#[cfg(feature = "alloc")]
#[test]
fn encode_into_bufmut() {
    let m = publish(b"hello");
    let mut v: Vec<u8> = Vec::new();
    assert_eq!(m.encode(&mut v), Ok(12));
    assert_eq!(v, encode(&m));
    let mut small = [0u8; 4];
    let mut buf = &mut small[..];
    assert_eq!(
        m.encode(&mut buf),
        Err(EncodeError::BufferTooSmall { required: 12 })
    );
    assert_eq!(small, [0; 4]);
    let mut big = bytes::BytesMut::new();
    let data = vec![1u8; 300];
    assert_eq!(publish(&data).encode(&mut big), Ok(309));
    assert_eq!(&big[..], &encode(&publish(&data))[..]);
}

#[test]
fn topic_id_type_comes_from_the_topic() {
    let m = Message::Publish {
        flags: Flags::default(),
        topic: Topic::Short(*b"xy"),
        msg_id: 0,
        data: &[],
    };
    let b = encode(&m);
    assert_eq!(b[2], 0x02);
    let Ok(Message::Publish { flags, .. }) = Message::decode(&b) else {
        panic!()
    };
    assert_eq!(flags.topic_id_type, TopicIdType::Short);
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

#[test]
fn flags_every_bit() {
    // One bit (or QoS pattern) at a time, as spec 5.3.4 lays them out.
    let one = |b: u8| Flags::from_byte(b).unwrap();
    let none = Flags::default();
    assert_eq!(one(0x00), none);
    assert_eq!(one(0x80), Flags { dup: true, ..none });
    assert_eq!(
        one(0x20),
        Flags {
            qos: QoS::AtLeastOnce,
            ..none
        }
    );
    assert_eq!(
        one(0x40),
        Flags {
            qos: QoS::ExactlyOnce,
            ..none
        }
    );
    assert_eq!(
        one(0x60),
        Flags {
            qos: QoS::MinusOne,
            ..none
        }
    );
    assert_eq!(
        one(0x10),
        Flags {
            retain: true,
            ..none
        }
    );
    assert_eq!(one(0x08), Flags { will: true, ..none });
    assert_eq!(
        one(0x04),
        Flags {
            clean_session: true,
            ..none
        }
    );
    assert_eq!(
        one(0x01),
        Flags {
            topic_id_type: TopicIdType::Predefined,
            ..none
        }
    );
    assert_eq!(
        one(0x02),
        Flags {
            topic_id_type: TopicIdType::Short,
            ..none
        }
    );
    assert_eq!(
        [
            QoS::AtMostOnce,
            QoS::AtLeastOnce,
            QoS::ExactlyOnce,
            QoS::MinusOne
        ]
        .map(QoS::level),
        [0, 1, 2, -1]
    );
    // Every octet: 0b11 in bits 1-0 is the only thing refused, and every
    // other octet comes back unchanged.
    for b in 0..=255u8 {
        match Flags::from_byte(b) {
            Ok(f) => {
                assert_ne!(b & 0b11, 0b11);
                assert_eq!(f.to_byte(), b);
            }
            Err(e) => {
                assert_eq!(b & 0b11, 0b11);
                assert_eq!(e, DecodeError::ReservedTopicIdType { flags: b });
            }
        }
    }
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
fn reserved_topic_ids_where_the_spec_reserves_them() {
    let reserved = |bytes: &str| match Message::decode(&hex(bytes)) {
        Err(e @ DecodeError::ReservedTopicId { .. }) => assert_eq!(e.rule(), Some("5.3.11")),
        other => panic!("{bytes}: {other:?}"),
    };
    let ok = |bytes: &str| {
        let b = hex(bytes);
        let m = Message::decode(&b).unwrap_or_else(|e| panic!("{bytes}: {e}"));
        assert_eq!(encode(&m), b);
    };
    // A pre-defined id in (UN)SUBSCRIBE: both values reserved.
    for bytes in [
        "07 12 21 0001 0000",
        "07 12 21 0001 ffff",
        "07 14 01 0001 0000",
        "07 14 01 0001 ffff",
    ] {
        reserved(bytes);
    }
    // REGACK: an accepted registration must hand out a real id; a
    // rejection may carry 0x0000 (the id is not relevant then).
    reserved("07 0b 0000 0001 00");
    ok("07 0b 0000 0001 02");
    ok("07 0b 0000 0001 83");
    reserved("07 0b ffff 0001 02");
    // PUBACK echoes the PUBLISH's TopicId octets, which for a short topic
    // name can be anything.
    ok("07 0d 0000 0001 00");
    ok("07 0d ffff 0001 02");
    // A short topic name may be ff ff; SUBACK may be 0x0000 (wildcard).
    ok("07 0c 02 ffff 0000");
    ok("08 13 20 0000 0001 00");
    // REGISTER from a client carries 0x0000; a gateway's carries a real id.
    ok("07 0a 0000 0001 61");
    ok("07 0a 0101 0001 61");
}

#[test]
fn short_topic_names_are_exactly_two_bytes() {
    for t in ["12", "14"] {
        for (topic, ok) in [
            ("", false),
            ("61", false),
            ("6162", true),
            ("616263", false),
        ] {
            let body = format!("02 0001 {topic}");
            let len = 2 + hex(&body).len();
            let bytes = hex(&format!("{len:02x} {t} {body}"));
            let got = Message::decode(&bytes);
            if ok {
                let m = got.unwrap();
                let (Message::Subscribe { topic, .. } | Message::Unsubscribe { topic, .. }) = m
                else {
                    panic!("{m:?}")
                };
                assert_eq!(topic, TopicFilter::Short(*b"ab"));
                assert_eq!(encode(&m), bytes);
            } else {
                assert!(
                    matches!(got, Err(DecodeError::BodyLength { .. })),
                    "{bytes:02x?}: {got:?}"
                );
            }
        }
        // A pre-defined id is exactly two bytes too.
        let len = 8;
        let bytes = hex(&format!("{len:02x} {t} 01 0001 000500"));
        assert!(matches!(
            Message::decode(&bytes),
            Err(DecodeError::BodyLength { .. })
        ));
    }
    // In PUBLISH the short name sits in the TopicId octets, kept as bytes
    // (not UTF-8 checked).
    vector(
        &hex("07 0c 02 ff00 0000"),
        Message::Publish {
            flags: flags(0x02),
            topic: Topic::Short([0xff, 0x00]),
            msg_id: 0,
            data: &[],
        },
    );
}

/// Checks that `m` is refused with `e` by `encoded_len`, both encoders and
/// `to_vec`, none of which writes anything, and that `wire`, the bytes `m`
/// stands for built by hand (`None` where no Length field can express
/// them), is rejected by the decoder with the error `e` mirrors, naming the
/// same section.
fn refused(m: Message<'_>, e: EncodeError, wire: Option<&str>) {
    assert_eq!(m.encoded_len(), Err(e), "{m:?}");
    let mut out = vec![0xa5u8; 70_000];
    assert_eq!(m.encode_to_slice(&mut out), Err(e), "{m:?}");
    assert!(
        out.iter().all(|&b| b == 0xa5),
        "{m:?}: bytes written on error"
    );
    #[cfg(feature = "alloc")]
    {
        let mut v = Vec::new();
        assert_eq!(m.encode(&mut v), Err(e), "{m:?}");
        assert!(v.is_empty(), "{m:?}: bytes written on error");
        assert_eq!(m.to_vec(), Err(e), "{m:?}");
    }
    assert!(e.rule().is_some(), "{e:?} names no rule");
    if let Some(wire) = wire {
        let d = Message::decode(&hex(wire)).expect_err(wire);
        assert!(
            mirrors(e, d),
            "{wire}: the encoder says {e:?}, the decoder {d:?}"
        );
        assert_eq!(d.rule(), e.rule(), "{wire}");
    }
}

/// A SUBSCRIBE (`t` = 0x12) or UNSUBSCRIBE (0x14), its TopicIdType that of
/// `topic`.
fn sub(t: u8, topic: TopicFilter<'_>) -> Message<'_> {
    let flags = Flags {
        topic_id_type: topic.id_type(),
        ..Flags::default()
    };
    if t == msg_type::SUBSCRIBE {
        Message::Subscribe {
            flags,
            msg_id: 1,
            topic,
        }
    } else {
        Message::Unsubscribe {
            flags,
            msg_id: 1,
            topic,
        }
    }
}

/// One case per rule of the decoder that a `Message` value can break: the
/// encoder refuses it with the typed error, and the hand-built bytes of
/// the same message are what the decoder rejects with the mirrored error.
/// Beside each, the nearest value the decoder accepts encodes.
#[test]
fn encoder_refuses_what_the_decoder_rejects() {
    use mqtt_sn_codec::msg_type::{PUBLISH, REGACK, REGISTER, SUBACK, SUBSCRIBE, UNSUBSCRIBE};
    let reserved = |msg_type, topic_id| EncodeError::ReservedTopicId { msg_type, topic_id };
    let publish_to = |topic: Topic| Message::Publish {
        flags: Flags {
            topic_id_type: topic.id_type(),
            ..Flags::default()
        },
        topic,
        msg_id: 0,
        data: &[],
    };
    // 5.3.11 PUBLISH: a normal or pre-defined TopicId must be a real one...
    for (topic, wire) in [
        (Topic::Id(0), "07 0c 00 0000 0000"),
        (Topic::Id(0xffff), "07 0c 00 ffff 0000"),
        (Topic::Predefined(0), "07 0c 01 0000 0000"),
        (Topic::Predefined(0xffff), "07 0c 01 ffff 0000"),
    ] {
        refused(
            publish_to(topic),
            reserved(PUBLISH, topic.raw()),
            Some(wire),
        );
    }
    vector(&hex("07 0c 00 0001 0000"), publish_to(Topic::Id(1)));
    vector(
        &hex("07 0c 01 fffe 0000"),
        publish_to(Topic::Predefined(0xfffe)),
    );
    // ... and a short topic name is any two octets.
    vector(&hex("07 0c 02 0000 0000"), publish_to(Topic::Short([0, 0])));
    vector(
        &hex("07 0c 02 ffff 0000"),
        publish_to(Topic::Short([0xff, 0xff])),
    );

    for t in [SUBSCRIBE, UNSUBSCRIBE] {
        // 5.3.11 (UN)SUBSCRIBE: a pre-defined id must be a real one.
        for id in [0, 0xffff] {
            let wire = format!("07 {t:02x} 01 0001 {id:04x}");
            refused(
                sub(t, TopicFilter::Predefined(id)),
                reserved(t, id),
                Some(&wire),
            );
        }
        vector(
            &hex(&format!("07 {t:02x} 01 0001 0001")),
            sub(t, TopicFilter::Predefined(1)),
        );
        // 5.4.15 / 5.4.17: the TopicName is not empty (the decoder sees a
        // body too short for its type).
        let empty = EncodeError::EmptyTopicName { msg_type: t };
        let wire = format!("05 {t:02x} 00 0001");
        refused(sub(t, TopicFilter::Name("")), empty, Some(&wire));
        vector(
            &hex(&format!("06 {t:02x} 00 0001 61")),
            sub(t, TopicFilter::Name("a")),
        );
    }

    // REGISTER: 0xFFFF is reserved (5.3.11), 0x0000 is a client's; the
    // TopicName is not empty (5.4.10).
    let register = |topic_id, topic_name| Message::Register {
        topic_id,
        msg_id: 1,
        topic_name,
    };
    refused(
        register(0xffff, "a"),
        reserved(REGISTER, 0xffff),
        Some("07 0a ffff 0001 61"),
    );
    refused(
        register(1, ""),
        EncodeError::EmptyTopicName { msg_type: REGISTER },
        Some("06 0a 0001 0001"),
    );
    vector(&hex("07 0a 0000 0001 61"), register(0, "a"));
    vector(&hex("07 0a fffe 0001 61"), register(0xfffe, "a"));

    // REGACK: 0xFFFF is reserved; 0x0000 only in a rejection (5.3.11).
    let regack = |topic_id, rc| Message::RegAck {
        topic_id,
        msg_id: 1,
        return_code: ReturnCode(rc),
    };
    refused(
        regack(0, 0),
        reserved(REGACK, 0),
        Some("07 0b 0000 0001 00"),
    );
    refused(
        regack(0xffff, 0),
        reserved(REGACK, 0xffff),
        Some("07 0b ffff 0001 00"),
    );
    refused(
        regack(0xffff, 2),
        reserved(REGACK, 0xffff),
        Some("07 0b ffff 0001 02"),
    );
    vector(&hex("07 0b 0000 0001 02"), regack(0, 2));
    vector(&hex("07 0b 0001 0001 00"), regack(1, 0));

    // SUBACK: 0xFFFF is reserved, 0x0000 answers a wildcard (5.3.11).
    let suback = |topic_id| Message::SubAck {
        flags: Flags::default(),
        topic_id,
        msg_id: 1,
        return_code: ReturnCode::ACCEPTED,
    };
    refused(
        suback(0xffff),
        reserved(SUBACK, 0xffff),
        Some("08 13 00 ffff 0001 00"),
    );
    vector(&hex("08 13 00 0000 0001 00"), suback(0));

    // PUBACK echoes any TopicId: nothing to refuse.
    for id in [0u16, 0xffff] {
        let m = Message::PubAck {
            topic_id: id,
            msg_id: 1,
            return_code: ReturnCode::ACCEPTED,
        };
        vector(&hex(&format!("07 0d {id:04x} 0001 00")), m);
    }

    // 5.5: the Wireless Node Id fits the 1-byte Length (no bytes can be
    // built for 253: the Length would be 256)...
    fn fwd<'a>(node_id: &'a [u8], inner: &'a [u8]) -> Message<'a> {
        Message::Forwarded(Forwarded {
            ctrl: 1,
            node_id,
            inner,
        })
    }
    refused(
        fwd(&[7; 253], &[2, 0x16]),
        EncodeError::NodeIdTooLong { len: 253 },
        None,
    );
    let longest = fwd(&[7; 252], &[2, 0x16]);
    assert_eq!(Message::decode(&encode(&longest)), Ok(longest));
    // ... and what it encapsulates is one valid plain message: not empty,
    // not malformed, not an encapsulation itself. The error is the one the
    // decoder gives for the whole datagram.
    for (inner, d) in [
        (
            "",
            DecodeError::Forwarder {
                reason: "no encapsulated message",
            },
        ),
        (
            "03 16",
            DecodeError::LengthMismatch {
                declared: 3,
                actual: 2,
            },
        ),
        ("02 03", DecodeError::ReservedMsgType { msg_type: 3 }),
        (
            "03 fe 00 02 16",
            DecodeError::Forwarder {
                reason: "nested encapsulation",
            },
        ),
        (
            "07 0c 00 0000 0000",
            DecodeError::ReservedTopicId {
                msg_type: PUBLISH,
                topic_id: 0,
            },
        ),
    ] {
        let bytes = hex(inner);
        let wire = format!("03 fe 01 {inner}");
        refused(fwd(&[], &bytes), EncodeError::Encapsulated(d), Some(&wire));
    }
    let inner = hex("01 0004 16"); // a non-minimal Length is valid
    let m = fwd(&[], &inner);
    assert_eq!(encode(&m), hex("03 fe 01 01 0004 16"));
    assert_eq!(Message::decode(&encode(&m)), Ok(m));

    // 5.2.1: at most 65535 bytes (no Length field can express more).
    let data = vec![0u8; 65_527];
    refused(
        Message::Publish {
            flags: Flags::default(),
            topic: Topic::Id(1),
            msg_id: 0,
            data: &data,
        },
        EncodeError::TooLong { len: 65_536 },
        None,
    );
}

/// The decoder's other rules cannot be broken by a `Message` value: a
/// `Flags` never holds TopicIdType 0b11 (5.3.4), CONNECT's ProtocolId is
/// always written 0x01 (5.3.8), a short topic name is a `[u8; 2]`, strings
/// are `&str`. Every `Flags` value, in every message with a Flags octet,
/// encodes to an octet the decoder accepts and decodes back.
#[test]
fn what_the_types_rule_out_is_never_written() {
    let mut octets = [false; 256];
    for bits in 0..16u8 {
        for qos in [
            QoS::AtMostOnce,
            QoS::AtLeastOnce,
            QoS::ExactlyOnce,
            QoS::MinusOne,
        ] {
            for topic_id_type in [
                TopicIdType::Normal,
                TopicIdType::Predefined,
                TopicIdType::Short,
            ] {
                let f = Flags {
                    dup: bits & 1 != 0,
                    qos,
                    retain: bits & 2 != 0,
                    will: bits & 4 != 0,
                    clean_session: bits & 8 != 0,
                    topic_id_type,
                };
                assert_ne!(f.to_byte() & 0b11, 0b11, "{f:?}");
                octets[usize::from(f.to_byte())] = true;
                let will = WillTopic {
                    flags: f,
                    topic: "w",
                };
                for m in [
                    Message::Connect {
                        flags: f,
                        duration: 1,
                        client_id: "c",
                    },
                    Message::WillTopic(Some(will)),
                    Message::WillTopicUpd(Some(will)),
                    Message::SubAck {
                        flags: f,
                        topic_id: 1,
                        msg_id: 1,
                        return_code: ReturnCode::ACCEPTED,
                    },
                ] {
                    let b = encode(&m);
                    assert_eq!(Message::decode(&b), Ok(m), "{b:02x?}");
                }
                // Here the TopicIdType bits come from the topic.
                for m in [
                    Message::Publish {
                        flags: Flags {
                            topic_id_type: TopicIdType::Short,
                            ..f
                        },
                        topic: Topic::Short(*b"ab"),
                        msg_id: 1,
                        data: b"x",
                    },
                    sub(msg_type::SUBSCRIBE, TopicFilter::Predefined(5)),
                    sub(msg_type::UNSUBSCRIBE, TopicFilter::Name("a")),
                ] {
                    let b = encode(&m);
                    assert_eq!(Message::decode(&b), Ok(m), "{b:02x?}");
                }
            }
        }
    }
    // 16 bit patterns x 4 QoS x 3 TopicIdTypes, all distinct octets.
    assert_eq!(octets.iter().filter(|&&seen| seen).count(), 192);
    let connect = Message::Connect {
        flags: Flags::default(),
        duration: 0,
        client_id: "",
    };
    assert_eq!(encode(&connect), hex("06 04 00 01 0000"));
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
fn utf8_errors_name_the_field_and_its_section() {
    for (bytes, field, rule) in [
        ("07 04 00 01 0000 ff", "ClientId", "5.3.1"),
        ("03 16 ff", "ClientId", "5.3.1"),
        ("07 0a 0000 0001 c3", "TopicName", "5.3.12"),
        ("06 12 00 0001 fe", "TopicName", "5.3.12"),
        ("07 14 00 0001 c328", "TopicName", "5.3.12"),
        ("04 07 00 80", "WillTopic", "5.3.14"),
        ("05 1a 20 eda0", "WillTopic", "5.3.14"),
    ] {
        let e = Message::decode(&hex(bytes)).unwrap_err();
        assert_eq!(e, DecodeError::InvalidUtf8 { field }, "{bytes}");
        assert_eq!(e.rule(), Some(rule), "{bytes}");
    }
}

#[test]
fn binary_fields_are_never_utf8_checked() {
    let not_utf8: &[u8] = &[0xc3, 0x28, 0xff, 0x00, 0xed, 0xa0, 0x80];
    for m in [
        Message::Publish {
            flags: flags(0x20),
            topic: Topic::Id(1),
            msg_id: 3,
            data: not_utf8,
        },
        Message::WillMsg { msg: not_utf8 },
        Message::WillMsgUpd { msg: not_utf8 },
        Message::GwInfo {
            gw_id: 1,
            gw_add: not_utf8,
        },
        Message::Forwarded(Forwarded {
            ctrl: 0,
            node_id: not_utf8,
            inner: &[2, 0x17],
        }),
    ] {
        let b = encode(&m);
        assert_eq!(Message::decode(&b), Ok(m));
    }
}

#[test]
fn accessors() {
    assert_eq!(Topic::Short(*b"ab").raw(), 0x6162);
    assert_eq!(Topic::Predefined(9).raw(), 9);
    assert_eq!(Topic::Id(9).id_type(), TopicIdType::Normal);
    assert_eq!(Topic::Predefined(9).id_type(), TopicIdType::Predefined);
    assert_eq!(Topic::Short(*b"ab").id_type(), TopicIdType::Short);
    assert_eq!(TopicFilter::Name("a/#").id_type(), TopicIdType::Normal);
    assert_eq!(
        TopicFilter::Predefined(1).id_type(),
        TopicIdType::Predefined
    );
    assert_eq!(TopicFilter::Short(*b"ab").id_type(), TopicIdType::Short);
    // msg_id(): the eleven messages that carry a MsgId, and only those.
    let mut with_id = 0;
    for kind in 0..28 {
        let m = build(kind, 0x20, 7, 0x1234, "t", b"x");
        match m.msg_id() {
            Some(id) => {
                with_id += 1;
                assert_eq!(id, 0x1234, "{m:?}");
                let b = encode(&m);
                // the MsgId octets are the last two before the variable part
                // or at a fixed place; find them in the encoding
                assert!(b.windows(2).any(|w| w == [0x12, 0x34]), "{m:?}");
            }
            None => assert!(
                !matches!(
                    m,
                    Message::Register { .. }
                        | Message::RegAck { .. }
                        | Message::Publish { .. }
                        | Message::PubAck { .. }
                        | Message::PubComp { .. }
                        | Message::PubRec { .. }
                        | Message::PubRel { .. }
                        | Message::Subscribe { .. }
                        | Message::SubAck { .. }
                        | Message::Unsubscribe { .. }
                        | Message::UnsubAck { .. }
                ),
                "{m:?}"
            ),
        }
    }
    assert_eq!(with_id, 11);
}

#[cfg(feature = "alloc")]
#[test]
fn to_vec_is_encode_to_slice() {
    let m = publish(b"hello");
    assert_eq!(m.to_vec(), Ok(encode(&m)));
    let data = vec![0u8; 65_527];
    assert_eq!(
        publish(&data).to_vec(),
        Err(EncodeError::TooLong { len: 65_536 })
    );
}

/// The variable-length messages with the size of their fixed fields (after
/// the MsgType), for `sized`.
const SIZED: [(&str, usize); 12] = [
    ("GWINFO", 1),
    ("CONNECT", 4),
    ("WILLTOPIC", 1),
    ("WILLTOPICUPD", 1),
    ("WILLMSG", 0),
    ("WILLMSGUPD", 0),
    ("REGISTER", 4),
    ("PUBLISH", 5),
    ("SUBSCRIBE", 3),
    ("UNSUBSCRIBE", 3),
    ("PINGREQ", 0),
    ("PINGREQ-empty", 0),
];

/// Message `SIZED[kind]` whose variable-length field is `bin` (binary
/// fields) or `text` (string fields).
fn sized<'a>(kind: usize, bin: &'a [u8], text: &'a str) -> Message<'a> {
    let f = flags(0x24);
    match SIZED[kind].0 {
        "GWINFO" => Message::GwInfo {
            gw_id: 3,
            gw_add: bin,
        },
        "CONNECT" => Message::Connect {
            flags: f,
            duration: 60,
            client_id: text,
        },
        "WILLTOPIC" => Message::WillTopic(Some(WillTopic {
            flags: f,
            topic: text,
        })),
        "WILLTOPICUPD" => Message::WillTopicUpd(Some(WillTopic {
            flags: f,
            topic: text,
        })),
        "WILLMSG" => Message::WillMsg { msg: bin },
        "WILLMSGUPD" => Message::WillMsgUpd { msg: bin },
        "REGISTER" => Message::Register {
            topic_id: 0,
            msg_id: 4,
            topic_name: text,
        },
        "PUBLISH" => Message::Publish {
            flags: flags(0x31),
            topic: Topic::Predefined(2),
            msg_id: 5,
            data: bin,
        },
        "SUBSCRIBE" => Message::Subscribe {
            flags: flags(0x20),
            msg_id: 6,
            topic: TopicFilter::Name(text),
        },
        "UNSUBSCRIBE" => Message::Unsubscribe {
            flags: flags(0x00),
            msg_id: 7,
            topic: TopicFilter::Name(text),
        },
        "PINGREQ" => Message::PingReq {
            client_id: Some(text),
        },
        _ => Message::PingResp,
    }
}

/// `n` bytes of UTF-8 text: ASCII, ending in a 2-byte character when
/// `wide` and there is room.
fn text_of(n: usize, seed: u8, wide: bool) -> String {
    let ascii = |i: usize| char::from(b'a' + ((i + usize::from(seed)) % 26) as u8);
    if wide && n >= 2 {
        (0..n - 2).map(ascii).chain(['é']).collect()
    } else {
        (0..n).map(ascii).collect()
    }
}

/// Builds a valid message of kind `kind % 28` from raw material.
fn build<'a>(kind: u8, a: u8, b: u16, c: u16, s: &'a str, v: &'a [u8]) -> Message<'a> {
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

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => proptest::collection::vec(any::<u8>(), 0..64),
        3 => proptest::collection::vec(any::<u8>(), 240..262),
        1 => proptest::collection::vec(any::<u8>(), 65_520..65_534),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn round_trip(kind in 0u8..28, a: u8, b: u16, c: u16, s in "\\PC{0,30}", v in payload()) {
        let m = build(kind, a, b, c, &s, &v);
        // `build` makes only messages the decoder accepts: the encoder may
        // refuse them only for their size.
        let len = match m.encoded_len() {
            Ok(len) => len,
            Err(e) => {
                let EncodeError::TooLong { len } = e else {
                    return Err(TestCaseError::fail(format!("{m:?}: {e:?}")));
                };
                prop_assert!(len > 65_535);
                prop_assert_eq!(m.encode_to_slice(&mut vec![0; 70_000]), Err(e));
                #[cfg(feature = "alloc")]
                prop_assert_eq!(m.encode(&mut Vec::new()), Err(e));
                return Ok(());
            }
        };
        let mut out = vec![0u8; len];
        // What `encoded_len` accepts, `encode_to_slice` writes in that size.
        prop_assert_eq!(m.encode_to_slice(&mut out), Ok(len));
        prop_assert!(len <= 65_535 || matches!(m, Message::Forwarded(_)));
        if matches!(m, Message::Forwarded(_)) { prop_assert_eq!(usize::from(out[0]), 3 + (usize::from(a) % 20).min(v.len())); }
        else if len <= 255 { prop_assert_eq!(usize::from(out[0]), len); }
        else { prop_assert_eq!(&out[..3], &[1, (len >> 8) as u8, len as u8][..]); }
        let back = Message::decode(&out).unwrap();
        prop_assert_eq!(back, m);
        // The BufMut encoder writes the same bytes.
        #[cfg(feature = "alloc")]
        {
            let mut v = Vec::new();
            prop_assert_eq!(m.encode(&mut v), Ok(len));
            prop_assert_eq!(v, out);
        }
    }

    #[test]
    fn decode_never_panics(d in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(m) = Message::decode(&d) {
            let out = encode(&m);
            prop_assert_eq!(Message::decode(&out), Ok(m));
        }
    }

    #[test]
    fn decode_never_panics_with_valid_length(t: u8, mut d in proptest::collection::vec(any::<u8>(), 0..300), long: bool) {
        let mut b = if long || d.len() + 2 > 255 {
            let total = d.len() + 4;
            vec![1, (total >> 8) as u8, total as u8, t]
        } else {
            vec![(d.len() + 2) as u8, t]
        };
        b.append(&mut d);
        if let Ok(m) = Message::decode(&b) {
            let out = encode(&m);
            prop_assert_eq!(Message::decode(&out), Ok(m));
            if !long {
                prop_assert_eq!(out, b);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Round trips at the totals the issue names, for every variable-length
    /// message (each case runs all of them, with other field contents).
    /// 2, 255 and 65535 bytes are canonical encodings (1-byte form up to
    /// 255, the 3-byte form at the 65535 maximum). 256 and 257 bytes exist
    /// only as non-minimal 3-byte forms: such a datagram decodes, and the
    /// message re-encodes canonically in 254/255 bytes. A message whose
    /// 1-byte-form total would be 256 or 257 goes to the 3-byte form
    /// (258/259 bytes: the boundary of the Paho encoder bug).
    #[test]
    fn round_trip_at_boundary_totals(fill: u8, wide: bool) {
        let mut checked = 0;
        for (kind, &(name, fixed)) in SIZED.iter().enumerate() {
            for total in [2usize, 255, 256, 257, 65_535] {
                let body = if total <= 257 { total - 2 } else { total - 4 };
                // PINGREQ without ClientId is the 2-byte message only; the
                // string fields that must not be empty need a byte at least.
                let min_var = match name {
                    "REGISTER" | "SUBSCRIBE" | "UNSUBSCRIBE" | "PINGREQ" => 1,
                    _ => 0,
                };
                let fits = if name == "PINGREQ-empty" {
                    total == 2
                } else {
                    body >= fixed + min_var
                };
                if !fits {
                    continue;
                }
                let var = body - fixed;
                let bin: Vec<u8> = (0..var).map(|i| (i as u8) ^ fill).collect();
                let text = text_of(var, fill, wide);
                let m = sized(kind, &bin, &text);
                prop_assert_eq!(m.encoded_len(), Ok(if total <= 255 { total } else { body + 4 }));
                let b = encode(&m);
                match total {
                    2 | 255 => prop_assert_eq!(usize::from(b[0]), total),
                    65_535 => prop_assert_eq!(&b[..3], &[0x01, 0xff, 0xff][..]),
                    _ => {
                        // 256/257 in the 1-byte sense: the 3-byte form.
                        prop_assert_eq!(b.len(), total + 2);
                        prop_assert_eq!(&b[..3], &[0x01, 0x01, (total + 2 - 256) as u8][..]);
                        // 256/257 on the wire: the non-minimal 3-byte form
                        // of the message 2 bytes shorter.
                        let short_text = text.get(..var - 2).expect("ASCII up to var - 2");
                        let short = sized(kind, &bin[..var - 2], short_text);
                        let canonical = encode(&short);
                        prop_assert_eq!(canonical.len(), total - 2);
                        prop_assert_eq!(usize::from(canonical[0]), total - 2);
                        let mut nonminimal = vec![0x01, 0x01, (total - 256) as u8];
                        nonminimal.extend_from_slice(&canonical[1..]);
                        prop_assert_eq!(nonminimal.len(), total);
                        prop_assert_eq!(Message::decode(&nonminimal), Ok(short));
                    }
                }
                prop_assert_eq!(Message::decode(&b), Ok(m));
                checked += 1;
            }
        }
        // 2 bytes: WILLMSG, WILLMSGUPD and PINGREQ without ClientId; the
        // other four totals: every message but that PINGREQ.
        prop_assert_eq!(checked, 3 + 4 * 11);
    }

    /// Any valid message, encapsulated by a forwarder with any Ctrl and node
    /// id, round-trips, and the encapsulated message decodes to itself.
    #[test]
    fn forwarded_round_trip(kind in 0u8..27, a: u8, b: u16, c: u16, s in "\\PC{0,30}", v in proptest::collection::vec(any::<u8>(), 0..300), ctrl: u8, node in proptest::collection::vec(any::<u8>(), 0..=252)) {
        let inner_msg = build(kind, a, b, c, &s, &v);
        prop_assume!(!matches!(inner_msg, Message::Forwarded(_)));
        let inner = encode(&inner_msg);
        let m = Message::Forwarded(Forwarded { ctrl, node_id: &node, inner: &inner });
        let out = encode(&m);
        prop_assert_eq!(usize::from(out[0]), 3 + node.len());
        prop_assert_eq!(out.len(), 3 + node.len() + inner.len());
        let back = Message::decode(&out);
        prop_assert_eq!(back, Ok(m));
        let Ok(Message::Forwarded(f)) = back else { unreachable!() };
        prop_assert_eq!(f.message(), Ok(inner_msg));
    }
}

/// A message of one of the seven kinds whose fields the encoder can refuse
/// (REGISTER, REGACK, PUBLISH, SUBACK, SUBSCRIBE, UNSUBSCRIBE, forwarder),
/// holding whatever it is given: `id` is often reserved, `name` may be
/// empty, `inner` is any bytes. TopicIdType bits are those of the topic.
fn build_any<'a>(
    kind: u8,
    a: u8,
    id: u16,
    c: u16,
    name: &'a str,
    inner: &'a [u8],
    node: &'a [u8],
) -> Message<'a> {
    let f = Flags::from_byte(a & 0xfc).unwrap();
    // accepted half of the time
    let rc = ReturnCode(if a & 1 == 0 { 0 } else { a });
    let typed = |t| Flags {
        topic_id_type: t,
        ..f
    };
    match kind % 7 {
        0 => Message::Register {
            topic_id: id,
            msg_id: c,
            topic_name: name,
        },
        1 => Message::RegAck {
            topic_id: id,
            msg_id: c,
            return_code: rc,
        },
        2 => {
            let topic = match c % 3 {
                0 => Topic::Id(id),
                1 => Topic::Predefined(id),
                _ => Topic::Short(id.to_be_bytes()),
            };
            Message::Publish {
                flags: typed(topic.id_type()),
                topic,
                msg_id: c,
                data: inner,
            }
        }
        3 => Message::SubAck {
            flags: f,
            topic_id: id,
            msg_id: c,
            return_code: rc,
        },
        4 | 5 => {
            let topic = match c % 3 {
                0 => TopicFilter::Name(name),
                1 => TopicFilter::Predefined(id),
                _ => TopicFilter::Short(id.to_be_bytes()),
            };
            let flags = typed(topic.id_type());
            if kind % 7 == 4 {
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
        _ => Message::Forwarded(Forwarded {
            ctrl: a,
            node_id: node,
            inner,
        }),
    }
}

/// Topic ids, often the reserved ones.
fn any_topic_id() -> impl Strategy<Value = u16> {
    prop_oneof![Just(0u16), Just(0xffff), any::<u16>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Encoding succeeds if and only if the bytes decode, and then to an
    /// equal message: for a refused message, the bytes it stands for (built
    /// by hand) are rejected by the decoder with the mirrored error. The
    /// encapsulated bytes of a forwarder are a valid message, any bytes, or
    /// such a message with one byte changed.
    #[test]
    fn encode_succeeds_iff_the_bytes_decode(
        kind in 0u8..7,
        a: u8,
        id in any_topic_id(),
        c: u16,
        name in "\\PC{0,3}",
        raw in prop_oneof![
            8 => proptest::collection::vec(any::<u8>(), 0..12),
            1 => proptest::collection::vec(any::<u8>(), 65_524..65_530),
        ],
        wrap in 0u8..3,
        inner_kind in 0u8..27,
        node in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..4),
            proptest::collection::vec(any::<u8>(), 251..255),
        ],
    ) {
        let valid_inner = encode(&build(inner_kind, a, c, id, &name, &raw[..raw.len().min(12)]));
        let mut changed = valid_inner.clone();
        let at = usize::from(c) % changed.len();
        changed[at] ^= a | 1;
        let inner: &[u8] = match (kind % 7, wrap) {
            (6, 0) => &valid_inner,
            (6, 1) => &changed,
            _ => &raw,
        };
        let m = build_any(kind, a, id, c, &name, inner, &node);
        match m.encoded_len() {
            Ok(len) => {
                let b = encode(&m);
                prop_assert_eq!(b.len(), len);
                prop_assert_eq!(Message::decode(&b), Ok(m));
                // the hand-written bytes are the encoder's, where it accepts
                prop_assert_eq!(unchecked(&m), Some(b));
            }
            Err(e) => {
                let mut out = vec![0u8; 70_000];
                prop_assert_eq!(m.encode_to_slice(&mut out), Err(e));
                #[cfg(feature = "alloc")]
                prop_assert_eq!(m.encode(&mut Vec::new()), Err(e));
                match unchecked(&m) {
                    Some(b) => {
                        let d = Message::decode(&b);
                        prop_assert!(
                            matches!(d, Err(d) if mirrors(e, d) && d.rule() == e.rule()),
                            "{:?}: the encoder says {:?}, the decoder {:?}", m, e, d
                        );
                    }
                    // no Length field can express it: nothing could decode
                    None => prop_assert!(
                        node.len() > 252 || raw.len() > 65_000,
                        "{:?}: {:?}", m, e
                    ),
                }
            }
        }
    }
}

#[test]
fn decode_options_limit_the_datagram_size() {
    use mqtt_sn_codec::{DecodeOptions, MAX_DATAGRAM_LEN, MAX_LEN};

    const DEFAULTS: DecodeOptions = DecodeOptions::new();
    assert_eq!(DEFAULTS, DecodeOptions::default());
    assert_eq!(DEFAULTS.max_message_size, MAX_DATAGRAM_LEN);
    assert_eq!(MAX_DATAGRAM_LEN, 65_790);

    // the largest valid datagram: a 252-byte node id around a 65535-byte
    // PUBLISH; `decode` and `decode_with` the defaults both take it
    let data = vec![0x5a; MAX_LEN - 9];
    let inner = encode(&publish(&data));
    assert_eq!(inner.len(), MAX_LEN);
    let node = [0x11; 252];
    let fwd = Message::Forwarded(Forwarded {
        ctrl: 0,
        node_id: &node,
        inner: &inner,
    });
    let big = encode(&fwd);
    assert_eq!(big.len(), MAX_DATAGRAM_LEN);
    assert_eq!(Message::decode(&big), Ok(fwd));
    assert_eq!(Message::decode_with(&big, &DEFAULTS), Ok(fwd));

    // one byte more can never be valid: refused before the header is read,
    // by `decode` and `decode_with` alike, and no rule of the spec is named
    let mut over = big.clone();
    over.push(0);
    let too_large = DecodeError::MessageTooLarge {
        size: MAX_DATAGRAM_LEN + 1,
        max: MAX_DATAGRAM_LEN,
    };
    assert_eq!(Message::decode(&over), Err(too_large));
    assert_eq!(Message::decode_with(&over, &DEFAULTS), Err(too_large));
    assert_eq!(too_large.rule(), None);
    let mut junk = vec![0u8; MAX_DATAGRAM_LEN + 1];
    assert_eq!(Message::decode(&junk), Err(too_large));
    junk.truncate(MAX_DATAGRAM_LEN);
    assert_eq!(
        Message::decode(&junk),
        Err(DecodeError::InvalidLength { value: 0 })
    );

    // a lower limit is checked first, on the fast path's datagrams too
    let small = DecodeOptions::new().max_message_size(9);
    let publish10 = hex("0a 0c 20 0001 000a 616263");
    assert_eq!(
        Message::decode_with(&publish10, &small),
        Err(DecodeError::MessageTooLarge { size: 10, max: 9 })
    );
    assert_eq!(
        Message::decode_with(&publish10[..9], &small),
        Message::decode(&publish10[..9])
    );
    assert!(Message::decode_with(&publish10, &small.max_message_size(10)).is_ok());
    let zero = DecodeOptions::new().max_message_size(0);
    assert_eq!(
        Message::decode_with(&[], &zero),
        Err(DecodeError::Truncated { needed: 2 })
    );
}
