//! Unit tests of the packet codec: encode errors, the encoder refusing what
//! the decoder rejects, the optional decode policies, redaction.

use super::*;

use alloc::{format, vec};

use crate::error::EncodeError;

fn publish<'a>(topic: &'a str, payload: &'a [u8]) -> Packet<'a> {
    Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtMostOnce,
        retain: false,
        topic,
        packet_id: None,
        properties: Properties::empty(),
        payload,
    })
}

/// An MQTT 5 CONNECT whose will carries `properties` and `payload`.
fn connect_with_will<'a>(properties: &'a [Property<'a>], payload: &'a [u8]) -> Packet<'a> {
    Packet::Connect(Connect {
        protocol: ProtocolVersion::V5,
        clean_start: true,
        keep_alive: 0,
        properties: Properties::empty(),
        client_id: "c",
        will: Some(Will {
            qos: QoS::AtMostOnce,
            retain: false,
            properties: Properties::new(properties),
            topic: "w",
            payload,
        }),
        username: None,
        password: None,
    })
}

#[test]
fn encode_errors_never_wrap() {
    let long = "a".repeat(65_536);
    assert_eq!(
        publish(&long, b"").encoded_len(ProtocolVersion::V3_1_1),
        Err(EncodeError::FieldTooLong(65_536))
    );
    let ok = "a".repeat(65_535);
    assert_eq!(
        publish(&ok, b"").encoded_len(ProtocolVersion::V3_1_1),
        Ok(1 + 3 + 65_537)
    );
    let huge = vec![0u8; MAX_VBI as usize];
    assert_eq!(
        publish("t", &huge).encoded_len(ProtocolVersion::V3_1_1),
        Err(EncodeError::PacketTooLarge(MAX_VBI as usize + 3))
    );
    let mut small = [0u8; 3];
    assert_eq!(
        publish("t", b"x").encode_to_slice(ProtocolVersion::V5, &mut small),
        Err(EncodeError::BufferTooSmall { required: 7 })
    );
    assert_eq!(
        publish("a/+", b"").encoded_len(ProtocolVersion::V5),
        Err(EncodeError::Topic(crate::topic::TopicError::WildcardInName))
    );
    let props = [Property::TopicAlias(0)];
    let mut p = publish("t", b"");
    if let Packet::Publish(x) = &mut p {
        x.properties = Properties::new(&props);
    }
    assert_eq!(
        p.encoded_len(ProtocolVersion::V5),
        Err(EncodeError::InvalidPropertyValue(0x23))
    );
    assert_eq!(
        p.encoded_len(ProtocolVersion::V3_1_1),
        Err(EncodeError::NotInVersion("properties"))
    );
    let props = [Property::ReceiveMaximum(5)];
    if let Packet::Publish(x) = &mut p {
        x.properties = Properties::new(&props);
    }
    assert_eq!(
        p.encoded_len(ProtocolVersion::V5),
        Err(EncodeError::PropertyNotAllowed(0x21))
    );
    let props = [Property::ContentType("a"), Property::ContentType("b")];
    if let Packet::Publish(x) = &mut p {
        x.properties = Properties::new(&props);
    }
    assert_eq!(
        p.encoded_len(ProtocolVersion::V5),
        Err(EncodeError::DuplicateProperty(0x03))
    );
    let qos1_without_id = Packet::Publish(Publish {
        qos: QoS::AtLeastOnce,
        ..match publish("t", b"") {
            Packet::Publish(x) => x,
            _ => unreachable!(),
        }
    });
    assert_eq!(
        qos1_without_id.encoded_len(ProtocolVersion::V5),
        Err(EncodeError::InvalidPacketId)
    );
    assert_eq!(
        Packet::Auth(Disconnect::default()).encoded_len(ProtocolVersion::V3_1_1),
        Err(EncodeError::NotInVersion("AUTH"))
    );
}

