//! CoAP over TCP/TLS framing (RFC 8323 §3.2): vectors for signaling and
//! ordinary messages, the length boundaries, format errors, and property
//! tests (round trip, every strict prefix incomplete, any split of a stream
//! giving the same messages, never a panic).

use coap_codec::{
    CoapOption, Code, DecodeError, Decoded, EncodeError, Message, OptionNumber, Options, TcpHeader,
    TcpMessage, Token,
};
use iotcodec_testkit::{hex, workloads::load as workload};
use proptest::prelude::*;

const MAX: usize = 1 << 20;

fn decode_one(b: &[u8]) -> TcpMessage<'_> {
    match TcpMessage::decode_with(b, &coap_codec::DecodeOptions::new().max_message_size(MAX)) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(consumed, b.len(), "{b:02x?}");
            item
        }
        other => panic!("{b:02x?}: {other:?}"),
    }
}

/// `bytes` is exactly one message equal to `m`, and `m` encodes to `bytes`.
fn vector(bytes: &[u8], m: &TcpMessage<'_>) {
    assert_eq!(&decode_one(bytes), m);
    assert_eq!(m.encoded_len(), Ok(bytes.len()));
    assert_eq!(m.to_vec().unwrap(), bytes);
}

fn msg<'a>(code: Code, token: &[u8], options: Options<'a>, payload: &'a [u8]) -> TcpMessage<'a> {
    TcpMessage {
        code,
        token: Token::new(token).unwrap(),
        options,
        payload,
    }
}

#[test]
fn signaling_messages() {
    // 7.01 CSM: Max-Message-Size (2) = 1152, Block-Wise-Transfer (4) empty
    let csm_opts = [
        CoapOption::uint(OptionNumber(2), 1152),
        CoapOption::empty(OptionNumber(4)),
    ];
    let csm = msg(Code::CSM, &[], Options::from_slice(&csm_opts), b"");
    vector(&hex("40 e1 22 0480 20"), &csm);
    assert!(csm.is_signaling() && !csm.is_request() && !csm.is_response());
    // 7.02 Ping with a token, 7.03 Pong with Custody (2) empty
    let custody = [CoapOption::empty(OptionNumber(2))];
    vector(
        &hex("01 e2 42"),
        &msg(Code::PING, &[0x42], Options::EMPTY, b""),
    );
    vector(
        &hex("11 e3 42 20"),
        &msg(Code::PONG, &[0x42], Options::from_slice(&custody), b""),
    );
    // 7.04 Release with Alternative-Address (2) "h:1"
    let alt = [CoapOption::str(OptionNumber(2), "h:1")];
    vector(
        &hex("40 e4 23 683a31"),
        &msg(Code::RELEASE, &[], Options::from_slice(&alt), b""),
    );
    // 7.05 Abort with a diagnostic payload
    vector(
        &hex("50 e5 ff 6f6f7073"),
        &msg(Code::ABORT, &[], Options::EMPTY, b"oops"),
    );
    // an Empty message: a keep-alive, two bytes
    vector(&hex("00 00"), &TcpMessage::EMPTY);
    assert!(TcpMessage::EMPTY.is_empty());
}

#[test]
fn requests_and_responses_use_the_udp_body() {
    // Over TCP, what follows the token is byte for byte what follows it in
    // a datagram; only the framing before it differs.
    for name in [
        "coap_get_observe",
        "coap_content_ack",
        "coap_block2",
        "coap_12_options",
    ] {
        let udp = workload(name);
        let m = Message::decode(&udp).unwrap();
        let t = TcpMessage {
            code: m.code,
            token: m.token,
            options: m.options,
            payload: m.payload,
        };
        let tcp = t.to_vec().unwrap();
        let tkl = m.token.len();
        let body = &udp[4 + tkl..];
        let mut expected = match body.len() {
            n @ 0..=12 => vec![((n as u8) << 4) | tkl as u8],
            n @ 13..=268 => vec![0xd0 | tkl as u8, (n - 13) as u8],
            n => {
                let [hi, lo] = ((n - 269) as u16).to_be_bytes();
                vec![0xe0 | tkl as u8, hi, lo]
            }
        };
        expected.push(m.code.0);
        expected.extend(m.token.as_bytes());
        expected.extend(body);
        assert_eq!(tcp, expected, "{name}");
        let d = decode_one(&tcp);
        assert_eq!(d, t, "{name}");
        assert_eq!(d.options.iter().count(), m.options.iter().count(), "{name}");
    }
    // RFC 8323 has no Message ID, so the UDP-only rules do not apply: a
    // request is a request, whatever would have been its type
    let b = hex("51 01 aa b4 74656d70");
    let get = decode_one(&b);
    assert_eq!(get.code, Code::GET);
    assert_eq!(get.token.as_bytes(), [0xaa]);
    assert_eq!(get.options.get_str(OptionNumber::URI_PATH), Some("temp"));
}

