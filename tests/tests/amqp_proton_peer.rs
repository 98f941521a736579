//! The other direction of the Qpid Proton check: bytes `amqp-frame`
//! encodes, decoded by Proton to the same values. This test writes a whole
//! client side of a connection (SASL, open, begin, attach, transfers, one
//! of them split over three frames, flow, disposition, detach, end and
//! close with errors), messages, SASL bodies and values into a scratch
//! directory, and runs `tests/amqp/check_with_proton.py` on them: a Proton
//! server engine reads the connection, `proton.Message` the messages and
//! `proton.Data` the rest, and the script compares every field with what
//! was encoded here.
//!
//! `#[ignore]`d in plain `cargo test` (it needs Debian's
//! python3-qpid-proton); `scripts/real-peers.sh` installs it and runs this
//! with `--ignored`. `PROTON_PYTHON` names the interpreter (default
//! `/usr/bin/python3`, the one Debian's package installs into).

use std::path::{Path, PathBuf};
use std::process::Command;

use amqp_frame::frame::{ProtocolHeader, TransferFrame, TypedFrame};
use amqp_frame::messaging::{
    Body, DataSections, DeliveryState, Header, LinkTarget, Message, MessageId, Properties, Source,
    Target,
};
use amqp_frame::restricted::{Annotations, ApplicationProperties, Fields, Lazy, Symbols};
use amqp_frame::sasl::{SaslCode, SaslFrame, SaslInit, SaslMechanisms, SaslOutcome};
use amqp_frame::transport::{
    Attach, Begin, Close, Detach, Disposition, End, Error, ErrorCondition, Flow, Open,
    Performative, Role, SenderSettleMode, Transfer,
};
use amqp_frame::{Array, Described, Descriptor, List, Map, Value};

fn out_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("amqp-frame-proton-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn frame_bytes(f: &TypedFrame<'_>) -> Vec<u8> {
    let mut v = vec![0u8; f.encoded_len().unwrap()];
    f.encode_to_slice(&mut v).unwrap();
    v
}

fn message_bytes(m: &Message<'_>) -> Vec<u8> {
    let mut v = vec![0u8; m.encoded_len().unwrap()];
    m.encode_to_slice(&mut v).unwrap();
    v
}

fn bin(n: usize) -> Vec<u8> {
    (0..n).map(|j| j as u8).collect()
}

