//! Wire-layer vectors: the message examples of RFC 7252 Appendix A as bytes,
//! every option of the registry on the wire, the extended delta/length
//! boundaries, the URI examples of Appendix B, and the four benchmark
//! workloads decoded to exactly the fields their definitions give.

use coap_codec::uri::{self, CoapUri, Scheme};
use coap_codec::{
    Block, CoapOption, Code, ContentFormat, DecodeError, EncodeError, Message, MessageType,
    OptionFormat, OptionList, OptionNumber, Options, OwnedMessage, Token, REGISTRY,
};
use iotcodec_testkit::{hex, workloads::load as workload};

fn encode(m: &Message<'_>) -> Vec<u8> {
    let len = m.encoded_len().unwrap();
    let mut out = vec![0u8; len];
    assert_eq!(m.encode_to_slice(&mut out), Ok(len));
    out
}

/// `bytes` decodes to `expected`, and `expected` encodes to `bytes`.
fn vector(bytes: &[u8], expected: &Message<'_>) {
    assert_eq!(
        Message::decode(bytes).as_ref(),
        Ok(expected),
        "{bytes:02x?}"
    );
    assert_eq!(expected.encoded_len(), Ok(bytes.len()));
    assert_eq!(encode(expected), bytes);
}

/// `bin(n)` of the workload conventions: byte j = j & 0xff.
fn bin(n: usize) -> Vec<u8> {
    (0..n).map(|j| (j & 0xff) as u8).collect()
}

fn token(b: &[u8]) -> Token {
    Token::new(b).unwrap()
}

const TEMPERATURE: [CoapOption<'static>; 1] =
    [CoapOption::str(OptionNumber::URI_PATH, "temperature")];

fn get(mtype: MessageType, mid: u16, tok: &[u8]) -> Message<'static> {
    Message {
        mtype,
        code: Code::GET,
        message_id: mid,
        token: token(tok),
        options: Options::from_slice(&TEMPERATURE),
        payload: b"",
    }
}

