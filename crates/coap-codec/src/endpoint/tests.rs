//! Unit tests of the endpoint's internals.

use core::mem::size_of;

use super::client::ClientExchange;
use super::config::{CLIENT_BYTES, DEDUP_ENTRY_BYTES, EVENT_BYTES, PEER_BYTES, SERVER_BYTES};
use super::dedup::Entry;
use super::peer::Peer;
use super::server::ServerExchange;
use super::Event;

/// The sizes `Limits::worst_case_bytes` assumes hold for the real types
/// (with a 32-byte address, the largest `A` the documented figures are
/// for).
#[test]
fn worst_case_sizes_cover_the_real_types() {
    type A = [u8; 32];
    assert!(size_of::<Peer>() <= PEER_BYTES, "{}", size_of::<Peer>());
    assert!(
        size_of::<Entry>() <= DEDUP_ENTRY_BYTES,
        "{}",
        size_of::<Entry>()
    );
    assert!(size_of::<ClientExchange<A>>() <= CLIENT_BYTES + 32);
    assert!(size_of::<ServerExchange<A>>() <= SERVER_BYTES + 32);
    assert!(
        size_of::<Event<A>>() <= EVENT_BYTES + 32,
        "{}",
        size_of::<Event<A>>()
    );
}
