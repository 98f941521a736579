//! Word-at-a-time checks over string bytes: the fast paths of the UTF-8,
//! U+0000 and topic wildcard rules.
//!
//! Each check looks at eight bytes at once (SWAR: SIMD within a register)
//! and only answers "every byte is plainly fine"; anything else (a
//! non-ASCII byte, a NUL, a wildcard) sends the caller to the exact,
//! byte-by-byte rule, which decides the error. So these functions never
//! change what is accepted or which error is reported, only how fast the
//! common case (short ASCII strings) is passed.

/// `0x01` in every byte.
const LO: u64 = 0x0101_0101_0101_0101;
/// `0x7F` in every byte.
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// `0x80` in every byte.
const HI: u64 = 0x8080_8080_8080_8080;
/// `0x08` in every byte: the bit in which `+` (0x2B) and `#` (0x23) differ.
const BIT3: u64 = 0x0808_0808_0808_0808;
/// `+` in every byte.
const PLUS: u64 = 0x2B2B_2B2B_2B2B_2B2B;

/// Bit 7 of each byte set where the byte's low seven bits are zero. Exact
/// for every byte value (no carry crosses bytes: 0x7F + 0x7F < 0x100).
#[inline(always)]
fn zero7(x: u64) -> u64 {
    !((x & LOW7) + LOW7) & HI
}

/// A word test for "some byte is below `lo` or above 0x7F", `lo` at most
/// 0x80: bit 7 of some byte is set in `x | (x - lo * LO)` exactly when one
/// is. Bytes above 0x7F set it in `x`. Without them, a byte at or above `lo`
/// gives a difference below 0x80 and borrows nothing, so only a byte below
/// `lo` can borrow, and the lowest one of those has borrowed nothing
/// itself: its difference wraps to 0x80 or above. (Not exact byte by byte,
/// as the borrow may flag bytes above it: a test of the whole word.) The
/// subtraction is an addition of a constant, one `lea`.
#[inline(always)]
fn below(lo: u8) -> impl Fn(u64) -> u64 + Copy {
    let sub = u64::from(lo) * LO;
    move |x| x | x.wrapping_sub(sub)
}

/// Whether `bad` sets bit 7 of no byte of `b`.
///
/// Strings of up to 32 bytes (most topics, client identifiers, property
/// strings) take four overlapping words without a loop or a branch on the
/// length beyond the first, so the check stays small where it is inlined;
/// longer ones go through a loop.
#[inline(always)]
fn all_clear(b: &[u8], bad: impl Fn(u64) -> u64 + Copy) -> bool {
    let word = |at: usize| {
        let w = b.get(at..).and_then(|s| s.first_chunk::<8>());
        // `at` is at most `len - 8` below, so there is always a word
        w.map_or(0, |w| bad(u64::from_le_bytes(*w)))
    };
    let acc = match b.len() {
        0 => 0,
        1..=7 => bad(pack_short(b)),
        n @ 8..=32 => {
            let last = n - 8;
            word(0) | word(last.min(8)) | word(last.min(16)) | word(last)
        }
        _ => return all_clear_long(b, bad),
    };
    acc & HI == 0
}

/// [`all_clear`] for strings longer than 32 bytes.
#[inline(never)]
fn all_clear_long(b: &[u8], bad: impl Fn(u64) -> u64) -> bool {
    let mut acc = 0;
    let mut rest = b;
    while let Some((w, tail)) = rest.split_first_chunk::<8>() {
        acc |= bad(u64::from_le_bytes(*w));
        rest = tail;
    }
    if let (false, Some(w)) = (rest.is_empty(), b.last_chunk::<8>()) {
        // the last eight bytes again, overlapping what was already seen
        acc |= bad(u64::from_le_bytes(*w));
    }
    acc & HI == 0
}

/// `bad` of every word of `b`, ORed together: [`all_clear`] without the
/// final test, for callers that combine several strings into one test (bit
/// 7 of a byte is what counts; the other bits mean nothing). Kept apart
/// from `all_clear` so that the decoder's inlined checks stay as they are.
#[inline(always)]
fn flags(b: &[u8], bad: impl Fn(u64) -> u64 + Copy) -> u64 {
    let word = |at: usize| {
        let w = b.get(at..).and_then(|s| s.first_chunk::<8>());
        // every `at` below is at most `len - 8`, so there is always a word
        w.map_or(0, |w| bad(u64::from_le_bytes(*w)))
    };
    match b.len() {
        0 => 0,
        1..=7 => bad(pack_short(b)),
        // the first and the last eight bytes
        n @ 8..=16 => word(0) | word(n - 8),
        // the first and the last sixteen
        n @ 17..=32 => word(0) | word(8) | word(n - 16) | word(n - 8),
        _ => flags_long(b, bad),
    }
}

