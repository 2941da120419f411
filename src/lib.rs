pub mod amqp;
pub mod engine;
pub mod kernel;
pub mod ledger;
pub mod message;
pub mod observe;
pub mod scenario;
pub mod summary;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