#[test]
fn framing_errors() {
    use DecodeError as E;
    let cases: &[(&str, &str, usize, DecodeError)] = &[
        (
            "TKL 9",
            "09 01 010203040506070809",
            MAX,
            E::InvalidTokenLength(9),
        ),
        ("TKL 15", "0f 01", MAX, E::InvalidTokenLength(15)),
        // the size comes first, whatever else is wrong
        (
            "too large",
            "d0 ff 45",
            100,
            E::MessageTooLarge {
                size: 271,
                max: 100,
            },
        ),
        (
            "too large, TKL 15",
            "ff ffffffff 45",
            1152,
            E::MessageTooLarge {
                size: 6 + 15 + 65_805 + 0xffff_ffff,
                max: 1152,
            },
        ),
        ("class 1", "00 20", MAX, E::ReservedClass(0x20)),
        ("class 6", "10 c0 00", MAX, E::ReservedClass(0xc0)),
        ("Empty with a token", "01 00 aa", MAX, E::EmptyNotEmpty),
        ("Empty with an option", "10 00 b0", MAX, E::EmptyNotEmpty),
        ("Empty with payload", "20 00 ff 00", MAX, E::EmptyNotEmpty),
        ("nibble 15", "10 01 f0", MAX, E::ReservedNibble),
        (
            "option cut by the length",
            "20 01 b2 61",
            MAX,
            E::TruncatedOption,
        ),
        ("marker, no payload", "10 45 ff", MAX, E::EmptyPayload),
        (
            "number past 65535",
            "40 45 e0 fef2 10",
            MAX,
            E::OptionNumberOverflow(65536),
        ),
    ];
    for &(what, bytes, max, err) in cases {
        let b = hex(bytes);
        assert_eq!(
            TcpMessage::decode_with(&b, &coap_codec::DecodeOptions::new().max_message_size(max)),
            Err(err),
            "{what}"
        );
    }
    // an option running past the message is an error even when the stream
    // holds more bytes: the length bounds the message
    let b = hex("20 01 b2 61 62 63");
    assert_eq!(
        TcpMessage::decode_with(&b, &coap_codec::DecodeOptions::new().max_message_size(MAX)),
        Err(E::TruncatedOption)
    );
    // the MessageTooLarge rule
    assert_eq!(
        E::MessageTooLarge { size: 2, max: 1 }.rule(),
        Some("RFC 8323 §3.2")
    );
}

#[test]
fn incomplete_says_how_much_is_missing() {
    let need = |b: &str, max: usize| match TcpMessage::decode_with(
        &hex(b),
        &coap_codec::DecodeOptions::new().max_message_size(max),
    ) {
        Ok(Decoded::Incomplete { needed }) => needed.map(|n| n.get()),
        other => panic!("{b}: {other:?}"),
    };
    assert_eq!(need("", MAX), Some(2));
    assert_eq!(need("51", MAX), Some(1));
    assert_eq!(need("51 01", MAX), Some(6));
    assert_eq!(need("51 01 aa b4 7465", MAX), Some(2));
    assert_eq!(need("d0", MAX), Some(2));
    assert_eq!(need("d0 ff", MAX), Some(1));
    assert_eq!(need("d0 ff 45", MAX), Some(268));
    assert_eq!(need("f0 00", MAX), Some(4));
    assert_eq!(need("f0 00000000 45", MAX), Some(65_805));
    // TKL is checked before waiting for the token
    assert_eq!(
        TcpMessage::decode_with(
            &hex("0c 01"),
            &coap_codec::DecodeOptions::new().max_message_size(MAX)
        ),
        Err(DecodeError::InvalidTokenLength(12))
    );
}

