//! Hand-checked bytes for the typed layer: frame bodies in the wrong frame
//! type, payloads where none belongs, restricted types kept open, maps
//! whose keys break their rules, message section order, limits, buffer
//! handling, redaction, owned forms.

mod common;

use amqp_frame::bytes::BytesMut;
use amqp_frame::frame::{
    Frame, FrameBody, FrameType, OutFrame, ProtocolHeader, TransferFrame, TypedFrame, Unit,
};
use amqp_frame::messaging::{Body, DataSections, DeliveryState, Message, Rejected};
use amqp_frame::owned::{OwnedFrame, OwnedMessage};
use amqp_frame::restricted::{ApplicationProperties, Fields, Symbols};
use amqp_frame::sasl::{SaslCode, SaslFrame, SaslInit, SaslMechanisms, SaslOutcome, SaslResponse};
use amqp_frame::transport::{
    Close, Disposition, Error, ErrorCondition, Flow, Open, Performative, Role, SenderSettleMode,
    Transfer,
};
use amqp_frame::{DecodeError, DecodeOptions, Decoded, EncodeError, Map, Value};
use common::*;

fn typed(bytes: &[u8]) -> Result<FrameBody<'_>, DecodeError> {
    match TypedFrame::decode_with(bytes, &DecodeOptions::new().max_frame_size(u32::MAX))? {
        Decoded::Complete { item, consumed } => {
            assert_eq!(consumed, bytes.len());
            Ok(item.body)
        }
        Decoded::Incomplete { .. } => panic!("incomplete"),
    }
}

fn encode(f: &TypedFrame<'_>) -> Vec<u8> {
    let mut v = vec![0u8; f.encoded_len().unwrap()];
    assert_eq!(f.encode_to_slice(&mut v).unwrap(), v.len());
    v
}

#[test]
fn open_with_only_a_container_id() {
    let open = Open::new("x");
    let mut buf = [0u8; 16];
    let n = open.encode_to_slice(&mut buf).unwrap();
    // every field after container-id is absent or at its default: elided
    assert_eq!(
        &buf[..n],
        &[0x00, 0x53, 0x10, 0xc0, 0x04, 0x01, 0xa1, 0x01, b'x']
    );
    let (back, used) = Open::decode(&buf[..n]).unwrap();
    assert_eq!((back, used), (open, n));
    assert_eq!(
        (back.max_frame_size, back.channel_max),
        (u32::MAX, u16::MAX)
    );
}

#[test]
fn heartbeats_and_frame_types() {
    assert_eq!(typed(&frame(0, 5, &[])).unwrap(), FrameBody::Heartbeat);
    // an empty SASL frame is not a SASL body
    assert!(typed(&frame(1, 0, &[])).is_err());
    // a performative in a SASL frame, a SASL body in an AMQP frame
    let close = composite(0x18, &[]);
    assert_eq!(
        typed(&frame(1, 0, &close)).unwrap_err(),
        DecodeError::WrongFrameType {
            body: "performative"
        }
    );
    let outcome = composite(0x44, &[ubyte(0)]);
    let e = typed(&frame(0, 0, &outcome)).unwrap_err();
    assert_eq!(e, DecodeError::WrongFrameType { body: "sasl frame" });
    assert_eq!(e.rule(), Some("2.3.2"));
    // an unknown descriptor, a body that is not described
    let e = typed(&frame(0, 0, &composite(0x19, &[]))).unwrap_err();
    assert_eq!(
        e,
        DecodeError::UnexpectedDescriptor {
            expected: "performative"
        }
    );
    assert_eq!(e.rule(), Some("2.7"));
    assert_eq!(
        typed(&frame(0, 0, &[0x45])).unwrap_err(),
        DecodeError::PerformativeNotDescribed
    );
}

#[test]
fn only_transfers_carry_a_payload() {
    let mut body = composite(0x18, &[]);
    body.extend_from_slice(b"xyz");
    let e = typed(&frame(0, 0, &body)).unwrap_err();
    assert_eq!(
        e,
        DecodeError::UnexpectedPayload {
            performative: "close",
            len: 3
        }
    );
    assert_eq!(e.rule(), Some("2.3.2"));
    let mut body = composite(0x44, &[ubyte(0)]);
    body.push(0);
    assert!(matches!(
        typed(&frame(1, 0, &body)).unwrap_err(),
        DecodeError::UnexpectedPayload { .. }
    ));
    let mut body = composite(0x14, &[uint(0)]);
    body.extend_from_slice(b"message bytes");
    let f = frame(0, 0, &body);
    let FrameBody::Amqp { payload, .. } = typed(&f).unwrap() else {
        panic!()
    };
    assert_eq!(payload, b"message bytes");
}

