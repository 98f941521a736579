//! Hand-checked byte vectors for every packet type, MQTT 3.1.1 and 5.0.
//! Each decodes to the expected fields and re-encodes to the same bytes.
#![cfg(feature = "alloc")]

use mqtt_codec::wire::{
    Ack, FixedHeader, Packet, Properties, Property, ProtocolVersion, Publish, QoS, ReasonCode,
    RetainHandling,
};
use mqtt_codec::Decoded;

const V4: ProtocolVersion = ProtocolVersion::V3_1_1;
const V5: ProtocolVersion = ProtocolVersion::V5;

fn bytes(hex: &str) -> &'static [u8] {
    iotcodec_testkit::hex(hex).leak()
}

/// Decodes `b` completely, checks that it re-encodes identically, returns it.
fn packet(b: &[u8], v: ProtocolVersion) -> Packet<'_> {
    match Packet::decode(b, v) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(consumed, b.len());
            assert_eq!(item.to_vec(v).unwrap(), b, "{item:?}");
            assert_eq!(item.encoded_len(v), Ok(b.len()));
            item
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn v311_connect() {
    let b = bytes("10 14 0004 4d515454 04 c2 003c 0002 6331 0001 75 0001 70");
    let Packet::Connect(c) = packet(b, V4) else {
        panic!()
    };
    assert_eq!(c.protocol, V4);
    assert!(c.clean_start);
    assert_eq!((c.keep_alive, c.client_id), (60, "c1"));
    assert_eq!((c.username, c.password), (Some("u"), Some(&b"p"[..])));
    assert!(c.will.is_none());
    // the password is redacted
    let dbg = format!("{c:?}");
    assert!(dbg.contains("redacted") && !dbg.contains("[112]"), "{dbg}");
    // CONNECT carries its version: decoding with V5 gives the same
    assert_eq!(packet(b, V5), Packet::Connect(c));
}

#[test]
fn v31_connect_with_will() {
    let b = bytes("10 17 0006 4d5149736470 03 2e 000a 0001 78 0001 77 0003 627965");
    let Packet::Connect(c) = packet(b, V4) else {
        panic!()
    };
    assert_eq!(c.protocol, ProtocolVersion::V3_1);
    let w = c.will.unwrap();
    assert_eq!(
        (w.qos, w.retain, w.topic, w.payload),
        (QoS::AtLeastOnce, true, "w", &b"bye"[..])
    );
}

#[test]
fn v311_others() {
    let b = bytes("20 02 01 00");
    let Packet::Connack(c) = packet(b, V4) else {
        panic!()
    };
    assert!(c.session_present);
    assert_eq!(c.reason_code, ReasonCode::SUCCESS);

    let b = bytes("30 06 0003 612f62 78");
    let Packet::Publish(p) = packet(b, V4) else {
        panic!()
    };
    assert_eq!(
        (p.qos, p.packet_id, p.topic, p.payload),
        (QoS::AtMostOnce, None, "a/b", &b"x"[..])
    );

    let b = bytes("3d 05 0001 74 1234");
    let Packet::Publish(p) = packet(b, V4) else {
        panic!()
    };
    assert!(p.dup && p.retain);
    assert_eq!(
        (p.qos, p.packet_id, p.payload),
        (QoS::ExactlyOnce, Some(0x1234), &b""[..])
    );

    assert_eq!(packet(bytes("40 02 0001"), V4), Packet::Puback(Ack::new(1)));
    assert_eq!(packet(bytes("50 02 0002"), V4), Packet::Pubrec(Ack::new(2)));
    assert_eq!(packet(bytes("62 02 0003"), V4), Packet::Pubrel(Ack::new(3)));
    assert_eq!(
        packet(bytes("70 02 0004"), V4),
        Packet::Pubcomp(Ack::new(4))
    );

    let b = bytes("82 0c 000a 0003 612f2b 01 0001 23 00");
    let Packet::Subscribe(s) = packet(b, V4) else {
        panic!()
    };
    let subs: Vec<_> = s
        .subscriptions
        .iter()
        .map(|s| (s.filter, s.options.qos))
        .collect();
    assert_eq!(subs, [("a/+", QoS::AtLeastOnce), ("#", QoS::AtMostOnce)]);

    let b = bytes("90 04 000a 01 80");
    let Packet::Suback(s) = packet(b, V4) else {
        panic!()
    };
    assert_eq!((s.packet_id, s.reason_codes), (10, &[1, 0x80][..]));

    let b = bytes("a2 07 000b 0003 612f2b");
    let Packet::Unsubscribe(u) = packet(b, V4) else {
        panic!()
    };
    assert_eq!(u.filters.iter().collect::<Vec<_>>(), ["a/+"]);

    let Packet::Unsuback(u) = packet(bytes("b0 02 000b"), V4) else {
        panic!()
    };
    assert_eq!(u.packet_id, 11);
    assert_eq!(packet(bytes("c0 00"), V4), Packet::Pingreq);
    assert_eq!(packet(bytes("d0 00"), V4), Packet::Pingresp);
    assert!(matches!(packet(bytes("e0 00"), V4), Packet::Disconnect(_)));
}

