//! Conformance tables: malformed and edge-case datagrams, each tagged with
//! the RFC 7252 rule it exercises, the `DecodeError` expected and what the
//! receiver must do with it; then the option-processing rules of §5.4
//! (critical/elective, repeated options, length bounds) through
//! `Options::first_bad_critical` and `Options::recognized`.

use coap_codec::{
    CoapOption, Code, DecodeError, Disposition, Header, Message, MessageType, OptionNumber, Options,
};
use iotcodec_testkit::hex;

/// One malformed datagram: what it breaks and what must happen.
struct Bad {
    what: &'static str,
    /// The section `DecodeError::rule` must name.
    rule: &'static str,
    datagram: &'static str,
    error: DecodeError,
    disposition: Disposition,
}

const fn bad(
    what: &'static str,
    rule: &'static str,
    datagram: &'static str,
    error: DecodeError,
    disposition: Disposition,
) -> Bad {
    Bad {
        what,
        rule,
        datagram,
        error,
        disposition,
    }
}

use DecodeError as E;
use Disposition::{Ignore, Reject};

const S3: &str = "RFC 7252 §3";
const S31: &str = "RFC 7252 §3.1";
const S41: &str = "RFC 7252 §4.1";
const S42: &str = "RFC 7252 §4.2";

const MALFORMED: &[Bad] = &[
    // §3: too short to carry a Message ID: nothing to answer
    bad("empty datagram", S3, "", E::TooShort(0), Ignore),
    bad("3 bytes", S3, "40 01 12", E::TooShort(3), Ignore),
    // §3: version other than 1 is silently ignored
    bad("version 0", S3, "00 01 1234", E::UnknownVersion(0), Ignore),
    bad("version 2", S3, "80 01 1234", E::UnknownVersion(2), Ignore),
    bad(
        "version 3 CON",
        S3,
        "c0 01 1234",
        E::UnknownVersion(3),
        Ignore,
    ),
    bad(
        "version 2 otherwise malformed",
        S3,
        "8f 20 1234 ff",
        E::UnknownVersion(2),
        Ignore,
    ),
    // §3: TKL 9-15 are reserved: a message format error
    bad(
        "TKL 9",
        S3,
        "49 01 1234 010203040506070809",
        E::InvalidTokenLength(9),
        Reject,
    ),
    bad(
        "TKL 10",
        S3,
        "4a 01 1234",
        E::InvalidTokenLength(10),
        Reject,
    ),
    bad(
        "TKL 11",
        S3,
        "4b 01 1234",
        E::InvalidTokenLength(11),
        Reject,
    ),
    bad(
        "TKL 12",
        S3,
        "4c 01 1234",
        E::InvalidTokenLength(12),
        Reject,
    ),
    bad(
        "TKL 13",
        S3,
        "4d 01 1234 00",
        E::InvalidTokenLength(13),
        Reject,
    ),
    bad(
        "TKL 14",
        S3,
        "4e 01 1234 0000",
        E::InvalidTokenLength(14),
        Reject,
    ),
    bad(
        "TKL 15",
        S3,
        "4f 01 1234",
        E::InvalidTokenLength(15),
        Reject,
    ),
    bad(
        "TKL 15 NON",
        S3,
        "5f 45 1234",
        E::InvalidTokenLength(15),
        Reject,
    ),
    bad(
        "token cut short",
        S3,
        "44 01 1234 dead",
        E::TruncatedToken,
        Reject,
    ),
    // §3.1: nibble 15 is only the payload marker as the whole byte 0xff
    bad(
        "delta nibble 15",
        S31,
        "40 01 1234 f0",
        E::ReservedNibble,
        Reject,
    ),
    bad(
        "delta 15, length 1",
        S31,
        "40 01 1234 f1 61",
        E::ReservedNibble,
        Reject,
    ),
    bad(
        "length nibble 15",
        S31,
        "40 01 1234 0f",
        E::ReservedNibble,
        Reject,
    ),
    bad(
        "length nibble 15 after an option",
        S31,
        "40 01 1234 b1 61 1f",
        E::ReservedNibble,
        Reject,
    ),
    bad(
        "delta 15 after delta 13",
        S31,
        "40 01 1234 d0 00 f0",
        E::ReservedNibble,
        Reject,
    ),
    // §3.1: extended fields and values must be inside the datagram
    bad(
        "extended delta missing",
        S31,
        "40 01 1234 d0",
        E::TruncatedOption,
        Reject,
    ),
    bad(
        "2-byte delta cut",
        S31,
        "40 01 1234 e0 01",
        E::TruncatedOption,
        Reject,
    ),
    bad(
        "extended length missing",
        S31,
        "40 01 1234 0d",
        E::TruncatedOption,
        Reject,
    ),
    bad(
        "2-byte length cut",
        S31,
        "40 01 1234 0e 00",
        E::TruncatedOption,
        Reject,
    ),
    bad(
        "value cut",
        S31,
        "40 01 1234 b4 616263",
        E::TruncatedOption,
        Reject,
    ),
    bad(
        "extended value cut",
        S31,
        "40 01 1234 bd 00 616263646566676869707172",
        E::TruncatedOption,
        Reject,
    ),
    // §3.1: the option number cannot go past 65535
    bad(
        "number 65536",
        S31,
        "40 01 1234 e0 fef2 10",
        E::OptionNumberOverflow(65536),
        Reject,
    ),
    bad(
        "largest delta at 0",
        S31,
        "40 01 1234 e0 ffff",
        E::OptionNumberOverflow(65804),
        Reject,
    ),
    bad(
        "overflow right after option 65535",
        S31,
        "45 45 1234 0102030405 e0 fef2 e0 0000",
        E::OptionNumberOverflow(65535 + 269),
        Reject,
    ),
    // §3: a payload marker followed by no payload
    bad("marker alone", S3, "40 01 1234 ff", E::EmptyPayload, Reject),
    bad(
        "marker after options",
        S3,
        "40 01 1234 b1 61 ff",
        E::EmptyPayload,
        Reject,
    ),
    bad(
        "marker after token",
        S3,
        "52 45 1234 abcd ff",
        E::EmptyPayload,
        Reject,
    ),
    // §4.1: an Empty message is nothing but the 4-byte header
    bad(
        "Empty CON with token",
        S41,
        "41 00 1234 aa",
        E::EmptyNotEmpty,
        Reject,
    ),
    bad(
        "Empty CON with TKL only",
        S41,
        "41 00 1234",
        E::EmptyNotEmpty,
        Reject,
    ),
    bad(
        "Empty ACK with an option",
        S41,
        "60 00 1234 b0",
        E::EmptyNotEmpty,
        Reject,
    ),
    bad(
        "Empty RST with payload",
        S41,
        "70 00 1234 ff 00",
        E::EmptyNotEmpty,
        Reject,
    ),
    bad(
        "Empty NON with a byte",
        S41,
        "50 00 1234 00",
        E::EmptyNotEmpty,
        Reject,
    ),
    // §4.2/§12.1: classes 1, 6 and 7 are reserved (7 is signaling, TCP only)
    bad(
        "class 1.00",
        S42,
        "40 20 1234",
        E::ReservedClass(0x20),
        Reject,
    ),
    bad(
        "class 1.31",
        S42,
        "50 3f 1234",
        E::ReservedClass(0x3f),
        Reject,
    ),
    bad(
        "class 6.00",
        S42,
        "40 c0 1234",
        E::ReservedClass(0xc0),
        Reject,
    ),
    bad(
        "class 6.31 ACK",
        S42,
        "60 df 1234",
        E::ReservedClass(0xdf),
        Reject,
    ),
    bad(
        "7.01 CSM on UDP",
        S42,
        "40 e1 1234",
        E::ReservedClass(0xe1),
        Reject,
    ),
    bad(
        "7.02 Ping on UDP",
        S42,
        "50 e2 1234",
        E::ReservedClass(0xe2),
        Reject,
    ),
    // §4.2: a Reset must be Empty
    bad("RST 2.05", S42, "70 45 1234", E::ResetNotEmpty, Reject),
    bad("RST GET", S42, "70 01 1234", E::ResetNotEmpty, Reject),
    bad(
        "RST 4.04 with token",
        S42,
        "71 84 1234 aa",
        E::ResetNotEmpty,
        Reject,
    ),
    // §4.2: an Acknowledgement carries a response or nothing
    bad("ACK GET", S42, "60 01 1234", E::AckWithRequest, Reject),
    bad(
        "ACK FETCH with token",
        S42,
        "62 05 1234 abcd",
        E::AckWithRequest,
        Reject,
    ),
    bad("ACK 0.31", S42, "60 1f 1234", E::AckWithRequest, Reject),
];