#[test]
fn encoder_refuses_what_the_decoder_rejects() {
    let v4 = ProtocolVersion::V3_1_1;
    let v5 = ProtocolVersion::V5;
    // [MQTT-3.3.1-2] DUP on QoS 0
    let Packet::Publish(p) = publish("t", b"") else {
        unreachable!()
    };
    let dup = Packet::Publish(Publish { dup: true, ..p });
    assert_eq!(
        dup.encoded_len(v5),
        Err(EncodeError::Invalid("DUP with QoS 0"))
    );
    // [MQTT-2.2.1-2] no packet identifier at QoS 0
    let with_id = Packet::Publish(Publish {
        packet_id: Some(1),
        ..p
    });
    assert_eq!(with_id.encoded_len(v5), Err(EncodeError::InvalidPacketId));
    // [MQTT-2.2.1-3] non-zero packet identifiers
    assert_eq!(
        Packet::Puback(Ack::new(0)).encoded_len(v4),
        Err(EncodeError::InvalidPacketId)
    );
    // [MQTT-1.5.4-2] no U+0000
    assert_eq!(
        publish("a\0", b"").encoded_len(v4),
        Err(EncodeError::Topic(crate::topic::TopicError::Nul))
    );
    // [MQTT-3.3.2-14] a Response Topic is a topic name: no wildcards,
    // not empty; in a PUBLISH and in the will properties
    for (topic, err) in [
        ("a/+", crate::topic::TopicError::WildcardInName),
        ("#", crate::topic::TopicError::WildcardInName),
        ("", crate::topic::TopicError::Empty),
    ] {
        let props = [Property::ResponseTopic(topic)];
        let request = Packet::Publish(Publish {
            properties: Properties::new(&props),
            ..p
        });
        assert_eq!(
            request.encoded_len(v5),
            Err(EncodeError::InvalidResponseTopic(err)),
            "{topic:?}"
        );
        let will = connect_with_will(&props, b"");
        assert_eq!(
            will.encoded_len(v5),
            Err(EncodeError::InvalidResponseTopic(err)),
            "{topic:?}"
        );
    }
    let props = [Property::ResponseTopic("$SYS/r/é")];
    let request = Packet::Publish(Publish {
        properties: Properties::new(&props),
        ..p
    });
    assert!(request.encoded_len(v5).is_ok());
    let sub = |filter, options| {
        let subs = vec![Subscription { filter, options }];
        let subs: &'static [Subscription<'static>] = subs.leak();
        Packet::Subscribe(Subscribe {
            packet_id: 1,
            properties: Properties::empty(),
            subscriptions: List::new(subs),
        })
    };
    let mut no_local = SubscriptionOptions::qos(QoS::AtMostOnce);
    no_local.no_local = true;
    // [MQTT-3.8.3-4] No Local on a shared subscription
    assert_eq!(
        sub("$share/g/a", no_local).encoded_len(v5),
        Err(EncodeError::Invalid("No Local on a shared subscription"))
    );
    assert!(sub("a", no_local).encoded_len(v5).is_ok());
    // MQTT 5 subscription options cannot be sent in 3.1.1
    assert_eq!(
        sub("a", no_local).encoded_len(v4),
        Err(EncodeError::NotInVersion("subscription options"))
    );
    // [MQTT-4.7.1-1] '#' last
    assert_eq!(
        sub("a/#/b", SubscriptionOptions::qos(QoS::AtMostOnce)).encoded_len(v4),
        Err(EncodeError::Topic(
            crate::topic::TopicError::InvalidMultiLevel
        ))
    );
    // [MQTT-3.8.3-2] / [MQTT-3.10.3-2] at least one filter
    let empty_sub = Packet::Subscribe(Subscribe {
        packet_id: 1,
        properties: Properties::empty(),
        subscriptions: List::empty(),
    });
    assert_eq!(
        empty_sub.encoded_len(v4),
        Err(EncodeError::Invalid("SUBSCRIBE without subscriptions"))
    );
    let empty_unsub = Packet::Unsubscribe(Unsubscribe {
        packet_id: 1,
        properties: Properties::empty(),
        filters: List::empty(),
    });
    assert_eq!(
        empty_unsub.encoded_len(v4),
        Err(EncodeError::Invalid("UNSUBSCRIBE without filters"))
    );
    // [MQTT-3.9.3-2] 3.1.1 SUBACK return codes
    let suback = Packet::Suback(Suback {
        packet_id: 1,
        properties: Properties::empty(),
        reason_codes: &[0x8f],
    });
    assert_eq!(
        suback.encoded_len(v4),
        Err(EncodeError::NotInVersion("SUBACK reason code"))
    );
    assert!(suback.encoded_len(v5).is_ok());
    // [MQTT-3.1.2-22] 3.1.1: password needs a user name
    let connect = |protocol| {
        Packet::Connect(Connect {
            protocol,
            clean_start: true,
            keep_alive: 0,
            properties: Properties::empty(),
            client_id: "c",
            will: None,
            username: None,
            password: Some(b"p"),
        })
    };
    assert_eq!(
        connect(v4).encoded_len(v4),
        Err(EncodeError::Invalid("password without user name"))
    );
    assert!(connect(v5).encoded_len(v5).is_ok());
    // reason codes and properties need MQTT 5
    let nack = Packet::Puback(Ack {
        reason_code: ReasonCode::NOT_AUTHORIZED,
        ..Ack::new(1)
    });
    assert_eq!(
        nack.encoded_len(v4),
        Err(EncodeError::NotInVersion("reason code"))
    );
}

