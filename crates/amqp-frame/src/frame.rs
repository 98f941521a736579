//! AMQP 1.0 framing (part 2, 2.2 and 2.3): protocol headers and frames.
//!
//! A connection's byte stream holds 8-byte protocol headers (at the start,
//! and again after a SASL or TLS layer completes) and frames:
//!
//! ```text
//! +------+------+------+---------+-----------------+-------------------+
//! | SIZE (u32)  | DOFF | TYPE    | CHANNEL (u16)   | extended header   | body
//! +------+------+------+---------+-----------------+-------------------+
//!  0            4      5         6                 8          DOFF*4       SIZE
//! ```
//!
//! [`Frame::decode`] reads one frame from the front of a stream and answers
//! [`Decoded::Incomplete`] while bytes are missing. A frame larger than
//! [`DecodeOptions::max_frame_size`] (64 KiB by default, see
//! [`DecodeOptions::DEFAULT_MAX_FRAME_SIZE`]; [`Frame::decode_with`] takes
//! others) is refused as soon as its SIZE field has arrived, before anything
//! else is read or waited for. [`Unit::decode`] reads either a
//! protocol header or a frame, for callers reading a stream from its start.
//!
//! The frame body of an AMQP or SASL frame is one described value (the
//! performative) followed, for `transfer`, by payload bytes;
//! [`Frame::performative`] splits it. An empty body is a heartbeat.
//!
//! ```
//! use amqp_frame::frame::{Frame, FrameType, OutFrame, ProtocolHeader, Unit};
//! use amqp_frame::{Decoded, Described, Descriptor, List, Value};
//!
//! let fields = [Value::Uint(7)];
//! let list = Value::List(List::from_values(&fields));
//! let flow = Value::Described(Described::new(Descriptor::Code(0x13), &list));
//! let out = OutFrame::new(FrameType::Amqp, 1, flow);
//!
//! let mut buf = [0u8; 64];
//! let h = ProtocolHeader::AMQP.encode_to_slice(&mut buf).unwrap();
//! let n = out.encode_to_slice(&mut buf[h..]).unwrap();
//! let stream = &buf[..h + n];
//!
//! let Decoded::Complete { item: Unit::Header(hdr), consumed } = Unit::decode(stream).unwrap()
//! else { panic!() };
//! assert_eq!(hdr, ProtocolHeader::AMQP);
//! let Decoded::Complete { item: frame, .. } = Frame::decode(&stream[consumed..]).unwrap()
//! else { panic!() };
//! assert_eq!(frame.channel, 1);
//! let (performative, payload) = frame.performative().unwrap().unwrap();
//! assert_eq!(performative, flow);
//! assert!(payload.is_empty());
//!
//! // Too short: the rest of the frame is needed.
//! assert_eq!(Frame::decode(&stream[consumed..consumed + 6]).unwrap(), Decoded::needs(n - 6));
//! ```

use crate::composite::Enc;
use crate::error::{DecodeError, EncodeError};
use crate::messaging::Message;
use crate::options::DecodeOptions;
use crate::sasl::SaslFrame;
use crate::transport::{Performative, Transfer};
use crate::types::{Budget, Value};
use core::fmt;
use iotcodec_core::{Decoded, Reader, Writer};

/// The four bytes every protocol header starts with.
pub const PROTOCOL_MAGIC: [u8; 4] = *b"AMQP";

/// The smallest maximum frame size a peer may announce (`MIN-MAX-FRAME-SIZE`).
pub const MIN_MAX_FRAME_SIZE: u32 = 512;

/// The protocols a protocol header can announce (its protocol id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProtocolId {
    /// `0`: AMQP itself.
    Amqp,
    /// `2`: a TLS layer.
    Tls,
    /// `3`: a SASL layer.
    Sasl,
}

impl ProtocolId {
    /// The protocol id byte.
    pub const fn code(self) -> u8 {
        match self {
            Self::Amqp => 0,
            Self::Tls => 2,
            Self::Sasl => 3,
        }
    }