#[test]
fn delivery_tags_are_at_most_32_bytes() {
    let ok = composite(0x14, &[uint(0), uint(1), bin(&[7; 32])]);
    assert!(Transfer::decode(&ok).is_ok());
    let long = composite(0x14, &[uint(0), uint(1), bin(&[7; 33])]);
    let e = Transfer::decode(&long).unwrap_err();
    assert_eq!(
        e,
        DecodeError::InvalidField {
            composite: "transfer",
            field: "delivery-tag"
        }
    );
    assert_eq!(e.rule(), Some("2.7.5"));
    let tag = [7u8; 33];
    let t = Transfer {
        delivery_tag: Some(&tag),
        ..Transfer::new(0)
    };
    assert!(matches!(t.encoded_len(), Err(EncodeError::Invalid(_))));
}

#[test]
fn restricted_types_are_open() {
    // an unknown sender-settle-mode, sasl-code and error condition round-trip
    let attach = composite(0x12, &[str("l"), uint(0), boolean(false), ubyte(9)]);
    let (a, _) = amqp_frame::transport::Attach::decode(&attach).unwrap();
    assert_eq!(a.snd_settle_mode, SenderSettleMode(9));
    let mut buf = vec![0u8; a.encoded_len().unwrap()];
    a.encode_to_slice(&mut buf).unwrap();
    assert_eq!(buf, attach);

    let o = SaslOutcome {
        code: SaslCode(9),
        additional_data: None,
    };
    let mut buf = vec![0u8; o.encoded_len().unwrap()];
    o.encode_to_slice(&mut buf).unwrap();
    assert_eq!(SaslOutcome::decode(&buf).unwrap().0.code, SaslCode(9));

    let e = Error::new(ErrorCondition("vendor:custom"));
    let mut buf = vec![0u8; e.encoded_len().unwrap()];
    e.encode_to_slice(&mut buf).unwrap();
    assert_eq!(Error::decode(&buf).unwrap().0.condition.0, "vendor:custom");
}

#[test]
fn map_keys_follow_their_rules() {
    // fields: symbol keys only
    let flow = composite(
        0x13,
        &[
            null(),
            uint(1),
            uint(1),
            uint(1),
            null(),
            null(),
            null(),
            null(),
            null(),
            null(),
            map(&[(str("k"), null())]),
        ],
    );
    assert_eq!(
        Flow::decode(&flow).unwrap_err(),
        DecodeError::InvalidField {
            composite: "flow",
            field: "properties"
        }
    );
    let bad = [(Value::Str("k"), Value::Null)];
    let f = Fields::from_map(Map::from_pairs(&bad));
    let close = Close {
        error: Some(Error {
            info: Some(f),
            ..Error::new(ErrorCondition::DECODE_ERROR)
        }),
    };
    assert!(matches!(close.encoded_len(), Err(EncodeError::Invalid(_))));

    // application properties: string keys, no compound values
    let msg = described(0x74, map(&[(sym("k"), uint(1))]));
    assert_eq!(
        Message::decode(&msg).unwrap_err(),
        DecodeError::InvalidField {
            composite: "application-properties",
            field: "map"
        }
    );
    let msg = described(0x74, map(&[(str("k"), list(&[uint(1)]))]));
    assert!(Message::decode(&msg).is_err());
    let l = [Value::Uint(1)];
    let bad = [(
        Value::Str("k"),
        Value::List(amqp_frame::List::from_values(&l)),
    )];
    let m = Message {
        application_properties: Some(ApplicationProperties::from_map(Map::from_pairs(&bad))),
        ..Message::default()
    };
    assert!(matches!(m.encoded_len(), Err(EncodeError::Invalid(_))));

    // annotations: symbol or ulong keys
    let msg = described(0x72, map(&[(ulong(5), null()), (sym("x-opt-a"), null())]));
    assert!(Message::decode(&msg).is_ok());
    let msg = described(0x72, map(&[(uint(5), null())]));
    assert!(Message::decode(&msg).is_err());
}

