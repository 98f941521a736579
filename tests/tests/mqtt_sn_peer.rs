//! Real-peer test: the PyPI MQTT-SN client `mqtt-sn-12` (pinned in
//! `scripts/real-peers.sh`) talks to a gateway played by this test.
//!
//! The test binds a UDP socket on 127.0.0.1 (port 0), runs the client's two
//! command-line tools (`python3 -m mqttsn12.mqtt_sn_pub` / `mqtt_sn_sub`,
//! the modules behind the `mqtt_sn_pub` / `mqtt_sn_sub` console scripts)
//! against it, decodes every datagram they send with
//! [`Message::decode`] (each must be `Ok`), and answers as a gateway would
//! with [`Message::encode_to_slice`]: CONNACK, WILLTOPICREQ/WILLMSGREQ,
//! REGACK, PUBACK, PUBREC, PUBCOMP, SUBACK, PINGRESP, DISCONNECT, and for
//! subscribers a REGISTER and a PUBLISH. Each client run is bounded (20 s,
//! 100 ms read timeouts) and the child is stopped when the run ends, also on
//! panic. The client must then exit with status 0, which shows it accepted
//! our encoder's answers too.
//!
//! Covered (sent by the client, accepted by our decoder): CONNECT (with
//! and without Will), WILLTOPIC, WILLMSG, REGISTER,
//! PUBLISH at QoS −1/0/1/2 on normal, short and pre-defined topics, a
//! 300-byte PUBLISH in the 3-byte Length form, an empty PUBLISH, PUBREL,
//! SUBSCRIBE on a name, a wildcard filter, a short and a pre-defined topic,
//! PINGREQ (keep-alive), REGACK (subscriber side), DISCONNECT with and
//! without Duration. The test also checks what the spec asks of a client's
//! fields: TopicId 0x0000 in its REGISTER, MsgId 0x0000 (present) in its
//! QoS 0 and QoS −1 PUBLISHes.
//!
//! Not covered, because neither CLI can make the client send it:
//! - UNSUBSCRIBE, WILLTOPICUPD, WILLMSGUPD, SEARCHGW: the library has
//!   methods for them, but no CLI option calls them.
//! - PINGREQ with a ClientId (a sleeping client waking up): the library's
//!   PINGREQ never carries a ClientId.
//! - PUBACK, PUBREC, PUBCOMP sent by the client: the subscriber only
//!   accepts `-q 0|1`, and it means to PUBACK an incoming QoS 1 PUBLISH but
//!   compares the QoS level (1) with the flag value (0x20), so it never
//!   does (the gateway still checks a PUBACK if one ever comes).
//! - A REGISTER in the 3-byte Length form: the client does try it for a
//!   topic name over 249 bytes, but writes a Length 2 short (it counts the
//!   1-byte header), so the datagram is malformed. The test checks that our
//!   decoder rejects exactly that datagram with a Length mismatch (rule 5.2.1).
//! - CONNECT without CleanSession: the CLIs' `-c` only skips the call
//!   that would set it, so the flag stays set.
//! - ADVERTISE, GWINFO, forwarder encapsulation: never sent by a client.

use std::net::{SocketAddr, UdpSocket};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use std::{collections::BTreeSet, io::ErrorKind};

use iotcodec_testkit::{to_hex, PeerProcess};
use mqtt_sn_codec::{DecodeError, Flags, Message, QoS, ReturnCode, Topic, TopicFilter};

/// Upper bound for one client run.
const RUN_LIMIT: Duration = Duration::from_secs(20);
/// How long to keep reading after the client has exited.
const DRAIN: Duration = Duration::from_millis(300);
/// What the gateway publishes to subscribers.
const DELIVERY: &[u8] = b"from-the-rust-gateway";
/// The first topic id the gateway hands out.
const FIRST_TOPIC_ID: u16 = 0x0101;

#[derive(Clone, Copy)]
enum Tool {
    Pub,
    Sub,
}