    /// The protocol with id `code`, if it is one of the three.
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Amqp),
            2 => Some(Self::Tls),
            3 => Some(Self::Sasl),
            _ => None,
        }
    }
}

/// An 8-byte protocol header: `AMQP`, a protocol id and a version.
///
/// Any bytes after `AMQP` decode, so a peer receiving an unsupported
/// header (see [`ProtocolHeader::supported`]) can answer with the header it
/// does support before closing, as part 2, 2.2 asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProtocolHeader {
    /// Protocol id: 0 AMQP, 2 TLS, 3 SASL.
    pub id: u8,
    /// Major version.
    pub major: u8,
    /// Minor version.
    pub minor: u8,
    /// Revision.
    pub revision: u8,
}

impl ProtocolHeader {
    /// Length of a protocol header.
    pub const LEN: usize = 8;
    /// `AMQP 0 1 0 0`.
    pub const AMQP: Self = Self::v1_0(ProtocolId::Amqp);
    /// `AMQP 2 1 0 0`.
    pub const TLS: Self = Self::v1_0(ProtocolId::Tls);
    /// `AMQP 3 1 0 0`.
    pub const SASL: Self = Self::v1_0(ProtocolId::Sasl);

    /// The version 1.0.0 header of `id`.
    pub const fn v1_0(id: ProtocolId) -> Self {
        Self {
            id: id.code(),
            major: 1,
            minor: 0,
            revision: 0,
        }
    }

    /// The protocol announced, when this is a version 1.0.0 header of AMQP,
    /// TLS or SASL; `None` for any other header (a version mismatch).
    pub const fn supported(&self) -> Option<ProtocolId> {
        if self.major == 1 && self.minor == 0 && self.revision == 0 {
            ProtocolId::from_code(self.id)
        } else {
            None
        }
    }

    /// The eight bytes on the wire.
    pub const fn to_bytes(&self) -> [u8; 8] {
        let m = PROTOCOL_MAGIC;
        [
            m[0],
            m[1],
            m[2],
            m[3],
            self.id,
            self.major,
            self.minor,
            self.revision,
        ]
    }

    /// Decodes a protocol header from the front of `buf`.
    ///
    /// Fails with [`DecodeError::NotAmqpHeader`] as soon as the bytes present
    /// differ from `AMQP`; answers [`Decoded::Incomplete`] while fewer than
    /// eight bytes are present.
    pub fn decode(buf: &[u8]) -> Result<Decoded<Self>, DecodeError> {
        let head = &buf[..buf.len().min(4)];
        if !PROTOCOL_MAGIC.starts_with(head) {
            return Err(DecodeError::NotAmqpHeader);
        }
        match buf.get(..Self::LEN) {
            Some(&[_, _, _, _, id, major, minor, revision]) => Ok(Decoded::Complete {
                item: Self {
                    id,
                    major,
                    minor,
                    revision,
                },
                consumed: Self::LEN,
            }),
            _ => Ok(Decoded::needs(Self::LEN - buf.len())),
        }
    }

    /// The number of bytes [`ProtocolHeader::encode_to_slice`] writes: 8.
    pub const fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the header into the start of `buf`, returning 8.
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = Writer::new(buf);
        w.put_slice(&self.to_bytes())?;
        Ok(Self::LEN)
    }

    /// Appends the header to `out`, returning 8.
    #[cfg(feature = "alloc")]
    pub fn encode<B: bytes::BufMut>(&self, out: &mut B) -> Result<usize, EncodeError> {
        crate::buf::to_buf(Self::LEN, out, |b| self.encode_to_slice(b))
    }
}

/// The TYPE byte of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameType {
    /// `0x00`: an AMQP frame (performatives, channel meaningful).
    Amqp,
    /// `0x01`: a SASL frame (channel ignored).
    Sasl,
}

impl FrameType {
    /// The TYPE byte.
    pub const fn code(self) -> u8 {
        match self {
            Self::Amqp => 0x00,
            Self::Sasl => 0x01,
        }
    }

