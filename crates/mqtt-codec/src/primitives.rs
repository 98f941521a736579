//! The field encodings the packet codec (`wire`) and the property codec
//! (`props`) are both built from (spec 1.5 and 2.1): Variable Byte
//! Integers, UTF-8 strings and binary data, the cursor over a packet's
//! body, and the fixed header. Nothing here knows a packet type beyond the
//! fixed header's flags.

mod cursor;
mod fixed_header;
mod string;
#[cfg(all(test, feature = "alloc"))]
mod tests;
mod vbi;

pub(crate) use cursor::Cursor;
pub(crate) use fixed_header::required_flags;
pub use fixed_header::FixedHeader;
pub(crate) use string::{check_bin, check_str, check_utf8, read_utf8};
pub use vbi::MAX_VBI;
pub(crate) use vbi::{parse_vbi, put_vbi, vbi_len, Vbi};
