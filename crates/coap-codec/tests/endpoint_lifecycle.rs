//! The template points of the endpoint that are not RFC 7252 message
//! exchanges: time that goes backwards, retransmissions scheduled from
//! their deadlines, close and idleness, PROBING_RATE toward a silent peer,
//! DEFAULT_LEISURE for multicast requests, and the bounded queues.

use core::time::Duration;

use coap_codec::endpoint::{
    Config, Endpoint, Event, Failure, Limits, Request, Response, TransmissionParams, UsageError,
};
use coap_codec::{Code, Message, MessageType, Options};

mod support;
use support::{client_get as get, drain, events, ms, no_jitter, CLIENT, SERVER};

#[test]
fn time_going_back_is_taken_as_the_latest_time() {
    let mut c = Endpoint::new(no_jitter()).unwrap();
    get(&mut c, ms(10_000), true);
    assert_eq!(drain(&mut c, ms(10_000)).len(), 1);
    assert_eq!(c.poll_timeout(), Some(ms(12_000)));
    // an earlier clock fires nothing and moves nothing
    c.handle_timeout(ms(0));
    assert!(drain(&mut c, ms(0)).is_empty());
    assert_eq!(c.poll_timeout(), Some(ms(12_000)));
    // a request made "earlier" is sent as of the latest time
    get(&mut c, ms(5), true);
    c.handle_timeout(ms(12_000));
    assert_eq!(
        drain(&mut c, ms(12_000)).len(),
        1,
        "the first one's retransmission"
    );
}

#[test]
fn a_late_wake_up_does_not_stretch_the_back_off() {
    // sends due at 0, 2, 6, 14, 30 s; give-up at 62 s
    let mut c = Endpoint::new(no_jitter()).unwrap();
    let id = get(&mut c, ms(0), true);
    drain(&mut c, ms(0));
    // woken 700 ms late: one copy now, the next still due at 6 s
    c.handle_timeout(ms(2_700));
    assert_eq!(drain(&mut c, ms(2_700)).len(), 1);
    assert_eq!(c.poll_timeout(), Some(ms(6_000)));
    // woken past two deadlines (6 s and 14 s): one copy, the 14 s one
    // counted as made, the next at 30 s
    c.handle_timeout(ms(15_000));
    assert_eq!(drain(&mut c, ms(15_000)).len(), 1);
    assert_eq!(c.poll_timeout(), Some(ms(30_000)));
    c.handle_timeout(ms(30_000));
    assert_eq!(drain(&mut c, ms(30_000)).len(), 1);
    assert_eq!(c.poll_timeout(), Some(ms(62_000)));
    c.handle_timeout(ms(62_000));
    assert_eq!(
        events(&mut c),
        [Event::RequestFailed {
            request: id,
            reason: Failure::Timeout
        }]
    );
    assert_eq!(c.stats().retransmissions, 3);
}

#[test]
fn close_fails_what_is_outstanding_and_ends_idle() {
    let mut c = Endpoint::new(Config::new(1)).unwrap();
    let mut s = Endpoint::new(Config::new(2)).unwrap();
    let a = get(&mut c, ms(0), true);
    let b = get(&mut c, ms(0), true); // queued behind NSTART
    for (_, d) in drain(&mut c, ms(0)) {
        s.handle_datagram(ms(0), CLIENT, &d);
    }
    assert!(!c.is_idle() && !s.is_idle());
    c.close(ms(1));
    let mut failed: Vec<_> = events(&mut c)
        .into_iter()
        .map(|e| match e {
            Event::RequestFailed { request, reason } => (request, reason),
            other => panic!("{other:?}"),
        })
        .collect();
    failed.sort_by_key(|(id, _)| *id);
    assert_eq!(failed, [(a, Failure::Closed), (b, Failure::Closed)]);
    assert_eq!(get_err(&mut c), UsageError::Closed);
    assert!(c.is_idle() && c.is_closed());
    assert_eq!(c.poll_timeout(), None);
    // the server closes with an unanswered request: it is forgotten; a new
    // Confirmable request gets a Reset
    let Some(Event::Request { exchange, .. }) = s.poll_event() else {
        panic!()
    };
    s.close(ms(1));
    assert!(s.is_idle());
    assert_eq!(
        s.respond(ms(1), exchange, &Response::new(Code::CONTENT)),
        Err(UsageError::UnknownExchange)
    );
    s.handle_datagram(ms(2), CLIENT, b"\x40\x01\x00\x42");
    assert_eq!(
        drain(&mut s, ms(2)),
        [(CLIENT, b"\x70\x00\x00\x42".to_vec())]
    );
}

fn get_err(c: &mut Endpoint<u8>) -> UsageError {
    c.request(ms(1), SERVER, &Request::get(Options::EMPTY))
        .unwrap_err()
}

