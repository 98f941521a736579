//! The benchmark workloads decoded to typed performatives and messages:
//! every field as the workload notes define it, and re-encoding gives the
//! same bytes (the workloads use the shortest forms this encoder writes).

use amqp_frame::frame::{FrameBody, TransferFrame, TypedFrame};
use amqp_frame::messaging::{Body, DeliveryState, LinkTarget, MessageId};
use amqp_frame::transport::{Performative, ReceiverSettleMode, Role, SenderSettleMode};
use amqp_frame::DecodeOptions;
use amqp_frame::{Decoded, Message};
use iotcodec_testkit::workloads::load;

/// Decodes the single frame in `data`, checks it re-encodes to the same
/// bytes, and returns its performative and payload.
fn frame(data: &[u8]) -> (Performative<'_>, &[u8]) {
    let Decoded::Complete { item, consumed } =
        TypedFrame::decode_with(data, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap()
    else {
        panic!("incomplete")
    };
    assert_eq!(consumed, data.len());
    let mut out = vec![0u8; item.encoded_len().unwrap()];
    assert_eq!(item.encode_to_slice(&mut out).unwrap(), data.len());
    assert_eq!(out, data, "re-encoding {item:?}");
    match item.body {
        FrameBody::Amqp {
            performative,
            payload,
        } => (performative, payload),
        other => panic!("{other:?}"),
    }
}

#[test]
fn flow() {
    let data = load("amqp_flow");
    let (Performative::Flow(f), payload) = frame(&data) else {
        panic!()
    };
    assert!(payload.is_empty());
    assert_eq!(f.next_incoming_id, Some(1));
    assert_eq!(
        (f.incoming_window, f.next_outgoing_id, f.outgoing_window),
        (2048, 1, 2048)
    );
    assert_eq!(
        (f.handle, f.delivery_count, f.link_credit),
        (Some(0), Some(0), Some(100))
    );
    assert_eq!(f.available, None);
    assert!(!f.drain && !f.echo && f.properties.is_none());
}

#[test]
fn disposition() {
    let data = load("amqp_disposition");
    let (Performative::Disposition(d), _) = frame(&data) else {
        panic!()
    };
    assert_eq!(d.role, Role::Receiver);
    assert_eq!((d.first, d.last, d.settled), (1, Some(10), true));
    assert_eq!(d.state, Some(DeliveryState::Accepted));
    assert!(!d.batchable);
}

#[test]
fn open() {
    let data = load("amqp_open");
    let (Performative::Open(o), _) = frame(&data) else {
        panic!()
    };
    let o = o.decode().unwrap();
    assert_eq!(o.container_id, "peer-bench-container-0001");
    assert_eq!(o.hostname, Some("broker.example.com"));
    assert_eq!((o.max_frame_size, o.channel_max), (65536, 255));
    assert_eq!(o.idle_time_out, Some(30000));
    assert!(o.offered_capabilities.is_empty() && o.properties.is_none());
}

#[test]
fn attach() {
    let data = load("amqp_attach");
    let (Performative::Attach(a), _) = frame(&data) else {
        panic!()
    };
    let a = a.decode().unwrap();
    assert_eq!(
        (a.name, a.handle, a.role),
        ("sensor-link-0001", 0, Role::Sender)
    );
    assert_eq!(a.snd_settle_mode, SenderSettleMode::MIXED);
    assert_eq!(a.rcv_settle_mode, ReceiverSettleMode::FIRST);
    assert_eq!(
        a.source.unwrap().decode().unwrap().address,
        Some("peer-bench/out")
    );
    let Some(LinkTarget::Target(t)) = a.target.map(|t| t.decode().unwrap()) else {
        panic!()
    };
    assert_eq!(t.address, Some("queue://sensors"));
    assert!(a.unsettled.is_none() && !a.incomplete_unsettled);
    assert_eq!(a.initial_delivery_count, Some(0));
    assert_eq!(a.max_message_size, Some(1_048_576));
}

fn check_transfer(i: u32, data: &[u8]) -> usize {
    let Decoded::Complete { item, consumed } =
        TypedFrame::decode_with(data, &DecodeOptions::new().max_frame_size(u32::MAX)).unwrap()
    else {
        panic!("incomplete")
    };
    let FrameBody::Amqp {
        performative: Performative::Transfer(t),
        payload,
    } = item.body
    else {
        panic!("{item:?}")
    };
    assert_eq!((t.handle, t.delivery_id), (0, Some(i)));
    assert_eq!(t.delivery_tag, Some(&i.to_be_bytes()[..]));
    assert_eq!(
        (t.message_format, t.settled, t.more),
        (Some(0), Some(false), false)
    );
    let m = Message::decode(payload).unwrap();
    let h = m.header.unwrap();
    assert_eq!(
        (h.durable, h.priority, h.ttl),
        (Some(true), Some(5), Some(60000))
    );
    let p = m.properties.unwrap();
    let id = format!("msg-{i:08}");
    assert_eq!(p.message_id, Some(MessageId::Str(&id)));
    assert_eq!(
        (p.user_id, p.to, p.subject),
        (None, Some("queue://sensors"), Some("temperature"))
    );
    assert_eq!(p.content_type, Some("application/octet-stream"));
    assert_eq!(p.creation_time, Some(1_700_000_000_000));
    let ap = m.application_properties.unwrap();
    let entries: Vec<_> = ap.iter().collect();
    assert_eq!(entries.len(), 3);
    assert_eq!(ap.get("sensor").and_then(|v| v.as_str()), Some("room1"));
    assert_eq!(ap.get("seq"), Some(amqp_frame::Value::Int(i as i32)));
    assert_eq!(ap.get("unit").and_then(|v| v.as_str()), Some("celsius"));
    let Some(Body::Data(d)) = m.body else {
        panic!()
    };
    let sections: Vec<_> = d.iter().collect();
    let expected: Vec<u8> = (0..256u32).map(|j| j as u8).collect();
    assert_eq!(sections, [&expected[..]]);
    assert!(m.footer.is_none() && m.message_annotations.is_none());

    // Re-encode: the frame with the message encoded straight into it.
    let tf = TransferFrame {
        channel: item.channel,
        transfer: t,
        message: &m,
    };
    let mut out = vec![0u8; tf.encoded_len().unwrap()];
    tf.encode_to_slice(&mut out).unwrap();
    assert_eq!(out, &data[..consumed]);
    consumed
}

#[test]
fn transfer() {
    let data = load("amqp_transfer");
    assert_eq!(check_transfer(1, &data), data.len());
}

#[test]
fn stream() {
    let data = load("amqp_stream");
    let mut rest = &data[..];
    let mut i = 0;
    while !rest.is_empty() {
        let n = check_transfer(i, rest);
        rest = &rest[n..];
        i += 1;
    }
    assert_eq!(i, 10_000);
}
