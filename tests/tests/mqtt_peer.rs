//! Real-peer tests for MQTT: `mqtt-codec`'s encoder and decoder against
//! Eclipse Mosquitto (Debian's `mosquitto` and `mosquitto-clients`, 2.0.11
//! on bookworm), which no one here wrote.
//!
//! The tests are `#[ignore]`d in a plain `cargo test`; `scripts/real-peers.sh`
//! installs Mosquitto and runs them with `--ignored`. A missing peer is a
//! failure there, with a message naming what to install.
//!
//! **Our clients through the Mosquitto broker** (`our_clients_through_mosquitto_*`,
//! once for each of MQTT 3.1, 3.1.1 and 5.0): the test starts `mosquitto` on
//! 127.0.0.1 (a free port, a password file, anonymous clients allowed) and
//! drives clients made of nothing but [`Packet::to_vec`] and
//! [`OwnedPacket::decode_with`] over `std::net::TcpStream`. Every packet the broker
//! sends must decode (`Ok`, not a protocol error), and the broker must accept
//! every packet we send (it closes the connection on a malformed one, which
//! fails the test). Covered: CONNECT with clean session, will, user name and
//! password; a refused CONNECT (wrong password: CONNACK with the refusal
//! code, then the connection closed); SUBSCRIBE with four filters at QoS
//! 0/1/2 and wildcards, SUBACK with the granted QoS; PUBLISH at QoS 0, 1
//! (PUBACK) and 2 (PUBREC, PUBREL, PUBCOMP) in both directions, a 4 KiB
//! payload, the delivered QoS being the lower of the two; a retained message
//! delivered with RETAIN set to a later subscriber; UNSUBSCRIBE and UNSUBACK,
//! after which nothing more arrives on that filter; PINGREQ/PINGRESP; the will
//! published when a client's TCP connection drops without DISCONNECT and not
//! when it sends one; a persistent session (Clean Session 0, and in 5.0 a
//! Session Expiry Interval): Session Present on reconnect (3.1 has no such
//! flag) and the QoS 1 message queued while the client was away. The
//! broker's log must show our CONNECT with its protocol level and user name,
//! and no protocol error or malformed packet anywhere.
//!
//! **MQTT 5.0 features through the broker** (`our_v5_features_through_mosquitto`):
//! CONNACK properties (Assigned Client Identifier for an empty client id, the
//! broker's Topic Alias Maximum); the message properties Mosquitto forwards
//! (Payload Format Indicator, Message Expiry Interval, Content Type, Response
//! Topic, Correlation Data, User Properties in order); a Subscription
//! Identifier on the deliveries of the subscription that carried it; a Topic
//! Alias set and then used with an empty topic; No Local, Retain As
//! Published and Retain Handling; reason codes Mosquitto chooses (0x8C Bad
//! authentication method in a CONNACK for an unknown Authentication Method,
//! 0x10 No matching subscribers in a PUBACK, 0x11 No subscription existed in
//! an UNSUBACK); a shared subscription, each message to exactly one member;
//! DISCONNECT with 0x04, after which the will is published; and a
//! server-sent DISCONNECT with reason code 0x94 Topic Alias Invalid when we
//! use an alias above the broker's maximum.
//!
//! **Mosquitto's clients against a broker played by this test**
//! (`mosquitto_clients_against_our_broker`): `mosquitto_pub` and
//! `mosquitto_sub` in 3.1, 3.1.1 and 5.0 connect to a TCP listener of ours;
//! every packet they send must decode to exactly what their command line
//! asked for (client id, keep alive, user name, password, will, QoS, retain,
//! payload, topic filters, the `-D` properties, User Properties in order),
//! and our answers
//! (CONNACK, PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK, PINGRESP, PUBLISH at
//! QoS 0/1/2 with properties, PUBREL) must be accepted: the client must print
//! what we delivered, acknowledge it correctly and exit with status 0.
//!
//! Each child process and each wait is bounded in time; a child is killed
//! when its run ends, also on panic.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use iotcodec_testkit::{free_tcp_port, to_hex, PeerProcess};
use mqtt_codec::wire::{
    Ack, Connect, DecodeOptions, Disconnect, OwnedPacket, Packet, Properties, Property,
    ProtocolVersion, Publish, QoS, ReasonCode, RetainHandling, Suback, Subscribe, Subscription,
    SubscriptionOptions, Unsuback, Unsubscribe, Will,
};
use mqtt_codec::Decoded;

/// Upper bound for any one wait: a packet, a broker start, a client run.
const STEP_LIMIT: Duration = Duration::from_secs(10);
/// How long "nothing arrives" is watched for.
const QUIET: Duration = Duration::from_millis(400);
/// The largest packet either side accepts in these tests: 1 MiB.
const OPTIONS: DecodeOptions = DecodeOptions::new().max_packet_size(1 << 20);
/// The user the broker's password file knows.
const USER: &str = "alice";
const PASSWORD: &[u8] = b"wonderland";

// ----- processes -----------------------------------------------------------

/// A Mosquitto process ([`PeerProcess`]), with the install hint.
fn start(what: &str, cmd: &mut Command) -> PeerProcess {
    PeerProcess::start(
        what,
        cmd,
        "scripts/real-peers.sh installs Debian's mosquitto and mosquitto-clients",
    )
}

/// A scratch directory for one broker or run, in the system's temporary
/// directory rather than the target directory: run as root, mosquitto
/// drops to its own user before it reads the password file, so the file
/// and every directory above it must be readable by others (a clone under
/// `/root` is not).
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("iotcodec-mqtt-peer-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
    readable_by_all(&dir, 0o755);
    dir
}