fn content(mtype: MessageType, mid: u16, tok: &[u8], payload: &'static [u8]) -> Message<'static> {
    Message {
        mtype,
        code: Code::CONTENT,
        message_id: mid,
        token: token(tok),
        options: Options::EMPTY,
        payload,
    }
}

use MessageType::{
    Acknowledgement as Ack, Confirmable as Con, NonConfirmable as Non, Reset as Rst,
};

#[test]
fn rfc7252_figure_16_piggybacked_response() {
    // "This request is a total of 16 bytes long", the response 11 bytes.
    let req = hex("40 01 7d34 bb 74656d7065726174757265");
    assert_eq!(req.len(), 16);
    vector(&req, &get(Con, 0x7d34, &[]));
    let m = Message::decode(&req).unwrap();
    assert_eq!(m.uri_path().collect::<Vec<_>>(), ["temperature"]);
    assert!(m.token.is_empty() && m.is_request());

    let resp = hex("60 45 7d34 ff 32322e332043");
    assert_eq!(resp.len(), 11);
    vector(&resp, &content(Ack, 0x7d34, &[], b"22.3 C"));
}

#[test]
fn rfc7252_figure_17_with_token() {
    let req = hex("41 01 7d35 20 bb 74656d7065726174757265");
    assert_eq!(req.len(), 17);
    vector(&req, &get(Con, 0x7d35, &[0x20]));
    let resp = hex("61 45 7d35 20 ff 32322e332043");
    assert_eq!(resp.len(), 12);
    vector(&resp, &content(Ack, 0x7d35, &[0x20], b"22.3 C"));
}

#[test]
fn rfc7252_figures_18_19_retransmitted() {
    // The retransmission is the same datagram: same bytes, same message.
    for (mid, tok) in [(0x7d36u16, 0x31u8), (0x7d37, 0x42)] {
        let [hi, lo] = mid.to_be_bytes();
        let mut req = vec![0x41, 0x01, hi, lo, tok, 0xbb];
        req.extend_from_slice(b"temperature");
        vector(&req, &get(Con, mid, &[tok]));
        let mut resp = vec![0x61, 0x45, hi, lo, tok, 0xff];
        resp.extend_from_slice(b"22.3 C");
        vector(&resp, &content(Ack, mid, &[tok], b"22.3 C"));
    }
}

#[test]
fn rfc7252_figures_20_21_separate_response() {
    // Figure 20: empty ACK, then a CON 2.05 with a new MID, ACKed empty.
    vector(
        &hex("41 01 7d38 53 bb 74656d7065726174757265"),
        &get(Con, 0x7d38, &[0x53]),
    );
    vector(&hex("60 00 7d38"), &Message::empty(Ack, 0x7d38));
    vector(
        &hex("41 45 ad7b 53 ff 32322e332043"),
        &content(Con, 0xad7b, &[0x53], b"22.3 C"),
    );
    vector(&hex("60 00 ad7b"), &Message::empty(Ack, 0xad7b));
    // Figure 21: the client lost its state and rejects the response.
    vector(
        &hex("41 01 7d39 64 bb 74656d7065726174757265"),
        &get(Con, 0x7d39, &[0x64]),
    );
    vector(&hex("60 00 7d39"), &Message::empty(Ack, 0x7d39));
    vector(
        &hex("41 45 ad7c 64 ff 32322e332043"),
        &content(Con, 0xad7c, &[0x64], b"22.3 C"),
    );
    let rst = hex("70 00 ad7c");
    vector(&rst, &Message::empty(Rst, 0xad7c));
    assert!(Message::decode(&rst).unwrap().is_empty());
}

#[test]
fn rfc7252_figures_22_23_non_confirmable_and_multicast() {
    vector(
        &hex("51 01 7d40 75 bb 74656d7065726174757265"),
        &get(Non, 0x7d40, &[0x75]),
    );
    vector(
        &hex("51 45 ad7d 75 ff 32322e332043"),
        &content(Non, 0xad7d, &[0x75], b"22.3 C"),
    );
    // Figure 23: one multicast NON request, three NON answers.
    vector(
        &hex("51 01 7d41 86 bb 74656d7065726174757265"),
        &get(Non, 0x7d41, &[0x86]),
    );
    vector(
        &hex("51 45 60b1 86 ff 32322e332043"),
        &content(Non, 0x60b1, &[0x86], b"22.3 C"),
    );
    vector(
        &hex("51 45 01a0 86 ff 32302e392043"),
        &content(Non, 0x01a0, &[0x86], b"20.9 C"),
    );
    let not_found = Message {
        code: Code::NOT_FOUND,
        ..content(Non, 0x952a, &[0x86], b"")
    };
    vector(&hex("51 84 952a 86"), &not_found);
    assert!(not_found.code.is_error());
}

#[test]
fn readme_inspector_example() {
    let b = hex("44 01 12 34 de ad be ef");
    let m = Message::decode(&b).unwrap();
    assert_eq!((m.mtype, m.code, m.message_id), (Con, Code::GET, 0x1234));
    assert_eq!(m.token.as_bytes(), [0xde, 0xad, 0xbe, 0xef]);
    assert!(m.options.is_empty() && m.payload.is_empty());
    assert_eq!(encode(&m), b);
}

/// The option header for a single option `number` (delta from 0) with a
/// value of `len` bytes, as RFC 7252 §3.1 spells it out.
fn option_header(number: u16, len: usize) -> Vec<u8> {
    fn part(v: usize) -> (u8, Vec<u8>) {
        match v {
            0..=12 => (v as u8, vec![]),
            13..=268 => (13, vec![(v - 13) as u8]),
            _ => (14, ((v - 269) as u16).to_be_bytes().to_vec()),
        }
    }
    let (dn, dx) = part(usize::from(number));
    let (ln, lx) = part(len);
    let mut h = vec![(dn << 4) | ln];
    h.extend(dx);
    h.extend(lx);
    h
}

/// A value of `len` bytes valid for the option's format.
fn value_of(format: OptionFormat, len: usize) -> Vec<u8> {
    match format {
        OptionFormat::Empty => vec![],
        OptionFormat::String => {
            // two-byte characters, and one ASCII letter for an odd length
            let mut s = "é".repeat(len / 2);
            if len % 2 == 1 {
                s.push('a');
            }
            s.into_bytes()
        }
        // no leading zero: the minimal encoding of some integer
        OptionFormat::Uint | OptionFormat::Opaque => {
            (0..len).map(|i| 0x81u8.wrapping_add(i as u8)).collect()
        }
    }
}

#[test]
fn every_registered_option_on_the_wire() {
    let all = |_: OptionNumber| true;
    for def in REGISTRY {
        let n = def.number;
        let lens: Vec<usize> = [def.min_len, (def.min_len + def.max_len) / 2, def.max_len]
            .into_iter()
            .map(usize::from)
            .collect();
        for len in lens {
            let value = value_of(def.format, len);
            assert_eq!(value.len(), len);
            let list = [CoapOption::bytes(n, &value)];
            let m = Message {
                options: Options::from_slice(&list),
                ..get(Con, 0x0102, &[7])
            };
            let mut expected = hex("41 01 0102 07");
            expected.extend(option_header(n.0, len));
            expected.extend(&value);
            vector(&expected, &m);

            let d = Message::decode(&expected).unwrap();
            let o: Vec<_> = d.options.iter().collect();
            assert_eq!(o.len(), 1, "{}", def.name);
            assert_eq!((o[0].number, o[0].value), (n, &value[..]), "{}", def.name);
            assert_eq!(d.options.get_valid(n), Some(&value[..]), "{}", def.name);
            assert_eq!(d.options.first_bad_critical(all), None, "{}", def.name);
            if def.format == OptionFormat::Uint {
                let v = value.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b));
                assert_eq!(d.options.get_uint(n), Some(v), "{}", def.name);
                // the minimal encoding of that integer is the same bytes
                assert_eq!(
                    CoapOption::uint(n, v),
                    CoapOption::bytes(n, &value),
                    "{}",
                    def.name
                );
            }
            if def.format == OptionFormat::String {
                assert!(d.options.get_str(n).is_some(), "{}", def.name);
            }
        }
        // one byte too long (and one too short, where there is room) is
        // outside the registry's bounds: treated as unrecognized
        let mut bad_lens = vec![usize::from(def.max_len) + 1];
        if def.min_len > 0 {
            bad_lens.push(usize::from(def.min_len) - 1);
        }
        for len in bad_lens {
            let value = vec![b'x'; len];
            let list = [CoapOption::bytes(n, &value)];
            let bytes = encode(&Message {
                options: Options::from_slice(&list),
                ..get(Con, 1, &[])
            });
            let d = Message::decode(&bytes).unwrap();
            assert_eq!(d.options.get(n), Some(&value[..]), "{}", def.name);
            assert_eq!(d.options.get_valid(n), None, "{} len {len}", def.name);
            assert_eq!(
                d.options.first_bad_critical(all),
                n.is_critical().then_some(n),
                "{} len {len}",
                def.name
            );
            assert_eq!(d.options.recognized(all).count(), 0, "{}", def.name);
        }
        // a second occurrence of a non-repeatable option counts as
        // unrecognized; repeatable options may repeat
        let value = value_of(def.format, usize::from(def.min_len));
        let list = [CoapOption::bytes(n, &value), CoapOption::bytes(n, &value)];
        let bytes = encode(&Message {
            options: Options::from_slice(&list),
            ..get(Con, 1, &[])
        });
        let d = Message::decode(&bytes).unwrap();
        let bad = !def.repeatable && n.is_critical();
        assert_eq!(
            d.options.first_bad_critical(all),
            bad.then_some(n),
            "{}",
            def.name
        );
        let kept = if def.repeatable { 2 } else { 1 };
        assert_eq!(d.options.recognized(all).count(), kept, "{}", def.name);
        assert_eq!(n.is_repeatable(), def.repeatable);
        assert_eq!(n.name(), Some(def.name));
    }
}

