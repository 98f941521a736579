//! Message type octets (spec 5.2.2), and the section of the specification
//! that defines each message's layout.

/// ADVERTISE
pub const ADVERTISE: u8 = 0x00;
/// SEARCHGW
pub const SEARCHGW: u8 = 0x01;
/// GWINFO
pub const GWINFO: u8 = 0x02;
/// CONNECT
pub const CONNECT: u8 = 0x04;
/// CONNACK
pub const CONNACK: u8 = 0x05;
/// WILLTOPICREQ
pub const WILLTOPICREQ: u8 = 0x06;
/// WILLTOPIC
pub const WILLTOPIC: u8 = 0x07;
/// WILLMSGREQ
pub const WILLMSGREQ: u8 = 0x08;
/// WILLMSG
pub const WILLMSG: u8 = 0x09;
/// REGISTER
pub const REGISTER: u8 = 0x0A;
/// REGACK
pub const REGACK: u8 = 0x0B;
/// PUBLISH
pub const PUBLISH: u8 = 0x0C;
/// PUBACK
pub const PUBACK: u8 = 0x0D;
/// PUBCOMP
pub const PUBCOMP: u8 = 0x0E;
/// PUBREC
pub const PUBREC: u8 = 0x0F;
/// PUBREL
pub const PUBREL: u8 = 0x10;
/// SUBSCRIBE
pub const SUBSCRIBE: u8 = 0x12;
/// SUBACK
pub const SUBACK: u8 = 0x13;
/// UNSUBSCRIBE
pub const UNSUBSCRIBE: u8 = 0x14;
/// UNSUBACK
pub const UNSUBACK: u8 = 0x15;
/// PINGREQ
pub const PINGREQ: u8 = 0x16;
/// PINGRESP
pub const PINGRESP: u8 = 0x17;
/// DISCONNECT
pub const DISCONNECT: u8 = 0x18;
/// WILLTOPICUPD
pub const WILLTOPICUPD: u8 = 0x1A;
/// WILLTOPICRESP
pub const WILLTOPICRESP: u8 = 0x1B;
/// WILLMSGUPD
pub const WILLMSGUPD: u8 = 0x1C;
/// WILLMSGRESP
pub const WILLMSGRESP: u8 = 0x1D;
/// Forwarder encapsulation
pub const FORWARDER: u8 = 0xFE;

/// The spec section that defines a message type's layout.
pub(crate) fn section_of(t: u8) -> &'static str {
    match t {
        ADVERTISE => "5.4.1",
        SEARCHGW => "5.4.2",
        GWINFO => "5.4.3",
        CONNECT => "5.4.4",
        CONNACK => "5.4.5",
        WILLTOPICREQ => "5.4.6",
        WILLTOPIC => "5.4.7",
        WILLMSGREQ => "5.4.8",
        WILLMSG => "5.4.9",
        REGISTER => "5.4.10",
        REGACK => "5.4.11",
        PUBLISH => "5.4.12",
        PUBACK => "5.4.13",
        PUBCOMP | PUBREC | PUBREL => "5.4.14",
        SUBSCRIBE => "5.4.15",
        SUBACK => "5.4.16",
        UNSUBSCRIBE => "5.4.17",
        UNSUBACK => "5.4.18",
        PINGREQ => "5.4.19",
        PINGRESP => "5.4.20",
        DISCONNECT => "5.4.21",
        WILLTOPICUPD => "5.4.22",
        WILLMSGUPD => "5.4.23",
        WILLTOPICRESP => "5.4.24",
        WILLMSGRESP => "5.4.25",
        FORWARDER => "5.5",
        _ => "5.2.2",
    }
}
