//! What the endpoint tells the application: events, the ids they carry,
//! and the errors of its commands.

use core::fmt;

use crate::{Code, EncodeError, OptionNumber, OwnedMessage};

/// Identifies a client request in events. Opaque: made by the endpoint,
/// unique among the requests of one endpoint.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub(crate) u64);

/// Identifies a request received by the server, to respond to it. Opaque:
/// made by the endpoint, unique among the exchanges of one endpoint.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExchangeId(pub(crate) u64);

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({})", self.0)
    }
}

impl fmt::Debug for ExchangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ExchangeId({})", self.0)
    }
}

/// Why a client request ended without a (usable) response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Failure {
    /// No ACK after MAX_RETRANSMIT retransmissions, or no response in time.
    Timeout,
    /// The peer answered with a Reset.
    Reset,
    /// The response carried a critical option we do not recognize and was
    /// rejected (RFC 7252 §5.4.1).
    BadOption(OptionNumber),
    /// A queued request could not be sent when its turn came (e.g. every
    /// Message ID toward the peer was still in use).
    Unsent(UsageError),
    /// The endpoint was closed ([`Endpoint::close`](super::Endpoint::close)).
    Closed,
}

/// What happened, for the application to act on. Diagnostics it need not
/// act on (malformed datagrams, duplicates, rejections) are counted in
/// [`Endpoint::stats`](super::Endpoint::stats) instead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<A> {
    /// A request arrived (never twice for the same message): answer it with
    /// [`Endpoint::respond`](super::Endpoint::respond).
    Request {
        /// Pass this to `respond`.
        exchange: ExchangeId,
        /// Who sent it.
        peer: A,
        /// The request, decoded once; it shares a buffer with other
        /// received messages, so drop it when done.
        request: OwnedMessage,
    },
    /// A response to one of our requests (several for a multicast one).
    Response {
        /// Our request.
        request: RequestId,
        /// Who answered.
        peer: A,
        /// The response.
        response: OwnedMessage,
    },
    /// Our Confirmable request was acknowledged with an empty ACK: a
    /// separate response will follow.
    Acknowledged {
        /// Our request.
        request: RequestId,
    },
    /// Our request ended without a response.
    RequestFailed {
        /// Our request.
        request: RequestId,
        /// Why.
        reason: Failure,
    },
    /// The time for responses to a multicast request is up.
    MulticastDone {
        /// Our request.
        request: RequestId,
    },
    /// A ping was answered.
    Pong {
        /// The ping.
        request: RequestId,
    },
    /// A separate Confirmable response we sent was acknowledged.
    ResponseAcknowledged {
        /// The server exchange.
        exchange: ExchangeId,
    },
    /// A separate Confirmable response we sent was never acknowledged
    /// ([`Failure::Timeout`]), was refused ([`Failure::Reset`]), or the
    /// endpoint was closed first ([`Failure::Closed`]).
    ResponseFailed {
        /// The server exchange.
        exchange: ExchangeId,
        /// Why.
        reason: Failure,
    },
}

/// Local misuse of the endpoint, or a limit reached by a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// `method` is not a request code.
    #[error("not a request method: {0}")]
    NotARequest(Code),
    /// `code` is not a response code.
    #[error("not a response code: {0}")]
    NotAResponse(Code),
    /// [`Limits::max_requests`](super::Limits::max_requests) outstanding
    /// already, or [`Limits::max_request_bytes`](super::Limits::max_request_bytes)
    /// in use.
    #[error("too many outstanding requests")]
    TooManyRequests,
    /// [`Limits::max_peers`](super::Limits::max_peers) peers with state
    /// already.
    #[error("too many peers")]
    TooManyPeers,
    /// Every Message ID toward the peer is still within its lifetime.
    #[error("all message IDs toward the peer are in use")]
    MessageIdsExhausted,
    /// With zero-length tokens only one request per peer can be matched.
    #[error("token already in use toward this peer")]
    TokenInUse,
    /// The message would exceed [`Limits::max_message_size`](super::Limits::max_message_size).
    #[error("message of {0} bytes exceeds the maximum message size")]
    MessageTooLarge(usize),
    /// [`Limits::max_response_bytes`](super::Limits::max_response_bytes) in
    /// use by separate responses still being retransmitted.
    #[error("too many separate responses in flight")]
    TooManyResponses,
    /// The exchange does not exist (already answered, or expired).
    #[error("unknown or finished exchange")]
    UnknownExchange,
    /// The endpoint is closing or closed.
    #[error("the endpoint is closed")]
    Closed,
    /// The message cannot be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}
