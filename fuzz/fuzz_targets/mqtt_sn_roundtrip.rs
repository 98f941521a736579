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
use mqtt_sn_codec::{EncodeError, Message, MAX_LEN};

#[path = "../../crates/mqtt-sn-codec/tests/support/unchecked.rs"]
mod unchecked;
use unchecked::{mirrors, normalised, unchecked};

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
