//! Bytes as lowercase hex, the way the inspector prints them in its text
//! lines and in its JSON.
//!
//! ```
//! assert_eq!(iotcodec::hex(&[0xde, 0xad, 0x01]), "dead01");
//! ```

use std::fmt::Write as _;

/// Lowercase hex of `bytes`, no separators.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_no_separators() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0xab, 0x01, 0xff]), "ab01ff");
    }
}
