//! The endpoint's worst-case heap, measured: every limit of the two
//! presets filled by hostile traffic and a careless application (nothing
//! ever polled, nothing answered, the largest messages), with a counting
//! allocator; the peak must stay within `Limits::worst_case_bytes`, and the
//! presets' figures must be the ones their documentation gives.
//!
//! One test in this file: the allocator counts every thread.

use std::net::{Ipv6Addr, SocketAddr, SocketAddrV6};

use coap_codec::endpoint::{Config, Endpoint, Limits, Request, Response};
use coap_codec::{CoapOption, Code, Instant, OptionNumber, Options};
use iotcodec_benches::{live_bytes, peak_bytes, reset_peak_bytes, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn addr(i: u32) -> SocketAddr {
    let ip = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, (i >> 16) as u16, i as u16);
    SocketAddr::V6(SocketAddrV6::new(ip, 5683, 0, 0))
}

/// A Confirmable GET with a token and a long path, `len` bytes in all.
fn con_get(mid: u16, len: usize, buf: &mut [u8]) -> usize {
    let [hi, lo] = mid.to_be_bytes();
    buf[..12].copy_from_slice(&[0x48, 0x01, hi, lo, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Uri-Path (11) with an extended length: 0xbe, len - 269 or 0xbd, len - 13
    let value = len - 12 - 3;
    buf[12] = 0xbd;
    buf[13] = (value - 13) as u8;
    let end = 14 + value;
    buf[14..end].fill(b'a');
    end
}

/// Runs the worst the endpoint can be made to hold, returns the peak heap
/// above what was live before it was made.
fn fill(limits: Limits) -> usize {
    let base = live_bytes();
    reset_peak_bytes();
    let mut ep: Endpoint<SocketAddr> = Endpoint::new(Config::new(7).limits(limits)).unwrap();
    let mut now = Instant::ZERO;
    let mut buf = vec![0u8; 2048];
    let size = limits.max_message_size.min(255);
    // client side: every request, the largest that fit the byte budget
    let payload = vec![0x55u8; limits.max_message_size - 64];
    let path = [CoapOption::str(OptionNumber::URI_PATH, "x")];
    for i in 0..limits.max_requests as u32 * 2 {
        let req = Request::new(Code::POST, Options::from_slice(&path)).payload(&payload);
        let _ = ep.request(now, addr(i % limits.max_peers as u32), &req);
    }
    // server side: more peers than allowed, each sending more Confirmable
    // requests than its dedup share, never answered, nothing polled
    let mut mid = 0u16;
    for round in 0..3u32 {
        for p in 0..(limits.max_peers as u32 * 2) {
            let per_peer = (limits.max_dedup_per_peer / 2 + 1)
                .min(2 * limits.max_dedup_entries / limits.max_peers + 2);
            for _ in 0..per_peer {
                mid = mid.wrapping_add(1);
                let n = con_get(mid, size, &mut buf);
                ep.handle_datagram(now, addr(1000 + p), &buf[..n]);
            }
        }
        // the slow application: empty ACKs, then separate responses
        now += core::time::Duration::from_millis(1500);
        ep.handle_timeout(now);
        // answer what can be answered, with the largest responses
        let mut answered = 0;
        while let Some(ev) = ep.poll_event() {
            if let coap_codec::endpoint::Event::Request { exchange, .. } = ev {
                let body = &payload[..payload.len() / 2];
                let r = Response::new(Code::CONTENT).payload(body);
                if ep.respond(now, exchange, &r).is_ok() {
                    answered += 1;
                }
            }
            if answered > limits.max_server_exchanges * (round as usize + 1) {
                break;
            }
        }
        now += core::time::Duration::from_secs(3);
        ep.handle_timeout(now);
    }
    let stats = ep.stats();
    assert!(stats.peers <= limits.max_peers);
    assert!(stats.dedup_entries <= limits.max_dedup_entries);
    assert!(stats.dedup_bytes <= limits.max_dedup_bytes);
    assert!(stats.requests <= limits.max_requests);
    assert!(stats.request_bytes <= limits.max_request_bytes);
    assert!(stats.server_exchanges <= limits.max_server_exchanges);
    assert!(stats.response_bytes <= limits.max_response_bytes);
    assert!(stats.queued_events <= limits.max_queued_events);
    assert!(
        stats.dedup_entries > 0 && stats.requests > 0 && stats.queued_transmits > 0,
        "{stats:?}"
    );
    let peak = peak_bytes() - base;
    drop(ep);
    peak
}

#[test]
fn presets_stay_within_their_documented_worst_case() {
    let a = core::mem::size_of::<SocketAddr>();
    for (name, limits, documented_kib) in [
        ("constrained", Limits::constrained(), 67),
        ("server", Limits::server(), 9947),
    ] {
        let bound = limits.worst_case_bytes(a);
        println!("{name}: bound {bound} B = {} KiB", bound.div_ceil(1024));
        // the figure in Limits' documentation, to the KiB
        assert!(
            bound.div_ceil(1024) <= documented_kib
                && bound.div_ceil(1024) > documented_kib * 9 / 10,
            "{name}: worst case {bound} B, documented {documented_kib} KiB"
        );
        let peak = fill(limits);
        println!("{name}: peak {peak} B of a worst case of {bound} B");
        assert!(
            peak <= bound,
            "{name}: peak {peak} B above the bound {bound} B"
        );
        // the fill reaches a good part of the bound: it is not a toy
        assert!(peak > bound / 8, "{name}: peak {peak} B, bound {bound} B");
    }
}
