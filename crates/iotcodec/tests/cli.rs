//! The `iotcodec` binary as a user runs it.

mod common;

use common::{iotcodec, text};

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["decode"],
        &["decode", "mqtt9", "--hex", "00"],
        &["frobnicate", "mqtt3"],
        &["decode", "coap", "--hex", "0"],
        &["decode", "coap", "--file", "/nonexistent/capture.bin"],
    ] {
        let o = iotcodec(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("iotcodec:"), "{args:?}: {}", text(&o));
    }
}

#[test]
fn help_exits_0() {
    let o = iotcodec(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).contains("roundtrip"));
}
