//! MQTT 3.1.1 and 5.0: `mqtt-codec` beside `rumqttc` (0.25, `mqttbytes`),
//! `mqttrs` (0.4, 3.1.1 only) and `ntex-mqtt` (9.0.0) on the shared `m3_*`
//! and `m5_*` workloads, in one run on the same bytes.
//!
//! Decode: one timed batch is `reps(len)` back-to-back copies of a
//! single-packet workload, or one copy of a stream (10,000 packets), already
//! sitting in the codec's own input type: `&[u8]` for ours and mqttrs,
//! `bytes::BytesMut` for rumqttc, `ntex_bytes::BytesMut` for ntex-mqtt. The
//! two `BytesMut` readers consume their buffer, so they run under
//! `iter_batched_ref` with `BatchSize::LargeInput`: the fresh copy of the
//! batch is made in the untimed setup, only the decoding is timed.
//! mqttrs does not report the bytes it consumed; its loop reads the
//! remaining length itself to advance (counted in its time). Every decoded
//! value is handed to `black_box` by reference where it lies, for every
//! codec alike: the value is built in full either way, and no codec pays
//! for copying its value out (ours is 144 bytes, mqttrs' 96, and a copy of
//! more than 128 bytes is a `memcpy` call).
//!
//! Encode: the values each codec decoded from the canonical bytes (untimed)
//! are encoded `reps(len)` times (once for a stream) into one pre-sized
//! buffer: a slice for ours and mqttrs, a reserved `bytes::BytesMut` cleared
//! before each batch for rumqttc. `ours_bytesmut` is ours into the same kind
//! of `BytesMut` as rumqttc, through `Packet::encode`. A packet we decoded
//! keeps its property and topic filter lists as the checked wire bytes, which
//! the encoder copies back when they are encoded in the same place;
//! `ours_built` encodes the same packets with those lists given as values
//! (as a sender builds them), so every element is checked and written one
//! by one. ntex-mqtt is measured on decode only (its encoder consumes owned
//! `Encoded` values into `BytePages`).
//!
//! Every decoder is checked at setup to decode every packet of every
//! workload it is benchmarked on. `allocs/op` lines give heap allocations
//! per packet (one op = one packet decoded or encoded).
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;

use criterion::{criterion_group, BatchSize, Criterion, Throughput};
use iotcodec_benches::{allocations, count_allocs, report_allocs, reps, workload, CountingAlloc};
use mqtt_codec::wire::{
    Ack, Connect, List, Packet, Properties, ProtocolVersion, Publish, Subscribe, Will,
};
use mqtt_codec::Decoded;
use ntex_codec::Decoder as _;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Packets in a `*_stream` workload.
const STREAM_PACKETS: usize = 10_000;

/// Maximum packet size handed to the peers' decoders (larger than any
/// workload). Ours decodes with its defaults (`Packet::decode`: any packet
/// MQTT can carry), the same one comparison against a constant.
const MAX_PACKET: usize = 1 << 20;

/// Heap allocations are averaged over this many batches.
const ALLOC_OPS: u64 = 10;

/// The workloads: id, protocol version, whether it is a stream.
const WORKLOADS: &[(&str, ProtocolVersion, bool)] = &[
    ("m3_pub_qos0", ProtocolVersion::V3_1_1, false),
    ("m3_pub_qos1", ProtocolVersion::V3_1_1, false),
    ("m3_pub_qos1_4k", ProtocolVersion::V3_1_1, false),
    ("m3_subscribe", ProtocolVersion::V3_1_1, false),
    ("m3_connect", ProtocolVersion::V3_1_1, false),
    ("m3_pingreq", ProtocolVersion::V3_1_1, false),
    ("m3_stream", ProtocolVersion::V3_1_1, true),
    ("m5_pub_qos1_props", ProtocolVersion::V5, false),
    ("m5_connect", ProtocolVersion::V5, false),
    ("m5_stream", ProtocolVersion::V5, true),
];

// Every decode loop is written as a user's reader is: a function returning
// its own error type takes each packet out of the decoder's `Result` with
// `?` and hands it to `black_box` by reference. (Until 2026-12-08 ours and
// mqttrs were matched where they lay, `Ok(.. ref item ..)`, which spared
// ours a cost users pay; see docs/BENCHMARKS.md, "Why the two harnesses
// differed".)

/// Formats a decoder's error (the loops' error type).
fn err(codec: &str, e: impl core::fmt::Debug) -> String {
    format!("{codec}: {e:?}")
}

