//! The `arbitrary` feature: messages and decode options built by
//! `arbitrary::Arbitrary` from pseudo-random bytes, checked as the
//! `mqtt_sn_roundtrip` fuzz target checks them. The fuzzer explores far
//! more; this keeps the derives and the target's invariants under
//! `cargo test`.
#![cfg(feature = "arbitrary")]

use arbitrary::{Arbitrary, Unstructured};
use iotcodec_core::Rng;
use mqtt_sn_codec::{DecodeError, DecodeOptions, Message};

#[path = "support/unchecked.rs"]
mod unchecked;
use unchecked::{mirrors, normalised, unchecked};

/// What the fuzz target asserts for one message: the size and both
/// encoders agree; what encodes decodes to the normalised message; what is
/// refused, written by hand, is rejected by the decoder with the mirrored
/// error. Returns whether it encoded.
fn check(msg: Message<'_>) -> bool {
    match msg.encoded_len() {
        Ok(len) => {
            let mut out = vec![0u8; len];
            assert_eq!(msg.encode_to_slice(&mut out), Ok(len), "{msg:?}");
            let mut via_buf = Vec::new();
            assert_eq!(msg.encode(&mut via_buf), Ok(len));
            assert_eq!(via_buf, out);
            assert_eq!(Message::decode(&out), Ok(normalised(msg)), "{out:02x?}");
            true
        }
        Err(e) => {
            let mut out = [0xa5u8; 64];
            assert_eq!(msg.encode_to_slice(&mut out), Err(e));
            assert!(out.iter().all(|&b| b == 0xa5), "{msg:?}: written on error");
            if let Some(wire) = unchecked(&msg) {
                let d = Message::decode(&wire).expect_err("refused but decodes");
                assert!(mirrors(e, d), "{msg:?}: encoder {e:?}, decoder {d:?}");
                assert_eq!(d.rule(), e.rule());
            }
            false
        }
    }
}

#[test]
fn generated_messages_encode_iff_they_decode() {
    let mut rng = Rng::new(0x6d71_7474_736e);
    let mut data = vec![0u8; 600];
    let mut types = [0usize; 256];
    let (mut encoded, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let len = 4 + (rng.next_u32() as usize % (data.len() - 4));
        rng.fill(&mut data[..len]);
        let Ok(msg) = Message::arbitrary(&mut Unstructured::new(&data[..len])) else {
            continue;
        };
        types[usize::from(msg.msg_type())] += 1;
        if check(msg) {
            encoded += 1;
        } else {
            refused += 1;
        }
    }
    // every one of the 28 variants was built, and both outcomes happened
    assert_eq!(types.iter().filter(|&&n| n > 0).count(), 28, "{types:?}");
    assert!(
        encoded > 1000 && refused > 100,
        "{encoded} encoded, {refused} refused"
    );
}

#[test]
fn generated_options_limit_only_the_size() {
    let mut rng = Rng::new(7);
    let mut data = [0u8; 64];
    for _ in 0..2_000 {
        rng.fill(&mut data);
        let mut u = Unstructured::new(&data);
        let opts = DecodeOptions::arbitrary(&mut u).unwrap();
        let opts = opts.max_message_size(opts.max_message_size % 40);
        let datagram = u.take_rest();
        let datagram = &datagram[..datagram.len().min(usize::from(data[0] % 40))];
        let got = Message::decode_with(datagram, &opts);
        if datagram.len() > opts.max_message_size {
            let too_large = DecodeError::MessageTooLarge {
                size: datagram.len(),
                max: opts.max_message_size,
            };
            assert_eq!(got, Err(too_large));
            assert_eq!(too_large.rule(), None);
        } else {
            assert_eq!(got, Message::decode(datagram));
        }
    }
}