    /// The frame type with TYPE byte `code`.
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0x00 => Some(Self::Amqp),
            0x01 => Some(Self::Sasl),
            _ => None,
        }
    }

    /// `"amqp"` or `"sasl"`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Amqp => "amqp",
            Self::Sasl => "sasl",
        }
    }
}

/// The name of the performative or SASL frame body with descriptor code
/// `code` (`"open"` for `0x10`, `"sasl-init"` for `0x41`, ...).
pub const fn performative_name(code: u64) -> Option<&'static str> {
    Some(match code {
        0x10 => "open",
        0x11 => "begin",
        0x12 => "attach",
        0x13 => "flow",
        0x14 => "transfer",
        0x15 => "disposition",
        0x16 => "detach",
        0x17 => "end",
        0x18 => "close",
        0x40 => "sasl-mechanisms",
        0x41 => "sasl-init",
        0x42 => "sasl-challenge",
        0x43 => "sasl-response",
        0x44 => "sasl-outcome",
        _ => return None,
    })
}

/// The length of the fixed frame header.
pub const FRAME_HEADER_LEN: usize = 8;

/// The longest extended header a one-byte DOFF can describe.
pub const MAX_EXTENDED_HEADER: usize = 255 * 4 - FRAME_HEADER_LEN;

/// A frame borrowed from the input: header fields, extended header and body.
///
/// `Debug` leaves out the body of a SASL frame: a sasl-init or
/// sasl-response holds credentials.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Frame<'a> {
    /// AMQP or SASL.
    pub frame_type: FrameType,
    /// The channel (ignored by SASL frames, but kept as sent).
    pub channel: u16,
    /// The extended header, `DOFF * 4 - 8` bytes (AMQP 1.0 defines none).
    pub extended_header: &'a [u8],
    /// The frame body: a performative and payload, or nothing for a heartbeat.
    pub body: &'a [u8],
}

fn check_extended_header(ext: &[u8]) -> Result<u8, EncodeError> {
    if ext.len() % 4 != 0 || ext.len() > MAX_EXTENDED_HEADER {
        return Err(EncodeError::InvalidExtendedHeader { len: ext.len() });
    }
    // At most 255 by the check above.
    u8::try_from((ext.len() + FRAME_HEADER_LEN) / 4)
        .map_err(|_| EncodeError::InvalidExtendedHeader { len: ext.len() })
}

fn frame_size(ext: usize, body: usize) -> Result<u32, EncodeError> {
    FRAME_HEADER_LEN
        .checked_add(ext)
        .and_then(|n| n.checked_add(body))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(EncodeError::TooLarge)
}

#[inline]
fn write_header(
    w: &mut Writer<'_>,
    size: u32,
    doff: u8,
    frame_type: FrameType,
    channel: u16,
    ext: &[u8],
) -> Result<(), EncodeError> {
    let s = size.to_be_bytes();
    let c = channel.to_be_bytes();
    w.put_slice(&[s[0], s[1], s[2], s[3], doff, frame_type.code(), c[0], c[1]])?;
    if !ext.is_empty() {
        w.put_slice(ext)?;
    }
    Ok(())
}

impl fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Frame");
        d.field("frame_type", &self.frame_type)
            .field("channel", &self.channel)
            .field("extended_header", &self.extended_header);
        match self.frame_type {
            FrameType::Sasl => d.field(
                "body",
                &format_args!("<{} bytes, redacted>", self.body.len()),
            ),
            _ => d.field("body", &self.body),
        };
        d.finish()
    }
}

impl<'a> Frame<'a> {
    /// An empty AMQP frame on `channel`: a heartbeat.
    pub const fn heartbeat(channel: u16) -> Self {
        Self {
            frame_type: FrameType::Amqp,
            channel,
            extended_header: &[],
            body: &[],
        }
    }

    /// Reads the SIZE field of the frame at the front of `buf`, once four
    /// bytes are present.
    pub fn peek_size(buf: &[u8]) -> Option<u32> {
        match buf.get(..4) {
            Some(&[a, b, c, d]) => Some(u32::from_be_bytes([a, b, c, d])),
            _ => None,
        }
    }