#[test]
fn registry_entries_match_the_rfcs() {
    // (number, name, format, min, max, repeatable) from RFC 7252 Table 4,
    // RFC 7641, 7959, 7967, 8613, 8768, 9175, 9177.
    use OptionFormat::*;
    let expected: &[(u16, &str, OptionFormat, u16, u16, bool)] = &[
        (1, "If-Match", Opaque, 0, 8, true),
        (3, "Uri-Host", String, 1, 255, false),
        (4, "ETag", Opaque, 1, 8, true),
        (5, "If-None-Match", Empty, 0, 0, false),
        (6, "Observe", Uint, 0, 3, false),
        (7, "Uri-Port", Uint, 0, 2, false),
        (8, "Location-Path", String, 0, 255, true),
        (9, "OSCORE", Opaque, 0, 255, false),
        (11, "Uri-Path", String, 0, 255, true),
        (12, "Content-Format", Uint, 0, 2, false),
        (14, "Max-Age", Uint, 0, 4, false),
        (15, "Uri-Query", String, 0, 255, true),
        (16, "Hop-Limit", Uint, 1, 1, false),
        (17, "Accept", Uint, 0, 2, false),
        (19, "Q-Block1", Uint, 0, 3, false),
        (20, "Location-Query", String, 0, 255, true),
        (23, "Block2", Uint, 0, 3, false),
        (27, "Block1", Uint, 0, 3, false),
        (28, "Size2", Uint, 0, 4, false),
        (31, "Q-Block2", Uint, 0, 3, false),
        (35, "Proxy-Uri", String, 1, 1034, false),
        (39, "Proxy-Scheme", String, 1, 255, false),
        (60, "Size1", Uint, 0, 4, false),
        (252, "Echo", Opaque, 1, 40, false),
        (258, "No-Response", Uint, 0, 1, false),
        (292, "Request-Tag", Opaque, 0, 8, true),
    ];
    for &(n, name, format, min, max, rep) in expected {
        let d = OptionNumber(n)
            .definition()
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(
            (d.name, d.format, d.min_len, d.max_len, d.repeatable),
            (name, format, min, max, rep),
            "{n}"
        );
    }
    // criticality, unsafe and no-cache-key come from the number bits (§5.4.6)
    for d in REGISTRY {
        let n = d.number.0;
        assert_eq!(d.number.is_critical(), n & 1 == 1);
        assert_eq!(d.number.is_unsafe(), n & 2 == 2);
        assert_eq!(d.number.is_no_cache_key(), n & 0x1e == 0x1c);
    }
}

