//! `coap`: the whole input is one CoAP datagram (RFC 7252); `coap-tcp`: a
//! stream of RFC 8323 messages. Both through `coap_codec`'s public API.

use std::fmt::Write as _;

use coap_codec::{
    Code, DecodeError, Decoded, Disposition, Message, OptionFormat, OptionNumber, OptionRef,
    Options, TcpHeader, TcpMessage,
};

use serde_json::{json, Value};

use crate::{hex, Step};

pub(super) fn step_udp(input: &[u8]) -> Step {
    match Message::decode(input) {
        Ok(m) => {
            let (text, json) = describe_udp(&m);
            Step::Packet {
                len: input.len(),
                text,
                json,
                reencoded: m.to_vec().map_err(|e| e.to_string()),
            }
        }
        Err(e) => Step::Error {
            message: udp_error(&e),
            rule: e.rule().map(str::to_owned),
            resume_after: None,
        },
    }
}

pub(super) fn step_tcp(input: &[u8]) -> Step {
    // The input is already in memory: no size limit beyond its own length.
    match TcpMessage::decode(input) {
        Ok(Decoded::Complete { item, consumed }) => {
            let (text, json) = describe_tcp(&item);
            Step::Packet {
                len: consumed,
                text,
                json,
                reencoded: item.to_vec().map_err(|e| e.to_string()),
            }
        }
        Ok(Decoded::Incomplete { needed }) => Step::Incomplete {
            needed: needed.map(|n| n.get()),
        },
        Err(e) => Step::Error {
            message: e.to_string(),
            rule: e.rule().map(str::to_owned),
            // the framing still tells where the next message starts
            resume_after: TcpHeader::peek(input)
                .complete()
                .and_then(|(h, _)| usize::try_from(h.message_len()).ok())
                .filter(|&n| n <= input.len()),
        },
    }
}

/// The error and what RFC 7252 says to do with the datagram.
fn udp_error(e: &DecodeError) -> String {
    match e.disposition() {
        Disposition::Ignore => format!("{e}: ignore the datagram"),
        Disposition::Reject => format!("{e}: reject it (Reset if Confirmable)"),
    }
}

fn code_json(code: Code) -> Value {
    json!({"class": code.class(), "detail": code.detail(), "name": code.name()})
}

/// A value as text: strings quoted, integers in decimal, the rest in hex.
fn value_text(format: Option<OptionFormat>, value: &[u8]) -> String {
    let uint =
        || (value.len() <= 4).then(|| value.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)));
    match format {
        Some(OptionFormat::Empty) if value.is_empty() => String::new(),
        Some(OptionFormat::String) => match std::str::from_utf8(value) {
            Ok(s) => format!("={s:?}"),
            Err(_) => format!("=0x{}", hex(value)),
        },
        Some(OptionFormat::Uint) => match uint() {
            Some(v) => format!("={v}"),
            None => format!("=0x{}", hex(value)),
        },
        _ if value.is_empty() => String::new(),
        _ => format!("=0x{}", hex(value)),
    }
}

/// One option of a request or response, read through the registry.
fn option(o: OptionRef<'_>) -> (String, Value) {
    let def = o.number.definition();
    let mut text = match def {
        Some(d) => d.name.to_owned(),
        None => format!("Option{}", o.number.0),
    };
    text.push_str(&value_text(def.map(|d| d.format), o.value));
    let valid = def.map_or(true, |d| d.value_ok(o.value));
    if !valid {
        text.push_str("(invalid)");
    }
    let mut j = json!({
        "number": o.number.0,
        "name": o.number.name(),
        "critical": o.number.is_critical(),
        "value": hex(o.value),
    });
    match def.map(|d| d.format) {
        Some(OptionFormat::String) => j["text"] = o.as_str().into(),
        Some(OptionFormat::Uint) => j["uint"] = o.as_uint().into(),
        _ => {}
    }
    j["valid"] = valid.into();
    (text, j)
}

/// A signaling option: its number means something only for its code
/// (RFC 8323 §5), so it is shown raw.
fn signaling_option(o: OptionRef<'_>) -> (String, Value) {
    let text = format!("option{}{}", o.number.0, value_text(None, o.value));
    (text, json!({"number": o.number.0, "value": hex(o.value)}))
}

