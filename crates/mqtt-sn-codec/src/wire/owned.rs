//! Owned messages (feature `alloc`): a decoded datagram that keeps its bytes
//! in a reference-counted [`Bytes`] instead of borrowing them, for what a
//! state machine must keep: a QoS 1/2 PUBLISH until it is acknowledged, the
//! messages a gateway buffers for a sleeping client, a will message.
//!
//! Decoding validates the datagram once and keeps the [`Bytes`] it came in:
//! no byte is copied, and the payload handed out as [`Bytes`] is a slice of
//! that same allocation. [`OwnedMessage::as_message`] gives the borrowed
//! [`Message`] back, to read fields or to encode.
//!
//! ```
//! use bytes::BytesMut;
//! use mqtt_sn_codec::{Message, OwnedMessage, QoS};
//!
//! // a receive buffer the caller reuses; one datagram arrived in it
//! let mut buf = BytesMut::with_capacity(1500);
//! buf.extend_from_slice(&[0x0a, 0x0c, 0x20, 0x00, 0x01, 0x00, 0x0a, b'a', b'b', b'c']);
//! let kept = OwnedMessage::from_bytes(buf.split().freeze()).unwrap();
//!
//! assert_eq!(kept.msg_id(), Some(10));
//! assert_eq!(kept.data().as_deref(), Some(&b"abc"[..]));
//! let Message::Publish { flags, .. } = kept.as_message() else { panic!() };
//! assert_eq!(flags.qos, QoS::AtLeastOnce);
//! ```

use core::fmt;

use bytes::Bytes;

use super::Message;
use crate::error::{DecodeError, EncodeError};

/// One MQTT-SN message owning its datagram (shared, not copied), decoded and
/// validated once.
///
/// Cloning is cheap (a reference count). [`OwnedMessage::as_message`] reads
/// the fields again from the validated bytes each time it is called.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnedMessage {
    raw: Bytes,
}

impl OwnedMessage {
    /// Decodes one datagram, keeping it. The rules are those of
    /// [`Message::decode`]; on an error the datagram is dropped.
    pub fn from_bytes(datagram: Bytes) -> Result<Self, DecodeError> {
        Message::decode(&datagram)?;
        Ok(Self { raw: datagram })
    }

    /// Encodes `msg` (checking it like [`Message::encode_to_slice`]) into a
    /// new owned message, e.g. to keep an outgoing PUBLISH for
    /// retransmission. This is the one place that copies: into the single
    /// buffer the owned message then shares.
    ///
    /// The encoder refuses what the decoder rejects (a reserved topic id,
    /// an empty topic name, ...) and a message that does not fit a
    /// datagram, with its own error. The bytes are decoded once more, so
    /// that [`OwnedMessage::as_message`] always has a message to give;
    /// that fails only on a bug ([`EncodeError::InvalidField`]).
    pub fn from_message(msg: &Message<'_>) -> Result<Self, EncodeError> {
        let raw = Bytes::from(msg.to_vec()?);
        if Message::decode(&raw).is_err() {
            return Err(EncodeError::InvalidField {
                field: "encoded message does not decode",
            });
        }
        Ok(Self { raw })
    }

    /// The borrowed view of the message, to read its fields or encode it.
    pub fn as_message(&self) -> Message<'_> {
        match Message::decode(&self.raw) {
            Ok(m) => m,
            // the bytes decoded when `self` was made, they cannot change
            // (`Bytes` is immutable), and decoding is deterministic
            Err(_) => unreachable!("an OwnedMessage holds one valid datagram"),
        }
    }

    /// The datagram, exactly as received (or as encoded).
    pub fn as_bytes(&self) -> &Bytes {
        &self.raw
    }

    /// Gives up the datagram.
    pub fn into_bytes(self) -> Bytes {
        self.raw
    }

    /// The MsgType octet.
    pub fn msg_type(&self) -> u8 {
        self.as_message().msg_type()
    }

    /// The MsgId, for the messages that carry one ([`Message::msg_id`]).
    pub fn msg_id(&self) -> Option<u16> {
        self.as_message().msg_id()
    }

    /// The size of the datagram.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Always `false`: a message is at least two bytes.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The binary payload as a slice of the shared bytes (no copy): the
    /// Data of a PUBLISH, the WillMsg of a WILLMSG or WILLMSGUPD; `None`
    /// for other messages.
    pub fn data(&self) -> Option<Bytes> {
        match self.as_message() {
            Message::Publish { data, .. } => Some(self.share(data)),
            Message::WillMsg { msg } | Message::WillMsgUpd { msg } => Some(self.share(msg)),
            _ => None,
        }
    }

    /// The message inside a forwarder encapsulation, sharing these bytes;
    /// `None` for any other message.
    pub fn encapsulated(&self) -> Option<Self> {
        match self.as_message() {
            // `from_bytes` checked that the encapsulated bytes are one valid
            // message on their own
            Message::Forwarded(f) => Some(Self {
                raw: self.share(f.inner),
            }),
            _ => None,
        }
    }

    /// `part` (a subslice of `self.raw`) as a shared [`Bytes`].
    fn share(&self, part: &[u8]) -> Bytes {
        if part.is_empty() {
            Bytes::new()
        } else {
            self.raw.slice_ref(part)
        }
    }
}

