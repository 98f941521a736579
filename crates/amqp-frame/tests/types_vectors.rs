//! Hand-checked vectors for every AMQP 1.0 primitive encoding, the benchmark
//! workload frames, and hostile input.

use amqp_frame::DecodeOptions;
use amqp_frame::{Array, DecodeError, Described, Descriptor, EncodeError, List, Map, Value};

fn encode(v: &Value<'_>) -> Vec<u8> {
    let len = v.encoded_len().unwrap();
    let mut buf = vec![0u8; len];
    assert_eq!(v.encode_to_slice(&mut buf).unwrap(), len);
    buf
}

/// `bytes` is the canonical encoding of `v`: it decodes to `v` and `v`
/// encodes back to it.
fn canonical(bytes: &[u8], v: Value<'_>) {
    let (d, n) = Value::decode(bytes).unwrap();
    assert_eq!(n, bytes.len(), "{bytes:02x?}");
    assert_eq!(d, v, "{bytes:02x?}");
    assert_eq!(encode(&v), bytes, "{v:?}");
    assert_eq!(encode(&d), bytes, "{v:?}");
}

/// `bytes` is a wider encoding of `v`: it decodes to `v`, which re-encodes to
/// `shortest`.
fn wide(bytes: &[u8], v: Value<'_>, shortest: &[u8]) {
    let (d, n) = Value::decode(bytes).unwrap();
    assert_eq!(n, bytes.len(), "{bytes:02x?}");
    assert_eq!(d, v, "{bytes:02x?}");
    assert_eq!(encode(&d), shortest, "{v:?}");
}

fn err(bytes: &[u8]) -> DecodeError {
    Value::decode(bytes).unwrap_err()
}

