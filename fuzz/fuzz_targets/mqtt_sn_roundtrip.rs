//! MQTT-SN 1.2 encoder, any message the fuzzer builds: encoding succeeds if
//! and only if the bytes decode, and then to an equal message.
//!
//! - `encoded_len`, `encode_to_slice` and the `BufMut` encoder agree: the
//!   same error, or the same `encoded_len()` bytes; nothing is written on
//!   an error;
//! - what encodes decodes to the original message, up to the two things
//!   the wire cannot carry: the TopicIdType bits of a PUBLISH, SUBSCRIBE or
//!   UNSUBSCRIBE come from its topic (the `flags.topic_id_type` the fuzzer
//!   picked is not what is sent), and `PingReq { client_id: Some("") }` is
//!   the same 2 bytes as `None`. The target compares with the message
//!   normalised for exactly those two, nothing else; re-encoding the
//!   decoded message gives the same bytes;
//! - what the encoder refuses, the decoder rejects: the target writes the
//!   bytes the message stands for by hand, with no check (`unchecked`), and
//!   the decoder must reject them with the error the encoder's mirrors and
//!   the same section. Where no Length field can express them (a total over
//!   65535, a Wireless Node Id over 252 bytes) nothing could decode, and
//!   the encoder's error must say so. Only REGISTER, REGACK, PUBLISH,
//!   SUBACK, SUBSCRIBE, UNSUBSCRIBE and the forwarder encapsulation have
//!   fields the decoder can reject; any other message may be refused only
//!   for its size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_sn_codec::{DecodeError, EncodeError, Flags, Message, TopicFilter, MAX_LEN};