/// The message the script expects as `message_full.bin` and as the first
/// delivery.
fn with_full_message<R>(f: impl FnOnce(&Message<'_>) -> R) -> R {
    let data = bin(256);
    let da = [(Value::Symbol("x-opt-delivery"), Value::Str("now"))];
    let ma = [
        (Value::Symbol("x-opt-partition"), Value::Int(3)),
        (Value::Ulong(42), Value::Str("numeric-key")),
    ];
    let ap = [
        (Value::Str("sensor"), Value::Str("room1")),
        (Value::Str("seq"), Value::Int(1)),
        (Value::Str("unit"), Value::Str("celsius")),
        (Value::Str("ok"), Value::Bool(true)),
    ];
    let footer = [(Value::Symbol("x-opt-checksum"), Value::Uint(12345))];
    let m = Message {
        header: Some(Header {
            durable: Some(true),
            priority: Some(7),
            ttl: Some(60_000),
            first_acquirer: Some(true),
            delivery_count: Some(2),
        }),
        delivery_annotations: Some(Annotations::from_map(Map::from_pairs(&da))),
        message_annotations: Some(Annotations::from_map(Map::from_pairs(&ma))),
        properties: Some(Properties {
            message_id: Some(MessageId::Str("msg-0001")),
            user_id: Some(b"ours-user"),
            to: Some("queue://ours"),
            subject: Some("temperature"),
            reply_to: Some("queue://replies"),
            correlation_id: Some(MessageId::Ulong(77)),
            content_type: Some("application/octet-stream"),
            content_encoding: Some("identity"),
            absolute_expiry_time: Some(1_700_000_060_000),
            creation_time: Some(1_700_000_000_000),
            group_id: Some("group-a"),
            group_sequence: Some(5),
            reply_to_group_id: Some("group-b"),
        }),
        application_properties: Some(ApplicationProperties::from_map(Map::from_pairs(&ap))),
        body: Some(Body::Data(DataSections::one(&data))),
        footer: Some(Annotations::from_map(Map::from_pairs(&footer))),
    };
    f(&m)
}

fn client_stream() -> Vec<u8> {
    let mut s = Vec::new();
    s.extend(ProtocolHeader::SASL.to_bytes());
    s.extend(frame_bytes(&TypedFrame::sasl(SaslFrame::Init(SaslInit {
        mechanism: "ANONYMOUS",
        initial_response: Some(b"anonymous"),
        hostname: Some("broker.example"),
    }))));
    s.extend(ProtocolHeader::AMQP.to_bytes());
    let caps = ["cap-x", "cap-y"];
    let props = [(Value::Symbol("product"), Value::Str("amqp-frame"))];
    let open = Open {
        hostname: Some("broker.example"),
        max_frame_size: 4096,
        channel_max: 7,
        idle_time_out: Some(20_000),
        offered_capabilities: Symbols::from_slice(&caps),
        desired_capabilities: Symbols::one("cap-z"),
        properties: Some(Fields::from_map(Map::from_pairs(&props))),
        ..Open::new("amqp-frame-client")
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::Open(Lazy::new(&open)),
        &[],
    )));
    let begin = Begin {
        remote_channel: None,
        next_outgoing_id: 0,
        incoming_window: 100,
        outgoing_window: 100,
        handle_max: 3,
        offered_capabilities: Symbols::EMPTY,
        desired_capabilities: Symbols::EMPTY,
        properties: None,
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::Begin(Lazy::new(&begin)),
        &[],
    )));
    let source = Source {
        address: Some("ours/src"),
        ..Source::default()
    };
    let target = LinkTarget::Target(Target {
        address: Some("queue://ours"),
        ..Target::default()
    });
    let attach = Attach {
        snd_settle_mode: SenderSettleMode::UNSETTLED,
        source: Some(Lazy::new(&source)),
        target: Some(Lazy::new(&target)),
        initial_delivery_count: Some(0),
        max_message_size: Some(65536),
        ..Attach::new("ours-link", 0, Role::Sender)
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::Attach(Lazy::new(&attach)),
        &[],
    )));

    // delivery 0: the full message in one frame
    with_full_message(|m| {
        let t = Transfer {
            delivery_id: Some(0),
            delivery_tag: Some(b"d0"),
            message_format: Some(0),
            settled: Some(false),
            ..Transfer::new(0)
        };
        let f = TransferFrame {
            channel: 0,
            transfer: t,
            message: m,
        };
        let mut v = vec![0u8; f.encoded_len().unwrap()];
        f.encode_to_slice(&mut v).unwrap();
        s.extend(v);
    });
    // delivery 1: 5000 bytes of data, split over three frames
    let big = bin(5000);
    let msg = Message {
        body: Some(Body::Data(DataSections::one(&big))),
        ..Message::default()
    };
    let bytes = message_bytes(&msg);
    let pieces: Vec<&[u8]> = bytes.chunks(2000).collect();
    assert_eq!(pieces.len(), 3);
    for (i, piece) in pieces.iter().enumerate() {
        let first = i == 0;
        let t = Transfer {
            delivery_id: first.then_some(1),
            delivery_tag: first.then_some(&b"d1"[..]),
            message_format: first.then_some(0),
            more: i < 2,
            ..Transfer::new(0)
        };
        s.extend(frame_bytes(&TypedFrame::amqp(
            0,
            Performative::Transfer(t),
            piece,
        )));
    }
    let flow = Flow {
        next_incoming_id: Some(0),
        incoming_window: 100,
        next_outgoing_id: 4,
        outgoing_window: 100,
        handle: Some(0),
        delivery_count: Some(2),
        link_credit: Some(0),
        available: Some(5),
        drain: false,
        echo: false,
        properties: None,
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::Flow(flow),
        &[],
    )));
    let disposition = Disposition {
        role: Role::Sender,
        first: 0,
        last: Some(1),
        settled: true,
        state: Some(DeliveryState::Accepted),
        batchable: false,
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::Disposition(disposition),
        &[],
    )));
    let info = [(Value::Symbol("at"), Value::Str("detach"))];
    let detach = Detach {
        handle: 0,
        closed: true,
        error: Some(Error {
            condition: ErrorCondition::DETACH_FORCED,
            description: Some("ours detach"),
            info: Some(Fields::from_map(Map::from_pairs(&info))),
        }),
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::Detach(detach),
        &[],
    )));
    let end = End {
        error: Some(Error {
            description: Some("ours end"),
            ..Error::new(ErrorCondition::ERRANT_LINK)
        }),
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::End(end),
        &[],
    )));
    let close = Close {
        error: Some(Error {
            description: Some("ours close"),
            ..Error::new(ErrorCondition::CONNECTION_FORCED)
        }),
    };
    s.extend(frame_bytes(&TypedFrame::amqp(
        0,
        Performative::Close(close),
        &[],
    )));
    s
}

