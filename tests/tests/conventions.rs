//! The four protocol crates share one set of types for time and partial
//! input: these tests stop compiling when a crate stops re-exporting the
//! shared `Instant` or `Decoded` (the type annotations are the check), and
//! fail when a workload file is not the shared bytes.

use core::time::Duration;

#[test]
fn one_instant_type_everywhere() {
    // Each crate re-exports the same `Instant`, so one clock drives them all.
    let t: iotcodec_core::Instant = mqtt_codec::Instant::from_millis(10);
    let t: coap_codec::Instant = t;
    let t: amqp_frame::Instant = t;
    let t: mqtt_sn_codec::Instant = t + Duration::from_millis(5);
    assert_eq!(t.as_millis(), 15);
}

#[test]
fn one_decoded_type_everywhere() {
    let d: mqtt_codec::Decoded<u8> = amqp_frame::Decoded::needs(2);
    let d: coap_codec::Decoded<u8> = d;
    let d: mqtt_sn_codec::Decoded<u8> = d;
    assert!(!d.is_complete());
}

#[test]
fn workloads_are_the_shared_bytes() {
    // Sizes from the workload table; a truncated copy would skew every ratio.
    for (id, len) in [
        ("m3_pub_qos1", 63),
        ("m3_stream", 551_000),
        ("m5_stream", 629_000),
        ("sn_stream", 457_500),
        ("coap_12_options", 144),
        ("amqp_stream", 4_418_847),
    ] {
        assert_eq!(iotcodec_tests::workload(id).len(), len, "{id}");
    }
}
