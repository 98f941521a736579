//! AMQP 1.0 framing on an arbitrary byte stream: protocol headers and frames
//! are decoded one after another until the stream ends or fails; nothing
//! panics, every frame respects the maximum size, and every decoded unit
//! re-encodes to its own bytes and decodes back equal. Frames whose
//! performative decodes are also rebuilt from the decoded value.
#![no_main]

use amqp_frame::frame::{OutFrame, Unit};
use amqp_frame::DecodeOptions;
use amqp_frame::Decoded;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the maximum frame size, so the size check is
    // exercised on both sides.
    let Some((&m, stream)) = data.split_first() else {
        return;
    };
    let max = if m & 0x80 == 0 {
        u32::from(m) * 16
    } else {
        u32::MAX
    };
    let mut rest = stream;
    while let Ok(Decoded::Complete { item, consumed }) =
        Unit::decode_with(rest, &DecodeOptions::new().max_frame_size(max))
    {
        assert!(consumed > 0 && consumed <= rest.len());
        let wire = &rest[..consumed];
        let len = item.encoded_len().expect("decoded unit has a length");
        assert_eq!(len, consumed);
        let mut out = vec![0u8; len];
        assert_eq!(item.encode_to_slice(&mut out), Ok(len));
        assert_eq!(&out[..], wire);
        let (again, n) = Unit::decode_with(&out, &DecodeOptions::new().max_frame_size(max))
            .expect("re-encoded unit decodes")
            .complete()
            .expect("re-encoded unit is complete");
        assert_eq!(n, len);
        assert_eq!(again, item);

        if let Unit::Frame(f) = item {
            assert!(u32::try_from(consumed).is_ok_and(|c| c <= max));
            if let Ok(Some((perf, payload))) = f.performative() {
                let o = OutFrame {
                    extended_header: f.extended_header,
                    ..OutFrame::new(f.frame_type, f.channel, perf).with_payload(payload)
                };
                if let Ok(len) = o.encoded_len() {
                    let mut buf = vec![0u8; len];
                    assert_eq!(o.encode_to_slice(&mut buf), Ok(len));
                    let (g, _) =
                        Unit::decode_with(&buf, &DecodeOptions::new().max_frame_size(u32::MAX))
                            .expect("rebuilt frame decodes")
                            .complete()
                            .expect("rebuilt frame is complete");
                    let Unit::Frame(g) = g else {
                        panic!("rebuilt frame decoded as a header")
                    };
                    assert_eq!(g.frame_type, f.frame_type);
                    assert_eq!(g.channel, f.channel);
                    assert_eq!(g.extended_header, f.extended_header);
                    let (p2, pay2) = g
                        .performative()
                        .expect("rebuilt performative decodes")
                        .expect("rebuilt frame has a body");
                    assert_eq!(pay2, payload);
                    // Compare by encoding: floats may be NaN.
                    let mut a = vec![0u8; perf.encoded_len().unwrap()];
                    perf.encode_to_slice(&mut a).unwrap();
                    let mut b = vec![0u8; p2.encoded_len().unwrap()];
                    p2.encode_to_slice(&mut b).unwrap();
                    assert_eq!(a, b);
                }
            }
        }
        rest = &rest[consumed..];
    }
});
