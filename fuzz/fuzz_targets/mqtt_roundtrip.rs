//! Valid packets from `ArbitraryPacket` (any type, MQTT 3.1, 3.1.1 or 5.0):
//! encoding then decoding gives the same packet from exactly the encoded
//! bytes, and encoding that again gives the same bytes. Every prefix is
//! incomplete, never an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_codec::wire::{ArbVersion, ArbitraryPacket, OwnedPacket, Packet};
use mqtt_codec::Decoded;

fuzz_target!(|input: (ArbVersion, ArbitraryPacket)| {
    let (ArbVersion(version), arb) = input;
    let packet = arb.packet(version);

    let len = packet
        .encoded_len(version)
        .unwrap_or_else(|e| panic!("generated {packet:?} does not encode: {e}"));
    let mut buf = vec![0u8; len];
    let n = packet.encode_to_slice(version, &mut buf).expect("encode");
    assert_eq!(n, len);

    // the smallest limit that admits the packet
    match Packet::decode(&buf, version, len) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(consumed, len, "{packet:?}");
            assert_eq!(item, packet);
            let mut again = vec![0u8; len];
            assert_eq!(item.encode_to_slice(version, &mut again), Ok(len));
            assert_eq!(again, buf, "{packet:?} re-encodes differently");
        }
        other => panic!("{packet:?} encoded as {buf:02x?} decodes to {other:?}"),
    }

    // a prefix is only ever incomplete
    for cut in [0, 1, len / 2, len - 1] {
        assert!(
            matches!(
                Packet::decode(&buf[..cut], version, len),
                Ok(Decoded::Incomplete { .. })
            ),
            "{packet:?} cut at {cut}"
        );
    }

    // the owned form shares the input and gives the same packet back
    let mut bytes = mqtt_codec::bytes::BytesMut::from(&buf[..]);
    match OwnedPacket::decode(&mut bytes, version, len) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(consumed, len);
            assert!(bytes.is_empty());
            assert_eq!(item.as_packet(), packet);
        }
        other => panic!("owned decode of {packet:?} gave {other:?}"),
    }
});