/// Our decoder over a whole batch; returns the packets decoded.
#[inline(never)]
fn ours_decode_all(mut buf: &[u8], version: ProtocolVersion) -> Result<usize, String> {
    let mut n = 0;
    while !buf.is_empty() {
        match Packet::decode(buf, version).map_err(|e| err("ours", e))? {
            Decoded::Complete { item, consumed } => {
                black_box(&item);
                buf = &buf[consumed..];
                n += 1;
            }
            Decoded::Incomplete { .. } => return Err("ours: incomplete packet".into()),
        }
    }
    Ok(n)
}

/// rumqttc 3.1.1 reader; consumes `buf`.
#[inline(never)]
fn rumqttc4_decode_all(buf: &mut bytes::BytesMut) -> Result<usize, String> {
    let mut n = 0;
    while !buf.is_empty() {
        let p = rumqttc::mqttbytes::v4::Packet::read(buf, MAX_PACKET)
            .map_err(|e| err("rumqttc v4", e))?;
        black_box(&p);
        n += 1;
    }
    Ok(n)
}

/// rumqttc 5.0 reader; consumes `buf`.
#[inline(never)]
fn rumqttc5_decode_all(buf: &mut bytes::BytesMut) -> Result<usize, String> {
    let mut n = 0;
    while !buf.is_empty() {
        let p = rumqttc::v5::mqttbytes::v5::Packet::read(buf, Some(MAX_PACKET as u32))
            .map_err(|e| err("rumqttc v5", e))?;
        black_box(&p);
        n += 1;
    }
    Ok(n)
}

/// Length of the whole packet at the front of `buf` (fixed header plus
/// remaining length), which mqttrs does not report.
fn frame_len(buf: &[u8]) -> usize {
    let mut remaining = 0usize;
    for i in 0..4 {
        let b = buf[1 + i];
        remaining |= usize::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return 2 + i + remaining;
        }
    }
    panic!("malformed remaining length")
}

/// mqttrs over a whole batch.
#[inline(never)]
fn mqttrs_decode_all(mut buf: &[u8]) -> Result<usize, String> {
    let mut n = 0;
    while !buf.is_empty() {
        let p = mqttrs::decode_slice(buf)
            .map_err(|e| err("mqttrs", e))?
            .ok_or("mqttrs: incomplete packet")?;
        black_box(&p);
        buf = &buf[frame_len(buf)..];
        n += 1;
    }
    Ok(n)
}

/// ntex-mqtt 3.1.1 codec; consumes `buf`. A whole PUBLISH comes out as one
/// `Decoded::Publish` (header and payload) since the bytes are all there.
fn ntex3_decode_all(
    codec: &ntex_mqtt::v3::codec::Codec,
    buf: &mut ntex_bytes::BytesMut,
) -> Result<usize, String> {
    use ntex_mqtt::v3::codec::Decoded as D;
    let mut n = 0;
    while !buf.is_empty() {
        match codec
            .decode(buf)
            .map_err(|e| err("ntex v3", e))?
            .ok_or("ntex v3: incomplete packet")?
        {
            d @ (D::Packet(..) | D::Publish(..)) => {
                black_box(&d);
                n += 1;
            }
            D::PayloadChunk(..) => return Err("ntex v3: unexpected payload chunk".into()),
        }
    }
    Ok(n)
}

/// ntex-mqtt 5.0 codec; consumes `buf`.
fn ntex5_decode_all(
    codec: &ntex_mqtt::v5::codec::Codec,
    buf: &mut ntex_bytes::BytesMut,
) -> Result<usize, String> {
    use ntex_mqtt::v5::codec::Decoded as D;
    let mut n = 0;
    while !buf.is_empty() {
        match codec
            .decode(buf)
            .map_err(|e| err("ntex v5", e))?
            .ok_or("ntex v5: incomplete packet")?
        {
            d @ (D::Packet(..) | D::Publish(..)) => {
                black_box(&d);
                n += 1;
            }
            D::PayloadChunk(..) => return Err("ntex v5: unexpected payload chunk".into()),
        }
    }
    Ok(n)
}

/// Heap allocations per packet of `op` on a buffer made by `setup`, the
/// setup itself not counted.
fn allocs_consuming<B>(packets: usize, setup: impl Fn() -> B, mut op: impl FnMut(&mut B)) -> f64 {
    let mut total = 0;
    for _ in 0..ALLOC_OPS {
        let mut b = setup();
        let before = allocations();
        op(&mut b);
        total += allocations() - before;
        drop(b);
    }
    total as f64 / (ALLOC_OPS as f64 * packets as f64)
}

