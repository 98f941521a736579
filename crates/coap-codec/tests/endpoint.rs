//! The endpoint's message and request layers, scripted with exact times.
//!
//! Peers are `u8` addresses: 1 is the client, 2 the server. A test either
//! plays one side with hand-written datagrams (to check exact bytes, as in
//! RFC 7252 Appendix A) or wires two endpoints together.

use core::time::Duration;

use coap_codec::endpoint::{
    Config, Endpoint, Event, Failure, Limits, Request, Response, TransmissionParams,
};
use coap_codec::{Code, Instant, Message, MessageType, OptionNumber, Options, OwnedMessage};

mod support;
use support::{client_get, drain, events, ms, no_jitter, CLIENT, SERVER};

fn one_request(ep: &mut Endpoint<u8>) -> (coap_codec::endpoint::ExchangeId, OwnedMessage) {
    let ev = events(ep);
    match &ev[..] {
        [Event::Request {
            exchange, request, ..
        }] => (*exchange, request.clone()),
        other => panic!("expected one request, got {other:?}"),
    }
}

const TEMPERATURE_GET: &[u8] = b"\x40\x01\x7d\x34\xbbtemperature";

#[test]
fn appendix_a_piggybacked_response() {
    // RFC 7252 Figure 16: CON GET /temperature, MID 0x7d34, no token;
    // ACK 2.05 "22.3 C" with the same MID.
    let mut server = Endpoint::new(Config::new(0)).unwrap();
    server.handle_datagram(ms(0), CLIENT, TEMPERATURE_GET);
    let (x, req) = one_request(&mut server);
    let m = req.as_message();
    assert_eq!(m.code, Code::GET);
    assert_eq!(m.uri_path().collect::<Vec<_>>(), ["temperature"]);
    assert!(
        drain(&mut server, ms(0)).is_empty(),
        "nothing before the response"
    );
    server
        .respond(ms(5), x, &Response::new(Code::CONTENT).payload(b"22.3 C"))
        .unwrap();
    assert_eq!(
        drain(&mut server, ms(5)),
        [(CLIENT, b"\x60\x45\x7d\x34\xff22.3 C".to_vec())]
    );
    // the empty-ACK timer is gone: the exchange is over
    assert_eq!(server.poll_timeout(), None);
    assert_eq!(
        server.respond(ms(6), x, &Response::new(Code::CONTENT)),
        Err(coap_codec::endpoint::UsageError::UnknownExchange)
    );
}

#[test]
fn appendix_a_lost_ack_is_replayed_not_reprocessed() {
    // RFC 7252 Figure 18: the ACK is lost, the client retransmits the CON,
    // the server answers with the same ACK and does not process it again.
    let mut server = Endpoint::new(Config::new(0)).unwrap();
    server.handle_datagram(ms(0), CLIENT, TEMPERATURE_GET);
    let (x, _) = one_request(&mut server);
    server
        .respond(ms(1), x, &Response::new(Code::CONTENT).payload(b"22.3 C"))
        .unwrap();
    let ack = drain(&mut server, ms(1));
    server.handle_datagram(ms(2500), CLIENT, TEMPERATURE_GET);
    assert!(events(&mut server).is_empty(), "processed twice");
    assert_eq!(drain(&mut server, ms(2500)), ack);
    // the same Message ID from another peer is another message
    server.handle_datagram(ms(2600), 9, TEMPERATURE_GET);
    assert_eq!(one_request(&mut server).1.as_message().message_id, 0x7d34);
}

