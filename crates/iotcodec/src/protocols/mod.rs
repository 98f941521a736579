//! One adapter per protocol, each a thin call into that protocol's crate.

use serde_json::{Map, Value};

use crate::{Proto, Step};

mod amqp;
mod coap;
mod mqtt;
mod mqtt_sn;

/// Decodes the packet at the front of `input`.
pub(crate) fn step(proto: Proto, input: &[u8]) -> Step {
    match proto {
        Proto::Mqtt3 => mqtt::step_v3(input),
        Proto::Mqtt5 => mqtt::step_v5(input),
        Proto::MqttSn => mqtt_sn::step(input),
        Proto::Coap => coap::step_udp(input),
        Proto::CoapTcp => coap::step_tcp(input),
        Proto::Amqp => amqp::step(input),
    }
}

/// `{"type": name}` followed by the fields of the object `fields`, the
/// shape of every packet's JSON.
fn with_type(name: &str, fields: Value) -> Value {
    let mut object = Map::new();
    object.insert("type".to_owned(), name.into());
    if let Value::Object(fields) = fields {
        object.extend(fields);
    }
    Value::Object(object)
}
