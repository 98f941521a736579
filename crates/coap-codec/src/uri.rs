//! CoAP URIs ⇄ options (RFC 7252 §6, RFC 8323 §8).
//!
//! [`CoapUri::parse`] splits an absolute `coap`, `coaps`, `coap+tcp` or
//! `coaps+tcp` URI without allocating; [`CoapUri::to_options`] (feature
//! `alloc`) runs the algorithm of RFC 7252 §6.4 (dot segments removed,
//! percent-encodings decoded per segment, Uri-Host left out for an IP
//! literal, Uri-Port left out for the scheme's default port); and
//! [`write_uri`] runs §6.5 backwards, percent-encoding what must be (a `/`
//! inside a segment becomes `%2F`) with the `percent-encoding` crate.
//! Decoding is strict: a `%` not followed by two hex digits is an error
//! ([`UriError::InvalidPercentEncoding`]), never passed through.
//!
//! ```
//! use coap_codec::uri::CoapUri;
//!
//! let uri = CoapUri::parse("coap://Sensor.example:5683/a/./b/../%7Euser/x%2Fy?q=1&r").unwrap();
//! let opts = uri.to_options().unwrap();
//! let o = opts.as_options();
//! assert_eq!(o.get_str(coap_codec::OptionNumber::URI_HOST), Some("sensor.example"));
//! assert_eq!(o.get(coap_codec::OptionNumber::URI_PORT), None); // default port
//! let path: Vec<_> = o.get_all_str(coap_codec::OptionNumber::URI_PATH).collect();
//! assert_eq!(path, ["a", "~user", "x/y"]);
//!
//! let back = coap_codec::uri::to_uri_string(o, uri.scheme(), "192.0.2.1", 5683).unwrap();
//! assert_eq!(back, "coap://sensor.example/a/~user/x%2Fy?q=1&r");
//! ```

use core::fmt;

use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::{OptionNumber, Options, UriError};

/// The URI schemes of CoAP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `coap`: UDP, default port 5683.
    Coap,
    /// `coaps`: DTLS, default port 5684.
    Coaps,
    /// `coap+tcp` (RFC 8323): TCP, default port 5683.
    CoapTcp,
    /// `coaps+tcp` (RFC 8323): TLS, default port 5684.
    CoapsTcp,
}

impl Scheme {
    /// The scheme's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Coap => "coap",
            Self::Coaps => "coaps",
            Self::CoapTcp => "coap+tcp",
            Self::CoapsTcp => "coaps+tcp",
        }
    }

    /// The default port.
    pub const fn default_port(self) -> u16 {
        match self {
            Self::Coap | Self::CoapTcp => 5683,
            Self::Coaps | Self::CoapsTcp => 5684,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Coap, Self::Coaps, Self::CoapTcp, Self::CoapsTcp]
            .into_iter()
            .find(|sch| sch.as_str().eq_ignore_ascii_case(s))
    }
}

/// An absolute CoAP URI split into its components (still percent-encoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoapUri<'a> {
    scheme: Scheme,
    host: &'a str,
    port: Option<u16>,
    path: &'a str,
    query: Option<&'a str>,
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Checks that `%` is always followed by two hex digits and every other
/// byte satisfies `ok`.
fn check_chars(s: &str, ok: impl Fn(u8) -> bool) -> Result<(), UriError> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(&h), Some(&l)) if is_hex(h) && is_hex(l) => i += 3,
                _ => return Err(UriError::InvalidPercentEncoding),
            }
        } else if ok(b[i]) {
            i += 1;
        } else {
            return Err(UriError::InvalidPercentEncoding);
        }
    }
    Ok(())
}

fn is_pchar(b: u8) -> bool {
    is_unreserved(b) || is_sub_delim(b) || matches!(b, b':' | b'@')
}

/// What §6.5 percent-encodes in a Uri-Host that is no IP literal: every
/// byte but RFC 3986 `unreserved` and `sub-delims` (a `reg-name`).
/// `percent_encode` encodes every byte outside ASCII as well.
const REG_NAME_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    // unreserved
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    // sub-delims
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// What §6.5 percent-encodes in a Uri-Path segment: every byte but
/// `pchar` (so a `/` inside a segment becomes `%2F`).
const SEGMENT_ENCODE: &AsciiSet = &REG_NAME_ENCODE.remove(b':').remove(b'@');