#[test]
fn v5_connect_connack() {
    let b = bytes("10 16 0004 4d515454 05 02 003c 08 11 00000078 21 000a 0001 63");
    let Packet::Connect(c) = packet(b, V4) else {
        panic!()
    };
    assert_eq!(c.protocol, V5);
    let props: Vec<_> = c.properties.iter().collect();
    assert_eq!(
        props,
        [
            Property::SessionExpiryInterval(120),
            Property::ReceiveMaximum(10)
        ]
    );

    let b = bytes("20 06 00 00 03 22 000a");
    let Packet::Connack(c) = packet(b, V5) else {
        panic!()
    };
    assert_eq!(
        c.properties.get(0x22),
        Some(Property::TopicAliasMaximum(10))
    );
}

#[test]
fn v5_publish() {
    let b = bytes("32 12 0001 74 0005 0a 23 0001 26 0001 6b 0001 76 6869");
    let Packet::Publish(p) = packet(b, V5) else {
        panic!()
    };
    assert_eq!(
        (p.topic, p.packet_id, p.payload),
        ("t", Some(5), &b"hi"[..])
    );
    let props: Vec<_> = p.properties.iter().collect();
    assert_eq!(
        props,
        [Property::TopicAlias(1), Property::UserProperty("k", "v")]
    );

    // an empty topic name is fine with a Topic Alias
    let b = bytes("30 07 0000 03 23 0001 78");
    let Packet::Publish(p) = packet(b, V5) else {
        panic!()
    };
    assert_eq!(p.topic, "");
}

#[test]
fn v5_acks_short_forms() {
    assert_eq!(packet(bytes("40 02 0001"), V5), Packet::Puback(Ack::new(1)));
    let Packet::Puback(a) = packet(bytes("40 03 0001 10"), V5) else {
        panic!()
    };
    assert_eq!(a.reason_code, ReasonCode::NO_MATCHING_SUBSCRIBERS);
    let Packet::Puback(a) = packet(bytes("40 09 0001 87 05 1f 0002 6e6f"), V5) else {
        panic!()
    };
    assert_eq!(a.reason_code, ReasonCode::NOT_AUTHORIZED);
    assert_eq!(
        a.properties.iter().collect::<Vec<_>>(),
        [Property::ReasonString("no")]
    );
    let Packet::Pubrel(a) = packet(bytes("62 03 0001 92"), V5) else {
        panic!()
    };
    assert_eq!(a.reason_code, ReasonCode::PACKET_IDENTIFIER_NOT_FOUND);
    assert!(matches!(packet(bytes("50 02 0001"), V5), Packet::Pubrec(_)));
    assert!(matches!(
        packet(bytes("70 02 0001"), V5),
        Packet::Pubcomp(_)
    ));
}

#[test]
fn v5_subscribe_family() {
    let b = bytes("82 09 0001 02 0b 05 0001 61 1e");
    let Packet::Subscribe(s) = packet(b, V5) else {
        panic!()
    };
    assert_eq!(
        s.properties.iter().collect::<Vec<_>>(),
        [Property::SubscriptionIdentifier(5)]
    );
    let sub = s.subscriptions.iter().next().unwrap();
    assert_eq!(sub.filter, "a");
    assert_eq!(sub.options.qos, QoS::ExactlyOnce);
    assert!(sub.options.no_local && sub.options.retain_as_published);
    assert_eq!(sub.options.retain_handling, RetainHandling::SendIfNew);

    let Packet::Suback(s) = packet(bytes("90 05 0001 00 02 8f"), V5) else {
        panic!()
    };
    assert_eq!(s.reason_codes, [2, 0x8f]);
    let Packet::Unsubscribe(u) = packet(bytes("a2 06 0002 00 0001 61"), V5) else {
        panic!()
    };
    assert_eq!(u.filters.iter().collect::<Vec<_>>(), ["a"]);
    let Packet::Unsuback(u) = packet(bytes("b0 04 0002 00 11"), V5) else {
        panic!()
    };
    assert_eq!(u.reason_codes, [0x11]);
    assert_eq!(packet(bytes("c0 00"), V5), Packet::Pingreq);
    assert_eq!(packet(bytes("d0 00"), V5), Packet::Pingresp);
}