/// The message as the wire carries it (see the module comment).
fn normalised(m: Message<'_>) -> Message<'_> {
    let with = |flags: Flags, topic_id_type| Flags {
        topic_id_type,
        ..flags
    };
    match m {
        Message::Publish {
            flags,
            topic,
            msg_id,
            data,
        } => Message::Publish {
            flags: with(flags, topic.id_type()),
            topic,
            msg_id,
            data,
        },
        Message::Subscribe {
            flags,
            msg_id,
            topic,
        } => Message::Subscribe {
            flags: with(flags, topic.id_type()),
            msg_id,
            topic,
        },
        Message::Unsubscribe {
            flags,
            msg_id,
            topic,
        } => Message::Unsubscribe {
            flags: with(flags, topic.id_type()),
            msg_id,
            topic,
        },
        Message::PingReq {
            client_id: Some(""),
        } => Message::PingReq { client_id: None },
        m => m,
    }
}

/// The bytes `m` stands for (normalised), written by hand with no check;
/// `None` for a message whose fields the decoder never rejects, or where
/// no Length field can express them.
fn unchecked(m: &Message<'_>) -> Option<Vec<u8>> {
    let be = u16::to_be_bytes;
    let (t, body) = match normalised(*m) {
        Message::Register {
            topic_id,
            msg_id,
            topic_name,
        } => (
            0x0a,
            [&be(topic_id)[..], &be(msg_id), topic_name.as_bytes()].concat(),
        ),
        Message::RegAck {
            topic_id,
            msg_id,
            return_code,
        } => (
            0x0b,
            [&be(topic_id)[..], &be(msg_id), &[return_code.0]].concat(),
        ),
        Message::Publish {
            flags,
            topic,
            msg_id,
            data,
        } => (
            0x0c,
            [&[flags.to_byte()][..], &be(topic.raw()), &be(msg_id), data].concat(),
        ),
        Message::SubAck {
            flags,
            topic_id,
            msg_id,
            return_code,
        } => (
            0x13,
            [
                &[flags.to_byte()][..],
                &be(topic_id),
                &be(msg_id),
                &[return_code.0],
            ]
            .concat(),
        ),
        Message::Subscribe {
            flags,
            msg_id,
            topic,
        }
        | Message::Unsubscribe {
            flags,
            msg_id,
            topic,
        } => {
            let t = if matches!(m, Message::Subscribe { .. }) {
                0x12
            } else {
                0x14
            };
            let rest = match topic {
                TopicFilter::Name(n) => n.as_bytes().to_vec(),
                TopicFilter::Predefined(id) => be(id).to_vec(),
                TopicFilter::Short(s) => s.to_vec(),
            };
            (t, [&[flags.to_byte()][..], &be(msg_id), &rest].concat())
        }
        Message::Forwarded(f) => {
            let hlen = u8::try_from(3 + f.node_id.len()).ok()?;
            return Some([&[hlen, 0xfe, f.ctrl][..], f.node_id, f.inner].concat());
        }
        _ => return None,
    };
    let header = if body.len() + 2 <= 255 {
        vec![(body.len() + 2) as u8, t]
    } else {
        let [hi, lo] = u16::try_from(body.len() + 4).ok()?.to_be_bytes();
        vec![1, hi, lo, t]
    };
    Some([header, body].concat())
}

/// Whether the encoder's `e` is the decoder's `d` for the same bytes.
fn mirrors(e: EncodeError, d: DecodeError) -> bool {
    match (e, d) {
        (
            EncodeError::ReservedTopicId { msg_type, topic_id },
            DecodeError::ReservedTopicId {
                msg_type: m,
                topic_id: t,
            },
        ) => (msg_type, topic_id) == (m, t),
        (EncodeError::EmptyTopicName { msg_type }, DecodeError::BodyLength { msg_type: m, .. }) => {
            msg_type == m
        }
        (EncodeError::Encapsulated(inner), d) => inner == d,
        _ => false,
    }
}

/// Whether the fields of `m` can be rejected by the decoder at all.
fn has_checked_fields(m: &Message<'_>) -> bool {
    matches!(
        m,
        Message::Register { .. }
            | Message::RegAck { .. }
            | Message::Publish { .. }
            | Message::SubAck { .. }
            | Message::Subscribe { .. }
            | Message::Unsubscribe { .. }
            | Message::Forwarded(_)
    )
}

fuzz_target!(|msg: Message<'_>| {
    let len = match msg.encoded_len() {
        Ok(len) => len,
        Err(e) => {
            // Refused for what the message is, whatever the buffer: the
            // same error into a small buffer, and nothing written to it.
            assert!(e.rule().is_some(), "{msg:?}: {e:?}");
            let mut out = [0xa5u8; 512];
            assert_eq!(msg.encode_to_slice(&mut out), Err(e));
            assert!(out.iter().all(|&b| b == 0xa5), "{msg:?}: written on error");
            let mut via_buf = Vec::new();
            assert_eq!(msg.encode(&mut via_buf), Err(e));
            assert!(via_buf.is_empty());
            match unchecked(&msg) {
                Some(wire) => match Message::decode(&wire) {
                    Err(d) => {
                        assert!(mirrors(e, d), "{msg:?}: encoder {e:?}, decoder {d:?}");
                        assert_eq!(d.rule(), e.rule(), "{msg:?}");
                    }
                    Ok(back) => {
                        panic!("{msg:?} refused ({e:?}) but {wire:02x?} decodes as {back:?}")
                    }
                },
                // Only a size no Length field can express (`unchecked`
                // writes every message with checked fields that fits);
                // any other message may be refused only for that.
                None => match (e, msg) {
                    (EncodeError::TooLong { len }, m) => {
                        assert!(len > MAX_LEN && !matches!(m, Message::Forwarded(_)));
                    }
                    (EncodeError::NodeIdTooLong { len }, Message::Forwarded(f)) => {
                        assert!(len > 252 && len == f.node_id.len());
                    }
                    (e, m) => assert!(has_checked_fields(&m), "{m:?} cannot be encoded: {e:?}"),
                },
            }
            return;
        }
    };
    let mut out = vec![0u8; len];
    assert_eq!(msg.encode_to_slice(&mut out), Ok(len));
    let mut via_buf = Vec::new();
    assert_eq!(msg.encode(&mut via_buf), Ok(len));
    assert_eq!(via_buf, out);
    if has_checked_fields(&msg) {
        // the hand-written bytes are the encoder's, where it accepts
        assert_eq!(unchecked(&msg).as_deref(), Some(&out[..]));
    }

    let back = match Message::decode(&out) {
        Ok(back) => back,
        Err(e) => panic!("{msg:?} encoded to {out:02x?}, which does not decode: {e:?}"),
    };
    assert_eq!(back, normalised(msg));
    assert_eq!(back.encoded_len(), Ok(len));
    let mut again = vec![0u8; len];
    assert_eq!(back.encode_to_slice(&mut again), Ok(len));
    assert_eq!(again, out);
});
