//! Property tests: encode→decode identity for every packet type (3.1.1 and
//! 5.0), prefixes are incomplete, stream splits do not matter, and arbitrary
//! bytes never panic.
#![cfg(feature = "alloc")]

use mqtt_codec::bytes;
use mqtt_codec::wire::{
    Ack, Connack, Connect, DecodeOptions, Disconnect, Packet, Properties, Property,
    ProtocolVersion, Publish, QoS, ReasonCode, RetainHandling, Suback, Subscribe, Subscription,
    SubscriptionOptions, TopicFilters, Unsuback, Unsubscribe, Will,
};
use mqtt_codec::Decoded;
use proptest::prelude::*;

fn leak_str(s: String) -> &'static str {
    s.leak()
}
fn leak_bytes(b: Vec<u8>) -> &'static [u8] {
    b.leak()
}

fn text() -> impl Strategy<Value = &'static str> {
    "[a-zA-Z0-9é€ _-]{0,10}".prop_map(leak_str)
}
fn bin() -> impl Strategy<Value = &'static [u8]> {
    proptest::collection::vec(any::<u8>(), 0..24).prop_map(leak_bytes)
}
fn topic_name() -> impl Strategy<Value = &'static str> {
    "[a-z0-9é$]{1,5}(/[a-zé ]{0,4}){0,3}".prop_map(leak_str)
}
fn topic_filter() -> impl Strategy<Value = &'static str> {
    (
        proptest::collection::vec(
            prop_oneof!["[a-zé]{1,4}", Just("+".to_owned()), Just(String::new())],
            1..4,
        ),
        any::<bool>(),
    )
        .prop_map(|(levels, hash)| {
            let mut f = levels.join("/");
            if hash {
                f.push_str(if f.is_empty() { "#" } else { "/#" });
            }
            if f.is_empty() {
                f.push('x');
            }
            leak_str(f)
        })
}

fn property() -> impl Strategy<Value = Property<'static>> {
    prop_oneof![
        (0u8..=1).prop_map(Property::PayloadFormatIndicator),
        any::<u32>().prop_map(Property::MessageExpiryInterval),
        text().prop_map(Property::ContentType),
        topic_name().prop_map(Property::ResponseTopic),
        bin().prop_map(Property::CorrelationData),
        (1u32..=268_435_455).prop_map(Property::SubscriptionIdentifier),
        any::<u32>().prop_map(Property::SessionExpiryInterval),
        text().prop_map(Property::AssignedClientIdentifier),
        any::<u16>().prop_map(Property::ServerKeepAlive),
        text().prop_map(Property::AuthenticationMethod),
        bin().prop_map(Property::AuthenticationData),
        (0u8..=1).prop_map(Property::RequestProblemInformation),
        any::<u32>().prop_map(Property::WillDelayInterval),
        (0u8..=1).prop_map(Property::RequestResponseInformation),
        text().prop_map(Property::ResponseInformation),
        text().prop_map(Property::ServerReference),
        text().prop_map(Property::ReasonString),
        (1u16..).prop_map(Property::ReceiveMaximum),
        any::<u16>().prop_map(Property::TopicAliasMaximum),
        (1u16..).prop_map(Property::TopicAlias),
        (0u8..=1).prop_map(Property::MaximumQoS),
        (0u8..=1).prop_map(Property::RetainAvailable),
        (text(), text()).prop_map(|(k, v)| Property::UserProperty(k, v)),
        (1u32..).prop_map(Property::MaximumPacketSize),
        (0u8..=1).prop_map(Property::WildcardSubscriptionAvailable),
        (0u8..=1).prop_map(Property::SubscriptionIdentifierAvailable),
        (0u8..=1).prop_map(Property::SharedSubscriptionAvailable),
    ]
}

