//! `ArbitraryPacket` only produces valid packets: what the
//! `mqtt_roundtrip` fuzz target checks, run here on pseudo-random inputs.
#![cfg(feature = "arbitrary")]

use arbitrary::{Arbitrary, Unstructured};
use iotcodec_core::Rng;
use mqtt_codec::wire::{
    ArbVersion, ArbitraryPacket, DecodeOptions, OwnedPacket, Packet, ProtocolVersion,
};
use mqtt_codec::Decoded;

/// The fuzz target's check: encode, decode the same packet from all the
/// bytes, re-encode the same bytes.
fn roundtrip(v: ProtocolVersion, p: &ArbitraryPacket) -> Vec<u8> {
    let packet = p.packet(v);
    let bytes = packet
        .to_vec(v)
        .unwrap_or_else(|e| panic!("{packet:?}: {e}"));
    assert_eq!(packet.encoded_len(v), Ok(bytes.len()));
    // the packet's own size is a limit it passes
    let max = DecodeOptions::new().max_packet_size(bytes.len());
    match Packet::decode_with(&bytes, v, &max) {
        Ok(Decoded::Complete { item, consumed }) => {
            assert_eq!(item, packet);
            assert_eq!(consumed, bytes.len());
            assert_eq!(item.to_vec(v).unwrap(), bytes);
        }
        other => panic!("{packet:?} -> {bytes:02x?} -> {other:?}"),
    }
    bytes
}

#[test]
fn generated_packets_roundtrip() {
    let mut rng = Rng::new(0x6d71_7474);
    let mut seen = [0usize; 16];
    let mut data = vec![0u8; 1024];
    let mut with_v5_fields = 0;
    for round in 0..5000 {
        let len = 8 + (rng.next_u32() as usize % (data.len() - 8));
        rng.fill(&mut data[..len]);
        let mut u = Unstructured::new(&data[..len]);
        let (ArbVersion(v), p) = <(ArbVersion, ArbitraryPacket)>::arbitrary(&mut u).unwrap();
        let bytes = roundtrip(v, &p);
        seen[usize::from(bytes[0] >> 4)] += 1;
        if roundtrip(ProtocolVersion::V5, &p).len()
            > roundtrip(ProtocolVersion::V3_1_1, &p).len() + 3
        {
            with_v5_fields += 1;
        }
        // every packet is also valid in the other versions
        for other in [
            ProtocolVersion::V3_1,
            ProtocolVersion::V3_1_1,
            ProtocolVersion::V5,
        ] {
            roundtrip(other, &p);
        }
        if round % 7 == 0 {
            let owned = OwnedPacket::arbitrary(&mut Unstructured::new(&data[..len])).unwrap();
            assert_eq!(
                owned.as_packet().to_vec(owned.version()).unwrap(),
                owned.as_bytes()[..]
            );
        }
    }
    // every packet type came up
    assert!(seen[1..].iter().all(|&n| n > 0), "{seen:?}");
    // and MQTT 5 properties / reason codes are not rare
    assert!(with_v5_fields > 1000, "{with_v5_fields}");
}

#[test]
fn empty_input_still_gives_a_packet() {
    let mut u = Unstructured::new(&[]);
    let (ArbVersion(v), p) = <(ArbVersion, ArbitraryPacket)>::arbitrary(&mut u).unwrap();
    roundtrip(v, &p);
}
