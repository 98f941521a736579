//! `amqp-frame` reading bytes written by Qpid Proton 0.37 (Debian's
//! python3-qpid-proton): a whole connection between two Proton engines
//! (SASL, open, begin, attach, flow, a multi-frame transfer, dispositions,
//! detach, end, close), SASL frames, messages with every section, and
//! values of every primitive type. The fixtures and the script that made
//! them are committed (`tests/amqp/make_proton_fixtures.py`,
//! `tests/data/amqp/proton/`); every fixture file is checked here, and each
//! decoded frame, message and value is also re-encoded by us and decoded
//! again to the same thing.

use std::collections::BTreeSet;

use amqp_frame::frame::{FrameBody, ProtocolHeader, TypedFrame, Unit};
use amqp_frame::messaging::{Body, DeliveryState, LinkTarget, MessageId};
use amqp_frame::owned::OwnedMessage;
use amqp_frame::restricted::AnnotationKey;
use amqp_frame::sasl::{SaslCode, SaslFrame};
use amqp_frame::transport::{
    ErrorCondition, Performative, ReceiverSettleMode, Role, SenderSettleMode,
};
use amqp_frame::DecodeOptions;
use amqp_frame::{Array, DecodeError, Decoded, Described, Descriptor, List, Map, Message, Value};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/amqp/proton/");

fn load(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}.bin")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What a stream holds, unit by unit.
#[derive(Debug)]
enum U<'a> {
    Header(ProtocolHeader),
    Frame(u16, FrameBody<'a>),
}

/// Every unit of a stream; each frame is re-encoded by us and decodes back
/// to the same typed frame.
fn units(data: &[u8]) -> Vec<U<'_>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let Decoded::Complete { item, consumed } =
            Unit::decode_with(rest, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap()
        else {
            panic!("incomplete unit")
        };
        match item {
            Unit::Header(h) => out.push(U::Header(h)),
            Unit::Frame(f) => {
                let body = f
                    .typed_body()
                    .unwrap_or_else(|e| panic!("{e}: {:02x?}", f.body));
                let typed = TypedFrame {
                    channel: f.channel,
                    body,
                };
                let mut buf = vec![0u8; typed.encoded_len().unwrap()];
                typed.encode_to_slice(&mut buf).unwrap();
                let Decoded::Complete { item: again, .. } =
                    TypedFrame::decode_with(&buf, &DecodeOptions::new().max_frame_size(u32::MAX))
                        .unwrap()
                else {
                    panic!("re-encoded frame incomplete")
                };
                assert_eq!(again, typed);
                out.push(U::Frame(f.channel, body));
            }
        }
        rest = &rest[consumed..];
    }
    out
}

fn perf<'a>(u: &U<'a>) -> (Performative<'a>, &'a [u8]) {
    match u {
        U::Frame(
            0,
            FrameBody::Amqp {
                performative,
                payload,
            },
        ) => (*performative, payload),
        other => panic!("not a performative on channel 0: {other:?}"),
    }
}

fn sasl<'a>(u: &U<'a>) -> SaslFrame<'a> {
    match u {
        U::Frame(_, FrameBody::Sasl(s)) => *s,
        other => panic!("not a SASL frame: {other:?}"),
    }
}

fn bin(n: usize) -> Vec<u8> {
    (0..n).map(|j| j as u8).collect()
}

/// Re-encodes a message and checks it decodes to the same message.
fn roundtrip_message(m: &Message<'_>) {
    let mut buf = vec![0u8; m.encoded_len().unwrap()];
    m.encode_to_slice(&mut buf).unwrap();
    assert_eq!(Message::decode(&buf).unwrap(), *m);
}

