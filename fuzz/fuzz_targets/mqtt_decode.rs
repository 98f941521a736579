//! The MQTT decoder on arbitrary byte streams: it never panics, never reads
//! past its input, and every packet it accepts encodes (into a slice and
//! into a `BufMut`, the same bytes) and decodes back to the same value (for
//! MQTT 3.1.1 and 5.0).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec::wire::{Packet, ProtocolVersion};
use mqtt_codec::Decoded;

const MAX: usize = 1 << 20;

fuzz_target!(|data: &[u8]| {
    for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
        let mut rest = data;
        while !rest.is_empty() {
            match Packet::decode(rest, version, MAX) {
                Ok(Decoded::Complete { item, consumed }) => {
                    assert!(consumed > 0 && consumed <= rest.len());
                    let mut buf =
                        vec![0u8; item.encoded_len(version).expect("decoded packets encode")];
                    let n = item.encode_to_slice(version, &mut buf).expect("encode");
                    assert_eq!(n, buf.len());
                    let mut out = mqtt_codec::bytes::BytesMut::new();
                    assert_eq!(item.encode(version, &mut out), Ok(n));
                    assert_eq!(&out[..], &buf[..]);
                    match Packet::decode(&buf, version, MAX) {
                        Ok(Decoded::Complete {
                            item: again,
                            consumed,
                        }) => {
                            assert_eq!(consumed, n);
                            assert_eq!(again, item);
                        }
                        other => panic!("re-decode of {item:?} gave {other:?}"),
                    }
                    rest = &rest[consumed..];
                }
                Ok(Decoded::Incomplete { .. }) | Err(_) => break,
            }
        }
    }
});
