//! The `iotcodec` binary on CoAP datagrams (`coap`) and RFC 8323 streams
//! (`coap-tcp`).

mod common;

use common::{iotcodec, text, workload};

#[test]
fn readme_example_round_trips() {
    let o = iotcodec(&["roundtrip", "coap", "--hex", "44 01 12 34 de ad be ef"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        text(&o).trim(),
        "@0 [8 B] CON mid=0x1234 0.01 GET token=0xdeadbeef: identical"
    );
}

#[test]
fn decode_workloads() {
    for (name, expect) in [
        (
            "coap_get_observe",
            "CON mid=0x1234 0.01 GET token=0xdeadbeef [Observe=0 Uri-Path=\"sensors\" \
             Uri-Path=\"temp\" Uri-Query=\"unit=c\"]",
        ),
        (
            "coap_content_ack",
            "ACK mid=0x1234 2.05 Content token=0xdeadbeef [ETag=0xa1b2c3d4 Content-Format=42] \
             payload=64 B",
        ),
        (
            "coap_block2",
            "ACK mid=0x1235 2.05 Content token=0xdeadbeef [Content-Format=42 Block2=30 \
             Size2=4096] payload=1024 B",
        ),
        (
            "coap_12_options",
            "CON mid=0x1236 0.02 POST token=0x0102030405060708 [If-Match=0x01020304 \
             Uri-Host=\"coap-gateway.example.com\" ETag=0x0e7a Uri-Port=5683 Uri-Path=\"api\" \
             Uri-Path=\"v1\" Uri-Path=\"sensors\" Content-Format=50 Uri-Query=\"a=1\" \
             Uri-Query=\"b=2\" Accept=50 Size1=64] payload=64 B",
        ),
    ] {
        let o = iotcodec(&[
            "decode",
            "coap",
            "--file",
            &workload(&format!("{name}.bin")),
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
        let line = text(&o);
        assert!(line.contains(expect), "{name}: {line}");
        let o = iotcodec(&[
            "roundtrip",
            "coap",
            "--file",
            &workload(&format!("{name}.bin")),
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
        assert!(text(&o).contains("identical"), "{name}: {}", text(&o));
    }
}

#[test]
fn decode_json() {
    let o = iotcodec(&[
        "decode",
        "coap",
        "--file",
        &workload("coap_content_ack.bin"),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    for part in [
        "\"ok\":true",
        "\"type\":\"ACK\"",
        "\"message_id\":4660",
        "\"code\":{\"class\":2,\"detail\":5,\"name\":\"Content\"}",
        "\"token\":\"deadbeef\"",
        "{\"number\":4,\"name\":\"ETag\",\"critical\":false,\"value\":\"a1b2c3d4\",\"valid\":true}",
        "\"uint\":42",
        "\"bad_critical_option\":null",
    ] {
        assert!(t.contains(part), "{part}: {t}");
    }
}

#[test]
fn malformed_datagrams_exit_1_with_rule_and_disposition() {
    for (hex, rule, what) in [
        ("4f011234", "RFC 7252 §3", "reject it"),
        ("40011234ff", "RFC 7252 §3", "reject it"),
        ("40011234e0fef210", "RFC 7252 §3.1", "reject it"),
        ("41001234aa", "RFC 7252 §4.1", "reject it"),
        ("70451234", "RFC 7252 §4.2", "reject it"),
        ("40e11234", "RFC 7252 §4.2", "reject it"),
        ("80011234", "RFC 7252 §3", "ignore the datagram"),
        ("400112", "RFC 7252 §3", "ignore the datagram"),
    ] {
        let o = iotcodec(&["decode", "coap", "--hex", hex]);
        assert_eq!(o.status.code(), Some(1), "{hex}: {}", text(&o));
        let t = text(&o);
        assert!(t.contains(&format!("[{rule}]")), "{hex}: {t}");
        assert!(t.contains(what), "{hex}: {t}");
        let o = iotcodec(&["decode", "coap", "--hex", hex, "--json"]);
        assert!(
            text(&o).contains(&format!("\"rule\":\"{rule}\"")),
            "{hex}: {}",
            text(&o)
        );
    }
}

#[test]
fn a_request_with_an_unknown_critical_option_is_flagged() {
    // decodes (the format is fine) but a server must answer 4.02
    let o = iotcodec(&["decode", "coap", "--hex", "40 01 0001 d0 f6"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("[Option259] bad-critical-option=259"),
        "{}",
        text(&o)
    );
}

#[test]
fn tcp_stream_of_messages() {
    // CSM (Max-Message-Size 1152, Block-Wise-Transfer), GET /temp with a
    // token, 2.05 with a payload, Ping
    let stream = "40 e1 22 0480 20  51 01 42 b4 74656d70  31 45 42 ff 3231  00 e2";
    let o = iotcodec(&["decode", "coap-tcp", "--hex", stream]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let lines: Vec<String> = text(&o).lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            "@0 [6 B] 7.01 CSM [option2=0x0480 option4]",
            "@6 [8 B] 0.01 GET token=0x42 [Uri-Path=\"temp\"]",
            "@14 [6 B] 2.05 Content token=0x42 payload=2 B",
            "@20 [2 B] 7.02 Ping",
        ]
    );
    let o = iotcodec(&["roundtrip", "coap-tcp", "--hex", stream]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(text(&o).matches("identical").count(), 4, "{}", text(&o));
}

#[test]
fn tcp_incomplete_and_malformed() {
    let o = iotcodec(&["decode", "coap-tcp", "--hex", "00 e2 51 01 42"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("@2 incomplete: 5 more byte(s) needed"),
        "{}",
        text(&o)
    );
    // a malformed message is reported and skipped by its length
    let o = iotcodec(&["decode", "coap-tcp", "--hex", "10 45 ff  00 e2"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("@0 error: payload marker") && t.contains("[RFC 7252 §3]"),
        "{t}"
    );
    assert!(t.contains("@3 [2 B] 7.02 Ping"), "{t}");
    // reserved token length: the framing still gives the length
    let o = iotcodec(&[
        "decode",
        "coap-tcp",
        "--hex",
        "09 01 000000000000000000  00 00",
        "--json",
    ]);
    let t = text(&o);
    assert!(t.contains("\"rule\":\"RFC 7252 §3\""), "{t}");
    assert!(t.contains("\"offset\":11"), "{t}");
}
