//! Encoding: one description of each message's layout, read by the size
//! computation and both encoders, so that they cannot disagree.

use core::str;

use super::decode::decode_plain;
use super::{Forwarded, Message, MAX_LEN};
use crate::error::{DecodeError, EncodeError};
use crate::fields::{Flags, Topic, TopicFilter, TopicIdType};
use crate::msg_type;

impl Message<'_> {
    /// Encodes into a new `Vec` of exactly [`Message::encoded_len`] bytes.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let mut out = alloc::vec::Vec::with_capacity(self.encoded_len()?);
        self.encode(&mut out)?;
        Ok(out)
    }

    /// Hands this message's parts to `e`: the MsgType, the fixed-size fields
    /// as one array (so each arm writes a constant number of octets) and the
    /// variable-length field that runs to the end of the message. This is
    /// the one description of the layout, and the one place its values are
    /// checked: [`Message::encoded_len`] and both encoders are `Emit`
    /// implementations, so the size announced, the bytes written and the
    /// messages refused cannot disagree.
    ///
    /// Each arm refuses what the decoder rejects in that message's fields
    /// (the decoder's function for it is named); the size rules are checked
    /// by [`Emit::emit`] and [`Emit::forwarded`], after the fields.
    #[inline(always)]
    fn emit<E: Emit>(&self, e: E) -> Result<usize, EncodeError> {
        use msg_type::*;
        let be = u16::to_be_bytes;
        let with_type = |f: &Flags, t: TopicIdType| {
            Flags {
                topic_id_type: t,
                ..*f
            }
            .to_byte()
        };
        match self {
            Self::Advertise { gw_id, duration } => {
                let [d0, d1] = be(*duration);
                e.emit(ADVERTISE, [*gw_id, d0, d1], &[])
            }
            Self::SearchGw { radius } => e.emit(SEARCHGW, [*radius], &[]),
            Self::GwInfo { gw_id, gw_add } => e.emit(GWINFO, [*gw_id], gw_add),
            Self::Connect {
                flags,
                duration,
                client_id,
            } => {
                let [d0, d1] = be(*duration);
                e.emit(
                    CONNECT,
                    [flags.to_byte(), 0x01, d0, d1],
                    client_id.as_bytes(),
                )
            }
            Self::ConnAck { return_code } => e.emit(CONNACK, [return_code.0], &[]),
            Self::WillTopicResp { return_code } => e.emit(WILLTOPICRESP, [return_code.0], &[]),
            Self::WillMsgResp { return_code } => e.emit(WILLMSGRESP, [return_code.0], &[]),
            Self::WillTopicReq => e.emit(WILLTOPICREQ, [], &[]),
            Self::WillMsgReq => e.emit(WILLMSGREQ, [], &[]),
            Self::PingResp => e.emit(PINGRESP, [], &[]),
            Self::WillTopic(None) => e.emit(WILLTOPIC, [], &[]),
            Self::WillTopicUpd(None) => e.emit(WILLTOPICUPD, [], &[]),
            Self::WillTopic(Some(w)) => e.emit(WILLTOPIC, [w.flags.to_byte()], w.topic.as_bytes()),
            Self::WillTopicUpd(Some(w)) => {
                e.emit(WILLTOPICUPD, [w.flags.to_byte()], w.topic.as_bytes())
            }
            Self::WillMsg { msg } => e.emit(WILLMSG, [], msg),
            Self::WillMsgUpd { msg } => e.emit(WILLMSGUPD, [], msg),
            Self::Register {
                topic_id,
                msg_id,
                topic_name,
            } => {
                // `register`: a TopicName first, then the id.
                topic_name_given(REGISTER, topic_name)?;
                id_not_ffff(REGISTER, *topic_id)?;
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                e.emit(REGISTER, [i0, i1, m0, m1], topic_name.as_bytes())
            }
            Self::RegAck {
                topic_id,
                msg_id,
                return_code,
            } => {
                // `decode_body` REGACK: an accepted registration hands out
                // the id PUBLISH will use.
                if *topic_id == 0 && return_code.is_accepted() {
                    return Err(EncodeError::ReservedTopicId {
                        msg_type: REGACK,
                        topic_id: 0,
                    });
                }
                id_not_ffff(REGACK, *topic_id)?;
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                e.emit(REGACK, [i0, i1, m0, m1, return_code.0], &[])
            }
            Self::Publish {
                flags,
                topic,
                msg_id,
                data,
            } => {
                // `publish`: normal and pre-defined ids must be real ones; a
                // short name is any two octets.
                let raw = topic.raw();
                if !matches!(topic, Topic::Short(_)) {
                    real_id(PUBLISH, raw)?;
                }
                let f = with_type(flags, topic.id_type());
                let ([i0, i1], [m0, m1]) = (be(raw), be(*msg_id));
                e.emit(PUBLISH, [f, i0, i1, m0, m1], data)
            }
            Self::PubAck {
                topic_id,
                msg_id,
                return_code,
            } => {
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                e.emit(PUBACK, [i0, i1, m0, m1, return_code.0], &[])
            }
            Self::PubComp { msg_id } => e.emit(PUBCOMP, be(*msg_id), &[]),
            Self::PubRec { msg_id } => e.emit(PUBREC, be(*msg_id), &[]),
            Self::PubRel { msg_id } => e.emit(PUBREL, be(*msg_id), &[]),
            Self::UnsubAck { msg_id } => e.emit(UNSUBACK, be(*msg_id), &[]),
            Self::Subscribe {
                flags,
                msg_id,
                topic,
            }
            | Self::Unsubscribe {
                flags,
                msg_id,
                topic,
            } => {
                let t = if matches!(self, Self::Subscribe { .. }) {
                    SUBSCRIBE
                } else {
                    UNSUBSCRIBE
                };
                let f = with_type(flags, topic.id_type());
                let [m0, m1] = be(*msg_id);
                // `subscribe`: a name is never empty, a pre-defined id is a
                // real one, a short name is two octets (by its type).
                match topic {
                    TopicFilter::Name(name) => {
                        topic_name_given(t, name)?;
                        e.emit(t, [f, m0, m1], name.as_bytes())
                    }
                    TopicFilter::Predefined(id) => {
                        real_id(t, *id)?;
                        let [i0, i1] = be(*id);
                        e.emit(t, [f, m0, m1, i0, i1], &[])
                    }
                    TopicFilter::Short([s0, s1]) => e.emit(t, [f, m0, m1, *s0, *s1], &[]),
                }
            }
            Self::SubAck {
                flags,
                topic_id,
                msg_id,
                return_code,
            } => {
                // `suback`: 0x0000 is a wildcard or short subscription.
                id_not_ffff(SUBACK, *topic_id)?;
                let ([i0, i1], [m0, m1]) = (be(*topic_id), be(*msg_id));
                let fixed = [flags.to_byte(), i0, i1, m0, m1, return_code.0];
                e.emit(SUBACK, fixed, &[])
            }
            Self::PingReq { client_id } => {
                e.emit(PINGREQ, [], client_id.map_or(&[][..], str::as_bytes))
            }
            Self::Disconnect { duration: None } => e.emit(DISCONNECT, [], &[]),
            Self::Disconnect { duration: Some(d) } => e.emit(DISCONNECT, be(*d), &[]),
            Self::Forwarded(f) => e.forwarded(f),
        }
    }

    /// The encoded size in bytes: 1-byte Length when the total fits in 255,
    /// else the 3-byte form. A forwarder encapsulation is its 3-byte-plus-node
    /// header and the encapsulated bytes.
    ///
    /// It refuses exactly what [`Message::encode_to_slice`] refuses, with
    /// the same error (it runs the same checks): a message over 65535 bytes
    /// and every message the decoder would reject. For a forwarder
    /// encapsulation that includes decoding the encapsulated bytes.
    #[inline]
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        self.emit(Size)
    }

    /// Encodes into `out`, returning the number of bytes written.
    ///
    /// The encoder refuses every message whose bytes [`Message::decode`]
    /// would reject, with an [`EncodeError`] naming the rule, and writes
    /// nothing then: a reserved topic id where the decoder refuses one
    /// ([`EncodeError::ReservedTopicId`]), an empty topic name
    /// ([`EncodeError::EmptyTopicName`]), a Wireless Node Id over 252 bytes
    /// ([`EncodeError::NodeIdTooLong`]), encapsulated bytes that are not one
    /// valid plain message ([`EncodeError::Encapsulated`]), a total over
    /// 65535 bytes ([`EncodeError::TooLong`]). The other rules of the
    /// decoder hold by construction (a [`Flags`] cannot hold TopicIdType
    /// `0b11`, a short topic name is a `[u8; 2]`, strings are `&str`, the
    /// ProtocolId is always written as 0x01). What it accepts decodes to an
    /// equal message, except that the TopicIdType bits of a PUBLISH,
    /// SUBSCRIBE or UNSUBSCRIBE come from its topic, and
    /// `PingReq { client_id: Some("") }` encodes like `None`.
    ///
    /// A datagram the decoder rejects (for a test or a peer) has to be
    /// built by hand.
    pub fn encode_to_slice(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        self.emit(ToSlice(out))
    }

    /// Encodes into a [`bytes::BufMut`], returning the number of bytes
    /// written. It refuses what [`Message::encode_to_slice`] refuses;
    /// nothing is written when it fails.
    #[cfg(feature = "alloc")]
    pub fn encode<B: bytes::BufMut>(&self, buf: &mut B) -> Result<usize, EncodeError> {
        self.emit(ToBuf(buf))
    }
}