#[test]
fn malformed_datagrams() {
    for b in MALFORMED {
        let d = hex(b.datagram);
        assert_eq!(Message::decode(&d), Err(b.error), "{}", b.what);
        assert_eq!(b.error.rule(), Some(b.rule), "{}", b.what);
        assert_eq!(b.error.disposition(), b.disposition, "{}", b.what);
        // the error message names the same section
        assert!(
            b.error.to_string().contains(b.rule),
            "{}: {}",
            b.what,
            b.error
        );
        // whatever is rejected still shows the Message ID a Reset needs
        if b.disposition == Reject {
            let h = Header::peek(&d).unwrap();
            assert_eq!(h.message_id, 0x1234, "{}", b.what);
            assert_eq!(h.version, 1, "{}", b.what);
        }
    }
}

#[test]
fn every_reserved_token_length_and_class() {
    for tkl in 9u8..=15 {
        let mut d = vec![0x40 | tkl, 0x01, 0x12, 0x34];
        d.extend(vec![0xaa; usize::from(tkl)]);
        assert_eq!(Message::decode(&d), Err(E::InvalidTokenLength(tkl)));
    }
    for code in 0u8..=255 {
        let class = code >> 5;
        let d = [0x50, code, 0, 1];
        let r = Message::decode(&d);
        match class {
            1 | 6 | 7 => assert_eq!(r, Err(E::ReservedClass(code)), "{code:#x}"),
            _ => assert_eq!(r.map(|m| m.code), Ok(Code(code)), "{code:#x}"),
        }
    }
}