impl Tool {
    fn module(self) -> &'static str {
        match self {
            Self::Pub => "mqttsn12.mqtt_sn_pub",
            Self::Sub => "mqttsn12.mqtt_sn_sub",
        }
    }
}

/// One run of a client CLI.
struct Scenario {
    name: String,
    tool: Tool,
    /// Arguments besides `-h`, `-p` and `-i`.
    args: Vec<String>,
    client_id: String,
    /// The payload every PUBLISH from the client must carry.
    payload: Option<Vec<u8>>,
    /// Labels (see [`labels`]) that must all be seen in this run.
    expect: Vec<String>,
    /// The run is expected to end with a datagram our decoder rejects with
    /// this error kind; the gateway then stops and kills the client.
    expect_reject: Option<fn(&DecodeError) -> bool>,
}

impl Scenario {
    fn new(name: &str, tool: Tool, args: &[&str], expect: &[&str]) -> Self {
        // ClientIds are at most 23 characters in this client.
        let client_id = format!("rs-{}", name.replace(' ', "-"));
        assert!(client_id.len() <= 23, "{client_id}");
        Self {
            name: name.to_owned(),
            tool,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            client_id,
            payload: None,
            expect: expect.iter().map(|e| (*e).to_owned()).collect(),
            expect_reject: None,
        }
    }

    fn payload(mut self, p: &str) -> Self {
        self.args.extend(["-m".to_owned(), p.to_owned()]);
        self.payload = Some(p.as_bytes().to_vec());
        self
    }
}

/// What the gateway sends a subscriber once it has pinged.
struct Delivery {
    /// A REGISTER to send first (topic id, name), for wildcard subscriptions.
    register: Option<(u16, String)>,
    topic: Topic,
    qos: QoS,
}

/// The gateway side of one run.
struct Gateway<'s> {
    sock: UdpSocket,
    sc: &'s Scenario,
    topics: Vec<(String, u16)>,
    next_msg_id: u16,
    /// MsgIds of the last REGISTER and PUBLISH sent to the client.
    sent_register: u16,
    sent_publish: u16,
    pending: Option<Delivery>,
    seen: Vec<String>,
    rejected: bool,
}

/// Short descriptions of a decoded datagram: its name, plus details.
fn labels(msg: &Message<'_>, raw: &[u8]) -> Vec<String> {
    let mut out = vec![msg.name().to_owned()];
    let kind = |t: &Topic| match t {
        Topic::Id(_) => "normal",
        Topic::Predefined(_) => "predefined",
        Topic::Short(_) => "short",
    };
    match msg {
        Message::Connect { flags, .. } => {
            if flags.will {
                out.push("CONNECT will".to_owned());
            }
            if !flags.clean_session {
                out.push("CONNECT persistent".to_owned());
            }
        }
        Message::Publish {
            flags, topic, data, ..
        } => {
            out.push(format!("PUBLISH qos{} {}", flags.qos.level(), kind(topic)));
            if raw[0] == 0x01 {
                out.push("PUBLISH 3-byte length".to_owned());
            }
            if data.is_empty() {
                out.push("PUBLISH empty".to_owned());
            }
        }
        Message::Subscribe { flags, topic, .. } => {
            let t = match topic {
                TopicFilter::Name(n) if n.contains(['#', '+']) => "wildcard",
                TopicFilter::Name(_) => "name",
                TopicFilter::Predefined(_) => "predefined",
                TopicFilter::Short(_) => "short",
            };
            out.push(format!("SUBSCRIBE qos{} {t}", flags.qos.level()));
        }
        Message::Disconnect { duration: Some(_) } => out.push("DISCONNECT duration".to_owned()),
        _ => {}
    }
    out
}

/// Hex of the first 48 bytes of a datagram.
fn hex_head(b: &[u8]) -> String {
    let mut s = to_hex(&b[..b.len().min(48)]);
    if b.len() > 48 {
        s.push_str("...");
    }
    s
}

