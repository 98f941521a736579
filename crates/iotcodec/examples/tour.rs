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
        Ack, Connack, Connect, DecodeOptions, Packet, ProtocolVersion, Publish, QoS, ReasonCode,
        Subscribe, Subscription, SubscriptionOptions,
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
        match Packet::decode(&buf[..n], v4) {
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
        match Packet::decode(bytes, v4) {
            Err(e) => println!("    {what}: rejected, {e}"),
            Ok(d) => println!("    {what}: {d:?}"),
        }
    }
    let huge = [0x30, 0xff, 0xff, 0xff, 0x7f];
    if let Err(e) = Packet::decode_with(&huge, v4, &DecodeOptions::new().max_packet_size(1 << 20)) {
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
    assert_eq!(big.encoded_len(), Ok(n));
    println!(
        "a 300-byte payload needs the 3-byte Length form: {} ... ({n} B)",
        hex(&buf[..4])
    );
    // The encoder refuses what the decoder would reject, before writing.
    let reserved = Message::Publish {
        flags: Flags::default(),
        topic: Topic::Id(0),
        msg_id: 0,
        data: b"21.5",
    };
    match reserved.encoded_len() {
        Ok(n) => println!("unexpectedly sized {n} B for {reserved:?}"),
        Err(e) => println!(
            "a PUBLISH to the reserved topic id 0x0000: refused by the encoder ({e}, section {})",
            e.rule().unwrap_or("-")
        ),
    }
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

/// A compact line for one CoAP datagram.
fn coap_line(bytes: &[u8]) -> String {
    match coap_codec::Message::decode(bytes) {
        Ok(m) => {
            let mut line = format!("{} {} mid={:#06x}", m.mtype, m.code, m.message_id);
            if !m.token.is_empty() {
                line += &format!(" token={}", hex(m.token.as_bytes()).replace(' ', ""));
            }
            let opts: Vec<String> = m.options.iter().map(|o| format!("{o:?}")).collect();
            if !opts.is_empty() {
                line += &format!(" [{}]", opts.join(", "));
            }
            if !m.payload.is_empty() {
                line += &format!(" {:?}", String::from_utf8_lossy(m.payload));
            }
            line + &format!(" ({} B)", bytes.len())
        }
        Err(e) => format!("malformed: {e}"),
    }
}

/// Our CoAP client and server endpoints wired back to back through a
/// simulated link that delays every datagram by 50 ms and loses the ones
/// the scenario names; time is simulated, so the run is instant and always
/// the same.
fn coap_endpoints() {
    use coap_codec::bytes::BytesMut;
    use coap_codec::endpoint::{Config, Endpoint, Event, Request, Response};
    use coap_codec::{CoapOption, Code, OptionNumber, Options};

    const CLIENT: &str = "client";
    const SERVER: &str = "server";
    let delay = Duration::from_millis(50);

    // `lose` picks the datagrams (numbered from 0 in sending order) the
    // link drops; `slow` makes the server application answer 1.5 s late.
    let scenario = |title: &str, lose: &[usize], slow: bool| {
        println!("{title}:");
        let mut client: Endpoint<&str> = Endpoint::new(Config::new(7)).unwrap();
        let mut server: Endpoint<&str> = Endpoint::new(Config::new(8)).unwrap();
        let path = [
            CoapOption::str(OptionNumber::URI_PATH, "sensors"),
            CoapOption::str(OptionNumber::URI_PATH, "temp"),
        ];
        let t0 = Instant::from_millis(0);
        let id = client
            .request(t0, SERVER, &Request::get(Options::from_slice(&path)))
            .expect("request");
        let mut now = t0;
        let mut buf = BytesMut::new();
        let mut link: Vec<(Instant, &str, &str, Vec<u8>)> = Vec::new();
        let mut sent = 0usize;
        let mut answer_at: Option<(Instant, coap_codec::endpoint::ExchangeId)> = None;
        let mut done = false;
        while !done {
            for (from, ep) in [(CLIENT, &mut client), (SERVER, &mut server)] {
                while let Some(t) = ep.poll_transmit(now, &mut buf) {
                    let d = buf.split_to(t.len).to_vec();
                    let lost = lose.contains(&sent);
                    sent += 1;
                    println!(
                        "  {:>7.3} s  {from} -> {}: {}{}",
                        (now - t0).as_secs_f64(),
                        t.destination,
                        coap_line(&d),
                        if lost { "  ** lost **" } else { "" }
                    );
                    if !lost {
                        link.push((now + delay, from, t.destination, d));
                    }
                }
            }
            while let Some(ev) = server.poll_event() {
                if let Event::Request {
                    exchange, request, ..
                } = ev
                {
                    let path: Vec<&str> = request.as_message().uri_path().collect();
                    println!(
                        "  {:>7.3} s  server application: GET /{}",
                        (now - t0).as_secs_f64(),
                        path.join("/")
                    );
                    let at = if slow {
                        now + Duration::from_millis(1500)
                    } else {
                        now
                    };
                    answer_at = Some((at, exchange));
                }
            }
            if let Some((at, x)) = answer_at {
                if at <= now {
                    answer_at = None;
                    let resp = Response::new(Code::CONTENT).payload(b"21.5 C");
                    server.respond(now, x, &resp).expect("respond");
                    continue;
                }
            }
            while let Some(ev) = client.poll_event() {
                match ev {
                    Event::Acknowledged { .. } => println!(
                        "  {:>7.3} s  client: empty ACK, a separate response will follow",
                        (now - t0).as_secs_f64()
                    ),
                    Event::Response {
                        request, response, ..
                    } if request == id => {
                        let m = response.as_message();
                        println!(
                            "  {:>7.3} s  client application: {} {:?}",
                            (now - t0).as_secs_f64(),
                            m.code,
                            String::from_utf8_lossy(m.payload)
                        );
                        done = true;
                    }
                    Event::RequestFailed { reason, .. } => {
                        println!("  client: request failed: {reason:?}");
                        done = true;
                    }
                    _ => {}
                }
            }
            // deliver what is due, else advance to the next thing
            link.sort_by_key(|d| d.0);
            if let Some(pos) = link.iter().position(|d| d.0 <= now) {
                let (_, from, to, d) = link.remove(pos);
                let ep = if to == SERVER {
                    &mut server
                } else {
                    &mut client
                };
                ep.handle_datagram(now, from, &d);
                continue;
            }
            let next = [
                link.first().map(|d| d.0),
                client.poll_timeout(),
                server.poll_timeout(),
                answer_at.map(|a| a.0),
            ]
            .into_iter()
            .flatten()
            .min();
            match next {
                Some(t) if !done => {
                    now = t;
                    client.handle_timeout(now);
                    server.handle_timeout(now);
                }
                _ => break,
            }
        }
    };
    scenario(
        "a CON GET whose first transmission is lost, retransmitted after the randomized ACK timeout",
        &[0],
        false,
    );
    scenario(
        "a slow server: empty ACK after 1 s, then a separate CON response the client acknowledges (its first copy lost)",
        &[2],
        true,
    );
}

/// The widely taught MQTT-vs-CoAP byte count (256-byte payload; MQTT at QoS
/// 0 over TCP, CoAP Non-confirmable over UDP), recomputed from our own
/// encoders beside the published figures.
fn bytes_comparison() {
    use coap_codec::{CoapOption, Code, Message, MessageType, OptionNumber, Options, Token};
    use mqtt_codec::wire::{
        Connack, Connect, List, Packet, ProtocolVersion, Publish, QoS, ReasonCode, Suback,
        Subscribe, Subscription, SubscriptionOptions,
    };

    const IP: usize = 20; // IPv4 header, no options
    const TCP: usize = 20; // TCP header, no options
    const UDP: usize = 8;
    let payload = [0x5au8; 256];
    let topic = "sensors/room1/temperature";
    let v4 = ProtocolVersion::V3_1_1;
    let len = |p: Packet<'_>| p.encoded_len(v4).expect("encodes");

    let connect = len(Packet::Connect(Connect {
        protocol: v4,
        clean_start: true,
        keep_alive: 60,
        properties: List::empty(),
        client_id: "sensor-7",
        will: None,
        username: None,
        password: None,
    }));
    let connack = len(Packet::Connack(Connack {
        session_present: false,
        reason_code: ReasonCode::SUCCESS,
        properties: List::empty(),
    }));
    let subs = [Subscription {
        filter: topic,
        options: SubscriptionOptions::qos(QoS::AtMostOnce),
    }];
    let subscribe = len(Packet::Subscribe(Subscribe {
        packet_id: 1,
        properties: List::empty(),
        subscriptions: List::new(&subs),
    }));
    let suback = len(Packet::Suback(Suback {
        packet_id: 1,
        properties: List::empty(),
        reason_codes: &[0],
    }));
    let publish = len(Packet::Publish(Publish {
        dup: false,
        qos: QoS::AtMostOnce,
        retain: false,
        topic,
        packet_id: None,
        properties: List::empty(),
        payload: &payload,
    }));
    let path = [
        CoapOption::str(OptionNumber::URI_PATH, "sensors"),
        CoapOption::str(OptionNumber::URI_PATH, "room1"),
        CoapOption::str(OptionNumber::URI_PATH, "temperature"),
    ];
    let token = Token::new(&[1, 2, 3, 4]).expect("4 bytes");
    let request = Message {
        mtype: MessageType::NonConfirmable,
        code: Code::PUT,
        message_id: 1,
        token,
        options: Options::from_slice(&path),
        payload: &payload,
    }
    .encoded_len()
    .expect("encodes");
    let response = Message {
        mtype: MessageType::NonConfirmable,
        code: Code::CHANGED,
        message_id: 2,
        token,
        options: Options::EMPTY,
        payload: &[],
    }
    .encoded_len()
    .expect("encodes");

    // TCP: every data segment is acknowledged by its own bare ACK (no
    // delayed or piggybacked ACKs); the 3-way handshake opens the
    // connection; the FIN exchange closing it is counted on its own.
    let seg = |app: usize| IP + TCP + app;
    let bare = IP + TCP;
    let handshake = 3 * bare;
    let m_connect = handshake + seg(connect) + bare + seg(connack) + bare;
    let m_subscribe = seg(subscribe) + bare + seg(suback) + bare;
    // one PUBLISH over one TCP hop; a message crosses two (publisher ->
    // broker -> subscriber), which the published sums count
    let m_publish = seg(publish) + bare;
    let m_sum = |n: usize| m_connect + m_subscribe + n * 2 * m_publish;
    let c_msg = (IP + UDP + request, IP + UDP + response);
    let c_sum = |n: usize| n * (c_msg.0 + c_msg.1);
    let close = 4 * bare;

    println!(
        "payload 256 B, topic/path {topic}; MQTT 3.1.1 QoS 0 over TCP, CoAP NON over UDP, IPv4."
    );
    println!("application bytes from our encoders: CONNECT {connect} + CONNACK {connack}, SUBSCRIBE {subscribe} + SUBACK {suback},");
    println!("PUBLISH {publish}; CoAP PUT request {request} + 2.04 response {response}.");
    println!("headers: IPv4 {IP}, TCP {TCP} (no options), UDP {UDP}; TCP: handshake 3 segments, one bare ACK per data segment.");
    println!();
    println!("| | MQTT (TCP) published | MQTT ours | CoAP (UDP) published | CoAP ours |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    println!("| establish connection | 166 | {m_connect} | none | none |");
    println!("| subscribe | 159 | {m_subscribe} | none | none |");
    println!(
        "| each message published | 388 | {m_publish} | 312 + 75 | {} + {} |",
        c_msg.0, c_msg.1
    );
    for (n, mp, cp) in [(1usize, 1101, 387), (10, 8085, 3870), (100, 77925, 38700)] {
        println!(
            "| sum for {n} message{} | {mp} | {} | {cp} | {} |",
            if n == 1 { "" } else { "s" },
            m_sum(n),
            c_sum(n)
        );
    }
    println!();
    println!(
        "the published sums count each MQTT message twice (publisher -> broker -> subscriber:"
    );
    println!("166 + 159 + n x 2 x 388 = 1101, 8085, 77925); ours do the same. The published table does not");
    println!("state its TCP assumptions: its 166 B connection counts fewer segments than our model (handshake");
    println!("plus a bare ACK for each data segment, {m_connect} B), and its 388 B per PUBLISH is {} B above our", 388 - m_publish as i64);
    println!("{m_publish} B (TCP options or a longer topic would do that). Closing the TCP connection (FIN and ACK");
    println!("both ways) adds {close} B once. CoAP has no connection to open; its per-message cost is one");
    println!("datagram each way.");
}

/// The start of an AMQP 1.0 connection and one delivery, frame by frame,
/// encoded and decoded back by `amqp-frame`; defaults applied on decode;
/// what the strict decoder says about bad frames.
fn amqp_wire() {
    use amqp_frame::frame::{FrameBody, TransferFrame, TypedFrame};
    use amqp_frame::messaging::{Body, DataSections, DeliveryState, Message, Properties};
    use amqp_frame::restricted::Lazy;
    use amqp_frame::transport::{Disposition, Flow, Open, Performative, Role, Transfer};
    use amqp_frame::DecodeOptions;
    use amqp_frame::{Decoded, ProtocolHeader};

    let mut buf = [0u8; 512];
    let n = ProtocolHeader::AMQP
        .encode_to_slice(&mut buf)
        .expect("fits");
    println!("both ends: protocol header AMQP 0 1 0 0");
    println!("    {n:3} B: {}", hex(&buf[..n]));

    let open = Open {
        max_frame_size: 65536,
        ..Open::new("sensor-7")
    };
    let flow = Flow {
        next_incoming_id: Some(0),
        incoming_window: 2048,
        next_outgoing_id: 0,
        outgoing_window: 2048,
        handle: Some(0),
        delivery_count: Some(0),
        link_credit: Some(10),
        available: None,
        drain: false,
        echo: false,
        properties: None,
    };
    let disposition = Disposition {
        role: Role::Receiver,
        first: 0,
        last: None,
        settled: true,
        state: Some(DeliveryState::Accepted),
        batchable: false,
    };
    let frames = [
        (
            "client -> server",
            TypedFrame::amqp(0, Performative::Open(Lazy::new(&open)), &[]),
        ),
        (
            "server -> client",
            TypedFrame::amqp(0, Performative::Flow(flow), &[]),
        ),
    ];
    for (what, frame) in frames {
        let n = frame.encode_to_slice(&mut buf).expect("fits");
        let Ok(Decoded::Complete { item, consumed }) = TypedFrame::decode(&buf[..n]) else {
            panic!("our own frame did not decode");
        };
        assert_eq!((item, consumed), (frame, n));
        let FrameBody::Amqp { performative, .. } = item.body else {
            unreachable!("an AMQP frame")
        };
        println!("{what}: {}", performative.name().to_uppercase());
        println!("    {n:3} B: {}", hex(&buf[..n]));
        if let Performative::Open(o) = performative {
            let o = o.decode().expect("validated");
            println!(
                "    decoded: max-frame-size {} as sent; channel-max {}, the default, as it was left out",
                o.max_frame_size, o.channel_max
            );
        }
    }

    let message = Message {
        properties: Some(Properties {
            subject: Some("temperature"),
            ..Properties::default()
        }),
        body: Some(Body::Data(DataSections::one(b"21.5"))),
        ..Message::default()
    };
    let transfer = TransferFrame {
        channel: 0,
        transfer: Transfer {
            delivery_id: Some(0),
            delivery_tag: Some(b"t0"),
            message_format: Some(0),
            ..Transfer::new(0)
        },
        message: &message,
    };
    let n = transfer.encode_to_slice(&mut buf).expect("fits");
    let Ok(Decoded::Complete { item, .. }) = TypedFrame::decode(&buf[..n]) else {
        panic!("our own transfer did not decode");
    };
    let FrameBody::Amqp { payload, .. } = item.body else {
        unreachable!("an AMQP frame")
    };
    assert_eq!(Message::decode(payload).expect("message"), message);
    println!("client -> server: TRANSFER carrying a message (properties, one data section)");
    println!("    {n:3} B: {}", hex(&buf[..n]));
    let n = TypedFrame::amqp(0, Performative::Disposition(disposition), &[])
        .encode_to_slice(&mut buf)
        .expect("fits");
    println!("server -> client: DISPOSITION accepted, settled");
    println!("    {n:3} B: {}", hex(&buf[..n]));

    println!("the strict decoder:");
    let no_handle = [0, 0, 0, 12, 2, 0, 0, 0, 0x00, 0x53, 0x14, 0x45];
    if let Err(e) = TypedFrame::decode_with(&no_handle, &DecodeOptions::new().max_frame_size(512)) {
        println!(
            "    a TRANSFER without its mandatory handle: rejected, {e} (section {})",
            e.rule().unwrap_or("-")
        );
    }
    let huge = [0xff, 0xff, 0xff, 0xf0, 2, 0, 0, 0];
    if let Err(e) = TypedFrame::decode(&huge) {
        println!("    a frame header claiming 4 GiB, limit 64 KiB: rejected before anything is read, {e}");
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

    section("CoAP (messages, options, and the endpoint: client and server over a lossy link)");
    coap_endpoints();

    section("AMQP 1.0 (wire layer; connection, session and link machines not built yet)");
    amqp_wire();

    section("MQTT-SN 1.2 (wire layer; client and gateway machines not built yet)");
    mqtt_sn_wire();

    section("MQTT vs CoAP bytes on the wire");
    bytes_comparison();
}