#[test]
fn never_reads_past_the_message() {
    let first = msg(Code::GET, &[1, 2], Options::EMPTY, b"ab");
    let mut stream = first.to_vec().unwrap();
    let len = stream.len();
    // garbage after it is not looked at
    stream.extend(hex("ff ffffffff ff"));
    assert_eq!(
        TcpMessage::decode_with(
            &stream,
            &coap_codec::DecodeOptions::new().max_message_size(16)
        ),
        Ok(Decoded::Complete {
            item: first,
            consumed: len
        })
    );
    assert_eq!(
        TcpMessage::decode_with(
            &stream[len..],
            &coap_codec::DecodeOptions::new().max_message_size(16)
        ),
        Err(DecodeError::MessageTooLarge {
            size: 6 + 15 + 65_805 + 0xffff_ffff,
            max: 16
        })
    );
}

#[test]
fn encoder_checks() {
    let m = msg(Code::CONTENT, &[9], Options::EMPTY, b"payload");
    let n = m.encoded_len().unwrap();
    let mut small = vec![0u8; n - 1];
    assert_eq!(
        m.encode_to_slice(&mut small),
        Err(EncodeError::BufferTooSmall { required: n })
    );
    let mut out = bytes::BytesMut::new();
    m.encode(&mut out).unwrap();
    assert_eq!(&out[..], &m.to_vec().unwrap()[..]);
    let list = [
        CoapOption::empty(OptionNumber(4)),
        CoapOption::empty(OptionNumber(2)),
    ];
    let bad = msg(Code::CSM, &[], Options::from_slice(&list), b"");
    assert_eq!(bad.encoded_len(), Err(EncodeError::OptionsNotAscending(2)));
    // a body past 65805 + 2^32 - 1 bytes cannot be framed; 70,000 bytes can
    let big = vec![0u8; 70_000];
    let m = msg(Code::CONTENT, &[], Options::EMPTY, &big);
    let b = m.to_vec().unwrap();
    assert_eq!(&b[..6], &[0xf0, 0, 0, 0x10, 0x64, 0x45]);
    let h = TcpHeader::peek(&b).complete().unwrap().0;
    assert_eq!(h.message_len(), b.len() as u64);
}

fn number() -> impl Strategy<Value = u16> {
    prop_oneof![4 => 0u16..=64, 1 => any::<u16>()]
}

fn value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => proptest::collection::vec(any::<u8>(), 0..=13),
        2 => proptest::collection::vec(any::<u8>(), 14..300),
        1 => (269usize..=400).prop_map(|n| vec![0x3c; n]),
    ]
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => Just(vec![]),
        5 => proptest::collection::vec(any::<u8>(), 1..64),
        1 => proptest::collection::vec(any::<u8>(), 250..300),
        1 => (65_790usize..65_830).prop_map(|n| vec![0x11; n]),
    ]
}

#[derive(Debug, Clone)]
struct Parts {
    code: u8,
    token: Vec<u8>,
    options: Vec<(u16, Vec<u8>)>,
    payload: Vec<u8>,
}

fn parts() -> impl Strategy<Value = Parts> {
    let code = prop_oneof![
        1u8..=0x1f,    // requests
        0x40u8..=0xbf, // responses
        0xe0u8..=0xff, // signaling
    ];
    let full = (
        code,
        proptest::collection::vec(any::<u8>(), 0..=8),
        proptest::collection::vec((number(), value()), 0..6),
        payload(),
    )
        .prop_map(|(code, token, mut options, payload)| {
            options.sort_by_key(|o| o.0);
            Parts {
                code,
                token,
                options,
                payload,
            }
        });
    prop_oneof![
        1 => Just(Parts { code: 0, token: vec![], options: vec![], payload: vec![] }),
        8 => full,
    ]
}

