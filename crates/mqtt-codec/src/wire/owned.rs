//! Owned packets (feature `alloc`): a decoded packet that keeps its wire
//! bytes in a reference-counted [`Bytes`] instead of borrowing the input,
//! for storing in-flight messages, retained messages or queues.
//!
//! Decoding splits the packet's bytes off the front of the caller's
//! [`BytesMut`] (or [`Bytes`]) and freezes them: no byte is copied, and the
//! topic and payload handed out as [`Bytes`] are slices of that same
//! allocation. [`OwnedPacket::as_packet`] gives the borrowed [`Packet`] view
//! back, to read fields or to encode.
//!
//! # Reading a stream without `tokio-util`
//!
//! Append whatever the transport delivered to one [`BytesMut`], then take
//! packets off its front until it answers [`Decoded::Incomplete`]:
//!
//! ```
//! use bytes::BytesMut;
//! use mqtt_codec::wire::{OwnedPacket, ProtocolVersion};
//! use mqtt_codec::Decoded;
//!
//! // two PUBLISHes and a PINGREQ, arriving in awkward chunks
//! let wire = [
//!     0x30, 0x05, 0x00, 0x01, b'a', b'h', b'i', //
//!     0x30, 0x04, 0x00, 0x01, b'b', b'!', //
//!     0xc0, 0x00,
//! ];
//! let mut buf = BytesMut::with_capacity(4096);
//! let mut got = Vec::new();
//! for chunk in wire.chunks(3) {
//!     buf.extend_from_slice(chunk); // e.g. what `read` returned
//!     loop {
//!         match OwnedPacket::decode(&mut buf, ProtocolVersion::V3_1_1) {
//!             Ok(Decoded::Complete { item, .. }) => got.push(item),
//!             // `needed` (when known) says how much more to read at least
//!             Ok(Decoded::Incomplete { .. }) => break,
//!             Err(e) => panic!("malformed packet, close the connection: {e}"),
//!         }
//!     }
//! }
//! assert!(buf.is_empty());
//! assert_eq!(got.len(), 3);
//! assert_eq!(got[0].topic(), Some("a"));
//! assert_eq!(got[1].payload().as_deref(), Some(&b"!"[..]));
//! assert_eq!(got[2].packet_type(), 12);
//! ```
//!
//! Nothing is consumed on [`Decoded::Incomplete`] or on an error; after an
//! error the stream cannot be resynchronised and the connection should be
//! closed. Keep the [`BytesMut`] alive across reads so that its spare
//! capacity is reused; `reserve` before reading when `needed` is large.

use core::fmt;

use bytes::{Bytes, BytesMut};

use super::{DecodeOptions, Packet, ProtocolVersion};
use crate::{DecodeError, Decoded, EncodeError};

/// A whole MQTT packet owning its wire bytes (shared, not copied), decoded
/// and validated once.
///
/// Cloning is cheap (a reference count). [`OwnedPacket::as_packet`] reads
/// the fields again from the validated bytes each time it is called.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnedPacket {
    raw: Bytes,
    version: ProtocolVersion,
}

impl OwnedPacket {
    /// Takes `bytes` holding exactly one whole packet, decoded with the
    /// defaults of [`Packet::decode`] (e.g. a packet kept in a store as
    /// its wire bytes). No byte is copied.
    ///
    /// A prefix of a packet is [`DecodeError::Truncated`]`("packet")`,
    /// bytes after it [`DecodeError::TrailingBytes`].
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_codec::wire::{OwnedPacket, ProtocolVersion};
    /// use mqtt_codec::DecodeError;
    ///
    /// let stored = Bytes::from_static(&[0x30, 0x04, 0x00, 0x01, b't', b'!']);
    /// let p = OwnedPacket::from_bytes(stored.clone(), ProtocolVersion::V3_1_1).unwrap();
    /// assert_eq!((p.topic(), p.as_bytes()), (Some("t"), &stored));
    /// assert_eq!(
    ///     OwnedPacket::from_bytes(stored.slice(..5), ProtocolVersion::V3_1_1),
    ///     Err(DecodeError::Truncated("packet"))
    /// );
    /// ```
    pub fn from_bytes(bytes: Bytes, version: ProtocolVersion) -> Result<Self, DecodeError> {
        match Packet::decode(&bytes, version)? {
            Decoded::Complete { consumed, .. } if consumed == bytes.len() => Ok(Self {
                raw: bytes,
                version,
            }),
            Decoded::Complete { consumed, .. } => {
                Err(DecodeError::TrailingBytes(bytes.len() - consumed))
            }
            Decoded::Incomplete { .. } => Err(DecodeError::Truncated("packet")),
        }
    }

