//! Protocol headers and frames: hand-written vectors and the size/DOFF rules.

use amqp_frame::frame::{
    performative_name, Frame, FrameType, OutFrame, ProtocolHeader, ProtocolId, Unit,
    MAX_EXTENDED_HEADER,
};
use amqp_frame::DecodeOptions;
use amqp_frame::{DecodeError, Decoded, Described, Descriptor, EncodeError, List, Value};

const MAX: u32 = 65_536;

fn complete<T>(d: Decoded<T>) -> (T, usize) {
    d.complete().expect("complete")
}

#[test]
fn protocol_headers() {
    for (bytes, hdr, id) in [
        (
            *b"AMQP\x00\x01\x00\x00",
            ProtocolHeader::AMQP,
            ProtocolId::Amqp,
        ),
        (
            *b"AMQP\x02\x01\x00\x00",
            ProtocolHeader::TLS,
            ProtocolId::Tls,
        ),
        (
            *b"AMQP\x03\x01\x00\x00",
            ProtocolHeader::SASL,
            ProtocolId::Sasl,
        ),
    ] {
        let (h, n) = complete(ProtocolHeader::decode(&bytes).unwrap());
        assert_eq!((h, n), (hdr, 8));
        assert_eq!(h.supported(), Some(id));
        assert_eq!(h.to_bytes(), bytes);
        let mut out = [0u8; 8];
        assert_eq!(h.encode_to_slice(&mut out), Ok(8));
        assert_eq!(out, bytes);
        assert_eq!(ProtocolHeader::v1_0(id), hdr);
    }
}

#[test]
fn protocol_header_mismatch_is_typed() {
    let (h, _) = complete(ProtocolHeader::decode(b"AMQP\x00\x00\x09\x01rest").unwrap());
    assert_eq!(
        h,
        ProtocolHeader {
            id: 0,
            major: 0,
            minor: 9,
            revision: 1
        }
    );
    assert_eq!(h.supported(), None);
    let (h, _) = complete(ProtocolHeader::decode(b"AMQP\x01\x01\x00\x00").unwrap());
    assert_eq!(h.id, 1);
    assert_eq!(h.supported(), None);
}

#[test]
fn protocol_header_errors_and_prefixes() {
    assert_eq!(
        ProtocolHeader::decode(b"HTTP/1.1"),
        Err(DecodeError::NotAmqpHeader)
    );
    assert_eq!(
        ProtocolHeader::decode(b"AMX"),
        Err(DecodeError::NotAmqpHeader)
    );
    assert_eq!(DecodeError::NotAmqpHeader.rule(), Some("2.2"));
    let full = b"AMQP\x00\x01\x00\x00";
    for i in 0..8 {
        assert_eq!(
            ProtocolHeader::decode(&full[..i]),
            Ok(Decoded::needs(8 - i)),
            "prefix {i}"
        );
    }
    let mut small = [0u8; 7];
    assert_eq!(
        ProtocolHeader::AMQP.encode_to_slice(&mut small),
        Err(EncodeError::BufferTooSmall { required: 8 })
    );
}

