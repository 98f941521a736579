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
    /// Close the endpoint.
    Close,
    /// A datagram received on a multicast address.
    Multidatagram {
        from: u8,
        bytes: Vec<u8>,
    },
    /// The clock goes back (the endpoint must take it as the latest time).
    Back {
        ms: u16,
    },
}

fuzz_target!(|input: (u64, Vec<Op>)| {
    let (seed, ops) = input;
    let limits = Limits::constrained()
        .max_message_size(256)
        .max_peers(3)
        .max_dedup_entries(16)
        .max_dedup_per_peer(6)
        .max_dedup_bytes(1024)
        .max_requests(8)
        .max_request_bytes(1024)
        .max_server_exchanges(4)
        .max_response_bytes(1024)
        .max_queued_transmits(8)
        .max_queued_events(8);
    let mut ep: Endpoint<u8> = Endpoint::new(Config::new(seed).limits(limits)).unwrap();
    let mut now = Instant::ZERO;
    let mut buf = BytesMut::new();
    let mut pending: Vec<ExchangeId> = Vec::new();
    let mut requests = Vec::new();
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
                if let Ok(id) = ep.request(now, to % 4, &r) {
                    requests.push(id);
                }
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
            Op::Cancel { id } => {
                if !requests.is_empty() {
                    let r = requests.remove(usize::from(id) % requests.len());
                    ep.cancel(now, r);
                }
            }
            Op::Close => ep.close(now),
            Op::Back { ms } => {
                let earlier = Instant::from_millis(now.as_millis().saturating_sub(u64::from(ms)));
                ep.handle_timeout(earlier);
                if let Some(next) = ep.poll_timeout() {
                    assert!(next > now, "a timer due at {next} did not fire by {now}");
                }
            }
            Op::Multidatagram { from, bytes } => {
                ep.handle_multicast_datagram(now, from % 4, &bytes);
            }
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
        // every bound, in entries and in bytes, after every step
        let s = ep.stats();
        assert!(s.dedup_entries <= 16 && s.dedup_bytes <= 1024);
        assert!(s.peers <= 3);
        assert!(s.requests <= 8 && s.request_bytes <= 1024);
        assert!(s.server_exchanges <= 4 && s.response_bytes <= 1024);
        // what the application did not poll: the input-driven datagrams
        // are bounded, the commands' own by the exchanges
        assert!(s.queued_transmits <= 8 + 8 + 2 * 4, "{s:?}");
        assert!(s.queued_events <= 8 + 8 + 4, "{s:?}");
        // nothing waits forever: every request and exchange has a deadline
        // (a queued request waits for one that has)
        if s.requests + s.server_exchanges > 0 {
            assert!(ep.poll_timeout().is_some(), "state without a deadline");
        }
    }
});
