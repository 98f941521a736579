//! MQTT-SN 1.2 datagram decoder: any bytes either fail cleanly or decode to
//! a message whose encoding decodes to the same message. A datagram already
//! in canonical form (1-byte Length when it fits) re-encodes byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_sn_codec::Message;

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = Message::decode(data) else {
        return;
    };
    let len = msg.encoded_len().expect("a decoded message encodes");
    let mut out = vec![0u8; len];
    let n = msg
        .encode_to_slice(&mut out)
        .expect("decoded message encodes");
    assert_eq!(n, len);
    let again = Message::decode(&out).expect("re-encoded message decodes");
    assert_eq!(again, msg);
    if data.first() != Some(&0x01) || data.len() > 255 {
        assert_eq!(&out[..], data);
    }
});