#[test]
fn requests_to_a_silent_peer_are_paced_at_probing_rate() {
    let params = TransmissionParams {
        probing_rate: 10, // bytes/s
        nstart: 2,
        ..TransmissionParams::default()
    };
    let mut c = Endpoint::new(Config::new(5).params(params)).unwrap();
    let a = get(&mut c, ms(0), false);
    assert_eq!(drain(&mut c, ms(0)).len(), 1);
    // no response: the NON times out, and the peer counts as silent
    let t = ms(0) + c.config().effective_non_request_timeout();
    c.handle_timeout(t);
    assert_eq!(
        events(&mut c),
        [Event::RequestFailed {
            request: a,
            reason: Failure::Timeout
        }]
    );
    // the next request goes at once; the one after it waits until the
    // first's bytes at 10 B/s have passed
    get(&mut c, t, false);
    let sent = drain(&mut c, t);
    assert_eq!(sent.len(), 1);
    let due = t + Duration::from_millis(sent[0].1.len() as u64 * 100);
    get(&mut c, t, false);
    assert!(drain(&mut c, t).is_empty(), "held by PROBING_RATE");
    assert_eq!(c.stats().paced, 1);
    assert_eq!(c.poll_timeout(), Some(due));
    c.handle_timeout(due - Duration::from_millis(1));
    assert!(drain(&mut c, due).is_empty());
    c.handle_timeout(due);
    assert_eq!(drain(&mut c, due).len(), 1, "sent when the rate allows");
    // anything heard from the peer ends the pacing: two more go at once
    // (the Reset matches nothing, and is counted so)
    c.handle_datagram(due, SERVER, b"\x70\x00\x00\x00");
    assert_eq!(c.stats().unmatched, 1);
    let mut fresh = Endpoint::new(Config::new(5).params(params)).unwrap();
    get(&mut fresh, ms(0), false);
    get(&mut fresh, ms(0), false);
    assert_eq!(
        drain(&mut fresh, ms(0)).len(),
        2,
        "a peer never silent is not paced"
    );
}

#[test]
fn multicast_requests_are_answered_within_the_leisure() {
    let mut s = Endpoint::new(Config::new(9)).unwrap();
    // NON GET /t, MID 7, token 0xaa, received on a group address
    s.handle_multicast_datagram(ms(0), CLIENT, b"\x51\x01\x00\x07\xaa\xb1t");
    let Some(Event::Request { exchange, .. }) = s.poll_event() else {
        panic!("no request")
    };
    s.respond(ms(0), exchange, &Response::new(Code::CONTENT).payload(b"x"))
        .unwrap();
    assert!(
        drain(&mut s, ms(0)).is_empty(),
        "not at once (RFC 7252 §8.2)"
    );
    let at = s.poll_timeout().expect("the response waits for its time");
    assert!(at <= ms(5_000), "within DEFAULT_LEISURE: {at}");
    s.handle_timeout(at);
    let out = drain(&mut s, at);
    assert_eq!(out.len(), 1);
    let m = Message::decode(&out[0].1).unwrap();
    assert_eq!(
        (m.mtype, m.code, m.payload),
        (MessageType::NonConfirmable, Code::CONTENT, &b"x"[..])
    );
    assert_eq!(m.token.as_bytes(), [0xaa]);
    // an error response to a multicast request is not sent at all
    s.handle_multicast_datagram(at, CLIENT, b"\x51\x01\x00\x08\xab\xb1t");
    let Some(Event::Request { exchange, .. }) = s.poll_event() else {
        panic!("no request")
    };
    s.respond(at, exchange, &Response::new(Code::NOT_FOUND))
        .unwrap();
    s.handle_timeout(at + Duration::from_secs(6));
    assert!(drain(&mut s, at + Duration::from_secs(6)).is_empty());
    assert_eq!(s.stats().multicast_suppressed, 1);
    // a Confirmable request to a group is ignored, never answered with a Reset
    s.handle_multicast_datagram(at, CLIENT, b"\x41\x01\x00\x09\xac\xb1t");
    s.handle_multicast_datagram(at, CLIENT, b"\x40\x01");
    assert!(drain(&mut s, at).is_empty() && s.poll_event().is_none());
    assert_eq!((s.stats().ignored, s.stats().malformed), (1, 1));
    assert!(s.is_idle());
}

