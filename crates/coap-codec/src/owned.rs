//! Owned messages (feature `alloc`): a decoded message that keeps its
//! datagram in a reference-counted [`Bytes`], for events, caches and
//! queues.

use core::fmt;

use bytes::Bytes;

use crate::message::PayloadDebug;
use crate::{DecodeError, EncodeError, Message};

/// A whole CoAP message owning its datagram (shared, not copied), decoded
/// and validated once. Cloning is cheap (a reference count).
///
/// ```
/// use bytes::Bytes;
/// use coap_codec::{Code, OwnedMessage};
///
/// let m = OwnedMessage::decode(Bytes::from_static(b"\x50\x45\x00\x07\xff21.5")).unwrap();
/// assert_eq!(m.as_message().code, Code::CONTENT);
/// let payload: Bytes = m.payload(); // a slice of the same allocation
/// assert_eq!(&payload[..], b"21.5");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnedMessage {
    raw: Bytes,
}

impl OwnedMessage {
    /// Decodes and keeps a datagram.
    pub fn decode(raw: Bytes) -> Result<Self, DecodeError> {
        Message::decode(&raw)?;
        Ok(Self { raw })
    }

    /// Encodes `message` into a new owned message. The bytes are decoded
    /// again, so that [`OwnedMessage::as_message`] always has a message to
    /// give; whatever the encoder writes decodes, so that check fails only
    /// on a bug ([`EncodeError::Invalid`]).
    pub fn from_message(message: &Message<'_>) -> Result<Self, EncodeError> {
        let raw = Bytes::from(message.to_vec()?);
        Message::decode(&raw)
            .map_err(|_| EncodeError::Invalid("encoded message does not decode"))?;
        Ok(Self { raw })
    }

    /// The borrowed view, to read fields or encode.
    pub fn as_message(&self) -> Message<'_> {
        match Message::decode(&self.raw) {
            Ok(m) => m,
            // decoded successfully when `self` was made; decoding is deterministic
            Err(_) => unreachable!("an OwnedMessage holds one valid message"),
        }
    }

    /// The datagram.
    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// The datagram, shared.
    pub fn to_bytes(&self) -> Bytes {
        self.raw.clone()
    }

    /// The payload, sharing the datagram's allocation.
    pub fn payload(&self) -> Bytes {
        self.raw.slice_ref(self.as_message().payload)
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
        let m = OwnedMessage::decode(raw.clone()).unwrap();
        let p = m.payload();
        assert_eq!(&p[..], &[1, 2, 3]);
        assert_eq!(p.as_ptr(), raw[5..].as_ptr());
        assert!(OwnedMessage::decode(Bytes::from_static(b"\x50\x45\x00")).is_err());
        let again = OwnedMessage::from_message(&m.as_message()).unwrap();
        assert_eq!(again, m);
    }
}
