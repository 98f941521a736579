//! AMQP 1.0: `amqp-frame` beside `ntex-amqp-codec` (3.0.0) and
//! `fe2o3-amqp-types` + `serde_amqp` (0.18) on the shared `amqp_*`
//! workloads, in one run on the same bytes.
//!
//! Decode: one timed batch is `reps(len)` back-to-back copies of a
//! single-frame workload, or one copy of `amqp_stream` (10,000 TRANSFER
//! frames). Each codec takes every frame off the front of its own input
//! type, decodes the performative, and, for a TRANSFER, the message in its
//! payload (header, properties, application properties, data section):
//!
//! * ours: [`TypedFrame::decode`] on a `&[u8]`, then [`Message::decode`] on
//!   the payload (both borrow; the results are inspected in place);
//! * ntex: its `AmqpCodec<AmqpFrame>` on an `ntex_bytes::BytesMut`, then
//!   `Message::decode` on the transfer body (`Bytes`). The codec consumes
//!   its buffer, so it runs under `iter_batched_ref` with the copy made in
//!   the untimed setup;
//! * fe2o3: no frame codec of its own (fe2o3-amqp's is tied to tokio): the
//!   frame header is split here as fe2o3-amqp does (size, doff), the
//!   performative deserialized with `serde_amqp`'s `Deserializer` over an
//!   `IoReader` of the body (what is left is the payload), then the message
//!   as `Message<Body<Value>>` with `from_slice`. Working on a borrowed
//!   slice spares it fe2o3-amqp's `BytesMut` copy.
//!
//! Encode: the values each codec decoded from the canonical bytes (untimed)
//! are encoded `reps(len)` times (once for the stream) into one pre-sized
//! buffer: a slice for ours, a `BytePages` for ntex (cleared before each
//! batch), a reserved `Vec` for fe2o3 (cleared; the 8-byte frame header is
//! written by hand, as fe2o3-amqp's encoder does). A TRANSFER is encoded
//! with its message from the decoded message value, not from raw bytes.
//!
//! Every codec is checked at setup to decode every frame of every workload,
//! with the 256-byte data section of every TRANSFER. `allocs/op` lines give
//! heap allocations per frame (one op = one frame decoded or encoded).
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;

use amqp_frame::frame::{FrameBody, TransferFrame, TypedFrame};
use amqp_frame::messaging::Body;
use amqp_frame::transport::Performative;
use amqp_frame::DecodeOptions;
use amqp_frame::{Decoded, Message};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use fe2o3_amqp_types::messaging::message::__private::{Deserializable, Serializable};
use iotcodec_benches::{allocations, count_allocs, report_allocs, reps, workload, CountingAlloc};
use ntex_codec::Decoder as _;
use serde_amqp::serde::{Deserialize as _, Serialize as _};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Frames in `amqp_stream`.
const STREAM_FRAMES: usize = 10_000;

/// Maximum frame size handed to the decoders (larger than any workload).
const MAX_FRAME: u32 = 1 << 20;

/// Heap allocations are averaged over this many batches.
const ALLOC_OPS: u64 = 10;

/// The workloads: id, whether it is a stream.
const WORKLOADS: &[(&str, bool)] = &[
    ("amqp_transfer", false),
    ("amqp_flow", false),
    ("amqp_disposition", false),
    ("amqp_open", false),
    ("amqp_attach", false),
    ("amqp_stream", true),
];

type FeMessage =
    fe2o3_amqp_types::messaging::Message<fe2o3_amqp_types::messaging::Body<serde_amqp::Value>>;

/// Our decoder over a whole batch; returns (frames, data bytes seen). The
/// decoded frame and message are inspected where they are (by reference)
/// and dropped.
fn ours_decode_all(mut buf: &[u8]) -> (usize, usize) {
    let (mut n, mut data) = (0, 0);
    while !buf.is_empty() {
        match &TypedFrame::decode_with(buf, &DecodeOptions::new().max_frame_size(MAX_FRAME)) {
            Ok(Decoded::Complete { item, consumed }) => {
                if let FrameBody::Amqp {
                    performative: Performative::Transfer(_),
                    payload,
                } = &item.body
                {
                    match &Message::decode(payload) {
                        Ok(m) => {
                            if let Some(Body::Data(d)) = &m.body {
                                data += d.total_len();
                            }
                            black_box(m);
                        }
                        Err(e) => panic!("ours: {e}"),
                    }
                }
                black_box(item);
                buf = &buf[*consumed..];
                n += 1;
            }
            Ok(Decoded::Incomplete { .. }) => panic!("ours: incomplete frame"),
            Err(e) => panic!("ours: {e:?}"),
        }
    }
    (n, data)
}

