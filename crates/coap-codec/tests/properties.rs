//! Property tests: encode → decode is the identity on every valid message,
//! decoding arbitrary bytes never panics and what decodes encodes back to
//! the same bytes, and URIs ⇄ options round-trip.

use coap_codec::uri::{self, CoapUri, Scheme};
use coap_codec::{
    CoapOption, Code, DecodeError, Message, MessageType, OptionList, OptionNumber, Options, Token,
    REGISTRY,
};
use proptest::prelude::*;

fn mtype() -> impl Strategy<Value = MessageType> {
    prop_oneof![
        Just(MessageType::Confirmable),
        Just(MessageType::NonConfirmable),
        Just(MessageType::Acknowledgement),
        Just(MessageType::Reset),
    ]
}

/// Option numbers: small ones, registered ones, and anything up to 65535.
fn number() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => 0u16..=64,
        3 => proptest::sample::select(REGISTRY.iter().map(|d| d.number.0).collect::<Vec<_>>()),
        2 => any::<u16>(),
        1 => 65_000u16..=65_535,
    ]
}

/// Values of every size class the delta/length encoding has.
fn value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => proptest::collection::vec(any::<u8>(), 0..=13),
        3 => proptest::collection::vec(any::<u8>(), 14..300),
        1 => proptest::collection::vec(any::<u8>(), 1000..1200),
        1 => (65_530usize..=65_804).prop_map(|n| vec![0xa5; n]),
    ]
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => Just(vec![]),
        6 => proptest::collection::vec(any::<u8>(), 1..80),
        1 => proptest::collection::vec(any::<u8>(), 1000..3000),
    ]
}

/// The parts of a valid message: an Empty message, a request (CON/NON) or a
/// response (CON/NON/ACK), with a token and sorted options.
#[derive(Debug, Clone)]
struct Parts {
    mtype: MessageType,
    code: Code,
    mid: u16,
    token: Vec<u8>,
    options: Vec<(u16, Vec<u8>)>,
    payload: Vec<u8>,
}

fn parts() -> impl Strategy<Value = Parts> {
    let empty = (mtype(), any::<u16>()).prop_map(|(mtype, mid)| Parts {
        mtype,
        code: Code::EMPTY,
        mid,
        token: vec![],
        options: vec![],
        payload: vec![],
    });
    let body = || {
        (
            any::<u16>(),
            proptest::collection::vec(any::<u8>(), 0..=8),
            proptest::collection::vec((number(), value()), 0..8),
            payload(),
        )
    };
    let request = (
        prop_oneof![
            Just(MessageType::Confirmable),
            Just(MessageType::NonConfirmable)
        ],
        1u8..=31,
        body(),
    )
        .prop_map(|(mtype, detail, b)| (mtype, Code::new(0, detail), b));
    let response = (
        prop_oneof![
            Just(MessageType::Confirmable),
            Just(MessageType::NonConfirmable),
            Just(MessageType::Acknowledgement)
        ],
        2u8..=5,
        0u8..=31,
        body(),
    )
        .prop_map(|(mtype, class, detail, b)| (mtype, Code::new(class, detail), b));
    let full = prop_oneof![request, response].prop_map(
        |(mtype, code, (mid, token, mut options, payload))| {
            options.sort_by_key(|o| o.0); // stable: repeated options keep their order
            Parts {
                mtype,
                code,
                mid,
                token,
                options,
                payload,
            }
        },
    );
    prop_oneof![1 => empty, 6 => full]
}

