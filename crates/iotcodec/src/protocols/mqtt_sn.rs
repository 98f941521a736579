//! `mqtt-sn`: the whole input is one MQTT-SN 1.2 datagram.

use mqtt_sn_codec::{Flags, Message, ReturnCode, Topic, TopicFilter, WillTopic};

use serde_json::{json, Value};

use super::with_type;
use crate::{hex, Step};

pub(super) fn step(input: &[u8]) -> Step {
    match Message::decode(input) {
        Ok(msg) => {
            let (text, json) = describe(&msg);
            let reencoded = msg.to_vec().map_err(|e| e.to_string());
            Step::Packet {
                len: input.len(),
                text,
                json,
                reencoded,
            }
        }
        Err(e) => Step::Error {
            message: e.to_string(),
            rule: e.rule().map(|r| format!("MQTT-SN 1.2 section {r}")),
            resume_after: None,
        },
    }
}

fn rc(r: ReturnCode) -> String {
    match r.name() {
        Some(n) => format!("{:#04x} ({n})", r.0),
        None => format!("{:#04x} (reserved)", r.0),
    }
}

fn flags_json(f: Flags) -> Value {
    json!({
        "byte": f.to_byte(),
        "dup": f.dup,
        "qos": f.qos.level(),
        "retain": f.retain,
        "will": f.will,
        "clean_session": f.clean_session,
    })
}

fn topic(t: Topic) -> (String, Value) {
    match t {
        Topic::Id(id) => (format!("topic_id={id}"), id.into()),
        Topic::Predefined(id) => (format!("predefined_id={id}"), json!({"predefined": id})),
        Topic::Short(s) => (
            format!("short_topic={}", printable(&s)),
            json!({"short": hex(&s)}),
        ),
    }
}

fn filter(t: TopicFilter<'_>) -> (String, Value) {
    match t {
        TopicFilter::Name(n) => (format!("topic={n:?}"), n.into()),
        TopicFilter::Predefined(id) => topic(Topic::Predefined(id)),
        TopicFilter::Short(s) => topic(Topic::Short(s)),
    }
}

fn printable(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => format!("{s:?}"),
        _ => format!("0x{}", hex(b)),
    }
}

fn will(name: &str, w: Option<WillTopic<'_>>) -> (String, Value) {
    match w {
        None => (
            format!("{name} (empty: delete will)"),
            json!({"empty": true}),
        ),
        Some(w) => (
            format!(
                "{name} qos={} retain={} topic={:?}",
                w.flags.qos.level(),
                w.flags.retain,
                w.topic
            ),
            json!({"flags": flags_json(w.flags), "topic": w.topic}),
        ),
    }
}

fn describe(m: &Message<'_>) -> (String, Value) {
    let (text, fields) = describe_fields(m);
    (text, with_type(m.name(), fields))
}

