//! The server side: received requests, the empty ACK when the application
//! is slow, piggybacked and separate responses (retransmitted when
//! Confirmable), No-Response, answers the endpoint gives itself (4.02,
//! 4.13, 5.03), and responses to multicast requests after their leisure.

use core::time::Duration;

use bytes::Bytes;

use super::dedup::Reply;
use super::outbox::Pending;
use super::peer::Sent;
use super::{no_response_bit, Endpoint, Event, ExchangeId, Failure, Response, Timer, UsageError};
use crate::{
    CoapOption, Code, Instant, Message, MessageType, OptionNumber, Options, OwnedMessage, Token,
};

#[derive(Debug)]
enum ServerState {
    /// The application has not answered; an empty ACK is due at the
    /// deadline for a Confirmable request.
    Pending,
    /// An empty ACK went out; the response will be separate.
    Acked,
    /// A separate Confirmable response is being retransmitted.
    Separate {
        mid: u16,
        datagram: Bytes,
        retransmissions: u32,
        interval: Duration,
        /// A copy waits in the outbox.
        queued: bool,
    },
    /// A response to a multicast request waits for its leisure.
    Leisure { datagram: Bytes },
}

#[derive(Debug)]
pub(crate) struct ServerExchange<A> {
    peer: A,
    request_mid: u16,
    token: Token,
    confirmable: bool,
    multicast: bool,
    no_response: u8,
    received: Instant,
    state: ServerState,
    deadline: Option<Instant>,
}

impl<A> ServerExchange<A> {
    /// Whether a separate Confirmable response is in flight.
    pub(crate) fn is_separate(&self) -> bool {
        matches!(self.state, ServerState::Separate { .. })
    }

    /// The destination and bytes of a separate response waiting in the
    /// outbox, marking it sent.
    pub(crate) fn take_queued(&mut self) -> Option<(A, Bytes)>
    where
        A: Clone,
    {
        match &mut self.state {
            ServerState::Separate {
                datagram, queued, ..
            } if *queued => {
                *queued = false;
                Some((self.peer.clone(), datagram.clone()))
            }
            _ => None,
        }
    }

    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Notes that a copy of the separate response waits in the outbox.
    fn mark_queued(&mut self) {
        if let ServerState::Separate { queued, .. } = &mut self.state {
            *queued = true;
        }
    }

    fn kept_bytes(&self) -> usize {
        match &self.state {
            ServerState::Separate { datagram, .. } | ServerState::Leisure { datagram } => {
                datagram.len()
            }
            _ => 0,
        }
    }
}

impl<A: Clone + Ord> Endpoint<A> {
    /// Answers a request received as [`Event::Request`]: piggybacked on the
    /// ACK when the empty ACK has not gone out yet, else as a separate
    /// response (Confirmable by default, retransmitted until acknowledged;
    /// see [`Config::separate_response_confirmable`](super::Config::separate_response_confirmable)).
    /// A Non-confirmable request gets a Non-confirmable response; one
    /// received on a multicast address gets it at a random point within
    /// DEFAULT_LEISURE of its arrival, and no error response (4.xx, 5.xx)
    /// at all. Responses the request's No-Response option (RFC 7967)
    /// declines are not sent (a Confirmable request still gets its empty
    /// ACK).
    pub fn respond(
        &mut self,
        now: Instant,
        exchange: ExchangeId,
        response: &Response<'_>,
    ) -> Result<(), UsageError> {
        let r = self.respond_inner(now, exchange, response);
        self.tidy_timers();
        r
    }