fn with_message<R>(p: &Parts, f: impl FnOnce(Message<'_>) -> R) -> R {
    let list: Vec<CoapOption<'_>> = p
        .options
        .iter()
        .map(|(n, v)| CoapOption::bytes(OptionNumber(*n), v))
        .collect();
    f(Message {
        mtype: p.mtype,
        code: p.code,
        message_id: p.mid,
        token: Token::new(&p.token).unwrap(),
        options: Options::from_slice(&list),
        payload: &p.payload,
    })
}

fn encode(m: &Message<'_>) -> Vec<u8> {
    let mut out = vec![0u8; m.encoded_len().unwrap()];
    let n = m.encode_to_slice(&mut out).unwrap();
    assert_eq!(n, out.len());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// encode → decode gives the same message, `encoded_len` is exact, and
    /// the decoded message encodes to the same bytes again.
    #[test]
    fn encode_decode_identity(p in parts()) {
        with_message(&p, |m| -> Result<(), TestCaseError> {
            let bytes = encode(&m);
            let mut via_bufmut = bytes::BytesMut::new();
            m.encode(&mut via_bufmut).unwrap();
            prop_assert_eq!(&via_bufmut[..], &bytes[..]);
            let d = Message::decode(&bytes).unwrap();
            prop_assert_eq!(d, m);
            prop_assert_eq!(d.token.as_bytes(), &p.token[..]);
            prop_assert_eq!(d.options.iter().count(), p.options.len());
            for (o, (n, v)) in d.options.iter().zip(&p.options) {
                prop_assert_eq!((o.number.0, o.value), (*n, &v[..]));
            }
            prop_assert_eq!(d.payload, &p.payload[..]);
            prop_assert_eq!(encode(&d), bytes.clone());
            // the marker is there exactly when there is a payload
            let body = if p.payload.is_empty() { 0 } else { 1 + p.payload.len() };
            prop_assert_eq!(
                bytes.len(),
                4 + p.token.len() + m.options.encoded_len().unwrap() + body
            );
            if !p.payload.is_empty() {
                prop_assert_eq!(bytes[bytes.len() - p.payload.len() - 1], 0xff);
            }
            Ok(())
        })?;
    }

    /// Arbitrary bytes never panic; whatever decodes re-encodes to exactly
    /// the input (the format has a single encoding for every message).
    #[test]
    fn decode_arbitrary_bytes(d in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(m) = Message::decode(&d) {
            prop_assert_eq!(encode(&m), d.clone());
            let again = encode(&m);
            prop_assert_eq!(Message::decode(&again), Ok(m));
        }
    }

    /// The same with a version-1 header and a plausible token length, so
    /// that most inputs get as far as the options.
    #[test]
    fn decode_arbitrary_after_a_valid_header(
        t in 0u8..4,
        tkl in 0u8..=8,
        code in prop_oneof![1u8..=31, 0x40u8..=0xbf],
        mid: u16,
        rest in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut d = vec![0x40 | (t << 4) | tkl, code];
        d.extend(mid.to_be_bytes());
        d.extend(&rest);
        match Message::decode(&d) {
            Ok(m) => {
                prop_assert_eq!(encode(&m), d.clone());
                prop_assert_eq!(m.message_id, mid);
                // iterating the options and reading any of them is safe
                let known = |n: OptionNumber| n.definition().is_some();
                let _ = m.options.first_bad_critical(known);
                prop_assert!(m.options.recognized(known).count() <= m.options.iter().count());
            }
            Err(e) => {
                // every error from a version-1 header is a format error
                prop_assert_eq!(e.disposition(), coap_codec::Disposition::Reject);
                prop_assert!(!matches!(e, DecodeError::TooShort(_) | DecodeError::UnknownVersion(_)));
            }
        }
    }

    /// Cutting a valid message short never gives back a different valid
    /// message with the same options (truncation is detected or yields a
    /// prefix of the options).
    #[test]
    fn truncation_is_detected(p in parts(), cut in any::<prop::sample::Index>()) {
        with_message(&p, |m| -> Result<(), TestCaseError> {
            let bytes = encode(&m);
            let at = cut.index(bytes.len());
            if let Ok(t) = Message::decode(&bytes[..at]) {
                // only possible when the cut falls on an option boundary
                // (or inside the payload)
                prop_assert_eq!(t.token, m.token);
                let full: Vec<_> = m.options.iter().collect();
                let part: Vec<_> = t.options.iter().collect();
                prop_assert!(part.len() <= full.len());
                prop_assert_eq!(&full[..part.len()], &part[..]);
            }
            Ok(())
        })?;
    }
}

/// A path segment or query argument: anything, including the characters
/// that must be percent-encoded (`/`, `?`, `&`, `%`, `#`, space, non-ASCII).
fn component() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9._~-]{0,12}",
        "[ -~]{0,16}",
        "[/?&%#=@:+ ]{1,6}",
        "\\PC{0,10}",
    ]
    .prop_filter("fits an option", |s| s.len() <= 255)
}

/// A registered name (lowercase: §6.4 lowercases the host).
fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9-]{1,20}(\\.[a-z0-9-]{1,10}){0,3}",
        "[a-z0-9._~!$&'()*+,;=-]{1,16}",
    ]
    // an IPv4 address would be taken as the destination's IP literal
    .prop_filter("not an IPv4 address", |h| {
        h.split('.').count() != 4 || !h.split('.').all(|p| p.parse::<u8>().is_ok())
    })
}

