//! Property tests: encode/decode round trips and arbitrary input.

use amqp_frame::{Array, Described, Descriptor, List, Map, Value};
use proptest::prelude::*;

/// An owned value tree, turned into borrowed [`Value`]s by leaking (fine in
/// a test process).
#[derive(Debug, Clone)]
enum T {
    Prim(P),
    Bin(Vec<u8>),
    Str(String),
    Sym(String),
    List(Vec<Self>),
    Map(Vec<(Self, Self)>),
    Array(Vec<Self>),
    Described(Desc, Box<Self>),
    DescArray(u64, Vec<u32>),
}

#[derive(Debug, Clone)]
enum Desc {
    Code(u64),
    Sym(String),
}

#[derive(Debug, Clone, Copy)]
enum P {
    Null,
    Bool(bool),
    Ubyte(u8),
    Ushort(u16),
    Uint(u32),
    Ulong(u64),
    Byte(i8),
    Short(i16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    D32([u8; 4]),
    D64([u8; 8]),
    D128([u8; 16]),
    Char(char),
    Ts(i64),
    Uuid([u8; 16]),
}

fn leak<X>(v: Vec<X>) -> &'static [X] {
    Box::leak(v.into_boxed_slice())
}

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn prim(p: P) -> Value<'static> {
    match p {
        P::Null => Value::Null,
        P::Bool(b) => Value::Bool(b),
        P::Ubyte(x) => Value::Ubyte(x),
        P::Ushort(x) => Value::Ushort(x),
        P::Uint(x) => Value::Uint(x),
        P::Ulong(x) => Value::Ulong(x),
        P::Byte(x) => Value::Byte(x),
        P::Short(x) => Value::Short(x),
        P::Int(x) => Value::Int(x),
        P::Long(x) => Value::Long(x),
        P::Float(x) => Value::Float(x),
        P::Double(x) => Value::Double(x),
        P::D32(x) => Value::Decimal32(x),
        P::D64(x) => Value::Decimal64(x),
        P::D128(x) => Value::Decimal128(x),
        P::Char(x) => Value::Char(x),
        P::Ts(x) => Value::Timestamp(x),
        P::Uuid(x) => Value::Uuid(x),
    }
}

fn to_value(t: &T) -> Value<'static> {
    match t {
        T::Prim(p) => prim(*p),
        T::Bin(b) => Value::Binary(leak(b.clone())),
        T::Str(s) => Value::Str(leak_str(s)),
        T::Sym(s) => Value::Symbol(leak_str(s)),
        T::List(v) => Value::List(List::from_values(leak(v.iter().map(to_value).collect()))),
        T::Map(v) => Value::Map(Map::from_pairs(leak(
            v.iter().map(|(k, v)| (to_value(k), to_value(v))).collect(),
        ))),
        T::Array(v) => Value::Array(Array::from_values(leak(v.iter().map(to_value).collect()))),
        T::Described(d, inner) => {
            let descriptor = match d {
                Desc::Code(c) => Descriptor::Code(*c),
                Desc::Sym(s) => Descriptor::Symbol(leak_str(s)),
            };
            let inner: &'static Value<'static> = Box::leak(Box::new(to_value(inner)));
            Value::Described(Described::new(descriptor, inner))
        }
        T::DescArray(code, v) => {
            let elems = v
                .iter()
                .map(|x| {
                    let inner: &'static Value<'static> = Box::leak(Box::new(Value::Uint(*x)));
                    Value::Described(Described::new(Descriptor::Code(*code), inner))
                })
                .collect();
            Value::Array(Array::from_values(leak(elems)))
        }
    }
}

fn uint() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), 0u32..=300, any::<u32>()]
}

fn ulong() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0u64), 0u64..=300, any::<u64>()]
}

fn small_i64() -> impl Strategy<Value = i64> {
    prop_oneof![-200i64..200, any::<i64>()]
}

fn prim_strategy() -> impl Strategy<Value = P> {
    prop_oneof![
        Just(P::Null),
        any::<bool>().prop_map(P::Bool),
        any::<u8>().prop_map(P::Ubyte),
        any::<u16>().prop_map(P::Ushort),
        uint().prop_map(P::Uint),
        ulong().prop_map(P::Ulong),
        any::<i8>().prop_map(P::Byte),
        any::<i16>().prop_map(P::Short),
        small_i64().prop_map(|x| P::Int(x as i32)),
        small_i64().prop_map(P::Long),
        any::<f32>()
            .prop_filter("nan", |f| !f.is_nan())
            .prop_map(P::Float),
        any::<f64>()
            .prop_filter("nan", |f| !f.is_nan())
            .prop_map(P::Double),
        any::<[u8; 4]>().prop_map(P::D32),
        any::<[u8; 8]>().prop_map(P::D64),
        any::<[u8; 16]>().prop_map(P::D128),
        any::<char>().prop_map(P::Char),
        small_i64().prop_map(P::Ts),
        any::<[u8; 16]>().prop_map(P::Uuid),
    ]
}