#[test]
fn appendix_a_separate_response() {
    // RFC 7252 Figure 19 style: CON GET with token 0x71; the server is slow:
    // empty ACK, then a CON 2.05 with its own MID and the same token,
    // acknowledged by the client.
    let mut server = Endpoint::new(Config::new(0)).unwrap();
    server.handle_datagram(ms(0), CLIENT, b"\x41\x01\x7d\x37\x71\xbbtemperature");
    let (x, _) = one_request(&mut server);
    assert_eq!(server.poll_timeout(), Some(ms(1000)), "empty ACK delay");
    server.handle_timeout(ms(999));
    assert!(drain(&mut server, ms(999)).is_empty());
    server.handle_timeout(ms(1000));
    assert_eq!(
        drain(&mut server, ms(1000)),
        [(CLIENT, b"\x60\x00\x7d\x37".to_vec())]
    );
    // a retransmitted request now gets the empty ACK again
    server.handle_datagram(ms(2100), CLIENT, b"\x41\x01\x7d\x37\x71\xbbtemperature");
    assert_eq!(
        drain(&mut server, ms(2100)),
        [(CLIENT, b"\x60\x00\x7d\x37".to_vec())]
    );
    assert!(events(&mut server).is_empty());

    server
        .respond(
            ms(3000),
            x,
            &Response::new(Code::CONTENT).payload(b"22.3 C"),
        )
        .unwrap();
    let out = drain(&mut server, ms(3000));
    assert_eq!(out.len(), 1);
    let sep = Message::decode(&out[0].1).unwrap();
    assert_eq!(sep.mtype, MessageType::Confirmable);
    assert_eq!(sep.code, Code::CONTENT);
    assert_eq!(sep.token.as_bytes(), &[0x71]);
    assert_eq!(sep.payload, b"22.3 C");
    // retransmitted until acknowledged
    let first = server.poll_timeout().unwrap();
    assert!(first >= ms(5000) && first <= ms(6000), "{first:?}");
    server.handle_timeout(first);
    assert_eq!(drain(&mut server, first), out);
    let mid = sep.message_id.to_be_bytes();
    server.handle_datagram(first, CLIENT, &[0x60, 0x00, mid[0], mid[1]]);
    assert_eq!(
        events(&mut server),
        [Event::ResponseAcknowledged { exchange: x }]
    );
    assert_eq!(server.poll_timeout(), None);
}

#[test]
fn appendix_a_non_request_gets_non_response() {
    // RFC 7252 Figure 20 style: NON GET token 0x74; NON 2.05 with a fresh
    // MID and the same token.
    let mut server = Endpoint::new(Config::new(0)).unwrap();
    server.handle_datagram(ms(0), CLIENT, b"\x51\x01\x7d\x38\x74\xbbtemperature");
    let (x, _) = one_request(&mut server);
    server
        .respond(ms(1), x, &Response::new(Code::CONTENT).payload(b"22.3 C"))
        .unwrap();
    let out = drain(&mut server, ms(1));
    let m = Message::decode(&out[0].1).unwrap();
    assert_eq!(m.mtype, MessageType::NonConfirmable);
    assert_eq!(m.token.as_bytes(), &[0x74]);
    assert_ne!(m.message_id, 0x7d38);
    // duplicates of a NON are ignored
    server.handle_datagram(ms(10), CLIENT, b"\x51\x01\x7d\x38\x74\xbbtemperature");
    assert!(events(&mut server).is_empty());
    assert!(drain(&mut server, ms(10)).is_empty());
}

#[test]
fn retransmission_schedule_without_jitter() {
    // ACK_TIMEOUT 2 s, factor 1.0, MAX_RETRANSMIT 4: sends at 0, 2, 6, 14,
    // 30 s; gives up at 62 s.
    let mut c = Endpoint::new(no_jitter()).unwrap();
    let id = client_get(&mut c, ms(0), true);
    let first = drain(&mut c, ms(0));
    assert_eq!(first.len(), 1);
    let mut sends = vec![0u64];
    while let Some(t) = c.poll_timeout() {
        c.handle_timeout(t);
        let out = drain(&mut c, t);
        if out.is_empty() {
            assert_eq!(
                events(&mut c),
                [Event::RequestFailed {
                    request: id,
                    reason: Failure::Timeout
                }]
            );
            sends.push(t.as_millis());
            break;
        }
        assert_eq!(out, first, "retransmissions are identical");
        sends.push(t.as_millis());
    }
    assert_eq!(sends, [0, 2000, 6000, 14000, 30000, 62000]);
}

#[test]
fn retransmission_schedule_with_jitter_is_bounded_by_max_transmit_wait() {
    for seed in 0..50 {
        let mut c = Endpoint::new(Config::new(seed)).unwrap();
        client_get(&mut c, ms(0), true);
        let _ = drain(&mut c, ms(0));
        let t0 = c.poll_timeout().unwrap().as_millis();
        assert!((2000..=3000).contains(&t0), "initial timeout {t0}");
        let mut times = vec![];
        while let Some(t) = c.poll_timeout() {
            c.handle_timeout(t);
            let _ = drain(&mut c, t);
            times.push(t.as_millis());
        }
        // T, 3T, 7T, 15T, then give up at 31T <= MAX_TRANSMIT_WAIT (93 s)
        assert_eq!(times, [t0, 3 * t0, 7 * t0, 15 * t0, 31 * t0], "seed {seed}");
        assert!(31 * t0 <= 93_000);
        assert!(matches!(
            events(&mut c)[..],
            [Event::RequestFailed {
                reason: Failure::Timeout,
                ..
            }]
        ));
    }
}

