//! Properties: every message kind round-trips with random fields, at the
//! Length boundaries and inside a forwarder encapsulation; any bytes decode
//! or fail cleanly, never panic.

use mqtt_sn_codec::{EncodeError, Forwarded, Message, Topic, TopicFilter, WillTopic};
use proptest::prelude::*;

#[path = "support/common.rs"]
mod common;
use common::*;

/// The variable-length messages with the size of their fixed fields (after
/// the MsgType), for `sized`.
const SIZED: [(&str, usize); 12] = [
    ("GWINFO", 1),
    ("CONNECT", 4),
    ("WILLTOPIC", 1),
    ("WILLTOPICUPD", 1),
    ("WILLMSG", 0),
    ("WILLMSGUPD", 0),
    ("REGISTER", 4),
    ("PUBLISH", 5),
    ("SUBSCRIBE", 3),
    ("UNSUBSCRIBE", 3),
    ("PINGREQ", 0),
    ("PINGREQ-empty", 0),
];

/// Message `SIZED[kind]` whose variable-length field is `bin` (binary
/// fields) or `text` (string fields).
fn sized<'a>(kind: usize, bin: &'a [u8], text: &'a str) -> Message<'a> {
    let f = flags(0x24);
    match SIZED[kind].0 {
        "GWINFO" => Message::GwInfo {
            gw_id: 3,
            gw_add: bin,
        },
        "CONNECT" => Message::Connect {
            flags: f,
            duration: 60,
            client_id: text,
        },
        "WILLTOPIC" => Message::WillTopic(Some(WillTopic {
            flags: f,
            topic: text,
        })),
        "WILLTOPICUPD" => Message::WillTopicUpd(Some(WillTopic {
            flags: f,
            topic: text,
        })),
        "WILLMSG" => Message::WillMsg { msg: bin },
        "WILLMSGUPD" => Message::WillMsgUpd { msg: bin },
        "REGISTER" => Message::Register {
            topic_id: 0,
            msg_id: 4,
            topic_name: text,
        },
        "PUBLISH" => Message::Publish {
            flags: flags(0x31),
            topic: Topic::Predefined(2),
            msg_id: 5,
            data: bin,
        },
        "SUBSCRIBE" => Message::Subscribe {
            flags: flags(0x20),
            msg_id: 6,
            topic: TopicFilter::Name(text),
        },
        "UNSUBSCRIBE" => Message::Unsubscribe {
            flags: flags(0x00),
            msg_id: 7,
            topic: TopicFilter::Name(text),
        },
        "PINGREQ" => Message::PingReq {
            client_id: Some(text),
        },
        _ => Message::PingResp,
    }
}