fn readable_by_all(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// A Mosquitto broker on 127.0.0.1, stopped when dropped.
struct Broker {
    _proc: PeerProcess,
    port: u16,
    log: PathBuf,
    /// Its scratch directory (configuration, password file, log).
    dir: PathBuf,
}

impl Broker {
    fn start(name: &str) -> Self {
        let dir = scratch(name);
        let passwords = dir.join("passwords");
        let _ = std::fs::remove_file(&passwords);
        let (status, _, err) = start(
            "mosquitto_passwd",
            Command::new("mosquitto_passwd")
                .arg("-c")
                .arg("-b")
                .arg(&passwords)
                .arg(USER)
                .arg(std::str::from_utf8(PASSWORD).unwrap())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        )
        .wait(STEP_LIMIT);
        assert!(status.success(), "mosquitto_passwd failed: {err}");
        readable_by_all(&passwords, 0o644);
        let port = free_tcp_port();
        let conf = dir.join("mosquitto.conf");
        let log = dir.join("mosquitto.log");
        std::fs::write(
            &conf,
            format!(
                "listener {port} 127.0.0.1\n\
                 allow_anonymous true\n\
                 password_file {}\n\
                 persistence false\n\
                 log_dest stderr\n\
                 log_type all\n",
                passwords.display(),
            ),
        )
        .expect("write mosquitto.conf");
        // stderr is unbuffered: the log is complete whenever it is read
        let log_file =
            File::create(&log).unwrap_or_else(|e| panic!("create {}: {e}", log.display()));
        let mut proc = start(
            "mosquitto",
            Command::new("mosquitto")
                .arg("-c")
                .arg(&conf)
                .stdout(Stdio::null())
                .stderr(log_file),
        );
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = proc.exited() {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                panic!("mosquitto exited ({status}) before serving:\n{log}");
            }
            assert!(
                start.elapsed() < STEP_LIMIT,
                "mosquitto did not start serving"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Self {
            _proc: proc,
            port,
            log,
            dir,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn version() -> String {
        let (_, out, err) = start(
            "mosquitto",
            Command::new("mosquitto")
                .arg("-h")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        )
        .wait(STEP_LIMIT);
        format!("{out}{err}")
            .lines()
            .next()
            .unwrap_or("mosquitto (no version line)")
            .to_owned()
    }
}

impl Drop for Broker {
    /// Shows the broker's log when a test failed, and removes the scratch
    /// directory when it passed; `_proc` then stops the broker.
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- mosquitto log ---\n{}", self.log());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

// ----- a client made of the codec ------------------------------------------

/// A one-line account of a packet for failure messages: payloads by length.
fn brief(p: &OwnedPacket) -> String {
    match p.as_packet() {
        Packet::Publish(x) => format!(
            "PUBLISH {{ topic: {:?}, qos: {:?}, retain: {}, dup: {}, id: {:?}, properties: {:?}, payload: {} bytes }}",
            x.topic,
            x.qos,
            x.retain,
            x.dup,
            x.packet_id,
            x.properties,
            x.payload.len()
        ),
        other => format!("{other:?}"),
    }
}

/// One TCP connection speaking MQTT through `mqtt-codec` only.
struct Client {
    name: String,
    version: ProtocolVersion,
    stream: TcpStream,
    rx: BytesMut,
    /// PUBLISHes read while waiting for something else.
    pending: VecDeque<OwnedPacket>,
    closed: bool,
}

impl Client {
    fn open(name: &str, port: u16, version: ProtocolVersion) -> Self {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to mosquitto");
        Self::on(name, stream, version)
    }

    /// A connection on `stream` (short read timeouts, no Nagle delay).
    fn on(name: &str, stream: TcpStream, version: ProtocolVersion) -> Self {
        stream
            .set_read_timeout(Some(Duration::from_millis(20)))
            .expect("read timeout");
        stream.set_nodelay(true).expect("nodelay");
        Self {
            name: name.to_owned(),
            version,
            stream,
            rx: BytesMut::new(),
            pending: VecDeque::new(),
            closed: false,
        }
    }

    /// Opens a connection, sends `connect` and returns the client with the
    /// broker's CONNACK.
    fn connect(port: u16, connect: Connect<'_>) -> (Self, OwnedPacket) {
        let mut c = Self::open(connect.client_id, port, connect.protocol);
        if connect.client_id.is_empty() {
            c.name = "(empty id)".to_owned();
        }
        c.send(&Packet::Connect(connect));
        let connack = c.expect("CONNACK");
        assert!(
            matches!(connack.as_packet(), Packet::Connack(_)),
            "{}: expected CONNACK, got {}",
            c.name,
            brief(&connack)
        );
        (c, connack)
    }

    /// Connects and asserts the CONNACK is a success without a session.
    fn connected(port: u16, connect: Connect<'_>) -> Self {
        let (c, connack) = Self::connect(port, connect);
        let Packet::Connack(ack) = connack.as_packet() else {
            unreachable!()
        };
        assert_eq!(ack.reason_code, ReasonCode::SUCCESS, "{}: {ack:?}", c.name);
        assert!(!ack.session_present, "{}: {ack:?}", c.name);
        c
    }

    fn send(&mut self, p: &Packet<'_>) {
        let bytes = p
            .to_vec(self.version)
            .unwrap_or_else(|e| panic!("{}: encode {p:?}: {e}", self.name));
        self.stream
            .write_all(&bytes)
            .unwrap_or_else(|e| panic!("{}: send {}: {e}", self.name, p.name()));
    }

    /// The next packet from the broker (one set aside earlier first), or
    /// `None` once the broker closed the connection or `limit` passed.
    fn next_within(&mut self, limit: Duration) -> Option<OwnedPacket> {
        if let Some(p) = self.pending.pop_front() {
            return Some(p);
        }
        self.read_within(limit)
    }

    fn read_within(&mut self, limit: Duration) -> Option<OwnedPacket> {
        let start = Instant::now();
        loop {
            match OwnedPacket::decode_with(&mut self.rx, self.version, &OPTIONS) {
                Ok(Decoded::Complete { item, .. }) => return Some(item),
                Ok(Decoded::Incomplete { .. }) => {}
                Err(e) => panic!(
                    "{}: mosquitto sent bytes we reject: {e} (rule {:?}): {}",
                    self.name,
                    e.rule(),
                    to_hex(&self.rx)
                ),
            }
            if self.closed || start.elapsed() > limit {
                return None;
            }
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                Ok(0) => self.closed = true,
                Ok(n) => self.rx.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => self.closed = true,
                Err(e) => panic!("{}: read: {e}", self.name),
            }
        }
    }

    fn expect(&mut self, what: &str) -> OwnedPacket {
        self.next_within(STEP_LIMIT)
            .unwrap_or_else(|| self.missing(what))
    }

    /// The next packet for which `wanted` holds; PUBLISHes the broker sends
    /// meanwhile (it may interleave deliveries with a handshake) are set
    /// aside for [`Client::deliver`]; anything else fails.
    fn expect_where(&mut self, what: &str, wanted: fn(&Packet<'_>) -> bool) -> OwnedPacket {
        let start = Instant::now();
        while start.elapsed() < STEP_LIMIT {
            let Some(p) = self.read_within(STEP_LIMIT) else {
                break;
            };
            if wanted(&p.as_packet()) {
                return p;
            }
            assert!(
                matches!(p.as_packet(), Packet::Publish(_)),
                "{}: expected {what}, got {}",
                self.name,
                brief(&p)
            );
            self.pending.push_back(p);
        }
        self.missing(what)
    }

    fn missing(&self, what: &str) -> ! {
        panic!(
            "{}: expected {what}, but the connection {}",
            self.name,
            if self.closed {
                "closed"
            } else {
                "stayed silent"
            }
        )
    }

    /// Asserts that nothing arrives for a while (and the connection stays up).
    fn expect_nothing(&mut self) {
        if let Some(p) = self.next_within(QUIET) {
            panic!("{}: expected nothing, got {}", self.name, brief(&p));
        }
        assert!(
            !self.closed,
            "{}: the broker closed the connection",
            self.name
        );
    }

    /// Asserts that the broker closes the connection without sending more.
    fn expect_closed(&mut self) {
        if let Some(p) = self.next_within(STEP_LIMIT) {
            panic!(
                "{}: expected the connection closed, got {}",
                self.name,
                brief(&p)
            );
        }
        assert!(self.closed, "{}: the connection stayed open", self.name);
    }

    /// Publishes and runs the QoS handshake; returns the reason code of the
    /// PUBACK or PUBREC (success in 3.x).
    fn publish(&mut self, publish: Publish<'_>) -> ReasonCode {
        self.send(&Packet::Publish(publish));
        let Some(id) = publish.packet_id else {
            return ReasonCode::SUCCESS;
        };
        let ack = self.expect_where("PUBACK/PUBREC", |p| {
            matches!(p, Packet::Puback(_) | Packet::Pubrec(_))
        });
        match (publish.qos, ack.as_packet()) {
            (QoS::AtLeastOnce, Packet::Puback(a)) => {
                assert_eq!(a.packet_id, id, "{}: PUBACK id", self.name);
                a.reason_code
            }
            (QoS::ExactlyOnce, Packet::Pubrec(a)) => {
                assert_eq!(a.packet_id, id, "{}: PUBREC id", self.name);
                self.send(&Packet::Pubrel(Ack::new(id)));
                let comp = self.expect_where("PUBCOMP", |p| matches!(p, Packet::Pubcomp(_)));
                let Packet::Pubcomp(c) = comp.as_packet() else {
                    unreachable!()
                };
                assert_eq!(c.packet_id, id, "{}: PUBCOMP id", self.name);
                assert_eq!(c.reason_code, ReasonCode::SUCCESS, "{}: {c:?}", self.name);
                a.reason_code
            }
            (q, _) => panic!("{}: after a {q:?} PUBLISH got {}", self.name, brief(&ack)),
        }
    }

    /// Receives one PUBLISH and runs the receiver's side of its QoS
    /// handshake.
    fn deliver(&mut self) -> OwnedPacket {
        let p = self.expect("PUBLISH");
        let Packet::Publish(publish) = p.as_packet() else {
            panic!("{}: expected PUBLISH, got {}", self.name, brief(&p));
        };
        match (publish.qos, publish.packet_id) {
            (QoS::AtMostOnce, None) => {}
            (QoS::AtLeastOnce, Some(id)) => self.send(&Packet::Puback(Ack::new(id))),
            (QoS::ExactlyOnce, Some(id)) => {
                self.send(&Packet::Pubrec(Ack::new(id)));
                let rel = self.expect_where("PUBREL", |p| matches!(p, Packet::Pubrel(_)));
                let Packet::Pubrel(r) = rel.as_packet() else {
                    unreachable!()
                };
                assert_eq!(r.packet_id, id, "{}: PUBREL id", self.name);
                self.send(&Packet::Pubcomp(Ack::new(id)));
            }
            other => panic!("{}: QoS/packet id {other:?}", self.name),
        }
        p
    }

    fn subscribe(&mut self, id: u16, props: &[Property<'_>], subs: &[Subscription<'_>]) -> Vec<u8> {
        self.send(&Packet::Subscribe(Subscribe {
            packet_id: id,
            properties: Properties::new(props),
            subscriptions: mqtt_codec::wire::Subscriptions::new(subs),
        }));
        let p = self.expect("SUBACK");
        let Packet::Suback(Suback {
            packet_id,
            reason_codes,
            ..
        }) = p.as_packet()
        else {
            panic!("{}: expected SUBACK, got {}", self.name, brief(&p));
        };
        assert_eq!(packet_id, id, "{}: SUBACK id", self.name);
        reason_codes.to_vec()
    }

    fn unsubscribe(&mut self, id: u16, filters: &[&str]) -> Vec<u8> {
        self.send(&Packet::Unsubscribe(Unsubscribe {
            packet_id: id,
            properties: Properties::empty(),
            filters: mqtt_codec::wire::TopicFilters::new(filters),
        }));
        let p = self.expect("UNSUBACK");
        let Packet::Unsuback(Unsuback {
            packet_id,
            reason_codes,
            ..
        }) = p.as_packet()
        else {
            panic!("{}: expected UNSUBACK, got {}", self.name, brief(&p));
        };
        assert_eq!(packet_id, id, "{}: UNSUBACK id", self.name);
        reason_codes.to_vec()
    }

    fn ping(&mut self) {
        self.send(&Packet::Pingreq);
        let p = self.expect("PINGRESP");
        assert!(
            matches!(p.as_packet(), Packet::Pingresp),
            "{}: {}",
            self.name,
            brief(&p)
        );
    }

    /// Sends DISCONNECT and waits for the broker to close the connection.
    fn disconnect(mut self) {
        self.send(&Packet::Disconnect(Disconnect::default()));
        self.expect_closed();
    }

    /// Drops the TCP connection without DISCONNECT.
    fn drop_connection(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

fn connect_packet(version: ProtocolVersion, client_id: &str) -> Connect<'_> {
    Connect {
        protocol: version,
        clean_start: true,
        keep_alive: 60,
        properties: Properties::empty(),
        client_id,
        will: None,
        username: None,
        password: None,
    }
}

fn publish<'a>(topic: &'a str, qos: QoS, id: u16, payload: &'a [u8]) -> Publish<'a> {
    Publish {
        dup: false,
        qos,
        retain: false,
        topic,
        packet_id: (qos != QoS::AtMostOnce).then_some(id),
        properties: Properties::empty(),
        payload,
    }
}

fn sub(filter: &str, qos: QoS) -> Subscription<'_> {
    Subscription {
        filter,
        options: SubscriptionOptions::qos(qos),
    }
}

/// Asserts `p` is a PUBLISH of `topic`/`payload` at `qos` and returns it.
fn assert_publish<'a>(
    who: &str,
    p: &'a OwnedPacket,
    topic: &str,
    qos: QoS,
    retain: bool,
    payload: &[u8],
) -> Publish<'a> {
    let Packet::Publish(got) = p.as_packet() else {
        panic!("{who}: expected PUBLISH, got {}", brief(p));
    };
    assert!(
        (got.topic, got.qos, got.retain, got.payload) == (topic, qos, retain, payload),
        "{who}: expected PUBLISH {{ topic: {topic:?}, qos: {qos:?}, retain: {retain}, payload: {} bytes }}, got {}",
        payload.len(),
        brief(p)
    );
    got
}

// ----- our clients through the broker ------------------------------------

fn v_tag(v: ProtocolVersion) -> &'static str {
    match v {
        ProtocolVersion::V3_1 => "v31",
        ProtocolVersion::V3_1_1 => "v311",
        ProtocolVersion::V5 => "v5",
    }
}

fn core_flows(version: ProtocolVersion) {
    let tag = v_tag(version);
    eprintln!("{}; our MQTT {version:?} clients", Broker::version());
    let broker = Broker::start(tag);
    let port = broker.port;
    let is_v5 = version == ProtocolVersion::V5;

    // a refused CONNECT: the right user with the wrong password
    let id_bad = format!("{tag}-bad");
    let mut bad = connect_packet(version, &id_bad);
    bad.username = Some(USER);
    bad.password = Some(b"not the password");
    let (mut c, connack) = Client::connect(port, bad);
    let Packet::Connack(ack) = connack.as_packet() else {
        unreachable!()
    };
    // 3.x: return code 5 "not authorized"; 5.0: 0x87 Not authorized
    let refusal = if is_v5 {
        ReasonCode::NOT_AUTHORIZED
    } else {
        ReasonCode(5)
    };
    assert_eq!(ack.reason_code, refusal, "refused CONNECT: {ack:?}");
    c.expect_closed();

    // the subscriber, with four filters
    let id_s = format!("{tag}-sub");
    let mut s = Client::connected(port, connect_packet(version, &id_s));
    let f_q0 = format!("{tag}/q0");
    let f_q1 = format!("{tag}/q1");
    let f_q2 = format!("{tag}/q2/+");
    let f_multi = format!("{tag}/multi/#");
    let granted = s.subscribe(
        1,
        &[],
        &[
            sub(&f_q0, QoS::AtMostOnce),
            sub(&f_q1, QoS::AtLeastOnce),
            sub(&f_q2, QoS::ExactlyOnce),
            sub(&f_multi, QoS::AtLeastOnce),
        ],
    );
    assert_eq!(granted, [0, 1, 2, 1], "SUBACK codes");

    // the publisher, with credentials and a will
    let id_p = format!("{tag}-pub");
    let will_topic = format!("{tag}/will");
    let mut cp = connect_packet(version, &id_p);
    cp.username = Some(USER);
    cp.password = Some(PASSWORD);
    cp.will = Some(Will {
        qos: QoS::AtLeastOnce,
        retain: false,
        properties: Properties::empty(),
        topic: &will_topic,
        payload: b"publisher gone",
    });
    let mut p = Client::connected(port, cp);

    // QoS 0, 1 and 2 in, and out at the subscription's QoS
    let t_q0 = format!("{tag}/q0");
    let t_q1 = format!("{tag}/q1");
    let t_q2 = format!("{tag}/q2/a");
    let t_big = format!("{tag}/multi/big/x");
    let big: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    p.publish(publish(&t_q0, QoS::AtMostOnce, 0, b"zero"));
    let rc = p.publish(publish(&t_q1, QoS::AtLeastOnce, 1, b"one"));
    assert_eq!(rc, ReasonCode::SUCCESS);
    let rc = p.publish(publish(&t_q2, QoS::ExactlyOnce, 2, b"two"));
    assert_eq!(rc, ReasonCode::SUCCESS);
    // QoS 2 published, QoS 1 subscribed: delivered at QoS 1
    p.publish(publish(&t_big, QoS::ExactlyOnce, 3, &big));

    let got = s.deliver();
    assert_publish(&id_s, &got, &t_q0, QoS::AtMostOnce, false, b"zero");
    let got = s.deliver();
    assert_publish(&id_s, &got, &t_q1, QoS::AtLeastOnce, false, b"one");
    let got = s.deliver();
    assert_publish(&id_s, &got, &t_q2, QoS::ExactlyOnce, false, b"two");
    let got = s.deliver();
    assert_publish(&id_s, &got, &t_big, QoS::AtLeastOnce, false, &big);
    // QoS 1 published to a QoS 0 subscription: delivered at QoS 0
    p.publish(publish(&t_q0, QoS::AtLeastOnce, 4, b"down"));
    let got = s.deliver();
    assert_publish(&id_s, &got, &t_q0, QoS::AtMostOnce, false, b"down");

    // keep-alive
    s.ping();
    p.ping();

    // a retained message reaches a later subscriber with RETAIN set
    let t_ret = format!("{tag}/retained");
    let mut retained = publish(&t_ret, QoS::AtLeastOnce, 5, b"kept");
    retained.retain = true;
    p.publish(retained);
    let id_r = format!("{tag}-late");
    let mut r = Client::connected(port, connect_packet(version, &id_r));
    assert_eq!(r.subscribe(7, &[], &[sub(&t_ret, QoS::AtLeastOnce)]), [1]);
    let got = r.deliver();
    assert_publish(&id_r, &got, &t_ret, QoS::AtLeastOnce, true, b"kept");
    // clear it (an empty retained message), which is not retained itself
    let mut clear = publish(&t_ret, QoS::AtMostOnce, 0, b"");
    clear.retain = true;
    p.publish(clear);
    let got = r.deliver();
    assert_publish(&id_r, &got, &t_ret, QoS::AtMostOnce, false, b"");
    r.disconnect();

    // UNSUBSCRIBE: nothing more on that filter
    let codes = s.unsubscribe(2, &[&f_q0]);
    assert_eq!(
        codes,
        if is_v5 { vec![0] } else { vec![] },
        "UNSUBACK codes"
    );
    p.publish(publish(&t_q0, QoS::AtMostOnce, 0, b"unheard"));
    p.publish(publish(&t_q1, QoS::AtLeastOnce, 6, b"marker"));
    let got = s.deliver();
    assert_publish(&id_s, &got, &t_q1, QoS::AtLeastOnce, false, b"marker");
    s.expect_nothing();

    // the will: published when the connection drops, not after DISCONNECT
    assert_eq!(
        s.subscribe(3, &[], &[sub(&will_topic, QoS::AtLeastOnce)]),
        [1]
    );
    p.drop_connection();
    let got = s.deliver();
    assert_publish(
        &id_s,
        &got,
        &will_topic,
        QoS::AtLeastOnce,
        false,
        b"publisher gone",
    );
    let id_q = format!("{tag}-quiet");
    let mut cq = connect_packet(version, &id_q);
    cq.will = Some(Will {
        qos: QoS::AtMostOnce,
        retain: false,
        properties: Properties::empty(),
        topic: &will_topic,
        payload: b"must not be sent",
    });
    Client::connected(port, cq).disconnect();
    s.expect_nothing();

    // a persistent session keeps the subscription and queues QoS 1
    let id_k = format!("{tag}-keep");
    let t_off = format!("{tag}/offline");
    let expiry = [Property::SessionExpiryInterval(300)];
    let mut ck = connect_packet(version, &id_k);
    ck.clean_start = false;
    if is_v5 {
        ck.properties = Properties::new(&expiry);
    }
    let (mut k, connack) = Client::connect(port, ck);
    let Packet::Connack(ack) = connack.as_packet() else {
        unreachable!()
    };
    assert_eq!(
        (ack.reason_code, ack.session_present),
        (ReasonCode::SUCCESS, false)
    );
    assert_eq!(k.subscribe(1, &[], &[sub(&t_off, QoS::AtLeastOnce)]), [1]);
    k.disconnect();
    let id_p2 = format!("{tag}-pub2");
    let mut p2 = Client::connected(port, connect_packet(version, &id_p2));
    p2.publish(publish(&t_off, QoS::AtLeastOnce, 1, b"while away"));
    let (mut k, connack) = Client::connect(port, ck);
    let Packet::Connack(ack) = connack.as_packet() else {
        unreachable!()
    };
    // MQTT 3.1 has no Session Present flag (the byte is reserved, 0)
    let present = version != ProtocolVersion::V3_1;
    assert_eq!(
        (ack.reason_code, ack.session_present),
        (ReasonCode::SUCCESS, present),
        "reconnect to the kept session: {ack:?}"
    );
    let got = k.deliver();
    assert_publish(&id_k, &got, &t_off, QoS::AtLeastOnce, false, b"while away");
    k.disconnect();
    p2.disconnect();
    s.disconnect();

    // what the broker logged is what we sent
    let log = broker.log();
    // mosquitto logs its own protocol numbers: 1 = 3.1, 2 = 3.1.1, 5 = 5.0
    let level = match version {
        ProtocolVersion::V3_1 => "p1",
        ProtocolVersion::V3_1_1 => "p2",
        ProtocolVersion::V5 => "p5",
    };
    assert!(
        log.contains(&format!("as {id_p} ({level}, c1, k60, u'{USER}')")),
        "mosquitto's log does not show our CONNECT as {level} with user {USER}:\n{log}"
    );
    for line in log.lines() {
        let lower = line.to_ascii_lowercase();
        assert!(
            !lower.contains("protocol error") && !lower.contains("malformed"),
            "mosquitto complained: {line}"
        );
    }
    eprintln!("MQTT {version:?}: every flow passed through mosquitto");
}

#[test]
#[ignore = "needs mosquitto: run scripts/real-peers.sh"]
fn our_clients_through_mosquitto_v3_1() {
    core_flows(ProtocolVersion::V3_1);
}

#[test]
#[ignore = "needs mosquitto: run scripts/real-peers.sh"]
fn our_clients_through_mosquitto_v3_1_1() {
    core_flows(ProtocolVersion::V3_1_1);
}

#[test]
#[ignore = "needs mosquitto: run scripts/real-peers.sh"]
fn our_clients_through_mosquitto_v5() {
    core_flows(ProtocolVersion::V5);
}

// ----- MQTT 5.0 features through the broker --------------------------------

fn props_of(p: &OwnedPacket) -> Vec<String> {
    match p.as_packet() {
        Packet::Publish(x) => x.properties.iter().map(|p| format!("{p:?}")).collect(),
        Packet::Connack(x) => x.properties.iter().map(|p| format!("{p:?}")).collect(),
        other => panic!("no properties looked for in {other:?}"),
    }
}

fn sub_opts(
    filter: &str,
    qos: QoS,
    no_local: bool,
    rap: bool,
    rh: RetainHandling,
) -> Subscription<'_> {
    Subscription {
        filter,
        options: SubscriptionOptions {
            qos,
            no_local,
            retain_as_published: rap,
            retain_handling: rh,
        },
    }
}

#[test]
#[ignore = "needs mosquitto: run scripts/real-peers.sh"]
fn our_v5_features_through_mosquitto() {
    use ProtocolVersion::V5;
    eprintln!("{}; MQTT 5.0 features", Broker::version());
    let broker = Broker::start("v5-features");
    let port = broker.port;

    // an empty client id: the broker assigns one and says so
    let (a, connack) = Client::connect(port, connect_packet(V5, ""));
    let Packet::Connack(ack) = connack.as_packet() else {
        unreachable!()
    };
    assert_eq!(ack.reason_code, ReasonCode::SUCCESS, "{ack:?}");
    let Some(Property::AssignedClientIdentifier(assigned)) = ack.properties.get(0x12) else {
        panic!("no Assigned Client Identifier in {:?}", props_of(&connack));
    };
    assert!(!assigned.is_empty(), "empty Assigned Client Identifier");
    let Some(Property::TopicAliasMaximum(alias_max)) = ack.properties.get(0x22) else {
        panic!("no Topic Alias Maximum in {:?}", props_of(&connack));
    };
    assert!(alias_max >= 1, "Topic Alias Maximum {alias_max}");
    eprintln!("CONNACK properties: {:?}", props_of(&connack));
    a.disconnect();

    // an authentication method the broker has no plugin for
    let auth = [
        Property::AuthenticationMethod("SCRAM-SHA-256"),
        Property::AuthenticationData(b"n,,n=alice,r=abc"),
    ];
    let mut c = connect_packet(V5, "v5f-auth");
    c.properties = Properties::new(&auth);
    let (mut c, connack) = Client::connect(port, c);
    let Packet::Connack(ack) = connack.as_packet() else {
        unreachable!()
    };
    assert_eq!(
        ack.reason_code,
        ReasonCode::BAD_AUTHENTICATION_METHOD,
        "{ack:?}"
    );
    c.expect_closed();

    let mut s = Client::connected(port, connect_packet(V5, "v5f-sub"));
    let mut p = Client::connected(port, connect_packet(V5, "v5f-pub"));

    // message properties are forwarded; the Subscription Identifier of the
    // matching subscription is added
    assert_eq!(
        s.subscribe(
            1,
            &[Property::SubscriptionIdentifier(42)],
            &[sub("f/props", QoS::AtLeastOnce)]
        ),
        [1]
    );
    let correlation = [0x00, 0x01, 0xfe, 0xff];
    let sent = [
        Property::PayloadFormatIndicator(1),
        Property::MessageExpiryInterval(3600),
        Property::ContentType("text/plain; charset=utf-8"),
        Property::ResponseTopic("f/reply"),
        Property::CorrelationData(&correlation),
        Property::UserProperty("k", "v1"),
        Property::UserProperty("k", "v2"),
        Property::UserProperty("z", "last"),
    ];
    let mut m = publish("f/props", QoS::AtLeastOnce, 1, "héllo".as_bytes());
    m.properties = Properties::new(&sent);
    assert_eq!(p.publish(m), ReasonCode::SUCCESS);
    let got = s.deliver();
    let d = assert_publish(
        "v5f-sub",
        &got,
        "f/props",
        QoS::AtLeastOnce,
        false,
        "héllo".as_bytes(),
    );
    let props = d.properties;
    assert_eq!(props.get(0x01), Some(Property::PayloadFormatIndicator(1)));
    assert!(
        matches!(props.get(0x02), Some(Property::MessageExpiryInterval(n)) if (3590..=3600).contains(&n)),
        "Message Expiry Interval: {:?}",
        props_of(&got)
    );
    assert_eq!(
        props.get(0x03),
        Some(Property::ContentType("text/plain; charset=utf-8"))
    );
    assert_eq!(props.get(0x08), Some(Property::ResponseTopic("f/reply")));
    assert_eq!(
        props.get(0x09),
        Some(Property::CorrelationData(&correlation))
    );
    assert_eq!(props.get(0x0B), Some(Property::SubscriptionIdentifier(42)));
    let users: Vec<_> = props.iter().filter(|p| p.id() == 0x26).collect();
    assert_eq!(users, sent[5..], "User Properties (in order)");

    // a Topic Alias: set with the topic, then used alone
    let alias = [Property::TopicAlias(1)];
    let mut m = publish("f/props", QoS::AtLeastOnce, 2, b"aliased 1");
    m.properties = Properties::new(&alias);
    p.publish(m);
    let mut m = publish("", QoS::AtLeastOnce, 3, b"aliased 2");
    m.properties = Properties::new(&alias);
    p.publish(m);
    for body in [&b"aliased 1"[..], b"aliased 2"] {
        // we set no Topic Alias Maximum: the broker must send the full name
        let got = s.deliver();
        let d = assert_publish("v5f-sub", &got, "f/props", QoS::AtLeastOnce, false, body);
        assert_eq!(
            d.properties.get(0x23),
            None,
            "the broker used an alias towards us"
        );
    }

    // the reason codes the broker picks
    let nobody = publish("f/nobody", QoS::AtLeastOnce, 4, b"?");
    assert_eq!(p.publish(nobody), ReasonCode::NO_MATCHING_SUBSCRIBERS);
    assert_eq!(s.unsubscribe(2, &["f/never", "f/props"]), [0x11, 0x00]);

    // No Local: our own message does not come back, another client's does
    let granted = s.subscribe(
        3,
        &[],
        &[sub_opts(
            "f/self",
            QoS::AtLeastOnce,
            true,
            false,
            RetainHandling::SendAtSubscribe,
        )],
    );
    assert_eq!(granted, [1]);
    s.publish(publish("f/self", QoS::AtLeastOnce, 10, b"mine"));
    p.publish(publish("f/self", QoS::AtLeastOnce, 5, b"theirs"));
    let got = s.deliver();
    assert_publish(
        "v5f-sub",
        &got,
        "f/self",
        QoS::AtLeastOnce,
        false,
        b"theirs",
    );
    s.expect_nothing();

    // Retain As Published and Retain Handling
    let mut kept = publish("f/ret", QoS::AtLeastOnce, 6, b"kept");
    kept.retain = true;
    p.publish(kept);
    let mut r = Client::connected(port, connect_packet(V5, "v5f-rap"));
    let rap = sub_opts(
        "f/ret",
        QoS::AtLeastOnce,
        false,
        true,
        RetainHandling::SendAtSubscribe,
    );
    assert_eq!(r.subscribe(1, &[], &[rap]), [1]);
    let got = r.deliver();
    assert_publish("v5f-rap", &got, "f/ret", QoS::AtLeastOnce, true, b"kept");
    // Retain Handling 1: the subscription exists, so no retained message
    let again = sub_opts(
        "f/ret",
        QoS::AtLeastOnce,
        false,
        true,
        RetainHandling::SendIfNew,
    );
    assert_eq!(r.subscribe(2, &[], &[again]), [1]);
    r.expect_nothing();
    // Retain Handling 2: never at subscribe; without RAP the flag is cleared
    let plain = sub_opts(
        "f/ret",
        QoS::AtLeastOnce,
        false,
        false,
        RetainHandling::DoNotSend,
    );
    assert_eq!(s.subscribe(4, &[], &[plain]), [1]);
    s.expect_nothing();
    let mut kept = publish("f/ret", QoS::AtLeastOnce, 7, b"kept again");
    kept.retain = true;
    p.publish(kept);
    let got = r.deliver();
    assert_publish(
        "v5f-rap",
        &got,
        "f/ret",
        QoS::AtLeastOnce,
        true,
        b"kept again",
    );
    let got = s.deliver();
    assert_publish(
        "v5f-sub",
        &got,
        "f/ret",
        QoS::AtLeastOnce,
        false,
        b"kept again",
    );
    r.disconnect();

    // a shared subscription: each message to exactly one member
    let mut g1 = Client::connected(port, connect_packet(V5, "v5f-g1"));
    let mut g2 = Client::connected(port, connect_packet(V5, "v5f-g2"));
    assert_eq!(
        g1.subscribe(1, &[], &[sub("$share/grp/f/shared", QoS::AtLeastOnce)]),
        [1]
    );
    assert_eq!(
        g2.subscribe(1, &[], &[sub("$share/grp/f/shared", QoS::AtLeastOnce)]),
        [1]
    );
    let bodies: Vec<Vec<u8>> = (0..6).map(|i| format!("share {i}").into_bytes()).collect();
    for (i, b) in bodies.iter().enumerate() {
        p.publish(publish("f/shared", QoS::AtLeastOnce, 20 + i as u16, b));
    }
    let mut seen: Vec<(usize, Vec<u8>)> = Vec::new();
    for (n, g) in [&mut g1, &mut g2].into_iter().enumerate() {
        while let Some(got) = g.next_within(QUIET) {
            let Packet::Publish(x) = got.as_packet() else {
                panic!("group member: {}", brief(&got));
            };
            assert_eq!((x.topic, x.qos), ("f/shared", QoS::AtLeastOnce));
            g.send(&Packet::Puback(Ack::new(
                x.packet_id.expect("QoS 1 has an id"),
            )));
            seen.push((n, x.payload.to_vec()));
        }
    }
    let mut payloads: Vec<Vec<u8>> = seen.iter().map(|(_, b)| b.clone()).collect();
    payloads.sort();
    assert_eq!(payloads, bodies, "each shared message exactly once");
    assert!(
        seen.iter().any(|(n, _)| *n == 0) && seen.iter().any(|(n, _)| *n == 1),
        "the broker gave every shared message to one member: {seen:?}"
    );
    g1.disconnect();
    g2.disconnect();

    // DISCONNECT with reason 0x04: the will is published all the same
    let will = Will {
        qos: QoS::AtLeastOnce,
        retain: false,
        properties: Properties::empty(),
        topic: "f/will",
        payload: b"asked for",
    };
    assert_eq!(s.subscribe(5, &[], &[sub("f/will", QoS::AtLeastOnce)]), [1]);
    let mut cw = connect_packet(V5, "v5f-will");
    cw.will = Some(will);
    let mut w = Client::connected(port, cw);
    w.send(&Packet::Disconnect(Disconnect {
        reason_code: ReasonCode::DISCONNECT_WITH_WILL_MESSAGE,
        properties: Properties::empty(),
    }));
    w.expect_closed();
    let got = s.deliver();
    assert_publish(
        "v5f-sub",
        &got,
        "f/will",
        QoS::AtLeastOnce,
        false,
        b"asked for",
    );

    // a Topic Alias above the broker's maximum: the broker DISCONNECTs
    // with 0x94 Topic Alias Invalid and closes the connection
    let too_far = [Property::TopicAlias(alias_max + 1)];
    let mut m = publish("f/props", QoS::AtMostOnce, 0, b"x");
    m.properties = Properties::new(&too_far);
    p.send(&Packet::Publish(m));
    let got = p.expect("DISCONNECT");
    let Packet::Disconnect(d) = got.as_packet() else {
        panic!("expected DISCONNECT, got {}", brief(&got));
    };
    assert_eq!(d.reason_code, ReasonCode::TOPIC_ALIAS_INVALID, "{d:?}");
    p.expect_closed();
    s.disconnect();
    eprintln!("MQTT 5.0: every feature passed through mosquitto");
}

// ----- Mosquitto's clients against a broker played by this test ------------

/// One PUBLISH our broker sends a client.
struct Delivery {
    topic: &'static str,
    qos: QoS,
    retain: bool,
    payload: &'static [u8],
    properties: &'static [Property<'static>],
}

