//! Valid packets from `ArbitraryPacket` (any type, MQTT 3.1, 3.1.1 or 5.0):
//! encoding then decoding gives the same packet from exactly the encoded
//! bytes, and encoding that again gives the same bytes. Every prefix is
//! incomplete, never an error. The same packet with its property and topic
//! filter lists given as values (as a sender builds them) encodes to the
//! same bytes, and so does encoding into a `BufMut`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec::wire::{
    Ack, ArbVersion, ArbitraryPacket, Connack, Connect, DecodeOptions, Disconnect, List,
    OwnedPacket, Packet, Properties, Property, Publish, Suback, Subscribe, Subscription, Unsuback,
    Unsubscribe, Will,
};
use mqtt_codec::Decoded;

/// Where the value lists of [`as_values`] live.
#[derive(Default)]
struct Store<'a> {
    props: Vec<Vec<Property<'a>>>,
    subs: Vec<Subscription<'a>>,
    filters: Vec<&'a str>,
}

/// The lists of `p` as vectors, so that `as_values` can refer to them.
fn collect<'a>(p: &Packet<'a>) -> Store<'a> {
    let mut s = Store::default();
    let mut props = |l: &Properties<'a>| s.props.push(l.iter().collect());
    match p {
        Packet::Connect(c) => {
            props(&c.properties);
            if let Some(w) = &c.will {
                props(&w.properties);
            }
        }
        Packet::Connack(c) => props(&c.properties),
        Packet::Publish(x) => props(&x.properties),
        Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
            props(&a.properties)
        }
        Packet::Subscribe(x) => {
            props(&x.properties);
            s.subs = x.subscriptions.iter().collect();
        }
        Packet::Suback(x) => props(&x.properties),
        Packet::Unsubscribe(x) => {
            props(&x.properties);
            s.filters = x.filters.iter().collect();
        }
        Packet::Unsuback(x) => props(&x.properties),
        Packet::Disconnect(d) | Packet::Auth(d) => props(&d.properties),
        _ => {}
    }
    s
}

/// `p` with every list replaced by the values in `s` (from [`collect`]).
fn as_values<'a>(p: &Packet<'a>, s: &'a Store<'a>) -> Packet<'a> {
    let props = |i: usize| Properties::new(&s.props[i]);
    match *p {
        Packet::Connect(c) => Packet::Connect(Connect {
            properties: props(0),
            will: c.will.map(|w| Will {
                properties: props(1),
                ..w
            }),
            ..c
        }),
        Packet::Connack(c) => Packet::Connack(Connack {
            properties: props(0),
            ..c
        }),
        Packet::Publish(x) => Packet::Publish(Publish {
            properties: props(0),
            ..x
        }),
        Packet::Puback(a) => Packet::Puback(Ack {
            properties: props(0),
            ..a
        }),
        Packet::Pubrec(a) => Packet::Pubrec(Ack {
            properties: props(0),
            ..a
        }),
        Packet::Pubrel(a) => Packet::Pubrel(Ack {
            properties: props(0),
            ..a
        }),
        Packet::Pubcomp(a) => Packet::Pubcomp(Ack {
            properties: props(0),
            ..a
        }),
        Packet::Subscribe(x) => Packet::Subscribe(Subscribe {
            properties: props(0),
            subscriptions: List::new(&s.subs),
            ..x
        }),
        Packet::Suback(x) => Packet::Suback(Suback {
            properties: props(0),
            ..x
        }),
        Packet::Unsubscribe(x) => Packet::Unsubscribe(Unsubscribe {
            properties: props(0),
            filters: List::new(&s.filters),
            ..x
        }),
        Packet::Unsuback(x) => Packet::Unsuback(Unsuback {
            properties: props(0),
            ..x
        }),
        Packet::Disconnect(d) => Packet::Disconnect(Disconnect {
            properties: props(0),
            ..d
        }),
        Packet::Auth(d) => Packet::Auth(Disconnect {
            properties: props(0),
            ..d
        }),
        other => other,
    }
}

fuzz_target!(|input: (ArbVersion, ArbitraryPacket)| {
    let (ArbVersion(version), arb) = input;
    let packet = arb.packet(version);

    let len = packet
        .encoded_len(version)
        .unwrap_or_else(|e| panic!("generated {packet:?} does not encode: {e}"));
    let mut buf = vec![0u8; len];
    let n = packet.encode_to_slice(version, &mut buf).expect("encode");
    assert_eq!(n, len);

    // the smallest limit that admits the packet
    let smallest = DecodeOptions::new().max_packet_size(len);
    match Packet::decode_with(&buf, version, &smallest) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(consumed, len, "{packet:?}");
            assert_eq!(item, packet);
            let mut again = vec![0u8; len];
            assert_eq!(item.encode_to_slice(version, &mut again), Ok(len));
            assert_eq!(again, buf, "{packet:?} re-encodes differently");
        }
        other => panic!("{packet:?} encoded as {buf:02x?} decodes to {other:?}"),
    }

    // the same packet built from values, and into a `BufMut`
    let store = collect(&packet);
    let values = as_values(&packet, &store);
    assert_eq!(values, packet);
    assert_eq!(
        values.to_vec(version).as_deref(),
        Ok(&buf[..]),
        "{packet:?}"
    );
    let mut out = mqtt_codec::bytes::BytesMut::new();
    assert_eq!(packet.encode(version, &mut out), Ok(len));
    assert_eq!(&out[..], &buf[..]);

    // a prefix is only ever incomplete
    for cut in [0, 1, len / 2, len - 1] {
        assert!(
            matches!(
                Packet::decode_with(&buf[..cut], version, &smallest),
                Ok(Decoded::Incomplete { .. })
            ),
            "{packet:?} cut at {cut}"
        );
    }

    // the owned form shares the input and gives the same packet back
    let mut bytes = mqtt_codec::bytes::BytesMut::from(&buf[..]);
    match OwnedPacket::decode_with(&mut bytes, version, &smallest) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(consumed, len);
            assert!(bytes.is_empty());
            assert_eq!(item.as_packet(), packet);
            // and is made again from exactly its bytes
            let again = OwnedPacket::from_bytes(item.clone().into_bytes(), version);
            assert_eq!(again.as_ref(), Ok(&item));
        }
        other => panic!("owned decode of {packet:?} gave {other:?}"),
    }
});