    fn respond_inner(
        &mut self,
        now: Instant,
        exchange: ExchangeId,
        response: &Response<'_>,
    ) -> Result<(), UsageError> {
        let now = self.advance(now);
        if !response.code.is_response() {
            return Err(UsageError::NotAResponse(response.code));
        }
        let x = self
            .server
            .get(&exchange.0)
            .ok_or(UsageError::UnknownExchange)?;
        if matches!(
            x.state,
            ServerState::Separate { .. } | ServerState::Leisure { .. }
        ) {
            return Err(UsageError::UnknownExchange);
        }
        let suppressed = x.no_response & no_response_bit(response.code) != 0;
        let (peer, token, request_mid) = (x.peer.clone(), x.token, x.request_mid);
        let request_confirmable = x.confirmable;
        let piggyback = x.confirmable && matches!(x.state, ServerState::Pending);
        let (multicast, received) = (x.multicast, x.received);
        let mut msg = Message {
            mtype: MessageType::Acknowledgement,
            code: response.code,
            message_id: request_mid,
            token,
            options: response.options,
            payload: response.payload,
        };
        if piggyback {
            let reply = if suppressed {
                self.queue_own(Pending::Empty {
                    to: peer.clone(),
                    mtype: MessageType::Acknowledgement,
                    message_id: request_mid,
                });
                Reply::EmptyAck
            } else {
                let bytes = self.encode_reply(&msg)?;
                self.queue_own(Pending::Bytes {
                    to: peer.clone(),
                    bytes: bytes.clone(),
                });
                Reply::Response(bytes)
            };
            self.set_reply(&peer, request_mid, reply);
            self.finish_server(exchange.0);
            return Ok(());
        }
        let error = matches!(response.code.class(), 4 | 5);
        if suppressed || (multicast && error) {
            if multicast && error && !suppressed {
                self.stats.multicast_suppressed += 1;
            }
            self.finish_server(exchange.0);
            return Ok(());
        }
        let confirmable = request_confirmable && self.config.separate_response_confirmable;
        msg.mtype = if confirmable {
            MessageType::Confirmable
        } else {
            MessageType::NonConfirmable
        };
        let len = msg.encoded_len()?;
        if self.response_bytes + len > self.config.limits.max_response_bytes
            && (confirmable || multicast)
        {
            return Err(UsageError::TooManyResponses);
        }
        // a Message ID only once the response is known to fit
        if len > self.config.limits.max_message_size {
            return Err(UsageError::MessageTooLarge(len));
        }
        msg.message_id = self.allocate_mid(now, &peer)?;
        let bytes = self.encode(&msg)?;
        if multicast {
            // RFC 7252 §8.2: at a random point within the leisure
            let leisure = self.config.params.default_leisure;
            let span = u64::try_from(leisure.as_millis()).unwrap_or(u64::MAX);
            let at = (received + Duration::from_millis(self.rng.range_inclusive(0, span))).max(now);
            self.response_bytes += bytes.len();
            if let Some(x) = self.server.get_mut(&exchange.0) {
                x.state = ServerState::Leisure { datagram: bytes };
            }
            self.set_server_timer(exchange.0, Some(at));
            return Ok(());
        }
        if !confirmable {
            self.queue_own(Pending::Bytes { to: peer, bytes });
            self.finish_server(exchange.0);
            return Ok(());
        }
        let interval = self.initial_timeout();
        if let Some(p) = self.peers.get_mut(&peer) {
            p.sent.insert(msg.message_id, Sent::Separate(exchange.0));
        }
        self.response_bytes += bytes.len();
        if let Some(x) = self.server.get_mut(&exchange.0) {
            x.state = ServerState::Separate {
                mid: msg.message_id,
                datagram: bytes,
                retransmissions: 0,
                interval,
                queued: false,
            };
        }
        if self.queue_own(Pending::Response(exchange.0)) {
            if let Some(x) = self.server.get_mut(&exchange.0) {
                x.mark_queued();
            }
        }
        self.set_server_timer(exchange.0, Some(now + interval));
        Ok(())
    }

    pub(crate) fn on_request(
        &mut self,
        now: Instant,
        from: A,
        msg: &Message<'_>,
        datagram: &[u8],
        multicast: bool,
    ) {
        if self.duplicate(&from, msg) {
            return;
        }
        let con = msg.mtype == MessageType::Confirmable;
        if self.closed {
            if con {
                self.remember(now, &from, msg, Reply::Reset);
                self.send_empty(from, MessageType::Reset, msg.message_id);
            }
            return;
        }
        if msg
            .options
            .first_bad_critical(self.config.recognized)
            .is_some()
        {
            // RFC 7252 §5.4.1: 4.02 to a CON request; a NON one is rejected
            // (silently: an answer would cost a Message ID, and state, per
            // stranger)
            self.stats.bad_options += 1;
            if con {
                let no_response = msg.no_response();
                self.answer_con(
                    now,
                    from,
                    msg,
                    Code::BAD_OPTION,
                    Options::EMPTY,
                    no_response,
                );
            }
            return;
        }
        if self.server.len() >= self.config.limits.max_server_exchanges
            || !self.has_event_room()
            || self.ensure_peer(now, &from).is_err()
        {
            self.stats.overloaded += 1;
            if con {
                self.answer_con(now, from, msg, Code::SERVICE_UNAVAILABLE, Options::EMPTY, 0);
            }
            return;
        }
        let request = OwnedMessage::from_decoded(msg, self.rx_arena.copy(datagram));
        self.remember(now, &from, msg, Reply::Nothing);
        let id = self.server.insert(ServerExchange {
            peer: from.clone(),
            request_mid: msg.message_id,
            token: msg.token,
            confirmable: con,
            multicast,
            no_response: msg.no_response(),
            received: now,
            state: ServerState::Pending,
            deadline: None,
        });
        let deadline = if con {
            now + self.config.empty_ack_delay
        } else {
            // an unanswered NON request is forgotten after NON_LIFETIME
            now + self.times.non_lifetime
        };
        self.set_server_timer(id, Some(deadline));
        self.push_event(Event::Request {
            exchange: ExchangeId(id),
            peer: from,
            request,
        });
    }

