//! Helpers shared by the endpoint's scripted tests (`endpoint.rs`,
//! `endpoint_lifecycle.rs`): peers are `u8` addresses, 1 the client and 2
//! the server.
#![allow(dead_code)] // each test file uses a part

use bytes::BytesMut;
use coap_codec::endpoint::{Config, Endpoint, Event, Request, RequestId, TransmissionParams};
use coap_codec::{CoapOption, Instant, OptionNumber, Options};

pub(crate) const CLIENT: u8 = 1;
pub(crate) const SERVER: u8 = 2;

/// An instant `n` milliseconds after the epoch.
pub(crate) fn ms(n: u64) -> Instant {
    Instant::from_millis(n)
}

/// Every datagram the endpoint wants to send now.
pub(crate) fn drain(ep: &mut Endpoint<u8>, now: Instant) -> Vec<(u8, Vec<u8>)> {
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    while let Some(t) = ep.poll_transmit(now, &mut buf) {
        out.push((t.destination, buf.split_to(t.len).to_vec()));
    }
    out
}

/// Every event waiting.
pub(crate) fn events(ep: &mut Endpoint<u8>) -> Vec<Event<u8>> {
    core::iter::from_fn(|| ep.poll_event()).collect()
}

/// The default configuration without back-off jitter (ACK_RANDOM_FACTOR 1).
pub(crate) fn no_jitter() -> Config {
    Config::new(0).params(TransmissionParams {
        ack_random_factor_milli: 1000,
        ..TransmissionParams::default()
    })
}

/// A GET `/t` from the client to the server, Confirmable or not.
pub(crate) fn client_get(ep: &mut Endpoint<u8>, now: Instant, confirmable: bool) -> RequestId {
    const PATH: [CoapOption<'static>; 1] = [CoapOption::str(OptionNumber::URI_PATH, "t")];
    let mut r = Request::get(Options::from_slice(&PATH));
    if !confirmable {
        r = r.non_confirmable();
    }
    ep.request(now, SERVER, &r).unwrap()
}
