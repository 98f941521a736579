//! One adapter per protocol, each a thin call into that protocol's crate.

use crate::{InspectError, Proto, Step};

mod amqp;
mod coap;
mod mqtt;
mod mqtt_sn;

/// Decodes the packet at the front of `input`.
pub(crate) fn step(proto: Proto, input: &[u8]) -> Result<Step, InspectError> {
    let step = match proto {
        Proto::Mqtt3 => mqtt::step_v3(input),
        Proto::Mqtt5 => mqtt::step_v5(input),
        Proto::MqttSn => mqtt_sn::step(input),
        Proto::Coap => coap::step_udp(input),
        Proto::CoapTcp => coap::step_tcp(input),
        Proto::Amqp => amqp::step(input),
    };
    step.ok_or(InspectError::NotImplemented(proto))
}