fn check_full_message(m: &Message<'_>) {
    let h = m.header.unwrap();
    assert_eq!(
        (
            h.durable,
            h.priority,
            h.ttl,
            h.first_acquirer,
            h.delivery_count
        ),
        (Some(true), Some(7), Some(60_000), Some(true), Some(2))
    );
    let da = m.delivery_annotations.unwrap();
    assert_eq!(
        da.get(AnnotationKey::Symbol("x-opt-delivery")),
        Some(Value::Str("now"))
    );
    let ma = m.message_annotations.unwrap();
    assert_eq!(
        ma.get(AnnotationKey::Symbol("x-opt-partition")),
        Some(Value::Int(3))
    );
    assert_eq!(
        ma.get(AnnotationKey::Ulong(42)),
        Some(Value::Str("numeric-key"))
    );
    let p = m.properties.unwrap();
    assert_eq!(p.message_id, Some(MessageId::Str("msg-0001")));
    assert_eq!(p.user_id, Some(&b"fixture-user"[..]));
    assert_eq!(
        (p.to, p.subject),
        (Some("queue://fixture"), Some("temperature"))
    );
    assert_eq!(p.reply_to, Some("queue://replies"));
    assert_eq!(p.correlation_id, Some(MessageId::Ulong(77)));
    assert_eq!(
        (p.content_type, p.content_encoding),
        (Some("application/octet-stream"), Some("identity"))
    );
    assert_eq!(
        (p.absolute_expiry_time, p.creation_time),
        (Some(1_700_000_060_000), Some(1_700_000_000_000))
    );
    assert_eq!((p.group_id, p.group_sequence), (Some("group-a"), Some(5)));
    assert_eq!(p.reply_to_group_id, Some("group-b"));
    let ap = m.application_properties.unwrap();
    assert_eq!(ap.len(), 4);
    assert_eq!(ap.get("sensor"), Some(Value::Str("room1")));
    assert_eq!(ap.get("seq"), Some(Value::Int(1)));
    assert_eq!(ap.get("unit"), Some(Value::Str("celsius")));
    assert_eq!(ap.get("ok"), Some(Value::Bool(true)));
    let Some(Body::Data(d)) = m.body else {
        panic!("{:?}", m.body)
    };
    assert_eq!(d.iter().collect::<Vec<_>>(), [&bin(256)[..]]);
    assert!(m.footer.is_none());
    roundtrip_message(m);
}

#[test]
fn conversation_client_side() {
    let data = load("conversation_client");
    let u = units(&data);
    assert_eq!(u.len(), 14, "{u:#?}");
    assert!(matches!(u[0], U::Header(h) if h == ProtocolHeader::SASL));
    let SaslFrame::Init(init) = sasl(&u[1]) else {
        panic!()
    };
    assert_eq!(init.mechanism, "ANONYMOUS");
    assert_eq!(init.initial_response, Some(&b"anonymous"[..]));
    assert!(matches!(u[2], U::Header(h) if h == ProtocolHeader::AMQP));

    let (Performative::Open(open), _) = perf(&u[3]) else {
        panic!()
    };
    let open = open.decode().unwrap();
    assert_eq!(open.container_id, "proton-client");
    assert_eq!(open.hostname, Some("broker.example"));
    assert_eq!((open.max_frame_size, open.channel_max), (65536, 255));
    // Proton advertises half of its idle timeout (30 s).
    assert_eq!(open.idle_time_out, Some(15_000));
    assert_eq!(
        open.offered_capabilities.iter().collect::<Vec<_>>(),
        ["cap-a", "cap-b"]
    );
    // a single symbol, not an array
    assert_eq!(
        open.desired_capabilities.iter().collect::<Vec<_>>(),
        ["cap-c"]
    );
    assert_eq!(
        open.properties.unwrap().get("product"),
        Some(Value::Str("fixture"))
    );

    let (Performative::Begin(begin), _) = perf(&u[4]) else {
        panic!()
    };
    let begin = begin.decode().unwrap();
    assert_eq!(begin.remote_channel, None);
    assert_eq!(begin.next_outgoing_id, 0);
    assert_eq!(begin.handle_max, u32::MAX);

    let (Performative::Attach(attach), _) = perf(&u[5]) else {
        panic!()
    };
    let attach = attach.decode().unwrap();
    assert_eq!(
        (attach.name, attach.handle, attach.role),
        ("fixture-link", 0, Role::Sender)
    );
    assert_eq!(attach.snd_settle_mode, SenderSettleMode::UNSETTLED);
    assert_eq!(attach.rcv_settle_mode, ReceiverSettleMode::FIRST);
    assert_eq!(
        attach.source.unwrap().decode().unwrap().address,
        Some("src/fixture")
    );
    let Some(LinkTarget::Target(t)) = attach.target.map(|t| t.decode().unwrap()) else {
        panic!()
    };
    assert_eq!(t.address, Some("queue://fixture"));
    assert_eq!(attach.initial_delivery_count, Some(0));

    // The first delivery fits one frame; the second (3000 bytes of data)
    // is split by the server's max-frame-size of 1024.
    let (Performative::Transfer(t1), payload) = perf(&u[6]) else {
        panic!()
    };
    assert_eq!(
        (t1.delivery_id, t1.delivery_tag),
        (Some(0), Some(&b"tag-1"[..]))
    );
    assert!(!t1.more);
    check_full_message(&Message::decode(payload).unwrap());

    let mut parts = Vec::new();
    for (i, unit) in u[7..11].iter().enumerate() {
        let (Performative::Transfer(t), payload) = perf(unit) else {
            panic!()
        };
        assert_eq!(t.delivery_id, Some(1));
        assert_eq!(t.delivery_tag, Some(&b"tag-2"[..]));
        assert_eq!(t.more, i < 3, "more on frame {i}");
        parts.push(payload);
    }
    // No frame of the delivery is larger than the server's maximum.
    let mut rest = &data[..];
    while let Ok(Decoded::Complete { item, consumed }) =
        Unit::decode_with(rest, &DecodeOptions::new().max_frame_size(u32::MAX))
    {
        if let Unit::Frame(_) = item {
            assert!(consumed <= 65536);
        }
        rest = &rest[consumed..];
    }
    assert!(
        Message::decode(parts[0]).is_err(),
        "a piece alone is not a message"
    );
    let big = OwnedMessage::from_payloads(parts.iter().copied()).unwrap();
    let m = big.as_message();
    let Some(Body::Data(d)) = m.body else {
        panic!()
    };
    assert_eq!(d.iter().collect::<Vec<_>>(), [&bin(3000)[..]]);

    let (Performative::Detach(detach), _) = perf(&u[11]) else {
        panic!()
    };
    assert!(detach.closed);
    let e = detach.error.unwrap();
    assert_eq!(e.condition, ErrorCondition::DETACH_FORCED);
    assert_eq!(e.description, Some("fixture over"));
    assert_eq!(e.info.unwrap().get("at"), Some(Value::Str("detach")));
    assert!(matches!(perf(&u[12]).0, Performative::End(e) if e.error.is_none()));
    let (Performative::Close(close), _) = perf(&u[13]) else {
        panic!()
    };
    let e = close.error.unwrap();
    assert_eq!(
        (e.condition, e.description),
        (ErrorCondition::CONNECTION_FORCED, Some("bye"))
    );
}