/// What §6.5 percent-encodes in a Uri-Query argument: every byte but
/// `pchar`, `/` and `?`, and `&` too, which separates the arguments.
const QUERY_ARG_ENCODE: &AsciiSet = &SEGMENT_ENCODE.remove(b'/').remove(b'?').add(b'&');

impl<'a> CoapUri<'a> {
    /// Splits an absolute CoAP URI (RFC 3986 syntax restricted as RFC 7252
    /// §6.1 and RFC 8323 §8 say: no user information, no fragment).
    pub fn parse(uri: &'a str) -> Result<Self, UriError> {
        let (scheme, rest) = uri.split_once(':').ok_or(UriError::NotAbsolute)?;
        if scheme.is_empty()
            || !scheme.as_bytes()[0].is_ascii_alphabetic()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            return Err(UriError::NotAbsolute);
        }
        let scheme = Scheme::parse(scheme).ok_or(UriError::UnsupportedScheme)?;
        if rest.contains('#') {
            return Err(UriError::Fragment);
        }
        let rest = rest.strip_prefix("//").ok_or(UriError::InvalidHost)?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(UriError::InvalidHost);
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (lit, after) = v6.split_once(']').ok_or(UriError::InvalidHost)?;
            if lit.is_empty()
                || !lit
                    .bytes()
                    .all(|b| is_hex(b) || b == b':' || b == b'.' || is_unreserved(b))
            {
                return Err(UriError::InvalidHost);
            }
            let host = &authority[..lit.len() + 2];
            match after {
                "" => (host, None),
                p => (
                    host,
                    Some(p.strip_prefix(':').ok_or(UriError::InvalidPort)?),
                ),
            }
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(UriError::InvalidHost);
        }
        if !host.starts_with('[') {
            check_chars(host, |b| is_unreserved(b) || is_sub_delim(b))
                .map_err(|_| UriError::InvalidHost)?;
        }
        let port = match port {
            None | Some("") => None,
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => {
                Some(p.parse::<u16>().map_err(|_| UriError::InvalidPort)?)
            }
            Some(_) => return Err(UriError::InvalidPort),
        };
        check_chars(path, |b| is_pchar(b) || b == b'/')?;
        if let Some(q) = query {
            check_chars(q, |b| is_pchar(b) || b == b'/' || b == b'?')?;
        }
        Ok(Self {
            scheme,
            host,
            port,
            path,
            query,
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host as written (percent-encoded, IPv6 literals in brackets).
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// Whether the host is an IP literal (`[...]`) or an IPv4 address.
    pub fn host_is_ip(&self) -> bool {
        self.host.starts_with('[') || is_ipv4(self.host)
    }

    /// The port: the explicit one, or the scheme's default.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(self.scheme.default_port())
    }

    /// The path as written (percent-encoded, dot segments not removed).
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The query as written, when there is one.
    pub fn query(&self) -> Option<&'a str> {
        self.query
    }
}

fn is_ipv4(s: &str) -> bool {
    let mut n = 0;
    for part in s.split('.') {
        n += 1;
        let ok = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u16>().is_ok_and(|v| v <= 255)
            && (part == "0" || !part.starts_with('0'));
        if !ok {
            return false;
        }
    }
    n == 4
}

/// Percent-decodes `s` into `out`, returning the bytes written. A `%` must
/// be followed by two hex digits ([`UriError::InvalidPercentEncoding`]
/// otherwise); [`UriError::BufferTooSmall`] says how much room the whole
/// result needs.
pub fn percent_decode_into<'o>(s: &str, out: &'o mut [u8]) -> Result<&'o [u8], UriError> {
    let required = decoded_len(s)?;
    let out = out
        .get_mut(..required)
        .ok_or(UriError::BufferTooSmall { required })?;
    let b = s.as_bytes();
    let (mut i, mut n) = (0, 0);
    while let Some(&c) = b.get(i) {
        let byte = if c == b'%' {
            // `decoded_len` checked the two hex digits
            let (h, l) = (b.get(i + 1).copied(), b.get(i + 2).copied());
            i += 3;
            hex_value(h.unwrap_or(0)) << 4 | hex_value(l.unwrap_or(0))
        } else {
            i += 1;
            c
        };
        if let Some(slot) = out.get_mut(n) {
            *slot = byte;
        }
        n += 1;
    }
    Ok(out)
}

/// The value of a hex digit (0 for anything else; callers check first).
fn hex_value(h: u8) -> u8 {
    match h {
        b'0'..=b'9' => h - b'0',
        b'a'..=b'f' => h - b'a' + 10,
        b'A'..=b'F' => h - b'A' + 10,
        _ => 0,
    }
}

