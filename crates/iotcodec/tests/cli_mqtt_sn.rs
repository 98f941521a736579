//! The `iotcodec` binary on MQTT-SN datagrams.

mod common;

use common::{iotcodec, text, workload};

#[test]
fn decode_pingreq() {
    let o = iotcodec(&["decode", "mqtt-sn", "--hex", "0216"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("PINGREQ"), "{}", text(&o));
}

#[test]
fn decode_publish_workload() {
    let o = iotcodec(&[
        "decode",
        "mqtt-sn",
        "--file",
        &workload("sn_publish_qos1.bin"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("PUBLISH qos=1 topic_id=1 msg_id=10 data=32 B"),
        "{}",
        text(&o)
    );
}

#[test]
fn decode_json() {
    let o = iotcodec(&["decode", "mqtt-sn", "--hex", "0418003c", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("DISCONNECT"), "{}", text(&o));
    assert!(text(&o).contains("60"), "{}", text(&o));
}

#[test]
fn malformed_datagrams_exit_1() {
    for hex in ["03050000", "0203", "0000", "070c0300010000", "05fe01aabb"] {
        let o = iotcodec(&["decode", "mqtt-sn", "--hex", hex]);
        assert_eq!(o.status.code(), Some(1), "{hex}: {}", text(&o));
    }
    let o = iotcodec(&["decode", "mqtt-sn", "--hex", "03050000"]);
    assert!(text(&o).contains("5.2.1"), "{}", text(&o));
}

#[test]
fn roundtrip_long_publish_is_identical() {
    let o = iotcodec(&[
        "roundtrip",
        "mqtt-sn",
        "--file",
        &workload("sn_publish_long.bin"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("identical"), "{}", text(&o));
}