#[test]
fn conversation_server_side() {
    let data = load("conversation_server");
    let u = units(&data);
    assert_eq!(u.len(), 13, "{u:#?}");
    assert!(matches!(u[0], U::Header(h) if h == ProtocolHeader::SASL));
    let SaslFrame::Mechanisms(m) = sasl(&u[1]) else {
        panic!()
    };
    assert_eq!(m.mechanisms.iter().collect::<Vec<_>>(), ["ANONYMOUS"]);
    let SaslFrame::Outcome(o) = sasl(&u[2]) else {
        panic!()
    };
    assert_eq!(o.code, SaslCode::OK);
    assert!(matches!(u[3], U::Header(h) if h == ProtocolHeader::AMQP));
    let (Performative::Open(open), _) = perf(&u[4]) else {
        panic!()
    };
    let open = open.decode().unwrap();
    assert_eq!(
        (open.container_id, open.max_frame_size),
        ("proton-server", 1024)
    );
    assert_eq!(open.idle_time_out, None);
    let (Performative::Begin(begin), _) = perf(&u[5]) else {
        panic!()
    };
    let begin = begin.decode().unwrap();
    assert_eq!(begin.remote_channel, Some(0));
    let (Performative::Attach(attach), _) = perf(&u[6]) else {
        panic!()
    };
    let attach = attach.decode().unwrap();
    assert_eq!((attach.name, attach.role), ("fixture-link", Role::Receiver));
    let (Performative::Flow(flow), _) = perf(&u[7]) else {
        panic!()
    };
    assert_eq!(
        (flow.handle, flow.link_credit, flow.delivery_count),
        (Some(0), Some(10), Some(0))
    );
    assert_eq!(flow.next_incoming_id, Some(0));
    assert!(!flow.drain && !flow.echo);
    let (Performative::Disposition(rejected), _) = perf(&u[8]) else {
        panic!()
    };
    assert_eq!(
        (rejected.role, rejected.first, rejected.last),
        (Role::Receiver, 1, None)
    );
    assert!(rejected.settled);
    let Some(DeliveryState::Rejected(r)) = rejected.state else {
        panic!()
    };
    let e = r.error.unwrap();
    assert_eq!(e.condition, ErrorCondition::NOT_ALLOWED);
    assert_eq!(e.description, Some("too big for this fixture"));
    let (Performative::Disposition(accepted), _) = perf(&u[9]) else {
        panic!()
    };
    assert_eq!(
        (accepted.first, accepted.state),
        (0, Some(DeliveryState::Accepted))
    );
    assert!(matches!(perf(&u[10]).0, Performative::Detach(d) if d.closed && d.error.is_none()));
    assert!(matches!(perf(&u[11]).0, Performative::End(_)));
    assert!(matches!(perf(&u[12]).0, Performative::Close(c) if c.error.is_none()));
}