/// A topic id the decoder requires to be a real one (its `real_topic_id`).
#[inline(always)]
fn real_id(msg_type: u8, topic_id: u16) -> Result<(), EncodeError> {
    if topic_id == 0 || topic_id == 0xFFFF {
        Err(EncodeError::ReservedTopicId { msg_type, topic_id })
    } else {
        Ok(())
    }
}

/// A topic id where the decoder allows 0x0000 but not 0xFFFF (its `not_ffff`).
#[inline(always)]
fn id_not_ffff(msg_type: u8, topic_id: u16) -> Result<(), EncodeError> {
    if topic_id == 0xFFFF {
        Err(EncodeError::ReservedTopicId { msg_type, topic_id })
    } else {
        Ok(())
    }
}

/// A TopicName the decoder requires to be non-empty.
#[inline(always)]
fn topic_name_given(msg_type: u8, name: &str) -> Result<(), EncodeError> {
    if name.is_empty() {
        Err(EncodeError::EmptyTopicName { msg_type })
    } else {
        Ok(())
    }
}

/// The total size of a plain message whose body (after the MsgType) is
/// `body` bytes, in its canonical form.
#[inline(always)]
fn total_len(body: usize) -> usize {
    if body + 2 <= 255 {
        body + 2
    } else {
        body + 4
    }
}

