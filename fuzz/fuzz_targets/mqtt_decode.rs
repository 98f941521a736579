//! The MQTT decoder on arbitrary byte streams: it never panics, never reads
//! past its input, and every packet it accepts encodes (into a slice and
//! into a `BufMut`, the same bytes) and decodes back to the same value (for
//! MQTT 3.1.1 and 5.0). The strict policies and the payload format check
//! of `DecodeOptions` only ever turn such a packet down with their own
//! errors, never change it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec::wire::{DecodeOptions, Packet, ProtocolVersion};
use mqtt_codec::{DecodeError, Decoded};

fuzz_target!(|data: &[u8]| {
    let strict = DecodeOptions::new()
        .strict_strings(true)
        .strict_reason_codes(true)
        .check_payload_format(true);
    for version in [ProtocolVersion::V3_1_1, ProtocolVersion::V5] {
        let mut rest = data;
        while !rest.is_empty() {
            match Packet::decode(rest, version) {
                Ok(Decoded::Complete { item, consumed }) => {
                    assert!(consumed > 0 && consumed <= rest.len());
                    match Packet::decode_with(rest, version, &strict) {
                        Ok(Decoded::Complete { item: same, .. }) => assert_eq!(same, item),
                        Err(
                            DecodeError::DiscouragedCharacter
                            | DecodeError::UndefinedReasonCode { .. }
                            | DecodeError::ReservedReturnCode(_)
                            | DecodeError::PayloadFormatInvalid,
                        ) => {}
                        other => panic!("strict decode of {item:?} gave {other:?}"),
                    }
                    let mut buf =
                        vec![0u8; item.encoded_len(version).expect("decoded packets encode")];
                    let n = item.encode_to_slice(version, &mut buf).expect("encode");
                    assert_eq!(n, buf.len());
                    let mut out = mqtt_codec::bytes::BytesMut::new();
                    assert_eq!(item.encode(version, &mut out), Ok(n));
                    assert_eq!(&out[..], &buf[..]);
                    match Packet::decode(&buf, version) {
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