    /// Decodes one frame from the front of `buf` with the default
    /// [`DecodeOptions`] (frames up to
    /// [`DecodeOptions::DEFAULT_MAX_FRAME_SIZE`], 64 KiB).
    #[inline]
    pub fn decode(buf: &'a [u8]) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_with(buf, &DecodeOptions::new())
    }

    /// Decodes one frame from the front of `buf` under `options`.
    ///
    /// A frame whose SIZE exceeds [`DecodeOptions::max_frame_size`] fails
    /// with [`DecodeError::FrameTooLarge`] as soon as SIZE has been read.
    /// The header fields are checked as soon as the 8-byte header is
    /// present; until the whole frame is, the answer is
    /// [`Decoded::Incomplete`] with the number of bytes missing.
    #[inline]
    pub fn decode_with(
        buf: &'a [u8],
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let max_frame_size = options.max_frame_size;
        let Some(size) = Self::peek_size(buf) else {
            return Ok(Decoded::needs(FRAME_HEADER_LEN - buf.len()));
        };
        if size > max_frame_size {
            return Err(DecodeError::FrameTooLarge {
                size,
                max: max_frame_size,
            });
        }
        if size < FRAME_HEADER_LEN as u32 {
            return Err(DecodeError::FrameTooSmall { size });
        }
        // `size` fits in usize on every target with at least 32-bit pointers;
        // on smaller ones a frame this large could not be buffered anyway.
        let total = usize::try_from(size).unwrap_or(usize::MAX);
        let Some(&[_, _, _, _, doff, ty, c0, c1]) = buf.get(..FRAME_HEADER_LEN) else {
            return Ok(Decoded::needs(total - buf.len()));
        };
        let data_start = usize::from(doff) * 4;
        if doff < 2 || data_start > total {
            return Err(DecodeError::InvalidDataOffset { doff, size });
        }
        let frame_type =
            FrameType::from_code(ty).ok_or(DecodeError::UnknownFrameType { frame_type: ty })?;
        let Some(frame) = buf.get(..total) else {
            return Ok(Decoded::needs(total - buf.len()));
        };
        Ok(Decoded::Complete {
            item: Self {
                frame_type,
                channel: u16::from_be_bytes([c0, c1]),
                extended_header: &frame[FRAME_HEADER_LEN..data_start],
                body: &frame[data_start..],
            },
            consumed: total,
        })
    }

    /// Whether the body is empty: a heartbeat.
    pub const fn is_heartbeat(&self) -> bool {
        self.body.is_empty()
    }

    /// Decodes the body's performative with the default [`DecodeOptions`]
    /// and returns it with the payload bytes after it; `None` for a
    /// heartbeat.
    pub fn performative(&self) -> Result<Option<(Value<'a>, &'a [u8])>, DecodeError> {
        self.performative_with(&DecodeOptions::new())
    }

    /// [`Frame::performative`] under `options`. The performative must be a
    /// described value ([`DecodeError::PerformativeNotDescribed`]
    /// otherwise).
    pub fn performative_with(
        &self,
        options: &DecodeOptions,
    ) -> Result<Option<(Value<'a>, &'a [u8])>, DecodeError> {
        if self.body.is_empty() {
            return Ok(None);
        }
        if self.body[0] != crate::types::code::DESCRIBED {
            return Err(DecodeError::PerformativeNotDescribed);
        }
        let (v, used) = Value::decode_with(self.body, options)?;
        Ok(Some((v, &self.body[used..])))
    }

    /// The frame's total size on the wire.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        check_extended_header(self.extended_header)?;
        Ok(frame_size(self.extended_header.len(), self.body.len())? as usize)
    }

    /// Writes the frame with its body as is into the start of `buf`,
    /// returning the bytes written (nothing is written on error).
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let doff = check_extended_header(self.extended_header)?;
        let size = frame_size(self.extended_header.len(), self.body.len())?;
        let len = size as usize;
        if buf.len() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        let mut w = Writer::new(buf);
        write_header(
            &mut w,
            size,
            doff,
            self.frame_type,
            self.channel,
            self.extended_header,
        )?;
        w.put_slice(self.body)?;
        Ok(len)
    }

    crate::buf::encode_to_buf!();
}