/// Our encoder: every value, `times` times, into `out`.
#[inline(never)]
fn ours_encode_all(
    values: &[Packet<'_>],
    version: ProtocolVersion,
    times: usize,
    out: &mut [u8],
) -> usize {
    let mut pos = 0;
    for _ in 0..times {
        for p in values {
            pos += p
                .encode_to_slice(version, &mut out[pos..])
                .expect("ours: encode");
        }
    }
    pos
}

/// Our encoder into a `BytesMut` (cleared), as rumqttc's.
#[inline(never)]
fn ours_encode_bytesmut(
    values: &[Packet<'_>],
    version: ProtocolVersion,
    times: usize,
    out: &mut bytes::BytesMut,
) -> usize {
    out.clear();
    for _ in 0..times {
        for p in values {
            p.encode(version, out).expect("ours: encode");
        }
    }
    out.len()
}

/// `p` with its property and topic filter lists given as values (leaked:
/// setup only), as a sender builds a packet, instead of the checked wire
/// bytes a decoded packet keeps.
fn built(p: &Packet<'static>) -> Packet<'static> {
    fn props(p: &Properties<'static>) -> Properties<'static> {
        if p.is_empty() {
            return Properties::empty();
        }
        List::new(p.iter().collect::<Vec<_>>().leak())
    }
    match *p {
        Packet::Connect(c) => Packet::Connect(Connect {
            properties: props(&c.properties),
            will: c.will.map(|w| Will {
                properties: props(&w.properties),
                ..w
            }),
            ..c
        }),
        Packet::Publish(x) => Packet::Publish(Publish {
            properties: props(&x.properties),
            ..x
        }),
        Packet::Subscribe(s) => Packet::Subscribe(Subscribe {
            properties: props(&s.properties),
            subscriptions: List::new(s.subscriptions.iter().collect::<Vec<_>>().leak()),
            ..s
        }),
        Packet::Puback(a) => Packet::Puback(Ack {
            properties: props(&a.properties),
            ..a
        }),
        Packet::Pubrel(a) => Packet::Pubrel(Ack {
            properties: props(&a.properties),
            ..a
        }),
        other => other,
    }
}

/// Whether `p` holds a non-empty list that [`built`] changes.
fn has_lists(p: &Packet<'_>) -> bool {
    match p {
        Packet::Connect(c) => {
            !c.properties.is_empty() || c.will.is_some_and(|w| !w.properties.is_empty())
        }
        Packet::Publish(x) => !x.properties.is_empty(),
        Packet::Subscribe(_) => true,
        Packet::Puback(a) | Packet::Pubrel(a) => !a.properties.is_empty(),
        _ => false,
    }
}

/// mqttrs encoder: every value, `times` times, into `out`.
#[inline(never)]
fn mqttrs_encode_all(values: &[mqttrs::Packet<'_>], times: usize, out: &mut [u8]) -> usize {
    let mut pos = 0;
    for _ in 0..times {
        for p in values {
            pos += mqttrs::encode_slice(p, &mut out[pos..]).expect("mqttrs: encode");
        }
    }
    pos
}

/// rumqttc 3.1.1 writer: every value, `times` times, into `out` (cleared).
#[inline(never)]
fn rumqttc4_encode_all(
    values: &[rumqttc::mqttbytes::v4::Packet],
    times: usize,
    out: &mut bytes::BytesMut,
) -> usize {
    out.clear();
    for _ in 0..times {
        for p in values {
            p.write(out, MAX_PACKET).expect("rumqttc v4: encode");
        }
    }
    out.len()
}

/// rumqttc 5.0 writer: every value, `times` times, into `out` (cleared).
#[inline(never)]
fn rumqttc5_encode_all(
    values: &[rumqttc::v5::mqttbytes::v5::Packet],
    times: usize,
    out: &mut bytes::BytesMut,
) -> usize {
    out.clear();
    for _ in 0..times {
        for p in values {
            p.write(out, Some(MAX_PACKET as u32))
                .expect("rumqttc v5: encode");
        }
    }
    out.len()
}

fn bench_decode(c: &mut Criterion, id: &str, version: ProtocolVersion, stream: bool) {
    let data = workload(id);
    let (input, packets) = if stream {
        (data.clone(), STREAM_PACKETS)
    } else {
        let r = reps(data.len());
        (data.repeat(r), r)
    };
    let v3 = version != ProtocolVersion::V5;
    let group = format!("mqtt_decode/{id}");
    let rumq_buf = || bytes::BytesMut::from(&input[..]);
    let ntex_buf = || ntex_bytes::BytesMut::copy_from_slice(&input);
    let ntex3 = ntex_mqtt::v3::codec::Codec::new();
    let ntex5 = ntex_mqtt::v5::codec::Codec::new();
    let rumq = |b: &mut bytes::BytesMut| {
        if v3 {
            rumqttc4_decode_all(b)
        } else {
            rumqttc5_decode_all(b)
        }
    };
    let ntex = |b: &mut ntex_bytes::BytesMut| {
        if v3 {
            ntex3_decode_all(&ntex3, b)
        } else {
            ntex5_decode_all(&ntex5, b)
        }
    };

    // Every codec must read every packet of the batch.
    assert_eq!(
        ours_decode_all(&input, version),
        Ok(packets),
        "ours on {id}"
    );
    assert_eq!(rumq(&mut rumq_buf()), Ok(packets), "rumqttc on {id}");
    assert_eq!(ntex(&mut ntex_buf()), Ok(packets), "ntex-mqtt on {id}");
    if v3 {
        assert_eq!(mqttrs_decode_all(&input), Ok(packets), "mqttrs on {id}");
    }

    let mut g = c.benchmark_group(&group);
    g.throughput(Throughput::Elements(packets as u64));
    g.bench_function("ours", |b| {
        b.iter(|| ours_decode_all(black_box(&input), version))
    });
    g.bench_function("rumqttc", |b| {
        b.iter_batched_ref(rumq_buf, |buf| rumq(buf), BatchSize::LargeInput)
    });
    if v3 {
        g.bench_function("mqttrs", |b| {
            b.iter(|| mqttrs_decode_all(black_box(&input)))
        });
    }
    g.bench_function("ntex", |b| {
        b.iter_batched_ref(ntex_buf, |buf| ntex(buf), BatchSize::LargeInput)
    });
    g.finish();

    let ours = count_allocs(ALLOC_OPS, || ours_decode_all(&input, version)) / packets as f64;
    assert_eq!(ours, 0.0, "our decoder allocated on {id}");
    report_allocs(&group, "ours", ours);
    report_allocs(
        &group,
        "rumqttc",
        allocs_consuming(packets, rumq_buf, |b| {
            rumq(b).expect("rumqttc");
        }),
    );
    if v3 {
        let a = count_allocs(ALLOC_OPS, || mqttrs_decode_all(&input)) / packets as f64;
        report_allocs(&group, "mqttrs", a);
    }
    report_allocs(
        &group,
        "ntex",
        allocs_consuming(packets, ntex_buf, |b| {
            ntex(b).expect("ntex-mqtt");
        }),
    );
}

fn bench_encode(c: &mut Criterion, id: &str, version: ProtocolVersion, stream: bool) {
    let data = workload(id);
    let times = if stream { 1 } else { reps(data.len()) };
    let in_packets = if stream { STREAM_PACKETS } else { 1 };
    let packets = times * in_packets;
    let v3 = version != ProtocolVersion::V5;
    let group = format!("mqtt_encode/{id}");
    // Room for any peer's encoding (they may pick wider forms).
    let cap = 2 * times * data.len() + 64;

    // The values, each decoded by its own codec (untimed).
    let data: &'static [u8] = data.leak();
    let mut ours_values = Vec::with_capacity(in_packets);
    let mut rest = data;
    while !rest.is_empty() {
        let Ok(Decoded::Complete { item, consumed }) = Packet::decode(rest, version) else {
            panic!("ours: cannot decode {id}");
        };
        ours_values.push(item);
        rest = &rest[consumed..];
    }
    assert_eq!(ours_values.len(), in_packets);
    let mut buf = bytes::BytesMut::from(data);
    let mut rumq4_values = Vec::new();
    let mut rumq5_values = Vec::new();
    while !buf.is_empty() {
        if v3 {
            rumq4_values.push(
                rumqttc::mqttbytes::v4::Packet::read(&mut buf, MAX_PACKET).expect("rumqttc v4"),
            );
        } else {
            rumq5_values.push(
                rumqttc::v5::mqttbytes::v5::Packet::read(&mut buf, Some(MAX_PACKET as u32))
                    .expect("rumqttc v5"),
            );
        }
    }
    let mut mqttrs_values = Vec::new();
    if v3 {
        let mut rest = data;
        while !rest.is_empty() {
            mqttrs_values.push(
                mqttrs::decode_slice(rest)
                    .expect("mqttrs")
                    .expect("mqttrs: incomplete"),
            );
            rest = &rest[frame_len(rest)..];
        }
    }

    // Ours should give the canonical bytes back.
    let mut out = vec![0u8; cap];
    let n = ours_encode_all(&ours_values, version, times, &mut out);
    assert_eq!(n, times * data.len());
    if out[..data.len()] != data[..] {
        println!("note: ours re-encodes {id} to different bytes");
    }
    let mut bout = bytes::BytesMut::with_capacity(cap);
    let rumq = |o: &mut bytes::BytesMut| {
        if v3 {
            rumqttc4_encode_all(&rumq4_values, times, o)
        } else {
            rumqttc5_encode_all(&rumq5_values, times, o)
        }
    };
    assert!(rumq(&mut bout) > 0);

    let built_values: Vec<Packet<'static>> = ours_values.iter().map(built).collect();
    let with_lists = ours_values.iter().any(has_lists);
    if with_lists {
        let n = ours_encode_all(&built_values, version, times, &mut out);
        assert_eq!(
            &out[..n],
            &ours_values_bytes(&ours_values, version, times)[..]
        );
    }
    let mut ours_bout = bytes::BytesMut::with_capacity(cap);
    assert_eq!(
        ours_encode_bytesmut(&ours_values, version, times, &mut ours_bout),
        times * data.len()
    );

    let mut g = c.benchmark_group(&group);
    g.throughput(Throughput::Elements(packets as u64));
    g.bench_function("ours", |b| {
        b.iter(|| ours_encode_all(black_box(&ours_values), version, times, &mut out))
    });
    g.bench_function("ours_bytesmut", |b| {
        b.iter(|| {
            ours_encode_bytesmut(
                black_box(&ours_values),
                version,
                times,
                black_box(&mut ours_bout),
            )
        })
    });
    if with_lists {
        g.bench_function("ours_built", |b| {
            b.iter(|| ours_encode_all(black_box(&built_values), version, times, &mut out))
        });
    }
    g.bench_function("rumqttc", |b| b.iter(|| rumq(black_box(&mut bout))));
    if v3 {
        assert!(mqttrs_encode_all(&mqttrs_values, times, &mut out) > 0);
        g.bench_function("mqttrs", |b| {
            b.iter(|| mqttrs_encode_all(black_box(&mqttrs_values), times, &mut out))
        });
    }
    g.finish();

    let ours = count_allocs(ALLOC_OPS, || {
        ours_encode_all(&ours_values, version, times, &mut out)
    }) / packets as f64;
    assert_eq!(ours, 0.0, "our encoder allocated on {id}");
    report_allocs(&group, "ours", ours);
    let ours = count_allocs(ALLOC_OPS, || {
        ours_encode_bytesmut(&ours_values, version, times, &mut ours_bout)
    }) / packets as f64;
    assert_eq!(ours, 0.0, "our BufMut encoder allocated on {id}");
    report_allocs(&group, "ours_bytesmut", ours);
    if with_lists {
        let ours = count_allocs(ALLOC_OPS, || {
            ours_encode_all(&built_values, version, times, &mut out)
        }) / packets as f64;
        assert_eq!(ours, 0.0, "our encoder allocated on built {id}");
        report_allocs(&group, "ours_built", ours);
    }
    report_allocs(
        &group,
        "rumqttc",
        count_allocs(ALLOC_OPS, || rumq(&mut bout)) / packets as f64,
    );
    if v3 {
        let a = count_allocs(ALLOC_OPS, || {
            mqttrs_encode_all(&mqttrs_values, times, &mut out)
        }) / packets as f64;
        report_allocs(&group, "mqttrs", a);
    }
}

/// The bytes `ours_encode_all` gives (allocating: setup only).
fn ours_values_bytes(values: &[Packet<'_>], version: ProtocolVersion, times: usize) -> Vec<u8> {
    let one: Vec<u8> = values
        .iter()
        .flat_map(|p| p.to_vec(version).expect("ours: encode"))
        .collect();
    one.repeat(times)
}

fn bench(c: &mut Criterion) {
    for &(id, version, stream) in WORKLOADS {
        bench_decode(c, id, version, stream);
        bench_encode(c, id, version, stream);
    }
}

criterion_group! {
    name = benches;
    config = criterion::Criterion::default();
    targets = bench
}
/// `MQTT_PROFILE=<codec>:<decode|encode>:<workload>[:<batches>]` runs one
/// timed loop of the bench (`ours`, `ours_bytesmut`, `ours_built`, `mqttrs`
/// or `rumqttc`) that many times without criterion, for instruction counts:
///
/// ```text
/// MQTT_PROFILE=ours:decode:m3_pub_qos1:20 valgrind --tool=callgrind \
///     --toggle-collect='*ours_decode_all*' target/release/deps/mqtt-<hash>
/// ```
///
/// and prints the packets handled, so that instructions per packet are the
/// callgrind total divided by that.
fn profile(spec: &str) {
    let parts: Vec<&str> = spec.split(':').collect();
    let (codec, op, id) = (parts[0], parts[1], parts[2]);
    let batches: usize = parts.get(3).map_or(10, |n| n.parse().expect("batches"));
    let &(_, version, stream) = WORKLOADS
        .iter()
        .find(|w| w.0 == id)
        .expect("unknown workload");
    let v3 = version != ProtocolVersion::V5;
    let data: &'static [u8] = workload(id).leak();
    let times = if stream { 1 } else { reps(data.len()) };
    let input = data.repeat(times);
    let mut n = 0;
    match (codec, op) {
        ("ours", "decode") => {
            for _ in 0..batches {
                n += ours_decode_all(black_box(&input), version).expect("ours");
            }
        }
        ("mqttrs", "decode") => {
            for _ in 0..batches {
                n += mqttrs_decode_all(black_box(&input)).expect("mqttrs");
            }
        }
        ("rumqttc", "decode") => {
            for _ in 0..batches {
                let mut b = bytes::BytesMut::from(&input[..]);
                n += if v3 {
                    rumqttc4_decode_all(&mut b)
                } else {
                    rumqttc5_decode_all(&mut b)
                }
                .expect("rumqttc");
            }
        }
        (_, "encode") => {
            let mut out = vec![0u8; 2 * input.len() + 64];
            let mut bout = bytes::BytesMut::with_capacity(2 * input.len() + 64);
            // the values each codec decoded, made before the loops
            let mut values = Vec::new();
            let mut rest = data;
            while let Ok(Decoded::Complete { item, consumed }) = Packet::decode(rest, version) {
                values.push(item);
                rest = &rest[consumed..];
            }
            let built_values: Vec<Packet<'static>> = values.iter().map(built).collect();
            let mut mqttrs_values = Vec::new();
            let mut rest = data;
            while v3 && !rest.is_empty() {
                mqttrs_values.push(mqttrs::decode_slice(rest).expect("mqttrs").expect("whole"));
                rest = &rest[frame_len(rest)..];
            }
            let (mut rumq4, mut rumq5) = (Vec::new(), Vec::new());
            let mut b = bytes::BytesMut::from(data);
            while !b.is_empty() {
                if v3 {
                    rumq4.push(
                        rumqttc::mqttbytes::v4::Packet::read(&mut b, MAX_PACKET).expect("rumqttc"),
                    );
                } else {
                    rumq5.push(
                        rumqttc::v5::mqttbytes::v5::Packet::read(&mut b, Some(MAX_PACKET as u32))
                            .expect("rumqttc"),
                    );
                }
            }
            for _ in 0..batches {
                match codec {
                    "ours" => ours_encode_all(black_box(&values), version, times, &mut out),
                    "ours_bytesmut" => {
                        ours_encode_bytesmut(black_box(&values), version, times, &mut bout)
                    }
                    "ours_built" => {
                        ours_encode_all(black_box(&built_values), version, times, &mut out)
                    }
                    "mqttrs" => mqttrs_encode_all(black_box(&mqttrs_values), times, &mut out),
                    "rumqttc" if v3 => rumqttc4_encode_all(black_box(&rumq4), times, &mut bout),
                    "rumqttc" => rumqttc5_encode_all(black_box(&rumq5), times, &mut bout),
                    other => panic!("unknown codec {other}"),
                };
                n += times * values.len();
            }
        }
        other => panic!("unknown codec and operation {other:?}"),
    }
    println!("{n} packets");
}

fn main() {
    if let Ok(spec) = std::env::var("MQTT_PROFILE") {
        profile(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
