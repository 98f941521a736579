//! `coap` and `coap-tcp`: not wired yet (issue 4).

use crate::Step;

pub(super) fn step_udp(_input: &[u8]) -> Option<Step> {
    None
}

pub(super) fn step_tcp(_input: &[u8]) -> Option<Step> {
    None
}
