//! The `arbitrary` feature makes only values that encode and decode back to
//! themselves.

use amqp_frame::frame::{FrameBody, TypedFrame};
use amqp_frame::messaging::{DeliveryState, Message};
use amqp_frame::transport::Performative;
use amqp_frame::{DecodeOptions, Decoded};
use arbitrary::{Arbitrary, Unstructured};

/// Deterministic pseudo-random input bytes (xorshift), `n` of them.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn frames_round_trip() {
    let any_size = DecodeOptions::new().max_frame_size(u32::MAX);
    let (mut heartbeats, mut transfers) = (0, 0);
    for seed in 0..2000 {
        let data = noise(seed, 256 + (seed as usize % 512));
        let Ok(frame) = TypedFrame::arbitrary(&mut Unstructured::new(&data)) else {
            continue;
        };
        let mut buf = vec![0u8; frame.encoded_len().unwrap()];
        let n = frame.encode_to_slice(&mut buf).unwrap();
        let Decoded::Complete { item, consumed } =
            TypedFrame::decode_with(&buf, &any_size).unwrap_or_else(|e| panic!("{frame:?}: {e}"))
        else {
            panic!("incomplete: {frame:?}")
        };
        assert_eq!((item, consumed), (frame, n));
        match frame.body {
            FrameBody::Heartbeat => heartbeats += 1,
            FrameBody::Amqp {
                performative: Performative::Transfer(_),
                ..
            } => transfers += 1,
            _ => {}
        }
    }
    assert!(heartbeats > 0 && transfers > 0, "{heartbeats} {transfers}");
}

#[test]
fn messages_and_delivery_states_round_trip() {
    let mut made = 0;
    for seed in 0..2000 {
        let data = noise(seed, 128 + (seed as usize % 384));
        let mut u = Unstructured::new(&data);
        let (Ok(m), Ok(s)) = (Message::arbitrary(&mut u), DeliveryState::arbitrary(&mut u)) else {
            continue;
        };
        let mut buf = vec![0u8; m.encoded_len().unwrap()];
        let n = m.encode_to_slice(&mut buf).unwrap();
        assert_eq!(Message::decode(&buf[..n]), Ok(m));
        let mut buf = vec![0u8; s.encoded_len().unwrap()];
        let n = s.encode_to_slice(&mut buf).unwrap();
        assert_eq!(DeliveryState::decode(&buf[..n]), Ok((s, n)));
        made += 1;
    }
    assert!(made > 1000, "{made}");
}
