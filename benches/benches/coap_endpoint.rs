//! CoAP endpoint exchanges in memory: the `x_coap_con_get_w1` session of
//! the shared workloads. Our client endpoint sends a CON GET
//! `/sensors/temp`, our server endpoint answers with a piggybacked ACK 2.05
//! (Content-Format 42, `bin(32)`), the client matches it; one at a time
//! (W = 1 = NSTART). Both run their full message layer: the CON is armed
//! for retransmission and released by the ACK, the server records the
//! exchange for deduplication and keeps the response for replay.
//!
//! One op = one message through its whole exchange; a timed batch is
//! N = 10,000 of them on fresh endpoints (created untimed). Reported: time
//! per exchange (criterion's throughput gives exchanges/s) and heap
//! allocations per exchange, both ends together.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;

use coap_codec::bytes::BytesMut;
use coap_codec::endpoint::{Config, Endpoint, Event, Request, Response};
use coap_codec::{CoapOption, Code, ContentFormat, Instant, OptionNumber, Options};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use iotcodec_benches::{count_allocs, report_allocs, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const N: usize = 10_000;
const CLIENT: u8 = 1;
const SERVER: u8 = 2;

struct Pair {
    client: Endpoint<u8>,
    server: Endpoint<u8>,
    wire: BytesMut,
    payload: [u8; 32],
}

fn pair() -> Pair {
    let mut wire = BytesMut::new();
    wire.reserve(64 + 80);
    Pair {
        client: Endpoint::new(Config::new(1)).unwrap(),
        server: Endpoint::new(Config::new(2)).unwrap(),
        wire,
        // bin(32)
        payload: core::array::from_fn(|i| i as u8),
    }
}

/// `n` lock-step exchanges; returns how many completed correctly.
fn run(p: &mut Pair, n: usize) -> usize {
    const PATH: [CoapOption<'static>; 2] = [
        CoapOption::str(OptionNumber::URI_PATH, "sensors"),
        CoapOption::str(OptionNumber::URI_PATH, "temp"),
    ];
    let cf = [CoapOption::uint(OptionNumber::CONTENT_FORMAT, 42)];
    let now = Instant::ZERO;
    let mut done = 0;
    for _ in 0..n {
        let id = p
            .client
            .request(now, SERVER, &Request::get(Options::from_slice(&PATH)))
            .expect("request");
        while let Some(t) = p.client.poll_transmit(now, &mut p.wire) {
            let d = p.wire.split_to(t.len);
            p.server.handle_datagram(now, CLIENT, &d);
        }
        while let Some(ev) = p.server.poll_event() {
            if let Event::Request {
                exchange, request, ..
            } = ev
            {
                let m = request.as_message();
                assert!(m.code == Code::GET && m.uri_path().eq(["sensors", "temp"]));
                let resp = Response::new(Code::CONTENT)
                    .options(Options::from_slice(&cf))
                    .payload(&p.payload);
                p.server.respond(now, exchange, &resp).expect("respond");
            }
        }
        while let Some(t) = p.server.poll_transmit(now, &mut p.wire) {
            let d = p.wire.split_to(t.len);
            p.client.handle_datagram(now, SERVER, &d);
        }
        while let Some(ev) = p.client.poll_event() {
            if let Event::Response {
                request, response, ..
            } = ev
            {
                let m = response.as_message();
                if request == id
                    && m.code == Code::CONTENT
                    && m.content_format() == Some(ContentFormat::OCTET_STREAM)
                    && m.payload == p.payload
                {
                    done += 1;
                }
            }
        }
    }
    done
}

fn bench(c: &mut Criterion) {
    assert_eq!(run(&mut pair(), N), N, "every exchange must complete");
    let mut g = c.benchmark_group("coap_exchange/x_coap_con_get_w1");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(20);
    g.bench_function("ours", |b| {
        b.iter_batched_ref(pair, |p| black_box(run(p, N)), BatchSize::LargeInput)
    });
    g.finish();
    let mut p = pair();
    let _ = run(&mut p, 100); // warm the buffers
    let per = count_allocs(1, || run(&mut p, N)) / N as f64;
    report_allocs("coap_exchange/x_coap_con_get_w1", "ours", per);
}

criterion_group!(benches, bench);
criterion_main!(benches);