/// Length of `s` once percent-decoded, checking every `%` escape.
fn decoded_len(s: &str) -> Result<usize, UriError> {
    let b = s.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if b[i] == b'%' {
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(&h), Some(&l)) if is_hex(h) && is_hex(l) => i += 3,
                _ => return Err(UriError::InvalidPercentEncoding),
            }
        } else {
            i += 1;
        }
        n += 1;
    }
    Ok(n)
}

#[cfg(feature = "alloc")]
mod alloc_impl {
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::{decoded_len, percent_decode_into, CoapUri};
    use crate::{OptionList, OptionNumber, UriError};

    /// RFC 3986 §5.2.4 on the segments of an absolute path.
    fn remove_dot_segments(path: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let Some(rest) = path.strip_prefix('/') else {
            return out;
        };
        let segs: Vec<&str> = rest.split('/').collect();
        let last = segs.len() - 1;
        for (i, seg) in segs.into_iter().enumerate() {
            match seg {
                "." => {
                    if i == last {
                        out.push("");
                    }
                }
                ".." => {
                    out.pop();
                    if i == last {
                        out.push("");
                    }
                }
                s => out.push(s),
            }
        }
        out
    }

    fn decode(s: &str) -> Result<Vec<u8>, UriError> {
        let mut v = alloc::vec![0u8; decoded_len(s)?];
        let n = percent_decode_into(s, &mut v)?.len();
        v.truncate(n);
        if v.len() > 255 {
            return Err(UriError::ComponentTooLong);
        }
        core::str::from_utf8(&v).map_err(|_| UriError::InvalidUtf8)?;
        Ok(v)
    }

    impl CoapUri<'_> {
        /// The request options for this URI (RFC 7252 §6.4), for a request
        /// sent to the URI's own host and port: Uri-Host unless the host is
        /// an IP literal, Uri-Port unless it is the scheme's default, one
        /// Uri-Path per segment after dot-segment removal (none for an
        /// empty path or `/`), one Uri-Query per `&`-separated argument;
        /// each percent-decoded on its own.
        pub fn to_options(&self) -> Result<OptionList, UriError> {
            self.to_options_for(None, self.scheme.default_port())
        }

        /// [`CoapUri::to_options`] for a request sent to
        /// `destination_ip` (as written in a URI: `192.0.2.1`, `[2001:db8::1]`;
        /// `None` when the request goes wherever the URI's IP literal says)
        /// and `destination_port`: Uri-Host is left out only when the URI's
        /// host is an IP literal naming that destination, Uri-Port only when
        /// the URI's port is the destination port.
        pub fn to_options_for(
            &self,
            destination_ip: Option<&str>,
            destination_port: u16,
        ) -> Result<OptionList, UriError> {
            let mut opts = OptionList::new();
            let host_is_destination = self.host_is_ip()
                && destination_ip.map_or(true, |d| d.eq_ignore_ascii_case(self.host));
            if !host_is_destination {
                let lower = String::from(self.host).to_ascii_lowercase();
                let host = decode(&lower)?;
                opts.push(OptionNumber::URI_HOST, &host);
            }
            if self.port() != destination_port {
                opts.push_uint(OptionNumber::URI_PORT, u32::from(self.port()));
            }
            let segments = remove_dot_segments(self.path);
            // an empty path and `/` (also once dot segments are gone) mean no Uri-Path
            if segments != [""] {
                for seg in segments {
                    opts.push(OptionNumber::URI_PATH, &decode(seg)?);
                }
            }
            if let Some(q) = self.query {
                for arg in q.split('&') {
                    opts.push(OptionNumber::URI_QUERY, &decode(arg)?);
                }
            }
            Ok(opts)
        }
    }

    /// [`super::write_uri`] into a new string (feature `alloc`).
    pub fn to_uri_string(
        options: crate::Options<'_>,
        scheme: super::Scheme,
        destination_host: &str,
        destination_port: u16,
    ) -> Result<String, UriError> {
        let mut s = String::new();
        super::write_uri(&mut s, options, scheme, destination_host, destination_port)?;
        Ok(s)
    }
}

#[cfg(feature = "alloc")]
pub use alloc_impl::to_uri_string;