/// Every encoder refusal that has a normative statement names it, the same
/// id the decoder gives for the same fault.
#[test]
fn encode_errors_name_their_rule() {
    let (v4, v5) = (ProtocolVersion::V3_1_1, ProtocolVersion::V5);
    let rule = |p: Packet<'_>, v| p.encoded_len(v).unwrap_err().rule();
    let Packet::Publish(p) = publish("t", b"") else {
        unreachable!()
    };
    assert_eq!(
        rule(Packet::Publish(Publish { dup: true, ..p }), v5),
        DecodeError::DupWithQoS0.rule()
    );
    assert_eq!(
        rule(publish("a/+", b""), v5),
        DecodeError::Topic(crate::topic::TopicError::WildcardInName).rule()
    );
    let props = [Property::ResponseTopic("#")];
    let request = Packet::Publish(Publish {
        properties: Properties::new(&props),
        ..p
    });
    assert_eq!(rule(request, v5), Some("MQTT-3.3.2-14"));
    let mut no_local = SubscriptionOptions::qos(QoS::AtMostOnce);
    no_local.no_local = true;
    let shared = [Subscription {
        filter: "$share/g/a",
        options: no_local,
    }];
    let subscribe = |subscriptions| {
        Packet::Subscribe(Subscribe {
            packet_id: 1,
            properties: Properties::empty(),
            subscriptions,
        })
    };
    assert_eq!(
        rule(subscribe(List::new(&shared)), v5),
        DecodeError::NoLocalOnShared.rule()
    );
    assert_eq!(
        rule(subscribe(List::empty()), v4),
        DecodeError::EmptySubscribe.rule()
    );
    let unsubscribe = Packet::Unsubscribe(Unsubscribe {
        packet_id: 1,
        properties: Properties::empty(),
        filters: List::empty(),
    });
    assert_eq!(rule(unsubscribe, v4), DecodeError::EmptyUnsubscribe.rule());
    let password_only = Packet::Connect(Connect {
        protocol: v4,
        clean_start: true,
        keep_alive: 0,
        properties: Properties::empty(),
        client_id: "c",
        will: None,
        username: None,
        password: Some(b"p"),
    });
    assert_eq!(
        rule(password_only, v4),
        DecodeError::PasswordWithoutUsername.rule()
    );
    assert_eq!(EncodeError::NulInString.rule(), Some("MQTT-1.5.4-2"));
    // no single statement, or none at all
    assert_eq!(rule(Packet::Puback(Ack::new(0)), v4), None);
    assert_eq!(EncodeError::BufferTooSmall { required: 2 }.rule(), None);
    assert_eq!(EncodeError::NotInVersion("AUTH").rule(), None);
    assert_eq!(
        EncodeError::Invalid("malformed property bytes").rule(),
        None
    );
}

#[test]
fn encode_into_bufmut() {
    let mut out = bytes::BytesMut::new();
    assert_eq!(
        publish("t", b"x").encode(ProtocolVersion::V5, &mut out),
        Ok(7)
    );
    assert_eq!(Packet::Pingreq.encode(ProtocolVersion::V5, &mut out), Ok(2));
    assert_eq!(&out[..], &[0x30, 5, 0, 1, b't', 0, b'x', 0xc0, 0]);
    let mut fixed = [0u8; 1];
    let mut slice = &mut fixed[..];
    assert_eq!(
        Packet::Pingreq.encode(ProtocolVersion::V5, &mut slice),
        Err(EncodeError::BufferTooSmall { required: 2 })
    );
}

#[test]
fn strict_string_policy() {
    let b = [0x30, 0x04, 0x00, 0x02, b'a', 0x07];
    let v = ProtocolVersion::V3_1_1;
    assert!(Packet::decode(&b, v).is_ok());
    let strict = DecodeOptions::new()
        .max_packet_size(99)
        .strict_strings(true);
    assert_eq!(
        Packet::decode_with(&b, v, &strict),
        Err(DecodeError::DiscouragedCharacter)
    );
    let nonchar = [0x30, 0x05, 0x00, 0x03, 0xef, 0xbf, 0xbf];
    assert_eq!(
        Packet::decode_with(&nonchar, v, &strict),
        Err(DecodeError::DiscouragedCharacter)
    );
    let fine = [0x30, 0x05, 0x00, 0x03, 0xe2, 0x82, 0xac];
    assert!(Packet::decode_with(&fine, v, &strict).is_ok());
}

