//! Property tests of the typed layer: random valid instances of every
//! composite (driven by the spec table), of every frame body and of
//! messages round-trip; arbitrary bytes never panic any decoder; every
//! strict prefix of a frame is incomplete, not an error; a message split
//! over transfer frames is the concatenation of their payloads.

mod common;

use amqp_frame::frame::{FrameBody, TypedFrame};
use amqp_frame::messaging::{DeliveryState, LifetimePolicy, Message};
use amqp_frame::sasl::SaslFrame;
use amqp_frame::spec::{FieldDef, COMPOSITES};
use amqp_frame::transport::{Performative, Transfer};
use amqp_frame::DecodeOptions;
use amqp_frame::{DecodeError, Decoded};
use common::*;
use proptest::prelude::*;

/// An ASCII string of up to 40 characters from `seed`.
fn ascii(seed: &[u8]) -> String {
    seed.iter().map(|b| char::from(b'a' + b % 26)).collect()
}

/// A random valid encoding of field `f` from the random numbers `r` and
/// bytes `s`.
fn gen_field(f: &FieldDef, r: u64, s: &[u8]) -> Vec<u8> {
    let text = ascii(s);
    if f.multiple {
        return match r % 3 {
            0 => sym(&text),
            1 => sym_array(&[&text]),
            _ => sym_array(&[&text, "b", "cc"]),
        };
    }
    let small = |x: u64| if r % 4 == 0 { x % 256 } else { x };
    match (f.ty, f.requires) {
        ("string", _) | ("*", Some("address")) => str(&String::from_utf8_lossy(s)),
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
        ) => uint(small(r >> 8) as u32),
        ("ushort", _) => ushort((r >> 8) as u16),
        ("ubyte" | "sender-settle-mode" | "receiver-settle-mode" | "sasl-code", _) => {
            ubyte((r >> 8) as u8)
        }
        ("boolean" | "role", _) => boolean(r & 1 == 1),
        ("ulong", _) => ulong(small(r >> 1)),
        ("symbol" | "ietf-language-tag" | "terminus-expiry-policy", _) => sym(&text),
        ("fields" | "node-properties", _) => map(&[(sym(&text), int((r >> 3) as i32))]),
        ("map" | "filter-set", _) => map(&[(str(&text), uint((r >> 5) as u32))]),
        ("delivery-tag", _) => bin(&s[..s.len().min(32)]),
        ("binary", _) | ("*", Some("txn-id")) => bin(s),
        ("timestamp", _) => timestamp(r as i64),
        ("error", _) => composite(0x1d, &[sym(&format!("amqp:{text}")), str(&text)]),
        ("*", requires) => sample("*", requires, r),
        (ty, _) => panic!("no generator for {ty}"),
    }
}

/// A random valid composite: field values from `rs`/`ss`, `present[i]`
/// saying whether optional field i is set, `keep` how many fields are on
/// the wire (never fewer than the last mandatory one).
fn gen_composite(
    index: usize,
    rs: &[u64],
    ss: &[Vec<u8>],
    present: &[bool],
    keep: usize,
) -> Vec<u8> {
    let c = &COMPOSITES[index % COMPOSITES.len()];
    let last_mandatory = c
        .fields
        .iter()
        .rposition(|f| f.mandatory)
        .map_or(0, |i| i + 1);
    let keep = keep.clamp(last_mandatory, c.fields.len());
    let fields: Vec<Vec<u8>> = c
        .fields
        .iter()
        .enumerate()
        .take(keep)
        .map(|(i, f)| {
            if f.mandatory || present[i % present.len()] {
                gen_field(f, rs[i % rs.len()], &ss[i % ss.len()])
            } else {
                null()
            }
        })
        .collect();
    composite(c.code, &fields)
}

fn strategy() -> impl Strategy<Value = (usize, Vec<u64>, Vec<Vec<u8>>, Vec<bool>, usize)> {
    (
        0..COMPOSITES.len(),
        proptest::collection::vec(any::<u64>(), 14),
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 14),
        proptest::collection::vec(any::<bool>(), 14),
        0usize..16,
    )
}

/// The frame a composite goes in, if it is a frame body.
fn as_frame(code: u64, body: &[u8]) -> Option<Vec<u8>> {
    match code {
        0x10..=0x18 => Some(frame(0, 3, body)),
        0x40..=0x44 => Some(frame(1, 0, body)),
        _ => None,
    }
}

/// Random message sections in the order of part 3, 3.2.
#[derive(Debug, Clone)]
struct Sections {
    header: Option<(bool, u8, u32)>,
    delivery_annotations: Option<Vec<(String, i32)>>,
    message_annotations: Option<Vec<(u64, String)>>,
    properties: Option<(String, Vec<u8>, u64, i64)>,
    application_properties: Option<Vec<(String, i64)>>,
    body: u8,
    body_parts: Vec<Vec<u8>>,
    footer: Option<Vec<(String, bool)>>,
}

