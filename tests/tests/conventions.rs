//! What the four protocol crates share, checked so that it can fail:
//!
//! * one set of types for time and partial input: every crate re-exports
//!   the very same `iotcodec_core::Instant` and `Decoded` (the type
//!   annotations stop the build otherwise, and the `TypeId`s are compared at
//!   run time), and the stream decoders answer with that `Decoded`;
//! * one set of workloads: every file in `benches/workloads/` has the
//!   SHA-256 digest `SHA256SUMS` gives it and no file is unlisted, and the
//!   tests and the benchmarks load the same bytes.

use core::any::TypeId;
use core::time::Duration;
use std::collections::BTreeSet;

use iotcodec_testkit::{to_hex, workloads};
use sha2::{Digest, Sha256};

#[test]
fn one_instant_type_everywhere() {
    // Each crate re-exports the same `Instant`, so one clock drives them all.
    let t: iotcodec_core::Instant = mqtt_codec::Instant::from_millis(10);
    let t: coap_codec::Instant = t;
    let t: amqp_frame::Instant = t;
    let t: mqtt_sn_codec::Instant = t + Duration::from_millis(5);
    assert_eq!(t.as_millis(), 15);
    for (krate, id) in [
        ("mqtt-codec", TypeId::of::<mqtt_codec::Instant>()),
        ("mqtt-sn-codec", TypeId::of::<mqtt_sn_codec::Instant>()),
        ("coap-codec", TypeId::of::<coap_codec::Instant>()),
        ("amqp-frame", TypeId::of::<amqp_frame::Instant>()),
    ] {
        assert_eq!(
            id,
            TypeId::of::<iotcodec_core::Instant>(),
            "{krate} has an Instant of its own"
        );
    }
    // the shared arithmetic: saturating, never panicking
    let late = coap_codec::Instant::MAX + Duration::from_secs(1);
    assert_eq!(late, amqp_frame::Instant::MAX);
    assert_eq!(mqtt_codec::Instant::ZERO - t, Duration::ZERO);
}

#[test]
fn one_decoded_type_everywhere() {
    let d: mqtt_codec::Decoded<u8> = amqp_frame::Decoded::needs(2);
    let d: coap_codec::Decoded<u8> = d;
    let d: mqtt_sn_codec::Decoded<u8> = d;
    assert!(!d.is_complete());
    assert_eq!(
        d,
        iotcodec_core::Decoded::Incomplete {
            needed: core::num::NonZeroUsize::new(2)
        }
    );
    for (krate, id) in [
        ("mqtt-codec", TypeId::of::<mqtt_codec::Decoded<u8>>()),
        ("mqtt-sn-codec", TypeId::of::<mqtt_sn_codec::Decoded<u8>>()),
        ("coap-codec", TypeId::of::<coap_codec::Decoded<u8>>()),
        ("amqp-frame", TypeId::of::<amqp_frame::Decoded<u8>>()),
    ] {
        assert_eq!(
            id,
            TypeId::of::<iotcodec_core::Decoded<u8>>(),
            "{krate} has a Decoded of its own"
        );
    }
}

/// A crate's stream decoder, answering with [`progress`].
type Decoder<'a> = &'a dyn Fn(&[u8]) -> (bool, usize);

/// Whether a decode answer is complete, and how many bytes it took or needs
/// (0 when an incomplete answer does not know).
fn progress<T, E: core::fmt::Debug>(r: Result<iotcodec_core::Decoded<T>, E>) -> (bool, usize) {
    match r.expect("a workload decodes") {
        iotcodec_core::Decoded::Complete { consumed, .. } => (true, consumed),
        iotcodec_core::Decoded::Incomplete { needed } => (false, needed.map_or(0, |n| n.get())),
    }
}

#[test]
fn stream_decoders_answer_with_the_shared_decoded() {
    // one packet, frame or message of each stream protocol: whole, it is
    // complete and takes every byte; cut short, it says how much is missing
    let mqtt = workloads::load("m3_pub_qos1");
    let v = mqtt_codec::wire::ProtocolVersion::V3_1_1;
    let mqtt_decode = |b: &[u8]| progress(mqtt_codec::wire::Packet::decode(b, v));
    let amqp = workloads::load("amqp_transfer");
    let amqp_decode = |b: &[u8]| progress(amqp_frame::frame::Frame::decode(b));
    // RFC 8323 §3.2: Len 4, no token, 2.05 Content, Content-Format 0, "hi"
    let coap = iotcodec_testkit::hex("40 45 c0 ff 6869");
    let coap_decode = |b: &[u8]| {
        progress(coap_codec::TcpMessage::decode_with(
            b,
            &coap_codec::DecodeOptions::new().max_message_size(1 << 20),
        ))
    };
    let cases: [(&str, &[u8], Decoder<'_>); 3] = [
        ("mqtt-codec", &mqtt, &mqtt_decode),
        ("amqp-frame", &amqp, &amqp_decode),
        ("coap-codec", &coap, &coap_decode),
    ];
    for (krate, bytes, decode) in cases {
        assert_eq!(
            decode(bytes),
            (true, bytes.len()),
            "{krate}: {}",
            to_hex(bytes)
        );
        // one byte short: the length is known, so exactly one byte is needed
        let short = &bytes[..bytes.len() - 1];
        assert_eq!(decode(short), (false, 1), "{krate}: {}", to_hex(short));
    }
}

#[test]
fn workloads_match_their_digests() {
    let listed = workloads::digests();
    assert!(listed.len() >= 27, "SHA256SUMS lists only {}", listed.len());
    for (id, digest) in &listed {
        let bytes = workloads::load(id);
        assert_eq!(
            &to_hex(&Sha256::digest(&bytes)),
            digest,
            "{id}.bin is not the shared workload"
        );
    }
    // and nothing in the directory escapes the list
    let ids: BTreeSet<&str> = listed.iter().map(|(id, _)| id.as_str()).collect();
    let dir = workloads::dir();
    for entry in std::fs::read_dir(&dir).expect("read the workload directory") {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        if let Some(id) = name.strip_suffix(".bin") {
            assert!(ids.contains(id), "{name} is not in SHA256SUMS");
        }
    }
}

#[test]
fn workloads_have_their_sizes() {
    // Sizes from the workload table; a truncated copy would skew every ratio.
    for (id, len) in [
        ("m3_pub_qos1", 63),
        ("m3_stream", 551_000),
        ("m5_stream", 629_000),
        ("sn_stream", 457_500),
        ("coap_12_options", 144),
        ("amqp_stream", 4_418_847),
    ] {
        assert_eq!(workloads::load(id).len(), len, "{id}");
    }
}

#[test]
fn tests_and_benchmarks_load_the_same_workloads() {
    let canonical = |p: std::path::PathBuf| {
        p.canonicalize()
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    assert_eq!(
        canonical(iotcodec_benches::workload_dir()),
        canonical(workloads::dir())
    );
    for id in workloads::ids() {
        assert!(
            iotcodec_benches::workload(&id) == workloads::load(&id),
            "{id}: the benchmarks read other bytes"
        );
    }
}