/// [`flags`] for strings longer than 32 bytes.
#[inline(never)]
fn flags_long(b: &[u8], bad: impl Fn(u64) -> u64) -> u64 {
    let mut acc = 0;
    let mut rest = b;
    while let Some((w, tail)) = rest.split_first_chunk::<8>() {
        acc |= bad(u64::from_le_bytes(*w));
        rest = tail;
    }
    if let (false, Some(w)) = (rest.is_empty(), b.last_chunk::<8>()) {
        acc |= bad(u64::from_le_bytes(*w));
    }
    acc
}

/// 1..=7 bytes in one word; the unused bytes repeat bytes of `b`, so a check
/// of the word is a check of `b`.
#[inline(always)]
fn pack_short(b: &[u8]) -> u64 {
    if let (Some(h), Some(t)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*h)) | u64::from(u32::from_le_bytes(*t)) << 32
    } else if let (Some(h), Some(t)) = (b.first_chunk::<2>(), b.last_chunk::<2>()) {
        let two = u64::from(u16::from_le_bytes(*h)) | u64::from(u16::from_le_bytes(*t)) << 16;
        two | two << 32
    } else {
        // one byte (callers never pass an empty slice)
        u64::from(b.first().copied().unwrap_or(b'a')) * LO
    }
}

/// Every byte is ASCII (below 0x80) and not U+0000: such bytes are valid
/// UTF-8 and pass the U+0000 rule.
#[inline]
pub(crate) fn plain_ascii(b: &[u8]) -> bool {
    all_clear(b, below(1))
}

/// The quick test of a CONNECT's strings, all in one: the client
/// identifier and the user name (empty when absent) are plain ASCII (see
/// [`plain_ascii`]) and the will topic, when there is one, is a plain
/// non-empty topic name (see [`plain_ascii_name`]). `true` means every
/// string rule passes for all three; `false` only that the exact rules must
/// decide.
#[inline(always)]
pub(crate) fn connect_strings_plain(
    client_id: &[u8],
    will_topic: Option<&[u8]>,
    username: &[u8],
) -> bool {
    let (topic, topic_ok) = match will_topic {
        Some(t) => (t, !t.is_empty()),
        None => (&[][..], true),
    };
    let acc = flags(client_id, below(1)) | flags(username, below(1)) | flags(topic, below(b','));
    topic_ok && acc & HI == 0
}

/// Every byte is in `,`..=0x7F: ASCII without U+0000, `+` or `#` (and
/// without a few other characters below `,`, which only means the exact
/// rules decide for those): a valid topic name if non-empty.
#[inline]
pub(crate) fn plain_ascii_name(b: &[u8]) -> bool {
    all_clear(b, below(b','))
}

/// Whether any byte of `b` is `0x00` (exact for every byte value).
#[inline]
pub(crate) fn has_nul(b: &[u8]) -> bool {
    // a byte is zero when its low seven bits are zero and bit 7 is clear
    !all_clear(b, |x| zero7(x) & !x)
}

/// Whether no byte of `b` is U+0000 or a wildcard (`+`, `#`); for any
/// bytes, not only ASCII.
#[inline]
pub(crate) fn no_nul_or_wildcard(b: &[u8]) -> bool {
    all_clear(b, |x| (zero7(x) | zero7((x | BIT3) ^ PLUS)) & !x)
}

/// Bit 7 of each byte set where the byte is `+` or `#` (exact for every
/// byte value).
#[inline(always)]
fn wildcards(x: u64) -> u64 {
    zero7((x | BIT3) ^ PLUS) & !x
}

/// What one pass over a topic filter found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FilterScan {
    /// Every byte is ASCII and not U+0000 (so the bytes are valid UTF-8).
    pub(crate) plain: bool,
    /// The first `+` or `#` for which the caller's test said no.
    pub(crate) bad_wildcard: Option<usize>,
}

