//! A decoded packet keeps its property and topic filter lists as the wire
//! bytes the decoder checked. Encoding such a list again where it came from
//! copies those bytes; anywhere else (another packet part, another protocol
//! version) it is checked again like a list of values.
#![cfg(feature = "alloc")]

use mqtt_codec::topic::TopicError;
use mqtt_codec::wire::{
    Disconnect, Packet, ProtocolVersion, Publish, QoS, Subscribe, Unsubscribe, Will,
};
use mqtt_codec::{Decoded, EncodeError};

const V4: ProtocolVersion = ProtocolVersion::V3_1_1;
const V5: ProtocolVersion = ProtocolVersion::V5;

fn bytes(hex: &str) -> &'static [u8] {
    iotcodec_testkit::hex(hex).leak()
}

fn decode(b: &'static [u8], v: ProtocolVersion) -> Packet<'static> {
    match Packet::decode(b, v) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(consumed, b.len());
            // where it came from, it encodes to the same bytes
            assert_eq!(item.to_vec(v).unwrap(), b);
            item
        }
        other => panic!("{other:?}"),
    }
}

fn publish(b: &'static [u8]) -> Publish<'static> {
    match decode(b, V5) {
        Packet::Publish(p) => p,
        other => panic!("{other:?}"),
    }
}

#[test]
fn properties_are_checked_again_in_another_place() {
    // PUBLISH "a" with Subscription Identifier 1 and 2: legal in PUBLISH
    let p = publish(bytes("30 08 0001 61 04 0b 01 0b 02"));
    let sub = Packet::Subscribe(Subscribe {
        packet_id: 1,
        properties: p.properties,
        subscriptions: mqtt_codec::wire::List::new(&[]),
    });
    // (an empty subscription list is refused after the properties)
    assert_eq!(
        sub.encoded_len(V5),
        Err(EncodeError::DuplicateProperty(0x0b))
    );

    // PUBLISH "a" with Content Type "t": allowed in a Will, not in CONNECT
    let p = publish(bytes("30 08 0001 61 04 03 0001 74"));
    let connect = |props, will_props| {
        Packet::Connect(mqtt_codec::wire::Connect {
            protocol: V5,
            clean_start: true,
            keep_alive: 0,
            properties: props,
            client_id: "c",
            will: Some(Will {
                qos: QoS::AtMostOnce,
                retain: false,
                properties: will_props,
                topic: "w",
                payload: b"",
            }),
            username: None,
            password: None,
        })
    };
    let empty = mqtt_codec::wire::Properties::empty();
    assert_eq!(
        connect(p.properties, empty).encoded_len(V5),
        Err(EncodeError::PropertyNotAllowed(0x03))
    );
    let ok = connect(empty, p.properties).to_vec(V5).unwrap();
    assert!(matches!(
        Packet::decode(&ok, V5),
        Ok(Decoded::Complete { item: Packet::Connect(c), .. })
            if c.will.unwrap().properties == p.properties
    ));

    // DISCONNECT with Session Expiry Interval 0: not allowed in AUTH
    let Packet::Disconnect(d) = decode(bytes("e0 07 00 05 11 00000000"), V5) else {
        panic!()
    };
    assert_eq!(
        Packet::Auth(Disconnect { ..d }).encoded_len(V5),
        Err(EncodeError::PropertyNotAllowed(0x11))
    );
    // properties cannot be sent in 3.1.1 at all
    assert_eq!(
        Packet::Publish(p).encoded_len(V4),
        Err(EncodeError::NotInVersion("properties"))
    );
}

#[test]
fn subscriptions_are_checked_again_in_another_version() {
    // v5 SUBSCRIBE "a" with No Local: no 3.1.1 form
    let Packet::Subscribe(s) = decode(bytes("82 07 0001 00 0001 61 05"), V5) else {
        panic!()
    };
    let s4 = Packet::Subscribe(Subscribe {
        properties: mqtt_codec::wire::Properties::empty(),
        ..s
    });
    assert_eq!(
        s4.encoded_len(V4),
        Err(EncodeError::NotInVersion("subscription options"))
    );
    // with the QoS only it has one, and it decodes in 3.1.1
    let Packet::Subscribe(s) = decode(bytes("82 07 0001 00 0001 61 02"), V5) else {
        panic!()
    };
    let s4 = Packet::Subscribe(Subscribe {
        properties: mqtt_codec::wire::Properties::empty(),
        ..s
    });
    assert_eq!(s4.to_vec(V4).unwrap(), bytes("82 06 0001 0001 61 02"));

    // `$share//a` is an ordinary filter in 3.1.1 but a malformed shared
    // subscription in 5.0
    let Packet::Subscribe(s) = decode(bytes("82 0e 0001 0009 247368617265 2f 2f 61 00"), V4) else {
        panic!()
    };
    assert_eq!(
        Packet::Subscribe(s).encoded_len(V5),
        Err(EncodeError::Topic(TopicError::InvalidShare))
    );
    let Packet::Unsubscribe(u) = decode(bytes("a2 0d 0001 0009 247368617265 2f 2f 61"), V4) else {
        panic!()
    };
    assert_eq!(
        Packet::Unsubscribe(Unsubscribe { ..u }).encoded_len(V5),
        Err(EncodeError::Topic(TopicError::InvalidShare))
    );
    // and a valid one moves between versions
    let Packet::Unsubscribe(u) = decode(bytes("a2 0e 0001 000a 247368617265 2f 67 2f 61"), V4)
    else {
        panic!()
    };
    assert_eq!(
        Packet::Unsubscribe(u).to_vec(V5).unwrap(),
        bytes("a2 0f 0001 00 000a 247368617265 2f 67 2f 61")
    );
}
