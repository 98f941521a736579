//! AMQP 1.0 messages on arbitrary bytes: decoding never panics; a decoded
//! message's lazy parts (data sections, sequences, annotations, properties)
//! all iterate; it encodes, and its encoding decodes to a message with the
//! same encoding.
#![no_main]

use amqp_frame::messaging::Body;
use amqp_frame::Message;
use libfuzzer_sys::fuzz_target;

fn encode(m: &Message<'_>) -> Vec<u8> {
    let len = m.encoded_len().expect("a decoded message has a length");
    let mut buf = vec![0u8; len];
    assert_eq!(m.encode_to_slice(&mut buf), Ok(len));
    buf
}

fuzz_target!(|data: &[u8]| {
    let Ok(m) = Message::decode(data) else {
        return;
    };
    for a in [m.delivery_annotations, m.message_annotations, m.footer]
        .into_iter()
        .flatten()
    {
        assert_eq!(a.iter().count(), a.len());
    }
    if let Some(ap) = m.application_properties {
        assert_eq!(ap.iter().count(), ap.len());
    }
    match m.body {
        Some(Body::Data(d)) => assert_eq!(d.iter().count(), d.len()),
        Some(Body::Sequence(s)) => assert_eq!(s.iter().count(), s.len()),
        _ => {}
    }
    let bytes = encode(&m);
    let again = Message::decode(&bytes).expect("our encoding decodes");
    assert_eq!(encode(&again), bytes);
});
