//! The bounds-checked reader every decoder sits on: any sequence of reads on
//! any bytes either succeeds inside the buffer or fails without moving.
#![no_main]

use iotcodec_core::Reader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<u8>, Vec<u8>)| {
    let (data, ops) = input;
    let mut r = Reader::new(&data);
    for op in ops {
        let before = r.position();
        let ok = match op % 7 {
            0 => r.u8().is_ok(),
            1 => r.u16().is_ok(),
            2 => r.u32().is_ok(),
            3 => r.u64().is_ok(),
            4 => r.u16_prefixed().is_ok(),
            5 => r.take(usize::from(op)).is_ok(),
            _ => r.array::<3>().is_ok(),
        };
        assert!(ok || r.position() == before);
        assert!(r.position() <= data.len());
    }
});
