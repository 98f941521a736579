//! Malformed packets, each tagged with the normative statement it breaks
//! (MQTT 5.0 numbering; `-` where the specification gives no id).
#![cfg(feature = "alloc")]

use iotcodec_testkit::hex as bytes;
use mqtt_codec::topic::TopicError;
use mqtt_codec::wire::{DecodeOptions, Packet, ProtocolVersion, MAX_PACKET_SIZE};
use mqtt_codec::{DecodeError, Decoded};

const V4: ProtocolVersion = ProtocolVersion::V3_1_1;
const V5: ProtocolVersion = ProtocolVersion::V5;

#[rustfmt::skip]
const CASES: &[(&str, &str, ProtocolVersion, DecodeError)] = &[
    // rule, bytes, version, error
    ("MQTT-1.5.5-1", "c0 80 00", V4, DecodeError::MalformedVarInt),
    ("MQTT-1.5.5-1", "c0 ff ff ff ff 01", V4, DecodeError::MalformedVarInt),
    ("MQTT-1.5.5-1", "c0 80 80 80 00", V5, DecodeError::MalformedVarInt),
    ("-", "c0 01 00", V4, DecodeError::TrailingBytes(1)),
    ("-", "e0 01 00", V4, DecodeError::TrailingBytes(1)),
    ("MQTT-2.1.3-1", "80 06 0001 0001 61 00", V4, DecodeError::ReservedFlags { packet_type: 8, flags: 0 }),
    ("MQTT-2.1.3-1", "60 02 0001", V4, DecodeError::ReservedFlags { packet_type: 6, flags: 0 }),
    ("MQTT-2.1.3-1", "c1 00", V4, DecodeError::ReservedFlags { packet_type: 12, flags: 1 }),
    ("MQTT-3.3.1-4", "36 05 0001 61 0001", V4, DecodeError::InvalidQoS),
    ("MQTT-3.3.1-2", "38 03 0001 61", V4, DecodeError::DupWithQoS0),
    ("MQTT-2.2.1-3", "32 05 0001 61 0000", V4, DecodeError::ZeroPacketId),
    ("MQTT-2.2.1-3", "40 02 0000", V4, DecodeError::ZeroPacketId),
    ("MQTT-2.2.1-3", "82 06 0000 0001 61 00", V4, DecodeError::ZeroPacketId),
    ("MQTT-1.5.4-2", "30 05 0003 61 00 62", V4, DecodeError::NulInString),
    ("MQTT-1.5.4-1", "30 04 0002 c3 28", V4, DecodeError::InvalidUtf8),
    ("MQTT-1.5.4-1", "30 05 0003 ed a0 80", V4, DecodeError::InvalidUtf8),
    ("MQTT-3.3.2-2", "30 05 0003 61 2f 2b", V4, DecodeError::Topic(TopicError::WildcardInName)),
    ("MQTT-3.3.2-2", "30 04 0001 23 00", V5, DecodeError::Topic(TopicError::WildcardInName)),
    ("MQTT-4.7.3-1", "30 02 0000", V4, DecodeError::Topic(TopicError::Empty)),
    ("MQTT-4.7.3-1", "30 03 0000 00", V5, DecodeError::Topic(TopicError::Empty)),
    ("MQTT-3.3.2-14", "30 0a 0001 61 06 08 0003 612f2b", V5, DecodeError::InvalidResponseTopic(TopicError::WildcardInName)),
    ("MQTT-3.3.2-14", "30 08 0001 61 04 08 0001 23", V5, DecodeError::InvalidResponseTopic(TopicError::WildcardInName)),
    ("MQTT-4.7.3-1", "30 07 0001 61 03 08 0000", V5, DecodeError::InvalidResponseTopic(TopicError::Empty)),
    ("MQTT-3.3.2-14", "10 1a 0004 4d515454 05 06 003c 00 0001 63 06 08 0003 612f23 0001 77 0000", V5, DecodeError::InvalidResponseTopic(TopicError::WildcardInName)),
    ("MQTT-4.7.1-1", "82 07 0001 0002 2361 00", V4, DecodeError::Topic(TopicError::InvalidMultiLevel)),
    ("MQTT-4.7.1-1", "82 08 0001 0003 232f61 00", V4, DecodeError::Topic(TopicError::InvalidMultiLevel)),
    ("MQTT-4.7.1-2", "82 07 0001 0002 612b 00", V4, DecodeError::Topic(TopicError::InvalidSingleLevel)),
    ("MQTT-4.7.1-2", "a2 06 0001 0002 2b61", V4, DecodeError::Topic(TopicError::InvalidSingleLevel)),
    ("MQTT-4.8.2-1", "82 0e 0001 00 0008 247368617265 2f 61 00", V5, DecodeError::Topic(TopicError::InvalidShare)),
    ("MQTT-3.8.3-4", "82 10 0001 00 000a 247368617265 2f 67 2f 61 04", V5, DecodeError::NoLocalOnShared),
    ("MQTT-3.8.3-2", "82 02 0001", V4, DecodeError::EmptySubscribe),
    ("MQTT-3.8.3-2", "82 03 0001 00", V5, DecodeError::EmptySubscribe),
    ("MQTT-3.10.3-2", "a2 02 0001", V4, DecodeError::EmptyUnsubscribe),
    ("MQTT-3.8.3-5", "82 06 0001 0001 61 04", V4, DecodeError::ReservedSubscriptionOptions(4)),
    ("MQTT-3.8.3-5", "82 06 0001 0001 61 03", V4, DecodeError::ReservedSubscriptionOptions(3)),
    ("MQTT-3.8.3-5", "82 07 0001 00 0001 61 c0", V5, DecodeError::ReservedSubscriptionOptions(0xc0)),
    ("-", "82 07 0001 00 0001 61 30", V5, DecodeError::InvalidRetainHandling),
    ("MQTT-3.1.2-3", "10 0d 0004 4d515454 04 03 003c 0001 63", V4, DecodeError::ConnectReservedFlag),
    ("MQTT-3.1.2-11", "10 0d 0004 4d515454 04 0a 003c 0001 63", V4, DecodeError::WillQoSWithoutWill),
    ("MQTT-3.1.2-12", "10 0d 0004 4d515454 04 1e 003c 0001 63", V4, DecodeError::InvalidWillQoS),
    ("MQTT-3.1.2-13", "10 0d 0004 4d515454 04 22 003c 0001 63", V4, DecodeError::WillRetainWithoutWill),
    ("MQTT-3.1.2-22", "10 10 0004 4d515454 04 42 003c 0001 63 0001 70", V4, DecodeError::PasswordWithoutUsername),
    ("MQTT-3.1.2-1", "10 0d 0004 4d515458 04 02 003c 0001 63", V4, DecodeError::InvalidProtocolName),
    ("MQTT-3.1.2-2", "10 0d 0004 4d515454 03 02 003c 0001 63", V4, DecodeError::UnsupportedProtocolLevel(3)),
    ("MQTT-3.1.2-2", "10 0f 0006 4d5149736470 04 02 003c 0001 63", V4, DecodeError::UnsupportedProtocolLevel(4)),
    ("MQTT-3.2.2-1", "20 02 02 00", V4, DecodeError::ConnackReservedFlags),
    ("MQTT-3.9.3-2", "90 03 0001 03", V4, DecodeError::InvalidSubackCode(3)),
    // v5 properties
    ("-", "30 0a 0001 61 06 23 0001 23 0002", V5, DecodeError::DuplicateProperty(0x23)),
    ("-", "30 08 0001 61 04 21 0001 00", V5, DecodeError::PropertyNotAllowed(0x21)),
    ("-", "30 07 0001 61 03 23 0000", V5, DecodeError::InvalidPropertyValue(0x23)),
    ("-", "30 06 0001 61 02 01 02", V5, DecodeError::InvalidPropertyValue(0x01)),
    ("-", "20 05 00 00 02 24 02", V5, DecodeError::InvalidPropertyValue(0x24)),
    ("-", "20 06 00 00 03 21 0000", V5, DecodeError::InvalidPropertyValue(0x21)),
    ("-", "82 08 0001 01 0b 0001 61 00", V5, DecodeError::PropertyOverrun),
    ("-", "82 09 0001 02 0b 00 0001 61 00", V5, DecodeError::InvalidPropertyValue(0x0b)),
    ("MQTT-1.5.5-1", "82 0a 0001 03 0b 8100 0001 61 00", V5, DecodeError::MalformedVarInt),
    ("-", "30 05 0001 61 09 23", V5, DecodeError::Truncated("properties")),
    ("-", "30 06 0001 61 02 05 00", V5, DecodeError::UnknownProperty(0x05)),
    ("-", "30 09 0001 61 05 18 00000001", V5, DecodeError::PropertyNotAllowed(0x18)),
    ("-", "40 05 0001 00 01 1f", V5, DecodeError::PropertyOverrun),
    ("-", "e0 04 00 02 21 00", V5, DecodeError::PropertyOverrun),
    ("-", "82 0a 0001 04 0b 01 0b 02 0001 61 00", V5, DecodeError::DuplicateProperty(0x0b)),
    ("-", "f0 02 00 00", V4, DecodeError::InvalidPacketType(15)),
    ("-", "00 00", V5, DecodeError::InvalidPacketType(0)),
    ("-", "30 01 00", V4, DecodeError::Truncated("topic name")),
    ("-", "32 04 0001 61 00", V4, DecodeError::Truncated("packet identifier")),
    ("-", "b0 03 0001 00", V4, DecodeError::TrailingBytes(1)),
    // every kind of string field gets the string rules
    ("MQTT-1.5.4-1", "30 04 0002 c0 80", V4, DecodeError::InvalidUtf8),
    ("MQTT-1.5.4-2", "10 0d 0004 4d515454 04 02 003c 0001 00", V4, DecodeError::NulInString),
    ("MQTT-1.5.4-1", "82 07 0001 0002 c328 00", V4, DecodeError::InvalidUtf8),
    ("MQTT-1.5.4-2", "a2 05 0001 0001 00", V4, DecodeError::NulInString),
    ("MQTT-1.5.4-2", "30 08 0001 61 04 03 0001 00", V5, DecodeError::NulInString),
    ("MQTT-1.5.4-1", "30 0a 0001 61 06 26 0001 ff 0000", V5, DecodeError::InvalidUtf8),
    ("MQTT-3.3.2-2", "10 14 0004 4d515454 04 06 003c 0001 63 0003 612f2b 0000", V4, DecodeError::Topic(TopicError::WildcardInName)),
    ("MQTT-4.7.3-1", "10 11 0004 4d515454 04 06 003c 0001 63 0000 0000", V4, DecodeError::Topic(TopicError::Empty)),
    // reserved flags of the other types
    ("MQTT-2.1.3-1", "a0 05 0001 0001 61", V4, DecodeError::ReservedFlags { packet_type: 10, flags: 0 }),
    ("MQTT-2.1.3-1", "42 02 0001", V4, DecodeError::ReservedFlags { packet_type: 4, flags: 2 }),
    ("MQTT-2.1.3-1", "e8 00", V5, DecodeError::ReservedFlags { packet_type: 14, flags: 8 }),
    // more value ranges
    ("-", "20 08 00 00 05 27 00000000", V5, DecodeError::InvalidPropertyValue(0x27)),
    ("-", "10 10 0004 4d515454 05 02 003c 02 17 02 0001 63", V5, DecodeError::InvalidPropertyValue(0x17)),
    ("-", "20 05 00 00 02 25 02", V5, DecodeError::InvalidPropertyValue(0x25)),
    // a property allowed elsewhere: Will Delay Interval outside the will
    ("-", "10 13 0004 4d515454 05 02 003c 05 18 00000001 0001 63", V5, DecodeError::PropertyNotAllowed(0x18)),
];