const PUBLISH: &[u8] = &[0x01, 0x02, 0x03, 0x08, 0x09, 0x0B, 0x23, 0x26];
const WILL: &[u8] = &[0x01, 0x02, 0x03, 0x08, 0x09, 0x18, 0x26];
const CONNECT: &[u8] = &[0x11, 0x15, 0x16, 0x17, 0x19, 0x21, 0x22, 0x26, 0x27];
const CONNACK: &[u8] = &[
    0x11, 0x12, 0x13, 0x15, 0x16, 0x1A, 0x1C, 0x1F, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
    0x2A,
];
const ACK: &[u8] = &[0x1F, 0x26];
const SUBSCRIBE: &[u8] = &[0x0B, 0x26];
const UNSUBSCRIBE: &[u8] = &[0x26];
const DISCONNECT: &[u8] = &[0x11, 0x1C, 0x1F, 0x26];
const AUTH: &[u8] = &[0x15, 0x16, 0x1F, 0x26];

/// Properties allowed in a place (empty before v5).
fn props(v5: bool, place: &'static [u8]) -> impl Strategy<Value = Properties<'static>> {
    proptest::collection::vec(property(), 0..8).prop_map(move |all| {
        let mut out: Vec<Property<'static>> = Vec::new();
        for p in all {
            let id = p.id();
            let repeat =
                id == 0x26 || (id == 0x0B && place == PUBLISH) || !out.iter().any(|q| q.id() == id);
            if v5 && place.contains(&id) && repeat {
                out.push(p);
            }
        }
        Properties::new(out.leak())
    })
}

fn qos() -> impl Strategy<Value = QoS> {
    prop_oneof![
        Just(QoS::AtMostOnce),
        Just(QoS::AtLeastOnce),
        Just(QoS::ExactlyOnce)
    ]
}

fn reason(v5: bool) -> impl Strategy<Value = ReasonCode> {
    any::<u8>().prop_map(move |c| ReasonCode(if v5 { c } else { 0 }))
}

fn ack(v5: bool) -> impl Strategy<Value = Ack<'static>> {
    (1u16.., reason(v5), props(v5, ACK)).prop_map(|(packet_id, reason_code, properties)| Ack {
        packet_id,
        reason_code,
        properties,
    })
}

fn connect(v5: bool) -> impl Strategy<Value = Packet<'static>> {
    let will = (qos(), any::<bool>(), props(v5, WILL), topic_name(), bin()).prop_map(
        |(qos, retain, properties, topic, payload)| Will {
            qos,
            retain,
            properties,
            topic,
            payload,
        },
    );
    (
        any::<bool>(),
        (any::<bool>(), any::<u16>(), props(v5, CONNECT), text()),
        proptest::option::of(will),
        proptest::option::of(text()),
        proptest::option::of(bin()),
    )
        .prop_map(
            move |(
                old,
                (clean_start, keep_alive, properties, client_id),
                will,
                username,
                password,
            )| {
                let protocol = match (v5, old) {
                    (true, _) => ProtocolVersion::V5,
                    (false, true) => ProtocolVersion::V3_1,
                    (false, false) => ProtocolVersion::V3_1_1,
                };
                let username = if !v5 && password.is_some() {
                    Some(username.unwrap_or("u"))
                } else {
                    username
                };
                Packet::Connect(Connect {
                    protocol,
                    clean_start,
                    keep_alive,
                    properties,
                    client_id,
                    will,
                    username,
                    password,
                })
            },
        )
}

