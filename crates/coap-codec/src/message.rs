//! The CoAP message over UDP (RFC 7252 §3): a 4-byte header, a token, the
//! options and a payload.

use core::fmt;

use iotcodec_core::Writer;

use crate::option::{decode_uint, scan};
use crate::sink::Sink;
use crate::{Block, Code, ContentFormat, DecodeError, EncodeError, OptionNumber, Options};

/// The message type (RFC 7252 §4).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageType {
    /// Confirmable (0): retransmitted until acknowledged.
    Confirmable = 0,
    /// Non-confirmable (1).
    NonConfirmable = 1,
    /// Acknowledgement (2).
    Acknowledgement = 2,
    /// Reset (3).
    Reset = 3,
}

impl MessageType {
    /// From the two type bits.
    pub const fn from_bits(bits: u8) -> Self {
        match bits & 3 {
            0 => Self::Confirmable,
            1 => Self::NonConfirmable,
            2 => Self::Acknowledgement,
            _ => Self::Reset,
        }
    }

    /// The usual abbreviation: CON, NON, ACK or RST.
    pub const fn abbrev(self) -> &'static str {
        match self {
            Self::Confirmable => "CON",
            Self::NonConfirmable => "NON",
            Self::Acknowledgement => "ACK",
            Self::Reset => "RST",
        }
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.abbrev())
    }
}

/// A token of 0–8 bytes, kept inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Token {
    len: u8,
    bytes: [u8; 8],
}

impl Token {
    /// The zero-length token.
    pub const EMPTY: Self = Self {
        len: 0,
        bytes: [0; 8],
    };

    /// A token from up to 8 bytes; `None` when longer.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        if bytes.len() > 8 {
            return None;
        }
        let mut t = Self::EMPTY;
        t.bytes[..bytes.len()].copy_from_slice(bytes);
        // at most 8
        t.len = bytes.len() as u8;
        Some(t)
    }

    /// The token's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Its length, 0–8.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether it is the zero-length token.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Token {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let len = u.int_in_range(0..=8)?;
        let bytes = u.bytes(len)?;
        Ok(Self::new(bytes).unwrap_or(Self::EMPTY))
    }
}

/// The fixed 4-byte header, readable even when the rest of a datagram is
/// malformed: a Confirmable message with a format error is answered with a
/// Reset carrying this Message ID (RFC 7252 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// Version bits (1 for RFC 7252).
    pub version: u8,
    /// Message type.
    pub mtype: MessageType,
    /// Token length nibble as sent (may be 9–15 in a malformed message).
    pub token_len: u8,
    /// Code.
    pub code: Code,
    /// Message ID.
    pub message_id: u16,
}

impl Header {
    /// Reads the first 4 bytes of a datagram, without checking anything.
    pub fn peek(datagram: &[u8]) -> Option<Self> {
        let &[b0, code, hi, lo, ..] = datagram else {
            return None;
        };
        Some(Self {
            version: b0 >> 6,
            mtype: MessageType::from_bits(b0 >> 4),
            token_len: b0 & 0x0f,
            code: Code(code),
            message_id: u16::from_be_bytes([hi, lo]),
        })
    }
}

