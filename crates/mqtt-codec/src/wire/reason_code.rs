//! Reason codes (MQTT 5, spec 2.4) and CONNACK return codes (MQTT 3).

/// A reason code (MQTT 5) or CONNACK return code (MQTT 3); an open newtype
/// so that unknown values round-trip.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ReasonCode(pub u8);

impl ReasonCode {
    /// 0x00: Success.
    pub const SUCCESS: Self = Self(0x00);
    /// 0x00: Normal disconnection.
    pub const NORMAL_DISCONNECTION: Self = Self(0x00);
    /// 0x00: Granted QoS 0.
    pub const GRANTED_QOS_0: Self = Self(0x00);
    /// 0x01: Granted QoS 1.
    pub const GRANTED_QOS_1: Self = Self(0x01);
    /// 0x02: Granted QoS 2.
    pub const GRANTED_QOS_2: Self = Self(0x02);
    /// 0x04: Disconnect with will message.
    pub const DISCONNECT_WITH_WILL_MESSAGE: Self = Self(0x04);
    /// 0x10: No matching subscribers.
    pub const NO_MATCHING_SUBSCRIBERS: Self = Self(0x10);
    /// 0x11: No subscription existed.
    pub const NO_SUBSCRIPTION_EXISTED: Self = Self(0x11);
    /// 0x18: Continue authentication.
    pub const CONTINUE_AUTHENTICATION: Self = Self(0x18);
    /// 0x19: Re authenticate.
    pub const RE_AUTHENTICATE: Self = Self(0x19);
    /// 0x80: Unspecified error.
    pub const UNSPECIFIED_ERROR: Self = Self(0x80);
    /// 0x81: Malformed packet.
    pub const MALFORMED_PACKET: Self = Self(0x81);
    /// 0x82: Protocol error.
    pub const PROTOCOL_ERROR: Self = Self(0x82);
    /// 0x83: Implementation specific error.
    pub const IMPLEMENTATION_SPECIFIC_ERROR: Self = Self(0x83);
    /// 0x84: Unsupported protocol version.
    pub const UNSUPPORTED_PROTOCOL_VERSION: Self = Self(0x84);
    /// 0x85: Client identifier not valid.
    pub const CLIENT_IDENTIFIER_NOT_VALID: Self = Self(0x85);
    /// 0x86: Bad user name or password.
    pub const BAD_USER_NAME_OR_PASSWORD: Self = Self(0x86);
    /// 0x87: Not authorized.
    pub const NOT_AUTHORIZED: Self = Self(0x87);
    /// 0x88: Server unavailable.
    pub const SERVER_UNAVAILABLE: Self = Self(0x88);
    /// 0x89: Server busy.
    pub const SERVER_BUSY: Self = Self(0x89);
    /// 0x8A: Banned.
    pub const BANNED: Self = Self(0x8A);
    /// 0x8B: Server shutting down.
    pub const SERVER_SHUTTING_DOWN: Self = Self(0x8B);
    /// 0x8C: Bad authentication method.
    pub const BAD_AUTHENTICATION_METHOD: Self = Self(0x8C);
    /// 0x8D: Keep alive timeout.
    pub const KEEP_ALIVE_TIMEOUT: Self = Self(0x8D);
    /// 0x8E: Session taken over.
    pub const SESSION_TAKEN_OVER: Self = Self(0x8E);
    /// 0x8F: Topic filter invalid.
    pub const TOPIC_FILTER_INVALID: Self = Self(0x8F);
    /// 0x90: Topic name invalid.
    pub const TOPIC_NAME_INVALID: Self = Self(0x90);
    /// 0x91: Packet identifier in use.
    pub const PACKET_IDENTIFIER_IN_USE: Self = Self(0x91);
    /// 0x92: Packet identifier not found.
    pub const PACKET_IDENTIFIER_NOT_FOUND: Self = Self(0x92);
    /// 0x93: Receive maximum exceeded.
    pub const RECEIVE_MAXIMUM_EXCEEDED: Self = Self(0x93);
    /// 0x94: Topic alias invalid.
    pub const TOPIC_ALIAS_INVALID: Self = Self(0x94);
    /// 0x95: Packet too large.
    pub const PACKET_TOO_LARGE: Self = Self(0x95);
    /// 0x96: Message rate too high.
    pub const MESSAGE_RATE_TOO_HIGH: Self = Self(0x96);
    /// 0x97: Quota exceeded.
    pub const QUOTA_EXCEEDED: Self = Self(0x97);
    /// 0x98: Administrative action.
    pub const ADMINISTRATIVE_ACTION: Self = Self(0x98);
    /// 0x99: Payload format invalid.
    pub const PAYLOAD_FORMAT_INVALID: Self = Self(0x99);
    /// 0x9A: Retain not supported.
    pub const RETAIN_NOT_SUPPORTED: Self = Self(0x9A);
    /// 0x9B: QoS not supported.
    pub const QOS_NOT_SUPPORTED: Self = Self(0x9B);
    /// 0x9C: Use another server.
    pub const USE_ANOTHER_SERVER: Self = Self(0x9C);
    /// 0x9D: Server moved.
    pub const SERVER_MOVED: Self = Self(0x9D);
    /// 0x9E: Shared subscriptions not supported.
    pub const SHARED_SUBSCRIPTIONS_NOT_SUPPORTED: Self = Self(0x9E);
    /// 0x9F: Connection rate exceeded.
    pub const CONNECTION_RATE_EXCEEDED: Self = Self(0x9F);
    /// 0xA0: Maximum connect time.
    pub const MAXIMUM_CONNECT_TIME: Self = Self(0xA0);
    /// 0xA1: Subscription identifiers not supported.
    pub const SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED: Self = Self(0xA1);
    /// 0xA2: Wildcard subscriptions not supported.
    pub const WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED: Self = Self(0xA2);
}

