//! `mqtt3` and `mqtt5`: one packet at a time through `mqtt_codec::wire`.

use std::fmt::Write as _;

use mqtt_codec::wire::{FixedHeader, Packet, Properties, Property, PropertyValue, ProtocolVersion};
use mqtt_codec::Decoded;
use serde_json::{json, Value};

use super::with_type;
use crate::{hex, Step};

/// What a credential is shown as.
const REDACTED: &str = "<redacted>";

pub(super) fn step_v3(input: &[u8]) -> Step {
    step(input, ProtocolVersion::V3_1_1)
}

pub(super) fn step_v5(input: &[u8]) -> Step {
    step(input, ProtocolVersion::V5)
}

fn step(input: &[u8], version: ProtocolVersion) -> Step {
    match Packet::decode(input, version) {
        Ok(Decoded::Complete { item, consumed }) => Step::Packet {
            len: consumed,
            text: summary(&item),
            json: to_json(&item),
            reencoded: item.to_vec(version).map_err(|e| e.to_string()),
        },
        Ok(Decoded::Incomplete { needed }) => Step::Incomplete {
            needed: needed.map(|n| n.get()),
        },
        Err(e) => Step::Error {
            message: e.to_string(),
            rule: e.rule().map(str::to_owned),
            resume_after: match FixedHeader::decode(input) {
                Ok(Decoded::Complete { item, .. }) => Some(item.packet_len()),
                _ => None,
            },
        },
    }
}

fn props_text(out: &mut String, props: &Properties<'_>) {
    if !props.is_empty() {
        let _ = write!(out, " props={}", props.iter().count());
    }
}

fn summary(p: &Packet<'_>) -> String {
    let mut s = p.name().to_owned();
    match p {
        Packet::Connect(c) => {
            let _ = write!(
                s,
                " {} client_id={:?} clean={} keep_alive={}",
                c.protocol.protocol_name(),
                c.client_id,
                c.clean_start,
                c.keep_alive
            );
            let _ = write!(s, " level={}", c.protocol.level());
            if let Some(w) = &c.will {
                let _ = write!(s, " will={:?}", w.topic);
            }
            if let Some(u) = c.username {
                let _ = write!(s, " user={u:?}");
            }
            if c.password.is_some() {
                s.push_str(" password=<redacted>");
            }
            props_text(&mut s, &c.properties);
        }
        Packet::Connack(c) => {
            let _ = write!(
                s,
                " session_present={} code={:#04x}",
                c.session_present, c.reason_code.0
            );
            props_text(&mut s, &c.properties);
        }
        Packet::Publish(p) => {
            let _ = write!(s, " qos={}", p.qos as u8);
            if let Some(id) = p.packet_id {
                let _ = write!(s, " pid={id}");
            }
            if p.dup {
                s.push_str(" dup");
            }
            if p.retain {
                s.push_str(" retain");
            }
            let _ = write!(s, " topic={:?} payload={} B", p.topic, p.payload.len());
            props_text(&mut s, &p.properties);
        }
        Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
            let _ = write!(s, " pid={}", a.packet_id);
            if a.reason_code.0 != 0 {
                let _ = write!(s, " code={:#04x}", a.reason_code.0);
            }
            props_text(&mut s, &a.properties);
        }
        Packet::Subscribe(sub) => {
            let _ = write!(s, " pid={}", sub.packet_id);
            for x in sub.subscriptions.iter() {
                let _ = write!(s, " {:?}@qos{}", x.filter, x.options.qos as u8);
            }
            props_text(&mut s, &sub.properties);
        }
        Packet::Suback(a) => {
            let _ = write!(s, " pid={} codes={:02x?}", a.packet_id, a.reason_codes);
            props_text(&mut s, &a.properties);
        }
        Packet::Unsubscribe(u) => {
            let _ = write!(s, " pid={}", u.packet_id);
            for f in u.filters.iter() {
                let _ = write!(s, " {f:?}");
            }
            props_text(&mut s, &u.properties);
        }
        Packet::Unsuback(a) => {
            let _ = write!(s, " pid={}", a.packet_id);
            if !a.reason_codes.is_empty() {
                let _ = write!(s, " codes={:02x?}", a.reason_codes);
            }
            props_text(&mut s, &a.properties);
        }
        Packet::Disconnect(d) | Packet::Auth(d) => {
            if d.reason_code.0 != 0 || !d.properties.is_empty() {
                let _ = write!(s, " code={:#04x}", d.reason_code.0);
            }
            props_text(&mut s, &d.properties);
        }
        _ => {}
    }
    s
}