/// Writes the URI of a request from its options (RFC 7252 §6.5): the
/// scheme, Uri-Host (else `destination_host`, an IP literal as it is
/// written in a URI), Uri-Port when it is not the scheme's default (else
/// `destination_port`), the Uri-Path segments (`/` when there are none)
/// and the Uri-Query arguments, percent-encoding every byte outside the
/// characters each part allows.
pub fn write_uri(
    out: &mut impl fmt::Write,
    options: Options<'_>,
    scheme: Scheme,
    destination_host: &str,
    destination_port: u16,
) -> Result<(), UriError> {
    let err = |_| UriError::Write;
    write!(out, "{}://", scheme.as_str()).map_err(err)?;
    match options.get(OptionNumber::URI_HOST) {
        Some(h) => {
            let h = core::str::from_utf8(h).map_err(|_| UriError::InvalidUtf8)?;
            if h.is_empty() {
                return Err(UriError::InvalidHost);
            }
            let ip_literal = h
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
                .is_some_and(|inner| {
                    !inner.is_empty()
                        && inner
                            .bytes()
                            .all(|b| is_hex(b) || b == b':' || b == b'.' || is_unreserved(b))
                });
            if ip_literal {
                out.write_str(h).map_err(err)?;
            } else {
                // a reg-name: everything else percent-encoded, `[` included,
                // so that any Uri-Host makes a valid URI (§6.5 step 2)
                encode_into(out, h.as_bytes(), REG_NAME_ENCODE).map_err(err)?;
            }
        }
        None => out.write_str(destination_host).map_err(err)?,
    }
    let port = match options.get(OptionNumber::URI_PORT) {
        Some(p) => crate::decode_uint(p)
            .and_then(|v| u16::try_from(v).ok())
            .ok_or(UriError::InvalidPort)?,
        None => destination_port,
    };
    if port != scheme.default_port() {
        write!(out, ":{port}").map_err(err)?;
    }
    let mut any_path = false;
    for seg in options.get_all(OptionNumber::URI_PATH) {
        any_path = true;
        out.write_char('/').map_err(err)?;
        match seg {
            // written as they are, they would be dot segments and removed
            b"." => out.write_str("%2E").map_err(err)?,
            b".." => out.write_str("%2E%2E").map_err(err)?,
            _ => encode_into(out, seg, SEGMENT_ENCODE).map_err(err)?,
        }
    }
    if !any_path {
        out.write_char('/').map_err(err)?;
    }
    for (i, arg) in options.get_all(OptionNumber::URI_QUERY).enumerate() {
        out.write_char(if i == 0 { '?' } else { '&' })
            .map_err(err)?;
        encode_into(out, arg, QUERY_ARG_ENCODE).map_err(err)?;
    }
    Ok(())
}

