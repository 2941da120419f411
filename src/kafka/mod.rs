//! The log family of semantics (Apache Kafka): topics split into partitions,
//! each an append-only log that consumers read by offset.
//!
//! This module starts with the producer's side of that model: which partition
//! a record is appended to.

pub mod partitioner;