fn packet(v5: bool) -> BoxedStrategy<Packet<'static>> {
    let options =
        (qos(), any::<bool>(), any::<bool>(), 0u8..3).prop_map(move |(qos, nl, rap, rh)| {
            if v5 {
                SubscriptionOptions {
                    qos,
                    no_local: nl,
                    retain_as_published: rap,
                    retain_handling: [
                        RetainHandling::SendAtSubscribe,
                        RetainHandling::SendIfNew,
                        RetainHandling::DoNotSend,
                    ][usize::from(rh)],
                }
            } else {
                SubscriptionOptions::qos(qos)
            }
        });
    let subscription =
        (topic_filter(), options).prop_map(|(filter, options)| Subscription { filter, options });
    let suback_code = if v5 {
        any::<u8>().boxed()
    } else {
        prop_oneof![Just(0u8), Just(1), Just(2), Just(0x80)].boxed()
    };
    let mut all = vec![
        connect(v5).boxed(),
        (any::<bool>(), reason(true), props(v5, CONNACK))
            .prop_map(|(session_present, reason_code, properties)| {
                Packet::Connack(Connack {
                    session_present,
                    reason_code,
                    properties,
                })
            })
            .boxed(),
        (
            any::<bool>(),
            qos(),
            any::<bool>(),
            topic_name(),
            1u16..,
            props(v5, PUBLISH),
            bin(),
        )
            .prop_map(|(dup, qos, retain, topic, pid, properties, payload)| {
                let packet_id = (qos != QoS::AtMostOnce).then_some(pid);
                Packet::Publish(Publish {
                    dup: dup && packet_id.is_some(),
                    qos,
                    retain,
                    topic,
                    packet_id,
                    properties,
                    payload,
                })
            })
            .boxed(),
        ack(v5).prop_map(Packet::Puback).boxed(),
        ack(v5).prop_map(Packet::Pubrec).boxed(),
        ack(v5).prop_map(Packet::Pubrel).boxed(),
        ack(v5).prop_map(Packet::Pubcomp).boxed(),
        (
            1u16..,
            props(v5, SUBSCRIBE),
            proptest::collection::vec(subscription, 1..4),
        )
            .prop_map(move |(packet_id, properties, subs)| {
                // no Subscription Identifier 0 issue: generated ones are valid
                Packet::Subscribe(Subscribe {
                    packet_id,
                    properties,
                    subscriptions: mqtt_codec::wire::List::new(subs.leak()),
                })
            })
            .boxed(),
        (
            1u16..,
            props(v5, ACK),
            proptest::collection::vec(suback_code, 0..4),
        )
            .prop_map(|(packet_id, properties, codes)| {
                Packet::Suback(Suback {
                    packet_id,
                    properties,
                    reason_codes: leak_bytes(codes),
                })
            })
            .boxed(),
        (
            1u16..,
            props(v5, UNSUBSCRIBE),
            proptest::collection::vec(topic_filter(), 1..4),
        )
            .prop_map(|(packet_id, properties, filters)| {
                Packet::Unsubscribe(Unsubscribe {
                    packet_id,
                    properties,
                    filters: TopicFilters::new(filters.leak()),
                })
            })
            .boxed(),
        (
            1u16..,
            props(v5, ACK),
            proptest::collection::vec(any::<u8>(), 0..4),
        )
            .prop_map(move |(packet_id, properties, codes)| {
                let reason_codes = if v5 { leak_bytes(codes) } else { &[] };
                Packet::Unsuback(Unsuback {
                    packet_id,
                    properties,
                    reason_codes,
                })
            })
            .boxed(),
        Just(Packet::Pingreq).boxed(),
        Just(Packet::Pingresp).boxed(),
        (reason(v5), props(v5, DISCONNECT))
            .prop_map(|(reason_code, properties)| {
                Packet::Disconnect(Disconnect {
                    reason_code,
                    properties,
                })
            })
            .boxed(),
    ];
    if v5 {
        all.push(
            (reason(true), props(true, AUTH))
                .prop_map(|(reason_code, properties)| {
                    Packet::Auth(Disconnect {
                        reason_code,
                        properties,
                    })
                })
                .boxed(),
        );
    }
    proptest::strategy::Union::new(all).boxed()
}

fn version(v5: bool) -> ProtocolVersion {
    if v5 {
        ProtocolVersion::V5
    } else {
        ProtocolVersion::V3_1_1
    }
}