impl fmt::Debug for OwnedMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("OwnedMessage")
            .field(&self.as_message())
            .finish()
    }
}

impl<'a> From<&'a OwnedMessage> for Message<'a> {
    fn from(m: &'a OwnedMessage) -> Self {
        m.as_message()
    }
}

impl TryFrom<Bytes> for OwnedMessage {
    type Error = DecodeError;

    fn try_from(datagram: Bytes) -> Result<Self, DecodeError> {
        Self::from_bytes(datagram)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Flags, Forwarded, QoS, Topic};

    use alloc::format;
    use alloc::vec::Vec;

    fn publish(data: &[u8]) -> Message<'_> {
        Message::Publish {
            flags: Flags {
                qos: QoS::ExactlyOnce,
                ..Flags::default()
            },
            topic: Topic::Id(7),
            msg_id: 42,
            data,
        }
    }

    #[test]
    fn payload_is_not_copied_and_outlives_the_buffer() {
        let payload = [0x5a; 300];
        let wire = publish(&payload).to_vec().unwrap();
        assert_eq!(wire.len(), 309); // the 3-byte Length form
        let bytes = Bytes::from(wire.clone());
        let (start, end) = (
            bytes.as_ptr() as usize,
            bytes.as_ptr() as usize + bytes.len(),
        );
        let kept = OwnedMessage::from_bytes(bytes).unwrap();
        assert_eq!(kept.as_bytes().as_ptr() as usize, start);

        let data = kept.data().unwrap();
        let p = data.as_ptr() as usize;
        assert_eq!(data.len(), 300);
        assert!(start < p && p + data.len() == end, "payload was copied");
        assert_eq!(kept.msg_id(), Some(42));
        assert_eq!(kept.msg_type(), crate::msg_type::PUBLISH);
        assert_eq!((kept.len(), kept.is_empty()), (309, false));

        let Message::Publish { data: view, .. } = kept.as_message() else {
            panic!("{kept:?}")
        };
        assert_eq!(view.as_ptr(), data.as_ptr());
        assert_eq!(kept.as_message().to_vec().unwrap(), wire);
        let copy = kept.clone();
        drop(kept);
        assert_eq!(copy.as_message(), publish(&payload));
        assert_eq!(&copy.into_bytes()[..], &wire[..]);
    }

    #[test]
    fn decode_errors_are_the_borrowed_decoders() {
        for bad in [
            &[0x03, 0x05][..],
            &[0x02, 0x03],
            &[0x07, 0x0c, 0x00, 0, 0, 0, 1],
        ] {
            assert_eq!(
                OwnedMessage::from_bytes(Bytes::copy_from_slice(bad)),
                Err(Message::decode(bad).unwrap_err())
            );
        }
        assert!(OwnedMessage::try_from(Bytes::from_static(&[0x02, 0x16])).is_ok());
    }

    #[test]
    fn from_message_keeps_only_what_decodes() {
        let kept = OwnedMessage::from_message(&Message::PingResp).unwrap();
        assert_eq!(&kept.as_bytes()[..], &[0x02, 0x17]);
        assert_eq!(Message::from(&kept), Message::PingResp);
        assert_eq!((kept.msg_id(), kept.data()), (None, None));
        assert!(format!("{kept:?}").contains("PingResp"));
        // topic id 0x0000 is reserved in a PUBLISH: the encoder refuses it
        let bad = Message::Publish {
            flags: Flags::default(),
            topic: Topic::Id(0),
            msg_id: 0,
            data: &[],
        };
        let reserved = EncodeError::ReservedTopicId {
            msg_type: crate::msg_type::PUBLISH,
            topic_id: 0,
        };
        assert_eq!(bad.to_vec(), Err(reserved));
        assert_eq!(OwnedMessage::from_message(&bad), Err(reserved));
        let huge: Vec<u8> = alloc::vec![0; 65_530];
        assert_eq!(
            OwnedMessage::from_message(&publish(&huge)),
            Err(EncodeError::TooLong { len: 65_539 })
        );
    }

    #[test]
    fn will_message_and_encapsulation_share_the_bytes() {
        let will = OwnedMessage::from_bytes(Bytes::from_static(&[0x04, 0x09, 0x00, 0xff])).unwrap();
        assert_eq!(will.data().as_deref(), Some(&[0x00, 0xff][..]));
        assert_eq!(will.encapsulated(), None);

        let inner = [0x04, 0x18, 0x00, 0x3c]; // DISCONNECT, sleep 60 s
        let fwd = Message::Forwarded(Forwarded {
            ctrl: 1,
            node_id: &[0xaa, 0xbb],
            inner: &inner,
        });
        let kept = OwnedMessage::from_message(&fwd).unwrap();
        let start = kept.as_bytes().as_ptr() as usize;
        let enc = kept.encapsulated().unwrap();
        assert_eq!(enc.as_bytes().as_ptr() as usize, start + 5);
        assert_eq!(enc.as_message(), Message::Disconnect { duration: Some(60) });
        assert_eq!(enc.encapsulated(), None);
    }
}
