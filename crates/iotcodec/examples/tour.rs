//! The tour: the protocols of this workspace running in memory.
//!
//! Run it with `cargo run -q -p iotcodec --example tour`. Every section uses
//! only the crates' public APIs; a section for a part that is not built yet
//! says so plainly.

use core::time::Duration;

use iotcodec_core::{Instant, Rng};

fn section(title: &str) {
    println!();
    println!("== {title}");
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One QoS 1 exchange, packet by packet, encoded and decoded back by
/// `mqtt-codec`; then the same PUBLISH in MQTT 5 with properties, and what
/// the strict decoder says about malformed bytes.
fn mqtt_wire() {
    use mqtt_codec::wire::{
        Ack, Connack, Connect, Packet, ProtocolVersion, Publish, QoS, ReasonCode, Subscribe,
        Subscription, SubscriptionOptions,
    };
    use mqtt_codec::wire::{List, Property};
    use mqtt_codec::Decoded;

    let v4 = ProtocolVersion::V3_1_1;
    let subs = [Subscription {
        filter: "sensors/+/temperature",
        options: SubscriptionOptions::qos(QoS::AtLeastOnce),
    }];
    let exchange = [
        (
            "client -> server",
            Packet::Connect(Connect {
                protocol: v4,
                clean_start: true,
                keep_alive: 60,
                properties: List::empty(),
                client_id: "sensor-7",
                will: None,
                username: None,
                password: None,
            }),
        ),
        (
            "server -> client",
            Packet::Connack(Connack {
                session_present: false,
                reason_code: ReasonCode::SUCCESS,
                properties: List::empty(),
            }),
        ),
        (
            "client -> server",
            Packet::Subscribe(Subscribe {
                packet_id: 1,
                properties: List::empty(),
                subscriptions: List::new(&subs),
            }),
        ),
        (
            "client -> server",
            Packet::Publish(Publish {
                dup: false,
                qos: QoS::AtLeastOnce,
                retain: false,
                topic: "sensors/room1/temperature",
                packet_id: Some(2),
                properties: List::empty(),
                payload: b"21.5",
            }),
        ),
        ("server -> client", Packet::Puback(Ack::new(2))),
    ];
    let mut buf = [0u8; 256];
    for (what, packet) in exchange {
        let n = packet.encode_to_slice(v4, &mut buf).expect("fits");
        match Packet::decode(&buf[..n], v4, buf.len()) {
            Ok(Decoded::Complete { item, consumed }) => {
                assert_eq!((item, consumed), (packet, n));
            }
            other => panic!("our own bytes did not decode: {other:?}"),
        }
        println!("{what}: {}", first_word(&packet));
        println!("    {n:3} B: {}", hex(&buf[..n]));
    }

    let props = [
        Property::MessageExpiryInterval(3600),
        Property::ContentType("text/plain"),
        Property::UserProperty("unit", "celsius"),
    ];
    let v5 = Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtLeastOnce,
        retain: false,
        topic: "sensors/room1/temperature",
        packet_id: Some(3),
        properties: List::new(&props),
        payload: b"21.5",
    });
    let n = v5
        .encode_to_slice(ProtocolVersion::V5, &mut buf)
        .expect("fits");
    println!("the same PUBLISH in MQTT 5 with expiry, content type and a user property:");
    println!("    {n:3} B: {}", hex(&buf[..n]));

    println!("the strict decoder on bytes other codecs accept:");
    for (what, bytes) in [
        ("PINGREQ with an overlong length", &[0xc0, 0x80, 0x00][..]),
        ("PINGREQ with a trailing byte", &[0xc0, 0x01, 0x00][..]),
        (
            "SUBSCRIBE with reserved flags 0000",
            &[0x80, 0x06, 0, 1, 0, 1, b'a', 0][..],
        ),
        (
            "PUBLISH to a topic holding U+0000",
            &[0x30, 0x04, 0, 2, b'a', 0][..],
        ),
    ] {
        match Packet::decode(bytes, v4, 1024) {
            Err(e) => println!("    {what}: rejected, {e}"),
            Ok(d) => println!("    {what}: {d:?}"),
        }
    }
    let huge = [0x30, 0xff, 0xff, 0xff, 0x7f];
    if let Err(e) = Packet::decode(&huge, v4, 1 << 20) {
        println!("    a 5-byte header claiming 256 MiB, limit 1 MiB: rejected at once, {e}");
    }
}

