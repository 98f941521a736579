//! CoAP encoders on arbitrary messages (built from arbitrary parts: type,
//! code, Message ID, token, ascending options of any number and length,
//! payload): a message either fails to encode with a typed error, or
//! encodes to exactly `encoded_len()` bytes that decode to the same
//! message and encode back to the same bytes. The same parts go through the
//! RFC 8323 framing as well.
#![no_main]

use arbitrary::Arbitrary;
use coap_codec::{
    CoapOption, Code, Decoded, Message, MessageType, OptionNumber, Options, TcpMessage, Token,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Parts<'a> {
    mtype: MessageType,
    code: Code,
    message_id: u16,
    token: Token,
    /// (delta from the previous number, value): ascending by construction
    options: Vec<(u16, &'a [u8])>,
    /// repeat the last value this many times (long values without long inputs)
    stretch: u16,
    payload: &'a [u8],
}

fuzz_target!(|p: Parts<'_>| {
    let stretched: Vec<u8> = p
        .options
        .last()
        .map(|o| o.1.repeat(usize::from(p.stretch % 64) + 1))
        .unwrap_or_default();
    let mut number = 0u16;
    let mut list = Vec::with_capacity(p.options.len());
    for (i, &(delta, value)) in p.options.iter().enumerate() {
        number = number.saturating_add(delta);
        let value = if i + 1 == p.options.len() {
            &stretched[..]
        } else {
            value
        };
        list.push(CoapOption::bytes(OptionNumber(number), value));
    }
    let options = Options::from_slice(&list);

    let m = Message {
        mtype: p.mtype,
        code: p.code,
        message_id: p.message_id,
        token: p.token,
        options,
        payload: p.payload,
    };
    if let Ok(len) = m.encoded_len() {
        let mut out = vec![0u8; len];
        assert_eq!(m.encode_to_slice(&mut out), Ok(len));
        let back = Message::decode(&out).expect("every encodable message decodes");
        assert_eq!(back, m);
        assert_eq!(back.to_vec().expect("encodes"), out);
    }

    let t = TcpMessage {
        code: p.code,
        token: p.token,
        options,
        payload: p.payload,
    };
    if let Ok(len) = t.encoded_len() {
        let mut out = vec![0u8; len];
        assert_eq!(t.encode_to_slice(&mut out), Ok(len));
        match TcpMessage::decode_with(
            &out,
            &coap_codec::DecodeOptions::new().max_message_size(len),
        ) {
            Ok(Decoded::Complete { item, consumed }) => {
                assert_eq!(consumed, len);
                assert_eq!(item, t);
                assert_eq!(item.to_vec().expect("encodes"), out);
            }
            other => panic!("{t:?} encoded to {out:02x?}, decoded as {other:?}"),
        }
    }
});