fn prop_json(p: Property<'_>) -> Value {
    let value = match (p, p.value()) {
        (Property::AuthenticationData(_), _) => REDACTED.into(),
        (_, PropertyValue::Byte(v)) => v.into(),
        (_, PropertyValue::U16(v)) => v.into(),
        (_, PropertyValue::U32(v) | PropertyValue::VarInt(v)) => v.into(),
        (_, PropertyValue::Str(v)) => v.into(),
        (_, PropertyValue::Binary(v)) => hex(v).into(),
        (_, PropertyValue::Pair(k, v)) => json!([k, v]),
    };
    json!({"id": p.id(), "name": p.name(), "value": value})
}

fn props_json(p: &Properties<'_>) -> Value {
    p.iter().map(prop_json).collect()
}

fn to_json(p: &Packet<'_>) -> Value {
    let fields = match p {
        Packet::Connect(c) => {
            let will = c.will.map(|w| {
                json!({
                    "qos": w.qos as u8,
                    "retain": w.retain,
                    "topic": w.topic,
                    "payload": hex(w.payload),
                    "properties": props_json(&w.properties),
                })
            });
            json!({
                "protocol_name": c.protocol.protocol_name(),
                "protocol_level": c.protocol.level(),
                "clean_start": c.clean_start,
                "keep_alive": c.keep_alive,
                "client_id": c.client_id,
                "will": will,
                "username": c.username,
                "password": c.password.map(|_| REDACTED),
                "properties": props_json(&c.properties),
            })
        }
        Packet::Connack(c) => json!({
            "session_present": c.session_present,
            "reason_code": c.reason_code.0,
            "properties": props_json(&c.properties),
        }),
        Packet::Publish(x) => json!({
            "dup": x.dup,
            "qos": x.qos as u8,
            "retain": x.retain,
            "topic": x.topic,
            "packet_id": x.packet_id,
            "properties": props_json(&x.properties),
            "payload": hex(x.payload),
        }),
        Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => json!({
            "packet_id": a.packet_id,
            "reason_code": a.reason_code.0,
            "properties": props_json(&a.properties),
        }),
        Packet::Subscribe(s) => {
            let subs: Vec<Value> = s
                .subscriptions
                .iter()
                .map(|x| {
                    json!({
                        "filter": x.filter,
                        "qos": x.options.qos as u8,
                        "no_local": x.options.no_local,
                        "retain_as_published": x.options.retain_as_published,
                        "retain_handling": x.options.retain_handling as u8,
                    })
                })
                .collect();
            json!({
                "packet_id": s.packet_id,
                "subscriptions": subs,
                "properties": props_json(&s.properties),
            })
        }
        Packet::Suback(a) => json!({
            "packet_id": a.packet_id,
            "reason_codes": a.reason_codes,
            "properties": props_json(&a.properties),
        }),
        Packet::Unsubscribe(u) => json!({
            "packet_id": u.packet_id,
            "filters": u.filters.iter().collect::<Vec<_>>(),
            "properties": props_json(&u.properties),
        }),
        Packet::Unsuback(a) => json!({
            "packet_id": a.packet_id,
            "reason_codes": a.reason_codes,
            "properties": props_json(&a.properties),
        }),
        Packet::Disconnect(d) | Packet::Auth(d) => json!({
            "reason_code": d.reason_code.0,
            "properties": props_json(&d.properties),
        }),
        _ => json!({}),
    };
    with_type(p.name(), fields)
}