fn any_packet() -> impl Strategy<Value = (bool, Packet<'static>)> {
    any::<bool>().prop_flat_map(|v5| packet(v5).prop_map(move |p| (v5, p)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn encode_decode_identity((v5, p) in any_packet()) {
        let v = version(v5);
        let bytes = p.to_vec(v).unwrap();
        prop_assert_eq!(p.encoded_len(v), Ok(bytes.len()));
        let decoded = Packet::decode(&bytes, v).unwrap();
        prop_assert_eq!(decoded, Decoded::Complete { item: p, consumed: bytes.len() });
        // the decoded form encodes to the same bytes again
        prop_assert_eq!(decoded.complete().unwrap().0.to_vec(v).unwrap(), bytes);
    }

    /// The three ways to encode agree, and a buffer one byte short (or
    /// shorter) is refused with the size needed and left untouched.
    #[test]
    fn every_output_gets_the_same_bytes((v5, p) in any_packet(), short in any::<usize>()) {
        let v = version(v5);
        let bytes = p.to_vec(v).unwrap();
        let mut slice = vec![0xa5u8; bytes.len() + 3];
        prop_assert_eq!(p.encode_to_slice(v, &mut slice), Ok(bytes.len()));
        prop_assert_eq!(&slice[..bytes.len()], &bytes[..]);
        prop_assert_eq!(&slice[bytes.len()..], &[0xa5; 3]);
        let mut out = bytes::BytesMut::from(&b"xy"[..]);
        prop_assert_eq!(p.encode(v, &mut out), Ok(bytes.len()));
        prop_assert_eq!(&out[2..], &bytes[..]);

        let n = short % bytes.len();
        let mut small = vec![0xa5u8; n];
        let too_small = Err(mqtt_codec::EncodeError::BufferTooSmall { required: bytes.len() });
        prop_assert_eq!(p.encode_to_slice(v, &mut small), too_small);
        let mut as_bufmut = &mut small[..];
        prop_assert_eq!(p.encode(v, &mut as_bufmut), too_small);
        prop_assert!(small.iter().all(|&b| b == 0xa5));
    }

    #[test]
    fn strict_prefixes_are_incomplete((v5, p) in any_packet()) {
        let v = version(v5);
        let bytes = p.to_vec(v).unwrap();
        for n in 0..bytes.len() {
            let got = Packet::decode(&bytes[..n], v);
            prop_assert!(matches!(got, Ok(Decoded::Incomplete { .. })), "{} {:?}", n, got);
        }
    }

    #[test]
    fn stream_splits_do_not_matter(
        v5 in any::<bool>(),
        seeds in proptest::collection::vec(any::<u64>(), 1..6),
        cuts in proptest::collection::vec(1usize..40, 1..20),
    ) {
        let v = version(v5);
        // build the packets from a strategy run per seed
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let strat = packet(v5);
        let mut encoded = Vec::new();
        for _ in &seeds {
            let p = strat.new_tree(&mut runner).unwrap().current();
            encoded.push(p.to_vec(v).unwrap());
        }
        let stream: Vec<u8> = encoded.concat();
        let mut buf: Vec<u8> = Vec::new();
        let mut got = Vec::new();
        let mut pos = 0;
        let mut i = 0;
        while pos < stream.len() {
            let n = cuts[i % cuts.len()].min(stream.len() - pos);
            i += 1;
            buf.extend_from_slice(&stream[pos..pos + n]);
            pos += n;
            while let Decoded::Complete { item, consumed } = Packet::decode(&buf, v).unwrap() {
                got.push(item.to_vec(v).unwrap());
                buf.drain(..consumed);
            }
        }
        prop_assert!(buf.is_empty());
        prop_assert_eq!(got, encoded);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), max in 0usize..100) {
        for v in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
            if let Ok(Decoded::Complete { item, consumed }) = Packet::decode_with(&bytes, v, &DecodeOptions::new().max_packet_size(max)) {
                prop_assert!(consumed <= bytes.len());
                let again = item.to_vec(v).unwrap();
                let back = Packet::decode(&again, v).unwrap();
                prop_assert_eq!(back, Decoded::Complete { item, consumed: again.len() });
            }
        }
    }

    #[test]
    fn mutated_packets_never_panic((v5, p) in any_packet(), at in any::<usize>(), to in any::<u8>()) {
        let v = version(v5);
        let mut bytes = p.to_vec(v).unwrap();
        let i = at % bytes.len();
        bytes[i] = to;
        if let Ok(Decoded::Complete { item, .. }) = Packet::decode(&bytes, v) {
            let again = item.to_vec(v).unwrap();
            let back = Packet::decode(&again, v).unwrap();
            prop_assert_eq!(back, Decoded::Complete { item, consumed: again.len() });
        }
    }
}
