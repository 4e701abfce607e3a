//! The webhook's integration tests: fixture events through the handler, and the real SQS
//! protocol through a moto server.

mod handler;
mod helpers;
mod moto;