/// A CoAP message over UDP, borrowing its options and payload.
///
/// ```
/// use coap_codec::{Code, CoapOption, Message, MessageType, OptionNumber, Options, Token};
///
/// let options = [
///     CoapOption::str(OptionNumber::URI_PATH, "sensors"),
///     CoapOption::str(OptionNumber::URI_PATH, "temp"),
/// ];
/// let request = Message {
///     mtype: MessageType::Confirmable,
///     code: Code::GET,
///     message_id: 0x1234,
///     token: Token::new(&[0xde, 0xad]).unwrap(),
///     options: Options::from_slice(&options),
///     payload: b"",
/// };
/// let mut buf = [0u8; 64];
/// let n = request.encode_to_slice(&mut buf).unwrap();
/// assert_eq!(&buf[..n], b"\x42\x01\x12\x34\xde\xad\xb7sensors\x04temp");
///
/// let decoded = Message::decode(&buf[..n]).unwrap();
/// assert_eq!(decoded, request);
/// assert_eq!(decoded.uri_path().collect::<Vec<_>>(), ["sensors", "temp"]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    /// CON, NON, ACK or RST.
    pub mtype: MessageType,
    /// Method, response code, or 0.00 Empty.
    pub code: Code,
    /// Message ID: deduplication and ACK/RST matching.
    pub message_id: u16,
    /// Token: request/response matching.
    pub token: Token,
    /// Options, ascending by number.
    pub options: Options<'a>,
    /// Payload (empty when absent: no payload marker is sent).
    pub payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// An Empty message (0.00) of type `mtype`: an empty ACK, a Reset, or a
    /// ping (an Empty CON).
    pub const fn empty(mtype: MessageType, message_id: u16) -> Self {
        Self {
            mtype,
            code: Code::EMPTY,
            message_id,
            token: Token::EMPTY,
            options: Options::EMPTY,
            payload: &[],
        }
    }

    /// Decodes one datagram, validating the header, token and every option
    /// header (RFC 7252 §3) and the type/code rules of §4. A Reset must be
    /// Empty, an Acknowledgement cannot carry a request, codes in classes 1,
    /// 6 and 7 are rejected, and an Empty message holds nothing but its
    /// header. [`DecodeError::disposition`] says whether to ignore the
    /// datagram or reject it (Reset for a Confirmable message, see
    /// [`Header::peek`]).
    ///
    /// Option *semantics* (unrecognized critical options, repeated or
    /// out-of-bounds values) are left to [`Options::first_bad_critical`]:
    /// the message is well-formed, the answer depends on what the receiver
    /// recognizes.
    pub fn decode(datagram: &'a [u8]) -> Result<Self, DecodeError> {
        Self::decode_with(datagram, &crate::DecodeOptions::new())
    }

    /// [`Message::decode`] within `options`' limits: a datagram larger
    /// than [`DecodeOptions::max_message_size`](crate::DecodeOptions::max_message_size)
    /// is [`DecodeError::MessageTooLarge`].
    #[inline]
    pub fn decode_with(
        datagram: &'a [u8],
        options: &crate::DecodeOptions,
    ) -> Result<Self, DecodeError> {
        if datagram.len() > options.max_message_size {
            return Err(DecodeError::MessageTooLarge {
                size: datagram.len(),
                max: options.max_message_size,
            });
        }
        let &[b0, code, hi, lo, ref rest @ ..] = datagram else {
            return Err(DecodeError::TooShort(datagram.len()));
        };
        if b0 >> 6 != 1 {
            return Err(DecodeError::UnknownVersion(b0 >> 6));
        }
        let mtype = MessageType::from_bits(b0 >> 4);
        let tkl = usize::from(b0 & 0x0f);
        let code = Code(code);
        let message_id = u16::from_be_bytes([hi, lo]);
        if tkl > 8 {
            return Err(DecodeError::InvalidTokenLength(b0 & 0x0f));
        }
        if code.is_empty() {
            if !rest.is_empty() || tkl != 0 {
                return Err(DecodeError::EmptyNotEmpty);
            }
            return Ok(Self::empty(mtype, message_id));
        }
        if code.is_reserved_class() {
            return Err(DecodeError::ReservedClass(code.0));
        }
        match mtype {
            MessageType::Reset => return Err(DecodeError::ResetNotEmpty),
            MessageType::Acknowledgement if code.is_request() => {
                return Err(DecodeError::AckWithRequest)
            }
            _ => {}
        }
        let (token, body) = rest
            .split_at_checked(tkl)
            .ok_or(DecodeError::TruncatedToken)?;
        let mut t = Token::EMPTY;
        t.bytes[..tkl].copy_from_slice(token);
        t.len = b0 & 0x0f;
        let (options_end, payload_at) = scan(body)?;
        let payload = match payload_at {
            Some(at) => body.get(at..).unwrap_or_default(),
            None => &[],
        };
        Ok(Self {
            mtype,
            code,
            message_id,
            token: t,
            options: Options::encoded_unchecked(body.get(..options_end).unwrap_or_default()),
            payload,
        })
    }

    /// Bytes the message takes on the wire; checks everything
    /// [`Message::encode_to_slice`] checks.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        if self.code.is_empty() {
            if !self.token.is_empty() || !self.options.is_empty() || !self.payload.is_empty() {
                return Err(EncodeError::EmptyNotEmpty);
            }
            return Ok(4);
        }
        if self.code.is_reserved_class() {
            return Err(EncodeError::Invalid("code in a reserved class (1, 6, 7)"));
        }
        match self.mtype {
            MessageType::Reset => return Err(EncodeError::Invalid("a Reset must be Empty")),
            MessageType::Acknowledgement if self.code.is_request() => {
                return Err(EncodeError::Invalid(
                    "an Acknowledgement cannot carry a request",
                ))
            }
            _ => {}
        }
        let payload = if self.payload.is_empty() {
            0
        } else {
            1 + self.payload.len()
        };
        Ok(4 + self.token.len() + self.options.encoded_len()? + payload)
    }

    /// Encodes the message into `out`, returning the bytes written. No
    /// payload marker is written for an empty payload.
    pub fn encode_to_slice(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = self.encoded_len()?;
        let out = out
            .get_mut(..len)
            .ok_or(EncodeError::BufferTooSmall { required: len })?;
        self.write_to(&mut Writer::new(out))?;
        Ok(len)
    }

    /// Writes a message whose [`Message::encoded_len`] the caller has
    /// computed already (`out` is exactly that long), without computing it
    /// again.
    #[cfg(feature = "alloc")]
    pub(crate) fn encode_with_len(&self, out: &mut [u8]) -> Result<(), EncodeError> {
        self.write_to(&mut Writer::new(out))
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

    /// Writes the fields; `encoded_len` has checked them.
    fn write_to(&self, w: &mut impl Sink) -> Result<(), EncodeError> {
        // token length is at most 8
        let b0 = 0x40 | (self.mtype as u8) << 4 | self.token.len() as u8;
        let [hi, lo] = self.message_id.to_be_bytes();
        w.put(&[b0, self.code.0, hi, lo])?;
        w.put(self.token.as_bytes())?;
        self.options.write(w)?;
        if !self.payload.is_empty() {
            w.put(&[0xff])?;
            w.put(self.payload)?;
        }
        Ok(())
    }

    /// The encoded message in a new vector (feature `alloc`).
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let mut v = alloc::vec![0u8; self.encoded_len()?];
        self.encode_to_slice(&mut v)?;
        Ok(v)
    }

    /// Whether this is a request (code 0.01–0.31).
    pub fn is_request(&self) -> bool {
        self.code.is_request()
    }

    /// Whether this is a response (code 2.00–5.31).
    pub fn is_response(&self) -> bool {
        self.code.is_response()
    }

    /// Whether this is an Empty message.
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    /// The Uri-Path segments (each a string option, RFC 7252 §5.10.1).
    pub fn uri_path(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.options.get_all_str(OptionNumber::URI_PATH)
    }

    /// The Uri-Query arguments.
    pub fn uri_query(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.options.get_all_str(OptionNumber::URI_QUERY)
    }

    /// The Location-Path segments.
    pub fn location_path(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.options.get_all_str(OptionNumber::LOCATION_PATH)
    }

    /// The Location-Query arguments.
    pub fn location_query(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.options.get_all_str(OptionNumber::LOCATION_QUERY)
    }

    /// Uri-Host.
    pub fn uri_host(&self) -> Option<&'a str> {
        self.options.get_str(OptionNumber::URI_HOST)
    }

    /// Uri-Port.
    pub fn uri_port(&self) -> Option<u16> {
        self.options
            .get_uint(OptionNumber::URI_PORT)
            .and_then(|v| u16::try_from(v).ok())
    }

    /// Content-Format.
    pub fn content_format(&self) -> Option<ContentFormat> {
        self.options
            .get_uint(OptionNumber::CONTENT_FORMAT)
            .and_then(|v| u16::try_from(v).ok())
            .map(ContentFormat)
    }

    /// Accept.
    pub fn accept(&self) -> Option<ContentFormat> {
        self.options
            .get_uint(OptionNumber::ACCEPT)
            .and_then(|v| u16::try_from(v).ok())
            .map(ContentFormat)
    }

    /// Max-Age in seconds; 60 when absent (RFC 7252 §5.10.5).
    pub fn max_age(&self) -> u32 {
        self.options.get_uint(OptionNumber::MAX_AGE).unwrap_or(60)
    }

    /// The ETags (1–8 bytes each; others are ignored).
    pub fn etags(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.options
            .get_all(OptionNumber::ETAG)
            .filter(|v| (1..=8).contains(&v.len()))
    }

    /// Observe (24 bits).
    pub fn observe(&self) -> Option<u32> {
        self.options.get_uint(OptionNumber::OBSERVE)
    }

    /// Block1.
    pub fn block1(&self) -> Option<Block> {
        self.options
            .get_uint(OptionNumber::BLOCK1)
            .and_then(Block::from_uint)
    }

    /// Block2.
    pub fn block2(&self) -> Option<Block> {
        self.options
            .get_uint(OptionNumber::BLOCK2)
            .and_then(Block::from_uint)
    }

    /// Size1.
    pub fn size1(&self) -> Option<u32> {
        self.options.get_uint(OptionNumber::SIZE1)
    }

    /// Size2.
    pub fn size2(&self) -> Option<u32> {
        self.options.get_uint(OptionNumber::SIZE2)
    }

    /// No-Response (RFC 7967): the bit mask of response classes the client
    /// is not interested in; 0 when absent.
    pub fn no_response(&self) -> u8 {
        self.options
            .get_valid(OptionNumber::NO_RESPONSE)
            .and_then(decode_uint)
            .and_then(|v| u8::try_from(v).ok())
            .unwrap_or(0)
    }
}

