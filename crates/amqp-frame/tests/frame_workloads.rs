//! The benchmark workload captures through the frame layer: every frame
//! decodes, its performative splits off, and re-encoding gives the same bytes.

use amqp_frame::frame::{Frame, FrameType, OutFrame};
use amqp_frame::DecodeOptions;
use amqp_frame::{Decoded, Descriptor, Value};
use iotcodec_testkit::workloads::load;

const MAX: u32 = 1 << 20;

/// Decodes every frame of `data`, re-encodes each from its parsed
/// performative and payload, checks the bytes match, and returns the
/// descriptor codes and payload lengths.
fn walk(data: &[u8]) -> Vec<(u64, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let Decoded::Complete {
            item: frame,
            consumed,
        } = Frame::decode_with(&data[pos..], &DecodeOptions::new().max_frame_size(MAX)).unwrap()
        else {
            panic!("incomplete frame at {pos}");
        };
        let wire = &data[pos..pos + consumed];
        assert_eq!(frame.frame_type, FrameType::Amqp);
        let (perf, payload) = frame.performative().unwrap().expect("not a heartbeat");
        let Value::Described(d) = perf else {
            panic!("not described")
        };
        let Descriptor::Code(code) = d.descriptor else {
            panic!("symbolic descriptor")
        };
        // Raw re-encode.
        let mut buf = vec![0u8; frame.encoded_len().unwrap()];
        assert_eq!(frame.encode_to_slice(&mut buf), Ok(consumed));
        assert_eq!(buf, wire);
        // Re-encode from the decoded performative.
        let o = OutFrame {
            extended_header: frame.extended_header,
            ..OutFrame::new(frame.frame_type, frame.channel, perf).with_payload(payload)
        };
        assert_eq!(o.encoded_len(), Ok(consumed));
        let mut buf2 = vec![0u8; consumed];
        assert_eq!(o.encode_to_slice(&mut buf2), Ok(consumed));
        assert_eq!(buf2, wire, "frame at {pos}");
        out.push((code, payload.len()));
        pos += consumed;
    }
    out
}

#[test]
fn single_frames() {
    for (name, code, payload) in [
        ("amqp_open.bin", 0x10, false),
        ("amqp_attach.bin", 0x12, false),
        ("amqp_flow.bin", 0x13, false),
        ("amqp_transfer.bin", 0x14, true),
        ("amqp_disposition.bin", 0x15, false),
    ] {
        let frames = walk(&load(name));
        assert_eq!(frames.len(), 1, "{name}");
        assert_eq!(frames[0].0, code, "{name}");
        assert_eq!(frames[0].1 > 0, payload, "{name}");
    }
}

#[test]
fn stream_of_transfers() {
    let data = load("amqp_stream.bin");
    let frames = walk(&data);
    assert_eq!(frames.len(), 10_000);
    assert!(frames.iter().all(|&(code, len)| code == 0x14 && len > 0));
}

#[test]
fn stream_prefixes_are_incomplete() {
    let data = load("amqp_transfer.bin");
    for i in 0..data.len() {
        match Frame::decode_with(&data[..i], &DecodeOptions::new().max_frame_size(MAX)).unwrap() {
            Decoded::Incomplete { needed } => {
                let want = if i < 4 { 8 - i } else { data.len() - i };
                assert_eq!(needed.map(|n| n.get()), Some(want), "prefix {i}");
            }
            Decoded::Complete { .. } => panic!("prefix {i} complete"),
        }
    }
    // The transfer frame is refused under a smaller maximum.
    assert!(Frame::decode_with(&data[..4], &DecodeOptions::new().max_frame_size(256)).is_err());
}
