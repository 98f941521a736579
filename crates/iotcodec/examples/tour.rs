//! The tour: the protocols of this workspace running in memory.
//!
//! Run it with `cargo run -q -p iotcodec --example tour`. Every section uses
//! only the crates' public APIs; a section for a part that is not built yet
//! says so plainly.

use core::time::Duration;

use iotcodec_core::{Instant, Rng};

fn section(title: &str) {
    println!();
    println!("== {title}");
}

fn main() {
    println!("iotcodec tour: sans-IO codecs for MQTT, MQTT-SN, CoAP and AMQP");
    println!("(bytes in, events out; the caller owns sockets, time and randomness)");

    section("time and randomness are passed in");
    let start = Instant::from_millis(0);
    let deadline = start + Duration::from_millis(2_500);
    println!("a retransmission armed at {start} with a 2.5 s timeout fires at {deadline}");
    let mut rng = Rng::new(2026);
    let draws: Vec<u32> = (0..3).map(|_| rng.next_u32() % 1000).collect();
    println!("Rng::new(2026) draws {draws:?}: the same seed always gives the same run");

    section("MQTT 3.1 / 3.1.1 / 5.0");
    println!("not built yet: the wire layer is issue 3, the sessions come after it");

    section("CoAP");
    println!("not built yet: messages, options and the endpoint are issue 4");

    section("AMQP 1.0");
    println!("not built yet: frames and the type system are issue 5");

    section("MQTT-SN 1.2");
    println!("not built yet: the wire layer is issue 6");

    section("MQTT vs CoAP bytes on the wire");
    println!("not built yet: needs the MQTT and CoAP encoders");
}
