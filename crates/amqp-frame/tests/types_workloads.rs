//! Decodes the performatives and message sections of the benchmark workload
//! frames as plain AMQP values.

use amqp_frame::{Descriptor, Value};
use iotcodec_testkit::workloads::load;

/// Splits `data` into frame bodies (skipping each frame's header).
fn frames(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let size = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        let doff = usize::from(rest[4]) * 4;
        out.push(&rest[doff..size]);
        rest = &rest[size..];
    }
    out
}

/// Decodes every value in a frame body, checks each re-encodes to the same
/// bytes, and returns them.
fn values(body: &[u8]) -> Vec<Value<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < body.len() {
        let (v, n) = Value::decode(&body[pos..]).unwrap();
        let mut buf = vec![0; v.encoded_len().unwrap()];
        v.encode_to_slice(&mut buf).unwrap();
        assert_eq!(buf, &body[pos..pos + n], "re-encoding {v:?}");
        out.push(v);
        pos += n;
    }
    out
}

fn performative<'a>(v: &Value<'a>) -> (u64, Vec<Value<'a>>) {
    let Value::Described(d) = v else {
        panic!("not described: {v:?}")
    };
    let Descriptor::Code(code) = d.descriptor else {
        panic!()
    };
    let Value::List(l) = d.value.decode().unwrap() else {
        panic!()
    };
    (code, l.iter().map(Result::unwrap).collect())
}

#[test]
fn flow() {
    let data = load("amqp_flow.bin");
    let bodies = frames(&data);
    assert_eq!(bodies.len(), 1);
    let vals = values(bodies[0]);
    assert_eq!(vals.len(), 1);
    let (code, fields) = performative(&vals[0]);
    assert_eq!(code, 0x13);
    assert_eq!(
        fields,
        [
            Value::Uint(1),
            Value::Uint(2048),
            Value::Uint(1),
            Value::Uint(2048),
            Value::Uint(0),
            Value::Uint(0),
            Value::Uint(100),
        ]
    );
}

#[test]
fn open_attach_disposition() {
    let data = load("amqp_open.bin");
    let (code, fields) = performative(&values(frames(&data)[0])[0]);
    assert_eq!(code, 0x10);
    assert_eq!(fields[0], Value::Str("peer-bench-container-0001"));
    assert_eq!(fields[1], Value::Str("broker.example.com"));
    assert_eq!(fields[2], Value::Uint(65536));
    assert_eq!(fields[3], Value::Ushort(255));
    assert_eq!(fields[4], Value::Uint(30000));

    let data = load("amqp_attach.bin");
    let (code, fields) = performative(&values(frames(&data)[0])[0]);
    assert_eq!(code, 0x12);
    assert_eq!(fields[0], Value::Str("sensor-link-0001"));
    assert_eq!(fields.len(), 11);
    let Value::Described(source) = fields[5] else {
        panic!()
    };
    assert_eq!(source.descriptor, Descriptor::Code(0x28));

    let data = load("amqp_disposition.bin");
    let (code, fields) = performative(&values(frames(&data)[0])[0]);
    assert_eq!(code, 0x15);
    assert_eq!(fields.len(), 5);
    assert_eq!(fields[0], Value::Bool(true));
}

#[test]
fn transfer_with_message() {
    let data = load("amqp_transfer.bin");
    let bodies = frames(&data);
    let vals = values(bodies[0]);
    let (code, fields) = performative(&vals[0]);
    assert_eq!(code, 0x14);
    assert_eq!(fields[1], Value::Uint(1));
    assert_eq!(fields[2], Value::Binary(&[0, 0, 0, 1]));
    // Message sections follow: header, properties, ..., each described.
    let codes: Vec<u64> = vals[1..]
        .iter()
        .map(|v| match v {
            Value::Described(d) => match d.descriptor {
                Descriptor::Code(c) => c,
                Descriptor::Symbol(_) => panic!(),
            },
            _ => panic!("{v:?}"),
        })
        .collect();
    assert_eq!(codes.first(), Some(&0x70));
    assert!(codes.contains(&0x73));
}

#[test]
fn stream_every_frame() {
    let data = load("amqp_stream.bin");
    let bodies = frames(&data);
    assert!(bodies.len() > 1000);
    let mut described = 0usize;
    for b in &bodies {
        for v in values(b) {
            described += usize::from(matches!(v, Value::Described(_)));
        }
    }
    assert!(described > 2000);
}
