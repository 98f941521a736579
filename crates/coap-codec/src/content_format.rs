//! Content-Formats (RFC 7252 §12.3): the IANA "CoAP Content-Formats"
//! registry, mapping numbers to media types with their parameters and
//! content codings.

use core::fmt;

/// A Content-Format number (the value of the Content-Format and Accept
/// options). An open newtype: unregistered numbers are kept as they are.
///
/// ```
/// use coap_codec::ContentFormat;
///
/// assert_eq!(ContentFormat::JSON.0, 50);
/// assert_eq!(ContentFormat::LINK_FORMAT.media_type(), Some("application/link-format"));
/// assert_eq!(ContentFormat::from_media_type("application/cbor"), Some(ContentFormat::CBOR));
/// assert_eq!(ContentFormat(65000).media_type(), None);
/// ```
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ContentFormat(pub u16);

impl ContentFormat {
    /// 0: `text/plain; charset=utf-8`.
    pub const TEXT_PLAIN: Self = Self(0);
    /// 16: `application/cose; cose-type="cose-encrypt0"`.
    pub const COSE_ENCRYPT0: Self = Self(16);
    /// 17: `application/cose; cose-type="cose-mac0"`.
    pub const COSE_MAC0: Self = Self(17);
    /// 18: `application/cose; cose-type="cose-sign1"`.
    pub const COSE_SIGN1: Self = Self(18);
    /// 19: `application/ace+cbor`.
    pub const ACE_CBOR: Self = Self(19);
    /// 21: `image/gif`.
    pub const IMAGE_GIF: Self = Self(21);
    /// 22: `image/jpeg`.
    pub const IMAGE_JPEG: Self = Self(22);
    /// 23: `image/png`.
    pub const IMAGE_PNG: Self = Self(23);
    /// 40: `application/link-format`.
    pub const LINK_FORMAT: Self = Self(40);
    /// 41: `application/xml`.
    pub const XML: Self = Self(41);
    /// 42: `application/octet-stream`.
    pub const OCTET_STREAM: Self = Self(42);
    /// 47: `application/exi`.
    pub const EXI: Self = Self(47);
    /// 50: `application/json`.
    pub const JSON: Self = Self(50);
    /// 51: `application/json-patch+json`.
    pub const JSON_PATCH_JSON: Self = Self(51);
    /// 52: `application/merge-patch+json`.
    pub const MERGE_PATCH_JSON: Self = Self(52);
    /// 60: `application/cbor`.
    pub const CBOR: Self = Self(60);
    /// 61: `application/cwt`.
    pub const CWT: Self = Self(61);
    /// 62: `application/multipart-core`.
    pub const MULTIPART_CORE: Self = Self(62);
    /// 63: `application/cbor-seq`.
    pub const CBOR_SEQ: Self = Self(63);
    /// 64: `application/edhoc+cbor-seq`.
    pub const EDHOC_CBOR_SEQ: Self = Self(64);
    /// 96: `application/cose; cose-type="cose-encrypt"`.
    pub const COSE_ENCRYPT: Self = Self(96);
    /// 97: `application/cose; cose-type="cose-mac"`.
    pub const COSE_MAC: Self = Self(97);
    /// 98: `application/cose; cose-type="cose-sign"`.
    pub const COSE_SIGN: Self = Self(98);
    /// 101: `application/cose-key`.
    pub const COSE_KEY: Self = Self(101);
    /// 102: `application/cose-key-set`.
    pub const COSE_KEY_SET: Self = Self(102);
    /// 110: `application/senml+json`.
    pub const SENML_JSON: Self = Self(110);
    /// 111: `application/sensml+json`.
    pub const SENSML_JSON: Self = Self(111);
    /// 112: `application/senml+cbor`.
    pub const SENML_CBOR: Self = Self(112);
    /// 113: `application/sensml+cbor`.
    pub const SENSML_CBOR: Self = Self(113);
    /// 114: `application/senml-exi`.
    pub const SENML_EXI: Self = Self(114);
    /// 115: `application/sensml-exi`.
    pub const SENSML_EXI: Self = Self(115);
    /// 256: `application/coap-group+json`.
    pub const COAP_GROUP_JSON: Self = Self(256);
    /// 257: `application/concise-problem-details+cbor`.
    pub const CONCISE_PROBLEM_DETAILS_CBOR: Self = Self(257);
    /// 272: `application/missing-blocks+cbor-seq`.
    pub const MISSING_BLOCKS_CBOR_SEQ: Self = Self(272);
    /// 310: `application/senml+xml`.
    pub const SENML_XML: Self = Self(310);
    /// 311: `application/sensml+xml`.
    pub const SENSML_XML: Self = Self(311);
    /// 432: `application/td+json`.
    pub const TD_JSON: Self = Self(432);
    /// 553: `application/dns-message`.
    pub const DNS_MESSAGE: Self = Self(553);
    /// 10000: `application/vnd.ocf+cbor`.
    pub const VND_OCF_CBOR: Self = Self(10000);
    /// 10001: `application/oscore`.
    pub const OSCORE: Self = Self(10001);
    /// 11542: `application/vnd.oma.lwm2m+tlv`.
    pub const LWM2M_TLV: Self = Self(11542);
    /// 11543: `application/vnd.oma.lwm2m+json`.
    pub const LWM2M_JSON: Self = Self(11543);
    /// 11544: `application/vnd.oma.lwm2m+cbor`.
    pub const LWM2M_CBOR: Self = Self(11544);