#[test]
fn heartbeat() {
    let bytes = [0, 0, 0, 8, 2, 0, 0, 0];
    let (f, n) =
        complete(Frame::decode_with(&bytes, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
    assert_eq!(n, 8);
    assert!(f.is_heartbeat());
    assert_eq!(f, Frame::heartbeat(0));
    assert_eq!(f.performative(), Ok(None));
    let mut out = [0u8; 8];
    assert_eq!(f.encode_to_slice(&mut out), Ok(8));
    assert_eq!(out, bytes);
}

#[test]
fn flow_frame_vector() {
    // Flow on channel 3 with fields [1, 2048]: 0x00 0x53 0x13 list8.
    let bytes = [
        0x00, 0x00, 0x00, 0x15, 0x02, 0x00, 0x00, 0x03, // header
        0x00, 0x53, 0x13, 0xc0, 0x08, 0x02, 0x52, 0x01, 0x70, 0x00, 0x00, 0x08, 0x00,
    ];
    let (f, n) =
        complete(Frame::decode_with(&bytes, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
    assert_eq!(n, bytes.len());
    assert_eq!(f.frame_type, FrameType::Amqp);
    assert_eq!(f.channel, 3);
    assert!(f.extended_header.is_empty());
    let (p, payload) = f.performative().unwrap().unwrap();
    assert!(payload.is_empty());
    let d = p.as_described().unwrap();
    assert_eq!(d.descriptor, Descriptor::Code(0x13));
    assert_eq!(performative_name(0x13), Some("flow"));

    let fields = [Value::Uint(1), Value::Uint(2048)];
    let list = Value::List(List::from_values(&fields));
    let flow = Value::Described(Described::new(Descriptor::Code(0x13), &list));
    assert_eq!(p, flow);
    let out = OutFrame::new(FrameType::Amqp, 3, flow);
    assert_eq!(out.encoded_len(), Ok(bytes.len()));
    let mut buf = [0u8; 32];
    let n = out.encode_to_slice(&mut buf).unwrap();
    assert_eq!(&buf[..n], &bytes);
    // Too small a buffer writes nothing.
    let mut small = [0xaau8; 20];
    assert_eq!(
        out.encode_to_slice(&mut small),
        Err(EncodeError::BufferTooSmall { required: 21 })
    );
    assert!(small.iter().all(|&b| b == 0xaa));
}

#[test]
fn sasl_frame_and_extended_header() {
    // SASL frame, DOFF 3: 4 bytes of extended header, body sasl-init-like.
    let bytes = [
        0, 0, 0, 0x10, 3, 1, 0xab, 0xcd, 9, 9, 9, 9, 0x00, 0x53, 0x41, 0x45,
    ];
    let (f, _) =
        complete(Frame::decode_with(&bytes, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
    assert_eq!(f.frame_type, FrameType::Sasl);
    assert_eq!(f.channel, 0xabcd);
    assert_eq!(f.extended_header, &[9, 9, 9, 9]);
    assert_eq!(f.body, &[0x00, 0x53, 0x41, 0x45]);
    let (p, rest) = f.performative().unwrap().unwrap();
    assert_eq!(p.as_described().unwrap().descriptor, Descriptor::Code(0x41));
    assert!(rest.is_empty());
    let mut out = [0u8; 16];
    assert_eq!(f.encode_to_slice(&mut out), Ok(16));
    assert_eq!(out, bytes);
    assert_eq!(
        Unit::decode_with(&bytes, &DecodeOptions::new().max_frame_size(MAX))
            .unwrap()
            .complete()
            .unwrap()
            .0,
        Unit::Frame(f)
    );
}

#[test]
fn transfer_payload_split() {
    let fields = [Value::Uint(0)];
    let list = Value::List(List::from_values(&fields));
    let transfer = Value::Described(Described::new(Descriptor::Code(0x14), &list));
    let payload = b"\x00\x53\x75\xa0\x03abc";
    let out = OutFrame::new(FrameType::Amqp, 0, transfer).with_payload(payload);
    let mut buf = vec![0u8; out.encoded_len().unwrap()];
    out.encode_to_slice(&mut buf).unwrap();
    let (f, _) =
        complete(Frame::decode_with(&buf, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
    let (p, rest) = f.performative().unwrap().unwrap();
    assert_eq!(p, transfer);
    assert_eq!(rest, payload);
}

#[test]
fn size_rules() {
    // Size below 8.
    for size in 0..8u8 {
        assert_eq!(
            Frame::decode_with(
                &[0, 0, 0, size, 2, 0, 0, 0],
                &DecodeOptions::new().max_frame_size(MAX)
            ),
            Err(DecodeError::FrameTooSmall { size: size.into() })
        );
    }
    // Too large: refused with only the size present, before anything else.
    assert_eq!(
        Frame::decode_with(&[0, 1, 0, 1], &DecodeOptions::new().max_frame_size(MAX)),
        Err(DecodeError::FrameTooLarge {
            size: 65_537,
            max: MAX
        })
    );
    assert_eq!(
        Frame::decode_with(
            &[0xff, 0xff, 0xff, 0xff, 0xee, 0xee],
            &DecodeOptions::new().max_frame_size(512)
        ),
        Err(DecodeError::FrameTooLarge {
            size: u32::MAX,
            max: 512
        })
    );
    // The default options take frames up to 64 KiB.
    assert_eq!(
        Frame::decode(&[0, 1, 0, 1]),
        Err(DecodeError::FrameTooLarge {
            size: 65_537,
            max: DecodeOptions::DEFAULT_MAX_FRAME_SIZE
        })
    );
    assert_eq!(Frame::decode(&[0, 1, 0, 0]), Ok(Decoded::needs(65_536 - 4)));
    assert_eq!(
        DecodeError::FrameTooLarge { size: 1, max: 0 }.rule(),
        Some("2.7.1")
    );
    // Exactly the maximum is fine.
    let mut f = vec![0u8; 512];
    f[..8].copy_from_slice(&[0, 0, 2, 0, 2, 0, 0, 0]);
    f[8] = 0x00;
    assert!(
        Frame::decode_with(&f, &DecodeOptions::new().max_frame_size(512))
            .unwrap()
            .is_complete()
    );
}

#[test]
fn doff_rules() {
    for doff in [0u8, 1] {
        assert_eq!(
            Frame::decode_with(
                &[0, 0, 0, 8, doff, 0, 0, 0],
                &DecodeOptions::new().max_frame_size(MAX)
            ),
            Err(DecodeError::InvalidDataOffset { doff, size: 8 })
        );
    }
    // DOFF * 4 > size.
    assert_eq!(
        Frame::decode_with(
            &[0, 0, 0, 11, 3, 0, 0, 0],
            &DecodeOptions::new().max_frame_size(MAX)
        ),
        Err(DecodeError::InvalidDataOffset { doff: 3, size: 11 })
    );
    // DOFF * 4 == size: extended header only, empty body.
    let bytes = [0, 0, 0, 12, 3, 0, 0, 0, 1, 2, 3, 4];
    let (f, _) =
        complete(Frame::decode_with(&bytes, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
    assert_eq!(f.extended_header, &[1, 2, 3, 4]);
    assert!(f.is_heartbeat());
    // Header errors are reported before the rest of the frame arrives.
    assert_eq!(
        Frame::decode_with(
            &[0, 0, 1, 0, 1, 0, 0, 0],
            &DecodeOptions::new().max_frame_size(MAX)
        ),
        Err(DecodeError::InvalidDataOffset { doff: 1, size: 256 })
    );
}

#[test]
fn frame_type_rules() {
    for ty in 2..=255u8 {
        assert_eq!(
            Frame::decode_with(
                &[0, 0, 0, 8, 2, ty, 0, 0],
                &DecodeOptions::new().max_frame_size(MAX)
            ),
            Err(DecodeError::UnknownFrameType { frame_type: ty })
        );
    }
    assert_eq!(FrameType::from_code(1), Some(FrameType::Sasl));
    assert_eq!(FrameType::Amqp.name(), "amqp");
}

#[test]
fn prefixes_are_incomplete() {
    let bytes = [
        0x00, 0x00, 0x00, 0x15, 0x02, 0x00, 0x00, 0x03, 0x00, 0x53, 0x13, 0xc0, 0x08, 0x02, 0x52,
        0x01, 0x70, 0x00, 0x00, 0x08, 0x00,
    ];
    for i in 0..bytes.len() {
        let want = if i < 4 {
            Decoded::needs(8 - i)
        } else {
            Decoded::needs(bytes.len() - i)
        };
        assert_eq!(
            Frame::decode_with(&bytes[..i], &DecodeOptions::new().max_frame_size(MAX)),
            Ok(want),
            "prefix {i}"
        );
        assert_eq!(
            Unit::decode_with(&bytes[..i], &DecodeOptions::new().max_frame_size(MAX))
                .map(|d| d.complete().is_none()),
            Ok(true)
        );
    }
    // Trailing bytes are left alone.
    let mut more = bytes.to_vec();
    more.extend_from_slice(b"AMQP");
    assert_eq!(
        complete(Frame::decode_with(&more, &DecodeOptions::new().max_frame_size(MAX)).unwrap()).1,
        bytes.len()
    );
}

#[test]
fn performative_must_be_described() {
    let bytes = [0, 0, 0, 9, 2, 0, 0, 0, 0x40];
    let (f, _) =
        complete(Frame::decode_with(&bytes, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
    assert_eq!(f.performative(), Err(DecodeError::PerformativeNotDescribed));
    let bytes = [0, 0, 0, 10, 2, 0, 0, 0, 0x00, 0x53];
    let (f, _) =
        complete(Frame::decode_with(&bytes, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
    assert!(matches!(
        f.performative(),
        Err(DecodeError::UnexpectedEnd { .. })
    ));
}

#[test]
fn units_in_a_stream() {
    let mut stream = Vec::new();
    stream.extend_from_slice(&ProtocolHeader::SASL.to_bytes());
    stream.extend_from_slice(&[0, 0, 0, 12, 2, 1, 0, 0, 0x00, 0x53, 0x40, 0x45]);
    stream.extend_from_slice(&ProtocolHeader::AMQP.to_bytes());
    stream.extend_from_slice(&[0, 0, 0, 8, 2, 0, 0, 0]);
    let mut units = Vec::new();
    let mut rest = &stream[..];
    while !rest.is_empty() {
        let (u, n) =
            complete(Unit::decode_with(rest, &DecodeOptions::new().max_frame_size(MAX)).unwrap());
        let mut out = vec![0u8; u.encoded_len().unwrap()];
        assert_eq!(u.encode_to_slice(&mut out), Ok(n));
        assert_eq!(out, &rest[..n]);
        units.push(u);
        rest = &rest[n..];
    }
    assert_eq!(units.len(), 4);
    assert_eq!(units[0], Unit::Header(ProtocolHeader::SASL));
    assert!(matches!(units[1], Unit::Frame(f) if f.frame_type == FrameType::Sasl));
    assert_eq!(units[2], Unit::Header(ProtocolHeader::AMQP));
    assert_eq!(units[3], Unit::Frame(Frame::heartbeat(0)));
    // A non-AMQP header where a unit starts is a frame, and here too large.
    assert_eq!(
        Unit::decode_with(b"HTTP/1.1", &DecodeOptions::new().max_frame_size(MAX)),
        Err(DecodeError::FrameTooLarge {
            size: u32::from_be_bytes(*b"HTTP"),
            max: MAX
        })
    );
    assert_eq!(
        Unit::decode_with(b"AMQ", &DecodeOptions::new().max_frame_size(MAX)),
        Ok(Decoded::needs(5))
    );
    assert_eq!(
        Unit::decode_with(b"", &DecodeOptions::new().max_frame_size(MAX)),
        Ok(Decoded::needs(8))
    );
}

#[test]
fn extended_header_encode_rules() {
    let bad = [0u8; 3];
    let f = Frame {
        extended_header: &bad,
        ..Frame::heartbeat(0)
    };
    assert_eq!(
        f.encoded_len(),
        Err(EncodeError::InvalidExtendedHeader { len: 3 })
    );
    let too_long = [0u8; MAX_EXTENDED_HEADER + 4];
    let out = OutFrame {
        extended_header: &too_long,
        performative: None,
        ..OutFrame::new(FrameType::Amqp, 0, Value::Null)
    };
    assert!(matches!(
        out.encode_to_slice(&mut [0u8; 2048]),
        Err(EncodeError::InvalidExtendedHeader { .. })
    ));
    let longest = [7u8; MAX_EXTENDED_HEADER];
    let f = Frame {
        extended_header: &longest,
        ..Frame::heartbeat(9)
    };
    let mut buf = [0u8; 1020];
    assert_eq!(f.encode_to_slice(&mut buf), Ok(1020));
    assert_eq!(buf[4], 255);
    assert_eq!(
        complete(Frame::decode_with(&buf, &DecodeOptions::new().max_frame_size(MAX)).unwrap()).0,
        f
    );
}
