//! What the application hands the endpoint: requests to send and responses
//! to requests it received. Both borrow their options and payload; the
//! endpoint keeps what it needs, encoded once.

use crate::{Code, Options};

/// A request the application sends; the endpoint adds the Message ID and
/// the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    /// The method (0.01–0.31).
    pub method: Code,
    /// Confirmable (retransmitted until acknowledged) or not.
    pub confirmable: bool,
    /// The options (Uri-Path, Uri-Query, Content-Format, ...).
    pub options: Options<'a>,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> Request<'a> {
    /// A Confirmable request with no payload.
    pub const fn new(method: Code, options: Options<'a>) -> Self {
        Self {
            method,
            confirmable: true,
            options,
            payload: &[],
        }
    }

    /// A Confirmable GET.
    pub const fn get(options: Options<'a>) -> Self {
        Self::new(Code::GET, options)
    }

    /// The same request with a payload.
    pub const fn payload(self, payload: &'a [u8]) -> Self {
        Self { payload, ..self }
    }

    /// The same request, Non-confirmable.
    pub const fn non_confirmable(self) -> Self {
        Self {
            confirmable: false,
            ..self
        }
    }
}

/// A response the application gives to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response<'a> {
    /// The response code (2.00–5.31).
    pub code: Code,
    /// The options.
    pub options: Options<'a>,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> Response<'a> {
    /// A response with no options and no payload.
    pub const fn new(code: Code) -> Self {
        Self {
            code,
            options: Options::EMPTY,
            payload: &[],
        }
    }

    /// The same response with options.
    pub const fn options(self, options: Options<'a>) -> Self {
        Self { options, ..self }
    }

    /// The same response with a payload.
    pub const fn payload(self, payload: &'a [u8]) -> Self {
        Self { payload, ..self }
    }
}
