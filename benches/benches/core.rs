//! The shared building blocks: the byte reader and the PRNG that every codec
//! and state machine sits on.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use iotcodec_benches::{count_allocs, report_allocs, workload, CountingAlloc};
use iotcodec_core::{Reader, Rng};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Walks a buffer as a sequence of u16-length-prefixed fields, the shape of
/// MQTT strings, to measure the reader's per-field cost.
fn walk_prefixed(buf: &[u8]) -> usize {
    let mut r = Reader::new(buf);
    let mut n = 0;
    while let Ok(field) = r.u16_prefixed() {
        n += field.len();
    }
    n
}

fn bench(c: &mut Criterion) {
    let data = workload("m3_pub_qos1_4k");
    let mut g = c.benchmark_group("core");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_with_input(BenchmarkId::new("reader_u8", data.len()), &data, |b, d| {
        b.iter(|| {
            let mut r = Reader::new(d);
            let mut sum = 0u32;
            while let Ok(x) = r.u8() {
                sum = sum.wrapping_add(u32::from(x));
            }
            sum
        })
    });
    g.bench_function("reader_prefixed", |b| b.iter(|| walk_prefixed(&data)));
    g.throughput(Throughput::Elements(1));
    g.bench_function("rng_next_u32", |b| {
        let mut rng = Rng::new(1);
        b.iter(|| rng.next_u32())
    });
    g.finish();
    report_allocs(
        "core",
        "reader_u8",
        count_allocs(1000, || walk_prefixed(&data)),
    );
}

criterion_group! {
    name = benches;
    config = criterion::Criterion::default();
    targets = bench
}
criterion_main!(benches);