#[test]
fn extended_delta_and_length_boundaries() {
    // (number, value length, exact option header)
    let cases: &[(u16, usize, &str)] = &[
        (0, 0, "00"),
        (12, 12, "cc"),
        (13, 13, "dd 00 00"),
        (268, 268, "dd ff ff"),
        (269, 269, "ee 0000 0000"),
        (270, 12, "ec 0001"),
        (1000, 268, "ed 02db ff"),
        (65535, 65535, "ee fef2 fef2"),
        (65535, 65804, "ee fef2 ffff"),
    ];
    for &(number, len, head) in cases {
        assert_eq!(option_header(number, len), hex(head), "{number}/{len}");
        let value = vec![0x5a; len];
        let list = [CoapOption::bytes(OptionNumber(number), &value)];
        let m = Message {
            options: Options::from_slice(&list),
            ..content(Non, 9, &[], b"p")
        };
        let mut expected = hex("50 45 0009");
        expected.extend(hex(head));
        expected.extend(&value);
        expected.extend(b"\xffp");
        vector(&expected, &m);
    }
    // the longest value the format can carry is 65535 + 269 bytes
    let long = vec![0u8; 65805];
    let list = [CoapOption::bytes(OptionNumber(1), &long)];
    let m = Message {
        options: Options::from_slice(&list),
        ..content(Non, 9, &[], b"")
    };
    assert_eq!(m.encoded_len(), Err(EncodeError::OptionTooLong(1)));
    // deltas between options, not numbers, are what is extended
    let list = [
        CoapOption::empty(OptionNumber(1)),
        CoapOption::empty(OptionNumber(14)),
        CoapOption::empty(OptionNumber(282)),
        CoapOption::empty(OptionNumber(282)),
        CoapOption::empty(OptionNumber(551)),
    ];
    let m = Message {
        options: Options::from_slice(&list),
        ..content(Non, 9, &[], b"")
    };
    vector(&hex("50 45 0009 10 d0 00 d0 ff 00 e0 0000"), &m);
    // decoding: past 65535 is an overflow, whatever the route there
    for (opts, n) in [
        ("e0 ffff", 65804u32),
        ("e0 fef2 10", 65536),
        ("e0 fef1 d0 00", 65547),
        ("d0 ff e0 ffff", 65804 + 268),
    ] {
        assert_eq!(
            Message::decode(&hex(&format!("50 45 0009 {opts}"))),
            Err(DecodeError::OptionNumberOverflow(n)),
            "{opts}"
        );
    }
}