impl Gateway<'_> {
    fn send(&mut self, to: SocketAddr, msg: &Message<'_>) {
        let mut buf = [0u8; 512];
        let n = msg.encode_to_slice(&mut buf).expect("encode the answer");
        assert_eq!(msg.encoded_len(), Ok(n));
        self.sock.send_to(&buf[..n], to).expect("send the answer");
    }

    fn msg_id(&mut self) -> u16 {
        self.next_msg_id += 1;
        self.next_msg_id
    }

    fn topic_id(&mut self, name: &str) -> u16 {
        if let Some((_, id)) = self.topics.iter().find(|(n, _)| n == name) {
            return *id;
        }
        let id = FIRST_TOPIC_ID + u16::try_from(self.topics.len()).expect("few topics");
        self.topics.push((name.to_owned(), id));
        id
    }

    /// Decodes one datagram, records it and answers it.
    fn handle(&mut self, raw: &[u8], from: SocketAddr) {
        let sc = self.sc;
        let msg = match Message::decode(raw) {
            Ok(m) => m,
            Err(e) => {
                if sc.expect_reject.is_some_and(|ok| ok(&e)) {
                    println!("  rejected as expected ({e}): {}", hex_head(raw));
                    self.seen.push("REJECTED".to_owned());
                    self.rejected = true;
                    return;
                }
                panic!(
                    "[{}] our decoder rejected a datagram from the client: {e} (rule {:?})\n  {}\n  seen before: {:?}",
                    sc.name,
                    e.rule(),
                    hex_head(raw),
                    self.seen
                );
            }
        };
        let labels = labels(&msg, raw);
        println!("  {:<40} {} bytes", labels.join(", "), raw.len());
        self.seen.extend(labels);
        self.answer(&msg, from);
    }

    fn answer(&mut self, msg: &Message<'_>, from: SocketAddr) {
        let sc = self.sc;
        let accepted = ReturnCode::ACCEPTED;
        match *msg {
            Message::Connect {
                flags,
                duration,
                client_id,
            } => {
                assert_eq!(client_id, sc.client_id, "[{}] ClientId", sc.name);
                assert!(duration > 0, "[{}] keep-alive", sc.name);
                if flags.will {
                    self.send(from, &Message::WillTopicReq);
                } else {
                    self.send(
                        from,
                        &Message::ConnAck {
                            return_code: accepted,
                        },
                    );
                }
            }
            Message::WillTopic(Some(w)) => {
                assert_eq!(w.topic, "peer/will", "[{}] will topic", sc.name);
                assert_eq!(w.flags.qos, QoS::AtLeastOnce, "[{}] will QoS", sc.name);
                self.send(from, &Message::WillMsgReq);
            }
            Message::WillMsg { msg } => {
                assert_eq!(msg, b"gone", "[{}] will message", sc.name);
                self.send(
                    from,
                    &Message::ConnAck {
                        return_code: accepted,
                    },
                );
            }
            Message::Register {
                topic_id: sent_id,
                msg_id,
                topic_name,
            } => {
                // a client's REGISTER carries TopicId 0x0000 (5.4.10)
                assert_eq!(sent_id, 0, "[{}] REGISTER TopicId", sc.name);
                let topic_id = self.topic_id(topic_name);
                let ack = Message::RegAck {
                    topic_id,
                    msg_id,
                    return_code: accepted,
                };
                self.send(from, &ack);
            }
            Message::Publish {
                flags,
                topic,
                msg_id,
                data,
            } => {
                if let Some(p) = &sc.payload {
                    assert_eq!(data, &p[..], "[{}] PUBLISH payload", sc.name);
                }
                if let Topic::Id(id) = topic {
                    assert!(
                        self.topics.iter().any(|(_, t)| *t == id),
                        "[{}] PUBLISH to unregistered id {id}",
                        sc.name
                    );
                }
                let topic_id = match topic {
                    Topic::Id(v) | Topic::Predefined(v) => v,
                    Topic::Short(s) => u16::from_be_bytes(s),
                };
                match flags.qos {
                    QoS::AtLeastOnce => {
                        let ack = Message::PubAck {
                            topic_id,
                            msg_id,
                            return_code: accepted,
                        };
                        self.send(from, &ack);
                    }
                    QoS::ExactlyOnce => self.send(from, &Message::PubRec { msg_id }),
                    // the MsgId octets are on the wire, coded 0x0000 (5.4.12)
                    QoS::AtMostOnce | QoS::MinusOne => {
                        assert_eq!(msg_id, 0, "[{}] QoS 0/-1 PUBLISH MsgId", sc.name);
                    }
                }
            }
            Message::PubRel { msg_id } => self.send(from, &Message::PubComp { msg_id }),
            Message::Subscribe {
                flags,
                msg_id,
                topic,
            } => {
                let (topic_id, delivery) = match topic {
                    TopicFilter::Name(n) if n.contains(['#', '+']) => {
                        let name = n.replace(['#', '+'], "x");
                        let id = self.topic_id(&name);
                        let d = Delivery {
                            register: Some((id, name)),
                            topic: Topic::Id(id),
                            qos: flags.qos,
                        };
                        (0, d)
                    }
                    TopicFilter::Name(n) => {
                        let id = self.topic_id(n);
                        let d = Delivery {
                            register: None,
                            topic: Topic::Id(id),
                            qos: flags.qos,
                        };
                        (id, d)
                    }
                    TopicFilter::Predefined(id) => {
                        let d = Delivery {
                            register: None,
                            topic: Topic::Predefined(id),
                            qos: flags.qos,
                        };
                        (id, d)
                    }
                    TopicFilter::Short(s) => {
                        let d = Delivery {
                            register: None,
                            topic: Topic::Short(s),
                            qos: flags.qos,
                        };
                        (0, d)
                    }
                };
                self.pending = Some(delivery);
                let granted = Flags {
                    qos: flags.qos,
                    ..Flags::default()
                };
                let ack = Message::SubAck {
                    flags: granted,
                    topic_id,
                    msg_id,
                    return_code: accepted,
                };
                self.send(from, &ack);
            }
            Message::PingReq { .. } => {
                self.send(from, &Message::PingResp);
                // The subscriber polls between pings: deliver now.
                if let Some(d) = self.pending.take() {
                    self.deliver(from, &d);
                }
            }
            Message::PubAck {
                return_code,
                msg_id,
                ..
            } => {
                assert!(return_code.is_accepted(), "[{}] PUBACK", sc.name);
                assert_eq!(msg_id, self.sent_publish, "[{}] PUBACK MsgId", sc.name);
            }
            Message::RegAck {
                return_code,
                msg_id,
                ..
            } => {
                assert!(return_code.is_accepted(), "[{}] REGACK", sc.name);
                assert_eq!(msg_id, self.sent_register, "[{}] REGACK MsgId", sc.name);
            }
            Message::Disconnect { .. } => {
                self.send(from, &Message::Disconnect { duration: None });
            }
            ref other => panic!("[{}] unexpected {} from the client", sc.name, other.name()),
        }
    }

    fn deliver(&mut self, to: SocketAddr, d: &Delivery) {
        if let Some((topic_id, name)) = &d.register {
            let msg_id = self.msg_id();
            self.sent_register = msg_id;
            let reg = Message::Register {
                topic_id: *topic_id,
                msg_id,
                topic_name: name,
            };
            self.send(to, &reg);
        }
        let msg_id = if d.qos == QoS::AtLeastOnce {
            self.msg_id()
        } else {
            0
        };
        self.sent_publish = msg_id;
        let publish = Message::Publish {
            flags: Flags {
                qos: d.qos,
                ..Flags::default()
            },
            topic: d.topic,
            msg_id,
            data: DELIVERY,
        };
        self.send(to, &publish);
    }
}

