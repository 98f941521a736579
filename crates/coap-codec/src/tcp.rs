//! CoAP over reliable transports (RFC 8323 §3.2): the message framing of
//! CoAP over TCP and TLS, a byte stream of messages back to back.
//!
//! A message has no type and no Message ID (the transport is reliable);
//! its first byte holds a length nibble and the token length, the length
//! of options and payload follows in 0, 1, 2 or 4 extra bytes, then the
//! code, the token, the options and the payload as in RFC 7252:
//!
//! | `Len` nibble | extended length | options + payload |
//! | --- | --- | --- |
//! | 0–12 | none | `Len` bytes |
//! | 13 | 1 byte | 13 + value |
//! | 14 | 2 bytes | 269 + value |
//! | 15 | 4 bytes | 65805 + value |
//!
//! [`TcpMessage::decode`] reads one message from the front of a stream: it
//! answers [`Decoded::Incomplete`] (with the exact number of bytes missing)
//! until the whole message is there, checks the size against the caller's
//! limit (the Max-Message-Size it advertised, RFC 8323 §5.3.1) as soon as
//! the length is known, and never reads past the message. Signaling codes
//! (7.xx: CSM, Ping, Pong, Release, Abort) are valid here, classes 1 and 6
//! are not. A [`DecodeError`] on a reliable transport has no Reset to answer
//! it with: [`DecodeError::disposition`] is a UDP notion, and what to do
//! (typically an Abort, RFC 8323 §5.6) is the connection's decision.
//!
//! Signaling option numbers are scoped to their code (2 is Max-Message-Size
//! in a CSM but Custody in a Ping), so the option registry and
//! [`Options::first_bad_critical`] with [`OptionNumber::definition`] only
//! apply to requests and responses.
//!
//! ```
//! use coap_codec::{Code, CoapOption, Decoded, OptionNumber, Options, TcpMessage, Token};
//!
//! // a CSM announcing Max-Message-Size 1152, then the first bytes of a GET
//! let stream = b"\x30\xe1\x22\x04\x80\x51\x01";
//! let Ok(Decoded::Complete { item: csm, consumed }) = TcpMessage::decode_with(stream, &coap_codec::DecodeOptions::new().max_message_size(1152)) else {
//!     panic!()
//! };
//! assert_eq!((csm.code, consumed), (Code::CSM, 5));
//! assert_eq!(csm.options.get_uint(OptionNumber(2)), Some(1152));
//! assert!(matches!(
//!     TcpMessage::decode_with(&stream[consumed..], &coap_codec::DecodeOptions::new().max_message_size(1152)),
//!     Ok(Decoded::Incomplete { .. })
//! ));
//!
//! let path = [CoapOption::str(OptionNumber::URI_PATH, "temp")];
//! let get = TcpMessage {
//!     code: Code::GET,
//!     token: Token::new(&[0x42]).unwrap(),
//!     options: Options::from_slice(&path),
//!     payload: b"",
//! };
//! let mut buf = [0u8; 16];
//! let n = get.encode_to_slice(&mut buf).unwrap();
//! assert_eq!(&buf[..n], b"\x51\x01\x42\xb4temp");
//! ```
//!
//! [`OptionNumber::definition`]: crate::OptionNumber::definition

use core::fmt;

use iotcodec_core::Writer;

use crate::message::PayloadDebug;
use crate::option::scan;
use crate::sink::Sink;
use crate::DecodeOptions;
use crate::{Code, DecodeError, Decoded, EncodeError, Options, Token};

/// The largest options-and-payload length the 4-byte extended length can
/// express: 65805 + (2^32 − 1).
const MAX_BODY: u64 = 65_805 + u32::MAX as u64;

/// The framing at the front of a message: length, token length and code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TcpHeader {
    /// Token length nibble as sent (9–15 only in a malformed message).
    pub token_len: u8,
    /// The code.
    pub code: Code,
    /// Bytes of options, payload marker and payload (the `Len` field).
    pub body_len: u64,
    /// Bytes before the token: the `Len`/`TKL` byte, the extended length
    /// and the code (2, 3, 4 or 6).
    pub header_len: usize,
}