#[test]
fn well_formed_edge_cases_are_accepted() {
    let ok: &[(&str, &str, MessageType, u8)] = &[
        // §4.3: an Empty CON is a ping (answered by a Reset, not here)
        ("ping", "40 00 1234", MessageType::Confirmable, 0x00),
        (
            "empty ACK",
            "60 00 1234",
            MessageType::Acknowledgement,
            0x00,
        ),
        ("RST", "70 00 1234", MessageType::Reset, 0x00),
        ("Empty NON", "50 00 1234", MessageType::NonConfirmable, 0x00),
        (
            "TKL 8",
            "48 01 1234 0102030405060708",
            MessageType::Confirmable,
            0x01,
        ),
        (
            "class 3 is a response",
            "60 60 1234",
            MessageType::Acknowledgement,
            0x60,
        ),
        ("5.31 ACK", "60 bf 1234", MessageType::Acknowledgement, 0xbf),
        (
            "one-byte payload",
            "50 02 1234 ff 00",
            MessageType::NonConfirmable,
            0x02,
        ),
        (
            "0xff inside a value",
            "50 02 1234 b1 ff ff 01",
            MessageType::NonConfirmable,
            0x02,
        ),
        (
            "option 65535",
            "50 02 1234 e0 fef2",
            MessageType::NonConfirmable,
            0x02,
        ),
        (
            "repeated delta 0",
            "50 02 1234 b0 00 00",
            MessageType::NonConfirmable,
            0x02,
        ),
        (
            "unknown options",
            "50 02 1234 e0 fef1 10",
            MessageType::NonConfirmable,
            0x02,
        ),
    ];
    for &(what, datagram, mtype, code) in ok {
        let d = hex(datagram);
        let m = Message::decode(&d).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!((m.mtype, m.code), (mtype, Code(code)), "{what}");
        // what was accepted goes back out unchanged
        assert_eq!(m.to_vec().unwrap(), d, "{what}");
    }
    let d = hex("50 02 1234 b1 ff ff 01");
    let m = Message::decode(&d).unwrap();
    assert_eq!(m.uri_path().collect::<Vec<_>>(), [] as [&str; 0]); // 0xff is not UTF-8
    assert_eq!(m.options.get(OptionNumber::URI_PATH), Some(&[0xff][..]));
    assert_eq!(m.payload, [0x01]);
}

/// One §5.4 rule on a request's options.
struct Rule {
    what: &'static str,
    rule: &'static str,
    options: Vec<(u16, Vec<u8>)>,
    /// The critical option that makes it a 4.02 Bad Option, if any.
    bad: Option<u16>,
    /// The options a receiver recognizing the whole registry processes.
    processed: Vec<u16>,
}