fn sections() -> impl Strategy<Value = Sections> {
    let pairs = |n| proptest::collection::vec(("[a-z]{1,8}", any::<i32>()), 0..n);
    (
        proptest::option::of((any::<bool>(), any::<u8>(), any::<u32>())),
        proptest::option::of(pairs(4)),
        proptest::option::of(proptest::collection::vec(
            (any::<u64>(), "[a-z]{0,5}"),
            0..3,
        )),
        proptest::option::of((
            "\\PC{0,12}",
            proptest::collection::vec(any::<u8>(), 0..9),
            any::<u64>(),
            any::<i64>(),
        )),
        proptest::option::of(proptest::collection::vec(
            ("[a-z]{1,8}", any::<i64>()),
            0..4,
        )),
        0u8..4,
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..4),
        proptest::option::of(proptest::collection::vec(
            ("[a-z]{1,6}", any::<bool>()),
            0..3,
        )),
    )
        .prop_map(|(h, da, ma, p, ap, body, body_parts, footer)| Sections {
            header: h,
            delivery_annotations: da,
            message_annotations: ma,
            properties: p,
            application_properties: ap,
            body,
            body_parts,
            footer,
        })
}

/// The sections written by the test encoder, in order.
fn encode_sections(s: &Sections) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if let Some((durable, priority, ttl)) = s.header {
        out.push(composite(
            0x70,
            &[boolean(durable), ubyte(priority), uint(ttl)],
        ));
    }
    if let Some(da) = &s.delivery_annotations {
        let pairs: Vec<_> = da.iter().map(|(k, v)| (sym(k), int(*v))).collect();
        out.push(described(0x71, map(&pairs)));
    }
    if let Some(ma) = &s.message_annotations {
        let pairs: Vec<_> = ma.iter().map(|(k, v)| (ulong(*k), str(v))).collect();
        out.push(described(0x72, map(&pairs)));
    }
    if let Some((id, user, corr, ts)) = &s.properties {
        out.push(composite(
            0x73,
            &[
                str(id),
                bin(user),
                null(),
                null(),
                null(),
                ulong(*corr),
                null(),
                null(),
                timestamp(*ts),
            ],
        ));
    }
    if let Some(ap) = &s.application_properties {
        let pairs: Vec<_> = ap
            .iter()
            .map(|(k, v)| {
                let mut l = vec![0x81];
                l.extend_from_slice(&v.to_be_bytes());
                if let Ok(b) = i8::try_from(*v) {
                    l = vec![0x55, b as u8];
                }
                (str(k), l)
            })
            .collect();
        out.push(described(0x74, map(&pairs)));
    }
    match s.body {
        0 => {}
        1 => out.extend(s.body_parts.iter().map(|d| described(0x75, bin(d)))),
        2 => out.extend(
            s.body_parts
                .iter()
                .map(|d| described(0x76, list(&[bin(d), uint(d.len() as u32)]))),
        ),
        _ => out.push(described(0x77, str(&ascii(&s.body_parts[0])))),
    }
    if let Some(f) = &s.footer {
        let pairs: Vec<_> = f.iter().map(|(k, v)| (sym(k), boolean(*v))).collect();
        out.push(described(0x78, map(&pairs)));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_composite_roundtrips((index, rs, ss, present, keep) in strategy()) {
        let c = &COMPOSITES[index];
        let bytes = gen_composite(index, &rs, &ss, &present, keep);
        let (dbg, out) = decode_any(c.name, &bytes)
            .unwrap_or_else(|e| panic!("{}: {e:?} on {bytes:02x?}", c.name));
        let (dbg2, out2) = decode_any(c.name, &out).unwrap();
        prop_assert_eq!(dbg2, dbg);
        prop_assert_eq!(&out2, &out);

        // As a frame body, through the typed frame API.
        if let Some(f) = as_frame(c.code, &bytes) {
            let Decoded::Complete { item, consumed } = TypedFrame::decode_with(&f, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap() else {
                panic!("incomplete");
            };
            prop_assert_eq!(consumed, f.len());
            let mut buf = vec![0u8; item.encoded_len().unwrap()];
            let n = item.encode_to_slice(&mut buf).unwrap();
            prop_assert_eq!(n, buf.len());
            let Decoded::Complete { item: again, .. } = TypedFrame::decode_with(&buf, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap() else {
                panic!("incomplete");
            };
            prop_assert_eq!(again, item);
            // Every strict prefix is incomplete, never an error.
            for cut in 0..f.len() {
                let d = TypedFrame::decode_with(&f[..cut], &DecodeOptions::new().max_frame_size(u32::MAX));
                prop_assert!(matches!(d, Ok(Decoded::Incomplete { .. })), "prefix {cut}: {d:?}");
            }
            // A frame one byte shorter than its size field is malformed.
            let mut short = f.clone();
            short.pop();
            let size = (short.len() as u32).to_be_bytes();
            short[..4].copy_from_slice(&size);
            prop_assert!(TypedFrame::decode_with(&short, &DecodeOptions::new().max_frame_size(u32::MAX)).is_err());
        }
    }

    #[test]
    fn messages_roundtrip(s in sections()) {
        let parts = encode_sections(&s);
        let bytes = parts.concat();
        let m = Message::decode(&bytes).unwrap_or_else(|e| panic!("{e:?}: {s:?}"));
        let mut out = vec![0u8; m.encoded_len().unwrap()];
        m.encode_to_slice(&mut out).unwrap();
        prop_assert_eq!(&out, &bytes, "the test encoder writes shortest forms too");
        prop_assert_eq!(Message::decode(&out).unwrap(), m);
        // Out of order: any two distinct kinds of section swapped.
        for i in 0..parts.len() {
            for j in i + 1..parts.len() {
                if parts[i][2] == parts[j][2] {
                    continue;
                }
                let mut swapped = parts.clone();
                swapped.swap(i, j);
                let e = Message::decode(&swapped.concat()).unwrap_err();
                prop_assert!(matches!(e, DecodeError::SectionOrder { .. }), "{e:?}");
                prop_assert_eq!(e.rule(), Some("3.2"));
            }
        }
        // A repeated non-body section.
        if let Some(first) = parts.first() {
            if first[2] != 0x75 && first[2] != 0x76 {
                let mut twice = parts.clone();
                twice.insert(1, first.clone());
                prop_assert!(Message::decode(&twice.concat()).is_err());
            }
        }
    }

    #[test]
    fn split_messages_are_the_concatenation(s in sections(), cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
        let bytes = encode_sections(&s).concat();
        let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        points.push(0);
        points.push(bytes.len());
        points.sort_unstable();
        points.dedup();
        // One transfer frame per piece, `more` on all but the last.
        let mut wire = Vec::new();
        let pieces: Vec<&[u8]> = points.windows(2).map(|w| &bytes[w[0]..w[1]]).collect();
        for (i, piece) in pieces.iter().enumerate() {
            let t = Transfer { delivery_id: (i == 0).then_some(7), more: i + 1 < pieces.len(), ..Transfer::new(1) };
            let f = TypedFrame::amqp(0, Performative::Transfer(t), piece);
            let mut buf = vec![0u8; f.encoded_len().unwrap()];
            f.encode_to_slice(&mut buf).unwrap();
            wire.extend(buf);
        }
        let mut got = Vec::new();
        let mut rest = &wire[..];
        while !rest.is_empty() {
            let Decoded::Complete { item, consumed } = TypedFrame::decode_with(rest, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap() else {
                panic!("incomplete");
            };
            let FrameBody::Amqp { performative: Performative::Transfer(_), payload } = item.body else {
                panic!("not a transfer");
            };
            got.extend_from_slice(payload);
            rest = &rest[consumed..];
        }
        prop_assert_eq!(Message::decode(&got).unwrap(), Message::decode(&bytes).unwrap());
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = TypedFrame::decode_with(&data, &DecodeOptions::new().max_frame_size(u32::MAX));
        let _ = Performative::decode(&data);
        let _ = SaslFrame::decode(&data);
        let _ = DeliveryState::decode(&data);
        let _ = LifetimePolicy::decode(&data);
        if let Ok(m) = Message::decode(&data) {
            // whatever decodes, encodes and decodes back
            let mut out = vec![0u8; m.encoded_len().unwrap()];
            m.encode_to_slice(&mut out).unwrap();
            prop_assert!(Message::decode(&out).is_ok());
        }
        for c in COMPOSITES {
            if let Ok((_, out, _)) = decode_prefix(c.name, &data) {
                prop_assert!(decode_any(c.name, &out).is_ok());
            }
        }
    }

    #[test]
    fn mutated_valid_composites_never_panic((index, rs, ss, present, keep) in strategy(), flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let c = &COMPOSITES[index];
        let mut bytes = gen_composite(index, &rs, &ss, &present, keep);
        for (at, x) in flips {
            let i = at % bytes.len();
            bytes[i] ^= x | 1;
        }
        // a mutation may leave a valid value followed by other bytes
        if let Ok((dbg, out, _)) = decode_prefix(c.name, &bytes) {
            let (dbg2, _) = decode_any(c.name, &out).unwrap();
            prop_assert_eq!(dbg2, dbg);
        }
        if let Some(f) = as_frame(c.code, &bytes) {
            let _ = TypedFrame::decode_with(&f, &DecodeOptions::new().max_frame_size(u32::MAX));
        }
    }
}