impl TcpHeader {
    /// Reads the framing at the front of `stream` without checking
    /// anything else; incomplete (with the exact count missing) until the
    /// extended length and the code are there.
    pub fn peek(stream: &[u8]) -> Decoded<Self> {
        let Some(&b0) = stream.first() else {
            return Decoded::needs(2);
        };
        let ext = match b0 >> 4 {
            13 => 1,
            14 => 2,
            15 => 4,
            _ => 0,
        };
        let header_len = 2 + ext;
        let Some(head) = stream.get(..header_len) else {
            return Decoded::needs(header_len - stream.len());
        };
        let ext_bytes = &head[1..1 + ext];
        let ext_value = ext_bytes
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let body_len = match b0 >> 4 {
            13 => 13 + ext_value,
            14 => 269 + ext_value,
            15 => 65_805 + ext_value,
            n => u64::from(n),
        };
        Decoded::Complete {
            item: Self {
                token_len: b0 & 0x0f,
                code: Code(head[1 + ext]),
                body_len,
                header_len,
            },
            consumed: header_len,
        }
    }

    /// The whole message's size in bytes: header, token, options and
    /// payload.
    pub fn message_len(&self) -> u64 {
        self.header_len as u64 + u64::from(self.token_len) + self.body_len
    }
}

/// A CoAP message on a reliable transport (RFC 8323 §3.2), borrowing its
/// options and payload from the stream.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TcpMessage<'a> {
    /// Method, response code, signaling code (7.xx) or 0.00 Empty.
    pub code: Code,
    /// Token: request/response matching, scoped to the connection.
    pub token: Token,
    /// Options, ascending by number.
    pub options: Options<'a>,
    /// Payload (empty when absent: no payload marker is sent).
    pub payload: &'a [u8],
}