#[test]
fn same_seed_same_behaviour() {
    let run = |seed| {
        let mut c = Endpoint::new(Config::new(seed)).unwrap();
        client_get(&mut c, ms(0), true);
        (drain(&mut c, ms(0)), c.poll_timeout())
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn tokens_have_the_configured_length() {
    for len in [0u8, 1, 4, 8] {
        let mut c = Endpoint::new(Config::new(0).token_len(len)).unwrap();
        client_get(&mut c, ms(0), true);
        let out = drain(&mut c, ms(0));
        assert_eq!(
            Message::decode(&out[0].1).unwrap().token.len(),
            usize::from(len)
        );
    }
    // with zero-length tokens, only one request per peer can be told apart
    let mut c = Endpoint::new(Config::new(0).token_len(0)).unwrap();
    client_get(&mut c, ms(0), true);
    let r = c.request(ms(0), SERVER, &Request::get(Options::EMPTY));
    assert_eq!(r, Err(coap_codec::endpoint::UsageError::TokenInUse));
}

/// Passes datagrams between two endpoints until both are quiet at `now`.
fn exchange(a: &mut Endpoint<u8>, a_addr: u8, b: &mut Endpoint<u8>, b_addr: u8, now: Instant) {
    loop {
        let from_a = drain(a, now);
        let from_b = drain(b, now);
        if from_a.is_empty() && from_b.is_empty() {
            break;
        }
        for (to, d) in from_a {
            assert_eq!(to, b_addr);
            b.handle_datagram(now, a_addr, &d);
        }
        for (to, d) in from_b {
            assert_eq!(to, a_addr);
            a.handle_datagram(now, b_addr, &d);
        }
    }
}

#[test]
fn client_and_server_piggybacked() {
    let mut c = Endpoint::new(Config::new(1)).unwrap();
    let mut s = Endpoint::new(Config::new(2)).unwrap();
    let id = client_get(&mut c, ms(0), true);
    exchange(&mut c, CLIENT, &mut s, SERVER, ms(0));
    let (x, req) = one_request(&mut s);
    assert_eq!(req.as_message().mtype, MessageType::Confirmable);
    s.respond(ms(0), x, &Response::new(Code::CONTENT).payload(b"v"))
        .unwrap();
    exchange(&mut c, CLIENT, &mut s, SERVER, ms(0));
    match &events(&mut c)[..] {
        [Event::Response {
            request,
            response,
            peer,
        }] => {
            assert_eq!((*request, *peer), (id, SERVER));
            let m = response.as_message();
            assert_eq!(
                (m.mtype, m.code, m.payload),
                (MessageType::Acknowledgement, Code::CONTENT, &b"v"[..])
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.poll_timeout(), None);
    assert_eq!(c.stats().requests, 0);
}

#[test]
fn client_separate_response_after_empty_ack() {
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    let mut s = Endpoint::new(Config::new(0)).unwrap();
    let id = client_get(&mut c, ms(0), true);
    exchange(&mut c, CLIENT, &mut s, SERVER, ms(0));
    let (x, _) = one_request(&mut s);
    // the server's empty-ACK timer fires before the client retransmits
    s.handle_timeout(ms(1000));
    exchange(&mut c, CLIENT, &mut s, SERVER, ms(1000));
    assert_eq!(events(&mut c), [Event::Acknowledged { request: id }]);
    // no more retransmissions; the client waits for the separate response
    assert_eq!(
        c.poll_timeout(),
        Some(ms(1000) + Config::new(0).effective_separate_response_timeout())
    );
    s.respond(ms(4000), x, &Response::new(Code::CONTENT).payload(b"late"))
        .unwrap();
    exchange(&mut c, CLIENT, &mut s, SERVER, ms(4000));
    match &events(&mut c)[..] {
        [Event::Response {
            request, response, ..
        }] => {
            assert_eq!(*request, id);
            assert_eq!(response.as_message().mtype, MessageType::Confirmable);
            assert_eq!(response.as_message().payload, b"late");
        }
        other => panic!("{other:?}"),
    }
    // the client acknowledged it, so the server stops retransmitting
    assert_eq!(
        events(&mut s),
        [Event::ResponseAcknowledged { exchange: x }]
    );
    assert_eq!(s.poll_timeout().map(|_| ()), None);
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn separate_con_response_duplicate_is_acked_again_not_redelivered() {
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    let id = client_get(&mut c, ms(0), true);
    let out = drain(&mut c, ms(0));
    let sent = Message::decode(&out[0].1).unwrap();
    let [hi, lo] = sent.message_id.to_be_bytes();
    c.handle_datagram(ms(100), SERVER, &[0x60, 0, hi, lo]);
    assert_eq!(events(&mut c), [Event::Acknowledged { request: id }]);
    let token = sent.token.as_bytes();
    let mut resp = vec![0x40 | token.len() as u8, 0x45, 0xab, 0xcd];
    resp.extend_from_slice(token);
    resp.extend_from_slice(b"\xffok");
    c.handle_datagram(ms(4000), SERVER, &resp);
    assert!(matches!(&events(&mut c)[..], [Event::Response { request, .. }] if *request == id));
    assert_eq!(
        drain(&mut c, ms(4000)),
        [(SERVER, b"\x60\x00\xab\xcd".to_vec())]
    );
    // the ACK was lost, the server retransmits: ACK again, no second event
    c.handle_datagram(ms(6500), SERVER, &resp);
    assert!(events(&mut c).is_empty(), "delivered twice");
    assert_eq!(
        drain(&mut c, ms(6500)),
        [(SERVER, b"\x60\x00\xab\xcd".to_vec())]
    );
}

#[test]
fn unknown_and_late_responses_get_a_reset() {
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    // nobody asked
    c.handle_datagram(ms(0), SERVER, b"\x52\x45\x00\x01\xaa\xbb\xff1");
    assert_eq!(
        drain(&mut c, ms(0)),
        [(SERVER, b"\x70\x00\x00\x01".to_vec())]
    );
    assert!(events(&mut c).is_empty());
    assert_eq!(c.stats().unknown_tokens, 1);
    // a cancelled request: its response is answered with RST too
    let id = client_get(&mut c, ms(0), false);
    let token = Message::decode(&drain(&mut c, ms(0))[0].1).unwrap().token;
    c.cancel(ms(0), id);
    let mut resp = vec![0x50 | token.len() as u8, 0x45, 0x00, 0x02];
    resp.extend_from_slice(token.as_bytes());
    c.handle_datagram(ms(5), SERVER, &resp);
    assert_eq!(
        drain(&mut c, ms(5)),
        [(SERVER, b"\x70\x00\x00\x02".to_vec())]
    );
    assert!(events(&mut c).is_empty());
    assert_eq!(c.stats().unknown_tokens, 2);
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn piggybacked_ack_with_wrong_token_is_ignored() {
    let mut c = Endpoint::new(no_jitter()).unwrap();
    let id = client_get(&mut c, ms(0), true);
    let out = drain(&mut c, ms(0));
    let sent = Message::decode(&out[0].1).unwrap();
    let [hi, lo] = sent.message_id.to_be_bytes();
    // same MID, other token
    c.handle_datagram(ms(10), SERVER, &[0x61, 0x45, hi, lo, 0x99, 0xff, b'x']);
    assert!(events(&mut c).is_empty());
    assert_eq!(c.poll_timeout(), Some(ms(2000)), "still retransmitting");
    // the right one
    let mut ack = vec![0x60 | sent.token.len() as u8, 0x45, hi, lo];
    ack.extend_from_slice(sent.token.as_bytes());
    c.handle_datagram(ms(20), SERVER, &ack);
    assert!(matches!(&events(&mut c)[..], [Event::Response { request, .. }] if *request == id));
}

#[test]
fn reset_fails_the_request() {
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    let id = client_get(&mut c, ms(0), true);
    let mid = Message::decode(&drain(&mut c, ms(0))[0].1)
        .unwrap()
        .message_id;
    let [hi, lo] = mid.to_be_bytes();
    c.handle_datagram(ms(1), SERVER, &[0x70, 0, hi, lo]);
    assert_eq!(
        events(&mut c),
        [Event::RequestFailed {
            request: id,
            reason: Failure::Reset
        }]
    );
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn ping_and_pong() {
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    let mut s = Endpoint::new(Config::new(0)).unwrap();
    let id = c.ping(ms(0), SERVER).unwrap();
    let out = drain(&mut c, ms(0));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1.len(), 4);
    assert_eq!(out[0].1[..2], [0x40, 0x00]);
    s.handle_datagram(ms(0), CLIENT, &out[0].1);
    let rst = drain(&mut s, ms(0));
    assert_eq!(rst[0].1[..2], [0x70, 0x00]);
    assert_eq!(rst[0].1[2..], out[0].1[2..]);
    assert!(events(&mut s).is_empty(), "a ping is not a request");
    c.handle_datagram(ms(0), SERVER, &rst[0].1);
    assert_eq!(events(&mut c), [Event::Pong { request: id }]);
}

#[test]
fn malformed_messages() {
    let mut s = Endpoint::new(Config::new(0)).unwrap();
    // CON with a format error (TKL 9): RST
    s.handle_datagram(ms(0), CLIENT, b"\x49\x01\x12\x34");
    assert_eq!(
        drain(&mut s, ms(0)),
        [(CLIENT, b"\x70\x00\x12\x34".to_vec())]
    );
    // NON with a format error (payload marker, no payload): silence
    s.handle_datagram(ms(0), CLIENT, b"\x50\x01\x12\x35\xff");
    assert!(drain(&mut s, ms(0)).is_empty());
    // version 2 CON: silence
    s.handle_datagram(ms(0), CLIENT, b"\x80\x01\x12\x36");
    assert!(drain(&mut s, ms(0)).is_empty());
    // too short: silence
    s.handle_datagram(ms(0), CLIENT, b"\x40\x01");
    assert!(drain(&mut s, ms(0)).is_empty());
    // ACK / RST with a format error: silence
    s.handle_datagram(ms(0), CLIENT, b"\x60\x01\x12\x37");
    s.handle_datagram(ms(0), CLIENT, b"\x70\x45\x12\x38");
    assert!(drain(&mut s, ms(0)).is_empty());
    // an Empty NON is ignored
    s.handle_datagram(ms(0), CLIENT, b"\x50\x00\x12\x39");
    assert!(drain(&mut s, ms(0)).is_empty());
    assert!(events(&mut s).is_empty());
    let stats = s.stats();
    assert_eq!((stats.malformed, stats.ignored), (6, 1));
    assert_eq!(stats.datagrams_received, 7);
}

#[test]
fn unrecognized_critical_option_gets_bad_option() {
    let mut s = Endpoint::new(Config::new(0)).unwrap();
    // CON GET with option 2051 (critical, unregistered): ACK 4.02
    s.handle_datagram(ms(0), CLIENT, b"\x41\x01\x00\x07\x55\xe0\x06\xf6");
    assert_eq!(
        drain(&mut s, ms(0)),
        [(CLIENT, b"\x61\x82\x00\x07\x55".to_vec())]
    );
    assert!(events(&mut s).is_empty());
    assert_eq!(s.stats().bad_options, 1);
    // the same as NON is rejected (RFC 7252 §5.4.1): no answer, and no
    // state spent on the sender
    let peers = s.stats().peers;
    s.handle_datagram(ms(0), CLIENT, b"\x51\x01\x00\x08\x56\xe0\x06\xf6");
    assert!(drain(&mut s, ms(0)).is_empty());
    assert!(events(&mut s).is_empty());
    assert_eq!(s.stats().bad_options, 2);
    assert_eq!(s.stats().peers, peers);
    // an unrecognized elective option (2050) is ignored: the request goes through
    s.handle_datagram(ms(0), CLIENT, b"\x41\x01\x00\x09\x57\xe0\x06\xf5");
    let (_, req) = one_request(&mut s);
    assert_eq!(
        req.as_message().options.iter().next().unwrap().number,
        OptionNumber(2050)
    );
    // Uri-Host twice (critical, not repeatable): 4.02
    s.handle_datagram(ms(0), CLIENT, b"\x40\x01\x00\x0a\x31a\x01b");
    assert_eq!(
        drain(&mut s, ms(0)),
        [(CLIENT, b"\x60\x82\x00\x0a".to_vec())]
    );
    // an application that does not do OSCORE refuses it
    let mut strict = Endpoint::new(
        Config::new(0).recognized(|n| n.definition().is_some() && n != OptionNumber::OSCORE),
    )
    .unwrap();
    strict.handle_datagram(ms(0), CLIENT, b"\x40\x02\x00\x0b\x90");
    assert_eq!(
        drain(&mut strict, ms(0)),
        [(CLIENT, b"\x60\x82\x00\x0b".to_vec())]
    );
}

#[test]
fn no_response_suppresses_what_it_names() {
    let mut s = Endpoint::new(Config::new(0)).unwrap();
    // CON GET, No-Response 2 (not interested in 2.xx): only an empty ACK
    s.handle_datagram(ms(0), CLIENT, b"\x40\x01\x00\x01\xd1\xf5\x02");
    let (x, req) = one_request(&mut s);
    assert_eq!(req.as_message().no_response(), 2);
    s.respond(ms(0), x, &Response::new(Code::CONTENT).payload(b"x"))
        .unwrap();
    assert_eq!(
        drain(&mut s, ms(0)),
        [(CLIENT, b"\x60\x00\x00\x01".to_vec())]
    );
    // ...but a 4.04 is sent
    s.handle_datagram(ms(0), CLIENT, b"\x40\x01\x00\x02\xd1\xf5\x02");
    let (x, _) = one_request(&mut s);
    s.respond(ms(0), x, &Response::new(Code::NOT_FOUND))
        .unwrap();
    assert_eq!(
        drain(&mut s, ms(0)),
        [(CLIENT, b"\x60\x84\x00\x02".to_vec())]
    );
    // NON with No-Response 26 (everything): nothing at all
    s.handle_datagram(ms(0), CLIENT, b"\x50\x01\x00\x03\xd1\xf5\x1a");
    let (x, _) = one_request(&mut s);
    s.respond(ms(0), x, &Response::new(Code::INTERNAL_SERVER_ERROR))
        .unwrap();
    assert!(drain(&mut s, ms(0)).is_empty());
}

#[test]
fn dedup_lifetimes() {
    let mut s = Endpoint::new(Config::new(0)).unwrap();
    let life = TransmissionParams::default().exchange_lifetime();
    s.handle_datagram(ms(0), CLIENT, TEMPERATURE_GET);
    let (x, _) = one_request(&mut s);
    s.respond(ms(0), x, &Response::new(Code::CONTENT)).unwrap();
    let ack = drain(&mut s, ms(0));
    // within EXCHANGE_LIFETIME: a duplicate
    let last = ms(0) + life - Duration::from_millis(1);
    s.handle_datagram(last, CLIENT, TEMPERATURE_GET);
    assert!(events(&mut s).is_empty());
    assert_eq!(drain(&mut s, last), ack);
    // after it: a new request
    s.handle_datagram(ms(0) + life, CLIENT, TEMPERATURE_GET);
    one_request(&mut s);

    // NON: NON_LIFETIME (145 s)
    let non_life = TransmissionParams::default().non_lifetime();
    let t0 = ms(0) + life;
    s.handle_datagram(t0, CLIENT, b"\x50\x01\x01\x01");
    one_request(&mut s);
    s.handle_datagram(
        t0 + non_life - Duration::from_millis(1),
        CLIENT,
        b"\x50\x01\x01\x01",
    );
    assert!(events(&mut s).is_empty());
    s.handle_datagram(t0 + non_life, CLIENT, b"\x50\x01\x01\x01");
    one_request(&mut s);
}

#[test]
fn dedup_cache_is_bounded_per_peer_and_in_total() {
    let limits = Limits::default()
        .max_dedup_entries(50)
        .max_dedup_per_peer(10)
        .max_server_exchanges(10_000)
        .max_queued_events(10_000);
    let mut s = Endpoint::new(Config::new(0).limits(limits)).unwrap();
    for peer in 0..10u8 {
        for mid in 0..30u16 {
            let [hi, lo] = mid.to_be_bytes();
            s.handle_datagram(ms(u64::from(mid)), peer, &[0x50, 0x01, hi, lo]);
            assert!(s.stats().dedup_entries <= 50);
        }
    }
    assert_eq!(s.stats().dedup_entries, 50);
    // the oldest were evicted: peer 9's first message is new again, its
    // latest still a duplicate
    let _ = events(&mut s);
    s.handle_datagram(ms(100), 9, &[0x50, 0x01, 0, 29]);
    assert!(events(&mut s).is_empty());
    s.handle_datagram(ms(100), 9, &[0x50, 0x01, 0, 0]);
    assert_eq!(events(&mut s).len(), 1);
}

#[test]
fn nstart_queues_requests() {
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    let mut s = Endpoint::new(Config::new(0)).unwrap();
    let a = client_get(&mut c, ms(0), true);
    let b = client_get(&mut c, ms(0), true);
    let out = drain(&mut c, ms(0));
    assert_eq!(out.len(), 1, "NSTART = 1");
    assert_eq!(c.stats().requests, 2);
    for (_, d) in out {
        s.handle_datagram(ms(0), CLIENT, &d);
    }
    let (x, _) = one_request(&mut s);
    s.respond(ms(0), x, &Response::new(Code::CONTENT)).unwrap();
    exchange(&mut c, CLIENT, &mut s, SERVER, ms(1));
    // the answer to `a` lets `b` go, which the server then sees
    let ev = events(&mut c);
    assert!(matches!(&ev[..], [Event::Response { request, .. }] if *request == a));
    let (x, _) = one_request(&mut s);
    s.respond(ms(2), x, &Response::new(Code::CONTENT)).unwrap();
    exchange(&mut c, CLIENT, &mut s, SERVER, ms(2));
    assert!(matches!(&events(&mut c)[..], [Event::Response { request, .. }] if *request == b));
    // NSTART 2 sends both at once
    let mut c2 = Endpoint::new(Config::new(0).params(TransmissionParams {
        nstart: 2,
        ..TransmissionParams::default()
    }))
    .unwrap();
    client_get(&mut c2, ms(0), true);
    client_get(&mut c2, ms(0), true);
    assert_eq!(drain(&mut c2, ms(0)).len(), 2);
}

#[test]
fn strangers_cannot_exhaust_peer_state_with_bad_non_requests() {
    // NON requests with an unknown critical option from many (spoofable)
    // sources: rejected without a Message ID or peer state each
    let mut s = Endpoint::new(Config::new(0).limits(Limits::default().max_peers(4))).unwrap();
    for peer in 10..=255u8 {
        s.handle_datagram(ms(0), peer, b"\x50\x01\x00\x01\xe0\xfc\xdc");
    }
    assert_eq!(s.stats().peers, 0);
    assert!(drain(&mut s, ms(0)).is_empty());
    // our own requests to new peers still go out
    let _ = events(&mut s);
    assert!(s.request(ms(1), 3, &Request::get(Options::EMPTY)).is_ok());
}

#[test]
fn queued_requests_go_in_order_one_at_a_time() {
    // NSTART 1: a, b, c queued behind each other go in order, one at a time
    let mut c = Endpoint::new(no_jitter()).unwrap();
    let ids: Vec<_> = (0..3).map(|_| client_get(&mut c, ms(0), true)).collect();
    let mut order = vec![];
    let mut now = ms(0);
    for _ in 0..3 {
        let out = drain(&mut c, now);
        assert_eq!(out.len(), 1, "NSTART = 1 at {now}");
        let m = Message::decode(&out[0].1).unwrap();
        let mut ack = vec![0x60 | m.token.len() as u8, 0x45];
        ack.extend_from_slice(&m.message_id.to_be_bytes());
        ack.extend_from_slice(m.token.as_bytes());
        now += Duration::from_millis(10);
        c.handle_datagram(now, SERVER, &ack);
        for e in events(&mut c) {
            if let Event::Response { request, .. } = e {
                order.push(request);
            }
        }
    }
    assert_eq!(order, ids);
}

#[test]
fn ack_timeout_below_a_millisecond_is_refused() {
    let zero = TransmissionParams {
        ack_timeout: Duration::ZERO,
        ..TransmissionParams::default()
    };
    assert_eq!(
        Endpoint::<u8>::new(Config::new(0).params(zero)).err(),
        Some(coap_codec::endpoint::ConfigError::AckTimeoutTooShort)
    );
    let mut c = Endpoint::new(Config::new(0).params(TransmissionParams {
        ack_timeout: Duration::from_millis(1),
        ack_random_factor_milli: 1000,
        max_retransmit: 4,
        ..TransmissionParams::default()
    }))
    .unwrap();
    client_get(&mut c, ms(0), true);
    let _ = drain(&mut c, ms(0));
    assert_eq!(c.poll_timeout(), Some(ms(1)));
    // one retransmission per timer, never a burst
    c.handle_timeout(ms(1));
    assert_eq!(drain(&mut c, ms(1)).len(), 1);
    assert_eq!(c.poll_timeout(), Some(ms(3)));
}

#[test]
fn cancel_lets_the_next_queued_request_go() {
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    let a = client_get(&mut c, ms(0), true);
    let _b = client_get(&mut c, ms(0), true);
    assert_eq!(drain(&mut c, ms(0)).len(), 1, "NSTART = 1: b waits");
    c.cancel(ms(10), a);
    assert_eq!(drain(&mut c, ms(10)).len(), 1, "b goes once a is cancelled");
    assert_eq!(c.stats().requests, 1);
}

#[test]
fn non_request_times_out() {
    let cfg = Config::new(0);
    let mut c = Endpoint::new(cfg).unwrap();
    let id = client_get(&mut c, ms(0), false);
    assert_eq!(drain(&mut c, ms(0)).len(), 1);
    assert_eq!(
        c.poll_timeout(),
        Some(ms(0) + cfg.effective_non_request_timeout())
    );
    c.handle_timeout(ms(0) + cfg.effective_non_request_timeout());
    assert!(
        drain(&mut c, ms(93_000)).is_empty(),
        "NON is never retransmitted"
    );
    assert_eq!(
        events(&mut c),
        [Event::RequestFailed {
            request: id,
            reason: Failure::Timeout
        }]
    );
}

#[test]
fn multicast_gathers_responses_until_the_timeout() {
    const GROUP: u8 = 200;
    let mut c = Endpoint::new(Config::new(0)).unwrap();
    let id = c
        .request_multicast(ms(0), GROUP, &Request::get(Options::EMPTY))
        .unwrap();
    let out = drain(&mut c, ms(0));
    assert_eq!(out[0].0, GROUP);
    let req = Message::decode(&out[0].1).unwrap();
    assert_eq!(req.mtype, MessageType::NonConfirmable);
    let mut servers: Vec<Endpoint<u8>> = (0..3)
        .map(|i| Endpoint::new(Config::new(i)).unwrap())
        .collect();
    for (i, s) in servers.iter_mut().enumerate() {
        s.handle_datagram(ms(10), CLIENT, &out[0].1);
        let (x, _) = one_request(s);
        let body = [b'0' + i as u8];
        s.respond(ms(10), x, &Response::new(Code::CONTENT).payload(&body))
            .unwrap();
        for (_, d) in drain(s, ms(10)) {
            c.handle_datagram(ms(20), 10 + i as u8, &d);
        }
    }
    let ev = events(&mut c);
    let peers: Vec<u8> = ev
        .iter()
        .map(|e| match e {
            Event::Response { request, peer, .. } => {
                assert_eq!(*request, id);
                *peer
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(peers, [10, 11, 12]);
    let t = c.poll_timeout().unwrap();
    assert_eq!(t, ms(0) + Config::new(0).multicast_timeout);
    c.handle_timeout(t);
    assert_eq!(events(&mut c), [Event::MulticastDone { request: id }]);
}

#[test]
fn overload_gets_service_unavailable() {
    let mut s =
        Endpoint::new(Config::new(0).limits(Limits::default().max_server_exchanges(1))).unwrap();
    s.handle_datagram(ms(0), CLIENT, b"\x40\x01\x00\x01");
    one_request(&mut s);
    s.handle_datagram(ms(0), CLIENT, b"\x41\x01\x00\x02\x33");
    assert_eq!(
        drain(&mut s, ms(0)),
        [(CLIENT, b"\x61\xa3\x00\x02\x33".to_vec())]
    );
    assert!(events(&mut s).is_empty());
    assert_eq!(s.stats().overloaded, 1);
    assert_eq!(s.stats().server_exchanges, 1);
}

#[test]
fn too_large_request_gets_4_13_with_size1() {
    let mut s =
        Endpoint::new(Config::new(0).limits(Limits::default().max_message_size(64))).unwrap();
    let mut d = b"\x40\x02\x00\x05\xff".to_vec();
    d.extend_from_slice(&[0x61; 80]);
    s.handle_datagram(ms(0), CLIENT, &d);
    let out = drain(&mut s, ms(0));
    let m = Message::decode(&out[0].1).unwrap();
    assert_eq!(m.code, Code::REQUEST_ENTITY_TOO_LARGE);
    assert_eq!(m.size1(), Some(64));
    // an oversized request of ours is refused locally
    let mut c =
        Endpoint::new(Config::new(0).limits(Limits::default().max_message_size(64))).unwrap();
    let big = [0u8; 100];
    assert_eq!(
        c.request(
            ms(0),
            SERVER,
            &Request::new(Code::POST, Options::EMPTY).payload(&big)
        ),
        Err(coap_codec::endpoint::UsageError::MessageTooLarge(109))
    );
}

#[test]
fn message_ids_differ_and_follow_on() {
    let mut c = Endpoint::new(
        Config::new(0)
            .params(TransmissionParams {
                nstart: 1000,
                ..TransmissionParams::default()
            })
            .limits(Limits::default().max_requests(1000)),
    )
    .unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut tokens = std::collections::HashSet::new();
    for _ in 0..500 {
        client_get(&mut c, ms(0), false);
    }
    for (_, d) in drain(&mut c, ms(0)) {
        let m = Message::decode(&d).unwrap();
        assert!(seen.insert(m.message_id));
        assert!(tokens.insert(m.token));
    }
    assert_eq!(seen.len(), 500);
    // consecutive: one allocator per peer, counting up from a random start
    let mut ids: Vec<u16> = seen.into_iter().collect();
    ids.sort_unstable();
    let spread = ids.windows(2).filter(|w| w[1] - w[0] != 1).count();
    assert!(spread <= 1, "message IDs not sequential: {spread} gaps");
}

#[test]
fn request_limit() {
    let mut c = Endpoint::new(Config::new(0).limits(Limits::default().max_requests(2))).unwrap();
    client_get(&mut c, ms(0), true);
    client_get(&mut c, ms(0), true);
    assert_eq!(
        c.request(ms(0), SERVER, &Request::get(Options::EMPTY)),
        Err(coap_codec::endpoint::UsageError::TooManyRequests)
    );
    assert_eq!(
        c.request(ms(0), SERVER, &Request::new(Code::CONTENT, Options::EMPTY)),
        Err(coap_codec::endpoint::UsageError::NotARequest(Code::CONTENT))
    );
}
