//! Owned messages (feature `alloc`): a decoded message that keeps its
//! datagram in a reference-counted [`Bytes`], for events, caches and
//! queues.

use core::fmt;

use bytes::Bytes;

use crate::message::PayloadDebug;
use crate::{Code, DecodeError, EncodeError, Message, MessageType, Options, Token};

/// A whole CoAP message owning its datagram (shared, not copied), decoded
/// and validated once: [`OwnedMessage::as_message`] hands out the fields
/// found then, without decoding again. Cloning is cheap (a reference
/// count).
///
/// ```
/// use bytes::Bytes;
/// use coap_codec::{Code, OwnedMessage};
///
/// let m = OwnedMessage::from_bytes(Bytes::from_static(b"\x50\x45\x00\x07\xff21.5")).unwrap();
/// assert_eq!(m.as_message().code, Code::CONTENT);
/// let payload: Bytes = m.payload(); // a slice of the same allocation
/// assert_eq!(&payload[..], b"21.5");
/// assert_eq!(m.into_bytes().len(), 9);
/// ```
#[derive(Clone)]
pub struct OwnedMessage {
    raw: Bytes,
    mtype: MessageType,
    code: Code,
    message_id: u16,
    token: Token,
    /// Where the options end (they start after the header and token).
    options_end: usize,
    /// Where the payload starts (the end of `raw` when there is none).
    payload_at: usize,
}

impl OwnedMessage {
    /// Decodes and keeps a datagram.
    pub fn from_bytes(raw: Bytes) -> Result<Self, DecodeError> {
        let m = Message::decode(&raw)?;
        Ok(Self::from_decoded(&m, raw.clone()))
    }

    /// Keeps `raw`, which holds exactly the datagram `message` was decoded
    /// from (or an equal copy of it): the fields are taken from `message`.
    pub(crate) fn from_decoded(message: &Message<'_>, raw: Bytes) -> Self {
        let options_at = 4 + message.token.len();
        let options_len = message.options.as_encoded().map_or(0, <[u8]>::len);
        Self {
            mtype: message.mtype,
            code: message.code,
            message_id: message.message_id,
            token: message.token,
            options_end: options_at + options_len,
            payload_at: raw.len() - message.payload.len(),
            raw,
        }
    }

    /// Encodes `message` into a new owned message. The bytes are decoded
    /// again, so that [`OwnedMessage::as_message`] always has a message to
    /// give; whatever the encoder writes decodes, so that check fails only
    /// on a bug ([`EncodeError::Invalid`]).
    pub fn from_message(message: &Message<'_>) -> Result<Self, EncodeError> {
        let raw = Bytes::from(message.to_vec()?);
        Self::from_bytes(raw).map_err(|_| EncodeError::Invalid("encoded message does not decode"))
    }

    /// The borrowed view, to read fields or encode. Nothing is decoded
    /// again.
    pub fn as_message(&self) -> Message<'_> {
        let options_at = 4 + self.token.len();
        let options = self
            .raw
            .get(options_at..self.options_end)
            .unwrap_or_default();
        Message {
            mtype: self.mtype,
            code: self.code,
            message_id: self.message_id,
            token: self.token,
            options: Options::encoded_unchecked(options),
            payload: self.raw.get(self.payload_at..).unwrap_or_default(),
        }
    }

    /// The datagram.
    pub fn as_bytes(&self) -> &Bytes {
        &self.raw
    }

    /// The datagram, without copying.
    pub fn into_bytes(self) -> Bytes {
        self.raw
    }

    /// The payload, sharing the datagram's allocation.
    pub fn payload(&self) -> Bytes {
        self.raw.slice(self.payload_at..)
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
        let m = self.as_message();
        f.debug_struct("OwnedMessage")
            .field("type", &m.mtype)
            .field("code", &m.code)
            .field("message_id", &m.message_id)
            .field("token", &m.token)
            .field("options", &m.options)
            .field("payload", &PayloadDebug(m.payload))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_is_shared() {
        let raw = Bytes::from(alloc::vec![0x50, 0x45, 0, 7, 0xff, 1, 2, 3]);
        let m = OwnedMessage::from_bytes(raw.clone()).unwrap();
        let p = m.payload();
        assert_eq!(&p[..], &[1, 2, 3]);
        assert_eq!(p.as_ptr(), raw[5..].as_ptr());
        assert!(OwnedMessage::from_bytes(Bytes::from_static(b"\x50\x45\x00")).is_err());
        let again = OwnedMessage::from_message(&m.as_message()).unwrap();
        assert_eq!(again, m);
    }
}