impl<'a> TcpMessage<'a> {
    /// An Empty message (0.00): ignored by the receiver, useful as a
    /// keep-alive (RFC 8323 §3.4).
    pub const EMPTY: TcpMessage<'static> = TcpMessage {
        code: Code::EMPTY,
        token: Token::EMPTY,
        options: Options::EMPTY,
        payload: &[],
    };

    /// Decodes the message at the front of `stream`.
    ///
    /// The size is checked against `max_message_size` (whole message,
    /// header included) as soon as the length field has been read, before
    /// anything else; the token length next. Then, once every byte of the
    /// message is there, the code (classes 1 and 6 are reserved), the
    /// Empty-message rule (0.00 carries nothing, RFC 7252 §4.1) and every
    /// option header (RFC 7252 §3.1) are checked, as for a datagram.
    ///
    /// `consumed` in the result is the message's size: the next message
    /// starts there.
    pub fn decode(stream: &'a [u8]) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_with(stream, &DecodeOptions::new())
    }

    /// [`TcpMessage::decode`] within `options`' limits.
    pub fn decode_with(
        stream: &'a [u8],
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let max_message_size = options.max_message_size;
        let header = match TcpHeader::peek(stream) {
            Decoded::Complete { item, .. } => item,
            Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
        };
        let size = header.message_len();
        if size > max_message_size as u64 {
            return Err(DecodeError::MessageTooLarge {
                size: usize::try_from(size).unwrap_or(usize::MAX),
                max: max_message_size,
            });
        }
        if header.token_len > 8 {
            return Err(DecodeError::InvalidTokenLength(header.token_len));
        }
        // at most `max_message_size`, a usize
        let size = size as usize;
        let Some(message) = stream.get(..size) else {
            return Ok(Decoded::needs(size - stream.len()));
        };
        let code = header.code;
        if matches!(code.class(), 1 | 6) {
            return Err(DecodeError::ReservedClass(code.0));
        }
        let tkl = usize::from(header.token_len);
        let rest = message.get(header.header_len..).unwrap_or_default();
        let (token, body) = rest
            .split_at_checked(tkl)
            .ok_or(DecodeError::TruncatedToken)?;
        if code.is_empty() && !rest.is_empty() {
            return Err(DecodeError::EmptyNotEmpty);
        }
        let token = Token::new(token).ok_or(DecodeError::InvalidTokenLength(header.token_len))?;
        let (options_end, payload_at) = scan(body)?;
        let payload = match payload_at {
            Some(at) => body.get(at..).unwrap_or_default(),
            None => &[],
        };
        Ok(Decoded::Complete {
            item: Self {
                code,
                token,
                options: Options::encoded_unchecked(body.get(..options_end).unwrap_or_default()),
                payload,
            },
            consumed: size,
        })
    }

    /// Bytes of options, marker and payload: the value of the `Len` field.
    fn body_len(&self) -> Result<usize, EncodeError> {
        let payload = if self.payload.is_empty() {
            0
        } else {
            1 + self.payload.len()
        };
        let body = self
            .options
            .encoded_len()?
            .checked_add(payload)
            .ok_or(EncodeError::TooLarge)?;
        if body as u64 > MAX_BODY {
            return Err(EncodeError::TooLarge);
        }
        Ok(body)
    }

    /// Bytes the message takes on the stream; checks everything
    /// [`TcpMessage::encode_to_slice`] checks.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        if self.code.is_empty()
            && (!self.token.is_empty() || !self.options.is_empty() || !self.payload.is_empty())
        {
            return Err(EncodeError::EmptyNotEmpty);
        }
        if matches!(self.code.class(), 1 | 6) {
            return Err(EncodeError::Invalid("code in a reserved class (1, 6)"));
        }
        let body = self.body_len()?;
        let (_, ext) = len_field(body);
        (2 + ext + self.token.len())
            .checked_add(body)
            .ok_or(EncodeError::TooLarge)
    }

    /// Encodes the message into `out`, returning the bytes written; on
    /// error nothing is written.
    pub fn encode_to_slice(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = self.encoded_len()?;
        let out = out
            .get_mut(..len)
            .ok_or(EncodeError::BufferTooSmall { required: len })?;
        self.write_to(&mut Writer::new(out))?;
        Ok(len)
    }

    /// Encodes the message into a [`bytes::BufMut`] (feature `alloc`),
    /// returning the bytes written; on error nothing is written.
    #[cfg(feature = "alloc")]
    pub fn encode<B: bytes::BufMut>(&self, out: &mut B) -> Result<usize, EncodeError> {
        let len = self.encoded_len()?;
        if out.remaining_mut() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        self.write_to(&mut crate::sink::BufSink(out))?;
        Ok(len)
    }

    /// The encoded message in a new vector (feature `alloc`).
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let mut v = alloc::vec![0u8; self.encoded_len()?];
        self.encode_to_slice(&mut v)?;
        Ok(v)
    }

    /// Writes the fields; `encoded_len` has checked them.
    fn write_to(&self, w: &mut impl Sink) -> Result<(), EncodeError> {
        let body = self.body_len()?;
        let (nibble, ext) = len_field(body);
        // the token is at most 8 bytes
        let mut head = [0u8; 6];
        head[0] = (nibble << 4) | self.token.len() as u8;
        let ext_value = match nibble {
            13 => body - 13,
            14 => body - 269,
            15 => body - 65_805,
            _ => 0,
        } as u64;
        // the big-endian extension: the last `ext` bytes of the value
        let be = ext_value.to_be_bytes();
        head[1..1 + ext].copy_from_slice(&be[8 - ext..]);
        head[1 + ext] = self.code.0;
        w.put(&head[..2 + ext])?;
        w.put(self.token.as_bytes())?;
        self.options.write(w)?;
        if !self.payload.is_empty() {
            w.put(&[0xff])?;
            w.put(self.payload)?;
        }
        Ok(())
    }

    /// Whether this is a request (code 0.01–0.31).
    pub fn is_request(&self) -> bool {
        self.code.is_request()
    }

    /// Whether this is a response (code 2.00–5.31).
    pub fn is_response(&self) -> bool {
        self.code.is_response()
    }

    /// Whether this is a signaling message (7.xx, RFC 8323 §5).
    pub fn is_signaling(&self) -> bool {
        self.code.is_signaling()
    }

    /// Whether this is an Empty message.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }
}

/// The `Len` nibble for `body` bytes of options and payload, and how many
/// extended-length bytes follow it.
fn len_field(body: usize) -> (u8, usize) {
    match body {
        // the arm bounds the value
        0..=12 => (body as u8, 0),
        13..=268 => (13, 1),
        269..=65_804 => (14, 2),
        _ => (15, 4),
    }
}

