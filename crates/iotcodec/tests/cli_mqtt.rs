//! The `iotcodec` binary on MQTT input.

mod common;

use common::{iotcodec, text, workload};

#[test]
fn pingreq_decodes() {
    let o = iotcodec(&["decode", "mqtt3", "--hex", "c000"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("PINGREQ"), "{}", text(&o));
    let o = iotcodec(&["decode", "mqtt5", "--hex", "e000"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("DISCONNECT"), "{}", text(&o));
}

#[test]
fn malformed_names_rule() {
    // PINGREQ with an overlong remaining length
    let o = iotcodec(&["decode", "mqtt3", "--hex", "c08000"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("MQTT-1.5.5-1"), "{}", text(&o));
    // PUBLISH QoS 3
    let o = iotcodec(&["decode", "mqtt5", "--hex", "3605000161000100"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("MQTT-3.3.1-4"), "{}", text(&o));
}

#[test]
fn roundtrip_workloads_identical() {
    for (proto, file) in [
        ("mqtt3", "m3_connect.bin"),
        ("mqtt3", "m3_subscribe.bin"),
        ("mqtt5", "m5_pub_qos1_props.bin"),
        ("mqtt5", "m5_connect.bin"),
    ] {
        let o = iotcodec(&["roundtrip", proto, "--file", &workload(file)]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", text(&o));
        assert!(text(&o).contains("identical"), "{file}: {}", text(&o));
    }
}

#[test]
fn decoding_resumes_after_a_bad_packet() {
    // SUBSCRIBE with reserved flags 0000, then a PINGRESP
    let o = iotcodec(&["decode", "mqtt3", "--hex", "8006000100016100d000"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("MQTT-2.1.3-1") && t.contains("PINGRESP"), "{t}");
}

#[test]
fn publish_summary() {
    let o = iotcodec(&["decode", "mqtt3", "--hex", "32090003612f62000a6869"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains(r#"PUBLISH qos=1 pid=10 topic="a/b" payload=2 B"#),
        "{t}"
    );
}

#[test]
fn credentials_are_not_printed() {
    // the CONNECT workload's password is "s3cr3t-passw0rd"
    // (73 33 63 72 33 74 2d 70 61 73 73 77 30 72 64)
    let connect = workload("m3_connect.bin");
    // MQTT 5 AUTH with Authentication Method "SCRAM" and Authentication
    // Data "hunter2" (68 75 6e 74 65 72 32)
    let auth = "f0 14 18 12 15 0005 534352414d 16 0007 68756e74657232";
    for (proto, input) in [("mqtt3", ["--file", &connect]), ("mqtt5", ["--hex", auth])] {
        for extra in [&[][..], &["--json"][..]] {
            let mut args = vec!["decode", proto, input[0], input[1]];
            args.extend_from_slice(extra);
            let o = iotcodec(&args);
            let t = text(&o);
            assert_eq!(o.status.code(), Some(0), "{t}");
            for secret in ["s3cr3t", "7333637233742d", "hunter2", "68756e74657232"] {
                assert!(!t.contains(secret), "credentials printed: {t}");
            }
        }
    }
    let o = iotcodec(&["decode", "mqtt3", "--file", &connect, "--json"]);
    assert!(
        text(&o).contains(r#""password":"<redacted>""#),
        "{}",
        text(&o)
    );
    let o = iotcodec(&["decode", "mqtt5", "--hex", auth, "--json"]);
    assert!(
        text(&o).contains(r#""name":"AuthenticationData","value":"<redacted>""#),
        "{}",
        text(&o)
    );
}