#[test]
fn fixed_width_primitives() {
    canonical(&[0x40], Value::Null);
    canonical(&[0x41], Value::Bool(true));
    canonical(&[0x42], Value::Bool(false));
    wide(&[0x56, 0x01], Value::Bool(true), &[0x41]);
    wide(&[0x56, 0x00], Value::Bool(false), &[0x42]);
    canonical(&[0x50, 0xfe], Value::Ubyte(0xfe));
    canonical(&[0x60, 0x12, 0x34], Value::Ushort(0x1234));
    canonical(&[0x70, 0x00, 0x01, 0x00, 0x00], Value::Uint(0x1_0000));
    canonical(&[0x52, 0xff], Value::Uint(255));
    canonical(&[0x43], Value::Uint(0));
    wide(&[0x70, 0, 0, 0, 7], Value::Uint(7), &[0x52, 7]);
    wide(&[0x52, 0], Value::Uint(0), &[0x43]);
    canonical(
        &[0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08],
        Value::Ulong(0x0102_0304_0506_0708),
    );
    canonical(&[0x53, 0x13], Value::Ulong(0x13));
    canonical(&[0x44], Value::Ulong(0));
    wide(
        &[0x80, 0, 0, 0, 0, 0, 0, 1, 0],
        Value::Ulong(256),
        &[0x80, 0, 0, 0, 0, 0, 0, 1, 0],
    );
    wide(&[0x80, 0, 0, 0, 0, 0, 0, 0, 9], Value::Ulong(9), &[0x53, 9]);
    wide(&[0x53, 0], Value::Ulong(0), &[0x44]);
    canonical(&[0x51, 0xff], Value::Byte(-1));
    canonical(&[0x61, 0xff, 0xfe], Value::Short(-2));
    canonical(&[0x71, 0xff, 0xff, 0xff, 0x7f], Value::Int(-129));
    canonical(&[0x54, 0x80], Value::Int(-128));
    wide(&[0x71, 0, 0, 0, 5], Value::Int(5), &[0x54, 5]);
    canonical(&[0x81, 0, 0, 0, 0, 0, 0, 0, 0x80], Value::Long(128));
    canonical(&[0x55, 0x7f], Value::Long(127));
    wide(
        &[0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        Value::Long(-1),
        &[0x55, 0xff],
    );
    canonical(&[0x72, 0x3f, 0xc0, 0x00, 0x00], Value::Float(1.5));
    canonical(&[0x82, 0xc0, 0x04, 0, 0, 0, 0, 0, 0], Value::Double(-2.5));
    canonical(&[0x74, 1, 2, 3, 4], Value::Decimal32([1, 2, 3, 4]));
    canonical(
        &[0x84, 1, 2, 3, 4, 5, 6, 7, 8],
        Value::Decimal64([1, 2, 3, 4, 5, 6, 7, 8]),
    );
    let d128: [u8; 16] = core::array::from_fn(|i| i as u8);
    let mut b = vec![0x94];
    b.extend_from_slice(&d128);
    canonical(&b, Value::Decimal128(d128));
    canonical(&[0x73, 0x00, 0x01, 0xf6, 0x00], Value::Char('\u{1f600}'));
    canonical(&[0x73, 0x00, 0x00, 0x00, 0x41], Value::Char('A'));
    canonical(
        &[0x83, 0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00],
        Value::Timestamp(0x018b_cfe5_6800),
    );
    canonical(
        &[0x83, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        Value::Timestamp(-1),
    );
    let mut b = vec![0x98];
    b.extend_from_slice(&d128);
    canonical(&b, Value::Uuid(d128));
}

#[test]
fn variable_width_primitives() {
    canonical(&[0xa0, 0x03, 1, 2, 3], Value::Binary(&[1, 2, 3]));
    canonical(&[0xa0, 0x00], Value::Binary(&[]));
    wide(
        &[0xb0, 0, 0, 0, 2, 9, 9],
        Value::Binary(&[9, 9]),
        &[0xa0, 2, 9, 9],
    );
    let big = vec![0xab; 300];
    let mut b = vec![0xb0, 0, 0, 0x01, 0x2c];
    b.extend_from_slice(&big);
    canonical(&b, Value::Binary(&big));

    canonical(b"\xa1\x05hello", Value::Str("hello"));
    canonical(&[0xa1, 0x02, 0xc3, 0xa9], Value::Str("é"));
    wide(b"\xb1\x00\x00\x00\x02hi", Value::Str("hi"), b"\xa1\x02hi");
    let long = "x".repeat(256);
    let mut b = vec![0xb1, 0, 0, 1, 0];
    b.extend_from_slice(long.as_bytes());
    canonical(&b, Value::Str(&long));

    canonical(b"\xa3\x0eamqp:flow:list", Value::Symbol("amqp:flow:list"));
    wide(b"\xb3\x00\x00\x00\x01a", Value::Symbol("a"), b"\xa3\x01a");
    let mut b = vec![0xb3, 0, 0, 1, 0];
    b.extend_from_slice(long.as_bytes());
    canonical(&b, Value::Symbol(&long));
}

#[test]
fn compounds() {
    canonical(&[0x45], Value::List(List::from_values(&[])));
    wide(
        &[0xc0, 0x01, 0x00],
        Value::List(List::from_values(&[])),
        &[0x45],
    );
    wide(
        &[0xd0, 0, 0, 0, 4, 0, 0, 0, 0],
        Value::List(List::from_values(&[])),
        &[0x45],
    );
    let items = [Value::Uint(1), Value::Null, Value::Str("a")];
    canonical(
        &[0xc0, 0x07, 0x03, 0x52, 0x01, 0x40, 0xa1, 0x01, b'a'],
        Value::List(List::from_values(&items)),
    );
    wide(
        &[
            0xd0, 0, 0, 0, 10, 0, 0, 0, 3, 0x52, 0x01, 0x40, 0xa1, 0x01, b'a',
        ],
        Value::List(List::from_values(&items)),
        &[0xc0, 0x07, 0x03, 0x52, 0x01, 0x40, 0xa1, 0x01, b'a'],
    );
    // A list whose elements take 255 bytes needs list32 (size would be 256).
    let blob = [7u8; 253];
    let items = [Value::Binary(&blob)];
    let mut b = vec![0xd0, 0, 0, 1, 3, 0, 0, 0, 1, 0xa0, 253];
    b.extend_from_slice(&blob);
    canonical(&b, Value::List(List::from_values(&items)));

    let pairs = [(Value::Symbol("k"), Value::Long(-1))];
    canonical(
        &[0xc1, 0x06, 0x02, 0xa3, 0x01, b'k', 0x55, 0xff],
        Value::Map(Map::from_pairs(&pairs)),
    );
    canonical(&[0xc1, 0x01, 0x00], Value::Map(Map::from_pairs(&[])));
    wide(
        &[0xd1, 0, 0, 0, 9, 0, 0, 0, 2, 0xa3, 0x01, b'k', 0x55, 0xff],
        Value::Map(Map::from_pairs(&pairs)),
        &[0xc1, 0x06, 0x02, 0xa3, 0x01, b'k', 0x55, 0xff],
    );

    let elems = [Value::Uint(1), Value::Uint(2)];
    canonical(
        &[0xe0, 0x04, 0x02, 0x52, 0x01, 0x02],
        Value::Array(Array::from_values(&elems)),
    );
    wide(
        &[0xf0, 0, 0, 0, 13, 0, 0, 0, 2, 0x70, 0, 0, 0, 1, 0, 0, 0, 2],
        Value::Array(Array::from_values(&elems)),
        &[0xe0, 0x04, 0x02, 0x52, 0x01, 0x02],
    );
    let elems = [Value::Uint(1), Value::Uint(256)];
    canonical(
        &[0xe0, 0x0a, 0x02, 0x70, 0, 0, 0, 1, 0, 0, 1, 0],
        Value::Array(Array::from_values(&elems)),
    );
    let elems = [Value::Symbol("a"), Value::Symbol("bc")];
    canonical(
        &[0xe0, 0x07, 0x02, 0xa3, 0x01, b'a', 0x02, b'b', b'c'],
        Value::Array(Array::from_values(&elems)),
    );
    let elems = [Value::Bool(true), Value::Bool(false)];
    canonical(
        &[0xe0, 0x04, 0x02, 0x56, 0x01, 0x00],
        Value::Array(Array::from_values(&elems)),
    );
    // An empty array keeps whatever element constructor it was sent with.
    wide(
        &[0xe0, 0x02, 0x00, 0xa3],
        Value::Array(Array::from_values(&[])),
        &[0xe0, 0x02, 0x00, 0xa3],
    );
    canonical(
        &[0xe0, 0x02, 0x00, 0x40],
        Value::Array(Array::from_values(&[])),
    );
    // Array of described values shares the descriptor in the constructor.
    let a = Value::Ulong(5);
    let b2 = Value::Ulong(300);
    let elems = [
        Value::Described(Described::new(Descriptor::Code(0x24), &a)),
        Value::Described(Described::new(Descriptor::Code(0x24), &b2)),
    ];
    canonical(
        &[
            0xe0, 0x15, 0x02, 0x00, 0x53, 0x24, 0x80, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 1,
            0x2c,
        ],
        Value::Array(Array::from_values(&elems)),
    );
    assert_eq!(
        Value::Array(Array::from_values(&[Value::Uint(1), Value::Int(1)])).encoded_len(),
        Err(EncodeError::MixedArray)
    );
}

#[test]
fn described() {
    let inner = Value::List(List::from_values(&[]));
    canonical(
        &[0x00, 0x53, 0x13, 0x45],
        Value::Described(Described::new(Descriptor::Code(0x13), &inner)),
    );
    canonical(
        b"\x00\xa3\x0eamqp:flow:list\x45",
        Value::Described(Described::new(Descriptor::Symbol("amqp:flow:list"), &inner)),
    );
    wide(
        &[0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x13, 0x45],
        Value::Described(Described::new(Descriptor::Code(0x13), &inner)),
        &[0x00, 0x53, 0x13, 0x45],
    );
    let code = (0x0000_468C_u64 << 32) | 1;
    let mut b = vec![0x00, 0x80];
    b.extend_from_slice(&code.to_be_bytes());
    b.push(0x40);
    canonical(
        &b,
        Value::Described(Described::new(Descriptor::Code(code), &Value::Null)),
    );
    // Nested descriptors.
    let innermost = Value::Null;
    let mid = Value::Described(Described::new(Descriptor::Code(2), &innermost));
    canonical(
        &[0x00, 0x53, 0x01, 0x00, 0x53, 0x02, 0x40],
        Value::Described(Described::new(Descriptor::Code(1), &mid)),
    );
    assert_eq!(
        err(&[0x00, 0x71, 0, 0, 0, 1, 0x40]),
        DecodeError::UnsupportedDescriptor { code: 0x71 }
    );
}

#[test]
fn invalid_primitives() {
    assert_eq!(err(&[0x56, 0x02]), DecodeError::InvalidBoolean { value: 2 });
    assert_eq!(
        err(&[0x73, 0, 0, 0xd8, 0]),
        DecodeError::InvalidChar { code_point: 0xd800 }
    );
    assert_eq!(
        err(&[0x73, 0, 0x11, 0, 0]),
        DecodeError::InvalidChar {
            code_point: 0x11_0000
        }
    );
    assert_eq!(err(&[0xa1, 0x01, 0xff]), DecodeError::InvalidUtf8);
    assert_eq!(err(&[0xa3, 0x02, 0xc3, 0xa9]), DecodeError::InvalidSymbol);
    assert_eq!(err(&[0x01]), DecodeError::UnknownFormatCode { code: 0x01 });
    assert_eq!(err(&[0x57]), DecodeError::UnknownFormatCode { code: 0x57 });
    assert_eq!(err(&[]), DecodeError::UnexpectedEnd { needed: 1 });
    assert_eq!(err(&[0x70, 0, 0]), DecodeError::UnexpectedEnd { needed: 2 });
    assert!(matches!(
        err(&[0xb1, 0xff, 0xff, 0xff, 0xff, b'a']),
        DecodeError::UnexpectedEnd { .. }
    ));
    assert_eq!(
        Value::Symbol("é").encoded_len(),
        Err(EncodeError::InvalidSymbol)
    );
    let mut small = [0u8; 2];
    assert_eq!(
        Value::Str("abc").encode_to_slice(&mut small),
        Err(EncodeError::BufferTooSmall { required: 5 })
    );
}

#[test]
fn hostile_compounds() {
    assert_eq!(err(&[0xc0, 0x00]), DecodeError::SizeTooSmall { size: 0 });
    assert_eq!(
        err(&[0xd0, 0, 0, 0, 3, 0, 0, 0]),
        DecodeError::SizeTooSmall { size: 3 }
    );
    assert_eq!(
        err(&[0xc0, 0x02, 0x05, 0x40]),
        DecodeError::CountExceedsSize {
            count: 5,
            available: 1
        }
    );
    assert_eq!(
        err(&[0xc0, 0x03, 0x01, 0x40, 0x40]),
        DecodeError::SizeMismatch {
            declared: 2,
            consumed: 1
        }
    );
    assert_eq!(
        err(&[0xc0, 0x02, 0x01, 0x70]),
        DecodeError::UnexpectedEnd { needed: 4 }
    );
    assert_eq!(
        err(&[0xc1, 0x02, 0x01, 0x40]),
        DecodeError::OddMapCount { count: 1 }
    );
    // list32 claiming 4 GiB of elements in a few bytes.
    assert!(matches!(
        err(&[0xd0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x40]),
        DecodeError::UnexpectedEnd { .. }
    ));
    // list32 claiming 4 Gi elements in a correctly sized body.
    assert_eq!(
        err(&[0xd0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, 0x40]),
        DecodeError::CountExceedsSize {
            count: u32::MAX,
            available: 1
        }
    );
    // array32 of 2^32-1 zero-width elements in 5 bytes of body.
    for c in [0x40, 0x41, 0x42, 0x43, 0x44, 0x45] {
        assert_eq!(
            err(&[0xf0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff, c]),
            DecodeError::TooManyZeroWidthElements {
                count: u32::MAX,
                limit: 4096
            }
        );
    }
    // Same with a described zero-width constructor.
    assert_eq!(
        err(&[0xf0, 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0x00, 0x53, 0x01, 0x40]),
        DecodeError::TooManyZeroWidthElements {
            count: u32::MAX,
            limit: 4096
        }
    );
    // Up to the limit is fine and iterates lazily.
    let (v, _) = Value::decode(&[0xf0, 0, 0, 0, 5, 0, 0, 0x10, 0, 0x40]).unwrap();
    let Value::Array(a) = v else { panic!() };
    assert_eq!(a.len(), 4096);
    assert!(a.iter().all(|e| e == Ok(Value::Null)));
    // A configurable limit.
    let strict = DecodeOptions::new().max_zero_width_elements(3);
    assert_eq!(
        Value::decode_with(&[0xe0, 0x02, 0x04, 0x45], &strict).unwrap_err(),
        DecodeError::TooManyZeroWidthElements { count: 4, limit: 3 }
    );
    // Non-zero-width arrays: count bounded by bytes present.
    assert_eq!(
        err(&[0xf0, 0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff, 0x50, 0x01]),
        DecodeError::CountExceedsSize {
            count: u32::MAX,
            available: 1
        }
    );
    // Elements must fill the declared size exactly.
    assert_eq!(
        err(&[0xe0, 0x04, 0x01, 0x50, 0x01, 0x02]),
        DecodeError::SizeMismatch {
            declared: 2,
            consumed: 1
        }
    );
    // Array with no constructor.
    assert!(matches!(
        err(&[0xe0, 0x01, 0x00]),
        DecodeError::UnexpectedEnd { .. }
    ));
}

fn nested_lists(levels: usize) -> Vec<u8> {
    let mut v = vec![0x40];
    for _ in 0..levels {
        let mut outer = vec![0xd0];
        outer.extend_from_slice(&(v.len() as u32 + 4).to_be_bytes());
        outer.extend_from_slice(&1u32.to_be_bytes());
        outer.extend_from_slice(&v);
        v = outer;
    }
    v
}

#[test]
fn depth_limit() {
    assert!(Value::decode(&nested_lists(32)).is_ok());
    assert_eq!(
        Value::decode(&nested_lists(33)).unwrap_err(),
        DecodeError::DepthExceeded { limit: 32 }
    );
    // Deep nesting far beyond the limit fails fast, without recursing.
    assert_eq!(
        Value::decode(&nested_lists(5000)).unwrap_err(),
        DecodeError::DepthExceeded { limit: 32 }
    );
    let lim = DecodeOptions::new().max_depth(2);
    assert!(Value::decode_with(&nested_lists(2), &lim).is_ok());
    assert!(Value::decode_with(&nested_lists(3), &lim).is_err());
    // Chains of descriptors count too.
    let mut chain = Vec::new();
    for _ in 0..40 {
        chain.extend_from_slice(&[0x00, 0x53, 0x01]);
    }
    chain.push(0x40);
    assert_eq!(
        Value::decode(&chain).unwrap_err(),
        DecodeError::DepthExceeded { limit: 32 }
    );
    // The decoded value re-iterates within the same limits.
    let bytes = nested_lists(32);
    let (v, _) = Value::decode(&bytes).unwrap();
    let re = encode(&v);
    assert!(re.len() < bytes.len());
    assert_eq!(Value::decode(&re).unwrap().0, v);
}

#[test]
fn array_constructor_must_be_known() {
    assert_eq!(
        err(&[0xe0, 0x02, 0x00, 0x01]),
        DecodeError::UnknownFormatCode { code: 0x01 }
    );
    assert_eq!(
        err(&[0xe0, 0x02, 0x00, 0x00]),
        DecodeError::UnexpectedEnd { needed: 1 }
    );
    assert_eq!(
        err(&[0xe0, 0x05, 0x00, 0x00, 0x53, 0x01, 0x99]),
        DecodeError::UnknownFormatCode { code: 0x99 }
    );
}

#[test]
fn wide_compounds_canonical() {
    // array32: 300 ubytes do not fit array8.
    let elems: Vec<Value<'_>> = (0..300).map(|i| Value::Ubyte(i as u8)).collect();
    let mut b = vec![0xf0, 0, 0, 0x01, 0x31, 0, 0, 0x01, 0x2c, 0x50];
    b.extend((0..300).map(|i| i as u8));
    canonical(&b, Value::Array(Array::from_values(&elems)));
    // map32: 128 pairs = 256 elements do not fit map8's count byte.
    let pairs: Vec<(Value<'_>, Value<'_>)> = (0..128)
        .map(|i| (Value::Ubyte(i as u8), Value::Null))
        .collect();
    let mut b = vec![0xd1, 0, 0, 0x01, 0x84, 0, 0, 0x01, 0x00];
    for i in 0..128u8 {
        b.extend_from_slice(&[0x50, i, 0x40]);
    }
    canonical(&b, Value::Map(Map::from_pairs(&pairs)));
    // list32: 256 nulls do not fit list8's count byte.
    let nulls = vec![Value::Null; 256];
    let mut b = vec![0xd0, 0, 0, 0x01, 0x04, 0, 0, 0x01, 0x00];
    b.extend(std::iter::repeat_n(0x40, 256));
    canonical(&b, Value::List(List::from_values(&nulls)));
    // A too-long null array encodes but is refused by the default limits.
    let many = vec![Value::Null; 5000];
    let bytes = encode(&Value::Array(Array::from_values(&many)));
    assert_eq!(
        err(&bytes),
        DecodeError::TooManyZeroWidthElements {
            count: 5000,
            limit: 4096
        }
    );
    let lax = DecodeOptions::new().max_zero_width_elements(5000);
    assert_eq!(Value::decode_with(&bytes, &lax).unwrap().1, bytes.len());
}

#[test]
fn nested_zero_width_arrays_validate_quickly() {
    // An array of 60000 arrays of 255 nulls each: ~15 M elements claimed in
    // 180 kB. Validation looks at one element per inner array.
    let inner = [0xe0u8, 0x02, 0xff, 0x40];
    let n: u32 = 60_000;
    let mut b = vec![0xf0];
    b.extend_from_slice(&(4 + 1 + 3 * n).to_be_bytes());
    b.extend_from_slice(&n.to_be_bytes());
    b.push(0xe0);
    for _ in 0..n {
        b.extend_from_slice(&inner[1..]);
    }
    let (v, used) = Value::decode(&b).unwrap();
    assert_eq!(used, b.len());
    let Value::Array(a) = v else { panic!() };
    assert_eq!(a.len(), 60_000);
    let Some(Ok(Value::Array(first))) = a.iter().next() else {
        panic!()
    };
    assert_eq!(first.len(), 255);
}

#[test]
fn accessors() {
    assert!(Value::Null.is_null());
    assert_eq!(Value::Bool(true).as_bool(), Some(true));
    assert_eq!(Value::Uint(3).as_uint(), Some(3));
    assert_eq!(Value::Uint(3).as_ulong(), None);
    assert_eq!(Value::Ulong(3).as_ulong(), Some(3));
    assert_eq!(Value::Str("a").as_str(), Some("a"));
    assert_eq!(Value::Str("a").as_symbol(), None);
    assert_eq!(Value::Symbol("a").as_symbol(), Some("a"));
    assert_eq!(Value::Binary(&[1]).as_binary(), Some(&[1u8][..]));
    let (v, _) = Value::decode(&[0x00, 0x53, 0x13, 0xc0, 0x02, 0x01, 0x43]).unwrap();
    let d = v.as_described().unwrap();
    let l = d.value.decode().unwrap().as_list().unwrap();
    assert_eq!(l.len(), 1);
    assert_eq!(l.iter().next().unwrap().unwrap().as_uint(), Some(0));
    assert!(Value::Map(Map::from_pairs(&[]))
        .as_map()
        .unwrap()
        .is_empty());
    assert!(Value::Array(Array::from_values(&[]))
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(Value::Null.as_list(), None);
}