/// The one-line text, and the JSON fields that follow `type`.
fn describe_fields(m: &Message<'_>) -> (String, Value) {
    let name = m.name();
    match *m {
        Message::Advertise { gw_id, duration } => (
            format!("{name} gw_id={gw_id} duration={duration}s"),
            json!({"gw_id": gw_id, "duration": duration}),
        ),
        Message::SearchGw { radius } => {
            (format!("{name} radius={radius}"), json!({"radius": radius}))
        }
        Message::GwInfo { gw_id, gw_add } => (
            if gw_add.is_empty() {
                format!("{name} gw_id={gw_id}")
            } else {
                format!("{name} gw_id={gw_id} gw_add=0x{}", hex(gw_add))
            },
            json!({"gw_id": gw_id, "gw_add": hex(gw_add)}),
        ),
        Message::Connect {
            flags,
            duration,
            client_id,
        } => (
            format!(
                "{name} client_id={client_id:?} keep_alive={duration}s clean_session={} will={}",
                flags.clean_session, flags.will
            ),
            json!({"flags": flags_json(flags), "duration": duration, "client_id": client_id}),
        ),
        Message::ConnAck { return_code }
        | Message::WillTopicResp { return_code }
        | Message::WillMsgResp { return_code } => (
            format!("{name} rc={}", rc(return_code)),
            json!({"return_code": return_code.0}),
        ),
        Message::WillTopicReq | Message::WillMsgReq | Message::PingResp => {
            (name.to_owned(), json!({}))
        }
        Message::WillTopic(w) | Message::WillTopicUpd(w) => will(name, w),
        Message::WillMsg { msg } | Message::WillMsgUpd { msg } => (
            format!("{name} msg={} B", msg.len()),
            json!({"msg": hex(msg)}),
        ),
        Message::Register {
            topic_id,
            msg_id,
            topic_name,
        } => (
            format!("{name} topic_id={topic_id} msg_id={msg_id} topic={topic_name:?}"),
            json!({"topic_id": topic_id, "msg_id": msg_id, "topic_name": topic_name}),
        ),
        Message::RegAck {
            topic_id,
            msg_id,
            return_code,
        }
        | Message::PubAck {
            topic_id,
            msg_id,
            return_code,
        } => (
            format!(
                "{name} topic_id={topic_id} msg_id={msg_id} rc={}",
                rc(return_code)
            ),
            json!({"topic_id": topic_id, "msg_id": msg_id, "return_code": return_code.0}),
        ),
        Message::Publish {
            flags,
            topic: t,
            msg_id,
            data,
        } => {
            let (ttext, tjson) = topic(t);
            let mut text = format!("{name} qos={} {ttext} msg_id={msg_id}", flags.qos.level());
            if flags.dup {
                text.push_str(" dup");
            }
            if flags.retain {
                text.push_str(" retain");
            }
            text.push_str(&format!(" data={} B", data.len()));
            (
                text,
                json!({
                    "flags": flags_json(flags),
                    "topic": tjson,
                    "msg_id": msg_id,
                    "data": hex(data),
                }),
            )
        }
        Message::PubComp { msg_id }
        | Message::PubRec { msg_id }
        | Message::PubRel { msg_id }
        | Message::UnsubAck { msg_id } => {
            (format!("{name} msg_id={msg_id}"), json!({"msg_id": msg_id}))
        }
        Message::Subscribe {
            flags,
            msg_id,
            topic,
        }
        | Message::Unsubscribe {
            flags,
            msg_id,
            topic,
        } => {
            let (ttext, tjson) = filter(topic);
            (
                format!("{name} qos={} msg_id={msg_id} {ttext}", flags.qos.level()),
                json!({"flags": flags_json(flags), "msg_id": msg_id, "topic": tjson}),
            )
        }
        Message::SubAck {
            flags,
            topic_id,
            msg_id,
            return_code,
        } => (
            format!(
                "{name} qos={} topic_id={topic_id} msg_id={msg_id} rc={}",
                flags.qos.level(),
                rc(return_code)
            ),
            json!({
                "flags": flags_json(flags),
                "topic_id": topic_id,
                "msg_id": msg_id,
                "return_code": return_code.0,
            }),
        ),
        Message::PingReq { client_id } => match client_id {
            None => (name.to_owned(), json!({})),
            Some(id) => (
                format!("{name} client_id={id:?} (waking)"),
                json!({"client_id": id}),
            ),
        },
        Message::Disconnect { duration } => match duration {
            None => (name.to_owned(), json!({})),
            Some(d) => (
                format!("{name} duration={d}s (sleep)"),
                json!({"duration": d}),
            ),
        },
        Message::Forwarded(f) => {
            let (itext, ijson) = match f.message() {
                Ok(inner) => describe(&inner),
                Err(e) => (format!("<{e}>"), e.to_string().into()),
            };
            (
                format!(
                    "{name} ctrl={:#04x} node_id=0x{} [{itext}]",
                    f.ctrl,
                    hex(f.node_id)
                ),
                json!({"ctrl": f.ctrl, "node_id": hex(f.node_id), "message": ijson}),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &[u8]) -> String {
        match step(input) {
            Step::Packet {
                text, reencoded, ..
            } => {
                assert_eq!(reencoded.as_deref(), Ok(input));
                text
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_liners() {
        assert_eq!(text(&[2, 0x16]), "PINGREQ");
        assert_eq!(
            text(&[0x0a, 0x0c, 0x20, 0, 1, 0, 10, 1, 2, 3]),
            "PUBLISH qos=1 topic_id=1 msg_id=10 data=3 B"
        );
        assert_eq!(
            text(&[5, 0xfe, 1, 0xaa, 0xbb, 4, 0x18, 0, 60]),
            "FORWARDER ctrl=0x01 node_id=0xaabb [DISCONNECT duration=60s (sleep)]"
        );
        assert_eq!(
            text(&[7, 0x12, 0x22, 0, 1, b'a', b'b']),
            "SUBSCRIBE qos=1 msg_id=1 short_topic=\"ab\""
        );
    }

    #[test]
    fn errors_name_the_rule() {
        match step(&[3, 0x05]) {
            Step::Error { message, rule, .. } => {
                assert!(message.contains("Length"), "{message}");
                assert_eq!(rule.as_deref(), Some("MQTT-SN 1.2 section 5.2.1"));
            }
            other => panic!("{other:?}"),
        }
    }
}
