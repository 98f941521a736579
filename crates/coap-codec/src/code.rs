//! Message codes (RFC 7252 §3, §12.1): methods, response codes and the
//! signaling codes of reliable transports (RFC 8323 §5).

use core::fmt;

/// A CoAP code: a 3-bit class and a 5-bit detail, written `c.dd`.
///
/// An open newtype: every byte is a code, so unknown methods and response
/// codes survive a decode/encode round trip. The constants cover the IANA
/// "CoAP Method Codes", "CoAP Response Codes" and "CoAP Signaling Codes"
/// registries.
///
/// ```
/// use coap_codec::Code;
///
/// assert_eq!(Code::CONTENT, Code::new(2, 5));
/// assert_eq!(Code::CONTENT.to_string(), "2.05 Content");
/// assert!(Code::GET.is_request());
/// assert!(Code::NOT_FOUND.is_error());
/// assert_eq!(Code(0x47).to_string(), "2.07"); // unassigned, still a code
/// ```
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Code(pub u8);

impl Code {
    /// `c.dd` from class `c` (0–7) and detail `dd` (0–31); out-of-range bits
    /// are masked off.
    pub const fn new(class: u8, detail: u8) -> Self {
        Self(((class & 0x07) << 5) | (detail & 0x1f))
    }

    /// The class, 0–7.
    pub const fn class(self) -> u8 {
        self.0 >> 5
    }

    /// The detail, 0–31.
    pub const fn detail(self) -> u8 {
        self.0 & 0x1f
    }

    /// 0.00: the Empty message (ping, empty ACK, RST).
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// 0.01–0.31: a request method.
    pub const fn is_request(self) -> bool {
        self.class() == 0 && self.0 != 0
    }

    /// 2.00–5.31: a response (class 3 is unassigned but in the response range).
    pub const fn is_response(self) -> bool {
        matches!(self.class(), 2..=5)
    }

    /// 2.xx.
    pub const fn is_success(self) -> bool {
        self.class() == 2
    }

    /// 4.xx or 5.xx.
    pub const fn is_error(self) -> bool {
        matches!(self.class(), 4 | 5)
    }

    /// 7.xx: a signaling code, only meaningful on reliable transports (RFC 8323).
    pub const fn is_signaling(self) -> bool {
        self.class() == 7
    }

    /// Classes 1, 6 and 7, reserved on UDP (RFC 7252 §12.1; §4.2: a CON with
    /// such a code is rejected).
    pub const fn is_reserved_class(self) -> bool {
        matches!(self.class(), 1 | 6 | 7)
    }

