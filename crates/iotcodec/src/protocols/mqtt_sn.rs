//! `mqtt-sn`: not wired yet (issue 6).

use crate::Step;

pub(super) fn step(_input: &[u8]) -> Option<Step> {
    None
}
