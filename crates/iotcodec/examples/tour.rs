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
        println!("{what}: {msg:?}");
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

    section("MQTT 3.1 / 3.1.1 / 5.0");
    println!("not built yet: the wire layer is issue 3, the sessions come after it");

    section("CoAP");
    println!("not built yet: messages, options and the endpoint are issue 4");

    section("AMQP 1.0");
    println!("not built yet: frames and the type system are issue 5");

    section("MQTT-SN 1.2 (wire layer; client and gateway machines not built yet)");
    mqtt_sn_wire();

    section("MQTT vs CoAP bytes on the wire");
    println!("not built yet: needs the MQTT and CoAP encoders");
}
