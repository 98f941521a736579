//! Property tests of the frame layer: round trips, split-stream invariance
//! and arbitrary input.

use amqp_frame::frame::{Frame, FrameType, OutFrame, ProtocolHeader, Unit};
use amqp_frame::DecodeOptions;
use amqp_frame::{Decoded, Described, Descriptor, List, Value};
use proptest::prelude::*;

const MAX: u32 = 1 << 16;

/// One unit of a generated stream, owned.
#[derive(Debug, Clone)]
enum U {
    Header([u8; 4]),
    Frame {
        sasl: bool,
        channel: u16,
        ext_words: usize,
        /// `None`: a heartbeat (or raw payload only).
        perf: Option<(u64, Vec<u32>, String)>,
        payload: Vec<u8>,
    },
}

fn unit() -> impl Strategy<Value = U> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(U::Header),
        (
            any::<bool>(),
            any::<u16>(),
            0usize..4,
            proptest::option::of((
                0u64..0x100,
                proptest::collection::vec(any::<u32>(), 0..6),
                "[a-z]{0,12}"
            )),
            proptest::collection::vec(any::<u8>(), 0..64),
        )
            .prop_map(|(sasl, channel, ext_words, perf, payload)| U::Frame {
                sasl,
                channel,
                ext_words,
                payload: if perf.is_some() { payload } else { Vec::new() },
                perf,
            }),
    ]
}

/// Encodes `u`, appending to `out`.
fn encode(u: &U, out: &mut Vec<u8>) {
    match u {
        U::Header([id, major, minor, revision]) => {
            let h = ProtocolHeader {
                id: *id,
                major: *major,
                minor: *minor,
                revision: *revision,
            };
            out.extend_from_slice(&h.to_bytes());
        }
        U::Frame {
            sasl,
            channel,
            ext_words,
            perf,
            payload,
        } => {
            let ext = vec![0xeeu8; ext_words * 4];
            let fields: Vec<Value<'_>> = perf
                .as_ref()
                .map(|(_, xs, s)| {
                    xs.iter()
                        .map(|&x| Value::Uint(x))
                        .chain([Value::Str(s)])
                        .collect()
                })
                .unwrap_or_default();
            let list = Value::List(List::from_values(&fields));
            let perf_value = perf.as_ref().map(|(code, _, _)| {
                Value::Described(Described::new(Descriptor::Code(*code), &list))
            });
            let o = OutFrame {
                frame_type: if *sasl {
                    FrameType::Sasl
                } else {
                    FrameType::Amqp
                },
                channel: *channel,
                extended_header: &ext,
                performative: perf_value,
                payload,
            };
            let start = out.len();
            out.resize(start + o.encoded_len().unwrap(), 0);
            let n = o.encode_to_slice(&mut out[start..]).unwrap();
            assert_eq!(start + n, out.len());
        }
    }
}

/// Decodes every unit of `stream` and checks each against `units`.
fn check(units: &[U], stream: &[u8]) {
    let mut pos = 0;
    for u in units {
        let (got, n) = Unit::decode_with(&stream[pos..], &DecodeOptions::new().max_frame_size(MAX))
            .unwrap()
            .complete()
            .unwrap();
        match (u, got) {
            (U::Header(b), Unit::Header(h)) => {
                assert_eq!([h.id, h.major, h.minor, h.revision], *b);
            }
            (
                U::Frame {
                    sasl,
                    channel,
                    ext_words,
                    perf,
                    payload,
                },
                Unit::Frame(f),
            ) => {
                assert_eq!(f.frame_type == FrameType::Sasl, *sasl);
                assert_eq!(f.channel, *channel);
                assert_eq!(f.extended_header.len(), ext_words * 4);
                match (perf, f.performative().unwrap()) {
                    (None, None) => assert!(f.is_heartbeat()),
                    (Some((code, xs, s)), Some((v, rest))) => {
                        assert_eq!(rest, &payload[..]);
                        let d = v.as_described().unwrap();
                        assert_eq!(d.descriptor, Descriptor::Code(*code));
                        let l = d.value.decode().unwrap().as_list().unwrap();
                        assert_eq!(l.len(), xs.len() + 1);
                        let last = l.iter().last().unwrap().unwrap();
                        assert_eq!(last, Value::Str(s));
                    }
                    other => panic!("mismatch {other:?}"),
                }
                let mut out = vec![0u8; f.encoded_len().unwrap()];
                assert_eq!(f.encode_to_slice(&mut out), Ok(n));
                assert_eq!(&out[..], &stream[pos..pos + n]);
            }
            other => panic!("mismatch {other:?}"),
        }
        pos += n;
    }
    assert_eq!(pos, stream.len());
}

