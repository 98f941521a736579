//! `amqp`: protocol headers and frames through `amqp_frame::frame`, one unit
//! at a time. Each frame body is decoded twice: as the generic described
//! value it is on the wire (the `performative` JSON, every constructor
//! visible), and as its typed performative or SASL body (defaults applied,
//! mandatory fields checked, the message of a transfer decoded), which is
//! what the text shows and what `roundtrip` re-encodes.

use std::fmt::Write as _;

use amqp_frame::frame::{
    performative_name, Frame, FrameBody, ProtocolHeader, ProtocolId, TypedFrame, Unit,
};
use amqp_frame::messaging::Body;
use amqp_frame::transport::Performative;
use amqp_frame::{DecodeOptions, Decoded, Descriptor, Message, Value};
use serde_json::{json, Value as Json};

use crate::{hex, Step};

/// sasl-init (0x41) and sasl-response (0x43) carry credentials: their raw
/// value is not printed (their typed form redacts them).
fn holds_credentials(v: &Value<'_>) -> bool {
    matches!(v, Value::Described(d) if matches!(d.descriptor, Descriptor::Code(0x41 | 0x43)))
}

/// The inspector accepts any frame size a 32-bit SIZE field can express.
const MAX_FRAME: u32 = u32::MAX;

pub(super) fn step(input: &[u8]) -> Step {
    match Unit::decode_with(input, &DecodeOptions::new().max_frame_size(MAX_FRAME)) {
        Ok(Decoded::Complete {
            item: Unit::Header(h),
            consumed,
        }) => header_step(h, consumed),
        Ok(Decoded::Complete {
            item: Unit::Frame(f),
            consumed,
        }) => frame_step(&f, consumed),
        Ok(Decoded::Incomplete { needed }) => Step::Incomplete {
            needed: needed.map(|n| n.get()),
        },
        Err(e) => Step::Error {
            message: e.to_string(),
            rule: e.rule().map(str::to_owned),
            resume_after: Frame::peek_size(input)
                .and_then(|s| usize::try_from(s).ok())
                .filter(|&s| s >= 8),
        },
    }
}

fn protocol_name(h: &ProtocolHeader) -> &'static str {
    match h.supported() {
        Some(ProtocolId::Amqp) => "amqp",
        Some(ProtocolId::Tls) => "tls",
        Some(ProtocolId::Sasl) => "sasl",
        None => "unsupported",
    }
}

fn header_step(h: ProtocolHeader, consumed: usize) -> Step {
    let text = format!(
        "HEADER AMQP {} {}.{}.{} ({})",
        h.id,
        h.major,
        h.minor,
        h.revision,
        protocol_name(&h)
    );
    let json = json!({
        "type": "header",
        "protocol_id": h.id,
        "major": h.major,
        "minor": h.minor,
        "revision": h.revision,
        "protocol": h.supported().map(|_| protocol_name(&h)),
    });
    Step::Packet {
        len: consumed,
        text,
        json,
        reencoded: Ok(h.to_bytes().to_vec()),
    }
}

fn descriptor_text(d: &Descriptor<'_>) -> String {
    match d {
        Descriptor::Code(c) => match performative_name(*c) {
            Some(name) => format!("{c:#04x} ({name})"),
            None => format!("{c:#04x}"),
        },
        Descriptor::Symbol(s) => (*s).to_owned(),
    }
}

/// A one-line account of a message's sections.
fn message_text(m: &Message<'_>) -> String {
    let mut parts = Vec::new();
    if let Some(h) = &m.header {
        parts.push(format!("header {h:?}"));
    }
    if let Some(a) = &m.delivery_annotations {
        parts.push(format!("delivery-annotations {a:?}"));
    }
    if let Some(a) = &m.message_annotations {
        parts.push(format!("message-annotations {a:?}"));
    }
    if let Some(p) = &m.properties {
        parts.push(format!("properties {p:?}"));
    }
    if let Some(a) = &m.application_properties {
        parts.push(format!("application-properties {a:?}"));
    }
    match &m.body {
        None => parts.push("no body".to_owned()),
        Some(Body::Data(d)) => {
            parts.push(format!("data: {} section(s), {} B", d.len(), d.total_len()))
        }
        Some(Body::Sequence(s)) => parts.push(format!("amqp-sequence: {} section(s)", s.len())),
        Some(Body::Value(v)) => parts.push(format!("amqp-value {v:?}")),
    }
    if let Some(a) = &m.footer {
        parts.push(format!("footer {a:?}"));
    }
    parts.join("; ")
}

/// The typed body, every field shown (defaults applied).
fn typed_text(body: &FrameBody<'_>) -> String {
    match body {
        FrameBody::Heartbeat => String::new(),
        FrameBody::Sasl(s) => format!("{s:?}"),
        // Debug of the lazy forms (open, attach) shows the decoded value
        FrameBody::Amqp { performative, .. } => format!("{performative:?}"),
    }
}

