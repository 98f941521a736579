//! MQTT-SN 1.2 encoder, any message the fuzzer builds:
//!
//! - encoding fails only for the two reasons the encoder has (a total over
//!   65535 bytes; a Wireless Node Id over 252 bytes), and `encoded_len()`
//!   with it, and otherwise writes exactly `encoded_len()` bytes, the same
//!   through `encode_to_slice` and through the `BufMut` encoder;
//! - the bytes decode if and only if the message holds nothing the decoder
//!   refuses (a reserved topic id where the spec forbids one, including
//!   0x0000 in a REGACK that accepts, an empty topic name, an encapsulated
//!   message that is not one valid plain message);
//! - what they decode to equals the original message, up to the two things
//!   the wire cannot carry: the TopicIdType bits of a PUBLISH, SUBSCRIBE or
//!   UNSUBSCRIBE come from its topic (the `flags.topic_id_type` the fuzzer
//!   picked is not what is sent), and `PingReq { client_id: Some("") }` is
//!   the same 2 bytes as `None`. The target compares with the message
//!   normalised for exactly those two, nothing else;
//! - re-encoding the decoded message gives the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mqtt_sn_codec::{EncodeError, Flags, Message, Topic, TopicFilter, TopicIdType, MAX_LEN};

/// The message as the wire carries it (see the module comment).
fn normalised(m: Message<'_>) -> Message<'_> {
    let with = |flags: Flags, topic_id_type| Flags {
        topic_id_type,
        ..flags
    };
    let filter_type = |t: &TopicFilter<'_>| match t {
        TopicFilter::Name(_) => TopicIdType::Normal,
        TopicFilter::Predefined(_) => TopicIdType::Predefined,
        TopicFilter::Short(_) => TopicIdType::Short,
    };
    match m {
        Message::Publish {
            flags,
            topic,
            msg_id,
            data,
        } => Message::Publish {
            flags: with(
                flags,
                match topic {
                    Topic::Id(_) => TopicIdType::Normal,
                    Topic::Predefined(_) => TopicIdType::Predefined,
                    Topic::Short(_) => TopicIdType::Short,
                },
            ),
            topic,
            msg_id,
            data,
        },
        Message::Subscribe {
            flags,
            msg_id,
            topic,
        } => Message::Subscribe {
            flags: with(flags, filter_type(&topic)),
            msg_id,
            topic,
        },
        Message::Unsubscribe {
            flags,
            msg_id,
            topic,
        } => Message::Unsubscribe {
            flags: with(flags, filter_type(&topic)),
            msg_id,
            topic,
        },
        Message::PingReq { client_id: Some("") } => Message::PingReq { client_id: None },
        m => m,
    }
}

/// Whether the decoder must refuse the encoding of `m`.
fn refused(m: &Message<'_>) -> bool {
    let reserved = |id: u16| id == 0 || id == 0xFFFF;
    match *m {
        Message::Register {
            topic_id,
            topic_name,
            ..
        } => topic_id == 0xFFFF || topic_name.is_empty(),
        // an accepted registration must hand out a real id
        Message::RegAck {
            topic_id,
            return_code,
            ..
        } => topic_id == 0xFFFF || (topic_id == 0 && return_code.is_accepted()),
        Message::SubAck { topic_id, .. } => topic_id == 0xFFFF,
        Message::Publish { topic, .. } => match topic {
            Topic::Id(id) | Topic::Predefined(id) => reserved(id),
            Topic::Short(_) => false,
        },
        Message::Subscribe { topic, .. } | Message::Unsubscribe { topic, .. } => match topic {
            TopicFilter::Name(name) => name.is_empty(),
            TopicFilter::Predefined(id) => reserved(id),
            TopicFilter::Short(_) => false,
        },
        Message::Forwarded(f) => !matches!(
            Message::decode(f.inner),
            Ok(inner) if !matches!(inner, Message::Forwarded(_))
        ),
        _ => false,
    }
}

fuzz_target!(|msg: Message<'_>| {
    let size = msg.encoded_len();
    let mut out = vec![0u8; *size.as_ref().unwrap_or(&0)];
    let n = match msg.encode_to_slice(&mut out) {
        Ok(n) => n,
        Err(e) => {
            assert_eq!(size, Err(e));
            match (e, msg) {
                (EncodeError::TooLong { len }, m) if !matches!(m, Message::Forwarded(_)) => {
                    assert!(len > MAX_LEN);
                }
                (EncodeError::InvalidField { .. }, Message::Forwarded(f)) => {
                    assert!(f.node_id.len() > 252);
                }
                (e, m) => panic!("{m:?} cannot be encoded: {e:?}"),
            }
            assert_eq!(msg.encode(&mut Vec::new()), Err(e));
            return;
        }
    };
    let len = n;
    assert_eq!(size, Ok(len));
    let mut via_buf = Vec::new();
    assert_eq!(msg.encode(&mut via_buf), Ok(len));
    assert_eq!(via_buf, out);

    match Message::decode(&out) {
        Ok(back) => {
            assert!(!refused(&msg), "{msg:?} decoded as {back:?}");
            assert_eq!(back, normalised(msg));
            let mut again = vec![0u8; back.encoded_len().expect("decoded message sizes")];
            let m = back
                .encode_to_slice(&mut again)
                .expect("decoded message encodes");
            assert_eq!(&again[..m], &out[..]);
        }
        Err(e) => assert!(refused(&msg), "{msg:?} encoded to {out:02x?}: {e:?}"),
    }
});