impl fmt::Debug for TcpMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpMessage")
            .field("code", &self.code)
            .field("token", &self.token)
            .field("options", &self.options)
            .field("payload", &PayloadDebug(self.payload))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CoapOption, OptionNumber};

    #[test]
    fn length_field_boundaries() {
        // body sizes at each nibble boundary and their exact framing
        for (body, head) in [
            (0usize, &[0x00u8, 0x45][..]),
            (12, &[0xc0, 0x45]),
            (13, &[0xd0, 0x00, 0x45]),
            (268, &[0xd0, 0xff, 0x45]),
            (269, &[0xe0, 0x00, 0x00, 0x45]),
            (65_804, &[0xe0, 0xff, 0xff, 0x45]),
            (65_805, &[0xf0, 0, 0, 0, 0, 0x45]),
            (70_000, &[0xf0, 0, 0, 0x10, 0x63, 0x45]),
        ] {
            let payload = alloc::vec![7u8; body.saturating_sub(1)];
            let m = TcpMessage {
                code: Code::CONTENT,
                token: Token::EMPTY,
                options: Options::EMPTY,
                payload: &payload,
            };
            let bytes = m.to_vec().unwrap();
            assert_eq!(&bytes[..head.len()], head, "{body}");
            assert_eq!(bytes.len(), head.len() + body, "{body}");
            let h = match TcpHeader::peek(&bytes) {
                Decoded::Complete { item, consumed } => {
                    assert_eq!(consumed, head.len());
                    item
                }
                Decoded::Incomplete { .. } => panic!("{body}"),
            };
            assert_eq!(h.body_len, body as u64);
            assert_eq!(h.message_len(), bytes.len() as u64);
            let d =
                TcpMessage::decode_with(&bytes, &DecodeOptions::new().max_message_size(usize::MAX))
                    .unwrap();
            assert_eq!(
                d,
                Decoded::Complete {
                    item: m,
                    consumed: bytes.len()
                }
            );
        }
    }

    #[test]
    fn header_needs_exact_counts() {
        assert_eq!(TcpHeader::peek(&[]), Decoded::needs(2));
        assert_eq!(TcpHeader::peek(&[0x00]), Decoded::needs(1));
        assert_eq!(TcpHeader::peek(&[0xd0]), Decoded::needs(2));
        assert_eq!(TcpHeader::peek(&[0xe0, 1]), Decoded::needs(2));
        assert_eq!(TcpHeader::peek(&[0xf0, 1, 2]), Decoded::needs(3));
        let Decoded::Complete { item, .. } = TcpHeader::peek(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xe5])
        else {
            panic!()
        };
        assert_eq!(item.body_len, MAX_BODY);
        assert_eq!((item.token_len, item.code), (15, Code::ABORT));
    }

    #[test]
    fn size_limit_first() {
        // 4 GiB claimed with a reserved token length: the size is reported
        assert_eq!(
            TcpMessage::decode_with(
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0x45],
                &DecodeOptions::new().max_message_size(1152)
            ),
            Err(DecodeError::MessageTooLarge {
                size: usize::try_from(6 + 15 + MAX_BODY).unwrap_or(usize::MAX),
                max: 1152
            })
        );
        // exactly at the limit is fine
        let list = [CoapOption::uint(OptionNumber(2), 1152)];
        let csm = TcpMessage {
            code: Code::CSM,
            token: Token::EMPTY,
            options: Options::from_slice(&list),
            payload: b"",
        };
        let bytes = csm.to_vec().unwrap();
        assert_eq!(bytes, [0x30, 0xe1, 0x22, 0x04, 0x80]);
        assert!(
            TcpMessage::decode_with(&bytes, &DecodeOptions::new().max_message_size(5))
                .unwrap()
                .is_complete()
        );
        assert_eq!(
            TcpMessage::decode_with(&bytes, &DecodeOptions::new().max_message_size(4)),
            Err(DecodeError::MessageTooLarge { size: 5, max: 4 })
        );
    }

    #[test]
    fn encoder_refusals() {
        let mut m = TcpMessage::EMPTY;
        assert_eq!(m.to_vec().unwrap(), [0x00, 0x00]);
        m.payload = b"x";
        assert_eq!(m.encoded_len(), Err(EncodeError::EmptyNotEmpty));
        m.code = Code(0x20);
        assert!(matches!(m.encoded_len(), Err(EncodeError::Invalid(_))));
        m.code = Code(0xc1);
        assert!(matches!(m.encoded_len(), Err(EncodeError::Invalid(_))));
        m.code = Code::PONG;
        assert_eq!(m.to_vec().unwrap(), [0x20, 0xe3, 0xff, b'x']);
        let mut small = [0u8; 3];
        assert_eq!(
            m.encode_to_slice(&mut small),
            Err(EncodeError::BufferTooSmall { required: 4 })
        );
        assert_eq!(small, [0; 3]);
    }
}