proptest! {
    #[test]
    fn round_trip(units in proptest::collection::vec(unit(), 0..8)) {
        let mut stream = Vec::new();
        for u in &units {
            encode(u, &mut stream);
        }
        check(&units, &stream);
    }

    /// Feeding the stream in arbitrary chunks to a buffering reader gives
    /// the same units as decoding it whole, and Incomplete never lies about
    /// how many bytes are needed.
    #[test]
    fn split_stream_invariance(
        units in proptest::collection::vec(unit(), 1..6),
        cuts in proptest::collection::vec(1usize..40, 0..40),
    ) {
        let mut stream = Vec::new();
        for u in &units {
            encode(u, &mut stream);
        }
        let mut whole = Vec::new();
        let mut rest = &stream[..];
        while !rest.is_empty() {
            let (u, n) = Unit::decode_with(rest, &DecodeOptions::new().max_frame_size(MAX)).unwrap().complete().unwrap();
            let mut b = vec![0u8; u.encoded_len().unwrap()];
            u.encode_to_slice(&mut b).unwrap();
            whole.push(b);
            rest = &rest[n..];
        }

        let mut got = Vec::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut fed = 0;
        let mut chunks = cuts.into_iter().chain(core::iter::repeat(7));
        while fed < stream.len() || !buf.is_empty() {
            let take = chunks.next().unwrap().min(stream.len() - fed);
            buf.extend_from_slice(&stream[fed..fed + take]);
            fed += take;
            loop {
                match Unit::decode_with(&buf, &DecodeOptions::new().max_frame_size(MAX)).unwrap() {
                    Decoded::Complete { item, consumed } => {
                        let mut b = vec![0u8; item.encoded_len().unwrap()];
                        item.encode_to_slice(&mut b).unwrap();
                        got.push(b);
                        buf.drain(..consumed);
                        if buf.is_empty() {
                            break;
                        }
                    }
                    Decoded::Incomplete { needed } => {
                        let needed = needed.unwrap().get();
                        prop_assert!(buf.len() + needed <= buf.len() + (stream.len() - fed));
                        break;
                    }
                }
            }
        }
        prop_assert_eq!(got, whole);
    }

    #[test]
    fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..256), max in 0u32..1024) {
        let mut rest = &data[..];
        while let Ok(Decoded::Complete { item, consumed }) = Unit::decode_with(rest, &DecodeOptions::new().max_frame_size(max)) {
            prop_assert!(consumed > 0 && consumed <= rest.len());
            if let Unit::Frame(f) = item {
                prop_assert!(consumed as u32 <= max);
                let _ = f.performative();
                let mut b = vec![0u8; f.encoded_len().unwrap()];
                prop_assert_eq!(f.encode_to_slice(&mut b), Ok(consumed));
                prop_assert_eq!(&b[..], &rest[..consumed]);
            }
            rest = &rest[consumed..];
        }
        let _ = Frame::decode_with(&data, &DecodeOptions::new().max_frame_size(max));
        let _ = ProtocolHeader::decode(&data);
    }

    #[test]
    fn framed_garbage_never_panics(body in proptest::collection::vec(any::<u8>(), 0..128), doff in 0u8..6, ty in 0u8..3) {
        let size = 8 + usize::from(doff.max(2)) * 4 - 8 + body.len();
        let mut data = (size as u32).to_be_bytes().to_vec();
        data.extend_from_slice(&[doff, ty, 0, 1]);
        data.resize(8 + usize::from(doff.max(2)) * 4 - 8, 0);
        data.extend_from_slice(&body);
        if let Ok(Decoded::Complete { item, .. }) = Frame::decode_with(&data, &DecodeOptions::new().max_frame_size(MAX)) {
            if let Ok(Some((v, _))) = item.performative() {
                let _ = v.encoded_len();
            }
        }
    }
}
