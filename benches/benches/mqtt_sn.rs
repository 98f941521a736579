//! MQTT-SN 1.2: `mqtt-sn-codec` beside the `mqtt-sn` crate (0.2) on the
//! shared `sn_*` workloads.
//!
//! A single-message workload becomes `reps(len)` back-to-back copies,
//! `sn_stream` stays its 10,000 messages. One decode op walks that buffer as
//! a reader does: ours cuts each datagram off by its Length field and
//! decodes it on its own (as a datagram codec is fed), the peer's reader
//! frames itself; each message is taken out of its `Result` with `?`. One
//! encode op encodes the values decoded from the batch, untimed and by the
//! same codec, into one pre-sized buffer. `allocs/op` lines count heap allocations per such op.
//!
//! The peer only reads the 1-byte Length form and keeps payloads as UTF-8
//! strings of at most 256 bytes, so `sn_publish_long` (3-byte Length form)
//! is measured for our codec alone.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;

use byte::{TryRead, TryWrite};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use iotcodec_benches::{count_allocs, repeated, report_allocs, workload, CountingAlloc};
use mqtt_sn_codec::Message;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Messages in `sn_stream`.
const STREAM_MESSAGES: usize = 10_000;

/// Heap allocations are averaged over this many ops.
const ALLOC_OPS: u64 = 20;

/// The workloads: id, and whether the peer is expected to read it.
const WORKLOADS: &[(&str, bool)] = &[
    ("sn_publish_qos1", true),
    ("sn_publish_long", false),
    ("sn_register", true),
    ("sn_subscribe", true),
    ("sn_connect", true),
    ("sn_pingreq", true),
    ("sn_stream", true),
];

/// Cuts back-to-back MQTT-SN messages into datagrams by their Length field:
/// one octet, or `0x01` followed by a big-endian u16.
fn split_datagrams(mut buf: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let len = match buf[0] {
            0x01 => {
                assert!(buf.len() >= 3, "truncated 3-octet Length");
                usize::from(u16::from_be_bytes([buf[1], buf[2]]))
            }
            n => usize::from(n),
        };
        assert!(
            len >= 2 && len <= buf.len(),
            "bad Length {len} with {} bytes left",
            buf.len()
        );
        let (head, rest) = buf.split_at(len);
        out.push(head);
        buf = rest;
    }
    out
}

/// The peer's whole-message reader; returns the message and the octets it
/// consumed.
fn peer_decode(datagram: &[u8]) -> byte::Result<(mqtt_sn::Message, usize)> {
    <mqtt_sn::Message as TryRead<'_>>::try_read(datagram, ())
}

// Both decode loops are what a user's reader looks like: they walk one
// buffer of back-to-back messages (black-boxed, so not known at compile
// time), take each message out of the decoder's `Result` with `?` into a
// function that returns its own error type, and hand it to `black_box` by
// reference. Ours is given one datagram at a time, so its loop cuts the next
// one off by its Length field (counted in its time); the peer's reader does
// that itself. Until 2026-12-08 the loops got datagrams cut beforehand and
// black-boxed each `Result` where it lay, without taking the message out:
// that hid a cost users pay (see "Why the two harnesses differed" in
// docs/BENCHMARKS.md).
//
// The four `*_all` loops are `#[inline(never)]`, so that under
// `valgrind --tool=callgrind` each shows up as one function whose inclusive
// cost per call, divided by the batch's message count, is the instructions
// per message of that codec (loop included); see docs/BENCHMARKS.md.

/// The datagram at the front of back-to-back messages, cut off by its
/// Length field (one octet, or `0x01` and a big-endian u16).
#[inline]
fn next_datagram(buf: &[u8]) -> Result<&[u8], String> {
    let len = match *buf {
        [0x01, hi, lo, ..] => usize::from(u16::from_be_bytes([hi, lo])),
        [n, ..] => usize::from(n),
        [] => return Err("empty".into()),
    };
    match buf.get(..len) {
        Some(d) if len >= 2 => Ok(d),
        _ => Err(format!("bad Length {len} with {} bytes left", buf.len())),
    }
}

/// Decodes every message of `buf` with our codec; returns how many.
#[inline(never)]
fn ours_decode_all(buf: &[u8]) -> Result<usize, String> {
    let mut rest = buf;
    let mut n = 0;
    while !rest.is_empty() {
        let d = next_datagram(rest)?;
        let m = Message::decode(d).map_err(|e| format!("ours: {e:?}"))?;
        black_box(&m);
        rest = &rest[d.len()..];
        n += 1;
    }
    Ok(n)
}