fn frame_step(f: &Frame<'_>, consumed: usize) -> Step {
    let (perf, payload) = match f.performative() {
        Ok(Some((v, payload))) => (Some(v), payload),
        Ok(None) => (None, f.body),
        Err(e) => {
            return Step::Error {
                message: format!("frame body: {e}"),
                rule: e.rule().map(str::to_owned),
                resume_after: Some(consumed),
            }
        }
    };
    let body = match f.typed_body() {
        Ok(b) => b,
        Err(e) => {
            return Step::Error {
                message: format!("frame body: {e}"),
                rule: e.rule().map(str::to_owned),
                resume_after: Some(consumed),
            }
        }
    };
    let message = match body {
        FrameBody::Amqp {
            performative: Performative::Transfer(_),
            payload,
        } if !payload.is_empty() => Some(Message::decode(payload)),
        _ => None,
    };

    let mut text = String::new();
    match &perf {
        None => {
            text.push_str("HEARTBEAT");
            if f.channel != 0 {
                let _ = write!(text, " ch={}", f.channel);
            }
            if f.frame_type != amqp_frame::FrameType::Amqp {
                let _ = write!(text, " type={}", f.frame_type.name());
            }
        }
        Some(v) => {
            let _ = write!(text, "FRAME ch={} type={}", f.channel, f.frame_type.name());
            if let Some(d) = v.as_described() {
                let _ = write!(text, " performative={}", descriptor_text(&d.descriptor));
                if let Ok(Value::List(l)) = d.value.decode() {
                    let _ = write!(text, " fields={}", l.len());
                }
            }
            let _ = write!(text, " payload={} B", payload.len());
        }
    }
    if !f.extended_header.is_empty() {
        let _ = write!(text, " ext={} B", f.extended_header.len());
    }
    let typed = typed_text(&body);
    if !typed.is_empty() {
        let _ = write!(text, "\n    {typed}");
    }
    match &message {
        Some(Ok(m)) => {
            let _ = write!(text, "\n    message: {}", message_text(m));
        }
        Some(Err(e)) => {
            let rule = e.rule().map(|r| format!(" [{r}]")).unwrap_or_default();
            let _ = write!(text, "\n    payload is not a whole message: {e}{rule}");
        }
        None => {}
    }

    let performative = perf.as_ref().map(|v| {
        if holds_credentials(v) {
            Json::from("<redacted: sasl-init/sasl-response carry credentials>")
        } else {
            value_json(v)
        }
    });
    let message_json = message.as_ref().map(|m| match m {
        Ok(m) => Json::from(message_text(m)),
        Err(e) => error_json(e),
    });
    let json = json!({
        "type": if perf.is_some() { "frame" } else { "heartbeat" },
        "size": consumed,
        "doff": (f.extended_header.len() + 8) / 4,
        "frame_type": f.frame_type.name(),
        "channel": f.channel,
        "extended_header": hex(f.extended_header),
        "performative": performative,
        "typed": (!typed.is_empty()).then_some(typed),
        "message": message_json,
        "payload_len": payload.len(),
        "payload": hex(payload),
    });

    // Re-encoded by the typed encoder (shortest constructors, trailing
    // absent or default fields left out); the extended header, which AMQP
    // 1.0 does not use, is dropped.
    let out = TypedFrame {
        channel: f.channel,
        body,
    };
    let reencoded = out
        .encoded_len()
        .and_then(|n| {
            let mut buf = vec![0u8; n];
            out.encode_to_slice(&mut buf).map(|_| buf)
        })
        .map_err(|e| e.to_string());
    Step::Packet {
        len: consumed,
        text,
        json,
        reencoded,
    }
}

fn error_json(e: impl std::fmt::Display) -> Json {
    json!({"error": e.to_string()})
}

fn seq_json<'a>(it: impl Iterator<Item = Result<Value<'a>, amqp_frame::DecodeError>>) -> Json {
    it.map(|r| r.map_or_else(error_json, |v| value_json(&v)))
        .collect()
}

