//! The rules: Length boundaries, malformed and reserved values, the
//! decode limit, each rule's error and section; the encoder refuses what the
//! decoder rejects (case by case, then as a property); encoders that agree.

use mqtt_sn_codec::{
    msg_type, DecodeError, EncodeError, Flags, Forwarded, Message, QoS, ReturnCode, Topic,
    TopicFilter, TopicIdType, WillTopic,
};
use proptest::prelude::*;

#[path = "support/common.rs"]
mod common;
use common::*;

#[path = "support/unchecked.rs"]
mod unchecked;
use unchecked::{mirrors, unchecked};

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