#[test]
fn sasl_frames() {
    let data = load("sasl_plain_client");
    let u = units(&data);
    assert_eq!(u.len(), 2);
    let SaslFrame::Init(init) = sasl(&u[1]) else {
        panic!()
    };
    assert_eq!(init.mechanism, "PLAIN");
    assert_eq!(
        init.initial_response,
        Some(&b"\0guest\0secret-password"[..])
    );
    assert!(
        !format!("{init:?}").contains("secret"),
        "credentials redacted"
    );

    for code in 0..5u8 {
        let body = load(&format!("sasl_outcome_{code}"));
        let (SaslFrame::Outcome(o), used) = SaslFrame::decode(&body).unwrap() else {
            panic!()
        };
        assert_eq!(used, body.len());
        assert_eq!(o.code, SaslCode(code));
        assert_eq!(o.code.is_ok(), code == 0);
        assert_eq!(o.additional_data, (code == 0).then_some(&b"welcome"[..]));
        // pn_data writes list32; ours is the shortest form of the same value
        let mut buf = vec![0u8; o.encoded_len().unwrap()];
        o.encode_to_slice(&mut buf).unwrap();
        assert!(buf.len() < body.len());
        assert_eq!(SaslFrame::decode(&buf).unwrap().0, SaslFrame::Outcome(o));
    }

    // A Proton server with no mechanism to offer sends an empty array for
    // the mandatory sasl-server-mechanisms: refused, naming the field.
    let data = load("sasl_no_mechanisms_server");
    let Decoded::Complete { consumed, .. } =
        Unit::decode_with(&data, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap()
    else {
        panic!()
    };
    let Decoded::Complete { item, .. } = Unit::decode_with(
        &data[consumed..],
        &DecodeOptions::new().max_frame_size(u32::MAX),
    )
    .unwrap() else {
        panic!()
    };
    let Unit::Frame(f) = item else { panic!() };
    let e = f.typed_body().unwrap_err();
    assert_eq!(
        e,
        DecodeError::MissingField {
            composite: "sasl-mechanisms",
            field: "sasl-server-mechanisms"
        }
    );
    assert_eq!(e.rule(), Some("5.3.3.1"));
}

#[test]
fn capabilities_sent_as_a_list_are_refused() {
    // Proton 0.37's Python binding writes a SymbolList as an AMQP list; a
    // `multiple` field holds a single value or an array (part 1, 1.3).
    let data = load("open_capabilities_as_list");
    let e =
        TypedFrame::decode_with(&data, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap_err();
    assert_eq!(
        e,
        DecodeError::InvalidField {
            composite: "open",
            field: "offered-capabilities"
        }
    );
    assert_eq!(e.rule(), Some("2.7.1"));
}

#[test]
fn messages() {
    check_full_message(&Message::decode(&load("message_full")).unwrap());

    // Proton always writes a header and properties, empty or not.
    let value = load("message_value");
    let m = Message::decode(&value).unwrap();
    assert_eq!(m.body, Some(Body::Value(Value::Str("a string body"))));
    assert_eq!(m.header.unwrap(), Default::default());
    roundtrip_message(&m);

    let seq = load("message_sequence");
    let m = Message::decode(&seq).unwrap();
    let Some(Body::Sequence(s)) = m.body else {
        panic!()
    };
    let lists: Vec<List<'_>> = s.iter().collect();
    let expected = [Value::Str("seq"), Value::Int(1)];
    assert_eq!(lists, [List::from_values(&expected)]);
    roundtrip_message(&m);

    let map = load("message_map_value");
    let m = Message::decode(&map).unwrap();
    let pairs = [(Value::Str("k"), Value::Str("v"))];
    assert_eq!(
        m.body,
        Some(Body::Value(Value::Map(Map::from_pairs(&pairs))))
    );
    roundtrip_message(&m);

    // An unset body is sent without any body section.
    let empty = load("message_empty");
    let m = Message::decode(&empty).unwrap();
    assert!(m.body.is_none() && m.header.is_some() && m.properties.is_some());
    roundtrip_message(&m);
}

/// The expected value of each `value_*.bin` fixture.
fn expected_value(name: &str, check: impl FnOnce(&Value<'_>)) {
    let data = load(&format!("value_{name}"));
    let (v, used) = Value::decode(&data).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(used, data.len(), "{name}");
    check(&v);
    let mut buf = vec![0u8; v.encoded_len().unwrap()];
    v.encode_to_slice(&mut buf).unwrap();
    assert_eq!(Value::decode(&buf).unwrap().0, v, "{name} re-encoded");
}

#[test]
fn values_of_every_type() {
    let big = bin(300);
    let x300 = "x".repeat(300);
    let s260 = "s".repeat(260);
    let simple: Vec<(&str, Value<'_>)> = vec![
        ("null", Value::Null),
        ("true", Value::Bool(true)),
        ("false", Value::Bool(false)),
        ("ubyte", Value::Ubyte(200)),
        ("ushort", Value::Ushort(65000)),
        ("uint0", Value::Uint(0)),
        ("smalluint", Value::Uint(7)),
        ("uint", Value::Uint(4_000_000_000)),
        ("ulong0", Value::Ulong(0)),
        ("smallulong", Value::Ulong(9)),
        ("ulong", Value::Ulong(1 << 63)),
        ("byte", Value::Byte(-5)),
        ("short", Value::Short(-300)),
        ("smallint", Value::Int(-7)),
        ("int", Value::Int(-70000)),
        ("smalllong", Value::Long(-3)),
        ("long", Value::Long(-(1 << 40))),
        ("float", Value::Float(1.5)),
        ("double", Value::Double(2.25)),
        ("decimal32", Value::Decimal32(0x2250_0000u32.to_be_bytes())),
        (
            "decimal64",
            Value::Decimal64(0x2238_0000_0000_0001u64.to_be_bytes()),
        ),
        (
            "decimal128",
            Value::Decimal128(core::array::from_fn(|i| i as u8)),
        ),
        ("char", Value::Char('\u{e9}')),
        ("timestamp", Value::Timestamp(1_700_000_000_000)),
        (
            "uuid",
            Value::Uuid([
                0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34,
                0x56, 0x78,
            ]),
        ),
        ("vbin8", Value::Binary(&[0, 1, 0xfe])),
        ("vbin32", Value::Binary(&big)),
        ("str8", Value::Str("h\u{e9}llo")),
        ("str32", Value::Str(&x300)),
        ("sym8", Value::Symbol("amqp:not-found")),
        ("sym32", Value::Symbol(&s260)),
    ];
    let mut seen = BTreeSet::new();
    for (name, want) in &simple {
        expected_value(name, |v| assert_eq!(v, want, "{name}"));
        seen.insert(format!("value_{name}.bin"));
    }
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
    let ints = [Value::Int(1), Value::Int(2), Value::Int(3)];
    let syms = [Value::Symbol("a"), Value::Symbol("bc")];
    let payload = Value::Str("payload");
    let inner_list = [Value::Null, Value::Ulong(5)];
    let inner_list = Value::List(List::from_values(&inner_list));
    let inner = [(Value::Str("inner"), inner_list)];
    let outer_list = [Value::Int(1), Value::Map(Map::from_pairs(&inner))];
    let nested = [(
        Value::Str("outer"),
        Value::List(List::from_values(&outer_list)),
    )];
    let compound: Vec<(&str, Value<'_>)> = vec![
        ("list", Value::List(List::from_values(&list))),
        ("list0", Value::List(List::from_values(&[]))),
        ("map", Value::Map(Map::from_pairs(&map))),
        ("array_int", Value::Array(Array::from_values(&ints))),
        ("array_sym", Value::Array(Array::from_values(&syms))),
        (
            "described",
            Value::Described(Described::new(Descriptor::Symbol("x-opt:thing"), &payload)),
        ),
        ("nested", Value::Map(Map::from_pairs(&nested))),
    ];
    for (name, want) in &compound {
        expected_value(name, |v| assert_eq!(v, want, "{name}"));
        seen.insert(format!("value_{name}.bin"));
    }
    // Every value fixture the script wrote is checked above.
    let on_disk: BTreeSet<String> = std::fs::read_dir(DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("value_"))
        .collect();
    assert_eq!(on_disk, seen);
}

#[test]
fn every_fixture_is_checked() {
    let checked: BTreeSet<&str> = [
        "conversation_client.bin",
        "conversation_server.bin",
        "sasl_plain_client.bin",
        "sasl_no_mechanisms_server.bin",
        "open_capabilities_as_list.bin",
        "message_full.bin",
        "message_value.bin",
        "message_sequence.bin",
        "message_map_value.bin",
        "message_empty.bin",
    ]
    .into_iter()
    .collect();
    for e in std::fs::read_dir(DIR).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        let covered = checked.contains(name.as_str())
            || name.starts_with("value_")
            || name.starts_with("sasl_outcome_");
        assert!(covered, "fixture {name} is not checked by any test");
    }
}