fn options(opts: Options<'_>, signaling: bool) -> (String, Value) {
    let (texts, jsons): (Vec<String>, Vec<Value>) = opts
        .iter()
        .map(|o| {
            if signaling {
                signaling_option(o)
            } else {
                option(o)
            }
        })
        .unzip();
    (texts.join(" "), Value::Array(jsons))
}

/// The parts both framings share: code, token, options, payload.
fn body(code: Code, token: &[u8], opts: Options<'_>, payload: &[u8]) -> (String, Value) {
    let mut text = code.to_string();
    if !token.is_empty() {
        let _ = write!(text, " token=0x{}", hex(token));
    }
    let (otext, ojson) = options(opts, code.is_signaling());
    if !otext.is_empty() {
        let _ = write!(text, " [{otext}]");
    }
    let mut j = json!({"code": code_json(code), "token": hex(token), "options": ojson});
    if !code.is_signaling() && !code.is_empty() {
        // what a receiver recognizing the whole registry makes of it
        let bad = opts.first_bad_critical(|n: OptionNumber| n.definition().is_some());
        if let Some(n) = bad {
            let _ = write!(text, " bad-critical-option={}", n.0);
        }
        j["bad_critical_option"] = bad.map(|n| n.0).into();
    }
    if !payload.is_empty() {
        let _ = write!(text, " payload={} B", payload.len());
    }
    j["payload"] = hex(payload).into();
    (text, j)
}

fn describe_udp(m: &Message<'_>) -> (String, Value) {
    let (btext, bjson) = body(m.code, m.token.as_bytes(), m.options, m.payload);
    let text = format!("{} mid={:#06x} {btext}", m.mtype, m.message_id);
    let json = json!({"type": m.mtype.abbrev(), "message_id": m.message_id, "message": bjson});
    (text, json)
}

fn describe_tcp(m: &TcpMessage<'_>) -> (String, Value) {
    body(m.code, m.token.as_bytes(), m.options, m.payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(step: Step, input: &[u8]) -> String {
        match step {
            Step::Packet {
                text,
                reencoded,
                len,
                ..
            } => {
                assert_eq!(reencoded.as_deref(), Ok(&input[..len]));
                text
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_liners() {
        let get = b"\x44\x01\x12\x34\xde\xad\xbe\xef\x60\x57sensors\x04temp\x46unit=c";
        assert_eq!(
            text(step_udp(get), get),
            "CON mid=0x1234 0.01 GET token=0xdeadbeef \
             [Observe=0 Uri-Path=\"sensors\" Uri-Path=\"temp\" Uri-Query=\"unit=c\"]"
        );
        let ack = b"\x60\x45\x7d\x34\xff22.3 C";
        assert_eq!(
            text(step_udp(ack), ack),
            "ACK mid=0x7d34 2.05 Content payload=6 B"
        );
        // an empty ETag (outside its bounds), unknown critical 259, elective 260
        let bad = b"\x40\x01\x00\x01\x40\xd0\xf2\x11\x00";
        assert_eq!(
            text(step_udp(bad), bad),
            "CON mid=0x0001 0.01 GET [ETag(invalid) Option259 Option260=0x00] \
             bad-critical-option=259"
        );
        let csm = b"\x40\xe1\x22\x04\x80\x20";
        assert_eq!(
            text(step_tcp(csm), csm),
            "7.01 CSM [option2=0x0480 option4]"
        );
    }

    #[test]
    fn errors_name_the_rule_and_the_disposition() {
        match step_udp(b"\x4f\x01\x12\x34") {
            Step::Error { message, rule, .. } => {
                assert!(
                    message.contains("reject it (Reset if Confirmable)"),
                    "{message}"
                );
                assert_eq!(rule.as_deref(), Some("RFC 7252 §3"));
            }
            other => panic!("{other:?}"),
        }
        match step_udp(b"\x80\x01\x12\x34") {
            Step::Error { message, .. } => {
                assert!(message.ends_with("ignore the datagram"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // a bad TCP message whose length is known can be skipped
        match step_tcp(b"\x10\x45\xff\x00\x00") {
            Step::Error {
                rule, resume_after, ..
            } => {
                assert_eq!(rule.as_deref(), Some("RFC 7252 §3"));
                assert_eq!(resume_after, Some(3));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            step_tcp(b"\x51\x01"),
            Step::Incomplete { needed: Some(6) }
        ));
    }
}
