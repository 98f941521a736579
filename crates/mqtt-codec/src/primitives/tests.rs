//! Round trips of the Variable Byte Integer at its boundaries.

use alloc::vec;

use super::{parse_vbi, put_vbi, vbi_len, Vbi, MAX_VBI};

fn vbi_bytes(v: u32) -> ([u8; 4], usize) {
    let mut out = vec![];
    put_vbi(&mut out, v);
    let mut buf = [0u8; 4];
    buf[..out.len()].copy_from_slice(&out);
    (buf, out.len())
}

#[test]
fn vbi_boundaries() {
    for (v, n) in [
        (0, 1),
        (127, 1),
        (128, 2),
        (16_383, 2),
        (16_384, 3),
        (2_097_151, 3),
        (2_097_152, 4),
        (MAX_VBI, 4),
    ] {
        let (buf, len) = vbi_bytes(v);
        assert_eq!((len, vbi_len(v)), (n, n), "{v}");
        assert!(matches!(parse_vbi(&buf[..len]), Vbi::Value(x, l) if x == v && l == n));
        assert!(matches!(parse_vbi(&buf[..len - 1]), Vbi::Incomplete));
    }
    assert_eq!(vbi_bytes(MAX_VBI).0, [0xff, 0xff, 0xff, 0x7f]);
    // every one- and two-byte value (written inline) and some longer
    for v in (0..20_000).chain((16_384..MAX_VBI).step_by(9_973)) {
        let (buf, len) = vbi_bytes(v);
        assert_eq!(len, vbi_len(v), "{v}");
        assert!(matches!(parse_vbi(&buf[..len]), Vbi::Value(x, l) if x == v && l == len));
    }
    // a value too large makes the sink fail instead of wrapping
    let mut buf = [0u8; 4];
    let mut w = crate::sink::SliceSink::new(&mut buf);
    put_vbi(&mut w, MAX_VBI + 1);
    assert!(!w.filled());
    assert!(matches!(parse_vbi(&[0x80, 0x00]), Vbi::Malformed));
    assert!(matches!(
        parse_vbi(&[0xff, 0xff, 0xff, 0x80]),
        Vbi::Malformed
    ));
}
