//! Free loopback ports for the real-peer tests' servers.
//!
//! A port found free may be taken by another process before the server
//! binds it; start the server at once.
//!
//! ```
//! let port = iotcodec_testkit::free_tcp_port();
//! assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_ok());
//! ```

use std::net::{TcpListener, UdpSocket};

/// A TCP port free on 127.0.0.1 right now.
///
/// # Panics
/// When no socket can be bound.
pub fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free TCP port on 127.0.0.1")
        .port()
}

/// A port free for both UDP and TCP on 127.0.0.1 right now (for a server
/// listening on both, as libcoap's does).
///
/// # Panics
/// When 50 tries found none.
pub fn free_udp_and_tcp_port() -> u16 {
    for _ in 0..50 {
        let udp = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP socket");
        let port = udp.local_addr().expect("local address").port();
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no port free for both UDP and TCP on 127.0.0.1");
}