/// The size of a forwarder encapsulation's own header (its Length value),
/// or why it cannot be encoded: the checks of `decode_forwarded`, in its
/// order, after the node id's own limit.
#[inline(always)]
fn forwarder_header_len(f: &Forwarded<'_>) -> Result<usize, EncodeError> {
    if f.node_id.len() > 252 {
        return Err(EncodeError::NodeIdTooLong {
            len: f.node_id.len(),
        });
    }
    if f.inner.is_empty() {
        return Err(EncodeError::Encapsulated(DecodeError::Forwarder {
            reason: "no encapsulated message",
        }));
    }
    if let Err(e) = decode_plain(f.inner) {
        return Err(EncodeError::Encapsulated(e));
    }
    Ok(3 + f.node_id.len())
}

/// What is done with a message's parts (see `Message::emit`). The provided
/// methods check the sizes, once for every implementation, and hand the
/// checked size to the required ones.
trait Emit: Sized {
    /// A plain message of `len` bytes (at most [`MAX_LEN`]): `fixed` then
    /// `tail` after the header.
    fn write<const N: usize>(
        self,
        len: usize,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError>;

    /// A forwarder encapsulation whose own header is `hlen` bytes (at most
    /// 255) and whose encapsulated message is valid.
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError>;

    /// A plain message: its size, refused over 65535 bytes.
    #[inline(always)]
    fn emit<const N: usize>(
        self,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError> {
        let len = total_len(N + tail.len());
        if len > MAX_LEN {
            return Err(EncodeError::TooLong { len });
        }
        self.write(len, msg_type, fixed, tail)
    }

    /// A forwarder encapsulation, checked by `forwarder_header_len`.
    #[inline(always)]
    fn forwarded(self, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        let hlen = forwarder_header_len(f)?;
        self.write_forwarded(hlen, f)
    }
}

/// Computes the encoded size.
struct Size;

impl Emit for Size {
    #[inline(always)]
    fn write<const N: usize>(
        self,
        len: usize,
        _: u8,
        _: [u8; N],
        _: &[u8],
    ) -> Result<usize, EncodeError> {
        Ok(len)
    }
    #[inline(always)]
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        Ok(hlen + f.inner.len())
    }
}

/// Writes into a caller's slice.
struct ToSlice<'o>(&'o mut [u8]);