    /// Decodes the packet at the front of `buf` with the defaults of
    /// [`Packet::decode`] and, when it is complete, splits its bytes off
    /// `buf` without copying them.
    ///
    /// `version` means what it means for [`Packet::decode`]. On
    /// [`Decoded::Incomplete`] and on errors `buf` is left as it was.
    pub fn decode(
        buf: &mut BytesMut,
        version: ProtocolVersion,
    ) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_with(buf, version, &DecodeOptions::new())
    }

    /// [`OwnedPacket::decode`] with the limits and policies of `options`.
    pub fn decode_with(
        buf: &mut BytesMut,
        version: ProtocolVersion,
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let consumed = match Packet::decode_with(buf, version, options)? {
            Decoded::Complete { consumed, .. } => consumed,
            Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
        };
        let raw = buf.split_to(consumed).freeze();
        Ok(Decoded::Complete {
            item: Self { raw, version },
            consumed,
        })
    }

    /// Like [`OwnedPacket::decode`] for input that is already frozen: the
    /// packet's bytes are split off the front of `buf` (a reference count,
    /// no copy).
    pub fn decode_bytes(
        buf: &mut Bytes,
        version: ProtocolVersion,
    ) -> Result<Decoded<Self>, DecodeError> {
        Self::decode_bytes_with(buf, version, &DecodeOptions::new())
    }

    /// [`OwnedPacket::decode_bytes`] with the limits and policies of
    /// `options`.
    pub fn decode_bytes_with(
        buf: &mut Bytes,
        version: ProtocolVersion,
        options: &DecodeOptions,
    ) -> Result<Decoded<Self>, DecodeError> {
        let consumed = match Packet::decode_with(buf, version, options)? {
            Decoded::Complete { consumed, .. } => consumed,
            Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
        };
        let raw = buf.split_to(consumed);
        Ok(Decoded::Complete {
            item: Self { raw, version },
            consumed,
        })
    }

    /// Encodes `packet` (checking it like [`Packet::encode_to_slice`]) into
    /// a new owned packet, e.g. to keep an outgoing QoS 1/2 PUBLISH until it
    /// is acknowledged. This is the one place that copies: into the single
    /// buffer the owned packet then shares.
    pub fn from_packet(packet: &Packet<'_>, version: ProtocolVersion) -> Result<Self, EncodeError> {
        Ok(Self {
            raw: Bytes::from(packet.to_vec(version)?),
            version,
        })
    }

    /// The borrowed view of the packet, to read its fields or encode it.
    pub fn as_packet(&self) -> Packet<'_> {
        match Packet::decode(&self.raw, self.version) {
            Ok(Decoded::Complete { item, .. }) => item,
            // the bytes were decoded successfully when `self` was made and
            // decoding is deterministic
            _ => unreachable!("an OwnedPacket holds one valid packet"),
        }
    }

    /// The packet's wire bytes, exactly as received (fixed header included).
    pub fn as_bytes(&self) -> &Bytes {
        &self.raw
    }

    /// Gives up the wire bytes.
    pub fn into_bytes(self) -> Bytes {
        self.raw
    }

    /// The protocol version the packet was decoded (or encoded) with.
    pub fn version(&self) -> ProtocolVersion {
        self.version
    }

    /// The packet type (1..=15).
    pub fn packet_type(&self) -> u8 {
        self.raw[0] >> 4
    }

    /// The size of the packet on the wire.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Always `false`: a packet is at least two bytes.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The topic name of a PUBLISH (a validated UTF-8 string, empty when a
    /// MQTT 5 Topic Alias stands in for it); `None` for other packets.
    pub fn topic(&self) -> Option<&str> {
        match self.as_packet() {
            Packet::Publish(p) => Some(p.topic),
            _ => None,
        }
    }

    /// The topic name of a PUBLISH as a slice of the shared bytes; its
    /// contents are valid UTF-8 ([`OwnedPacket::topic`] gives the `&str`).
    pub fn topic_bytes(&self) -> Option<Bytes> {
        self.topic().map(|t| self.share(t.as_bytes()))
    }

    /// The application message of a PUBLISH as a slice of the shared bytes
    /// (no copy); `None` for other packets.
    pub fn payload(&self) -> Option<Bytes> {
        match self.as_packet() {
            Packet::Publish(p) => Some(self.share(p.payload)),
            _ => None,
        }
    }

    /// The packet identifier, for the packets that carry one.
    pub fn packet_id(&self) -> Option<u16> {
        match self.as_packet() {
            Packet::Publish(p) => p.packet_id,
            Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
                Some(a.packet_id)
            }
            Packet::Subscribe(s) => Some(s.packet_id),
            Packet::Suback(s) => Some(s.packet_id),
            Packet::Unsubscribe(u) => Some(u.packet_id),
            Packet::Unsuback(u) => Some(u.packet_id),
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

impl fmt::Debug for OwnedPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // through the borrowed view, so that secrets stay redacted
        f.debug_struct("OwnedPacket")
            .field("version", &self.version)
            .field("packet", &self.as_packet())
            .finish()
    }
}

