//! The RFC 8323 stream decoder on arbitrary bytes. Input: a 2-byte size
//! limit (× 16), a split point, then the stream. It never panics, never
//! reads past a message or the limit, every message it accepts encodes back
//! to exactly its bytes, and feeding the stream in two pieces at the split
//! point gives the same messages as feeding it whole.
#![no_main]

use coap_codec::{Decoded, TcpHeader, TcpMessage};
use libfuzzer_sys::fuzz_target;

/// Every message at the front of `stream`, as byte ranges, and how the
/// stream ended (true: incomplete, false: an error).
fn messages(stream: &[u8], max: usize) -> (Vec<(usize, usize)>, bool) {
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        match TcpMessage::decode_with(
            &stream[at..],
            &coap_codec::DecodeOptions::new().max_message_size(max),
        ) {
            Ok(Decoded::Complete { item, consumed }) => {
                assert!(consumed >= 2 && consumed <= max && at + consumed <= stream.len());
                let bytes = &stream[at..at + consumed];
                assert_eq!(item.to_vec().expect("a decoded message encodes"), bytes);
                out.push((at, consumed));
                at += consumed;
            }
            Ok(Decoded::Incomplete { needed }) => {
                let n = needed.expect("the framing always knows").get();
                let rest = stream.len() - at;
                // once the header is there, exactly the rest of the message
                if let Decoded::Complete { item, .. } = TcpHeader::peek(&stream[at..]) {
                    assert_eq!(item.message_len(), (rest + n) as u64);
                }
                return (out, true);
            }
            Err(e) => {
                assert!(e.rule().is_some_and(|r| !r.is_empty()));
                return (out, false);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [a, b, split, stream @ ..] = data else {
        return;
    };
    let max = usize::from(u16::from_be_bytes([*a, *b])) * 16;
    let (whole, _) = messages(stream, max);

    // the same stream in two pieces, through a buffer as a connection would
    let split = usize::from(*split).min(stream.len());
    let mut buf = Vec::new();
    let mut got = Vec::new();
    let mut base = 0;
    for piece in [&stream[..split], &stream[split..]] {
        buf.extend_from_slice(piece);
        let (found, incomplete) = messages(&buf, max);
        let used: usize = found.iter().map(|r| r.1).sum();
        got.extend(found.iter().map(|&(at, n)| (base + at, n)));
        buf.drain(..used);
        base += used;
        // errors come from bytes that are all there, so a malformed message
        // stops both readings at the same place
        if !incomplete {
            break;
        }
    }
    assert_eq!(got, whole);
});