#[test]
fn v5_disconnect_auth() {
    let Packet::Disconnect(d) = packet(bytes("e0 00"), V5) else {
        panic!()
    };
    assert_eq!(d.reason_code, ReasonCode::NORMAL_DISCONNECTION);
    let Packet::Disconnect(d) = packet(bytes("e0 01 04"), V5) else {
        panic!()
    };
    assert_eq!(d.reason_code, ReasonCode::DISCONNECT_WITH_WILL_MESSAGE);
    let Packet::Disconnect(d) = packet(bytes("e0 07 8e 05 11 00000000"), V5) else {
        panic!()
    };
    assert_eq!(
        d.properties.get(0x11),
        Some(Property::SessionExpiryInterval(0))
    );
    let Packet::Auth(a) = packet(bytes("f0 00"), V5) else {
        panic!()
    };
    assert_eq!(a.reason_code, ReasonCode::SUCCESS);
    let Packet::Auth(a) = packet(bytes("f0 0c 18 0a 15 0003 616263 16 0001 ff"), V5) else {
        panic!()
    };
    assert_eq!(a.reason_code, ReasonCode::CONTINUE_AUTHENTICATION);
    let dbg = format!("{a:?}");
    assert!(dbg.contains("redacted") && !dbg.contains("255"), "{dbg}");
}

#[test]
fn encode_from_values() {
    let props = [
        Property::UserProperty("a", "b"),
        Property::UserProperty("a", "c"),
    ];
    let p = Packet::Disconnect(mqtt_codec::wire::Disconnect {
        reason_code: ReasonCode(0),
        properties: Properties::new(&props),
    });
    let b = p.to_vec(V5).unwrap();
    assert_eq!(
        b,
        bytes("e0 10 00 0e 26 0001 61 0001 62 26 0001 61 0001 63")
    );
    assert_eq!(packet(&b, V5), p);
}

/// CONNACK carrying every property a server may put there.
const CONNACK_ALL: &str = "20 48 00 00 45
    11 00000e10  12 0003 616263  13 003c  15 0004 74657374  16 0002 0102
    1a 0002 7269  1c 0002 7372  1f 0002 6f6b  21 0014  22 000a  24 01  25 00
    26 0001 6b 0001 76  27 00100000  28 01  29 00  2a 01";

/// Every one of the 27 MQTT 5 properties, hand-encoded in a packet that may
/// carry it (section 2.2.2.2 for the identifiers and types), decodes to its
/// typed value, in order, and re-encodes to the same bytes.
#[test]
fn v5_every_property() {
    // CONNACK: the 17 properties a server may send there
    let b = bytes(CONNACK_ALL);
    let Packet::Connack(c) = packet(b, V5) else {
        panic!()
    };
    assert_eq!(
        c.properties.iter().collect::<Vec<_>>(),
        [
            Property::SessionExpiryInterval(3600),
            Property::AssignedClientIdentifier("abc"),
            Property::ServerKeepAlive(60),
            Property::AuthenticationMethod("test"),
            Property::AuthenticationData(&[1, 2]),
            Property::ResponseInformation("ri"),
            Property::ServerReference("sr"),
            Property::ReasonString("ok"),
            Property::ReceiveMaximum(20),
            Property::TopicAliasMaximum(10),
            Property::MaximumQoS(1),
            Property::RetainAvailable(0),
            Property::UserProperty("k", "v"),
            Property::MaximumPacketSize(1_048_576),
            Property::WildcardSubscriptionAvailable(1),
            Property::SubscriptionIdentifierAvailable(0),
            Property::SharedSubscriptionAvailable(1),
        ]
    );

    // PUBLISH: the 7 message properties
    let b = bytes(
        "30 29 0001 74 24
         01 01  02 0000003c  03 000a 746578742f706c61696e  08 0003 722f74
         09 0002 cafe  0b 05  23 0007
         78",
    );
    let Packet::Publish(p) = packet(b, V5) else {
        panic!()
    };
    assert_eq!(
        p.properties.iter().collect::<Vec<_>>(),
        [
            Property::PayloadFormatIndicator(1),
            Property::MessageExpiryInterval(60),
            Property::ContentType("text/plain"),
            Property::ResponseTopic("r/t"),
            Property::CorrelationData(&[0xca, 0xfe]),
            Property::SubscriptionIdentifier(5),
            Property::TopicAlias(7),
        ]
    );
    assert_eq!(p.payload, b"x");

    // CONNECT: the two request flags, and Will Delay Interval in the will
    let b = bytes(
        "10 1e 0004 4d515454 05 06 003c
         04 17 01 19 01
         0001 63
         05 18 0000000a
         0001 77 0001 62",
    );
    let Packet::Connect(c) = packet(b, V5) else {
        panic!()
    };
    assert_eq!(
        c.properties.iter().collect::<Vec<_>>(),
        [
            Property::RequestProblemInformation(1),
            Property::RequestResponseInformation(1),
        ]
    );
    let w = c.will.unwrap();
    assert_eq!(
        w.properties.iter().collect::<Vec<_>>(),
        [Property::WillDelayInterval(10)]
    );
    assert_eq!((w.topic, w.payload), ("w", &b"b"[..]));

    // the same list built from values encodes to the same bytes
    let b = bytes(CONNACK_ALL);
    let Packet::Connack(c) = packet(b, V5) else {
        panic!()
    };
    let values: Vec<Property<'_>> = c.properties.iter().collect();
    let built = Packet::Connack(mqtt_codec::wire::Connack {
        properties: Properties::new(&values),
        ..c
    });
    assert_eq!(built.to_vec(V5).unwrap(), b);
}

