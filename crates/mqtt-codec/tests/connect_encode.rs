//! CONNECT encoding against a reference written from the spec in the
//! plainest way (every rule checked byte by byte, in field order, every
//! field pushed onto a vector), for arbitrary strings: plain ASCII of every
//! length around the quick paths' word sizes (0..=40 bytes and longer),
//! non-ASCII, U+0000, wildcards, empty will topics and fields longer than
//! 65,535 bytes. The codec takes a quick path when every string is plain
//! ASCII and the exact rules otherwise, and writes short fields without
//! `memcpy`; whatever path it takes, the bytes and the error must be the
//! reference's, in all three outputs.
#![cfg(feature = "alloc")]

use mqtt_codec::topic::TopicError;
use mqtt_codec::wire::{Connect, Packet, Properties, ProtocolVersion, QoS, Will};
use mqtt_codec::EncodeError;
use proptest::prelude::*;

/// The first broken rule of `c` (fields in wire order), or its bytes.
fn reference(c: &Connect<'_>) -> Result<Vec<u8>, EncodeError> {
    fn string(s: &str) -> Result<(), EncodeError> {
        if s.bytes().any(|b| b == 0) {
            return Err(EncodeError::NulInString);
        }
        field(s.as_bytes())
    }
    fn field(b: &[u8]) -> Result<(), EncodeError> {
        if b.len() > 65_535 {
            return Err(EncodeError::FieldTooLong(b.len()));
        }
        Ok(())
    }
    fn push(out: &mut Vec<u8>, b: &[u8]) {
        out.extend_from_slice(&(b.len() as u16).to_be_bytes());
        out.extend_from_slice(b);
    }
    let v5 = c.protocol == ProtocolVersion::V5;
    string(c.client_id)?;
    if let Some(w) = &c.will {
        if w.topic.is_empty() {
            return Err(TopicError::Empty.into());
        }
        for b in w.topic.bytes() {
            match b {
                0 => return Err(TopicError::Nul.into()),
                b'+' | b'#' => return Err(TopicError::WildcardInName.into()),
                _ => {}
            }
        }
        field(w.topic.as_bytes())?;
        field(w.payload)?;
    }
    if let Some(u) = c.username {
        string(u)?;
    }
    if let Some(p) = c.password {
        if c.username.is_none() && !v5 {
            return Err(EncodeError::Invalid("password without user name"));
        }
        field(p)?;
    }

    let mut body = Vec::new();
    match c.protocol {
        ProtocolVersion::V3_1 => push(&mut body, b"MQIsdp"),
        _ => push(&mut body, b"MQTT"),
    }
    body.push(c.protocol.level());
    let mut flags = u8::from(c.clean_start) << 1;
    if let Some(w) = &c.will {
        flags |= 0x04 | (w.qos as u8) << 3 | u8::from(w.retain) << 5;
    }
    if c.password.is_some() {
        flags |= 0x40;
    }
    if c.username.is_some() {
        flags |= 0x80;
    }
    body.push(flags);
    body.extend_from_slice(&c.keep_alive.to_be_bytes());
    if v5 {
        body.push(0); // no properties
    }
    push(&mut body, c.client_id.as_bytes());
    if let Some(w) = &c.will {
        if v5 {
            body.push(0);
        }
        push(&mut body, w.topic.as_bytes());
        push(&mut body, w.payload);
    }
    if let Some(u) = c.username {
        push(&mut body, u.as_bytes());
    }
    if let Some(p) = c.password {
        push(&mut body, p);
    }
    let mut out = vec![0x10];
    let mut n = body.len();
    loop {
        let b = (n % 128) as u8;
        n /= 128;
        if n == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(&body);
    Ok(out)
}

/// Strings made to hit every path: mostly plain ASCII of lengths around 8,
/// 16 and 32, now and then a character that breaks a rule somewhere in
/// them, and rarely one too long for a field.
fn string() -> impl Strategy<Value = &'static str> {
    let plain = proptest::collection::vec(
        prop_oneof![
            8 => proptest::char::range('a', 'z'),
            1 => Just('/'),
            1 => Just('-'),
        ],
        0..=40,
    );
    let odd = (
        plain.clone(),
        any::<prop::sample::Index>(),
        prop_oneof![
            Just('\0'),
            Just('+'),
            Just('#'),
            Just('é'),
            Just('€'),
            Just('\u{7f}'),
            Just(' '),
            Just(','),
        ],
    )
        .prop_map(|(mut cs, at, c)| {
            let i = if cs.is_empty() {
                0
            } else {
                at.index(cs.len() + 1)
            };
            cs.insert(i, c);
            cs
        });
    prop_oneof![
        6 => plain,
        3 => odd,
        1 => (0..3usize, proptest::char::range('a', 'c'))
            .prop_map(|(d, c)| vec![c; 65_534 + d]),
    ]
    .prop_map(|cs| &*cs.into_iter().collect::<String>().leak())
}

fn binary() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        9 => proptest::collection::vec(any::<u8>(), 0..=40),
        1 => (0..3usize).prop_map(|d| vec![0u8; 65_534 + d]),
    ]
    .prop_map(|b| &*b.leak())
}

fn connect() -> impl Strategy<Value = Connect<'static>> {
    let will = (
        prop_oneof![
            Just(QoS::AtMostOnce),
            Just(QoS::AtLeastOnce),
            Just(QoS::ExactlyOnce)
        ],
        any::<bool>(),
        string(),
        binary(),
    )
        .prop_map(|(qos, retain, topic, payload)| Will {
            qos,
            retain,
            properties: Properties::empty(),
            topic,
            payload,
        });
    (
        prop_oneof![
            Just(ProtocolVersion::V3_1),
            Just(ProtocolVersion::V3_1_1),
            Just(ProtocolVersion::V5)
        ],
        any::<bool>(),
        any::<u16>(),
        string(),
        proptest::option::of(will),
        proptest::option::of(string()),
        proptest::option::of(binary()),
    )
        .prop_map(
            |(protocol, clean_start, keep_alive, client_id, will, username, password)| Connect {
                protocol,
                clean_start,
                keep_alive,
                properties: Properties::empty(),
                client_id,
                will,
                username,
                password,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn connect_encodes_as_the_reference(c in connect()) {
        let want = reference(&c);
        let p = Packet::Connect(c);
        // the version argument is ignored for CONNECT (it carries its own)
        let v = ProtocolVersion::V3_1_1;
        prop_assert_eq!(p.encoded_len(v), want.as_ref().map(Vec::len).map_err(|e| *e));
        prop_assert_eq!(p.to_vec(v), want.clone());
        let mut slice = vec![0xa5u8; want.as_ref().map_or(64, Vec::len) + 3];
        let got = p.encode_to_slice(v, &mut slice);
        match &want {
            Ok(bytes) => {
                prop_assert_eq!(got, Ok(bytes.len()));
                prop_assert_eq!(&slice[..bytes.len()], &bytes[..]);
                prop_assert_eq!(&slice[bytes.len()..], &[0xa5; 3]);
            }
            Err(e) => {
                prop_assert_eq!(got, Err(*e));
                // nothing written before the error
                prop_assert!(slice.iter().all(|&b| b == 0xa5));
            }
        }
        let mut out = bytes::BytesMut::new();
        prop_assert_eq!(p.encode(v, &mut out), want.as_ref().map(Vec::len).map_err(|e| *e));
        prop_assert_eq!(&out[..], want.as_ref().map_or(&[][..], |b| &b[..]));
    }
}