#[test]
fn message_sections() {
    let header = composite(0x70, &[boolean(true)]);
    let props = composite(0x73, &[str("id")]);
    let data = described(0x75, bin(b"d"));
    let seq = described(0x76, list(&[uint(1)]));
    let value = described(0x77, str("v"));
    let footer = described(0x78, map(&[]));
    let ok = [
        header.clone(),
        props.clone(),
        data.clone(),
        data.clone(),
        footer.clone(),
    ]
    .concat();
    let m = Message::decode(&ok).unwrap();
    let Some(Body::Data(d)) = m.body else {
        panic!()
    };
    assert_eq!(d.len(), 2);
    for (bad, section) in [
        ([props.clone(), header.clone()].concat(), "header"),
        ([header.clone(), header.clone()].concat(), "header"),
        ([data.clone(), seq.clone()].concat(), "amqp-sequence"),
        ([value.clone(), value.clone()].concat(), "amqp-value"),
        ([data.clone(), props.clone()].concat(), "properties"),
        ([footer.clone(), data.clone()].concat(), "data"),
        (
            [data.clone(), footer.clone(), data.clone()].concat(),
            "data",
        ),
    ] {
        let e = Message::decode(&bad).unwrap_err();
        assert_eq!(e, DecodeError::SectionOrder { section }, "{bad:02x?}");
        assert_eq!(e.rule(), Some("3.2"));
    }
    assert_eq!(
        Message::decode(&described(0x79, null())).unwrap_err(),
        DecodeError::UnexpectedDescriptor {
            expected: "section"
        }
    );
    assert_eq!(
        Message::decode(&described(0x75, str("not binary"))).unwrap_err(),
        DecodeError::InvalidField {
            composite: "data",
            field: "binary"
        }
    );
    // Section bytes that look like a section header inside a data payload
    // are payload.
    let tricky = described(0x75, bin(&[0x00, 0x53, 0x70, 0x45]));
    let m = Message::decode(&tricky).unwrap();
    assert!(m.header.is_none());
    // amqp-value may hold a described value (e.g. a transaction's declare)
    let declare = described(0x77, composite(0x31, &[]));
    assert!(matches!(
        Message::decode(&declare).unwrap().body,
        Some(Body::Value(Value::Described(_)))
    ));
}

#[test]
fn nesting_is_limited() {
    // an error's info map nested 40 deep
    let mut v = null();
    for _ in 0..40 {
        v = list(&[v]);
    }
    let close = composite(
        0x18,
        &[composite(
            0x1d,
            &[sym("amqp:x"), null(), map(&[(sym("k"), v)])],
        )],
    );
    assert!(matches!(
        Close::decode(&close).unwrap_err(),
        DecodeError::DepthExceeded { limit: 32 }
    ));
    let deep = DecodeOptions::new().max_depth(64);
    assert!(Close::decode_with(&close, &deep).is_ok());
}

#[test]
fn buffers() {
    let d = Disposition {
        role: Role::Receiver,
        first: 1,
        last: Some(10),
        settled: true,
        state: Some(DeliveryState::Accepted),
        batchable: false,
    };
    let f = TypedFrame::amqp(0, Performative::Disposition(d), &[]);
    let bytes = encode(&f);
    assert_eq!(bytes.len(), 24); // the amqp_disposition workload's size
    let mut small = [0xaau8; 23];
    assert_eq!(
        f.encode_to_slice(&mut small),
        Err(EncodeError::BufferTooSmall { required: 24 })
    );
    assert!(small.iter().all(|&b| b == 0xaa), "nothing written on error");
    let mut out = BytesMut::new();
    assert_eq!(f.encode(&mut out).unwrap(), 24);
    assert_eq!(&out[..], &bytes[..]);
    let mut fixed = [0u8; 10];
    let mut w = &mut fixed[..];
    assert!(matches!(
        f.encode(&mut w),
        Err(EncodeError::BufferTooSmall { required: 24 })
    ));
}