fn encoded(p: &Parts) -> Vec<u8> {
    let list: Vec<CoapOption<'_>> = p
        .options
        .iter()
        .map(|(n, v)| CoapOption::bytes(OptionNumber(*n), v))
        .collect();
    msg(
        Code(p.code),
        &p.token,
        Options::from_slice(&list),
        &p.payload,
    )
    .to_vec()
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip(p in parts()) {
        let bytes = encoded(&p);
        let m = decode_one(&bytes);
        prop_assert_eq!(m.code, Code(p.code));
        prop_assert_eq!(m.token.as_bytes(), &p.token[..]);
        let opts: Vec<(u16, &[u8])> = m.options.iter().map(|o| (o.number.0, o.value)).collect();
        let expected: Vec<(u16, &[u8])> = p.options.iter().map(|(n, v)| (*n, &v[..])).collect();
        prop_assert_eq!(opts, expected);
        prop_assert_eq!(m.payload, &p.payload[..]);
        prop_assert_eq!(m.to_vec().unwrap(), bytes.clone());
        let h = TcpHeader::peek(&bytes).complete().unwrap().0;
        prop_assert_eq!(h.message_len(), bytes.len() as u64);
        prop_assert_eq!(usize::from(h.token_len), p.token.len());
        // the size limit is exact
        prop_assert!(TcpMessage::decode_with(&bytes, &coap_codec::DecodeOptions::new().max_message_size(bytes.len())).unwrap().is_complete());
        prop_assert_eq!(
            TcpMessage::decode_with(&bytes, &coap_codec::DecodeOptions::new().max_message_size(bytes.len() - 1)),
            Err(DecodeError::MessageTooLarge { size: bytes.len(), max: bytes.len() - 1 })
        );
    }

    #[test]
    fn every_strict_prefix_is_incomplete(p in parts()) {
        let bytes = encoded(&p);
        let header_len = TcpHeader::peek(&bytes).complete().unwrap().1;
        // every prefix for short messages; a spread of them for long ones
        let step = (bytes.len() / 512).max(1);
        for cut in (0..bytes.len()).step_by(step).chain(bytes.len().saturating_sub(3)..bytes.len()) {
            match TcpMessage::decode_with(&bytes[..cut], &coap_codec::DecodeOptions::new().max_message_size(MAX)) {
                Ok(Decoded::Incomplete { needed: Some(n) }) => {
                    if cut >= header_len {
                        prop_assert_eq!(cut + n.get(), bytes.len(), "cut {}", cut);
                    } else {
                        prop_assert!(cut + n.get() <= bytes.len(), "cut {}", cut);
                    }
                }
                other => prop_assert!(false, "cut {}: {:?}", cut, other),
            }
        }
    }

    #[test]
    fn any_split_gives_the_same_messages(
        ps in proptest::collection::vec(parts(), 1..6),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
    ) {
        let msgs: Vec<Vec<u8>> = ps.iter().map(encoded).collect();
        let stream = msgs.concat();
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(stream.len() + 1)).collect();
        points.push(stream.len());
        points.sort_unstable();
        // feed the chunks into a buffer, take out every complete message
        let mut buf: Vec<u8> = Vec::new();
        let mut got: Vec<Vec<u8>> = Vec::new();
        let mut from = 0;
        for to in points {
            buf.extend_from_slice(&stream[from..to]);
            from = to;
            loop {
                match TcpMessage::decode_with(&buf, &coap_codec::DecodeOptions::new().max_message_size(MAX)) {
                    Ok(Decoded::Complete { item, consumed }) => {
                        prop_assert_eq!(item.to_vec().unwrap(), buf[..consumed].to_vec());
                        got.push(buf[..consumed].to_vec());
                        buf.drain(..consumed);
                    }
                    Ok(Decoded::Incomplete { .. }) => break,
                    Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
                }
            }
        }
        prop_assert!(buf.is_empty());
        prop_assert_eq!(got, msgs);
    }

    #[test]
    fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..300), max in 0usize..400) {
        match TcpMessage::decode_with(&d, &coap_codec::DecodeOptions::new().max_message_size(max)) {
            Ok(Decoded::Complete { item, consumed }) => {
                prop_assert!(consumed <= d.len() && consumed <= max);
                // one encoding per message: what decoded encodes back
                prop_assert_eq!(item.to_vec().unwrap(), d[..consumed].to_vec());
            }
            Ok(Decoded::Incomplete { needed }) => {
                prop_assert!(needed.is_some());
            }
            Err(DecodeError::MessageTooLarge { size, max: m }) => {
                prop_assert_eq!(m, max);
                prop_assert!(size > max);
            }
            Err(_) => {}
        }
    }
}
