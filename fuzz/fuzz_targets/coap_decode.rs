//! The CoAP datagram decoder (RFC 7252 §3) on arbitrary bytes: it never
//! panics; an error says what to do with the datagram and, when the answer
//! is a Reset, the header still gives its Message ID; a datagram it accepts
//! encodes back to exactly the same bytes (the format has one encoding per
//! message) and decodes to the same message again; reading its options
//! through the registry rules never panics.
#![no_main]

use coap_codec::{Disposition, Header, Message, OptionNumber};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let m = match Message::decode(data) {
        Ok(m) => m,
        Err(e) => {
            assert!(e.rule().is_some_and(|r| !r.is_empty()));
            if e.disposition() == Disposition::Reject {
                let h = Header::peek(data).expect("a rejected datagram has a header");
                assert_eq!(h.version, 1);
            }
            return;
        }
    };
    let len = m.encoded_len().expect("a decoded message encodes");
    assert_eq!(len, data.len());
    let mut out = vec![0u8; len];
    assert_eq!(m.encode_to_slice(&mut out), Ok(len));
    assert_eq!(&out[..], data);
    assert_eq!(Message::decode(&out), Ok(m));

    let known = |n: OptionNumber| n.definition().is_some();
    let bad = m.options.first_bad_critical(known);
    let kept = m.options.recognized(known).count();
    let all = m.options.iter().count();
    assert!(kept <= all);
    if let Some(n) = bad {
        assert!(n.is_critical());
    }
    // the accessors read through the same rules
    let _ = (m.uri_host(), m.uri_port(), m.content_format(), m.accept());
    let _ = (m.observe(), m.block1(), m.block2(), m.size1(), m.size2());
    let _ = (m.max_age(), m.no_response());
    let _ = m.uri_path().count() + m.uri_query().count() + m.etags().count();
    let _ = format!("{m:?}");
});