#[test]
fn strict_reason_code_policy() {
    let v5 = ProtocolVersion::V5;
    let lenient = DecodeOptions::new().max_packet_size(99);
    let strict = DecodeOptions::new()
        .max_packet_size(99)
        .strict_reason_codes(true);
    // one packet per type with the code in its place
    type Make = fn(u8) -> vec::Vec<u8>;
    let packets: [(u8, Make); 9] = [
        (2, |c| vec![0x20, 0x03, 0x00, c, 0x00]),
        (4, |c| vec![0x40, 0x03, 0x00, 0x01, c]),
        (5, |c| vec![0x50, 0x03, 0x00, 0x01, c]),
        (6, |c| vec![0x62, 0x03, 0x00, 0x01, c]),
        (7, |c| vec![0x70, 0x03, 0x00, 0x01, c]),
        (9, |c| vec![0x90, 0x05, 0x00, 0x01, 0x00, 0x00, c]),
        (11, |c| vec![0xb0, 0x05, 0x00, 0x01, 0x00, 0x00, c]),
        (14, |c| vec![0xe0, 0x02, c, 0x00]),
        (15, |c| vec![0xf0, 0x02, c, 0x00]),
    ];
    for (packet_type, make) in packets {
        let mut defined = 0;
        for code in 0..=255u8 {
            let b = make(code);
            assert!(Packet::decode_with(&b, v5, &lenient).is_ok(), "{b:02x?}");
            let got = Packet::decode_with(&b, v5, &strict);
            if ReasonCode(code).is_defined_for(packet_type) {
                defined += 1;
                assert!(got.is_ok(), "{b:02x?}: {got:?}");
            } else {
                let err = DecodeError::UndefinedReasonCode { packet_type, code };
                assert_eq!(got, Err(err), "{b:02x?}");
                let rule = err.rule().unwrap();
                assert!(format!("{err}").contains(rule), "{err}");
            }
        }
        // the number of codes each packet's table lists
        let want = match packet_type {
            2 => 22,
            4 | 5 => 9,
            6 | 7 => 2,
            9 => 12,
            11 => 7,
            14 => 30,
            _ => 3,
        };
        assert_eq!(defined, want, "packet type {packet_type}");
    }
    // spot checks against Table 2-6
    assert!(ReasonCode::NO_MATCHING_SUBSCRIBERS.is_defined_for(4));
    assert!(!ReasonCode::NO_MATCHING_SUBSCRIBERS.is_defined_for(6));
    assert!(ReasonCode::SESSION_TAKEN_OVER.is_defined_for(14));
    assert!(!ReasonCode::SESSION_TAKEN_OVER.is_defined_for(2));
    assert!(ReasonCode::BANNED.is_defined_for(2));
    assert!(!ReasonCode::BANNED.is_defined_for(14));
    assert!(ReasonCode::RE_AUTHENTICATE.is_defined_for(15));
    assert!(!ReasonCode::SUCCESS.is_defined_for(3));
    // 3.x CONNACK return codes: 0 to 5 defined, the rest reserved
    for v in [ProtocolVersion::V3_1, ProtocolVersion::V3_1_1] {
        for code in 0..=255u8 {
            let b = [0x20, 0x02, 0x00, code];
            assert!(Packet::decode_with(&b, v, &lenient).is_ok());
            let got = Packet::decode_with(&b, v, &strict);
            if code <= 5 {
                assert!(got.is_ok(), "{code}");
            } else {
                assert_eq!(got, Err(DecodeError::ReservedReturnCode(code)));
            }
        }
    }
}

#[test]
fn payload_format_check() {
    let v5 = ProtocolVersion::V5;
    let check = DecodeOptions::new()
        .max_packet_size(999)
        .check_payload_format(true);
    let lenient = DecodeOptions::new().max_packet_size(999);
    let utf8 = [Property::PayloadFormatIndicator(1)];
    let bytes = [Property::PayloadFormatIndicator(0)];
    let cases: [(&[Property<'_>], &[u8], bool); 6] = [
        (&utf8, "héllo".as_bytes(), true),
        (&utf8, b"", true),
        (&utf8, b"\xff", false),
        (&utf8, b"\xed\xa0\x80", false),
        (&bytes, b"\xff", true),
        (&[], b"\xff", true),
    ];
    for (props, payload, ok) in cases {
        let Packet::Publish(plain) = publish("t", payload) else {
            unreachable!()
        };
        let request = Packet::Publish(Publish {
            properties: Properties::new(props),
            ..plain
        });
        for p in [request, connect_with_will(props, payload)] {
            let b = p.to_vec(v5).unwrap();
            assert!(Packet::decode_with(&b, v5, &lenient).is_ok());
            let got = Packet::decode_with(&b, v5, &check);
            if ok {
                assert!(got.is_ok(), "{p:?}: {got:?}");
            } else {
                assert_eq!(got, Err(DecodeError::PayloadFormatInvalid), "{p:?}");
            }
        }
    }
}

#[test]
fn debug_redacts_secrets() {
    let props = [Property::AuthenticationData(b"s3cret")];
    let a = Packet::Auth(Disconnect {
        reason_code: ReasonCode::CONTINUE_AUTHENTICATION,
        properties: Properties::new(&props),
    });
    let dbg = format!("{a:?}");
    assert!(dbg.contains("redacted") && !dbg.contains("115"), "{dbg}");
}