/// Every type with `encode_to_slice` also appends to a `BufMut`, with the
/// same bytes, and refuses a `BufMut` that is too small.
#[test]
fn every_encoder_also_writes_into_bufmut() {
    macro_rules! same {
        ($v:expr) => {{
            let v = $v;
            let len = v.encoded_len().unwrap();
            let mut slice = vec![0u8; len];
            assert_eq!(v.encode_to_slice(&mut slice), Ok(len));
            let mut out = BytesMut::new();
            assert_eq!(v.encode(&mut out), Ok(len), "{v:?}");
            assert_eq!(&out[..], &slice[..], "{v:?}");
            let mut fixed = vec![0u8; len - 1];
            let mut w = &mut fixed[..];
            assert_eq!(
                v.encode(&mut w),
                Err(EncodeError::BufferTooSmall { required: len })
            );
        }};
    }
    let init = SaslInit {
        mechanism: "PLAIN",
        initial_response: Some(b"\0user\0pw"),
        hostname: Some("broker"),
    };
    same!(SaslFrame::Init(init));
    same!(DeliveryState::Accepted);
    same!(DeliveryState::Rejected(Rejected { error: None }));
    same!(Value::Str("a value"));
    let fields = [Value::Uint(1), Value::Symbol("s"), Value::Null];
    same!(Value::List(amqp_frame::List::from_values(&fields)));
    let close = TypedFrame::amqp(0, Performative::Close(Close { error: None }), &[]);
    let bytes = encode(&close);
    let Decoded::Complete { item: frame, .. } =
        Frame::decode_with(&bytes, &DecodeOptions::new().max_frame_size(1024)).unwrap()
    else {
        panic!("incomplete");
    };
    same!(frame);
    same!(Unit::Frame(frame));
    same!(OutFrame::new(FrameType::Amqp, 7, Value::Uint(5)));
    let header = ProtocolHeader::SASL;
    let mut out = BytesMut::new();
    assert_eq!(header.encode(&mut out), Ok(8));
    assert_eq!(&out[..], b"AMQP\x03\x01\x00\x00");
    same!(Unit::Header(header));
}

#[test]
fn secrets_are_redacted() {
    let init = SaslInit {
        mechanism: "PLAIN",
        initial_response: Some(b"\0user\0hunter2"),
        hostname: None,
    };
    let r = SaslResponse {
        response: b"hunter2",
    };
    for s in [
        format!("{init:?}"),
        format!("{r:?}"),
        format!("{:?}", SaslFrame::Init(init)),
    ] {
        assert!(!s.contains("hunter2") && s.contains("redacted"), "{s}");
    }
    assert!(format!("{init:?}").contains("PLAIN"));
    // the frame around it, decoded generically, does not show its body
    let typed = TypedFrame::sasl(SaslFrame::Init(init));
    let mut buf = [0u8; 64];
    let n = typed.encode_to_slice(&mut buf).unwrap();
    let Ok(Decoded::Complete { item: frame, .. }) =
        Frame::decode_with(&buf[..n], &DecodeOptions::new().max_frame_size(512))
    else {
        panic!()
    };
    let shown = format!("{frame:?}");
    assert!(
        shown.contains("redacted") && !shown.contains("104, 117, 110"),
        "{shown}"
    );
}

#[test]
fn sasl_mechanisms_must_not_be_empty() {
    let m = SaslMechanisms {
        mechanisms: Symbols::EMPTY,
    };
    assert!(matches!(m.encoded_len(), Err(EncodeError::Invalid(_))));
    let e = SaslMechanisms::decode(&composite(0x40, &[sym_array(&[])])).unwrap_err();
    assert_eq!(
        e,
        DecodeError::MissingField {
            composite: "sasl-mechanisms",
            field: "sasl-server-mechanisms"
        }
    );
}

#[test]
fn owned_frames_and_messages() {
    let msg = Message {
        body: Some(Body::Data(DataSections::one(b"payload"))),
        ..Message::default()
    };
    let state = DeliveryState::Rejected(Rejected::default());
    let t = Transfer {
        delivery_id: Some(3),
        delivery_tag: Some(b"t3"),
        state: Some(amqp_frame::restricted::Lazy::new(&state)),
        ..Transfer::new(2)
    };
    let tf = TransferFrame {
        channel: 9,
        transfer: t,
        message: &msg,
    };
    let mut wire = BytesMut::new();
    tf.encode(&mut wire).unwrap();
    // the same bytes as a typed frame whose payload is the encoded message
    let mut m = vec![0u8; msg.encoded_len().unwrap()];
    msg.encode_to_slice(&mut m).unwrap();
    assert_eq!(
        &wire[..],
        &encode(&TypedFrame::amqp(9, Performative::Transfer(t), &m))[..]
    );

    wire.extend_from_slice(&frame(0, 0, &[])); // and a heartbeat after it
    let full = wire.clone();
    // incomplete: nothing taken
    let mut part = BytesMut::from(&full[..10]);
    assert!(!OwnedFrame::decode(&mut part).unwrap().is_complete());
    assert_eq!(part.len(), 10);
    let Decoded::Complete { item, .. } = OwnedFrame::decode(&mut wire).unwrap() else {
        panic!()
    };
    assert_eq!(item.channel(), 9);
    assert!(matches!(item.performative(), Some(Performative::Transfer(x)) if x == t));
    let payload = item.payload().unwrap();
    assert_eq!(&payload[..], &m[..]);
    let owned = OwnedMessage::from_bytes(payload).unwrap();
    assert_eq!(owned.as_message(), msg);
    let Decoded::Complete { item: hb, .. } = OwnedFrame::decode(&mut wire).unwrap() else {
        panic!()
    };
    assert_eq!(hb.as_frame().body, FrameBody::Heartbeat);
    assert!(hb.payload().is_none());
    assert!(wire.is_empty());
    // a malformed frame leaves the buffer as it was
    let mut bad = BytesMut::from(&frame(0, 0, &[0x45])[..]);
    assert!(OwnedFrame::decode(&mut bad).is_err());
    assert_eq!(bad.len(), 9);
    // split payloads
    let owned = OwnedMessage::from_payloads([&m[..3], &m[3..]]).unwrap();
    assert_eq!(owned.as_message(), msg);
    assert!(OwnedMessage::from_payloads([&m[..3]]).is_err());
}