/// A frame to encode from its parts: a performative value and payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutFrame<'a> {
    /// AMQP or SASL.
    pub frame_type: FrameType,
    /// The channel.
    pub channel: u16,
    /// The extended header: a multiple of 4 bytes, at most
    /// [`MAX_EXTENDED_HEADER`]; empty in AMQP 1.0.
    pub extended_header: &'a [u8],
    /// The performative (normally a described value), or `None` for a
    /// frame whose body is only `payload` (empty: a heartbeat).
    pub performative: Option<Value<'a>>,
    /// Bytes after the performative (a transfer's message data).
    pub payload: &'a [u8],
}

impl<'a> OutFrame<'a> {
    /// A frame carrying `performative` and no payload or extended header.
    pub const fn new(frame_type: FrameType, channel: u16, performative: Value<'a>) -> Self {
        Self {
            frame_type,
            channel,
            extended_header: &[],
            performative: Some(performative),
            payload: &[],
        }
    }

    /// The same frame with `payload` after the performative.
    #[must_use]
    pub const fn with_payload(mut self, payload: &'a [u8]) -> Self {
        self.payload = payload;
        self
    }

    fn body_len(&self) -> Result<usize, EncodeError> {
        let p = match &self.performative {
            Some(v) => v.encoded_len()?,
            None => 0,
        };
        p.checked_add(self.payload.len())
            .ok_or(EncodeError::TooLarge)
    }

    /// The frame's total size on the wire.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        check_extended_header(self.extended_header)?;
        Ok(frame_size(self.extended_header.len(), self.body_len()?)? as usize)
    }

    /// Writes the frame into the start of `buf`, returning the bytes
    /// written (nothing is written on error).
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let doff = check_extended_header(self.extended_header)?;
        let size = frame_size(self.extended_header.len(), self.body_len()?)?;
        let len = size as usize;
        if buf.len() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        let mut w = Writer::new(buf);
        write_header(
            &mut w,
            size,
            doff,
            self.frame_type,
            self.channel,
            self.extended_header,
        )?;
        if let Some(v) = &self.performative {
            v.write_to(&mut w)?;
        }
        w.put_slice(self.payload)?;
        Ok(len)
    }

    crate::buf::encode_to_buf!();
}

/// What can appear at a frame boundary of a connection's byte stream.
///
/// A protocol header is recognized by its first four bytes, `AMQP`. Read as
/// a frame size those would be 1,095,586,128 bytes, so with a maximum frame
/// size below that the two cannot be confused; a connection that allows
/// frames that large should decode with [`Frame::decode`] once it knows no
/// header can follow (after the header exchange).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit<'a> {
    /// A protocol header.
    Header(ProtocolHeader),
    /// A frame.
    Frame(Frame<'a>),
}

impl<'a> Unit<'a> {
    /// Decodes a protocol header or a frame from the front of `buf`.
    ///
    /// Input starting with `AMQP` (or, while shorter, with a prefix of it)
    /// is a protocol header; anything else is a frame, decoded by
    /// [`Frame::decode`]. (A frame starting with `A` would be at least
    /// 0x41000000 bytes long, far above any real maximum frame size.)
    pub fn decode(buf: &'a [u8]) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_with(buf, &DecodeOptions::new())
    }

    /// [`Unit::decode`] under `options`.
    pub fn decode_with(
        buf: &'a [u8],
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let head = &buf[..buf.len().min(4)];
        if !head.is_empty() && PROTOCOL_MAGIC.starts_with(head) {
            Ok(ProtocolHeader::decode(buf)?.map(Self::Header))
        } else {
            Ok(Frame::decode_with(buf, options)?.map(Self::Frame))
        }
    }