/// What our broker does in one client run.
#[derive(Default)]
struct Script {
    /// CONNACK properties (5.0).
    connack: &'static [Property<'static>],
    /// Sent once the client's SUBSCRIBE is acknowledged, or once its first
    /// PINGREQ is answered when `after_ping`.
    deliveries: Vec<Delivery>,
    after_ping: bool,
}

/// What one client run showed.
struct Run {
    what: String,
    /// Every packet the client sent, in order.
    got: Vec<OwnedPacket>,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn names(&self) -> Vec<&'static str> {
        self.got.iter().map(|p| p.as_packet().name()).collect()
    }

    fn first(&self, name: &str) -> Packet<'_> {
        self.got
            .iter()
            .map(OwnedPacket::as_packet)
            .find(|p| p.name() == name)
            .unwrap_or_else(|| panic!("{}: sent no {name}: {:?}", self.what, self.names()))
    }

    fn assert_names(&self, want: &[&str]) {
        assert_eq!(self.names(), want, "{}: the packets it sent", self.what);
        assert!(
            self.status.success(),
            "{} exited with {}: {}",
            self.what,
            self.status,
            self.stderr
        );
    }
}

/// Runs a Mosquitto client (`tool` with the words of `args`, pointed at a
/// listener of ours) and plays the broker for its one connection.
fn serve(tool: &str, args: &str, script: &Script) -> Run {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind our broker");
    let port = listener
        .local_addr()
        .expect("local address")
        .port()
        .to_string();
    listener
        .set_nonblocking(true)
        .expect("nonblocking listener");
    let what = format!("{tool} {args}");
    let mut child = start(
        tool,
        Command::new(tool)
            .args(["-h", "127.0.0.1", "-p", &port])
            .args(args.split_whitespace())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    );
    let start = Instant::now();
    let stream = loop {
        match listener.accept() {
            Ok((s, _)) => break s,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(e) => panic!("accept: {e}"),
        }
        if child.exited().is_some() {
            let (status, out, err) = child.wait(STEP_LIMIT);
            panic!("{what} exited ({status}) without connecting: {out}{err}");
        }
        assert!(start.elapsed() < STEP_LIMIT, "{what} did not connect");
        std::thread::sleep(Duration::from_millis(10));
    };
    stream.set_nonblocking(false).expect("blocking stream");
    // the version is the CONNECT's, once it has arrived
    let mut c = Client::on(&what, stream, ProtocolVersion::V3_1_1);
    let mut got = Vec::new();
    let mut next_id = 1u16;
    let mut delivered = false;
    while let Some(p) = c.read_within(STEP_LIMIT) {
        let packet = p.as_packet();
        let mut deliver_now = false;
        match packet {
            Packet::Connect(connect) => {
                c.version = connect.protocol;
                c.send(&Packet::Connack(mqtt_codec::wire::Connack {
                    session_present: false,
                    reason_code: ReasonCode::SUCCESS,
                    properties: Properties::new(script.connack),
                }));
            }
            Packet::Publish(x) => match (x.qos, x.packet_id) {
                (QoS::AtLeastOnce, Some(id)) => c.send(&Packet::Puback(Ack::new(id))),
                (QoS::ExactlyOnce, Some(id)) => c.send(&Packet::Pubrec(Ack::new(id))),
                _ => {}
            },
            Packet::Pubrel(a) => c.send(&Packet::Pubcomp(Ack::new(a.packet_id))),
            Packet::Pubrec(a) => c.send(&Packet::Pubrel(Ack::new(a.packet_id))),
            Packet::Subscribe(s) => {
                let codes: Vec<u8> = s
                    .subscriptions
                    .iter()
                    .map(|x| x.options.qos as u8)
                    .collect();
                c.send(&Packet::Suback(Suback {
                    packet_id: s.packet_id,
                    properties: Properties::empty(),
                    reason_codes: &codes,
                }));
                deliver_now = !script.after_ping;
            }
            Packet::Unsubscribe(u) => {
                let codes: Vec<u8> = if c.version == ProtocolVersion::V5 {
                    u.filters.iter().map(|_| 0).collect()
                } else {
                    Vec::new()
                };
                c.send(&Packet::Unsuback(Unsuback {
                    packet_id: u.packet_id,
                    properties: Properties::empty(),
                    reason_codes: &codes,
                }));
            }
            Packet::Pingreq => {
                c.send(&Packet::Pingresp);
                deliver_now = script.after_ping;
            }
            _ => {}
        }
        if deliver_now && !delivered {
            delivered = true;
            for d in &script.deliveries {
                let id = (d.qos != QoS::AtMostOnce).then(|| {
                    next_id += 1;
                    next_id - 1
                });
                c.send(&Packet::Publish(Publish {
                    dup: false,
                    qos: d.qos,
                    retain: d.retain,
                    topic: d.topic,
                    packet_id: id,
                    properties: Properties::new(d.properties),
                    payload: d.payload,
                }));
            }
        }
        got.push(p);
    }
    assert!(c.closed, "{what}: the client kept its connection open");
    let (status, stdout, stderr) = child.wait(STEP_LIMIT);
    Run {
        what,
        got,
        status,
        stdout,
        stderr,
    }
}

