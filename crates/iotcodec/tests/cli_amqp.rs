//! The `iotcodec` binary on AMQP 1.0 streams.

mod common;

use common::{iotcodec, text, workload};

/// `AMQP 0 1 0 0` followed by a flow frame on channel 0 with seven fields.
const HEADER_FLOW: &str = concat!(
    "414d515000010000",
    "0000002002000000",
    "005313c01307520170000008005201700000080043435264",
);

#[test]
fn decode_header_and_flow() {
    let o = iotcodec(&["decode", "amqp", "--hex", HEADER_FLOW]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("HEADER AMQP 0 1.0.0"), "{t}");
    assert!(
        t.contains("FRAME ch=0 type=amqp performative=0x13 (flow) fields=7 payload=0 B"),
        "{t}"
    );
}

#[test]
fn decode_json_has_fields() {
    let o = iotcodec(&["decode", "amqp", "--hex", HEADER_FLOW, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains(r#""channel":0"#), "{t}");
    assert!(t.contains(r#""name":"flow""#), "{t}");
    assert!(t.contains(r#""protocol":"amqp""#), "{t}");
}

#[test]
fn decode_heartbeat() {
    let o = iotcodec(&["decode", "amqp", "--hex", "0000000802000000"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("HEARTBEAT"), "{}", text(&o));
}

#[test]
fn bad_frames_exit_1() {
    for hex in [
        "0000000802070000",       // frame type 7
        "0000000801000000",       // DOFF 1
        "0000000402000000",       // size below 8
        "000000090200000040",     // body not a described value
        "0000000b03000000000000", // DOFF past the end of the frame
    ] {
        let o = iotcodec(&["decode", "amqp", "--hex", hex]);
        assert_eq!(o.status.code(), Some(1), "{hex}: {}", text(&o));
    }
    let o = iotcodec(&["decode", "amqp", "--hex", "0000000802070000"]);
    assert!(text(&o).contains("2.3.1"), "{}", text(&o));
}

#[test]
fn decode_transfer_workload() {
    let o = iotcodec(&["decode", "amqp", "--file", &workload("amqp_transfer.bin")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("(transfer)"), "{}", text(&o));
}

#[test]
fn roundtrip_transfer_is_identical() {
    let o = iotcodec(&[
        "roundtrip",
        "amqp",
        "--file",
        &workload("amqp_transfer.bin"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("identical"), "{}", text(&o));
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../../tests/data/amqp/proton/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn typed_performatives_and_messages_are_shown() {
    let o = iotcodec(&["decode", "amqp", "--file", &workload("amqp_transfer.bin")]);
    let t = text(&o);
    assert!(t.contains("delivery_tag: Some([0, 0, 0, 1])"), "{t}");
    assert!(
        t.contains(r#"message_id: Some(Str("msg-00000001"))"#),
        "{t}"
    );
    assert!(t.contains("data: 1 section(s), 256 B"), "{t}");
    let o = iotcodec(&[
        "decode",
        "amqp",
        "--file",
        &workload("amqp_open.bin"),
        "--json",
    ]);
    let t = text(&o);
    assert!(
        t.contains(r#"container_id: \"peer-bench-container-0001\""#),
        "{t}"
    );
    assert!(t.contains("max_frame_size: 65536"), "{t}");
}

#[test]
fn a_proton_conversation_decodes() {
    let o = iotcodec(&[
        "decode",
        "amqp",
        "--file",
        &fixture("conversation_client.bin"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains(r#"mechanism: "ANONYMOUS""#), "{t}");
    assert!(t.contains(r#"container_id: "proton-client""#), "{t}");
    assert!(t.contains("more: true"), "{t}");
    assert!(
        t.contains("payload is not a whole message"),
        "a piece of a split delivery: {t}"
    );
    assert!(
        t.contains(r#"ErrorCondition("amqp:connection:forced")"#),
        "{t}"
    );
}

#[test]
fn roundtrip_every_workload_is_identical() {
    for w in [
        "amqp_transfer.bin",
        "amqp_flow.bin",
        "amqp_disposition.bin",
        "amqp_open.bin",
        "amqp_attach.bin",
    ] {
        let o = iotcodec(&["roundtrip", "amqp", "--file", &workload(w)]);
        assert_eq!(o.status.code(), Some(0), "{w}: {}", text(&o));
        assert!(text(&o).contains("identical"), "{w}: {}", text(&o));
    }
}

#[test]
fn malformed_performatives_exit_1_with_their_section() {
    // begin without its mandatory next-outgoing-id
    let o = iotcodec(&["decode", "amqp", "--hex", "0000000c0200000000531145"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("2.7.2"), "{}", text(&o));
    assert!(text(&o).contains("next-outgoing-id"), "{}", text(&o));
}

#[test]
fn sasl_credentials_are_not_printed() {
    // sasl-init PLAIN with the initial response "\0user\0hunter2"
    // ("hunter2" is 68 75 6e 74 65 72 32)
    let frame = concat!(
        "0000002402010000",
        "005341c01702a305504c41494ea00d00757365720068756e74657232",
    );
    for extra in [&[][..], &["--json"][..]] {
        let mut args = vec!["decode", "amqp", "--hex", frame];
        args.extend_from_slice(extra);
        let o = iotcodec(&args);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(0), "{t}");
        assert!(t.contains("PLAIN") || t.contains("sasl"), "{t}");
        assert!(
            !t.contains("68756e74657232") && !t.contains("hunter2"),
            "credentials printed: {t}"
        );
    }
}
