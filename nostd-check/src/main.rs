//! A bare-metal binary that links the protocol crates without `std`.
//!
//! It is never run; building and linking it for `thumbv7em-none-eabihf` is
//! the check. Each `#[no_mangle]` function below keeps one crate's code in
//! the link, so the linker must resolve everything that code needs.
#![no_std]
#![no_main]

#[cfg(feature = "alloc")]
mod heap;

use core::panic::PanicInfo;

#[panic_handler]
fn panic(_info: &PanicInfo<'_>) -> ! {
    loop {}
}

/// The shared building blocks.
#[no_mangle]
pub extern "C" fn nostd_core(seed: u64) -> u32 {
    let mut rng = iotcodec_core::Rng::new(seed);
    let t = iotcodec_core::Instant::from_millis(seed) + core::time::Duration::from_millis(5);
    rng.next_u32() ^ (t.as_millis() as u32)
}

/// MQTT.
#[no_mangle]
pub extern "C" fn nostd_mqtt(ms: u64) -> u64 {
    mqtt_codec::Instant::from_millis(ms).as_millis()
}

/// MQTT-SN.
#[no_mangle]
pub extern "C" fn nostd_mqtt_sn(ms: u64) -> u64 {
    mqtt_sn_codec::Instant::from_millis(ms).as_millis()
}

/// CoAP.
#[no_mangle]
pub extern "C" fn nostd_coap(ms: u64) -> u64 {
    coap_codec::Instant::from_millis(ms).as_millis()
}

/// AMQP.
#[no_mangle]
pub extern "C" fn nostd_amqp(ms: u64) -> u64 {
    amqp_frame::Instant::from_millis(ms).as_millis()
}
