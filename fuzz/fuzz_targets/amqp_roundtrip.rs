//! AMQP 1.0 typed frames on an arbitrary stream: every frame that decodes
//! to a typed body (performative, SASL frame, heartbeat) is encoded by us,
//! decodes back to an equal frame (compared through the encoding, since
//! floats may be NaN), and encoding is stable; a transfer's payload that
//! decodes as a message is checked the same way, also split in two frames.
#![no_main]

use amqp_frame::frame::{FrameBody, TypedFrame};
use amqp_frame::transport::{Performative, Transfer};
use amqp_frame::DecodeOptions;
use amqp_frame::{Decoded, Message};
use libfuzzer_sys::fuzz_target;

fn encode(f: &TypedFrame<'_>) -> Vec<u8> {
    let len = f.encoded_len().expect("a decoded frame has a length");
    let mut buf = vec![0u8; len];
    assert_eq!(f.encode_to_slice(&mut buf), Ok(len));
    buf
}

fn frame(buf: &[u8]) -> (TypedFrame<'_>, usize) {
    match TypedFrame::decode_with(buf, &DecodeOptions::new().max_frame_size(u32::MAX)) {
        Ok(Decoded::Complete { item, consumed }) => (item, consumed),
        other => panic!("our encoding does not decode: {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    while let Ok(Decoded::Complete { item, consumed }) =
        TypedFrame::decode_with(rest, &DecodeOptions::new().max_frame_size(u32::MAX))
    {
        let bytes = encode(&item);
        let (again, n) = frame(&bytes);
        assert_eq!(n, bytes.len());
        assert_eq!(again.channel, item.channel);
        assert_eq!(encode(&again), bytes);
        if let FrameBody::Amqp {
            performative: Performative::Transfer(t),
            payload,
        } = item.body
        {
            if let Ok(m) = Message::decode(payload) {
                let mut mb = vec![0u8; m.encoded_len().expect("message length")];
                m.encode_to_slice(&mut mb).expect("message encodes");
                // the same message in two transfers
                let cut = mb.len() / 2;
                let first = Transfer { more: true, ..t };
                let a = encode(&TypedFrame::amqp(
                    1,
                    Performative::Transfer(first),
                    &mb[..cut],
                ));
                let b = encode(&TypedFrame::amqp(
                    1,
                    Performative::Transfer(Transfer::new(t.handle)),
                    &mb[cut..],
                ));
                let mut joined = Vec::new();
                for f in [&a, &b] {
                    let (g, _) = frame(f);
                    let FrameBody::Amqp { payload, .. } = g.body else {
                        panic!("not an AMQP frame")
                    };
                    joined.extend_from_slice(payload);
                }
                assert_eq!(joined, mb);
                let m2 = Message::decode(&joined).expect("joined message decodes");
                let mut mb2 = vec![0u8; m2.encoded_len().expect("length")];
                m2.encode_to_slice(&mut mb2).expect("encodes");
                assert_eq!(mb2, mb);
            }
        }
        rest = &rest[consumed..];
    }
});