#[test]
fn queues_are_bounded_when_nobody_polls() {
    let limits = Limits::constrained()
        .max_queued_transmits(2)
        .max_queued_events(2);
    let mut s = Endpoint::new(Config::new(4).limits(limits)).unwrap();
    // five pings: five Resets due, two kept
    for mid in 0..5u8 {
        s.handle_datagram(ms(0), CLIENT, &[0x40, 0x00, 0x00, mid]);
    }
    assert_eq!(s.stats().queued_transmits, 2);
    assert_eq!(s.stats().transmits_dropped, 3);
    // three NON requests: two events kept, the third not processed
    for mid in 10..13u8 {
        s.handle_datagram(ms(0), CLIENT, &[0x50, 0x01, 0x00, mid]);
    }
    assert_eq!(s.stats().queued_events, 2);
    assert_eq!(s.stats().overloaded, 1);
    // the one turned down was not remembered: sent again, it is processed
    assert_eq!(events(&mut s).len(), 2);
    s.handle_datagram(ms(1), CLIENT, &[0x50, 0x01, 0x00, 12]);
    assert_eq!(events(&mut s).len(), 1);
    assert_eq!(drain(&mut s, ms(1)).len(), 2);
    // an application answering everything but never sending: its own
    // responses get room past the limit (4 requests, 4 exchanges: 2 + 4 +
    // 8 in all), and no more
    for mid in 20..60u8 {
        s.handle_datagram(ms(2), CLIENT, &[0x50, 0x01, 0x00, mid]);
        for ev in events(&mut s) {
            if let Event::Request { exchange, .. } = ev {
                s.respond(ms(2), exchange, &Response::new(Code::CONTENT))
                    .unwrap();
            }
        }
        assert!(s.stats().queued_transmits <= 2 + 4 + 2 * 4);
    }
    assert_eq!(s.stats().queued_transmits, 14);
    assert!(s.stats().transmits_dropped > 3);
}

#[test]
fn invalid_configurations_are_refused() {
    use coap_codec::endpoint::ConfigError;
    let bad = |c: Config| Endpoint::<u8>::new(c).err();
    assert_eq!(
        bad(Config::new(0).token_len(9)),
        Some(ConfigError::TokenTooLong)
    );
    let p = TransmissionParams {
        nstart: 0,
        ..TransmissionParams::default()
    };
    assert_eq!(bad(Config::new(0).params(p)), Some(ConfigError::ZeroNstart));
    let p = TransmissionParams {
        ack_random_factor_milli: 999,
        ..TransmissionParams::default()
    };
    assert_eq!(
        bad(Config::new(0).params(p)),
        Some(ConfigError::AckRandomFactorBelowOne)
    );
    let l = Limits::default()
        .max_dedup_per_peer(10)
        .max_dedup_entries(5);
    assert_eq!(
        bad(Config::new(0).limits(l)),
        Some(ConfigError::DedupPerPeerAboveTotal)
    );
    let l = Limits::default().max_message_size(10);
    assert_eq!(
        bad(Config::new(0).limits(l)),
        Some(ConfigError::MessageSizeTooSmall)
    );
    let l = Limits::default().max_peers(0);
    assert_eq!(
        bad(Config::new(0).limits(l)),
        Some(ConfigError::ZeroLimit("max_peers"))
    );
    // derived timeouts follow the parameters unless set
    let slow = TransmissionParams {
        ack_timeout: Duration::from_secs(4),
        ..TransmissionParams::default()
    };
    let c = Config::new(0).params(slow);
    assert_eq!(c.effective_non_request_timeout(), slow.max_transmit_wait());
    assert_eq!(
        c.effective_separate_response_timeout(),
        slow.exchange_lifetime()
    );
    let c = c.non_request_timeout(Duration::from_secs(1));
    assert_eq!(c.effective_non_request_timeout(), Duration::from_secs(1));
}

#[test]
fn ids_are_counted_per_kind() {
    let mut c = Endpoint::new(Config::new(1)).unwrap();
    let mut s = Endpoint::new(Config::new(2)).unwrap();
    let r1 = get(&mut c, ms(0), false);
    let r2 = get(&mut c, ms(0), false);
    assert_ne!(r1, r2);
    for (_, d) in drain(&mut c, ms(0)) {
        s.handle_datagram(ms(0), CLIENT, &d);
    }
    let Some(Event::Request { exchange, .. }) = s.poll_event() else {
        panic!()
    };
    // the server's first exchange and the client's first request are
    // numbered by their own counters
    assert_eq!(format!("{exchange:?}"), "ExchangeId(0)");
    assert_eq!(format!("{r1:?}"), "RequestId(0)");
}

#[test]
fn a_reply_over_the_byte_budget_still_catches_its_duplicates() {
    // a dedup byte budget smaller than one piggybacked response
    let limits = Limits::default().max_dedup_bytes(8);
    let mut s = Endpoint::new(Config::new(0).limits(limits)).unwrap();
    s.handle_datagram(ms(0), CLIENT, b"\x40\x01\x00\x77");
    let Some(Event::Request { exchange, .. }) = s.poll_event() else {
        panic!()
    };
    s.respond(
        ms(0),
        exchange,
        &Response::new(Code::CONTENT).payload(b"a long answer"),
    )
    .unwrap();
    assert_eq!(drain(&mut s, ms(0)).len(), 1);
    assert_eq!(s.stats().dedup_bytes, 0);
    // the duplicate is not processed again (its reply was not kept)
    s.handle_datagram(ms(10), CLIENT, b"\x40\x01\x00\x77");
    assert!(s.poll_event().is_none());
    assert_eq!(s.stats().duplicates, 1);
    // and the entry still expires with its lifetime
    let life = TransmissionParams::default().exchange_lifetime();
    s.handle_timeout(ms(0) + life);
    assert_eq!(s.stats().dedup_entries, 0);
}