/// Runs one scenario; returns the labels seen.
fn run(sc: &Scenario) -> Vec<String> {
    println!("[{}]", sc.name);
    let sock = UdpSocket::bind("127.0.0.1:0").expect("bind the gateway socket");
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .expect("read timeout");
    let port = sock.local_addr().expect("local address").port().to_string();
    let mut peer = PeerProcess::start(
        &format!("[{}] python3 -m {}", sc.name, sc.tool.module()),
        Command::new("python3")
            .arg("-m")
            .arg(sc.tool.module())
            .args(&sc.args)
            .args(["-h", "127.0.0.1", "-p", &port, "-i", &sc.client_id])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "scripts/real-peers.sh installs mqtt-sn-12 with pip",
    );
    let mut gw = Gateway {
        sock,
        sc,
        topics: Vec::new(),
        next_msg_id: 0,
        sent_register: 0,
        sent_publish: 0,
        pending: None,
        seen: Vec::new(),
        rejected: false,
    };

    let start = Instant::now();
    let mut exited: Option<Instant> = None;
    let mut buf = vec![0u8; 65_536];
    loop {
        match gw.sock.recv_from(&mut buf) {
            Ok((n, from)) => {
                assert!(from.ip().is_loopback());
                gw.handle(&buf[..n], from);
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) => panic!("[{}] recv: {e}", sc.name),
        }
        if gw.rejected {
            break;
        }
        if exited.is_none() && peer.exited().is_some() {
            exited = Some(Instant::now());
        }
        if exited.is_some_and(|t| t.elapsed() >= DRAIN) {
            break;
        }
        if start.elapsed() >= RUN_LIMIT {
            let (_, out, err) = peer.finish();
            panic!(
                "[{}] client still running after {RUN_LIMIT:?}; seen {:?}\nstdout: {out}\nstderr: {err}",
                sc.name, gw.seen
            );
        }
    }

    let (status, out, err) = peer.finish();
    if sc.expect_reject.is_some() {
        assert!(gw.rejected, "[{}] no datagram was rejected", sc.name);
    } else {
        assert!(
            status.success(),
            "[{}] client failed ({status}); seen {:?}\nstdout: {out}\nstderr: {err}",
            sc.name,
            gw.seen
        );
    }
    if matches!(sc.tool, Tool::Sub) {
        let delivered = String::from_utf8_lossy(DELIVERY);
        assert!(
            out.contains(&*delivered),
            "[{}] the subscriber did not print our PUBLISH; stdout: {out}\nstderr: {err}",
            sc.name
        );
    }
    for e in &sc.expect {
        assert!(
            gw.seen.contains(e),
            "[{}] expected {e}, seen {:?}\nstderr: {err}",
            sc.name,
            gw.seen
        );
    }
    gw.seen
}