#[test]
fn unsigned_integers_minimal_out_leading_zeros_in() {
    for (v, bytes) in [
        (0u32, ""),
        (1, "01"),
        (255, "ff"),
        (256, "0100"),
        (5683, "1633"),
        (65535, "ffff"),
        (65536, "010000"),
        (0x00ff_ffff, "ffffff"),
        (u32::MAX, "ffffffff"),
    ] {
        let o = CoapOption::uint(OptionNumber::MAX_AGE, v);
        assert_eq!(o.value.as_bytes(), hex(bytes), "{v}");
    }
    // leading zeros are read, and a decoded message keeps them on re-encode
    let b = hex("50 45 0009 d4 01 0000003c");
    let m = Message::decode(&b).unwrap();
    assert_eq!(m.options.get_uint(OptionNumber::MAX_AGE), Some(60));
    assert_eq!(m.max_age(), 60);
    assert_eq!(encode(&m), b);
}

#[test]
fn workload_coap_get_observe() {
    let b = workload("coap_get_observe");
    assert_eq!(b.len(), 29);
    let opts = [
        CoapOption::empty(OptionNumber::OBSERVE),
        CoapOption::str(OptionNumber::URI_PATH, "sensors"),
        CoapOption::str(OptionNumber::URI_PATH, "temp"),
        CoapOption::str(OptionNumber::URI_QUERY, "unit=c"),
    ];
    let expected = Message {
        mtype: Con,
        code: Code::GET,
        message_id: 0x1234,
        token: token(&[0xde, 0xad, 0xbe, 0xef]),
        options: Options::from_slice(&opts),
        payload: b"",
    };
    vector(&b, &expected);
    let m = Message::decode(&b).unwrap();
    assert_eq!(m.observe(), Some(0));
    assert_eq!(m.uri_path().collect::<Vec<_>>(), ["sensors", "temp"]);
    assert_eq!(m.uri_query().collect::<Vec<_>>(), ["unit=c"]);
    assert_eq!(m.options.iter().count(), 4);
}

#[test]
fn workload_coap_content_ack() {
    let b = workload("coap_content_ack");
    assert_eq!(b.len(), 80);
    let payload = bin(64);
    let opts = [
        CoapOption::bytes(OptionNumber::ETAG, &[0xa1, 0xb2, 0xc3, 0xd4]),
        CoapOption::uint(OptionNumber::CONTENT_FORMAT, 42),
    ];
    let expected = Message {
        mtype: Ack,
        code: Code::CONTENT,
        message_id: 0x1234,
        token: token(&[0xde, 0xad, 0xbe, 0xef]),
        options: Options::from_slice(&opts),
        payload: &payload,
    };
    vector(&b, &expected);
    let m = Message::decode(&b).unwrap();
    assert_eq!(m.content_format(), Some(ContentFormat::OCTET_STREAM));
    assert_eq!(
        m.etags().collect::<Vec<_>>(),
        [&[0xa1, 0xb2, 0xc3, 0xd4][..]]
    );
}

#[test]
fn workload_coap_block2() {
    let b = workload("coap_block2");
    assert_eq!(b.len(), 1040);
    let payload = bin(1024);
    let opts = [
        CoapOption::uint(OptionNumber::CONTENT_FORMAT, 42),
        CoapOption::uint(OptionNumber::BLOCK2, 0x1e),
        CoapOption::uint(OptionNumber::SIZE2, 4096),
    ];
    let expected = Message {
        mtype: Ack,
        code: Code::CONTENT,
        message_id: 0x1235,
        token: token(&[0xde, 0xad, 0xbe, 0xef]),
        options: Options::from_slice(&opts),
        payload: &payload,
    };
    vector(&b, &expected);
    let m = Message::decode(&b).unwrap();
    let block = m.block2().unwrap();
    assert_eq!(Some(block), Block::new(1, true, 6));
    assert_eq!((block.size(), block.offset()), (1024, 1024));
    assert_eq!(m.size2(), Some(4096));
}