impl fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("type", &self.mtype)
            .field("code", &self.code)
            .field("message_id", &self.message_id)
            .field("token", &self.token)
            .field("options", &self.options)
            .field("payload", &PayloadDebug(self.payload))
            .finish()
    }
}

/// Payload in Debug: text when it is printable UTF-8, else hex.
pub(crate) struct PayloadDebug<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for PayloadDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match core::str::from_utf8(self.0) {
            Ok(s) if !s.chars().any(char::is_control) => write!(f, "{s:?}"),
            _ => {
                f.write_str("0x")?;
                for b in self.0 {
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CoapOption;

    fn dec(hex: &str) -> Result<Message<'static>, DecodeError> {
        Message::decode(iotcodec_testkit::hex(hex).leak())
    }

    #[test]
    fn header_rules() {
        assert_eq!(dec("4001"), Err(DecodeError::TooShort(2)));
        assert_eq!(dec("00011234"), Err(DecodeError::UnknownVersion(0)));
        assert_eq!(dec("80011234"), Err(DecodeError::UnknownVersion(2)));
        assert_eq!(
            dec("4901123400000000000000000000"),
            Err(DecodeError::InvalidTokenLength(9))
        );
        assert_eq!(dec("4f011234"), Err(DecodeError::InvalidTokenLength(15)));
        assert_eq!(dec("44011234dead"), Err(DecodeError::TruncatedToken));
        assert_eq!(dec("41001234aa"), Err(DecodeError::EmptyNotEmpty));
        assert_eq!(dec("40001234ff01"), Err(DecodeError::EmptyNotEmpty));
        assert_eq!(dec("402012340000"), Err(DecodeError::ReservedClass(0x20)));
        assert_eq!(dec("40c01234"), Err(DecodeError::ReservedClass(0xc0)));
        assert_eq!(dec("40e11234"), Err(DecodeError::ReservedClass(0xe1)));
        assert_eq!(dec("70451234"), Err(DecodeError::ResetNotEmpty));
        assert_eq!(dec("60011234"), Err(DecodeError::AckWithRequest));
        assert_eq!(dec("40011234ff"), Err(DecodeError::EmptyPayload));
        // dispositions
        assert_eq!(
            DecodeError::TooShort(3).disposition(),
            crate::Disposition::Ignore
        );
        assert_eq!(
            DecodeError::UnknownVersion(2).disposition(),
            crate::Disposition::Ignore
        );
        assert_eq!(
            DecodeError::EmptyPayload.disposition(),
            crate::Disposition::Reject
        );
        // the header is still readable for the Reset
        let h = Header::peek(&[0x4f, 0x01, 0x12, 0x34]).unwrap();
        assert_eq!(
            (h.mtype, h.message_id, h.token_len),
            (MessageType::Confirmable, 0x1234, 15)
        );
    }

    #[test]
    fn empty_messages() {
        for (t, b0) in [
            (MessageType::Confirmable, 0x40),
            (MessageType::Acknowledgement, 0x60),
            (MessageType::Reset, 0x70),
        ] {
            let m = Message::empty(t, 0xbeef);
            let mut buf = [0u8; 4];
            assert_eq!(m.encode_to_slice(&mut buf), Ok(4));
            assert_eq!(buf, [b0, 0, 0xbe, 0xef]);
            assert_eq!(Message::decode(&buf), Ok(m));
        }
        let mut bad = Message::empty(MessageType::Acknowledgement, 1);
        bad.payload = b"x";
        assert_eq!(bad.encoded_len(), Err(EncodeError::EmptyNotEmpty));
    }

    #[test]
    fn encode_refuses_what_decode_rejects() {
        let mut m = Message::empty(MessageType::Reset, 1);
        m.code = Code::CONTENT;
        assert!(matches!(m.encoded_len(), Err(EncodeError::Invalid(_))));
        m.mtype = MessageType::Acknowledgement;
        m.code = Code::GET;
        assert!(matches!(m.encoded_len(), Err(EncodeError::Invalid(_))));
        m.code = Code(0xc1);
        assert!(matches!(m.encoded_len(), Err(EncodeError::Invalid(_))));
        m.code = Code::CONTENT;
        assert_eq!(m.encoded_len(), Ok(4));
        let mut small = [0u8; 3];
        assert_eq!(
            m.encode_to_slice(&mut small),
            Err(EncodeError::BufferTooSmall { required: 4 })
        );
    }

    #[test]
    fn accessors() {
        let opts = [
            CoapOption::bytes(OptionNumber::ETAG, &[1, 2]),
            CoapOption::uint(OptionNumber::OBSERVE, 0x1234),
            CoapOption::uint(OptionNumber::CONTENT_FORMAT, 60),
            CoapOption::uint(OptionNumber::MAX_AGE, 30),
            CoapOption::uint(OptionNumber::BLOCK2, 0x1e),
            CoapOption::uint(OptionNumber::SIZE2, 4096),
            CoapOption::uint(OptionNumber::NO_RESPONSE, 26),
        ];
        let m = Message {
            mtype: MessageType::NonConfirmable,
            code: Code::CONTENT,
            message_id: 7,
            token: Token::EMPTY,
            options: Options::from_slice(&opts),
            payload: b"hi",
        };
        let bytes = m.to_vec().unwrap();
        let d = Message::decode(&bytes).unwrap();
        assert_eq!(d, m);
        assert_eq!(d.content_format(), Some(ContentFormat::CBOR));
        assert_eq!(d.max_age(), 30);
        assert_eq!(d.observe(), Some(0x1234));
        assert_eq!(d.block2(), Block::new(1, true, 6));
        assert_eq!(d.size2(), Some(4096));
        assert_eq!(d.no_response(), 26);
        assert_eq!(d.etags().collect::<alloc::vec::Vec<_>>(), [&[1u8, 2][..]]);
        assert_eq!(d.accept(), None);
        assert_eq!(
            Message::empty(MessageType::Acknowledgement, 1).max_age(),
            60
        );
        assert_eq!(d.payload, b"hi");
    }
}
