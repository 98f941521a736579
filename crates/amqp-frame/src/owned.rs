//! Owned forms (feature `alloc`): a frame or a message that keeps its wire
//! bytes in a reference-counted [`Bytes`] instead of borrowing the input,
//! for queues, in-flight deliveries and anything that outlives the read
//! buffer.
//!
//! Decoding splits the frame's bytes off the front of the caller's
//! [`BytesMut`] and freezes them: nothing is copied, and the payload handed
//! out as [`Bytes`] is a slice of the same allocation. The borrowed views
//! ([`OwnedFrame::as_frame`], [`OwnedMessage::as_message`]) are decoded again
//! from the validated bytes on each call.
//!
//! A message split over several transfer frames is the concatenation of
//! their payloads; [`OwnedMessage::from_payloads`] makes one buffer of
//! them (the one copy, sized by the bytes actually received).
//!
//! ```
//! use amqp_frame::bytes::BytesMut;
//! use amqp_frame::frame::{TransferFrame, TypedFrame};
//! use amqp_frame::messaging::{Body, DataSections, Message};
//! use amqp_frame::owned::{OwnedFrame, OwnedMessage};
//! use amqp_frame::transport::Transfer;
//! use amqp_frame::Decoded;
//!
//! let msg = Message { body: Some(Body::Data(DataSections::one(b"hello"))), ..Message::default() };
//! let transfer = Transfer { delivery_id: Some(0), delivery_tag: Some(b"t"), ..Transfer::new(0) };
//! let frame = TransferFrame { channel: 0, transfer, message: &msg };
//! let mut wire = BytesMut::new();
//! frame.encode(&mut wire).unwrap();
//!
//! let Decoded::Complete { item, .. } = OwnedFrame::decode(&mut wire).unwrap() else {
//!     panic!()
//! };
//! assert!(wire.is_empty());
//! let payload = item.payload().unwrap(); // shares the frame's bytes
//! let owned = OwnedMessage::from_bytes(payload).unwrap();
//! assert_eq!(owned.as_message(), msg);
//! assert_eq!(owned.as_bytes().len(), msg.encoded_len().unwrap());
//! ```

use alloc::vec::Vec;
use core::fmt;

use bytes::{Bytes, BytesMut};

use crate::frame::{FrameBody, TypedFrame};
use crate::messaging::Message;
use crate::options::DecodeOptions;
use crate::transport::Performative;
use crate::{DecodeError, Decoded};

/// One whole frame owning its wire bytes (shared, not copied), decoded
/// and validated once, performative included.
///
/// Two are equal when their bytes are (the options they were validated
/// under do not count).
#[derive(Clone)]
pub struct OwnedFrame {
    raw: Bytes,
    options: DecodeOptions,
}

impl OwnedFrame {
    /// Validates `raw` as exactly one frame ([`TypedFrame::decode`], with
    /// the default [`DecodeOptions`]) and keeps it: a frame cut short is
    /// [`DecodeError::UnexpectedEnd`], bytes after it
    /// [`DecodeError::TrailingBytes`].
    pub fn from_bytes(raw: Bytes) -> Result<Self, DecodeError> {
        Self::from_bytes_with(raw, &DecodeOptions::new())
    }

    /// [`OwnedFrame::from_bytes`] under `options`.
    pub fn from_bytes_with(raw: Bytes, options: &DecodeOptions) -> Result<Self, DecodeError> {
        match TypedFrame::decode_with(&raw, options)? {
            Decoded::Complete { consumed, .. } if consumed == raw.len() => {}
            Decoded::Complete { consumed, .. } => {
                return Err(DecodeError::TrailingBytes {
                    len: raw.len() - consumed,
                })
            }
            Decoded::Incomplete { needed } => {
                return Err(DecodeError::UnexpectedEnd {
                    needed: needed.map_or(0, |n| n.get()),
                })
            }
        }
        Ok(Self {
            raw,
            options: *options,
        })
    }