/// `n` bytes of UTF-8 text: ASCII, ending in a 2-byte character when
/// `wide` and there is room.
fn text_of(n: usize, seed: u8, wide: bool) -> String {
    let ascii = |i: usize| char::from(b'a' + ((i + usize::from(seed)) % 26) as u8);
    if wide && n >= 2 {
        (0..n - 2).map(ascii).chain(['é']).collect()
    } else {
        (0..n).map(ascii).collect()
    }
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => proptest::collection::vec(any::<u8>(), 0..64),
        3 => proptest::collection::vec(any::<u8>(), 240..262),
        1 => proptest::collection::vec(any::<u8>(), 65_520..65_534),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn round_trip(kind in 0u8..28, a: u8, b: u16, c: u16, s in "\\PC{0,30}", v in payload()) {
        let m = build(kind, a, b, c, &s, &v);
        // `build` makes only messages the decoder accepts: the encoder may
        // refuse them only for their size.
        let len = match m.encoded_len() {
            Ok(len) => len,
            Err(e) => {
                let EncodeError::TooLong { len } = e else {
                    return Err(TestCaseError::fail(format!("{m:?}: {e:?}")));
                };
                prop_assert!(len > 65_535);
                prop_assert_eq!(m.encode_to_slice(&mut vec![0; 70_000]), Err(e));
                #[cfg(feature = "alloc")]
                prop_assert_eq!(m.encode(&mut Vec::new()), Err(e));
                return Ok(());
            }
        };
        let mut out = vec![0u8; len];
        // What `encoded_len` accepts, `encode_to_slice` writes in that size.
        prop_assert_eq!(m.encode_to_slice(&mut out), Ok(len));
        prop_assert!(len <= 65_535 || matches!(m, Message::Forwarded(_)));
        if matches!(m, Message::Forwarded(_)) { prop_assert_eq!(usize::from(out[0]), 3 + (usize::from(a) % 20).min(v.len())); }
        else if len <= 255 { prop_assert_eq!(usize::from(out[0]), len); }
        else { prop_assert_eq!(&out[..3], &[1, (len >> 8) as u8, len as u8][..]); }
        let back = Message::decode(&out).unwrap();
        prop_assert_eq!(back, m);
        // The BufMut encoder writes the same bytes.
        #[cfg(feature = "alloc")]
        {
            let mut v = Vec::new();
            prop_assert_eq!(m.encode(&mut v), Ok(len));
            prop_assert_eq!(v, out);
        }
    }

    #[test]
    fn decode_never_panics(d in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(m) = Message::decode(&d) {
            let out = encode(&m);
            prop_assert_eq!(Message::decode(&out), Ok(m));
        }
    }

    #[test]
    fn decode_never_panics_with_valid_length(t: u8, mut d in proptest::collection::vec(any::<u8>(), 0..300), long: bool) {
        let mut b = if long || d.len() + 2 > 255 {
            let total = d.len() + 4;
            vec![1, (total >> 8) as u8, total as u8, t]
        } else {
            vec![(d.len() + 2) as u8, t]
        };
        b.append(&mut d);
        if let Ok(m) = Message::decode(&b) {
            let out = encode(&m);
            prop_assert_eq!(Message::decode(&out), Ok(m));
            if !long {
                prop_assert_eq!(out, b);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Round trips at the totals the issue names, for every variable-length
    /// message (each case runs all of them, with other field contents).
    /// 2, 255 and 65535 bytes are canonical encodings (1-byte form up to
    /// 255, the 3-byte form at the 65535 maximum). 256 and 257 bytes exist
    /// only as non-minimal 3-byte forms: such a datagram decodes, and the
    /// message re-encodes canonically in 254/255 bytes. A message whose
    /// 1-byte-form total would be 256 or 257 goes to the 3-byte form
    /// (258/259 bytes: the boundary of the Paho encoder bug).
    #[test]
    fn round_trip_at_boundary_totals(fill: u8, wide: bool) {
        let mut checked = 0;
        for (kind, &(name, fixed)) in SIZED.iter().enumerate() {
            for total in [2usize, 255, 256, 257, 65_535] {
                let body = if total <= 257 { total - 2 } else { total - 4 };
                // PINGREQ without ClientId is the 2-byte message only; the
                // string fields that must not be empty need a byte at least.
                let min_var = match name {
                    "REGISTER" | "SUBSCRIBE" | "UNSUBSCRIBE" | "PINGREQ" => 1,
                    _ => 0,
                };
                let fits = if name == "PINGREQ-empty" {
                    total == 2
                } else {
                    body >= fixed + min_var
                };
                if !fits {
                    continue;
                }
                let var = body - fixed;
                let bin: Vec<u8> = (0..var).map(|i| (i as u8) ^ fill).collect();
                let text = text_of(var, fill, wide);
                let m = sized(kind, &bin, &text);
                prop_assert_eq!(m.encoded_len(), Ok(if total <= 255 { total } else { body + 4 }));
                let b = encode(&m);
                match total {
                    2 | 255 => prop_assert_eq!(usize::from(b[0]), total),
                    65_535 => prop_assert_eq!(&b[..3], &[0x01, 0xff, 0xff][..]),
                    _ => {
                        // 256/257 in the 1-byte sense: the 3-byte form.
                        prop_assert_eq!(b.len(), total + 2);
                        prop_assert_eq!(&b[..3], &[0x01, 0x01, (total + 2 - 256) as u8][..]);
                        // 256/257 on the wire: the non-minimal 3-byte form
                        // of the message 2 bytes shorter.
                        let short_text = text.get(..var - 2).expect("ASCII up to var - 2");
                        let short = sized(kind, &bin[..var - 2], short_text);
                        let canonical = encode(&short);
                        prop_assert_eq!(canonical.len(), total - 2);
                        prop_assert_eq!(usize::from(canonical[0]), total - 2);
                        let mut nonminimal = vec![0x01, 0x01, (total - 256) as u8];
                        nonminimal.extend_from_slice(&canonical[1..]);
                        prop_assert_eq!(nonminimal.len(), total);
                        prop_assert_eq!(Message::decode(&nonminimal), Ok(short));
                    }
                }
                prop_assert_eq!(Message::decode(&b), Ok(m));
                checked += 1;
            }
        }
        // 2 bytes: WILLMSG, WILLMSGUPD and PINGREQ without ClientId; the
        // other four totals: every message but that PINGREQ.
        prop_assert_eq!(checked, 3 + 4 * 11);
    }

    /// Any valid message, encapsulated by a forwarder with any Ctrl and node
    /// id, round-trips, and the encapsulated message decodes to itself.
    #[test]
    fn forwarded_round_trip(kind in 0u8..27, a: u8, b: u16, c: u16, s in "\\PC{0,30}", v in proptest::collection::vec(any::<u8>(), 0..300), ctrl: u8, node in proptest::collection::vec(any::<u8>(), 0..=252)) {
        let inner_msg = build(kind, a, b, c, &s, &v);
        prop_assume!(!matches!(inner_msg, Message::Forwarded(_)));
        let inner = encode(&inner_msg);
        let m = Message::Forwarded(Forwarded { ctrl, node_id: &node, inner: &inner });
        let out = encode(&m);
        prop_assert_eq!(usize::from(out[0]), 3 + node.len());
        prop_assert_eq!(out.len(), 3 + node.len() + inner.len());
        let back = Message::decode(&out);
        prop_assert_eq!(back, Ok(m));
        let Ok(Message::Forwarded(f)) = back else { unreachable!() };
        prop_assert_eq!(f.message(), Ok(inner_msg));
    }
}