impl Emit for ToSlice<'_> {
    #[inline(always)]
    fn write<const N: usize>(
        self,
        len: usize,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError> {
        let small = Err(EncodeError::BufferTooSmall { required: len });
        let Some(dst) = self.0.get_mut(..len) else {
            return small;
        };
        // `dst` is exactly `len` bytes, so none of the fallbacks below is
        // taken; they keep every write free of a panic path.
        let rest = match dst {
            [l, t, rest @ ..] if len <= 255 => {
                *l = len as u8;
                *t = msg_type;
                rest
            }
            [one, hi, lo, t, rest @ ..] => {
                [*one, *hi, *lo, *t] = [0x01, (len >> 8) as u8, len as u8, msg_type];
                rest
            }
            _ => return small,
        };
        let Some((f, rest)) = rest.split_at_mut_checked(N) else {
            return small;
        };
        f.copy_from_slice(&fixed);
        if rest.len() != tail.len() {
            return small;
        }
        if !tail.is_empty() {
            rest.copy_from_slice(tail);
        }
        Ok(len)
    }
    #[inline(always)]
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        let len = hlen + f.inner.len();
        let small = Err(EncodeError::BufferTooSmall { required: len });
        let Some(dst) = self.0.get_mut(..len) else {
            return small;
        };
        let Some(([l, t, c], rest)) = dst.split_first_chunk_mut::<3>() else {
            return small;
        };
        [*l, *t, *c] = [hlen as u8, msg_type::FORWARDER, f.ctrl];
        let Some((node, inner)) = rest.split_at_mut_checked(f.node_id.len()) else {
            return small;
        };
        node.copy_from_slice(f.node_id);
        if inner.len() != f.inner.len() {
            return small;
        }
        inner.copy_from_slice(f.inner);
        Ok(len)
    }
}

/// Writes into a `bytes::BufMut`, after checking its capacity.
#[cfg(feature = "alloc")]
struct ToBuf<'b, B>(&'b mut B);

#[cfg(feature = "alloc")]
impl<B: bytes::BufMut> Emit for ToBuf<'_, B> {
    fn write<const N: usize>(
        self,
        len: usize,
        msg_type: u8,
        fixed: [u8; N],
        tail: &[u8],
    ) -> Result<usize, EncodeError> {
        if self.0.remaining_mut() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        if len <= 255 {
            self.0.put_slice(&[len as u8, msg_type]);
        } else {
            self.0.put_u8(0x01);
            self.0.put_u16(len as u16);
            self.0.put_u8(msg_type);
        }
        self.0.put_slice(&fixed);
        self.0.put_slice(tail);
        Ok(len)
    }
    fn write_forwarded(self, hlen: usize, f: &Forwarded<'_>) -> Result<usize, EncodeError> {
        let len = hlen + f.inner.len();
        if self.0.remaining_mut() < len {
            return Err(EncodeError::BufferTooSmall { required: len });
        }
        self.0.put_slice(&[hlen as u8, msg_type::FORWARDER, f.ctrl]);
        self.0.put_slice(f.node_id);
        self.0.put_slice(f.inner);
        Ok(len)
    }
}