#[test]
fn workload_coap_12_options() {
    let b = workload("coap_12_options");
    assert_eq!(b.len(), 144);
    let payload = bin(64);
    let opts = [
        CoapOption::bytes(OptionNumber::IF_MATCH, &[1, 2, 3, 4]),
        CoapOption::str(OptionNumber::URI_HOST, "coap-gateway.example.com"),
        CoapOption::bytes(OptionNumber::ETAG, &[0x0e, 0x7a]),
        CoapOption::uint(OptionNumber::URI_PORT, 5683),
        CoapOption::str(OptionNumber::URI_PATH, "api"),
        CoapOption::str(OptionNumber::URI_PATH, "v1"),
        CoapOption::str(OptionNumber::URI_PATH, "sensors"),
        CoapOption::uint(OptionNumber::CONTENT_FORMAT, 50),
        CoapOption::str(OptionNumber::URI_QUERY, "a=1"),
        CoapOption::str(OptionNumber::URI_QUERY, "b=2"),
        CoapOption::uint(OptionNumber::ACCEPT, 50),
        CoapOption::uint(OptionNumber::SIZE1, 64),
    ];
    let expected = Message {
        mtype: Con,
        code: Code::POST,
        message_id: 0x1236,
        token: token(&[1, 2, 3, 4, 5, 6, 7, 8]),
        options: Options::from_slice(&opts),
        payload: &payload,
    };
    vector(&b, &expected);
    let m = Message::decode(&b).unwrap();
    assert_eq!(m.options.iter().count(), 12);
    assert_eq!(m.uri_host(), Some("coap-gateway.example.com"));
    assert_eq!(m.uri_port(), Some(5683));
    assert_eq!(m.accept(), Some(ContentFormat::JSON));
    assert_eq!(m.size1(), Some(64));
    // Uri-Host's 24-byte value takes the extended length (delta 3 - 1),
    // Size1 the extended delta (60 - 17 = 43)
    assert_eq!(&b[17..19], &[0x2d, 24 - 13]);
    assert_eq!(&b[76..80], &[0xd1, 43 - 13, 64, 0xff]);
    // the options a server would process: all of them
    let known = |n: OptionNumber| n.definition().is_some();
    assert_eq!(m.options.first_bad_critical(known), None);
    assert_eq!(m.options.recognized(known).count(), 12);
}

#[test]
fn encode_into_bufmut_and_small_buffers() {
    let b = workload("coap_12_options");
    let m = Message::decode(&b).unwrap();
    let mut out = bytes::BytesMut::with_capacity(b.len());
    m.encode(&mut out).unwrap();
    assert_eq!(&out[..], &b[..]);
    assert_eq!(m.to_vec().unwrap(), b);
    // too small: a typed error and nothing written
    let mut small = vec![0u8; b.len() - 1];
    assert_eq!(
        m.encode_to_slice(&mut small),
        Err(EncodeError::BufferTooSmall { required: b.len() })
    );
    let mut slice: &mut [u8] = &mut small[..];
    assert_eq!(
        m.encode(&mut slice),
        Err(EncodeError::BufferTooSmall { required: b.len() })
    );
    assert!(small.iter().all(|&x| x == 0));
    // a caller's options out of order are refused before anything is written
    let list = [
        CoapOption::str(OptionNumber::URI_QUERY, "a"),
        CoapOption::str(OptionNumber::URI_PATH, "b"),
    ];
    let bad = Message {
        options: Options::from_slice(&list),
        ..get(Con, 1, &[])
    };
    let mut out = bytes::BytesMut::with_capacity(64);
    assert_eq!(
        bad.encode(&mut out),
        Err(EncodeError::OptionsNotAscending(11))
    );
    assert!(out.is_empty());
    // no marker for an empty payload
    assert_eq!(encode(&get(Con, 1, &[])).last(), Some(&b'e'));
}