    /// The registered name, when there is one.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::EMPTY => "Empty",
            Self::GET => "GET",
            Self::POST => "POST",
            Self::PUT => "PUT",
            Self::DELETE => "DELETE",
            Self::FETCH => "FETCH",
            Self::PATCH => "PATCH",
            Self::IPATCH => "iPATCH",
            Self::CREATED => "Created",
            Self::DELETED => "Deleted",
            Self::VALID => "Valid",
            Self::CHANGED => "Changed",
            Self::CONTENT => "Content",
            Self::CONTINUE => "Continue",
            Self::BAD_REQUEST => "Bad Request",
            Self::UNAUTHORIZED => "Unauthorized",
            Self::BAD_OPTION => "Bad Option",
            Self::FORBIDDEN => "Forbidden",
            Self::NOT_FOUND => "Not Found",
            Self::METHOD_NOT_ALLOWED => "Method Not Allowed",
            Self::NOT_ACCEPTABLE => "Not Acceptable",
            Self::REQUEST_ENTITY_INCOMPLETE => "Request Entity Incomplete",
            Self::CONFLICT => "Conflict",
            Self::PRECONDITION_FAILED => "Precondition Failed",
            Self::REQUEST_ENTITY_TOO_LARGE => "Request Entity Too Large",
            Self::UNSUPPORTED_CONTENT_FORMAT => "Unsupported Content-Format",
            Self::UNPROCESSABLE_ENTITY => "Unprocessable Entity",
            Self::TOO_MANY_REQUESTS => "Too Many Requests",
            Self::INTERNAL_SERVER_ERROR => "Internal Server Error",
            Self::NOT_IMPLEMENTED => "Not Implemented",
            Self::BAD_GATEWAY => "Bad Gateway",
            Self::SERVICE_UNAVAILABLE => "Service Unavailable",
            Self::GATEWAY_TIMEOUT => "Gateway Timeout",
            Self::PROXYING_NOT_SUPPORTED => "Proxying Not Supported",
            Self::HOP_LIMIT_REACHED => "Hop Limit Reached",
            Self::CSM => "CSM",
            Self::PING => "Ping",
            Self::PONG => "Pong",
            Self::RELEASE => "Release",
            Self::ABORT => "Abort",
            _ => return None,
        })
    }

    /// 0.00 Empty.
    pub const EMPTY: Self = Self::new(0, 0);
    /// 0.01 GET.
    pub const GET: Self = Self::new(0, 1);
    /// 0.02 POST.
    pub const POST: Self = Self::new(0, 2);
    /// 0.03 PUT.
    pub const PUT: Self = Self::new(0, 3);
    /// 0.04 DELETE.
    pub const DELETE: Self = Self::new(0, 4);
    /// 0.05 FETCH (RFC 8132).
    pub const FETCH: Self = Self::new(0, 5);
    /// 0.06 PATCH (RFC 8132).
    pub const PATCH: Self = Self::new(0, 6);
    /// 0.07 iPATCH (RFC 8132).
    pub const IPATCH: Self = Self::new(0, 7);

    /// 2.01 Created.
    pub const CREATED: Self = Self::new(2, 1);
    /// 2.02 Deleted.
    pub const DELETED: Self = Self::new(2, 2);
    /// 2.03 Valid.
    pub const VALID: Self = Self::new(2, 3);
    /// 2.04 Changed.
    pub const CHANGED: Self = Self::new(2, 4);
    /// 2.05 Content.
    pub const CONTENT: Self = Self::new(2, 5);
    /// 2.31 Continue (RFC 7959).
    pub const CONTINUE: Self = Self::new(2, 31);
    /// 4.00 Bad Request.
    pub const BAD_REQUEST: Self = Self::new(4, 0);
    /// 4.01 Unauthorized.
    pub const UNAUTHORIZED: Self = Self::new(4, 1);
    /// 4.02 Bad Option.
    pub const BAD_OPTION: Self = Self::new(4, 2);
    /// 4.03 Forbidden.
    pub const FORBIDDEN: Self = Self::new(4, 3);
    /// 4.04 Not Found.
    pub const NOT_FOUND: Self = Self::new(4, 4);
    /// 4.05 Method Not Allowed.
    pub const METHOD_NOT_ALLOWED: Self = Self::new(4, 5);
    /// 4.06 Not Acceptable.
    pub const NOT_ACCEPTABLE: Self = Self::new(4, 6);
    /// 4.08 Request Entity Incomplete (RFC 7959).
    pub const REQUEST_ENTITY_INCOMPLETE: Self = Self::new(4, 8);
    /// 4.09 Conflict (RFC 8132).
    pub const CONFLICT: Self = Self::new(4, 9);
    /// 4.12 Precondition Failed.
    pub const PRECONDITION_FAILED: Self = Self::new(4, 12);
    /// 4.13 Request Entity Too Large.
    pub const REQUEST_ENTITY_TOO_LARGE: Self = Self::new(4, 13);
    /// 4.15 Unsupported Content-Format.
    pub const UNSUPPORTED_CONTENT_FORMAT: Self = Self::new(4, 15);
    /// 4.22 Unprocessable Entity (RFC 8132).
    pub const UNPROCESSABLE_ENTITY: Self = Self::new(4, 22);
    /// 4.29 Too Many Requests (RFC 8516).
    pub const TOO_MANY_REQUESTS: Self = Self::new(4, 29);
    /// 5.00 Internal Server Error.
    pub const INTERNAL_SERVER_ERROR: Self = Self::new(5, 0);
    /// 5.01 Not Implemented.
    pub const NOT_IMPLEMENTED: Self = Self::new(5, 1);
    /// 5.02 Bad Gateway.
    pub const BAD_GATEWAY: Self = Self::new(5, 2);
    /// 5.03 Service Unavailable.
    pub const SERVICE_UNAVAILABLE: Self = Self::new(5, 3);
    /// 5.04 Gateway Timeout.
    pub const GATEWAY_TIMEOUT: Self = Self::new(5, 4);
    /// 5.05 Proxying Not Supported.
    pub const PROXYING_NOT_SUPPORTED: Self = Self::new(5, 5);
    /// 5.08 Hop Limit Reached (RFC 8768).
    pub const HOP_LIMIT_REACHED: Self = Self::new(5, 8);

    /// 7.01 CSM (RFC 8323, reliable transports only).
    pub const CSM: Self = Self::new(7, 1);
    /// 7.02 Ping (RFC 8323).
    pub const PING: Self = Self::new(7, 2);
    /// 7.03 Pong (RFC 8323).
    pub const PONG: Self = Self::new(7, 3);
    /// 7.04 Release (RFC 8323).
    pub const RELEASE: Self = Self::new(7, 4);
    /// 7.05 Abort (RFC 8323).
    pub const ABORT: Self = Self::new(7, 5);
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.class(), self.detail())?;
        match self.name() {
            Some(name) => write!(f, " {name}"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({self})")
    }
}

impl From<u8> for Code {
    fn from(b: u8) -> Self {
        Self(b)
    }
}

impl From<Code> for u8 {
    fn from(c: Code) -> Self {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn class_and_detail() {
        assert_eq!(Code::GET.0, 0x01);
        assert_eq!(Code::CONTENT.0, 0x45);
        assert_eq!(Code::NOT_FOUND.0, 0x84);
        assert_eq!(Code::SERVICE_UNAVAILABLE.0, 0xa3);
        assert_eq!(Code::CSM.0, 0xe1);
        assert_eq!(Code(0xa3).class(), 5);
        assert_eq!(Code(0xa3).detail(), 3);
        assert_eq!(Code::new(9, 40), Code::new(1, 8)); // masked
    }

    #[test]
    fn kinds() {
        assert!(Code::EMPTY.is_empty() && !Code::EMPTY.is_request());
        assert!(Code::IPATCH.is_request() && !Code::IPATCH.is_response());
        assert!(Code(0x60).is_response()); // 3.00: response range, unassigned
        for reserved in [0x20, 0x3f, 0xc0, 0xe1] {
            assert!(Code(reserved).is_reserved_class(), "{reserved:#x}");
            assert!(!Code(reserved).is_response() && !Code(reserved).is_request());
        }
        assert!(Code::CSM.is_signaling());
        assert!(Code::CONTINUE.is_success() && !Code::CONTINUE.is_error());
        assert!(Code::BAD_OPTION.is_error() && Code::BAD_GATEWAY.is_error());
    }

    #[test]
    fn display() {
        assert_eq!(Code::GET.to_string(), "0.01 GET");
        assert_eq!(
            Code::REQUEST_ENTITY_TOO_LARGE.to_string(),
            "4.13 Request Entity Too Large"
        );
        assert_eq!(Code(0x1f).to_string(), "0.31");
        assert_eq!(alloc::format!("{:?}", Code::PONG), "Code(7.03 Pong)");
    }
}