/// ntex-amqp-codec over a whole batch; consumes `buf`.
fn ntex_decode_all(
    codec: &ntex_amqp_codec::AmqpCodec<ntex_amqp_codec::AmqpFrame>,
    buf: &mut ntex_bytes::BytesMut,
) -> (usize, usize) {
    use ntex_amqp_codec::protocol::{Frame, TransferBody};
    use ntex_amqp_codec::Decode as _;
    let (mut n, mut data) = (0, 0);
    while !buf.is_empty() {
        match codec.decode(buf) {
            Ok(Some(frame)) => {
                if let Frame::Transfer(t) = frame.performative() {
                    if let Some(TransferBody::Data(b)) = t.body() {
                        let m = ntex_amqp_codec::Message::decode(&mut b.clone())
                            .unwrap_or_else(|e| panic!("ntex message: {e:?}"));
                        data += m.body().data.iter().map(|d| d.len()).sum::<usize>();
                        black_box(m);
                    }
                }
                black_box(frame);
                n += 1;
            }
            Ok(None) => panic!("ntex: incomplete frame"),
            Err(e) => panic!("ntex: {e:?}"),
        }
    }
    (n, data)
}

/// Splits the frame at the front of `buf` as fe2o3-amqp does: (channel,
/// body, frame length).
fn fe_split(buf: &[u8]) -> (u16, &[u8], usize) {
    let size = u32::from_be_bytes(buf[..4].try_into().unwrap()) as usize;
    let doff = usize::from(buf[4]) * 4;
    let channel = u16::from_be_bytes([buf[6], buf[7]]);
    (channel, &buf[doff..size], size)
}

/// The performative at the front of `body`, and the payload after it.
fn fe_performative(mut body: &[u8]) -> (fe2o3_amqp_types::performatives::Performative, &[u8]) {
    let p = {
        let mut de = serde_amqp::de::Deserializer::new(serde_amqp::read::IoReader::new(&mut body));
        fe2o3_amqp_types::performatives::Performative::deserialize(&mut de)
            .unwrap_or_else(|e| panic!("fe2o3 performative: {e:?}"))
    };
    (p, body)
}

fn fe_message(payload: &[u8]) -> FeMessage {
    serde_amqp::from_slice::<Deserializable<FeMessage>>(payload)
        .unwrap_or_else(|e| panic!("fe2o3 message: {e:?}"))
        .0
}

fn fe_data_len(m: &FeMessage) -> usize {
    match &m.body {
        fe2o3_amqp_types::messaging::Body::Data(batch) => batch.iter().map(|d| d.0.len()).sum(),
        _ => 0,
    }
}

/// fe2o3 over a whole batch.
fn fe_decode_all(mut buf: &[u8]) -> (usize, usize) {
    use fe2o3_amqp_types::performatives::Performative as P;
    let (mut n, mut data) = (0, 0);
    while !buf.is_empty() {
        let (_, body, size) = fe_split(buf);
        let (p, payload) = fe_performative(body);
        if matches!(p, P::Transfer(_)) && !payload.is_empty() {
            let m = fe_message(payload);
            data += fe_data_len(&m);
            black_box(m);
        }
        black_box(p);
        buf = &buf[size..];
        n += 1;
    }
    (n, data)
}

/// Heap allocations per frame of `op` on a buffer made by `setup`, the
/// setup itself not counted.
fn allocs_consuming<B>(frames: usize, setup: impl Fn() -> B, mut op: impl FnMut(&mut B)) -> f64 {
    let mut total = 0;
    for _ in 0..ALLOC_OPS {
        let mut b = setup();
        let before = allocations();
        op(&mut b);
        total += allocations() - before;
        drop(b);
    }
    total as f64 / (ALLOC_OPS as f64 * frames as f64)
}

