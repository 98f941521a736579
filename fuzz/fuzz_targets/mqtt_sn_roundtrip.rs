//! MQTT-SN 1.2 encoder: any message the fuzzer builds either fails to encode
//! with a typed error, or encodes to exactly `encoded_len()` bytes; when
//! those bytes decode (arbitrary values may hold reserved ids the decoder
//! rightly refuses), they decode to the same message and re-encode to the
//! same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_sn_codec::Message;

fuzz_target!(|msg: Message<'_>| {
    let len = msg.encoded_len();
    let mut out = vec![0u8; len];
    let Ok(n) = msg.encode_to_slice(&mut out) else {
        return;
    };
    assert_eq!(n, len);
    if let Ok(back) = Message::decode(&out) {
        let mut again = vec![0u8; back.encoded_len()];
        let m = back.encode_to_slice(&mut again).expect("decoded message encodes");
        assert_eq!(&again[..m], &out[..]);
    }
});
