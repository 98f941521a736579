//! Test helpers: a tiny, independent AMQP encoder (shortest forms, so that
//! what it writes is what the crate's encoder must write back), and a
//! decoder that dispatches on a composite's name.
#![allow(dead_code)]

use amqp_frame::messaging::{
    Accepted, Header, LifetimePolicy, Modified, Properties, Received, Rejected, Released, Source,
    Target,
};
use amqp_frame::sasl::{SaslChallenge, SaslInit, SaslMechanisms, SaslOutcome, SaslResponse};
use amqp_frame::transactions::{Coordinator, Declare, Declared, Discharge, TransactionalState};
use amqp_frame::transport::{
    Attach, Begin, Close, Detach, Disposition, End, Error, Flow, Open, Transfer,
};
use amqp_frame::DecodeError;

pub(crate) fn null() -> Vec<u8> {
    vec![0x40]
}

pub(crate) fn boolean(b: bool) -> Vec<u8> {
    vec![if b { 0x41 } else { 0x42 }]
}

pub(crate) fn ubyte(x: u8) -> Vec<u8> {
    vec![0x50, x]
}

pub(crate) fn ushort(x: u16) -> Vec<u8> {
    let mut v = vec![0x60];
    v.extend_from_slice(&x.to_be_bytes());
    v
}

pub(crate) fn uint(x: u32) -> Vec<u8> {
    match x {
        0 => vec![0x43],
        1..=255 => vec![0x52, x as u8],
        _ => {
            let mut v = vec![0x70];
            v.extend_from_slice(&x.to_be_bytes());
            v
        }
    }
}

pub(crate) fn ulong(x: u64) -> Vec<u8> {
    match x {
        0 => vec![0x44],
        1..=255 => vec![0x53, x as u8],
        _ => {
            let mut v = vec![0x80];
            v.extend_from_slice(&x.to_be_bytes());
            v
        }
    }
}

pub(crate) fn int(x: i32) -> Vec<u8> {
    if let Ok(b) = i8::try_from(x) {
        vec![0x54, b as u8]
    } else {
        let mut v = vec![0x71];
        v.extend_from_slice(&x.to_be_bytes());
        v
    }
}

pub(crate) fn timestamp(t: i64) -> Vec<u8> {
    let mut v = vec![0x83];
    v.extend_from_slice(&t.to_be_bytes());
    v
}

pub(crate) fn uuid(u: [u8; 16]) -> Vec<u8> {
    let mut v = vec![0x98];
    v.extend_from_slice(&u);
    v
}

fn variable(narrow: u8, wide: u8, b: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    if b.len() <= 255 {
        v.extend_from_slice(&[narrow, b.len() as u8]);
    } else {
        v.push(wide);
        v.extend_from_slice(&(b.len() as u32).to_be_bytes());
    }
    v.extend_from_slice(b);
    v
}

pub(crate) fn bin(b: &[u8]) -> Vec<u8> {
    variable(0xa0, 0xb0, b)
}

pub(crate) fn str(s: &str) -> Vec<u8> {
    variable(0xa1, 0xb1, s.as_bytes())
}

pub(crate) fn sym(s: &str) -> Vec<u8> {
    variable(0xa3, 0xb3, s.as_bytes())
}

fn compound(narrow: u8, wide: u8, count: usize, elems: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    if count <= 255 && elems.len() < 255 {
        v.extend_from_slice(&[narrow, elems.len() as u8 + 1, count as u8]);
    } else {
        v.push(wide);
        v.extend_from_slice(&(elems.len() as u32 + 4).to_be_bytes());
        v.extend_from_slice(&(count as u32).to_be_bytes());
    }
    v.extend_from_slice(elems);
    v
}

pub(crate) fn list(elems: &[Vec<u8>]) -> Vec<u8> {
    if elems.is_empty() {
        return vec![0x45];
    }
    compound(0xc0, 0xd0, elems.len(), &elems.concat())
}

pub(crate) fn map(pairs: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let elems: Vec<u8> = pairs
        .iter()
        .flat_map(|(k, v)| [k.clone(), v.clone()].concat())
        .collect();
    compound(0xc1, 0xd1, pairs.len() * 2, &elems)
}

/// An array of symbols (shared `sym8` constructor when every one fits).
pub(crate) fn sym_array(syms: &[&str]) -> Vec<u8> {
    let narrow = syms.iter().all(|s| s.len() <= 255);
    let mut elems = vec![if narrow { 0xa3 } else { 0xb3 }];
    for s in syms {
        if narrow {
            elems.push(s.len() as u8);
        } else {
            elems.extend_from_slice(&(s.len() as u32).to_be_bytes());
        }
        elems.extend_from_slice(s.as_bytes());
    }
    compound(0xe0, 0xf0, syms.len(), &elems)
}

pub(crate) fn described(code: u64, body: Vec<u8>) -> Vec<u8> {
    let mut v = vec![0x00];
    v.extend(ulong(code));
    v.extend(body);
    v
}

/// A composite: its descriptor and a list of fields, trailing ones left out
/// by the caller.
pub(crate) fn composite(code: u64, fields: &[Vec<u8>]) -> Vec<u8> {
    described(code, list(fields))
}

/// A frame: header (doff 2) and body.
pub(crate) fn frame(frame_type: u8, channel: u16, body: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&(8 + body.len() as u32).to_be_bytes());
    v.extend_from_slice(&[2, frame_type]);
    v.extend_from_slice(&channel.to_be_bytes());
    v.extend_from_slice(body);
    v
}