/// Writes `bytes` with every byte of `set` (and every non-ASCII byte)
/// percent-encoded in uppercase hex (RFC 3986 §2.1), each run of bytes
/// that need none written at once.
fn encode_into(out: &mut impl fmt::Write, bytes: &[u8], set: &'static AsciiSet) -> fmt::Result {
    percent_encode(bytes, set).try_for_each(|piece| out.write_str(piece))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OptionNumber as N;
    use alloc::vec::Vec;

    fn path(uri: &str) -> Vec<alloc::string::String> {
        let o = CoapUri::parse(uri).unwrap().to_options().unwrap();
        o.as_options()
            .get_all_str(N::URI_PATH)
            .map(alloc::string::String::from)
            .collect()
    }

    #[test]
    fn parse_components() {
        let u = CoapUri::parse("coap+tcp://[2001:db8::1]:61616/x?y").unwrap();
        assert_eq!(u.scheme(), Scheme::CoapTcp);
        assert_eq!(u.host(), "[2001:db8::1]");
        assert!(u.host_is_ip());
        assert_eq!(u.port(), 61616);
        assert_eq!((u.path(), u.query()), ("/x", Some("y")));
        assert_eq!(CoapUri::parse("COAPS://h").unwrap().port(), 5684);
        assert!(CoapUri::parse("coap://192.0.2.1").unwrap().host_is_ip());
        assert!(!CoapUri::parse("coap://192.0.2.256").unwrap().host_is_ip());
        assert!(!CoapUri::parse("coap://1.2.3").unwrap().host_is_ip());
    }

    #[test]
    fn parse_errors() {
        assert_eq!(CoapUri::parse("/a/b"), Err(UriError::NotAbsolute));
        assert_eq!(
            CoapUri::parse("http://h/"),
            Err(UriError::UnsupportedScheme)
        );
        assert_eq!(CoapUri::parse("coap://h/#f"), Err(UriError::Fragment));
        assert_eq!(CoapUri::parse("coap://h/a#"), Err(UriError::Fragment));
        assert_eq!(CoapUri::parse("coap:/h"), Err(UriError::InvalidHost));
        assert_eq!(CoapUri::parse("coap://"), Err(UriError::InvalidHost));
        assert_eq!(CoapUri::parse("coap://u@h/"), Err(UriError::InvalidHost));
        assert_eq!(CoapUri::parse("coap://h:x/"), Err(UriError::InvalidPort));
        assert_eq!(
            CoapUri::parse("coap://h:65536/"),
            Err(UriError::InvalidPort)
        );
        assert_eq!(CoapUri::parse("coap://[::1/"), Err(UriError::InvalidHost));
        assert_eq!(
            CoapUri::parse("coap://h/%zz"),
            Err(UriError::InvalidPercentEncoding)
        );
        assert_eq!(
            CoapUri::parse("coap://h/a b"),
            Err(UriError::InvalidPercentEncoding)
        );
        // empty port means default
        assert_eq!(CoapUri::parse("coap://h:/").unwrap().port(), 5683);
    }

    #[test]
    fn rfc7252_6_4_examples() {
        // §6.3: these are equivalent, and give the same options
        let a = CoapUri::parse("coap://example.com:5683/~sensors/temp.xml").unwrap();
        let b = CoapUri::parse("coap://EXAMPLE.com/%7Esensors/temp.xml").unwrap();
        let c = CoapUri::parse("coap://EXAMPLE.com:/%7esensors/temp.xml").unwrap();
        let oa = a.to_options().unwrap();
        assert_eq!(oa, b.to_options().unwrap());
        assert_eq!(oa, c.to_options().unwrap());
        assert_eq!(oa.as_options().get_str(N::URI_HOST), Some("example.com"));
        assert_eq!(
            path("coap://example.com/~sensors/temp.xml"),
            ["~sensors", "temp.xml"]
        );
        // no path, or "/", means no Uri-Path; a trailing slash gives an empty segment
        assert!(path("coap://h").is_empty());
        assert!(path("coap://h/").is_empty());
        assert_eq!(path("coap://h/a/"), ["a", ""]);
        assert_eq!(path("coap://h//"), ["", ""]);
        // dot segments
        assert_eq!(path("coap://h/a/b/../c/./d"), ["a", "c", "d"]);
        assert_eq!(path("coap://h/../../a"), ["a"]);
        assert!(path("coap://h/a/..").is_empty());
        assert!(path("coap://h/.").is_empty());
        // %2F stays inside its segment
        assert_eq!(path("coap://h/a%2Fb/c"), ["a/b", "c"]);
        // IP literal: no Uri-Host; explicit non-default port: Uri-Port
        let o = CoapUri::parse("coap://[2001:db8::2:1]:5684/")
            .unwrap()
            .to_options()
            .unwrap();
        assert_eq!(o.as_options().get(N::URI_HOST), None);
        assert_eq!(o.as_options().get_uint(N::URI_PORT), Some(5684));
        // queries, percent-decoded per argument
        let o = CoapUri::parse("coap://h/?a=1&b=%26&&c")
            .unwrap()
            .to_options()
            .unwrap();
        let q: Vec<&str> = o.as_options().get_all_str(N::URI_QUERY).collect();
        assert_eq!(q, ["a=1", "b=&", "", "c"]);
        // decoded components must be UTF-8 and fit an option
        assert_eq!(
            CoapUri::parse("coap://h/%ff").unwrap().to_options(),
            Err(UriError::InvalidUtf8)
        );
        let long = alloc::format!("coap://h/{}", "a".repeat(256));
        assert_eq!(
            CoapUri::parse(&long).unwrap().to_options(),
            Err(UriError::ComponentTooLong)
        );
    }

    #[test]
    fn percent_decoding() {
        let mut out = [0u8; 8];
        assert_eq!(percent_decode_into("a%41%2f", &mut out), Ok(&b"aA/"[..]));
        assert_eq!(percent_decode_into("", &mut out), Ok(&b""[..]));
        // a sign is no hex digit; escapes must be complete
        for bad in ["%+1", "%-1", "%4", "%", "a%%", "%41%%%", "%g0"] {
            assert_eq!(
                percent_decode_into(bad, &mut out),
                Err(UriError::InvalidPercentEncoding),
                "{bad}"
            );
        }
        assert_eq!(
            percent_decode_into("abc%41", &mut out[..3]),
            Err(UriError::BufferTooSmall { required: 4 })
        );
    }

    #[test]
    fn encode_sets_are_the_grammar() {
        // the sets `write_uri` encodes with leave alone exactly the bytes
        // the parser accepts unencoded, for every byte value
        type Unencoded = fn(u8) -> bool;
        let parts: [(&AsciiSet, Unencoded); 3] = [
            (REG_NAME_ENCODE, |b| is_unreserved(b) || is_sub_delim(b)),
            (SEGMENT_ENCODE, is_pchar),
            (QUERY_ARG_ENCODE, |b| {
                (is_pchar(b) && b != b'&') || b == b'/' || b == b'?'
            }),
        ];
        for (set, keep) in parts {
            for b in 0..=u8::MAX {
                let mut s = alloc::string::String::new();
                encode_into(&mut s, &[b], set).unwrap();
                let expect = if keep(b) {
                    alloc::string::String::from(char::from(b))
                } else {
                    alloc::format!("%{b:02X}")
                };
                assert_eq!(s, expect, "byte {b:#04x}");
            }
        }
        let mut s = alloc::string::String::new();
        encode_into(&mut s, "caf\u{e9} 100%/x".as_bytes(), SEGMENT_ENCODE).unwrap();
        assert_eq!(s, "caf%C3%A9%20100%25%2Fx");
    }

    #[test]
    fn destination_rules() {
        let u = CoapUri::parse("coap://192.0.2.1:5683/x").unwrap();
        // sent to that address: no Uri-Host, no Uri-Port
        let o = u.to_options_for(Some("192.0.2.1"), 5683).unwrap();
        assert_eq!(o.as_options().get(N::URI_HOST), None);
        assert_eq!(o.as_options().get(N::URI_PORT), None);
        // sent elsewhere (a proxy): both are needed
        let o = u.to_options_for(Some("192.0.2.99"), 6000).unwrap();
        assert_eq!(o.as_options().get_str(N::URI_HOST), Some("192.0.2.1"));
        assert_eq!(o.as_options().get_uint(N::URI_PORT), Some(5683));
    }

    #[test]
    fn options_to_uri() {
        let mut o = crate::OptionList::new();
        o.push_str(N::URI_PATH, "a b");
        o.push_str(N::URI_PATH, "c/d");
        o.push_str(N::URI_QUERY, "x=1&2");
        o.push_str(N::URI_QUERY, "y=?/");
        let s = to_uri_string(o.as_options(), Scheme::Coap, "[2001:db8::1]", 5683).unwrap();
        assert_eq!(s, "coap://[2001:db8::1]/a%20b/c%2Fd?x=1%262&y=?/");
        // no path: "/"; non-default port from the destination
        let s = to_uri_string(Options::EMPTY, Scheme::Coaps, "192.0.2.1", 5683).unwrap();
        assert_eq!(s, "coaps://192.0.2.1:5683/");
        // dot segments survive as percent-encoded dots
        let mut dots = crate::OptionList::new();
        for seg in ["a", "..", ".", "b"] {
            dots.push_str(N::URI_PATH, seg);
        }
        let s = to_uri_string(dots.as_options(), Scheme::Coap, "h", 5683).unwrap();
        assert_eq!(s, "coap://h/a/%2E%2E/%2E/b");
        let back = CoapUri::parse(&s)
            .unwrap()
            .to_options_for(None, 5683)
            .unwrap();
        let segs: Vec<&str> = back.as_options().get_all_str(N::URI_PATH).collect();
        assert_eq!(segs, ["a", "..", ".", "b"]);
        // a Uri-Host in brackets that is no IP literal is a reg-name
        let mut odd = crate::OptionList::new();
        odd.push_str(N::URI_HOST, "[zz");
        let s = to_uri_string(odd.as_options(), Scheme::Coap, "h", 5683).unwrap();
        assert_eq!(s, "coap://%5Bzz/");
        let back = CoapUri::parse(&s).unwrap().to_options().unwrap();
        assert_eq!(back.as_options().get_str(N::URI_HOST), Some("[zz"));
        // and back again
        let back = CoapUri::parse("coap://[2001:db8::1]/a%20b/c%2Fd?x=1%262&y=?/")
            .unwrap()
            .to_options()
            .unwrap();
        assert_eq!(back, o);
    }
}
