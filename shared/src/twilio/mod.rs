//! Everything that speaks Twilio: webhook signatures, the inbound form and message.

pub mod credentials;
pub mod form;
pub mod inbound;
pub mod messages;
pub mod signature;

pub use form::TwilioForm;
pub use inbound::InboundMessage;