/// Decodes every message of `buf` with the peer; returns how many.
#[inline(never)]
fn peer_decode_all(buf: &[u8]) -> Result<usize, String> {
    let mut off = 0;
    let mut n = 0;
    while off < buf.len() {
        let (m, used) = peer_decode(&buf[off..]).map_err(|e| format!("mqtt-sn: {e:?}"))?;
        black_box(&m);
        off += used;
        n += 1;
    }
    Ok(n)
}

/// Encodes `values` back to back into `out` with our codec; returns the
/// octets written.
#[inline(never)]
fn ours_encode_all(values: &[Message<'_>], out: &mut [u8]) -> usize {
    let mut off = 0;
    for m in values {
        off += m
            .encode_to_slice(&mut out[off..])
            .expect("buffer is pre-sized");
    }
    off
}

/// Encodes `values` back to back into `out` with the peer. Its writer takes
/// the message by value, so each one is cloned (no heap: the peer's strings
/// are `heapless`).
#[inline(never)]
fn peer_encode_all(values: &[mqtt_sn::Message], out: &mut [u8]) -> usize {
    let mut off = 0;
    for m in values {
        off += m
            .clone()
            .try_write(&mut out[off..], ())
            .expect("buffer is pre-sized");
    }
    off
}

/// Checks that the peer reads every datagram whole and writes it back
/// byte for byte; the reason it cannot otherwise.
fn peer_check(datagrams: &[&[u8]]) -> Result<Vec<mqtt_sn::Message>, String> {
    let mut values = Vec::with_capacity(datagrams.len());
    for (i, d) in datagrams.iter().enumerate() {
        let (m, used) = peer_decode(d).map_err(|e| format!("datagram {i}: {e:?}"))?;
        if used != d.len() {
            return Err(format!("datagram {i}: read {used} of {} octets", d.len()));
        }
        values.push(m);
    }
    let expect: Vec<u8> = datagrams.concat();
    let mut out = vec![0u8; expect.len() + 64];
    let n = peer_encode_all(&values, &mut out);
    if out[..n] != expect[..] {
        return Err("re-encoding differs from the workload bytes".into());
    }
    Ok(values)
}

/// A workload as one timed batch: `sn_stream` whole, any other message
/// `reps(len)` times back to back.
fn batch_of(id: &str) -> Vec<u8> {
    let raw = workload(id);
    if id == "sn_stream" {
        raw
    } else {
        repeated(&raw)
    }
}

/// Instead of benchmarking: runs one of the timed loops `batches` times on
/// one workload's batch and prints its message count, for counting
/// instructions. `spec` is `<decode|encode> <ours|mqtt-sn> <workload>
/// <batches>` (the `MQTT_SN_REPEAT` environment variable); instructions per
/// message = (Ir with N batches - Ir with 0) / (N x messages).
fn repeat_loop(spec: &str) {
    let parts: Vec<&str> = spec.split_whitespace().collect();
    let [op, side, id, n] = parts[..] else {
        panic!("MQTT_SN_REPEAT: want `<decode|encode> <ours|mqtt-sn> <workload> <batches>`, got {spec:?}")
    };
    let n: usize = n.parse().expect("MQTT_SN_REPEAT: batches");
    let batch = batch_of(id);
    let datagrams = split_datagrams(&batch);
    let mut out = vec![0u8; batch.len()];
    match (op, side) {
        ("decode", "ours") => (0..n).for_each(|_| {
            black_box(ours_decode_all(black_box(&batch)).expect("ours"));
        }),
        ("decode", "mqtt-sn") => (0..n).for_each(|_| {
            black_box(peer_decode_all(black_box(&batch)).expect("the peer reads it"));
        }),
        ("encode", "ours") => {
            let values: Vec<Message<'_>> = datagrams
                .iter()
                .map(|d| Message::decode(d).expect("ours reads every workload"))
                .collect();
            (0..n).for_each(|_| {
                black_box(ours_encode_all(black_box(&values), black_box(&mut out)));
            })
        }
        ("encode", "mqtt-sn") => {
            let values = peer_check(&datagrams).expect("the peer reads this workload");
            (0..n).for_each(|_| {
                black_box(peer_encode_all(black_box(&values), black_box(&mut out)));
            })
        }
        _ => panic!("MQTT_SN_REPEAT: unknown op/side {op:?} {side:?}"),
    }
    println!("{} messages per batch", datagrams.len());
}

fn bench(c: &mut Criterion) {
    if let Ok(spec) = std::env::var("MQTT_SN_REPEAT") {
        return repeat_loop(&spec);
    }
    let files: Vec<(&str, bool, Vec<u8>)> = WORKLOADS
        .iter()
        .map(|&(id, peer)| (id, peer, batch_of(id)))
        .collect();

    let mut dec = c.benchmark_group("mqtt_sn_decode");
    let mut allocs = Vec::new();
    let mut prepared = Vec::new();
    for (id, peer_expected, batch) in &files {
        let datagrams = split_datagrams(batch);
        if *id == "sn_stream" {
            assert_eq!(datagrams.len(), STREAM_MESSAGES, "{id}: message count");
        }
        let count = datagrams.len();

        // Our codec must read everything and write it back unchanged.
        let ours: Vec<Message<'_>> = datagrams
            .iter()
            .map(|d| Message::decode(d).unwrap_or_else(|e| panic!("{id}: ours: {e:?}")))
            .collect();
        let sizes: Result<Vec<usize>, _> = ours.iter().map(Message::encoded_len).collect();
        let sizes = sizes.unwrap_or_else(|e| panic!("{id}: ours cannot size it: {e}"));
        let mut out = vec![0u8; sizes.iter().sum()];
        assert_eq!(ours_encode_all(&ours, &mut out), batch.len(), "{id}: ours");
        assert_eq!(&out, batch, "{id}: ours re-encodes differently");

        let peer = match peer_check(&datagrams) {
            Ok(values) => {
                assert!(*peer_expected, "{id}: peer reads it, update WORKLOADS");
                Some(values)
            }
            Err(why) => {
                assert!(!*peer_expected, "{id}: peer cannot read it: {why}");
                println!("mqtt_sn: peer mqtt-sn skipped on {id}: {why}");
                None
            }
        };

        dec.throughput(Throughput::Bytes(batch.len() as u64));
        assert_eq!(ours_decode_all(batch), Ok(count), "{id}: ours");
        dec.bench_with_input(BenchmarkId::new("ours", id), batch, |b, buf| {
            b.iter(|| ours_decode_all(black_box(buf)))
        });
        allocs.push((
            "mqtt_sn_decode",
            format!("ours/{id}"),
            count_allocs(ALLOC_OPS, || ours_decode_all(batch)),
        ));
        if peer.is_some() {
            assert_eq!(peer_decode_all(batch), Ok(count), "{id}: mqtt-sn");
            dec.bench_with_input(BenchmarkId::new("mqtt-sn", id), batch, |b, buf| {
                b.iter(|| peer_decode_all(black_box(buf)))
            });
            allocs.push((
                "mqtt_sn_decode",
                format!("mqtt-sn/{id}"),
                count_allocs(ALLOC_OPS, || peer_decode_all(batch)),
            ));
        }
        prepared.push((*id, batch.len(), ours, peer));
    }
    dec.finish();

    let mut enc = c.benchmark_group("mqtt_sn_encode");
    for (id, len, ours, peer) in &prepared {
        enc.throughput(Throughput::Bytes(*len as u64));
        let mut out = vec![0u8; *len];
        enc.bench_function(BenchmarkId::new("ours", id), |b| {
            b.iter(|| ours_encode_all(black_box(ours), black_box(&mut out)))
        });
        allocs.push((
            "mqtt_sn_encode",
            format!("ours/{id}"),
            count_allocs(ALLOC_OPS, || ours_encode_all(ours, &mut out)),
        ));
        if let Some(peer) = peer {
            enc.bench_function(BenchmarkId::new("mqtt-sn", id), |b| {
                b.iter(|| peer_encode_all(black_box(peer), black_box(&mut out)))
            });
            allocs.push((
                "mqtt_sn_encode",
                format!("mqtt-sn/{id}"),
                count_allocs(ALLOC_OPS, || peer_encode_all(peer, &mut out)),
            ));
        }
    }
    enc.finish();

    for (group, name, per_op) in &allocs {
        report_allocs(group, name, *per_op);
        if name.starts_with("ours/") {
            assert!(*per_op == 0.0, "{group}/{name} allocates");
        }
    }
}

criterion_group! {
    name = benches;
    config = criterion::Criterion::default();
    targets = bench
}
criterion_main!(benches);
