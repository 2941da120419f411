//! The queue family of semantics (RabbitMQ / AMQP 0-9-1): FIFO queues with
//! competing consumers, prefetch, acknowledgements, requeue and dead-lettering.
//!
//! This module does not know about producers' arrival processes or about
//! sampling; it only moves messages between queues and consumers.

mod consumer;
mod queue;

pub use consumer::{Consumer, ConsumerGroup};
pub use queue::Queue;
