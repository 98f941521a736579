//! CoAP (RFC 7252 over UDP): `coap-codec` beside `coap-lite` 0.13 and
//! `coap-message-implementations` 0.2 (`inmemory`) on the shared `coap_*`
//! workloads.
//!
//! One op is one batch of `reps(len)` copies of a workload datagram, each
//! handed over as its own slice, as the workload notes prescribe. Decode =
//! decode the datagram and visit its header fields, token, every option
//! and the payload ([`Seen`]). `coap-message-implementations` is a lazy
//! view over code + options + payload: its rows read the 4-byte header and
//! the token by hand (version, TKL ≤ 8, length) and iterate the options
//! (which is where that crate finds format errors, reported as option
//! 65535). Ours validates everything inside `Message::decode` and then
//! iterates. Encode = write the values the same codec decoded (untimed)
//! back to back into one pre-sized buffer: ours with `encode_to_slice`,
//! coap-lite with `to_bytes` (its only encoder: a new `Vec` per message,
//! copied into the buffer), coap-message-implementations by writing the
//! header and token, then `MessageMut::set_from_message` from its view.
//! A decoded message of ours keeps its options in wire form, so encoding it
//! copies them whole; the extra row `ours-from-list` encodes the same
//! messages built the way an application builds them (a `CoapOption` list,
//! each option's header computed on the way out). `allocs/op` lines count
//! heap allocations per op.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;

use coap_codec::{CoapOption, Message, Options};
use coap_message::{MessageOption as _, MinimalWritableMessage as _, ReadableMessage as _};
use coap_message_implementations::inmemory;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use iotcodec_benches::{count_allocs, repeated, report_allocs, workload, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Heap allocations are averaged over this many ops.
const ALLOC_OPS: u64 = 20;

const WORKLOADS: &[&str] = &[
    "coap_get_observe",
    "coap_content_ack",
    "coap_block2",
    "coap_12_options",
];

const LITE: &str = "coap-lite";
const CMI: &str = "coap-message-implementations";

/// What a decode visited: every field the application would read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    message_id: u16,
    code: u8,
    token_len: usize,
    options: u32,
    /// Sum of (number + value length) over the options.
    option_sum: u64,
    payload_len: usize,
}

impl Seen {
    #[inline(always)]
    fn new(message_id: u16, code: u8, token: &[u8]) -> Self {
        Self {
            message_id,
            code,
            token_len: black_box(token).len(),
            options: 0,
            option_sum: 0,
            payload_len: 0,
        }
    }

    #[inline(always)]
    fn option(&mut self, number: u16, value: &[u8]) {
        let value = black_box(value);
        self.options += 1;
        self.option_sum += u64::from(number) + value.len() as u64;
    }

    #[inline(always)]
    fn payload(&mut self, payload: &[u8]) {
        self.payload_len = black_box(payload).len();
    }
}

/// Ours: strict decode, then every option and the payload.
#[inline(always)]
fn ours_decode(d: &[u8]) -> Option<Seen> {
    let m = Message::decode(d).ok()?;
    let mut s = Seen::new(m.message_id, m.code.0, m.token.as_bytes());
    for o in m.options.iter() {
        s.option(o.number.0, o.value);
    }
    s.payload(m.payload);
    Some(s)
}

/// coap-lite: `Packet::from_bytes` (owned: token, options and payload are
/// copied into `Vec`s), then every option and the payload.
#[inline(always)]
fn lite_decode(d: &[u8]) -> Option<Seen> {
    let p = coap_lite::Packet::from_bytes(d).ok()?;
    let mut s = Seen::new(p.header.message_id, u8::from(p.header.code), p.get_token());
    for (&n, values) in p.options() {
        for v in values {
            s.option(n, v);
        }
    }
    s.payload(&p.payload);
    Some(s)
}

/// coap-message-implementations' `inmemory::Message` with the header and
/// token a UDP user has to handle around it.
struct CmiView<'a> {
    first: u8,
    message_id: [u8; 2],
    token: &'a [u8],
    msg: inmemory::Message<inmemory::SliceBuffer<'a>>,
}

/// The UDP header and token by hand, then the lazy view.
#[inline(always)]
fn cmi_view(d: &[u8]) -> Option<CmiView<'_>> {
    let (&[first, code, hi, lo], rest) = d.split_first_chunk::<4>()?;
    if first >> 6 != 1 {
        return None;
    }
    let tkl = usize::from(first & 0x0f);
    if tkl > 8 {
        return None;
    }
    let (token, tail) = rest.split_at_checked(tkl)?;
    Some(CmiView {
        first,
        message_id: [hi, lo],
        token,
        msg: inmemory::Message::new_from_slice(code, tail),
    })
}