fn ascii(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..128, 0..max).prop_map(|b| String::from_utf8(b).unwrap())
}

fn leaf() -> impl Strategy<Value = T> {
    prop_oneof![
        4 => prim_strategy().prop_map(T::Prim),
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(T::Bin),
        1 => prop::collection::vec(any::<char>(), 0..40).prop_map(|c| T::Str(c.into_iter().collect())),
        1 => ascii(300).prop_map(T::Sym),
        1 => (ulong(), prop::collection::vec(uint(), 0..5)).prop_map(|(c, v)| T::DescArray(c, v)),
        1 => prop_oneof![
            prop::collection::vec(uint(), 0..6).prop_map(|v| v.into_iter().map(P::Uint).collect::<Vec<_>>()),
            prop::collection::vec(small_i64(), 0..6).prop_map(|v| v.into_iter().map(P::Long).collect()),
            prop::collection::vec(any::<bool>(), 0..6).prop_map(|v| v.into_iter().map(P::Bool).collect()),
            prop::collection::vec(Just(P::Null), 0..6),
        ]
        .prop_map(|v| T::Array(v.into_iter().map(T::Prim).collect())),
        1 => prop::collection::vec(ascii(20), 1..4).prop_map(|v| T::Array(v.into_iter().map(T::Sym).collect())),
    ]
}

fn tree() -> impl Strategy<Value = T> {
    leaf().prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(T::List),
            prop::collection::vec((inner.clone(), inner.clone()), 0..4).prop_map(T::Map),
            prop::collection::vec(prop::collection::vec(inner.clone(), 0..3), 1..4)
                .prop_map(|v| T::Array(v.into_iter().map(T::List).collect())),
            (ulong(), inner.clone()).prop_map(|(c, t)| T::Described(Desc::Code(c), Box::new(t))),
            (ascii(20), inner).prop_map(|(s, t)| T::Described(Desc::Sym(s), Box::new(t))),
        ]
    })
}

fn encode(v: &Value<'_>) -> Vec<u8> {
    let mut buf = vec![0; v.encoded_len().unwrap()];
    let n = v.encode_to_slice(&mut buf).unwrap();
    assert_eq!(n, buf.len());
    buf
}

/// Visits every nested value, forcing every lazy decode.
fn walk(v: &Value<'_>) -> usize {
    match v {
        Value::List(l) => l.iter().map(|e| walk(&e.unwrap())).sum::<usize>() + 1,
        Value::Map(m) => {
            m.iter()
                .map(|p| {
                    let (k, v) = p.unwrap();
                    walk(&k) + walk(&v)
                })
                .sum::<usize>()
                + 1
        }
        Value::Array(a) => a.iter().map(|e| walk(&e.unwrap())).sum::<usize>() + 1,
        Value::Described(d) => walk(&d.value.decode().unwrap()) + 1,
        _ => 1,
    }
}

proptest! {
    #[test]
    fn round_trip(t in tree()) {
        let v = to_value(&t);
        let bytes = encode(&v);
        let (d, n) = Value::decode(&bytes).unwrap();
        prop_assert_eq!(n, bytes.len());
        prop_assert_eq!(d, v);
        prop_assert_eq!(&encode(&d), &bytes);
        walk(&d);
    }

    #[test]
    fn truncated_encodings_error(t in tree(), cut in any::<prop::sample::Index>()) {
        let bytes = encode(&to_value(&t));
        let cut = cut.index(bytes.len());
        prop_assert!(Value::decode(&bytes[..cut]).is_err());
    }

    #[test]
    fn mutated_encodings_never_panic(t in tree(), flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let mut bytes = encode(&to_value(&t));
        for (i, b) in flips {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
        check_arbitrary(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        check_arbitrary(&bytes);
    }

    #[test]
    fn arbitrary_compound_bodies_never_panic(
        c in prop::sample::select(vec![0x00u8, 0xc0, 0xc1, 0xd0, 0xd1, 0xe0, 0xf0]),
        rest in prop::collection::vec(prop_oneof![any::<u8>(), 0x40u8..0x46, Just(0xc0), Just(0xe0), Just(0x00), Just(0x53)], 0..100),
    ) {
        let mut bytes = vec![c];
        bytes.extend_from_slice(&rest);
        check_arbitrary(&bytes);
    }
}

fn check_arbitrary(bytes: &[u8]) {
    if let Ok((v, n)) = Value::decode(bytes) {
        assert!(n <= bytes.len());
        walk(&v);
        if let Ok(len) = v.encoded_len() {
            let mut buf = vec![0; len];
            v.encode_to_slice(&mut buf).unwrap();
            let (again, m) = Value::decode(&buf).unwrap();
            assert_eq!(m, len);
            assert_eq!(encode(&again), buf);
        }
    }
}