/// The byte examples printed in the specifications.
#[test]
fn spec_examples() {
    // 1.5.4: "A" followed by U+2A6D4 is 00 05 41 F0 AA 9B 94
    let Packet::Publish(p) = packet(bytes("30 07 0005 41 f0aa9b94"), V4) else {
        panic!()
    };
    assert_eq!(p.topic, "A\u{2A6D4}");

    // 1.5.5: the first and last value of each Variable Byte Integer size
    for (value, hex) in [
        (0u32, "00"),
        (127, "7f"),
        (128, "80 01"),
        (16_383, "ff 7f"),
        (16_384, "80 80 01"),
        (2_097_151, "ff ff 7f"),
        (2_097_152, "80 80 80 01"),
        (268_435_455, "ff ff ff 7f"),
    ] {
        let vbi = bytes(hex);
        let mut header = vec![0x30];
        header.extend_from_slice(vbi);
        let Ok(Decoded::Complete { item, consumed }) = FixedHeader::decode(&header) else {
            panic!("{hex}")
        };
        assert_eq!((item.remaining_length, consumed), (value, header.len()));
        // a PUBLISH of that remaining length is written with those bytes
        // (up to 2 MiB here)
        if (3..=2_097_152).contains(&value) {
            let payload = vec![0u8; value as usize - 3];
            let p = Packet::Publish(Publish {
                dup: false,
                qos: QoS::AtMostOnce,
                retain: false,
                topic: "t",
                packet_id: None,
                properties: Properties::empty(),
                payload: &payload,
            });
            let out = p.to_vec(V4).unwrap();
            assert_eq!(&out[1..1 + vbi.len()], vbi, "{value}");
        }
    }

    // the CONNECT variable header example (3.1.1 and 5.0): flags 0xCE (user
    // name, password, will QoS 1, will, clean), keep alive 10, and in 5.0
    // Session Expiry Interval 10; payload: client id, will topic and
    // message, user name, password
    let Packet::Connect(c) = packet(
        bytes("10 19 0004 4d515454 04 ce 000a 0001 63 0001 77 0001 6d 0001 75 0001 70"),
        V4,
    ) else {
        panic!()
    };
    let w = c.will.unwrap();
    assert_eq!(
        (c.protocol, c.keep_alive, c.clean_start, w.qos, w.retain),
        (V4, 10, true, QoS::AtLeastOnce, false)
    );
    assert_eq!((c.username, c.password), (Some("u"), Some(&b"p"[..])));
    let Packet::Connect(c) = packet(
        bytes(
            "10 20 0004 4d515454 05 ce 000a 05 11 0000000a
             0001 63 00 0001 77 0001 6d 0001 75 0001 70",
        ),
        V5,
    ) else {
        panic!()
    };
    assert_eq!(c.protocol, V5);
    assert_eq!(
        c.properties.iter().collect::<Vec<_>>(),
        [Property::SessionExpiryInterval(10)]
    );
}