#[inline(always)]
fn cmi_decode(d: &[u8]) -> Option<Seen> {
    let v = cmi_view(d)?;
    let mut s = Seen::new(u16::from_be_bytes(v.message_id), v.msg.code(), v.token);
    for o in v.msg.options() {
        if o.number() == inmemory::OPTION_INVALID {
            return None; // the view's way of reporting a format error
        }
        s.option(o.number(), o.value());
    }
    s.payload(v.msg.payload());
    Some(s)
}

/// Decodes every datagram; returns how many decoded.
#[inline(always)]
fn decode_all(datagrams: &[&[u8]], decode: impl Fn(&[u8]) -> Option<Seen>) -> usize {
    let mut n = 0;
    for d in datagrams {
        if black_box(decode(black_box(d))).is_some() {
            n += 1;
        }
    }
    n
}

fn ours_encode_all(values: &[Message<'_>], out: &mut [u8]) -> usize {
    let mut off = 0;
    for m in values {
        off += m
            .encode_to_slice(&mut out[off..])
            .expect("buffer is pre-sized");
    }
    off
}

/// Ours, from a caller's option list per message.
fn ours_list_encode_all(values: &[(Message<'_>, Vec<CoapOption<'_>>)], out: &mut [u8]) -> usize {
    let mut off = 0;
    for (m, list) in values {
        let m = Message {
            options: Options::from_slice(list),
            ..*m
        };
        off += m
            .encode_to_slice(&mut out[off..])
            .expect("buffer is pre-sized");
    }
    off
}

fn lite_encode_all(values: &[coap_lite::Packet], out: &mut [u8]) -> usize {
    let mut off = 0;
    for p in values {
        let v = p.to_bytes().expect("encodes");
        out[off..off + v.len()].copy_from_slice(&v);
        off += v.len();
    }
    off
}

fn cmi_encode_all(values: &[CmiView<'_>], out: &mut [u8]) -> usize {
    let mut off = 0;
    for v in values {
        let tkl = v.token.len();
        let (head, tail) = out[off..].split_at_mut(4 + tkl);
        let (first, rest) = head.split_at_mut(1);
        let (code, rest) = rest.split_at_mut(1);
        first[0] = v.first;
        rest[..2].copy_from_slice(&v.message_id);
        rest[2..].copy_from_slice(v.token);
        let mut m = inmemory::MessageMut::new_in_slice(&mut code[0], tail);
        m.set_from_message(&v.msg).expect("buffer is pre-sized");
        let (end, _) = m.finish();
        off += 4 + tkl + end;
    }
    off
}

/// Checks that a codec reads every datagram to the same fields as ours.
fn check_decode(
    who: &str,
    id: &str,
    datagrams: &[&[u8]],
    expect: Seen,
    decode: impl Fn(&[u8]) -> Option<Seen>,
) {
    for d in datagrams {
        let seen = decode(d).unwrap_or_else(|| panic!("{who} cannot decode {id}"));
        assert_eq!(seen, expect, "{who} reads {id} differently");
    }
}

fn bench(c: &mut Criterion) {
    let raws: Vec<(&str, Vec<u8>)> = WORKLOADS.iter().map(|&id| (id, workload(id))).collect();
    let batches: Vec<(&str, usize, Vec<u8>)> = raws
        .iter()
        .map(|(id, raw)| (*id, raw.len(), repeated(raw)))
        .collect();

    let mut allocs = Vec::new();
    let mut dec = c.benchmark_group("coap_decode");
    for (id, len, batch) in &batches {
        let datagrams: Vec<&[u8]> = batch.chunks(*len).collect();
        let count = datagrams.len();
        let expect = ours_decode(datagrams[0]).unwrap_or_else(|| panic!("ours: {id}"));
        check_decode("ours", id, &datagrams, expect, ours_decode);
        check_decode(LITE, id, &datagrams, expect, lite_decode);
        check_decode(CMI, id, &datagrams, expect, cmi_decode);

        dec.throughput(Throughput::Bytes(batch.len() as u64));
        dec.bench_with_input(BenchmarkId::new("ours", id), &datagrams, |b, d| {
            b.iter(|| {
                let n = decode_all(d, ours_decode);
                assert_eq!(n, count);
                n
            })
        });
        dec.bench_with_input(BenchmarkId::new(LITE, id), &datagrams, |b, d| {
            b.iter(|| {
                let n = decode_all(d, lite_decode);
                assert_eq!(n, count);
                n
            })
        });
        dec.bench_with_input(BenchmarkId::new(CMI, id), &datagrams, |b, d| {
            b.iter(|| {
                let n = decode_all(d, cmi_decode);
                assert_eq!(n, count);
                n
            })
        });
        for (who, per_op) in [
            (
                "ours",
                count_allocs(ALLOC_OPS, || decode_all(&datagrams, ours_decode)),
            ),
            (
                LITE,
                count_allocs(ALLOC_OPS, || decode_all(&datagrams, lite_decode)),
            ),
            (
                CMI,
                count_allocs(ALLOC_OPS, || decode_all(&datagrams, cmi_decode)),
            ),
        ] {
            allocs.push(("coap_decode", format!("{who}/{id}"), per_op));
        }
    }
    dec.finish();

    let mut enc = c.benchmark_group("coap_encode");
    for (id, len, batch) in &batches {
        let datagrams: Vec<&[u8]> = batch.chunks(*len).collect();
        let ours: Vec<Message<'_>> = datagrams
            .iter()
            .map(|d| Message::decode(d).expect("ours decodes"))
            .collect();
        let lite: Vec<coap_lite::Packet> = datagrams
            .iter()
            .map(|d| coap_lite::Packet::from_bytes(d).expect("coap-lite decodes"))
            .collect();
        let cmi: Vec<CmiView<'_>> = datagrams
            .iter()
            .map(|d| cmi_view(d).expect("header"))
            .collect();
        let ours_list: Vec<(Message<'_>, Vec<CoapOption<'_>>)> = ours
            .iter()
            .map(|m| {
                let list = m
                    .options
                    .iter()
                    .map(|o| CoapOption::bytes(o.number, o.value))
                    .collect();
                (*m, list)
            })
            .collect();
        // every codec writes the workload back byte for byte
        let mut out = vec![0u8; batch.len()];
        assert_eq!(ours_encode_all(&ours, &mut out), batch.len(), "ours: {id}");
        assert_eq!(&out, batch, "ours re-encodes {id} differently");
        out.fill(0);
        assert_eq!(
            ours_list_encode_all(&ours_list, &mut out),
            batch.len(),
            "ours: {id}"
        );
        assert_eq!(&out, batch, "ours (from a list) encodes {id} differently");
        out.fill(0);
        assert_eq!(
            lite_encode_all(&lite, &mut out),
            batch.len(),
            "{LITE}: {id}"
        );
        assert_eq!(&out, batch, "{LITE} re-encodes {id} differently");
        out.fill(0);
        assert_eq!(cmi_encode_all(&cmi, &mut out), batch.len(), "{CMI}: {id}");
        assert_eq!(&out, batch, "{CMI} re-encodes {id} differently");

        enc.throughput(Throughput::Bytes(batch.len() as u64));
        enc.bench_function(BenchmarkId::new("ours", id), |b| {
            b.iter(|| ours_encode_all(black_box(&ours), black_box(&mut out)))
        });
        enc.bench_function(BenchmarkId::new("ours-from-list", id), |b| {
            b.iter(|| ours_list_encode_all(black_box(&ours_list), black_box(&mut out)))
        });
        enc.bench_function(BenchmarkId::new(LITE, id), |b| {
            b.iter(|| lite_encode_all(black_box(&lite), black_box(&mut out)))
        });
        enc.bench_function(BenchmarkId::new(CMI, id), |b| {
            b.iter(|| cmi_encode_all(black_box(&cmi), black_box(&mut out)))
        });
        allocs.push((
            "coap_encode",
            format!("ours/{id}"),
            count_allocs(ALLOC_OPS, || ours_encode_all(&ours, &mut out)),
        ));
        allocs.push((
            "coap_encode",
            format!("ours-from-list/{id}"),
            count_allocs(ALLOC_OPS, || ours_list_encode_all(&ours_list, &mut out)),
        ));
        allocs.push((
            "coap_encode",
            format!("{LITE}/{id}"),
            count_allocs(ALLOC_OPS, || lite_encode_all(&lite, &mut out)),
        ));
        allocs.push((
            "coap_encode",
            format!("{CMI}/{id}"),
            count_allocs(ALLOC_OPS, || cmi_encode_all(&cmi, &mut out)),
        ));
    }
    enc.finish();

    for (group, name, per_op) in &allocs {
        report_allocs(group, name, *per_op);
        if name.starts_with("ours") {
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