fn rule(
    what: &'static str,
    rule: &'static str,
    options: &[(u16, &[u8])],
    bad: Option<u16>,
    processed: &[u16],
) -> Rule {
    Rule {
        what,
        rule,
        options: options.iter().map(|&(n, v)| (n, v.to_vec())).collect(),
        bad,
        processed: processed.to_vec(),
    }
}

#[test]
fn option_processing_rules() {
    let r541 = "RFC 7252 §5.4.1";
    let r543 = "RFC 7252 §5.4.3";
    let r545 = "RFC 7252 §5.4.5";
    let long = vec![b'h'; 256];
    let proxy_long = vec![b'p'; 1035];
    let rules = [
        rule(
            "unrecognized critical",
            r541,
            &[(2051, b"")],
            Some(2051),
            &[],
        ),
        rule(
            "unrecognized elective ignored",
            r541,
            &[(2048, b"x")],
            None,
            &[],
        ),
        rule(
            "unrecognized elective among known (2049 is registered)",
            r541,
            &[(11, b"a"), (2048, b"x"), (2049, b"")],
            None,
            &[11, 2049],
        ),
        rule("critical 65535", r541, &[(65535, b"")], Some(65535), &[]),
        rule("elective 65534", r541, &[(65534, b"")], None, &[]),
        rule(
            "first bad critical is the lowest",
            r541,
            &[(3, b""), (2051, b""), (2053, b"")],
            Some(3),
            &[2053],
        ),
        rule(
            "repeated elective Max-Age: first kept",
            r545,
            &[(14, &[1]), (14, &[2])],
            None,
            &[14],
        ),
        rule(
            "repeated elective Observe",
            r545,
            &[(6, b""), (6, &[1])],
            None,
            &[6],
        ),
        rule(
            "repeated critical Uri-Host",
            r545,
            &[(3, b"a"), (3, b"b")],
            Some(3),
            &[3],
        ),
        rule(
            "repeated critical If-None-Match",
            r545,
            &[(5, b""), (5, b"")],
            Some(5),
            &[5],
        ),
        rule(
            "repeated critical Block2",
            r545,
            &[(23, &[0x06]), (23, &[0x16])],
            Some(23),
            &[23],
        ),
        rule(
            "repeatable critical Uri-Path, If-Match",
            r545,
            &[(1, b""), (1, &[1]), (11, b"a"), (11, b"b")],
            None,
            &[1, 1, 11, 11],
        ),
        rule("empty ETag (elective)", r543, &[(4, b"")], None, &[]),
        rule("9-byte ETag (elective)", r543, &[(4, &[0; 9])], None, &[]),
        rule("empty Uri-Host (critical)", r543, &[(3, b"")], Some(3), &[]),
        rule(
            "256-byte Uri-Host (critical)",
            r543,
            &[(3, &long)],
            Some(3),
            &[],
        ),
        rule(
            "If-None-Match with a value",
            r543,
            &[(5, &[0])],
            Some(5),
            &[],
        ),
        rule(
            "3-byte Content-Format (elective)",
            r543,
            &[(12, &[0, 0, 42])],
            None,
            &[],
        ),
        rule(
            "3-byte Accept (critical)",
            r543,
            &[(17, &[0, 0, 42])],
            Some(17),
            &[],
        ),
        rule(
            "3-byte Uri-Port (critical)",
            r543,
            &[(7, &[0, 0x16, 0x33])],
            Some(7),
            &[],
        ),
        rule(
            "4-byte Block2 (critical)",
            r543,
            &[(23, &[0, 0, 0, 0x16])],
            Some(23),
            &[],
        ),
        rule(
            "4-byte Observe (elective)",
            r543,
            &[(6, &[0, 0, 0, 1])],
            None,
            &[],
        ),
        rule("empty Hop-Limit (elective)", r543, &[(16, b"")], None, &[]),
        rule(
            "2-byte No-Response (elective)",
            r543,
            &[(258, &[0, 2])],
            None,
            &[],
        ),
        rule(
            "1035-byte Proxy-Uri (critical)",
            r543,
            &[(35, &proxy_long)],
            Some(35),
            &[],
        ),
        rule(
            "Uri-Path not UTF-8 (critical)",
            r543,
            &[(11, &[0xc3])],
            Some(11),
            &[],
        ),
        rule(
            "Location-Path not UTF-8 (elective)",
            r543,
            &[(8, &[0xff])],
            None,
            &[],
        ),
        rule(
            "bad length on a repeatable option drops that occurrence only",
            r543,
            &[(4, &[1]), (4, &[0; 9]), (4, &[2])],
            None,
            &[4, 4],
        ),
        rule(
            "a bad first occurrence, a good second: both count",
            r545,
            &[(14, &[0, 0, 0, 0, 1]), (14, &[7])],
            None,
            &[],
        ),
    ];
    let everything = |n: OptionNumber| n.definition().is_some();
    for r in &rules {
        let list: Vec<CoapOption<'_>> = r
            .options
            .iter()
            .map(|(n, v)| CoapOption::bytes(OptionNumber(*n), v))
            .collect();
        // through the wire: decoded options are what a receiver sees
        let request = Message {
            mtype: MessageType::Confirmable,
            code: Code::GET,
            message_id: 1,
            token: coap_codec::Token::EMPTY,
            options: Options::from_slice(&list),
            payload: b"",
        };
        let bytes = request.to_vec().unwrap();
        let m = Message::decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", r.what));
        assert_eq!(
            m.options.first_bad_critical(everything),
            r.bad.map(OptionNumber),
            "{} ({})",
            r.what,
            r.rule
        );
        let processed: Vec<u16> = m
            .options
            .recognized(everything)
            .map(|o| o.number.0)
            .collect();
        assert_eq!(processed, r.processed, "{} ({})", r.what, r.rule);
        // the same rules on the caller's own list
        assert_eq!(
            Options::from_slice(&list).first_bad_critical(everything),
            r.bad.map(OptionNumber),
            "{}",
            r.what
        );
    }
}