#[test]
fn encoders_refuse_what_the_decoder_refuses() {
    // payload after a performative other than transfer (2.3.2)
    let close = TypedFrame::amqp(0, Performative::Close(Close::default()), b"xx");
    let e = Err(EncodeError::Invalid(
        "payload after a performative other than transfer (2.3.2)",
    ));
    assert_eq!(close.encoded_len(), e);
    let mut buf = [0u8; 64];
    assert_eq!(
        close.encode_to_slice(&mut buf).map(|_| ()),
        e.map(|_: usize| ())
    );
    assert!(buf.iter().all(|&b| b == 0), "nothing written");
    assert!(matches!(
        OwnedFrame::from_typed(&close),
        Err(EncodeError::Invalid(_))
    ));

    // a symbol that is not ASCII: no size is given for it, nothing written
    let bad = Close {
        error: Some(Error::new(ErrorCondition("é"))),
    };
    let frame = TypedFrame::amqp(0, Performative::Close(bad), &[]);
    assert_eq!(frame.encoded_len(), Err(EncodeError::InvalidSymbol));
    assert_eq!(
        frame.encode_to_slice(&mut buf),
        Err(EncodeError::InvalidSymbol)
    );
    assert!(buf.iter().all(|&b| b == 0), "nothing written");
}

#[test]
fn owned_forms_only_hold_what_decodes() {
    // an amqp-value the decoder refuses (zero-width elements past the
    // limit) encodes, but cannot become an owned message
    let nulls = [Value::Null; 5000];
    let array = amqp_frame::Array::from_values(&nulls);
    let value = Value::Array(array);
    let message = Message {
        body: Some(Body::Value(value)),
        ..Message::default()
    };
    assert!(message.encoded_len().is_ok());
    assert!(matches!(
        OwnedMessage::from_message(&message),
        Err(EncodeError::Decode(_))
    ));
    // one the decoder takes is kept, and reads back
    let small = Value::Uint(7);
    let ok = Message {
        body: Some(Body::Value(small)),
        ..Message::default()
    };
    assert_eq!(OwnedMessage::from_message(&ok).unwrap().as_message(), ok);
}

/// `OwnedFrame::from_bytes` takes exactly one whole frame.
#[test]
fn owned_frame_from_bytes() {
    use amqp_frame::bytes::Bytes;
    let close = TypedFrame::amqp(3, Performative::Close(Close { error: None }), &[]);
    let bytes = encode(&close);
    let owned = OwnedFrame::from_bytes(Bytes::from(bytes.clone())).unwrap();
    assert_eq!(owned.as_frame(), close);
    assert_eq!(owned.as_bytes()[..], bytes[..]);
    assert_eq!(OwnedFrame::from_typed(&close).unwrap(), owned);
    assert_eq!(owned.clone().into_bytes(), Bytes::from(bytes.clone()));
    // cut short, or with bytes after it
    let short = Bytes::from(bytes[..bytes.len() - 1].to_vec());
    assert_eq!(
        OwnedFrame::from_bytes(short),
        Err(DecodeError::UnexpectedEnd { needed: 1 })
    );
    let mut long = bytes.clone();
    long.extend_from_slice(&[0, 0]);
    assert_eq!(
        OwnedFrame::from_bytes(Bytes::from(long)),
        Err(DecodeError::TrailingBytes { len: 2 })
    );
    // larger than the options allow
    let small = DecodeOptions::new().max_frame_size(8);
    assert!(matches!(
        OwnedFrame::from_bytes_with(Bytes::from(bytes), &small),
        Err(DecodeError::FrameTooLarge { max: 8, .. })
    ));
}