fn value_bytes(v: &Value<'_>) -> Vec<u8> {
    let mut b = vec![0u8; v.encoded_len().unwrap()];
    v.encode_to_slice(&mut b).unwrap();
    b
}

#[test]
#[ignore = "needs Debian's python3-qpid-proton; scripts/real-peers.sh installs it and runs this"]
fn proton_decodes_what_we_encode() {
    let dir = out_dir();
    write(&dir, "client_stream.bin", &client_stream());
    with_full_message(|m| write(&dir, "message_full.bin", &message_bytes(m)));
    let seq = [Value::Str("seq"), Value::Int(1)];
    let lists = [List::from_values(&seq)];
    write(
        &dir,
        "message_sequence.bin",
        &message_bytes(&Message {
            body: Some(Body::Sequence(
                amqp_frame::messaging::SequenceSections::from_lists(&lists),
            )),
            ..Message::default()
        }),
    );
    write(
        &dir,
        "message_value.bin",
        &message_bytes(&Message {
            body: Some(Body::Value(Value::Str("a string body"))),
            ..Message::default()
        }),
    );
    for code in 0..5u8 {
        let o = SaslOutcome {
            code: SaslCode(code),
            additional_data: (code == 0).then_some(&b"welcome"[..]),
        };
        let mut b = vec![0u8; o.encoded_len().unwrap()];
        o.encode_to_slice(&mut b).unwrap();
        write(&dir, &format!("sasl_outcome_{code}.bin"), &b);
    }
    let mechs = ["PLAIN", "ANONYMOUS"];
    let m = SaslMechanisms {
        mechanisms: Symbols::from_slice(&mechs),
    };
    let mut b = vec![0u8; m.encoded_len().unwrap()];
    m.encode_to_slice(&mut b).unwrap();
    write(&dir, "sasl_mechanisms.bin", &b);

    let big = bin(300);
    let x300 = "x".repeat(300);
    let list = [
        Value::Str("a"),
        Value::Int(1),
        Value::Null,
        Value::Bool(true),
    ];
    let map = [
        (Value::Symbol("k"), Value::Str("v")),
        (Value::Str("n"), Value::Int(2)),
    ];
    let ints = [Value::Int(1), Value::Int(2), Value::Int(300)];
    let payload = Value::Str("payload");
    let values: Vec<(&str, Value<'_>)> = vec![
        ("null", Value::Null),
        ("true", Value::Bool(true)),
        ("ubyte", Value::Ubyte(200)),
        ("ushort", Value::Ushort(65000)),
        ("uint0", Value::Uint(0)),
        ("smalluint", Value::Uint(7)),
        ("uint", Value::Uint(4_000_000_000)),
        ("ulong", Value::Ulong(1 << 63)),
        ("byte", Value::Byte(-5)),
        ("short", Value::Short(-300)),
        ("smallint", Value::Int(-7)),
        ("int", Value::Int(-70000)),
        ("long", Value::Long(-(1 << 40))),
        ("float", Value::Float(1.5)),
        ("double", Value::Double(2.25)),
        ("char", Value::Char('\u{e9}')),
        ("timestamp", Value::Timestamp(1_700_000_000_000)),
        ("uuid", Value::Uuid(core::array::from_fn(|i| i as u8))),
        ("vbin32", Value::Binary(&big)),
        ("str8", Value::Str("h\u{e9}llo")),
        ("str32", Value::Str(&x300)),
        ("sym8", Value::Symbol("amqp:not-found")),
        ("list", Value::List(List::from_values(&list))),
        ("map", Value::Map(Map::from_pairs(&map))),
        ("array_int", Value::Array(Array::from_values(&ints))),
        (
            "described",
            Value::Described(Described::new(Descriptor::Symbol("x-opt:thing"), &payload)),
        ),
    ];
    for (name, v) in &values {
        write(&dir, &format!("value_{name}.bin"), &value_bytes(v));
    }

    let python = std::env::var("PROTON_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("amqp/check_with_proton.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "Proton disagreed with our encodings");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("proton check: all"), "{stdout}");
    std::fs::remove_dir_all(&dir).ok();
}