/// Decodes `bytes` as the composite `name`, checks it used every byte,
/// and returns its `Debug` rendering (which shows every field) and its
/// encoding by the crate.
pub(crate) fn decode_any(name: &str, bytes: &[u8]) -> Result<(String, Vec<u8>), DecodeError> {
    let (dbg, out, used) = decode_prefix(name, bytes)?;
    assert_eq!(
        used,
        bytes.len(),
        "{name} used {used} of {} bytes",
        bytes.len()
    );
    Ok((dbg, out))
}

/// [`decode_any`] for bytes that may hold more than one value (mutated
/// input can decode from a prefix): also returns the bytes used.
pub(crate) fn decode_prefix(
    name: &str,
    bytes: &[u8],
) -> Result<(String, Vec<u8>, usize), DecodeError> {
    macro_rules! go {
        ($($n:literal => $t:ty),* $(,)?) => {
            match name {
                $($n => {
                    let (v, used) = <$t>::decode(bytes)?;
                    let mut out = vec![0u8; v.encoded_len().expect("encoded_len")];
                    let n = v.encode_to_slice(&mut out).expect("encode");
                    assert_eq!(n, out.len());
                    Ok((format!("{v:?}"), out, used))
                })*
                "delete-on-close" | "delete-on-no-links" | "delete-on-no-messages"
                | "delete-on-no-links-or-messages" => {
                    let (p, used) = LifetimePolicy::decode(bytes)?;
                    if p.name() != name {
                        return Err(DecodeError::UnexpectedDescriptor { expected: "lifetime-policy" });
                    }
                    Ok((format!("{p:?}"), p.to_bytes().to_vec(), used))
                }
                other => panic!("no decoder for {other}"),
            }
        };
    }
    go! {
        "open" => Open<'_>,
        "begin" => Begin<'_>,
        "attach" => Attach<'_>,
        "flow" => Flow<'_>,
        "transfer" => Transfer<'_>,
        "disposition" => Disposition<'_>,
        "detach" => Detach<'_>,
        "end" => End<'_>,
        "close" => Close<'_>,
        "error" => Error<'_>,
        "header" => Header,
        "properties" => Properties<'_>,
        "received" => Received,
        "accepted" => Accepted,
        "rejected" => Rejected<'_>,
        "released" => Released,
        "modified" => Modified<'_>,
        "source" => Source<'_>,
        "target" => Target<'_>,
        "sasl-mechanisms" => SaslMechanisms<'_>,
        "sasl-init" => SaslInit<'_>,
        "sasl-challenge" => SaslChallenge<'_>,
        "sasl-response" => SaslResponse<'_>,
        "sasl-outcome" => SaslOutcome<'_>,
        "coordinator" => Coordinator<'_>,
        "declare" => Declare<'_>,
        "discharge" => Discharge<'_>,
        "declared" => Declared<'_>,
        "transactional-state" => TransactionalState<'_>,
    }
}

/// A valid encoded sample of a field of type `ty` (requiring `requires`),
/// picked by `k` among a few (k = 0 is the first).
pub(crate) fn sample(ty: &str, requires: Option<&str>, k: u64) -> Vec<u8> {
    let n = k as u32;
    match (ty, requires) {
        ("string", _) | ("*", Some("address")) => str(["s", "queue://x", "ü"][k as usize % 3]),
        (
            "uint"
            | "milliseconds"
            | "seconds"
            | "handle"
            | "transfer-number"
            | "sequence-no"
            | "delivery-number"
            | "message-format"
            | "terminus-durability",
            _,
        ) => uint([7, 300, 0, u32::MAX][k as usize % 4].wrapping_add(n / 4)),
        ("ushort", _) => ushort(7 + n as u16),
        ("ubyte" | "sender-settle-mode" | "receiver-settle-mode" | "sasl-code", _) => {
            ubyte(1 + (n % 3) as u8)
        }
        ("boolean" | "role", _) => boolean(k % 2 == 0),
        ("ulong", _) => ulong([1000, 0, 5][k as usize % 3]),
        ("symbol" | "ietf-language-tag" | "terminus-expiry-policy", _) => {
            sym(["x", "amqp:not-found", "never"][k as usize % 3])
        }
        ("fields" | "node-properties", _) => map(&[(sym("k"), int(-1 - n as i32))]),
        ("map" | "filter-set", _) => map(&[(str("k"), null())]),
        ("binary" | "delivery-tag", _) | ("*", Some("txn-id")) => bin(&[1, 2, n as u8]),
        ("timestamp", _) => timestamp(1_700_000_000_000 + i64::from(n)),
        ("error", _) => composite(0x1d, &[sym("amqp:internal-error"), str("boom")]),
        ("*", Some("source")) => composite(0x28, &[str("src")]),
        ("*", Some("target")) => {
            if k % 2 == 0 {
                composite(0x29, &[str("dst")])
            } else {
                composite(0x30, &[sym("amqp:local-transactions")])
            }
        }
        ("*", Some("delivery-state")) => {
            [composite(0x24, &[]), composite(0x23, &[uint(1), ulong(2)])][k as usize % 2].clone()
        }
        ("*", Some("outcome")) => {
            [composite(0x26, &[]), composite(0x33, &[bin(b"t")])][k as usize % 2].clone()
        }
        ("*", Some("message-id")) => {
            [str("id"), ulong(9), uuid([7; 16]), bin(b"b")][k as usize % 4].clone()
        }
        ("*", Some("global-tx-id")) => bin(b"g"),
        other => panic!("no sample for {other:?}"),
    }
}

/// An encoded value that is not of type `ty`, when there is such a value
/// (`*` fields with an open `requires` accept anything).
pub(crate) fn wrong(ty: &str, requires: Option<&str>) -> Option<Vec<u8>> {
    match (ty, requires) {
        ("*", Some("global-tx-id")) => None,
        _ => Some(int(-1)),
    }
}
