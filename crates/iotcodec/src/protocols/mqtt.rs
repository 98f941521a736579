//! `mqtt3` and `mqtt5`: not wired yet (issue 3).

use crate::Step;

pub(super) fn step_v3(_input: &[u8]) -> Option<Step> {
    None
}

pub(super) fn step_v5(_input: &[u8]) -> Option<Step> {
    None
}