/// One pass over `b` for the string rules and the wildcards of a topic
/// filter: `ok(i)` judges the wildcard at `i`, in order, until one fails.
/// (The last word may overlap the one before it, so `ok` may be asked
/// twice about a wildcard it passed: it must not depend on being asked
/// once.)
#[inline(always)]
pub(crate) fn scan_filter(b: &[u8], ok: impl Fn(usize) -> bool) -> FilterScan {
    let mut acc = 0;
    let mut bad = None;
    let n = b.len();
    if n < 8 {
        for (i, &c) in b.iter().enumerate() {
            if c == 0 || c >= 0x80 {
                acc = HI;
            }
            if (c == b'+' || c == b'#') && bad.is_none() && !ok(i) {
                bad = Some(i);
            }
        }
    } else {
        let mut word = |at: usize| {
            let Some(w) = b.get(at..).and_then(|s| s.first_chunk::<8>()) else {
                return;
            };
            let x = u64::from_le_bytes(*w);
            acc |= below(1)(x);
            let mut m = wildcards(x);
            while m != 0 && bad.is_none() {
                let i = at + (m.trailing_zeros() / 8) as usize;
                if !ok(i) {
                    bad = Some(i);
                }
                m &= m - 1;
            }
        };
        let mut at = 0;
        while at + 8 < n {
            word(at);
            at += 8;
        }
        // the last eight bytes, overlapping what was already seen
        word(n - 8);
    }
    FilterScan {
        plain: acc & HI == 0,
        bad_wildcard: bad,
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    use alloc::vec::Vec;

    fn slow_ascii(b: &[u8]) -> bool {
        b.iter().all(|&c| (1..0x80).contains(&c))
    }

    fn slow_name(b: &[u8]) -> bool {
        b.iter().all(|&c| (b','..0x80).contains(&c))
    }

    /// Every byte value at every position of every length up to 20, on a
    /// background of ordinary and of awkward bytes.
    #[test]
    fn agrees_with_the_byte_rules() {
        for background in [b'a', 0x7f, 0x2a, 0x2c, 0xc3, 0x01] {
            for len in 1..=40 {
                for pos in 0..len {
                    for v in 0..=255u8 {
                        let mut b = [background; 40];
                        b[pos] = v;
                        let b = &b[..len];
                        assert_eq!(plain_ascii(b), slow_ascii(b), "{b:02x?}");
                        assert_eq!(plain_ascii_name(b), slow_name(b), "{b:02x?}");
                        assert_eq!(has_nul(b), b.contains(&0), "{b:02x?}");
                        assert_eq!(flags(b, below(1)) & HI == 0, slow_ascii(b), "{b:02x?}");
                        assert_eq!(flags(b, below(b',')) & HI == 0, slow_name(b), "{b:02x?}");
                        assert_eq!(
                            no_nul_or_wildcard(b),
                            !b.iter().any(|c| matches!(c, 0 | b'+' | b'#')),
                            "{b:02x?}"
                        );
                    }
                }
            }
        }
        assert!(plain_ascii(b"") && plain_ascii_name(b"") && !has_nul(b""));
        assert!(no_nul_or_wildcard(b""));
    }

    #[test]
    fn filter_scan_sees_every_wildcard_in_order() {
        for len in 0..30 {
            for seed in 0..300u32 {
                let b: Vec<u8> = (0..len)
                    .map(|i| {
                        let pick = ((seed >> (i % 16)) as usize + i * (seed as usize % 7)) % 7;
                        [b'a', b'+', b'#', b'/', 0xab, 0xa3, 0][pick]
                    })
                    .collect();
                let want: Vec<usize> = (0..len).filter(|&i| matches!(b[i], b'+' | b'#')).collect();
                let seen = core::cell::RefCell::new(Vec::new());
                let got = scan_filter(&b, |i| {
                    seen.borrow_mut().push(i);
                    true
                });
                // asked in order the first time (the overlap of the last
                // word may ask about some again)
                let mut first = Vec::new();
                for i in seen.into_inner() {
                    if !first.contains(&i) {
                        first.push(i);
                    }
                }
                assert_eq!(first, want, "{b:02x?}");
                assert_eq!(got.plain, slow_ascii(&b), "{b:02x?}");
                assert_eq!(got.bad_wildcard, None);
                if let Some(&last) = want.last() {
                    assert_eq!(scan_filter(&b, |i| i != last).bad_wildcard, Some(last));
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_bytes(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80)) {
            proptest::prop_assert_eq!(plain_ascii(&b), slow_ascii(&b));
            proptest::prop_assert_eq!(plain_ascii_name(&b), slow_name(&b));
            proptest::prop_assert_eq!(has_nul(&b), b.contains(&0));
        }

        /// The CONNECT test passes exactly when each string passes its own.
        #[test]
        fn connect_strings(
            id in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            topic in proptest::option::of(proptest::collection::vec(b','..0x81u8, 0..40)),
            user in proptest::collection::vec(1..0x81u8, 0..40),
        ) {
            let want = slow_ascii(&id)
                && slow_ascii(&user)
                && topic.as_ref().map_or(true, |t| !t.is_empty() && slow_name(t));
            proptest::prop_assert_eq!(connect_strings_plain(&id, topic.as_deref(), &user), want);
        }
    }
}