fn scenarios() -> Vec<Scenario> {
    use Tool::{Pub, Sub};
    let mut v = Vec::new();

    // PUBLISH at every QoS on the three kinds of topic.
    for qos in ["-1", "0", "1", "2"] {
        for (kind, topic_args) in [
            ("normal", ["-t", "peer/normal"]),
            ("short", ["-t", "sh"]),
            ("predefined", ["-T", "7"]),
        ] {
            let mut args = vec!["-q", qos];
            args.extend(topic_args);
            let publish = format!("PUBLISH qos{qos} {kind}");
            let mut expect = vec![publish.as_str()];
            if qos != "-1" {
                // QoS −1 sends neither CONNECT nor DISCONNECT.
                expect.extend(["CONNECT", "DISCONNECT"]);
            }
            if kind == "normal" {
                expect.push("REGISTER");
            }
            if qos == "2" {
                expect.push("PUBREL");
            }
            let name = format!("pub q{qos} {kind}");
            v.push(Scenario::new(&name, Pub, &args, &expect).payload(&format!("hello {name}")));
        }
    }

    // 300-byte payload: the 3-byte Length form. Also DISCONNECT with a
    // Duration and a Will.
    let long: String = (0..300u32)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).expect("< 26")))
        .collect();
    v.push(
        Scenario::new(
            "pub long",
            Pub,
            &[
                "-q",
                "1",
                "-t",
                "peer/long",
                "-e",
                "120",
                "--will-topic",
                "peer/will",
                "--will-payload",
                "gone",
                "--will-qos",
                "1",
            ],
            &[
                "CONNECT will",
                "WILLTOPIC",
                "WILLMSG",
                "REGISTER",
                "PUBLISH qos1 normal",
                "PUBLISH 3-byte length",
                "DISCONNECT duration",
            ],
        )
        .payload(&long),
    );

    // An empty payload, retained.
    let mut empty = Scenario::new(
        "pub empty",
        Pub,
        &["-q", "0", "-t", "sh", "-n", "-r"],
        &["PUBLISH qos0 short", "PUBLISH empty"],
    );
    empty.payload = Some(Vec::new());
    v.push(empty);

    // Subscribers: -k 2 makes them PINGREQ while polling; the gateway
    // answers and publishes, they print it and DISCONNECT (-1).
    let common = ["-k", "2", "-1"];
    for (name, args, expect) in [
        (
            "sub name",
            ["-q", "1", "-t", "peer/sub", "-e", "60"],
            &["SUBSCRIBE qos1 name", "DISCONNECT duration"][..],
        ),
        (
            "sub wildcard",
            ["-q", "1", "-t", "peer/#", "-e", "0"],
            &["SUBSCRIBE qos1 wildcard", "REGACK", "DISCONNECT"][..],
        ),
        (
            "sub short",
            ["-q", "0", "-t", "sb", "-e", "0"],
            &["SUBSCRIBE qos0 short", "DISCONNECT"][..],
        ),
        (
            "sub predefined",
            ["-q", "1", "-T", "9", "-e", "0"],
            &["SUBSCRIBE qos1 predefined", "DISCONNECT"][..],
        ),
    ] {
        let mut all: Vec<&str> = common.to_vec();
        all.extend(args);
        let mut expect = expect.to_vec();
        expect.extend(["CONNECT", "PINGREQ"]);
        v.push(Scenario::new(name, Sub, &all, &expect));
    }

    // A topic name over 249 bytes: the client's 3-byte REGISTER is
    // malformed (Length 2 short); our decoder must say so.
    let long_topic = format!("peer/{}", "t".repeat(295));
    let mut bad = Scenario::new(
        "pub long topic",
        Pub,
        &["-q", "0", "-t", &long_topic, "-m", "x"],
        &["CONNECT", "REJECTED"],
    );
    bad.expect_reject = Some(|e| {
        matches!(
            e,
            DecodeError::LengthMismatch { declared, actual } if declared + 2 == *actual
        )
    });
    v.push(bad);
    v
}

