//! The CoAP endpoint fed arbitrary interleavings of datagrams from a few
//! peers, application commands and time steps. Nothing may panic, every
//! limit must hold after every step, and the timer must keep moving: a
//! deadline handed out by `poll_timeout` is never in the past once it was
//! handled, and whatever is outstanding has a deadline.
#![no_main]

use arbitrary::Arbitrary;
use coap_codec::bytes::BytesMut;
use coap_codec::endpoint::{Config, Endpoint, Event, ExchangeId, Limits, Request, Response};
use coap_codec::{CoapOption, Code, Instant, OptionNumber, Options};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Op {
    /// A datagram from peer `from` (0..4).
    Datagram {
        from: u8,
        bytes: Vec<u8>,
    },
    /// A well-formed datagram: header fields and a payload.
    Message {
        from: u8,
        b0: u8,
        code: u8,
        mid: u16,
        token: u8,
        payload: Vec<u8>,
    },
    /// An application request.
    Request {
        to: u8,
        method: u8,
        confirmable: bool,
        payload: Vec<u8>,
    },
    Multicast {
        method: u8,
    },
    Ping {
        to: u8,
    },
    /// Answer the n-th pending exchange.
    Respond {
        nth: u8,
        code: u8,
        payload: Vec<u8>,
    },
    Cancel {
        id: u8,
    },
    /// Advance the clock by this many milliseconds and run timers.
    Advance {
        ms: u16,
    },
    /// Jump to the next deadline.
    Timeout,
}

fuzz_target!(|input: (u64, Vec<Op>)| {
    let (seed, ops) = input;
    let limits = Limits {
        max_message_size: 256,
        max_peers: 3,
        max_dedup_entries: 16,
        max_dedup_per_peer: 6,
        max_requests: 8,
        max_server_exchanges: 4,
    };
    let mut ep: Endpoint<u8> = Endpoint::new(Config {
        rng_seed: seed,
        limits,
        ..Config::default()
    });
    let mut now = Instant::ZERO;
    let mut buf = BytesMut::new();
    let mut pending: Vec<ExchangeId> = Vec::new();
    for op in ops.into_iter().take(200) {
        match op {
            Op::Datagram { from, bytes } => ep.handle_datagram(now, from % 4, &bytes),
            Op::Message {
                from,
                b0,
                code,
                mid,
                token,
                payload,
            } => {
                let tkl = usize::from(b0 & 0x0f).min(8);
                let mut d = vec![0x40 | (b0 & 0x30) | tkl as u8, code];
                d.extend_from_slice(&mid.to_be_bytes());
                d.extend(std::iter::repeat(token).take(tkl));
                if !payload.is_empty() {
                    d.push(0xff);
                    d.extend_from_slice(&payload);
                }
                ep.handle_datagram(now, from % 4, &d);
            }
            Op::Request {
                to,
                method,
                confirmable,
                payload,
            } => {
                let path = [CoapOption::str(OptionNumber::URI_PATH, "x")];
                let mut r =
                    Request::new(Code(method % 8), Options::from_slice(&path)).payload(&payload);
                r.confirmable = confirmable;
                let _ = ep.request(now, to % 4, &r);
            }
            Op::Multicast { method } => {
                let _ =
                    ep.request_multicast(now, 9, &Request::new(Code(method % 8), Options::EMPTY));
            }
            Op::Ping { to } => {
                let _ = ep.ping(now, to % 4);
            }
            Op::Respond { nth, code, payload } => {
                if !pending.is_empty() {
                    let x = pending.remove(usize::from(nth) % pending.len());
                    let _ = ep.respond(now, x, &Response::new(Code(code)).payload(&payload));
                }
            }
            Op::Cancel { id } => ep.cancel(now, coap_codec::endpoint::RequestId(u64::from(id))),
            Op::Advance { ms } => {
                now += core::time::Duration::from_millis(u64::from(ms));
                ep.handle_timeout(now);
            }
            Op::Timeout => {
                if let Some(t) = ep.poll_timeout() {
                    now = now.max(t);
                    ep.handle_timeout(now);
                    if let Some(next) = ep.poll_timeout() {
                        assert!(next > now, "timer at {next} not advanced past {now}");
                    }
                }
            }
        }
        while let Some(t) = ep.poll_transmit(now, &mut buf) {
            assert!(t.len <= 256, "datagram of {} bytes above the limit", t.len);
            let d = buf.split_to(t.len);
            // everything we send decodes
            coap_codec::Message::decode(&d).expect("we sent a malformed datagram");
        }
        while let Some(ev) = ep.poll_event() {
            if let Event::Request { exchange, .. } = ev {
                pending.push(exchange);
            }
        }
        assert!(ep.dedup_len() <= 16);
        assert!(ep.peer_count() <= 3);
        assert!(ep.outstanding_requests() <= 8);
        assert!(ep.server_exchanges() <= 4);
        // nothing waits forever: every request and exchange has a deadline
        // (a queued request waits for one that has)
        if ep.outstanding_requests() + ep.server_exchanges() > 0 {
            assert!(ep.poll_timeout().is_some(), "state without a deadline");
        }
    }
});
