//! One adapter per protocol, each a thin call into that protocol's crate.

use crate::{InspectError, Proto, Step};

/// Decodes the packet at the front of `input`.
pub(crate) fn step(proto: Proto, input: &[u8]) -> Result<Step, InspectError> {
    let _ = input;
    Err(InspectError::NotImplemented(proto))
}
