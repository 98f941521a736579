//! Errors, sorted by blame: malformed bytes ([`DecodeError`]), values that
//! cannot be encoded ([`EncodeError`]).

use core::fmt;

/// What RFC 7252 wants done with a message that cannot be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// Drop it without any answer (too short to carry a Message ID, or a
    /// version other than 1, RFC 7252 §3).
    Ignore,
    /// A message format error (RFC 7252 §4.2, §4.3): a Confirmable message
    /// is answered with a Reset carrying its Message ID; anything else is
    /// silently ignored.
    Reject,
}

/// Malformed bytes: the datagram breaks the message format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer than the 4 bytes of the fixed header.
    #[error("{0} bytes, shorter than the 4-byte header (RFC 7252 §3)")]
    TooShort(usize),
    /// A version other than 1.
    #[error("version {0}, not 1 (RFC 7252 §3)")]
    UnknownVersion(u8),
    /// Token length 9–15.
    #[error("token length {0} is reserved (RFC 7252 §3)")]
    InvalidTokenLength(u8),
    /// The datagram ends inside the token.
    #[error("token runs past the end of the message (RFC 7252 §3)")]
    TruncatedToken,
    /// An option delta or length nibble of 15 outside a payload marker.
    #[error("option delta or length nibble 15 (RFC 7252 §3.1)")]
    ReservedNibble,
    /// An extended option delta/length or an option value runs past the end.
    #[error("option runs past the end of the message (RFC 7252 §3.1)")]
    TruncatedOption,
    /// The running option number went past 65535.
    #[error("option number {0} beyond 65535 (RFC 7252 §3.1)")]
    OptionNumberOverflow(u32),
    /// A payload marker followed by no payload.
    #[error("payload marker followed by an empty payload (RFC 7252 §3)")]
    EmptyPayload,
    /// Code 0.00 with a token, options or a payload.
    #[error("Empty message (0.00) with token, options or payload (RFC 7252 §4.1)")]
    EmptyNotEmpty,
    /// A code in reserved class 1, 6 or 7 (on UDP).
    #[error("code {0:#04x} in a reserved class (RFC 7252 §4.2, §12.1)")]
    ReservedClass(u8),
    /// An Acknowledgement carrying a request code.
    #[error("Acknowledgement carrying a request (RFC 7252 §4.2)")]
    AckWithRequest,
    /// A Reset that is not Empty.
    #[error("Reset that is not Empty (RFC 7252 §4.2)")]
    ResetNotEmpty,
    /// RFC 8323 framing: a length that does not fit the configured maximum.
    #[error("message of {size} bytes exceeds the maximum of {max} (RFC 8323 §3.2)")]
    MessageTooLarge {
        /// The size claimed by the length field.
        size: usize,
        /// The limit.
        max: usize,
    },
}

impl DecodeError {
    /// What the receiver should do with the message.
    pub fn disposition(&self) -> Disposition {
        match self {
            Self::TooShort(_) | Self::UnknownVersion(_) => Disposition::Ignore,
            _ => Disposition::Reject,
        }
    }

    /// The RFC section whose rule was broken (every CoAP decode error has
    /// one; an `Option` as in the other crates of the workspace).
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            Self::TooShort(_)
            | Self::UnknownVersion(_)
            | Self::InvalidTokenLength(_)
            | Self::TruncatedToken
            | Self::EmptyPayload => "RFC 7252 §3",
            Self::ReservedNibble | Self::TruncatedOption | Self::OptionNumberOverflow(_) => {
                "RFC 7252 §3.1"
            }
            Self::EmptyNotEmpty => "RFC 7252 §4.1",
            Self::ReservedClass(_) | Self::AckWithRequest | Self::ResetNotEmpty => "RFC 7252 §4.2",
            Self::MessageTooLarge { .. } => "RFC 8323 §3.2",
        })
    }
}

/// A message that cannot be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer is too small; `required` bytes are needed.
    #[error("buffer too small: {required} bytes needed")]
    BufferTooSmall {
        /// The whole encoded size.
        required: usize,
    },
    /// Options must be given in ascending order of their numbers.
    #[error("option {0} follows a higher option number")]
    OptionsNotAscending(u16),
    /// An option value longer than the format can carry (65535 + 269 bytes).
    #[error("option {0} value too long to encode")]
    OptionTooLong(u16),
    /// An Empty message (0.00) with a token, options or a payload.
    #[error("an Empty message (0.00) carries nothing but the header")]
    EmptyNotEmpty,
    /// The message would be malformed for its type (RST not Empty, ACK
    /// carrying a request, a code in a reserved class on UDP).
    #[error("{0}")]
    Invalid(&'static str),
    /// RFC 8323: the message is larger than a 4-byte extended length holds.
    #[error("message too large for the length field")]
    TooLarge,
}

impl From<iotcodec_core::BufferTooSmall> for EncodeError {
    fn from(e: iotcodec_core::BufferTooSmall) -> Self {
        Self::BufferTooSmall {
            required: e.required,
        }
    }
}

/// A URI that cannot be turned into options, or options that do not make a
/// URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// Not an absolute URI with a scheme.
    #[error("not an absolute URI")]
    NotAbsolute,
    /// A scheme other than `coap`, `coaps`, `coap+tcp`, `coaps+tcp` (the
    /// WebSocket schemes are not supported).
    #[error("unsupported URI scheme")]
    UnsupportedScheme,
    /// A fragment (`#...`), which CoAP URIs must not have (RFC 7252 §6.4 step 4).
    #[error("URI with a fragment (RFC 7252 §6.4)")]
    Fragment,
    /// No host, or an empty or malformed one.
    #[error("missing or malformed host")]
    InvalidHost,
    /// A port that is not a number in 0..=65535.
    #[error("invalid port")]
    InvalidPort,
    /// A `%` not followed by two hex digits.
    #[error("invalid percent-encoding")]
    InvalidPercentEncoding,
    /// A percent-decoded host, segment or query that is not UTF-8.
    #[error("percent-decoded component is not UTF-8")]
    InvalidUtf8,
    /// A component longer than its option can carry (255 bytes).
    #[error("URI component longer than 255 bytes")]
    ComponentTooLong,
    /// The output buffer is too small.
    #[error("buffer too small: {required} bytes needed")]
    BufferTooSmall {
        /// Bytes needed.
        required: usize,
    },
    /// The `fmt::Write` the URI was written to failed.
    #[error("writing the URI failed")]
    Write,
}

impl fmt::Display for Disposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ignore => "ignore",
            Self::Reject => "reject",
        })
    }
}