impl<'a> From<&'a OwnedPacket> for Packet<'a> {
    fn from(p: &'a OwnedPacket) -> Self {
        p.as_packet()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Ack, Properties, Property, Publish, QoS};

    use alloc::vec::Vec;

    const V5: ProtocolVersion = ProtocolVersion::V5;

    fn publish_bytes() -> Vec<u8> {
        let props = [Property::ContentType("text/plain")];
        let payload = [0x5a; 300];
        Packet::Publish(Publish {
            dup: false,
            qos: QoS::AtLeastOnce,
            retain: false,
            topic: "sensors/t1",
            packet_id: Some(7),
            properties: Properties::new(&props),
            payload: &payload,
        })
        .to_vec(V5)
        .unwrap()
    }

    #[test]
    fn payload_is_not_copied() {
        let wire = publish_bytes();
        let mut buf = BytesMut::with_capacity(4096);
        buf.extend_from_slice(&wire);
        buf.extend_from_slice(&[0xc0, 0x00]); // a PINGREQ behind it
        let start = buf.as_ptr() as usize;
        let end = start + buf.len();
        let inside = |b: &Bytes| {
            let p = b.as_ptr() as usize;
            start <= p && p + b.len() <= end
        };

        let Decoded::Complete { item, consumed } = OwnedPacket::decode(&mut buf, V5).unwrap()
        else {
            panic!("incomplete")
        };
        assert_eq!(consumed, wire.len());
        assert_eq!(&buf[..], &[0xc0, 0x00]);
        assert!(inside(item.as_bytes()));
        assert_eq!(item.as_bytes().as_ptr() as usize, start);

        let payload = item.payload().unwrap();
        assert_eq!(payload.len(), 300);
        assert!(inside(&payload), "payload was copied");
        let topic = item.topic_bytes().unwrap();
        assert!(inside(&topic), "topic was copied");
        assert_eq!(&topic[..], b"sensors/t1");
        assert_eq!(item.topic(), Some("sensors/t1"));
        assert_eq!(item.packet_id(), Some(7));

        // the owned packet outlives the buffer it came from
        drop(buf);
        let Packet::Publish(p) = item.as_packet() else {
            panic!()
        };
        assert_eq!(p.payload.as_ptr(), payload.as_ptr());
        assert_eq!(
            p.properties.get(0x03),
            Some(Property::ContentType("text/plain"))
        );
        assert_eq!(item.as_packet().to_vec(V5).unwrap(), wire);
    }

    #[test]
    fn frozen_input_is_split_not_copied() {
        let mut wire = publish_bytes();
        wire.extend_from_slice(&[0x40, 0x02, 0x00, 0x07]); // PUBACK 7
        let mut bytes = Bytes::from(wire);
        let start = bytes.as_ptr() as usize;
        let first = OwnedPacket::decode_bytes(&mut bytes, V5)
            .unwrap()
            .complete()
            .unwrap()
            .0;
        // the PUBACK is 4 bytes: exactly at the limit
        let second = OwnedPacket::decode_bytes_with(
            &mut bytes,
            V5,
            &DecodeOptions::new().max_packet_size(4),
        )
        .unwrap()
        .complete()
        .unwrap()
        .0;
        assert!(bytes.is_empty());
        let p = first.payload().unwrap().as_ptr() as usize;
        assert!(p > start && p < start + first.len());
        assert_eq!(second.as_packet(), Packet::Puback(Ack::new(7)));
        assert_eq!(second.payload(), None);
        assert_eq!(second.packet_id(), Some(7));
    }

    #[test]
    fn incomplete_and_errors_leave_the_buffer_alone() {
        let wire = publish_bytes();
        let max8 = DecodeOptions::new().max_packet_size(8);
        let mut buf = BytesMut::from(&wire[..10]);
        assert!(matches!(
            OwnedPacket::decode(&mut buf, V5),
            Ok(Decoded::Incomplete { .. })
        ));
        assert_eq!(&buf[..], &wire[..10]);
        assert_eq!(
            OwnedPacket::decode_with(&mut buf, V5, &max8),
            Err(DecodeError::PacketTooLarge {
                size: wire.len(),
                max: 8
            })
        );
        assert_eq!(buf.len(), 10);
        let mut bad = BytesMut::from(&[0x00u8, 0x00][..]);
        assert!(OwnedPacket::decode_with(&mut bad, V5, &max8).is_err());
        assert_eq!(bad.len(), 2);
    }

    #[test]
    fn from_bytes_takes_exactly_one_packet() {
        let wire = Bytes::from(publish_bytes());
        let owned = OwnedPacket::from_bytes(wire.clone(), V5).unwrap();
        assert_eq!(owned.as_bytes(), &wire);
        assert_eq!(
            owned.as_bytes().as_ptr(),
            wire.as_ptr(),
            "bytes were copied"
        );
        assert_eq!(owned.packet_id(), Some(7));
        assert_eq!(owned.into_bytes(), wire);
        for cut in [0, 1, 2, wire.len() - 1] {
            assert_eq!(
                OwnedPacket::from_bytes(wire.slice(..cut), V5),
                Err(DecodeError::Truncated("packet")),
                "{cut}"
            );
        }
        let mut two = wire.to_vec();
        two.extend_from_slice(&[0xc0, 0x00]);
        assert_eq!(
            OwnedPacket::from_bytes(Bytes::from(two), V5),
            Err(DecodeError::TrailingBytes(2))
        );
        assert_eq!(
            OwnedPacket::from_bytes(Bytes::from_static(&[0x00, 0x00]), V5),
            Err(DecodeError::InvalidPacketType(0))
        );
    }

    #[test]
    fn from_packet_and_views() {
        let owned = OwnedPacket::from_packet(&Packet::Pingreq, V5).unwrap();
        assert_eq!((owned.len(), owned.packet_type()), (2, 12));
        assert!(!owned.is_empty());
        assert_eq!(owned.version(), V5);
        assert_eq!(Packet::from(&owned), Packet::Pingreq);
        assert_eq!(owned.topic(), None);
        assert_eq!(owned.clone(), owned);
        assert_eq!(&owned.clone().into_bytes()[..], &[0xc0, 0x00]);
        assert!(alloc::format!("{owned:?}").contains("Pingreq"));
        assert_eq!(
            OwnedPacket::from_packet(&Packet::Puback(Ack::new(0)), V5),
            Err(EncodeError::InvalidPacketId)
        );
    }
}