    /// Decodes the frame at the front of `buf` ([`TypedFrame::decode`],
    /// with the default [`DecodeOptions`]) and, when it is complete and
    /// valid, splits its bytes off `buf` without copying them. On
    /// [`Decoded::Incomplete`] and on errors `buf` is left as it was.
    pub fn decode(buf: &mut BytesMut) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_with(buf, &DecodeOptions::new())
    }

    /// [`OwnedFrame::decode`] under `options`.
    pub fn decode_with(
        buf: &mut BytesMut,
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let consumed = match TypedFrame::decode_with(buf, options)? {
            Decoded::Complete { consumed, .. } => consumed,
            Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
        };
        Ok(Decoded::Complete {
            item: Self {
                raw: buf.split_to(consumed).freeze(),
                options: *options,
            },
            consumed,
        })
    }

    /// Encodes `frame` into a new owned frame (the one copy, into the
    /// buffer the owned frame then shares).
    ///
    /// The bytes are decoded again, so that the accessors always have a
    /// frame to give: a frame whose values the decoder would refuse (past
    /// the limits of the default [`DecodeOptions`] other than the frame
    /// size, or payload on a performative other than `transfer`) is an
    /// [`EncodeError::Decode`](crate::EncodeError::Decode) naming what the
    /// decoder refuses.
    pub fn from_typed(frame: &TypedFrame<'_>) -> Result<Self, crate::EncodeError> {
        let mut buf = alloc::vec![0u8; frame.encoded_len()?];
        frame.encode_to_slice(&mut buf)?;
        // The frame was made here, so its size is not a peer's to limit.
        let options = DecodeOptions::new().max_frame_size(u32::MAX);
        match TypedFrame::decode_with(&buf, &options) {
            Ok(Decoded::Complete { .. }) => {}
            Ok(Decoded::Incomplete { .. }) => {
                return Err(crate::EncodeError::Invalid("encoded frame does not decode"))
            }
            Err(e) => return Err(crate::EncodeError::Decode(e)),
        }
        Ok(Self {
            raw: Bytes::from(buf),
            options,
        })
    }

    /// The typed frame, borrowed (decoded again from the validated bytes).
    pub fn as_frame(&self) -> TypedFrame<'_> {
        match TypedFrame::decode_with(&self.raw, &self.options) {
            Ok(Decoded::Complete { item, .. }) => item,
            // decoded successfully when `self` was made; decoding is
            // deterministic
            _ => unreachable!("an OwnedFrame holds one valid frame"),
        }
    }

    /// The performative, for an AMQP frame that is not a heartbeat.
    pub fn performative(&self) -> Option<Performative<'_>> {
        match self.as_frame().body {
            FrameBody::Amqp { performative, .. } => Some(performative),
            _ => None,
        }
    }

    /// The payload of a transfer (message bytes) as a slice of the shared
    /// bytes, ready for [`OwnedMessage::from_bytes`]; `None` for other
    /// frames.
    pub fn payload(&self) -> Option<Bytes> {
        match self.as_frame().body {
            FrameBody::Amqp {
                performative: Performative::Transfer(_),
                payload,
            } => Some(self.raw.slice_ref(payload)),
            _ => None,
        }
    }

    /// The frame's channel.
    pub fn channel(&self) -> u16 {
        self.as_frame().channel
    }

    /// The wire bytes, exactly as received.
    pub fn as_bytes(&self) -> &Bytes {
        &self.raw
    }

    /// Gives up the wire bytes.
    pub fn into_bytes(self) -> Bytes {
        self.raw
    }
}

impl PartialEq for OwnedFrame {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl Eq for OwnedFrame {}

impl core::hash::Hash for OwnedFrame {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl fmt::Debug for OwnedFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_frame().fmt(f)
    }
}

/// A whole message owning its bytes, validated once.
///
/// Two are equal when their bytes are (the options they were validated
/// under do not count).
#[derive(Clone)]
pub struct OwnedMessage {
    raw: Bytes,
    options: DecodeOptions,
}

impl OwnedMessage {
    /// Validates `raw` as a message ([`Message::decode`]) and keeps it.
    pub fn from_bytes(raw: Bytes) -> Result<Self, DecodeError> {
        Self::from_bytes_with(raw, &DecodeOptions::new())
    }

    /// [`OwnedMessage::from_bytes`] under `options`.
    pub fn from_bytes_with(raw: Bytes, options: &DecodeOptions) -> Result<Self, DecodeError> {
        Message::decode_with(&raw, options)?;
        Ok(Self {
            raw,
            options: *options,
        })
    }

    /// The message of a delivery that arrived in several transfer frames:
    /// the concatenation of their payloads, in order.
    pub fn from_payloads<'p>(
        payloads: impl IntoIterator<Item = &'p [u8]> + Clone,
    ) -> Result<Self, DecodeError> {
        let total = payloads.clone().into_iter().map(<[u8]>::len).sum();
        let mut buf = Vec::with_capacity(total);
        for p in payloads {
            buf.extend_from_slice(p);
        }
        Self::from_bytes(Bytes::from(buf))
    }

    /// Encodes `message` into a new owned message.
    ///
    /// The bytes are decoded again (see [`OwnedFrame::from_typed`]): a
    /// message the decoder would refuse is an
    /// [`EncodeError::Decode`](crate::EncodeError::Decode).
    pub fn from_message(message: &Message<'_>) -> Result<Self, crate::EncodeError> {
        let mut buf = alloc::vec![0u8; message.encoded_len()?];
        message.encode_to_slice(&mut buf)?;
        let options = DecodeOptions::new();
        if let Err(e) = Message::decode_with(&buf, &options) {
            return Err(crate::EncodeError::Decode(e));
        }
        Ok(Self {
            raw: Bytes::from(buf),
            options,
        })
    }

    /// The message, borrowed (decoded again from the validated bytes).
    pub fn as_message(&self) -> Message<'_> {
        match Message::decode_with(&self.raw, &self.options) {
            Ok(m) => m,
            Err(_) => unreachable!("an OwnedMessage holds one valid message"),
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &Bytes {
        &self.raw
    }

    /// Gives up the bytes.
    pub fn into_bytes(self) -> Bytes {
        self.raw
    }
}

impl PartialEq for OwnedMessage {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl Eq for OwnedMessage {}

impl core::hash::Hash for OwnedMessage {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl fmt::Debug for OwnedMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_message().fmt(f)
    }
}
