//! Hex strings in tests: [`hex`] reads the byte vectors written in test
//! tables, [`to_hex`] shows bytes in failure and progress messages.
//!
//! ```
//! use iotcodec_testkit::{hex, to_hex};
//!
//! let bytes = hex("40 01 04d2  b4 74657374");
//! assert_eq!(bytes, [0x40, 0x01, 0x04, 0xd2, 0xb4, b't', b'e', b's', b't']);
//! assert_eq!(to_hex(&bytes[..4]), "400104d2");
//! ```

use core::fmt::Write;

/// The bytes a hex string spells, whitespace ignored (either case).
///
/// # Panics
/// On an odd number of digits or a character that is not a hex digit: the
/// test's vector is wrong.
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits: {s:?}");
    digits
        .chunks(2)
        .map(|pair| {
            let text = String::from_utf8_lossy(pair);
            assert!(
                pair.iter().all(u8::is_ascii_hexdigit),
                "not hex: {text:?} in {s:?}"
            );
            u8::from_str_radix(&text, 16).unwrap_or_else(|_| panic!("not hex: {text:?} in {s:?}"))
        })
        .collect()
}

/// Lower-case hex of `bytes`, two digits a byte, no separators.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // writing to a String cannot fail
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(hex(&to_hex(&all)), all);
        assert_eq!(hex("AbCd\n ef"), [0xab, 0xcd, 0xef]);
        assert_eq!(hex(""), Vec::<u8>::new());
    }

    #[test]
    #[should_panic(expected = "odd number")]
    fn odd_length_panics() {
        hex("abc");
    }

    #[test]
    #[should_panic(expected = "not hex")]
    fn non_digit_panics() {
        hex("zz");
    }

    #[test]
    #[should_panic(expected = "not hex")]
    fn sign_is_not_a_digit() {
        // from_str_radix alone would take "+1"
        hex("+1");
    }
}