    /// The number of bytes this unit takes on the wire.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        match self {
            Self::Header(h) => Ok(h.encoded_len()),
            Self::Frame(f) => f.encoded_len(),
        }
    }

    /// Writes the unit into the start of `buf`, returning the bytes written.
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        match self {
            Self::Header(h) => h.encode_to_slice(buf),
            Self::Frame(f) => f.encode_to_slice(buf),
        }
    }

    crate::buf::encode_to_buf!();
}

/// A frame body decoded to its type.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(clippy::large_enum_variant)] // borrowed views: no allocation to save
pub enum FrameBody<'a> {
    /// An empty AMQP frame.
    Heartbeat,
    /// An AMQP frame: a performative and, for `transfer`, payload bytes
    /// (message data; see [`Message::decode`](crate::messaging::Message::decode)).
    Amqp {
        /// The performative.
        performative: Performative<'a>,
        /// The bytes after it (empty unless it is a `transfer`).
        payload: &'a [u8],
    },
    /// A SASL frame.
    Sasl(SaslFrame<'a>),
}

impl<'a> Frame<'a> {
    /// Decodes the body to its type with the default [`DecodeOptions`].
    pub fn typed_body(&self) -> Result<FrameBody<'a>, DecodeError> {
        self.typed_body_with(&DecodeOptions::new())
    }

    /// Decodes the body to its type under `options` (its frame size limit
    /// is not checked again).
    ///
    /// An empty AMQP frame is a heartbeat; a SASL frame must hold a SASL
    /// body and an AMQP frame a performative ([`DecodeError::WrongFrameType`]
    /// otherwise). Only a `transfer` may carry payload bytes
    /// ([`DecodeError::UnexpectedPayload`], part 2, 2.3.2).
    #[inline(always)]
    pub fn typed_body_with(&self, options: &DecodeOptions) -> Result<FrameBody<'a>, DecodeError> {
        self.typed_body_in(Budget::new(options))
    }

    /// [`Frame::typed_body_with`] with the nesting budget made already.
    #[inline]
    fn typed_body_in(&self, budget: Budget) -> Result<FrameBody<'a>, DecodeError> {
        let mut r = Reader::new(self.body);
        match self.frame_type {
            FrameType::Amqp => {
                if self.body.is_empty() {
                    return Ok(FrameBody::Heartbeat);
                }
                let performative = match Performative::read(&mut r, budget) {
                    Ok(p) => p,
                    Err(DecodeError::UnexpectedDescriptor { .. })
                        if self.body[0] != crate::types::code::DESCRIBED =>
                    {
                        return Err(DecodeError::PerformativeNotDescribed)
                    }
                    Err(e) => return Err(e),
                };
                let payload = r.rest();
                if !payload.is_empty() && !matches!(performative, Performative::Transfer(_)) {
                    return Err(DecodeError::UnexpectedPayload {
                        performative: performative.name(),
                        len: payload.len(),
                    });
                }
                Ok(FrameBody::Amqp {
                    performative,
                    payload,
                })
            }
            FrameType::Sasl => {
                let s = SaslFrame::read(&mut r, budget)?;
                if !r.is_empty() {
                    return Err(DecodeError::UnexpectedPayload {
                        performative: s.name(),
                        len: r.remaining(),
                    });
                }
                Ok(FrameBody::Sasl(s))
            }
        }
    }
}

/// Writes a frame of `body` (sized once) and `payload` into `buf`, nothing
/// on error.
#[inline(always)]
fn write_frame<T: Enc>(
    body: Option<&T>,
    ty: FrameType,
    channel: u16,
    payload: &[u8],
    buf: &mut [u8],
) -> Result<usize, EncodeError> {
    let plan = match body {
        Some(b) => Some(b.plan()?),
        None => None,
    };
    let blen = plan.map_or(0, |p| p.len);
    let len = frame_size(
        0,
        blen.checked_add(payload.len())
            .ok_or(EncodeError::TooLarge)?,
    )? as usize;
    if buf.len() < len {
        return Err(EncodeError::BufferTooSmall { required: len });
    }
    let mut w = Writer::new(buf);
    write_header(&mut w, len as u32, 2, ty, channel, &[])?;
    if let (Some(b), Some(p)) = (body, plan) {
        b.enc_planned(p, &mut w)?;
    }
    if !payload.is_empty() {
        w.put_slice(payload)?;
    }
    Ok(len)
}