/// A JSON rendering of an AMQP value: numbers as numbers (floats as
/// strings), binaries, decimals and uuids as hex, lists and arrays as
/// arrays, maps as arrays of `[key, value]` pairs, described values as
/// `{descriptor, name, value}`.
fn value_json(v: &Value<'_>) -> Json {
    match *v {
        Value::Null => Json::Null,
        Value::Bool(b) => b.into(),
        Value::Ubyte(x) => x.into(),
        Value::Ushort(x) => x.into(),
        Value::Uint(x) => x.into(),
        Value::Ulong(x) => x.into(),
        Value::Byte(x) => x.into(),
        Value::Short(x) => x.into(),
        Value::Int(x) => x.into(),
        Value::Long(x) | Value::Timestamp(x) => x.into(),
        Value::Float(x) => x.to_string().into(),
        Value::Double(x) => x.to_string().into(),
        Value::Decimal32(b) => hex(&b).into(),
        Value::Decimal64(b) => hex(&b).into(),
        Value::Decimal128(b) | Value::Uuid(b) => hex(&b).into(),
        Value::Char(c) => c.to_string().into(),
        Value::Binary(b) => hex(b).into(),
        Value::Str(s) | Value::Symbol(s) => s.into(),
        Value::List(l) => seq_json(l.iter()),
        Value::Array(a) => seq_json(a.iter()),
        Value::Map(m) => m
            .iter()
            .map(|r| r.map_or_else(error_json, |(k, v)| json!([value_json(&k), value_json(&v)])))
            .collect(),
        Value::Described(d) => {
            let (descriptor, name): (Json, Option<&str>) = match d.descriptor {
                Descriptor::Code(c) => (c.into(), performative_name(c)),
                Descriptor::Symbol(s) => (s.into(), None),
            };
            let value = d.value.decode().map_or_else(error_json, |v| value_json(&v));
            json!({"descriptor": descriptor, "name": name, "value": value})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(input: &[u8]) -> (usize, String, Json, Vec<u8>) {
        match step(input) {
            Step::Packet {
                len,
                text,
                json,
                reencoded,
            } => (len, text, json, reencoded.unwrap()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn header_and_heartbeat() {
        let (len, text, _, re) = packet(b"AMQP\x00\x01\x00\x00");
        assert_eq!((len, text.as_str()), (8, "HEADER AMQP 0 1.0.0 (amqp)"));
        assert_eq!(re, b"AMQP\x00\x01\x00\x00");
        let (_, text, _, _) = packet(b"AMQP\x00\x00\x09\x01");
        assert!(text.ends_with("(unsupported)"), "{text}");
        let (len, text, _, re) = packet(&[0, 0, 0, 8, 2, 0, 0, 0]);
        assert_eq!((len, text.as_str()), (8, "HEARTBEAT"));
        assert_eq!(re, [0, 0, 0, 8, 2, 0, 0, 0]);
    }

    #[test]
    fn flow_frame() {
        // flow [next-incoming-id 1, incoming-window 2048, next-outgoing-id 1,
        // outgoing-window 2048]
        let bytes = [
            0, 0, 0, 0x1c, 2, 0, 0, 3, 0x00, 0x53, 0x13, 0xc0, 0x0f, 0x04, 0x52, 0x01, 0x70, 0, 0,
            0x08, 0, 0x52, 0x01, 0x70, 0, 0, 0x08, 0,
        ];
        let (len, text, json, re) = packet(&bytes);
        assert_eq!(len, bytes.len());
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("FRAME ch=3 type=amqp performative=0x13 (flow) fields=4 payload=0 B")
        );
        let typed = lines.next().unwrap();
        assert!(typed.contains("incoming_window: 2048"), "{typed}");
        assert!(typed.contains("drain: false"), "defaults shown: {typed}");
        assert_eq!(re, bytes);
        let s = json.to_string();
        assert!(s.contains(r#""name":"flow""#), "{s}");
        assert!(s.contains("2048"), "{s}");
        assert!(s.contains(r#""typed":"Flow("#), "{s}");
    }

    #[test]
    fn typed_errors_name_the_section() {
        // flow [next-incoming-id 1, incoming-window 2048]: next-outgoing-id missing
        let bytes = [
            0, 0, 0, 0x15, 2, 0, 0, 3, 0x00, 0x53, 0x13, 0xc0, 0x08, 0x02, 0x52, 0x01, 0x70, 0, 0,
            0x08, 0,
        ];
        match step(&bytes) {
            Step::Error {
                message,
                rule,
                resume_after,
            } => {
                assert!(message.contains("next-outgoing-id"), "{message}");
                assert_eq!(rule.as_deref(), Some("2.7.4"));
                assert_eq!(resume_after, Some(bytes.len()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_resume_after_the_frame() {
        match step(&[0, 0, 0, 12, 2, 7, 0, 0, 1, 2, 3, 4]) {
            Step::Error {
                resume_after, rule, ..
            } => {
                assert_eq!(resume_after, Some(12));
                assert_eq!(rule.as_deref(), Some("2.3.1"));
            }
            other => panic!("{other:?}"),
        }
        match step(&[0, 0, 0, 9, 2, 0, 0, 0, 0x40]) {
            Step::Error { resume_after, .. } => assert_eq!(resume_after, Some(9)),
            other => panic!("{other:?}"),
        }
        match step(&[0, 0, 0, 3, 2, 0, 0, 0]) {
            Step::Error { resume_after, .. } => assert_eq!(resume_after, None),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            step(&[0, 0, 0, 9]),
            Step::Incomplete { needed: Some(5) }
        ));
    }
}