impl ReasonCode {
    /// Whether the code reports a failure (0x80 and above).
    pub fn is_error(self) -> bool {
        self.0 >= 0x80
    }

    /// Whether MQTT 5.0 defines this code for packets of type
    /// `packet_type`: 2 CONNACK, 4 PUBACK, 5 PUBREC, 6 PUBREL, 7 PUBCOMP,
    /// 9 SUBACK, 11 UNSUBACK, 14 DISCONNECT, 15 AUTH (spec 2.4, Table 2-6,
    /// and each packet's reason code table). Other types carry no reason
    /// code: `false`. Table 2-6 also lists 0x8C Bad authentication method
    /// for DISCONNECT, which 3.14.2.1 omits; it is accepted.
    ///
    /// The decoder keeps any byte unless
    /// [`DecodeOptions::strict_reason_codes`](super::DecodeOptions::strict_reason_codes) asks it to check this.
    pub fn is_defined_for(self, packet_type: u8) -> bool {
        let codes: &[u8] = match packet_type {
            2 => &CONNACK_CODES,
            4 | 5 => &PUBACK_CODES,
            6 | 7 => &[0x00, 0x92],
            9 => &SUBACK_CODES,
            11 => &UNSUBACK_CODES,
            14 => &DISCONNECT_CODES,
            15 => &[0x00, 0x18, 0x19],
            _ => &[],
        };
        codes.contains(&self.0)
    }
}

/// Connect Reason Codes (3.2.2.2).
const CONNACK_CODES: [u8; 22] = [
    0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97,
    0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F,
];
/// PUBACK (3.4.2.1) and PUBREC (3.5.2.1) Reason Codes.
const PUBACK_CODES: [u8; 9] = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
/// Subscribe Reason Codes (3.9.3).
const SUBACK_CODES: [u8; 12] = [
    0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2,
];
/// Unsubscribe Reason Codes (3.11.3).
const UNSUBACK_CODES: [u8; 7] = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91];
/// Disconnect Reason Codes (3.14.2.1, and 0x8C from Table 2-6).
const DISCONNECT_CODES: [u8; 30] = [
    0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94,
    0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2,
];