#[test]
#[ignore = "needs mosquitto-clients: run scripts/real-peers.sh"]
fn mosquitto_clients_against_our_broker() {
    use ProtocolVersion::{V3_1, V3_1_1, V5};
    eprintln!(
        "{}; its mosquitto_pub and mosquitto_sub against our broker",
        Broker::version()
    );
    let password = std::str::from_utf8(PASSWORD).unwrap();

    // 3.1.1 PUBLISH QoS 1, retained, with credentials, keep alive and a will
    let run = serve(
        "mosquitto_pub",
        &format!("-V mqttv311 -i mp-311 -k 30 -u {USER} -P {password} -t peer/a/b -m hello -q 1 -r --will-topic peer/will --will-payload gone --will-qos 2 --will-retain"),
        &Script::default(),
    );
    run.assert_names(&["CONNECT", "PUBLISH", "DISCONNECT"]);
    let Packet::Connect(c) = run.first("CONNECT") else {
        unreachable!()
    };
    assert_eq!(
        (
            c.protocol,
            c.clean_start,
            c.keep_alive,
            c.client_id,
            c.username,
            c.password
        ),
        (V3_1_1, true, 30, "mp-311", Some(USER), Some(PASSWORD)),
        "{c:?}"
    );
    let w = c.will.expect("the will");
    assert_eq!(
        (w.qos, w.retain, w.topic, w.payload),
        (QoS::ExactlyOnce, true, "peer/will", &b"gone"[..])
    );
    let Packet::Publish(p) = run.first("PUBLISH") else {
        unreachable!()
    };
    assert_eq!(
        (p.topic, p.qos, p.retain, p.dup, p.payload),
        ("peer/a/b", QoS::AtLeastOnce, true, false, &b"hello"[..])
    );
    assert!(p.packet_id.is_some());

    // 3.1 PUBLISH QoS 2 of an empty message: PUBREC, PUBREL, PUBCOMP
    let run = serve(
        "mosquitto_pub",
        "-V mqttv31 -i mp-31 -t peer/q2 -q 2 -n",
        &Script::default(),
    );
    run.assert_names(&["CONNECT", "PUBLISH", "PUBREL", "DISCONNECT"]);
    let Packet::Connect(c) = run.first("CONNECT") else {
        unreachable!()
    };
    assert_eq!(
        (c.protocol, c.client_id, c.will, c.username),
        (V3_1, "mp-31", None, None)
    );
    let Packet::Publish(p) = run.first("PUBLISH") else {
        unreachable!()
    };
    assert_eq!(
        (p.topic, p.qos, p.payload),
        ("peer/q2", QoS::ExactlyOnce, &b""[..])
    );
    let Packet::Pubrel(r) = run.first("PUBREL") else {
        unreachable!()
    };
    assert_eq!(Some(r.packet_id), p.packet_id);

    // 5.0 PUBLISH QoS 2 of a 4 KiB file, with every property the CLI can set
    let big: Vec<u8> = (0..4096u32).map(|i| (i * 13 % 256) as u8).collect();
    let file = scratch("clients").join("big.bin");
    std::fs::write(&file, &big).expect("write the payload file");
    let file = file.to_str().expect("UTF-8 path").to_owned();
    // `serve` splits its arguments at white space
    assert!(
        !file.contains(char::is_whitespace),
        "a path with spaces: {file}"
    );
    let script = Script {
        connack: &[Property::TopicAliasMaximum(5)],
        ..Script::default()
    };
    let run = serve(
        "mosquitto_pub",
        &format!("-V mqttv5 -i mp-5 -q 2 -t peer/big -f {file} -c -x 120 -D connect user-property who mosquitto_pub -D connect receive-maximum 5 -D connect maximum-packet-size 100000 -D connect topic-alias-maximum 3 -D connect request-problem-information 0 -D publish content-type application/octet-stream -D publish payload-format-indicator 0 -D publish message-expiry-interval 60 -D publish response-topic peer/reply -D publish correlation-data c0ffee -D publish topic-alias 1 -D publish user-property a 1 -D publish user-property a 2"),
        &script,
    );
    run.assert_names(&["CONNECT", "PUBLISH", "PUBREL", "DISCONNECT"]);
    let Packet::Connect(c) = run.first("CONNECT") else {
        unreachable!()
    };
    assert_eq!(
        (c.protocol, c.clean_start, c.client_id),
        (V5, false, "mp-5")
    );
    let want = [
        "SessionExpiryInterval(120)",
        "UserProperty(\"who\", \"mosquitto_pub\")",
        "ReceiveMaximum(5)",
        "MaximumPacketSize(100000)",
        "TopicAliasMaximum(3)",
        "RequestProblemInformation(0)",
    ];
    let mut have: Vec<String> = c.properties.iter().map(|p| format!("{p:?}")).collect();
    have.sort();
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(have, want, "CONNECT properties");
    let Packet::Publish(p) = run.first("PUBLISH") else {
        unreachable!()
    };
    assert_eq!(
        (p.topic, p.qos, p.payload),
        ("peer/big", QoS::ExactlyOnce, &big[..])
    );
    let props: Vec<String> = p.properties.iter().map(|p| format!("{p:?}")).collect();
    for want in [
        "ContentType(\"application/octet-stream\")",
        "PayloadFormatIndicator(0)",
        "MessageExpiryInterval(60)",
        "ResponseTopic(\"peer/reply\")",
        "CorrelationData([99, 48, 102, 102, 101, 101])",
        "TopicAlias(1)",
    ] {
        assert!(
            props.iter().any(|p| p == want),
            "PUBLISH properties {props:?} lack {want}"
        );
    }
    let users: Vec<&String> = props
        .iter()
        .filter(|p| p.starts_with("UserProperty"))
        .collect();
    assert_eq!(
        users,
        ["UserProperty(\"a\", \"1\")", "UserProperty(\"a\", \"2\")"],
        "in order"
    );

    // 5.0 subscriber: two filters at QoS 2, our deliveries at QoS 0, 1 and 2
    static USER_PROPS: [Property<'static>; 1] = [Property::UserProperty("from", "our broker")];
    let script = Script {
        deliveries: vec![
            Delivery {
                topic: "peer/s/a",
                qos: QoS::AtMostOnce,
                retain: false,
                payload: b"zero",
                properties: &[],
            },
            Delivery {
                topic: "peer/t/x/y",
                qos: QoS::AtLeastOnce,
                retain: true,
                payload: b"one",
                properties: &USER_PROPS,
            },
            Delivery {
                topic: "peer/s/b",
                qos: QoS::ExactlyOnce,
                retain: false,
                payload: b"two",
                properties: &[],
            },
        ],
        ..Script::default()
    };
    let run = serve(
        "mosquitto_sub",
        "-V mqttv5 -i ms-5 -t peer/s/+ -t peer/t/# -q 2 -C 3 -v -D subscribe user-property k v",
        &script,
    );
    run.assert_names(&[
        "CONNECT",
        "SUBSCRIBE",
        "PUBACK",
        "PUBREC",
        "PUBCOMP",
        "DISCONNECT",
    ]);
    let Packet::Subscribe(s) = run.first("SUBSCRIBE") else {
        unreachable!()
    };
    let filters: Vec<(&str, QoS)> = s
        .subscriptions
        .iter()
        .map(|x| (x.filter, x.options.qos))
        .collect();
    assert_eq!(
        filters,
        [
            ("peer/s/+", QoS::ExactlyOnce),
            ("peer/t/#", QoS::ExactlyOnce)
        ]
    );
    assert_eq!(
        s.properties.iter().collect::<Vec<_>>(),
        [Property::UserProperty("k", "v")]
    );
    let acks: Vec<u16> = ["PUBACK", "PUBREC", "PUBCOMP"]
        .iter()
        .map(|n| match run.first(n) {
            Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubcomp(a) => a.packet_id,
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(acks, [1, 2, 2], "acknowledged our packet ids");
    assert_eq!(
        run.stdout, "peer/s/a zero\npeer/t/x/y one\npeer/s/b two\n",
        "what mosquitto_sub printed"
    );

    // 3.1.1 subscriber with keep alive 5 s (its minimum) and an UNSUBSCRIBE: we deliver
    // only after its PINGREQ
    let script = Script {
        deliveries: vec![Delivery {
            topic: "peer/ping",
            qos: QoS::AtLeastOnce,
            retain: false,
            payload: b"after ping",
            properties: &[],
        }],
        after_ping: true,
        ..Script::default()
    };
    let run = serve(
        "mosquitto_sub",
        "-V mqttv311 -i ms-311 -k 5 -t peer/ping -q 1 -U peer/old -C 1",
        &script,
    );
    let names = run.names();
    let pos = |n: &str| {
        names
            .iter()
            .position(|x| *x == n)
            .unwrap_or_else(|| panic!("no {n} in {names:?}"))
    };
    assert!(
        pos("CONNECT") == 0 && pos("PINGREQ") < pos("PUBACK") && pos("PUBACK") < pos("DISCONNECT"),
        "{names:?}"
    );
    assert!(
        pos("SUBSCRIBE") < pos("PINGREQ") && pos("UNSUBSCRIBE") < pos("PINGREQ"),
        "{names:?}"
    );
    assert!(run.status.success(), "{}: {}", run.what, run.stderr);
    let Packet::Connect(c) = run.first("CONNECT") else {
        unreachable!()
    };
    assert_eq!(
        (c.protocol, c.keep_alive, c.client_id),
        (V3_1_1, 5, "ms-311")
    );
    let Packet::Unsubscribe(u) = run.first("UNSUBSCRIBE") else {
        unreachable!()
    };
    assert_eq!(u.filters.iter().collect::<Vec<_>>(), ["peer/old"]);
    assert_eq!(run.stdout, "after ping\n");

    // 3.1 subscriber: a retained QoS 0 message
    let script = Script {
        deliveries: vec![Delivery {
            topic: "peer/three",
            qos: QoS::AtMostOnce,
            retain: true,
            payload: b"retained",
            properties: &[],
        }],
        ..Script::default()
    };
    let run = serve(
        "mosquitto_sub",
        "-V mqttv31 -i ms-31 -t peer/three -C 1 -v",
        &script,
    );
    run.assert_names(&["CONNECT", "SUBSCRIBE", "DISCONNECT"]);
    let Packet::Connect(c) = run.first("CONNECT") else {
        unreachable!()
    };
    assert_eq!(c.protocol, V3_1);
    assert_eq!(run.stdout, "peer/three retained\n");
    let _ = std::fs::remove_dir_all(scratch("clients"));
    eprintln!("mosquitto_pub and mosquitto_sub: every run passed against our broker");
}