#[test]
fn the_application_decides_what_it_recognizes() {
    // A server without OSCORE or Block support: those critical options are
    // unrecognized for it, and make a request a 4.02.
    let list = [
        CoapOption::empty(OptionNumber::OSCORE),
        CoapOption::str(OptionNumber::URI_PATH, "a"),
        CoapOption::uint(OptionNumber::BLOCK2, 0x06),
        CoapOption::uint(OptionNumber::SIZE2, 0),
    ];
    let opts = Options::from_slice(&list);
    let basic = |n: OptionNumber| {
        matches!(
            n,
            OptionNumber::URI_PATH | OptionNumber::URI_QUERY | OptionNumber::SIZE2
        )
    };
    assert_eq!(opts.first_bad_critical(basic), Some(OptionNumber::OSCORE));
    let no_block = |n: OptionNumber| n != OptionNumber::BLOCK2;
    assert_eq!(
        opts.first_bad_critical(no_block),
        Some(OptionNumber::BLOCK2)
    );
    // an elective option the application does not know is only skipped
    let no_size = |n: OptionNumber| n != OptionNumber::SIZE2;
    assert_eq!(opts.first_bad_critical(no_size), None);
    let seen: Vec<u16> = opts.recognized(no_size).map(|o| o.number.0).collect();
    assert_eq!(seen, [9, 11, 23]);
}

#[test]
fn accessors_follow_the_rules() {
    // get_valid/get_uint/get_str skip values outside the registry's bounds
    // and later occurrences of non-repeatable options
    let list = [
        CoapOption::str(OptionNumber::URI_HOST, "first"),
        CoapOption::str(OptionNumber::URI_HOST, "second"),
        CoapOption::bytes(OptionNumber::ETAG, &[0; 9]),
        CoapOption::bytes(OptionNumber::ETAG, &[5]),
        CoapOption::bytes(OptionNumber::CONTENT_FORMAT, &[0, 0, 50]),
        CoapOption::bytes(OptionNumber::MAX_AGE, &[0, 0, 0, 0, 9]),
        CoapOption::bytes(OptionNumber::URI_QUERY, &[0xff]),
        CoapOption::str(OptionNumber::URI_QUERY, "ok"),
    ];
    let m = Message {
        mtype: MessageType::NonConfirmable,
        code: Code::GET,
        message_id: 3,
        token: coap_codec::Token::EMPTY,
        options: Options::from_slice(&list),
        payload: b"",
    };
    let bytes = m.to_vec().unwrap();
    let d = Message::decode(&bytes).unwrap();
    assert_eq!(d.uri_host(), Some("first"));
    assert_eq!(d.etags().collect::<Vec<_>>(), [&[5][..]]);
    assert_eq!(d.content_format(), None);
    assert_eq!(d.max_age(), 60); // invalid value: the default applies
    assert_eq!(d.uri_query().collect::<Vec<_>>(), ["ok"]);
}