/// The packet's name, as its Debug output starts.
fn first_word<T: std::fmt::Debug>(value: &T) -> String {
    let text = format!("{value:?}");
    text.split(['(', ' ', '{'])
        .next()
        .unwrap_or_default()
        .to_uppercase()
}

/// A sensor's first datagrams, encoded and decoded back by `mqtt-sn-codec`.
fn mqtt_sn_wire() {
    use mqtt_sn_codec::{Flags, Message, QoS, Topic};
    let connect = Message::Connect {
        flags: Flags {
            clean_session: true,
            ..Flags::default()
        },
        duration: 60,
        client_id: "sensor-7",
    };
    let register = Message::Register {
        topic_id: 0,
        msg_id: 1,
        topic_name: "sensors/room1/temperature",
    };
    let publish = Message::Publish {
        flags: Flags {
            qos: QoS::AtLeastOnce,
            ..Flags::default()
        },
        topic: Topic::Id(1),
        msg_id: 2,
        data: b"21.5",
    };
    let long = [b'x'; 300];
    let big = Message::Publish {
        flags: Flags::default(),
        topic: Topic::Id(1),
        msg_id: 0,
        data: &long,
    };
    let mut buf = [0u8; 512];
    for (what, msg) in [
        ("client -> gateway", connect),
        ("client -> gateway", register),
        ("client -> gateway", publish),
    ] {
        let n = msg.encode_to_slice(&mut buf).expect("fits");
        let back = Message::decode(&buf[..n]).expect("decodes");
        assert_eq!(back, msg);
        println!("{what}: {}", first_word(&msg));
        println!("    {n:3} B: {}", hex(&buf[..n]));
    }
    let n = big.encode_to_slice(&mut buf).expect("fits");
    println!(
        "a 300-byte payload needs the 3-byte Length form: {} ... ({n} B)",
        hex(&buf[..4])
    );
    let mut bad = buf;
    bad[0] = 0x20; // Length says 32 bytes, the datagram has 14.
    match Message::decode(&bad[..14]) {
        Ok(m) => println!("unexpectedly decoded {m:?}"),
        Err(e) => println!(
            "a datagram whose Length disagrees with its size: rejected ({e}, section {})",
            e.rule().unwrap_or("-")
        ),
    }
}

fn main() {
    println!("iotcodec tour: sans-IO codecs for MQTT, MQTT-SN, CoAP and AMQP");
    println!("(bytes in, events out; the caller owns sockets, time and randomness)");

    section("time and randomness are passed in");
    let start = Instant::from_millis(0);
    let deadline = start + Duration::from_millis(2_500);
    println!("a retransmission armed at {start} with a 2.5 s timeout fires at {deadline}");
    let mut rng = Rng::new(2026);
    let draws: Vec<u32> = (0..3).map(|_| rng.next_u32() % 1000).collect();
    println!("Rng::new(2026) draws {draws:?}: the same seed always gives the same run");

    section("MQTT 3.1.1 and 5.0 (wire layer; client and server sessions not built yet)");
    mqtt_wire();

    section("CoAP");
    println!("not built yet: messages, options and the endpoint are issue 4");

    section("AMQP 1.0");
    println!("not built yet: frames and the type system are issue 5");

    section("MQTT-SN 1.2 (wire layer; client and gateway machines not built yet)");
    mqtt_sn_wire();

    section("MQTT vs CoAP bytes on the wire");
    println!("not built yet: needs the MQTT and CoAP encoders");
}