fn bench_decode(c: &mut Criterion, id: &str, stream: bool) {
    let data = workload(id);
    let (input, frames) = if stream {
        (data.clone(), STREAM_FRAMES)
    } else {
        let r = reps(data.len());
        (data.repeat(r), r)
    };
    let transfers = id == "amqp_transfer" || stream;
    let group = format!("amqp_decode/{id}");
    let ntex_codec = ntex_amqp_codec::AmqpCodec::<ntex_amqp_codec::AmqpFrame>::new();
    let ntex_buf = || ntex_bytes::BytesMut::copy_from_slice(&input);

    // Every codec must read every frame of the batch, and every data section.
    let data_bytes = if transfers { frames * 256 } else { 0 };
    assert_eq!(
        ours_decode_all(&input),
        (frames, data_bytes),
        "ours on {id}"
    );
    assert_eq!(
        ntex_decode_all(&ntex_codec, &mut ntex_buf()),
        (frames, data_bytes),
        "ntex on {id}"
    );
    assert_eq!(fe_decode_all(&input), (frames, data_bytes), "fe2o3 on {id}");

    let mut g = c.benchmark_group(&group);
    g.throughput(Throughput::Elements(frames as u64));
    g.bench_function("ours", |b| b.iter(|| ours_decode_all(black_box(&input))));
    g.bench_function("ntex", |b| {
        b.iter_batched_ref(
            ntex_buf,
            |buf| ntex_decode_all(&ntex_codec, buf),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("fe2o3", |b| b.iter(|| fe_decode_all(black_box(&input))));
    g.finish();

    let ours = count_allocs(ALLOC_OPS, || ours_decode_all(&input)) / frames as f64;
    assert_eq!(ours, 0.0, "our decoder allocated on {id}");
    report_allocs(&group, "ours", ours);
    report_allocs(
        &group,
        "ntex",
        allocs_consuming(frames, ntex_buf, |b| {
            ntex_decode_all(&ntex_codec, b);
        }),
    );
    report_allocs(
        &group,
        "fe2o3",
        count_allocs(ALLOC_OPS, || fe_decode_all(&input)) / frames as f64,
    );
}

/// One of our decoded frames, ready to encode.
#[allow(clippy::large_enum_variant)] // a handful, built once at setup
enum Ours<'a> {
    Frame(TypedFrame<'a>),
    Transfer(u16, amqp_frame::transport::Transfer<'a>, Message<'a>),
}

fn ours_encode_all(values: &[Ours<'_>], times: usize, out: &mut [u8]) -> usize {
    let mut pos = 0;
    for _ in 0..times {
        for v in values {
            pos += match v {
                Ours::Frame(f) => f.encode_to_slice(&mut out[pos..]),
                Ours::Transfer(channel, transfer, message) => TransferFrame {
                    channel: *channel,
                    transfer: *transfer,
                    message,
                }
                .encode_to_slice(&mut out[pos..]),
            }
            .expect("ours: encode");
        }
    }
    pos
}

fn ntex_encode_all(
    values: &[ntex_amqp_codec::AmqpFrame],
    times: usize,
    out: &mut ntex_bytes::BytePages,
) -> usize {
    use ntex_amqp_codec::Encode as _;
    out.clear();
    for _ in 0..times {
        for f in values {
            f.encode(out);
        }
    }
    out.len()
}

fn fe_encode_all(
    values: &[(
        u16,
        fe2o3_amqp_types::performatives::Performative,
        Option<FeMessage>,
    )],
    times: usize,
    out: &mut Vec<u8>,
) -> usize {
    out.clear();
    for _ in 0..times {
        for (channel, p, m) in values {
            let start = out.len();
            out.extend_from_slice(&[0, 0, 0, 0, 2, 0]);
            out.extend_from_slice(&channel.to_be_bytes());
            let mut ser = serde_amqp::ser::Serializer::new(&mut *out);
            p.serialize(&mut ser).expect("fe2o3: encode performative");
            if let Some(m) = m {
                Serializable(m)
                    .serialize(&mut ser)
                    .expect("fe2o3: encode message");
            }
            let size = (out.len() - start) as u32;
            out[start..start + 4].copy_from_slice(&size.to_be_bytes());
        }
    }
    out.len()
}

fn bench_encode(c: &mut Criterion, id: &str, stream: bool) {
    use ntex_amqp_codec::protocol::{Frame, TransferBody};
    use ntex_amqp_codec::Decode as _;
    let data = workload(id);
    let times = if stream { 1 } else { reps(data.len()) };
    let in_frames = if stream { STREAM_FRAMES } else { 1 };
    let frames = times * in_frames;
    let group = format!("amqp_encode/{id}");
    // Room for any peer's encoding (they may pick wider forms).
    let cap = 2 * times * data.len() + 64;

    // The values, each decoded by its own codec (untimed).
    let mut ours_values = Vec::with_capacity(in_frames);
    let mut rest = &data[..];
    while !rest.is_empty() {
        let Ok(Decoded::Complete { item, consumed }) =
            TypedFrame::decode_with(rest, &DecodeOptions::new().max_frame_size(MAX_FRAME))
        else {
            panic!("ours: cannot decode {id}");
        };
        ours_values.push(match item.body {
            FrameBody::Amqp {
                performative: Performative::Transfer(t),
                payload,
            } => Ours::Transfer(item.channel, t, Message::decode(payload).expect("ours")),
            _ => Ours::Frame(item),
        });
        rest = &rest[consumed..];
    }
    let codec = ntex_amqp_codec::AmqpCodec::<ntex_amqp_codec::AmqpFrame>::new();
    let mut buf = ntex_bytes::BytesMut::copy_from_slice(&data);
    let mut ntex_values = Vec::with_capacity(in_frames);
    while !buf.is_empty() {
        let mut f = codec
            .decode(&mut buf)
            .expect("ntex")
            .expect("ntex: incomplete");
        let (channel, mut p) = f.clone().into_parts();
        if let Frame::Transfer(t) = &mut p {
            if let Some(TransferBody::Data(b)) = t.body().cloned() {
                let m = ntex_amqp_codec::Message::decode(&mut b.clone()).expect("ntex message");
                t.0.body = Some(TransferBody::Message(m));
                f = ntex_amqp_codec::AmqpFrame::new(channel, p);
            }
        }
        ntex_values.push(f);
    }
    let mut fe_values = Vec::with_capacity(in_frames);
    let mut rest = &data[..];
    while !rest.is_empty() {
        let (channel, body, size) = fe_split(rest);
        let (p, payload) = fe_performative(body);
        let m = (!payload.is_empty()).then(|| fe_message(payload));
        fe_values.push((channel, p, m));
        rest = &rest[size..];
    }
    assert_eq!(ours_values.len(), in_frames);
    assert_eq!(ntex_values.len(), in_frames);
    assert_eq!(fe_values.len(), in_frames);

    // Ours gives the canonical bytes back.
    let mut out = vec![0u8; cap];
    let n = ours_encode_all(&ours_values, times, &mut out);
    assert_eq!(n, times * data.len());
    assert_eq!(&out[..data.len()], &data[..], "ours re-encodes {id}");
    // The peers' encodings decode again with our decoder, to the same frame count.
    let mut pages = ntex_bytes::BytePages::new(ntex_bytes::BytePageSize::Size64);
    let nlen = ntex_encode_all(&ntex_values, times, &mut pages);
    let nbytes = pages.freeze();
    assert_eq!(nbytes.len(), nlen);
    assert_eq!(ours_decode_all(&nbytes).0, frames, "ntex encoding of {id}");
    let mut vout = Vec::with_capacity(cap);
    fe_encode_all(&fe_values, times, &mut vout);
    assert_eq!(ours_decode_all(&vout).0, frames, "fe2o3 encoding of {id}");

    let mut g = c.benchmark_group(&group);
    g.throughput(Throughput::Elements(frames as u64));
    g.bench_function("ours", |b| {
        b.iter(|| ours_encode_all(black_box(&ours_values), times, &mut out))
    });
    let mut pages = ntex_bytes::BytePages::new(ntex_bytes::BytePageSize::Size64);
    g.bench_function("ntex", |b| {
        b.iter(|| ntex_encode_all(black_box(&ntex_values), times, &mut pages))
    });
    g.bench_function("fe2o3", |b| {
        b.iter(|| fe_encode_all(black_box(&fe_values), times, &mut vout))
    });
    g.finish();

    let ours =
        count_allocs(ALLOC_OPS, || ours_encode_all(&ours_values, times, &mut out)) / frames as f64;
    assert_eq!(ours, 0.0, "our encoder allocated on {id}");
    report_allocs(&group, "ours", ours);
    report_allocs(
        &group,
        "ntex",
        count_allocs(ALLOC_OPS, || {
            ntex_encode_all(&ntex_values, times, &mut pages)
        }) / frames as f64,
    );
    report_allocs(
        &group,
        "fe2o3",
        count_allocs(ALLOC_OPS, || fe_encode_all(&fe_values, times, &mut vout)) / frames as f64,
    );
}

fn bench(c: &mut Criterion) {
    for &(id, stream) in WORKLOADS {
        bench_decode(c, id, stream);
        bench_encode(c, id, stream);
    }
}

criterion_group! {
    name = benches;
    config = criterion::Criterion::default();
    targets = bench
}
criterion_main!(benches);
