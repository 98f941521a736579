//! A bare-metal binary that links the protocol crates without `std`.
//!
//! It is never run; building and linking it for `thumbv7em-none-eabihf` is
//! the check. The entry point `_start` decodes and encodes a message of
//! every protocol (and, with `alloc`, drives the CoAP endpoint and the owned
//! forms) on inputs hidden from the optimizer by `black_box`, so the real
//! codec code is in the link and the linker must resolve everything it
//! needs. `.ci/run` checks that the image is not empty and prints its size.
#![no_std]
#![no_main]

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "alloc")]
mod heap;

use core::hint::black_box;
use core::panic::PanicInfo;

#[panic_handler]
fn panic(_info: &PanicInfo<'_>) -> ! {
    loop {}
}

/// The entry point the linker keeps; everything reachable from it stays.
#[no_mangle]
pub extern "C" fn _start() -> ! {
    let mut acc = 0u64;
    acc ^= nostd_core(black_box(7));
    acc ^= nostd_mqtt();
    acc ^= nostd_mqtt_sn();
    acc ^= nostd_coap();
    acc ^= nostd_amqp();
    #[cfg(feature = "alloc")]
    {
        acc ^= alloc_parts();
    }
    black_box(acc);
    loop {}
}

/// The shared building blocks.
fn nostd_core(seed: u64) -> u64 {
    let mut rng = iotcodec_core::Rng::new(seed);
    let t = iotcodec_core::Instant::from_millis(seed) + core::time::Duration::from_millis(5);
    let mut r = iotcodec_core::Reader::new(black_box(&[1, 2, 3][..]));
    u64::from(rng.next_u32()) ^ t.as_millis() ^ u64::from(r.u16().unwrap_or(0))
}

/// MQTT: a QoS 1 PUBLISH decoded and encoded again.
fn nostd_mqtt() -> u64 {
    use mqtt_codec::wire::{Packet, ProtocolVersion};
    let bytes: &[u8] = black_box(b"\x32\x0a\x00\x03a/b\x00\x0a21.5");
    let mut out = [0u8; 64];
    match Packet::decode(bytes, ProtocolVersion::V3_1_1) {
        Ok(mqtt_codec::Decoded::Complete { item, .. }) => item
            .encode_to_slice(ProtocolVersion::V3_1_1, &mut out)
            .map_or(0, |n| n as u64),
        _ => 1,
    }
}

/// MQTT-SN: a PUBLISH decoded, sized and encoded again.
fn nostd_mqtt_sn() -> u64 {
    let bytes: &[u8] = black_box(b"\x0b\x0c\x20\x00\x01\x00\x0221.5");
    let mut out = [0u8; 64];
    match mqtt_sn_codec::Message::decode(bytes) {
        Ok(m) => match m.encoded_len() {
            Ok(len) if len <= out.len() => m.encode_to_slice(&mut out).map_or(0, |n| n as u64),
            Ok(_) => 2,
            Err(e) => e.rule().map_or(3, |r| r.len() as u64),
        },
        Err(_) => 1,
    }
}

/// CoAP: a request decoded, its options checked and read, encoded again;
/// a URI split.
fn nostd_coap() -> u64 {
    use coap_codec::Message;
    let bytes: &[u8] = black_box(b"\x44\x01\x12\x34\xde\xad\xbe\xef\xb7sensors\x04temp\xff21.5");
    let mut out = [0u8; 64];
    let uri =
        coap_codec::uri::CoapUri::parse(black_box("coap://h:61616/a/b?c")).map_or(0, |u| u.port());
    match Message::decode(bytes) {
        Ok(m) => {
            let bad = m.options.first_bad_critical(|n| n.definition().is_some());
            let segments = m.uri_path().count() as u64;
            m.encode_to_slice(&mut out).map_or(0, |n| n as u64)
                ^ segments
                ^ u64::from(bad.map_or(0, |n| n.0))
                ^ u64::from(uri)
        }
        Err(e) => e.disposition() as u64,
    }
}

/// AMQP: a frame decoded to its typed performative and encoded again.
fn nostd_amqp() -> u64 {
    use amqp_frame::frame::TypedFrame;
    use amqp_frame::DecodeOptions;
    let bytes: &[u8] = black_box(&[
        0, 0, 0, 0x16, 2, 0, 0, 0, 0x00, 0x53, 0x15, 0xc0, 0x09, 0x05, 0x41, 0x43, 0x40, 0x41,
        0x00, 0x53, 0x24, 0x45,
    ]);
    let mut out = [0u8; 64];
    match TypedFrame::decode_with(bytes, &DecodeOptions::new().max_frame_size(512)) {
        Ok(amqp_frame::Decoded::Complete { item, .. }) => {
            item.encode_to_slice(&mut out).map_or(0, |n| n as u64)
        }
        _ => 1,
    }
}

/// With `alloc`: the CoAP endpoint through one request and response, and
/// the owned forms.
#[cfg(feature = "alloc")]
fn alloc_parts() -> u64 {
    use coap_codec::bytes::BytesMut;
    use coap_codec::endpoint::{Config, Endpoint, Event, Request, Response};
    use coap_codec::{Code, Instant, Options};

    let mut client: Endpoint<u8> = Endpoint::new(Config::new(0)).unwrap();
    let mut server: Endpoint<u8> = Endpoint::new(Config::new(0)).unwrap();
    let now = Instant::from_millis(black_box(0));
    let mut buf = BytesMut::new();
    let mut acc = 0u64;
    if client
        .request(now, 2, &Request::get(Options::EMPTY))
        .is_ok()
    {
        while let Some(t) = client.poll_transmit(now, &mut buf) {
            server.handle_datagram(now, 1, &buf.split_to(t.len));
        }
        while let Some(ev) = server.poll_event() {
            if let Event::Request { exchange, .. } = ev {
                let _ = server.respond(now, exchange, &Response::new(Code::CONTENT));
            }
        }
        while let Some(t) = server.poll_transmit(now, &mut buf) {
            client.handle_datagram(now, 2, &buf.split_to(t.len));
        }
        while let Some(ev) = client.poll_event() {
            acc ^= matches!(ev, Event::Response { .. }) as u64;
        }
    }
    let raw = coap_codec::bytes::Bytes::from_static(b"\x50\x45\x00\x07\xff21.5");
    acc ^= coap_codec::OwnedMessage::from_bytes(black_box(raw))
        .map_or(0, |m| m.payload().len() as u64);
    let mut mqtt = mqtt_codec::bytes::BytesMut::from(black_box(&b"\xc0\x00"[..]));
    acc ^= mqtt_codec::wire::OwnedPacket::decode(&mut mqtt, mqtt_codec::wire::ProtocolVersion::V5)
        .map_or(0, |d| d.is_complete() as u64);
    acc
}