    /// The registered media type (with parameters and content coding, as
    /// the registry writes it).
    pub fn media_type(self) -> Option<&'static str> {
        REGISTRY
            .binary_search_by_key(&self.0, |&(n, _)| n)
            .ok()
            .map(|i| REGISTRY[i].1)
    }

    /// The number registered for exactly this media-type string.
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        REGISTRY
            .iter()
            .find(|&&(_, m)| m == media_type)
            .map(|&(n, _)| Self(n))
    }

    /// 65000–65535: reserved for experimental use.
    pub const fn is_experimental(self) -> bool {
        self.0 >= 65000
    }
}

impl fmt::Debug for ContentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.media_type() {
            Some(m) => write!(f, "ContentFormat({}: {})", self.0, m),
            None => write!(f, "ContentFormat({})", self.0),
        }
    }
}

impl fmt::Display for ContentFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.media_type() {
            Some(m) => f.write_str(m),
            None => write!(f, "{}", self.0),
        }
    }
}

impl From<u16> for ContentFormat {
    fn from(n: u16) -> Self {
        Self(n)
    }
}

/// The registry: (number, media type), ascending by number.
static REGISTRY: &[(u16, &str)] = &[
    (0, "text/plain; charset=utf-8"),
    (16, "application/cose; cose-type=\"cose-encrypt0\""),
    (17, "application/cose; cose-type=\"cose-mac0\""),
    (18, "application/cose; cose-type=\"cose-sign1\""),
    (19, "application/ace+cbor"),
    (21, "image/gif"),
    (22, "image/jpeg"),
    (23, "image/png"),
    (40, "application/link-format"),
    (41, "application/xml"),
    (42, "application/octet-stream"),
    (47, "application/exi"),
    (50, "application/json"),
    (51, "application/json-patch+json"),
    (52, "application/merge-patch+json"),
    (60, "application/cbor"),
    (61, "application/cwt"),
    (62, "application/multipart-core"),
    (63, "application/cbor-seq"),
    (64, "application/edhoc+cbor-seq"),
    (65, "application/cid-edhoc+cbor-seq"),
    (96, "application/cose; cose-type=\"cose-encrypt\""),
    (97, "application/cose; cose-type=\"cose-mac\""),
    (98, "application/cose; cose-type=\"cose-sign\""),
    (101, "application/cose-key"),
    (102, "application/cose-key-set"),
    (110, "application/senml+json"),
    (111, "application/sensml+json"),
    (112, "application/senml+cbor"),
    (113, "application/sensml+cbor"),
    (114, "application/senml-exi"),
    (115, "application/sensml-exi"),
    (140, "application/yang-data+cbor; id=sid"),
    (256, "application/coap-group+json"),
    (257, "application/concise-problem-details+cbor"),
    (258, "application/swid+cbor"),
    (259, "application/pkixcmp"),
    (260, "application/yang-sid+json"),
    (261, "application/ace-groupcomm+cbor"),
    (262, "application/ace-trl+cbor"),
    (263, "application/eat+cwt"),
    (264, "application/eat+jwt"),
    (265, "application/eat-bun+cbor"),
    (266, "application/eat-bun+json"),
    (267, "application/eat-ucs+cbor"),
    (268, "application/eat-ucs+json"),
    (269, "application/coap-eap"),
    (270, "application/suit-report+cose"),
    (271, "application/dots+cbor"),
    (272, "application/missing-blocks+cbor-seq"),
    (273, "application/cmw+cbor"),
    (274, "application/cmw+json"),
    (275, "application/cmw+cose"),
    (276, "application/cmw+jws"),
    (277, "application/scitt-statement+cose"),
    (278, "application/scitt-receipt+cose"),
    (279, "application/statuslist+cwt"),
    (
        280,
        "application/pkcs7-mime; smime-type=server-generated-key",
    ),
    (281, "application/pkcs7-mime; smime-type=certs-only"),
    (284, "application/pkcs8"),
    (285, "application/csrattrs"),
    (286, "application/pkcs10"),
    (287, "application/pkix-cert"),
    (290, "application/aif+cbor"),
    (291, "application/aif+json"),
    (292, "application/aif+cbor;toid=CRI-local-part"),
    (293, "application/sd-cwt"),
    (294, "application/kb+cwt"),
    (295, "application/measured-component+cbor"),
    (296, "application/measured-component+json"),
    (
        297,
        "application/aif+cbor;toid=oscore-gname;tperm=oscore-gperm",
    ),
    (
        298,
        "application/aif+json;toid=oscore-gname;tperm=oscore-gperm",
    ),
    (299, "application/cose-c509-cert+cbor"),
    (300, "application/cose-c509+cbor"),
    (301, "application/cose-c509+cbor;usage=chain"),
    (302, "application/cose-c509-pkcs10+cbor"),
    (303, "application/cose-c509-crtemplate+cbor"),
    (304, "application/cose-c509-privkey+cbor"),
    (305, "application/cose-c509-pem+cbor"),
    (306, "application/cose-certhash+cbor"),
    (307, "application/cose-certhash+cbor;usage=c509"),
    (310, "application/senml+xml"),
    (311, "application/sensml+xml"),
    (320, "application/senml-etch+json"),
    (322, "application/senml-etch+cbor"),
    (340, "application/yang-data+cbor"),
    (341, "application/yang-data+cbor; id=name"),
    (432, "application/td+json"),
    (433, "application/tm+json"),
    (434, "application/sdf+json"),
    (553, "application/dns-message"),
    (601, "application/uccs+cbor"),
    (836, "application/voucher+cose"),
    (10000, "application/vnd.ocf+cbor"),
    (10001, "application/oscore"),
    (10002, "application/javascript"),
    (
        10003,
        "application/eat+cwt; eat_profile=\"tag:psacertified.org,2023:psa#tfm\"",
    ),
    (
        10004,
        "application/eat+cwt; eat_profile=\"tag:psacertified.org,2019:psa#legacy\"",
    ),
    (
        10005,
        "application/eat+cwt; eat_profile=2.16.840.1.113741.1.16.1",
    ),
    (10006, "application/vnd.oms.cellular-cose-content+cbor"),
    (10007, "application/syslog-msg"),
    (10570, "application/toc+cbor"),
    (10571, "application/ce+cbor"),
    (
        10572,
        "application/toc+cbor;profile=2.16.840.1.113741.1.16.1",
    ),
    (
        10573,
        "application/ce+cbor;profile=2.16.840.1.113741.1.16.1",
    ),
    (11050, "application/json@deflate"),
    (11060, "application/cbor@deflate"),
    (11542, "application/vnd.oma.lwm2m+tlv"),
    (11543, "application/vnd.oma.lwm2m+json"),
    (11544, "application/vnd.oma.lwm2m+cbor"),
    (12000, "text/plain;charset=utf-8@zstd"),
    (12041, "application/xml@zstd"),
    (12050, "application/json@zstd"),
    (20000, "text/css"),
    (20001, "application/vnd.as207960.vas.config+jer"),
    (20002, "application/vnd.as207960.vas.config+uper"),
    (20003, "application/vnd.as207960.vas.tap+jer"),
    (20004, "application/vnd.as207960.vas.tap+uper"),
    (30000, "image/svg+xml"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_sorted_and_lookups_agree() {
        for w in REGISTRY.windows(2) {
            assert!(w[0].0 < w[1].0);
        }
        for &(n, m) in REGISTRY {
            assert_eq!(ContentFormat(n).media_type(), Some(m));
        }
        assert_eq!(REGISTRY.len(), 119);
        assert_eq!(
            ContentFormat::TEXT_PLAIN.media_type(),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(ContentFormat(1).media_type(), None);
        assert!(ContentFormat(65000).is_experimental());
    }
}