/// A typed frame: a channel and a typed body. [`TypedFrame::decode`] reads
/// one from a stream; the encoders write the frame header, the body with
/// the shortest constructors, and the payload.
///
/// ```
/// use amqp_frame::frame::{FrameBody, TypedFrame};
/// use amqp_frame::transport::{Flow, Performative};
/// use amqp_frame::Decoded;
///
/// let flow = Flow {
///     next_incoming_id: Some(1),
///     incoming_window: 2048,
///     next_outgoing_id: 1,
///     outgoing_window: 2048,
///     handle: Some(0),
///     delivery_count: Some(0),
///     link_credit: Some(100),
///     available: None,
///     drain: false,
///     echo: false,
///     properties: None,
/// };
/// let frame = TypedFrame::amqp(0, Performative::Flow(flow), &[]);
/// let mut buf = [0u8; 64];
/// let n = frame.encode_to_slice(&mut buf).unwrap();
/// assert_eq!(n, 32); // the `amqp_flow` benchmark workload, byte for byte
/// let Decoded::Complete { item, consumed } = TypedFrame::decode(&buf[..n]).unwrap() else {
///     panic!()
/// };
/// assert_eq!((item, consumed), (frame, n));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypedFrame<'a> {
    /// The channel (0 for SASL frames).
    pub channel: u16,
    /// The body.
    pub body: FrameBody<'a>,
}

impl<'a> TypedFrame<'a> {
    /// An AMQP frame.
    pub const fn amqp(channel: u16, performative: Performative<'a>, payload: &'a [u8]) -> Self {
        Self {
            channel,
            body: FrameBody::Amqp {
                performative,
                payload,
            },
        }
    }

    /// A SASL frame (channel 0).
    pub const fn sasl(body: SaslFrame<'a>) -> Self {
        Self {
            channel: 0,
            body: FrameBody::Sasl(body),
        }
    }

    /// Decodes one frame from the front of `buf` ([`Frame::decode`]) and
    /// its body ([`Frame::typed_body`]) with the default [`DecodeOptions`].
    /// The extended header, if any, is skipped.
    #[inline]
    pub fn decode(buf: &'a [u8]) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_in(buf, DecodeOptions::DEFAULT_MAX_FRAME_SIZE, Budget::DEFAULT)
    }

    /// [`TypedFrame::decode`] under `options`.
    #[inline]
    pub fn decode_with(
        buf: &'a [u8],
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_in(buf, options.max_frame_size, Budget::new(options))
    }

    /// Decodes with the limits taken out of the options (constants for
    /// [`TypedFrame::decode`], so that they fold away).
    #[inline]
    fn decode_in(
        buf: &'a [u8],
        max_frame_size: u32,
        budget: Budget,
    ) -> Result<Decoded<Self>, DecodeError> {
        let frame_limit = DecodeOptions::new().max_frame_size(max_frame_size);
        match Frame::decode_with(buf, &frame_limit)? {
            Decoded::Complete { item, consumed } => Ok(Decoded::Complete {
                item: Self {
                    channel: item.channel,
                    body: item.typed_body_in(budget)?,
                },
                consumed,
            }),
            Decoded::Incomplete { needed } => Ok(Decoded::Incomplete { needed }),
        }
    }

    fn parts(&self) -> (FrameType, Option<&dyn Enc>, &'a [u8]) {
        match &self.body {
            FrameBody::Heartbeat => (FrameType::Amqp, None, &[]),
            FrameBody::Amqp {
                performative,
                payload,
            } => (FrameType::Amqp, Some(performative), payload),
            FrameBody::Sasl(s) => (FrameType::Sasl, Some(s), &[]),
        }
    }