    /// Answers a Confirmable request at once (4.02, 4.13, 5.03), piggybacked
    /// on its ACK (an empty ACK when No-Response declines the class), and
    /// remembers the answer for duplicates.
    fn answer_con(
        &mut self,
        now: Instant,
        from: A,
        request: &Message<'_>,
        code: Code,
        options: Options<'_>,
        no_response: u8,
    ) {
        let reply = if no_response & no_response_bit(code) != 0 {
            self.send_empty(
                from.clone(),
                MessageType::Acknowledgement,
                request.message_id,
            );
            Reply::EmptyAck
        } else {
            let ack = Message {
                mtype: MessageType::Acknowledgement,
                code,
                message_id: request.message_id,
                token: request.token,
                options,
                payload: &[],
            };
            let Ok(bytes) = self.encode_reply(&ack) else {
                return;
            };
            self.queue_transmit(Pending::Bytes {
                to: from.clone(),
                bytes: bytes.clone(),
            });
            Reply::Response(bytes)
        };
        self.remember(now, &from, request, reply);
    }

    /// A datagram above the size limit: 4.13 with Size1 for a CON request
    /// (RFC 7252 §5.9.2.9), dropped otherwise.
    pub(crate) fn too_large(&mut self, now: Instant, from: A, msg: &Message<'_>) {
        let con_request = msg.mtype == MessageType::Confirmable && msg.code.is_request();
        if con_request && self.duplicate(&from, msg) {
            return;
        }
        self.stats.overloaded += 1;
        if !con_request {
            return;
        }
        let max = u32::try_from(self.config.limits.max_message_size).unwrap_or(u32::MAX);
        let size1 = [CoapOption::uint(OptionNumber::SIZE1, max)];
        let options = Options::from_slice(&size1);
        self.answer_con(now, from, msg, Code::REQUEST_ENTITY_TOO_LARGE, options, 0);
    }

    /// A server timer set for `at` has fired.
    pub(crate) fn server_timer(&mut self, at: Instant, id: u64) {
        let max_retransmit = self.config.params.max_retransmit;
        let now = self.now;
        let exchange_lifetime = self.times.exchange_lifetime;
        let Some(x) = self.server.get_mut(&id) else {
            return;
        };
        x.deadline = None;
        match &mut x.state {
            ServerState::Pending if x.confirmable => {
                // the application is slow: acknowledge now, respond later
                x.state = ServerState::Acked;
                let (peer, mid) = (x.peer.clone(), x.request_mid);
                self.queue_own(Pending::Empty {
                    to: peer.clone(),
                    mtype: MessageType::Acknowledgement,
                    message_id: mid,
                });
                self.set_reply(&peer, mid, Reply::EmptyAck);
                // the exchange is forgotten if never answered
                self.set_server_timer(id, Some(now + exchange_lifetime));
            }
            ServerState::Separate {
                retransmissions,
                interval,
                queued,
                ..
            } => {
                if *retransmissions < max_retransmit {
                    // from the deadline, as for client requests
                    let mut next = at;
                    loop {
                        *retransmissions += 1;
                        *interval = interval.saturating_mul(2);
                        next += *interval;
                        if next > now || *retransmissions >= max_retransmit {
                            break;
                        }
                    }
                    let already = *queued;
                    self.stats.retransmissions += 1;
                    if !already && self.queue_own(Pending::Response(id)) {
                        if let Some(x) = self.server.get_mut(&id) {
                            x.mark_queued();
                        }
                    }
                    self.set_server_timer(id, Some(next.max(now)));
                } else {
                    self.finish_server(id);
                    self.push_event(Event::ResponseFailed {
                        exchange: ExchangeId(id),
                        reason: Failure::Timeout,
                    });
                }
            }
            ServerState::Leisure { datagram } => {
                let pending = Pending::Bytes {
                    to: x.peer.clone(),
                    bytes: datagram.clone(),
                };
                self.queue_own(pending);
                self.finish_server(id);
            }
            // an unanswered exchange expired
            _ => self.finish_server(id),
        }
    }

    pub(crate) fn finish_server(&mut self, id: u64) {
        let Some(x) = self.server.remove(&id) else {
            return;
        };
        self.response_bytes -= x.kept_bytes();
        if let ServerState::Separate { mid, .. } = x.state {
            if let Some(p) = self.peers.get_mut(&x.peer) {
                p.sent.remove(&mid);
            }
        }
    }

    fn set_server_timer(&mut self, id: u64, at: Option<Instant>) {
        let Some(x) = self.server.get_mut(&id) else {
            return;
        };
        x.deadline = at;
        self.push_timer(Timer::Server(id), at);
    }
}
