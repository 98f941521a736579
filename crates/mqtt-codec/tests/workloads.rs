//! The benchmark workloads decode and re-encode byte for byte.
#![cfg(feature = "alloc")]

use iotcodec_testkit::workloads::load as workload;
use mqtt_codec::wire::{Packet, ProtocolVersion};
use mqtt_codec::Decoded;

/// Decodes every packet, re-encodes each and compares; returns the count.
fn roundtrip_all(bytes: &[u8], v: ProtocolVersion) -> usize {
    let mut off = 0;
    let mut count = 0;
    while off < bytes.len() {
        let Decoded::Complete { item, consumed } =
            Packet::decode(&bytes[off..], v).unwrap_or_else(|e| panic!("@{off}: {e}"))
        else {
            panic!("@{off}: incomplete");
        };
        let again = item.to_vec(v).unwrap();
        assert_eq!(again, &bytes[off..off + consumed], "@{off}: {item:?}");
        off += consumed;
        count += 1;
    }
    count
}

#[test]
fn m3_files() {
    for f in [
        "m3_connect.bin",
        "m3_pingreq.bin",
        "m3_pub_qos0.bin",
        "m3_pub_qos1.bin",
        "m3_pub_qos1_4k.bin",
        "m3_subscribe.bin",
    ] {
        assert_eq!(
            roundtrip_all(&workload(f), ProtocolVersion::V3_1_1),
            1,
            "{f}"
        );
    }
    assert_eq!(
        roundtrip_all(&workload("m3_stream.bin"), ProtocolVersion::V3_1_1),
        10_000
    );
}

#[test]
fn m5_files() {
    for f in ["m5_connect.bin", "m5_pub_qos1_props.bin"] {
        assert_eq!(roundtrip_all(&workload(f), ProtocolVersion::V5), 1, "{f}");
    }
    assert_eq!(
        roundtrip_all(&workload("m5_stream.bin"), ProtocolVersion::V5),
        10_000
    );
}
