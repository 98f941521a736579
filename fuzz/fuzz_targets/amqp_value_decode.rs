//! AMQP 1.0 type system on arbitrary bytes: decoding never panics, every
//! nested list, map, array and described value decodes when iterated, and a
//! decoded value that encodes decodes back to an equal value whose encoding
//! is the same bytes again.
#![no_main]

use amqp_frame::Value;
use libfuzzer_sys::fuzz_target;

/// Visits every nested value; returns whether a NaN float was seen (NaN is
/// not equal to itself, so such values are compared by their encodings only).
fn walk(v: &Value<'_>) -> bool {
    match v {
        Value::Float(x) => x.is_nan(),
        Value::Double(x) => x.is_nan(),
        Value::List(l) => {
            let mut n = 0;
            let mut nan = false;
            for e in l.iter() {
                nan |= walk(&e.expect("validated list element decodes"));
                n += 1;
            }
            assert_eq!(n, l.len());
            nan
        }
        Value::Array(a) => {
            let mut n = 0;
            let mut nan = false;
            for e in a.iter() {
                nan |= walk(&e.expect("validated array element decodes"));
                n += 1;
            }
            assert_eq!(n, a.len());
            nan
        }
        Value::Map(m) => {
            let mut n = 0;
            let mut nan = false;
            for p in m.iter() {
                let (k, v) = p.expect("validated map entry decodes");
                nan |= walk(&k) | walk(&v);
                n += 1;
            }
            assert_eq!(n, m.len());
            nan
        }
        Value::Described(d) => walk(&d.value.decode().expect("validated described value decodes")),
        _ => false,
    }
}

fn encode(v: &Value<'_>) -> Option<Vec<u8>> {
    // Some decodable shapes (an array of values described twice) have no
    // encoding; those are skipped.
    let len = v.encoded_len().ok()?;
    let mut buf = vec![0u8; len];
    let n = v.encode_to_slice(&mut buf).expect("encoded_len was right");
    assert_eq!(n, len);
    Some(buf)
}

fuzz_target!(|data: &[u8]| {
    let Ok((v, used)) = Value::decode(data) else {
        return;
    };
    assert!(used > 0 && used <= data.len());
    let nan = walk(&v);
    let Some(bytes) = encode(&v) else {
        return;
    };
    let (again, n) = Value::decode(&bytes).expect("encoding decodes");
    assert_eq!(n, bytes.len());
    walk(&again);
    if !nan {
        assert_eq!(again, v);
    }
    assert_eq!(encode(&again).as_deref(), Some(&bytes[..]));
});
