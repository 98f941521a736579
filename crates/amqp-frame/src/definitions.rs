//! Definitions of part 2, 2.8 used beyond the transport layer: `error`
//! (2.8.14) and its conditions (2.8.15 to 2.8.18), carried by `close`,
//! `end` and `detach` and by the `rejected` outcome of part 3. Re-exported
//! from [`crate::transport`].

use crate::composite::{
    composite_api, nest, DecodeComposite, EncodeComposite, ListReader, Visit, F,
};
use crate::error::{DecodeError, EncodeError};
use crate::restricted::Fields;

/// An error condition symbol (part 2, 2.8.15 to 2.8.18, and part 4,
/// 4.5.8), an open newtype: any symbol decodes and round-trips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCondition<'a>(pub &'a str);

impl ErrorCondition<'static> {
    /// `amqp:internal-error`.
    pub const INTERNAL_ERROR: Self = Self("amqp:internal-error");
    /// `amqp:not-found`.
    pub const NOT_FOUND: Self = Self("amqp:not-found");
    /// `amqp:unauthorized-access`.
    pub const UNAUTHORIZED_ACCESS: Self = Self("amqp:unauthorized-access");
    /// `amqp:decode-error`.
    pub const DECODE_ERROR: Self = Self("amqp:decode-error");
    /// `amqp:resource-limit-exceeded`.
    pub const RESOURCE_LIMIT_EXCEEDED: Self = Self("amqp:resource-limit-exceeded");
    /// `amqp:not-allowed`.
    pub const NOT_ALLOWED: Self = Self("amqp:not-allowed");
    /// `amqp:invalid-field`.
    pub const INVALID_FIELD: Self = Self("amqp:invalid-field");
    /// `amqp:not-implemented`.
    pub const NOT_IMPLEMENTED: Self = Self("amqp:not-implemented");
    /// `amqp:resource-locked`.
    pub const RESOURCE_LOCKED: Self = Self("amqp:resource-locked");
    /// `amqp:precondition-failed`.
    pub const PRECONDITION_FAILED: Self = Self("amqp:precondition-failed");
    /// `amqp:resource-deleted`.
    pub const RESOURCE_DELETED: Self = Self("amqp:resource-deleted");
    /// `amqp:illegal-state`.
    pub const ILLEGAL_STATE: Self = Self("amqp:illegal-state");
    /// `amqp:frame-size-too-small`.
    pub const FRAME_SIZE_TOO_SMALL: Self = Self("amqp:frame-size-too-small");
    /// `amqp:connection:forced`.
    pub const CONNECTION_FORCED: Self = Self("amqp:connection:forced");
    /// `amqp:connection:framing-error`.
    pub const FRAMING_ERROR: Self = Self("amqp:connection:framing-error");
    /// `amqp:connection:redirect`.
    pub const CONNECTION_REDIRECT: Self = Self("amqp:connection:redirect");
    /// `amqp:session:window-violation`.
    pub const WINDOW_VIOLATION: Self = Self("amqp:session:window-violation");
    /// `amqp:session:errant-link`.
    pub const ERRANT_LINK: Self = Self("amqp:session:errant-link");
    /// `amqp:session:handle-in-use`.
    pub const HANDLE_IN_USE: Self = Self("amqp:session:handle-in-use");
    /// `amqp:session:unattached-handle`.
    pub const UNATTACHED_HANDLE: Self = Self("amqp:session:unattached-handle");
    /// `amqp:link:detach-forced`.
    pub const DETACH_FORCED: Self = Self("amqp:link:detach-forced");
    /// `amqp:link:transfer-limit-exceeded`.
    pub const TRANSFER_LIMIT_EXCEEDED: Self = Self("amqp:link:transfer-limit-exceeded");
    /// `amqp:link:message-size-exceeded`.
    pub const MESSAGE_SIZE_EXCEEDED: Self = Self("amqp:link:message-size-exceeded");
    /// `amqp:link:redirect`.
    pub const LINK_REDIRECT: Self = Self("amqp:link:redirect");
    /// `amqp:link:stolen`.
    pub const STOLEN: Self = Self("amqp:link:stolen");
    /// `amqp:transaction:unknown-id`.
    pub const TRANSACTION_UNKNOWN_ID: Self = Self("amqp:transaction:unknown-id");
    /// `amqp:transaction:rollback`.
    pub const TRANSACTION_ROLLBACK: Self = Self("amqp:transaction:rollback");
    /// `amqp:transaction:timeout`.
    pub const TRANSACTION_TIMEOUT: Self = Self("amqp:transaction:timeout");
}

/// `error` (part 2, 2.8.14).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Error<'a> {
    /// What went wrong (mandatory).
    pub condition: ErrorCondition<'a>,
    /// A description for people.
    pub description: Option<&'a str>,
    /// More information.
    pub info: Option<Fields<'a>>,
}

impl<'a> Error<'a> {
    /// An error with `condition` and nothing else.
    pub const fn new(condition: ErrorCondition<'a>) -> Self {
        Self {
            condition,
            description: None,
            info: None,
        }
    }
}

impl<'a> DecodeComposite<'a> for Error<'a> {
    const NAME: &'static str = "error";
    const CODE: u64 = 0x1d;
    #[inline]
    fn read_fields(l: &mut ListReader<'a>) -> Result<Self, DecodeError> {
        let condition = l.symbol("condition");
        Ok(Self {
            condition: ErrorCondition(l.required("condition", condition)),
            description: l.string("description"),
            info: l.fields("info"),
        })
    }
}

impl EncodeComposite for Error<'_> {
    const CODE: u64 = 0x1d;
    #[inline]
    fn visit<V: Visit>(&self, v: &mut V) -> Result<(), EncodeError> {
        v.field(F::Sym(self.condition.0), false)?;
        v.field(F::opt(self.description, F::Str), false)?;
        v.field(nest(&self.info), false)
    }
}

composite_api!(Error<'a>);