    /// Only a `transfer` carries payload (part 2, 2.3.2).
    fn check_payload(&self) -> Result<(), EncodeError> {
        match &self.body {
            FrameBody::Amqp {
                performative,
                payload,
            } if !payload.is_empty() && !matches!(performative, Performative::Transfer(_)) => Err(
                EncodeError::Invalid("payload after a performative other than transfer (2.3.2)"),
            ),
            _ => Ok(()),
        }
    }

    /// The frame's total size on the wire.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.check_payload()?;
        let (_, body, payload) = self.parts();
        let b = match body {
            Some(b) => b.enc_len()?,
            None => 0,
        };
        Ok(frame_size(
            0,
            b.checked_add(payload.len()).ok_or(EncodeError::TooLarge)?,
        )? as usize)
    }

    /// Writes the frame into the start of `buf`, returning the bytes
    /// written (nothing is written on error).
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        use crate::sasl::SaslFrame as S;
        use crate::transport::Performative as P;
        self.check_payload()?;
        let c = self.channel;
        // Dispatched statically, so that each body is sized and written
        // with its own code inlined.
        match &self.body {
            FrameBody::Heartbeat => {
                write_frame(None::<&Performative<'_>>, FrameType::Amqp, c, &[], buf)
            }
            FrameBody::Amqp {
                performative,
                payload,
            } => {
                let a = FrameType::Amqp;
                match performative {
                    P::Open(x) => write_frame(Some(x), a, c, payload, buf),
                    P::Begin(x) => write_frame(Some(x), a, c, payload, buf),
                    P::Attach(x) => write_frame(Some(x), a, c, payload, buf),
                    P::Flow(x) => write_frame(Some(x), a, c, payload, buf),
                    P::Transfer(x) => write_frame(Some(x), a, c, payload, buf),
                    P::Disposition(x) => write_frame(Some(x), a, c, payload, buf),
                    P::Detach(x) => write_frame(Some(x), a, c, payload, buf),
                    P::End(x) => write_frame(Some(x), a, c, payload, buf),
                    P::Close(x) => write_frame(Some(x), a, c, payload, buf),
                }
            }
            FrameBody::Sasl(s) => {
                let t = FrameType::Sasl;
                match s {
                    S::Mechanisms(x) => write_frame(Some(x), t, c, &[], buf),
                    S::Init(x) => write_frame(Some(x), t, c, &[], buf),
                    S::Challenge(x) => write_frame(Some(x), t, c, &[], buf),
                    S::Response(x) => write_frame(Some(x), t, c, &[], buf),
                    S::Outcome(x) => write_frame(Some(x), t, c, &[], buf),
                }
            }
        }
    }

    crate::buf::encode_to_buf!();
}

/// A `transfer` frame carrying a message encoded straight into the frame
/// (no intermediate buffer): what a sender writes for a message that fits
/// one frame.
///
/// A message larger than the peer's maximum frame size goes into several
/// transfers, `more` set on all but the last, each payload a piece of the
/// encoded message; the receiver decodes the concatenation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransferFrame<'a> {
    /// The channel.
    pub channel: u16,
    /// The performative.
    pub transfer: Transfer<'a>,
    /// The message.
    pub message: &'a Message<'a>,
}

impl TransferFrame<'_> {
    /// The frame's total size on the wire.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        let body = self
            .transfer
            .encoded_len()?
            .checked_add(self.message.encoded_len()?)
            .ok_or(EncodeError::TooLarge)?;
        Ok(frame_size(0, body)? as usize)
    }

    /// Writes the frame into the start of `buf`, returning the bytes
    /// written (nothing is written on error).
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let plan = self.transfer.plan()?;
        let body = plan
            .len
            .checked_add(self.message.encoded_len()?)
            .ok_or(EncodeError::TooLarge)?;
        let len = frame_size(0, body)? as usize;
        if buf.len() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        let mut w = Writer::new(buf);
        write_header(&mut w, len as u32, 2, FrameType::Amqp, self.channel, &[])?;
        self.transfer.enc_planned(plan, &mut w)?;
        self.message.enc(&mut w)?;
        Ok(len)
    }

    crate::buf::encode_to_buf!();
}