#[test]
fn malformed_cases() {
    let mut bad = Vec::new();
    for &(rule, hex, v, ref want) in CASES {
        let b = bytes(hex);
        let got = Packet::decode(&b, v);
        if got.as_ref().err() != Some(want) {
            bad.push(format!("{rule} {hex}: {got:?}"));
        }
        let expected_rule = (rule != "-").then_some(rule);
        assert_eq!(want.rule(), expected_rule, "{hex}");
        if let Some(r) = expected_rule {
            assert!(want.to_string().contains(r), "{want}");
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn size_limit_checked_first() {
    // a 5-byte header claiming 256 MiB
    let b = bytes("30 ff ff ff 7f");
    let max = |n| DecodeOptions::new().max_packet_size(n);
    assert_eq!(
        Packet::decode_with(&b, V4, &max(1 << 20)),
        Err(DecodeError::PacketTooLarge {
            size: 268_435_460,
            max: 1 << 20
        })
    );
    // under the limit it is just incomplete; the default limit is the
    // largest packet MQTT can carry
    assert_eq!(MAX_PACKET_SIZE, 268_435_460);
    assert_eq!(DecodeOptions::default().max_packet_size, MAX_PACKET_SIZE);
    let got = Packet::decode(&b, V4).unwrap();
    assert_eq!(got, Decoded::needs(268_435_455));
    // limit counts the whole packet: PINGREQ is 2 bytes
    assert!(Packet::decode_with(&[0xc0, 0], V4, &max(1)).is_err());
    assert!(Packet::decode_with(&[0xc0, 0], V4, &max(2)).is_ok());
}

#[test]
fn legal_edge_cases() {
    // Subscription Identifier may repeat in PUBLISH, User Property anywhere
    let b = bytes("30 0a 0001 61 06 0b 01 0b 02 26 0000 0000");
    assert!(Packet::decode(&b, V5).is_err()); // length 6 but 9 bytes of properties
    let b = bytes("30 0d 0001 61 09 0b 01 0b 02 26 0000 0000");
    assert!(matches!(
        Packet::decode(&b, V5),
        Ok(Decoded::Complete { .. })
    ));
    // Message Expiry Interval 0 is valid
    let b = bytes("30 09 0001 61 05 02 00000000");
    assert!(matches!(
        Packet::decode(&b, V5),
        Ok(Decoded::Complete { .. })
    ));
    // password without user name is fine in v5
    let b = bytes("10 11 0004 4d515454 05 42 003c 00 0001 63 0001 70");
    assert!(matches!(
        Packet::decode(&b, V5),
        Ok(Decoded::Complete { .. })
    ));
    // U+FEFF is not stripped, and a non-shared `$share` prefix is only special in v5
    let b = bytes("30 06 0004 efbbbf61");
    let Ok(Decoded::Complete {
        item: Packet::Publish(p),
        ..
    }) = Packet::decode(&b, V4)
    else {
        panic!()
    };
    assert_eq!(p.topic, "\u{feff}a");
}
