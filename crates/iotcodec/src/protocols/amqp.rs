//! `amqp`: not wired yet (issue 5).

use crate::Step;

pub(super) fn step(_input: &[u8]) -> Option<Step> {
    None
}