#[test]
fn owned_messages_share_the_datagram() {
    let b = bytes::Bytes::from(workload("coap_block2"));
    let m = OwnedMessage::from_bytes(b.clone()).unwrap();
    assert_eq!(m.as_message(), Message::decode(&b).unwrap());
    assert_eq!(m.payload().as_ptr(), b[16..].as_ptr());
    assert_eq!(
        OwnedMessage::from_bytes(bytes::Bytes::from_static(b"\x40\x01\x00\x01\xff")),
        Err(DecodeError::EmptyPayload)
    );
}

/// RFC 7252 Appendix B: options plus destination to URI, and back.
#[test]
fn rfc7252_appendix_b_uri_examples() {
    let dest6 = "[2001:db8::2:1]";
    let build = |opts: &[(OptionNumber, &[u8])]| {
        let mut l = OptionList::new();
        for &(n, v) in opts {
            l.push(n, v);
        }
        l
    };
    let cases: Vec<(OptionList, &str)> = vec![
        (build(&[]), "coap://[2001:db8::2:1]/"),
        (
            build(&[(OptionNumber::URI_HOST, b"example.net")]),
            "coap://example.net/",
        ),
        (
            build(&[
                (OptionNumber::URI_HOST, b"example.net"),
                (OptionNumber::URI_PATH, b".well-known"),
                (OptionNumber::URI_PATH, b"core"),
            ]),
            "coap://example.net/.well-known/core",
        ),
        (
            build(&[
                (OptionNumber::URI_HOST, b"xn--18j4d.example"),
                (
                    OptionNumber::URI_PATH,
                    &hex("E38193E38293E381ABE381A1E381AF"),
                ),
            ]),
            "coap://xn--18j4d.example/%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF",
        ),
    ];
    for (opts, expected) in &cases {
        let s = uri::to_uri_string(opts.as_options(), Scheme::Coap, dest6, 5683).unwrap();
        assert_eq!(&s, expected);
        let back = CoapUri::parse(&s)
            .unwrap()
            .to_options_for(Some(dest6), 5683)
            .unwrap();
        assert_eq!(back.as_options(), opts.as_options(), "{s}");
    }

    // The last example. §6.5 step 8 keeps "/" and "?" in a query; the
    // example's output percent-encodes the "/" anyway. We follow the
    // algorithm, and both URIs give back the same options.
    let opts = build(&[
        (OptionNumber::URI_PATH, b""),
        (OptionNumber::URI_PATH, b"/"),
        (OptionNumber::URI_PATH, b""),
        (OptionNumber::URI_PATH, b""),
        (OptionNumber::URI_QUERY, b"//"),
        (OptionNumber::URI_QUERY, b"?&"),
    ]);
    let s = uri::to_uri_string(opts.as_options(), Scheme::Coap, "198.51.100.1", 61616).unwrap();
    assert_eq!(s, "coap://198.51.100.1:61616//%2F//?//&?%26");
    for text in [s.as_str(), "coap://198.51.100.1:61616//%2F//?%2F%2F&?%26"] {
        let back = CoapUri::parse(text)
            .unwrap()
            .to_options_for(Some("198.51.100.1"), 61616)
            .unwrap();
        assert_eq!(back.as_options(), opts.as_options(), "{text}");
    }
}

#[test]
fn uri_to_options_of_the_workload_request() {
    // coap_12_options names coap://coap-gateway.example.com:5683/api/v1/sensors?a=1&b=2,
    // with the default port written out as an option (sent to another port)
    let b = workload("coap_12_options");
    let m = Message::decode(&b).unwrap();
    let u = CoapUri::parse("coap://coap-gateway.example.com/api/v1/sensors?a=1&b=2").unwrap();
    let opts = u.to_options_for(None, 61616).unwrap();
    let uri_opts: Vec<_> = m
        .options
        .iter()
        .filter(|o| {
            [
                OptionNumber::URI_HOST,
                OptionNumber::URI_PORT,
                OptionNumber::URI_PATH,
                OptionNumber::URI_QUERY,
            ]
            .contains(&o.number)
        })
        .collect();
    assert_eq!(opts.as_options().iter().collect::<Vec<_>>(), uri_opts);
    let s = uri::to_uri_string(m.options, Scheme::Coap, "192.0.2.1", 61616).unwrap();
    assert_eq!(s, "coap://coap-gateway.example.com/api/v1/sensors?a=1&b=2");
}