/// The one path §6.5 cannot carry through §6.4: a single empty segment is
/// written as "/", which means "no Uri-Path".
fn representable(path: &[String]) -> bool {
    path != [String::new()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// options → URI (§6.5) → options (§6.4) for the same destination.
    #[test]
    fn options_uri_options(
        host in proptest::option::of(host()),
        port in proptest::option::of(any::<u16>()),
        path in proptest::collection::vec(component(), 0..5),
        query in proptest::collection::vec(component(), 0..4),
        dest_port in prop_oneof![Just(5683u16), any::<u16>()],
        secure: bool,
    ) {
        prop_assume!(representable(&path));
        // a Uri-Port equal to the destination port says nothing
        prop_assume!(port != Some(dest_port));
        let scheme = if secure { Scheme::Coaps } else { Scheme::Coap };
        let mut opts = OptionList::new();
        if let Some(h) = &host {
            opts.push_str(OptionNumber::URI_HOST, h);
        }
        if let Some(p) = port {
            opts.push_uint(OptionNumber::URI_PORT, u32::from(p));
        }
        for s in &path {
            opts.push_str(OptionNumber::URI_PATH, s);
        }
        for q in &query {
            opts.push_str(OptionNumber::URI_QUERY, q);
        }
        let dest = "[2001:db8::1]";
        let text = uri::to_uri_string(opts.as_options(), scheme, dest, dest_port).unwrap();
        let parsed = CoapUri::parse(&text).unwrap();
        prop_assert_eq!(parsed.scheme(), scheme);
        let back = parsed.to_options_for(Some(dest), dest_port).unwrap();
        prop_assert_eq!(back.as_options(), opts.as_options(), "{}", text);
        // the URI is written once: composing again gives the same text
        let again = uri::to_uri_string(back.as_options(), scheme, dest, dest_port).unwrap();
        prop_assert_eq!(again, text);
    }

    /// URI text → options → URI text → the same options; a `/` inside a
    /// segment survives as `%2F`.
    #[test]
    fn uri_options_uri(
        host in host(),
        path in proptest::collection::vec(component(), 0..5),
        query in proptest::option::of(proptest::collection::vec(component(), 1..4)),
        tcp: bool,
    ) {
        prop_assume!(representable(&path));
        let enc = |s: &str, keep: &dyn Fn(char) -> bool| -> String {
            s.chars().map(|c| if keep(c) { c.to_string() } else {
                let mut b = [0u8; 4];
                c.encode_utf8(&mut b).bytes().map(|x| format!("%{x:02x}")).collect()
            }).collect()
        };
        let seg_ok = |c: char| c.is_ascii_alphanumeric() || "-._~!$'()*+,;=:@".contains(c);
        let mut text = format!("{}://{}", if tcp { "coap+tcp" } else { "coap" }, host);
        for s in &path {
            text.push('/');
            // literal "." and ".." would be dot segments
            match s.as_str() {
                "." => text.push_str("%2e"),
                ".." => text.push_str("%2e%2e"),
                _ => text.push_str(&enc(s, &seg_ok)),
            }
        }
        if let Some(q) = &query {
            text.push('?');
            let args: Vec<String> = q.iter().map(|a| enc(a, &|c| seg_ok(c) || c == '/' || c == '?')).collect();
            text.push_str(&args.join("&"));
        }
        let u = CoapUri::parse(&text).unwrap();
        let opts = u.to_options().unwrap();
        let o = opts.as_options();
        prop_assert_eq!(o.get_str(OptionNumber::URI_HOST), Some(host.as_str()));
        prop_assert_eq!(o.get(OptionNumber::URI_PORT), None);
        let segs: Vec<&str> = o.get_all_str(OptionNumber::URI_PATH).collect();
        prop_assert_eq!(segs, path.iter().map(String::as_str).collect::<Vec<_>>());
        let args: Vec<&str> = o.get_all_str(OptionNumber::URI_QUERY).collect();
        let expected: Vec<&str> = query.iter().flatten().map(String::as_str).collect();
        prop_assert_eq!(args, expected);
        let scheme = u.scheme();
        let composed = uri::to_uri_string(o, scheme, "192.0.2.1", scheme.default_port()).unwrap();
        let back = CoapUri::parse(&composed).unwrap().to_options().unwrap();
        prop_assert_eq!(back.as_options(), o, "{} -> {}", text, composed);
    }
}