#[test]
#[ignore = "needs python3 with the PyPI package mqtt-sn-12: run scripts/real-peers.sh"]
fn mqtt_sn_12_client_against_our_gateway() {
    let version = Command::new("python3")
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('mqtt-sn-12'))",
        ])
        .output()
        .expect("run python3");
    assert!(
        version.status.success(),
        "mqtt-sn-12 is not installed for python3 (scripts/real-peers.sh installs it): {}",
        String::from_utf8_lossy(&version.stderr)
    );
    println!(
        "mqtt-sn-12 {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );

    let mut all = BTreeSet::new();
    for sc in scenarios() {
        all.extend(run(&sc));
    }
    all.remove("REJECTED");
    println!("message kinds seen and decoded: {all:?}");

    for kind in [
        "CONNECT",
        "WILLTOPIC",
        "WILLMSG",
        "REGISTER",
        "REGACK",
        "PUBLISH",
        "PUBREL",
        "SUBSCRIBE",
        "PINGREQ",
        "DISCONNECT",
        "DISCONNECT duration",
        "PUBLISH 3-byte length",
    ] {
        assert!(all.contains(kind), "never saw {kind}");
    }
    for qos in ["-1", "0", "1", "2"] {
        for kind in ["normal", "short", "predefined"] {
            let l = format!("PUBLISH qos{qos} {kind}");
            assert!(all.contains(&l), "never saw {l}");
        }
    }
}
