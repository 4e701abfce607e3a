//! Domain values parsed at the edge: once a value exists it is valid.

pub mod address;
pub mod message_sid;

pub use address::{WhatsAppAddress, WhatsAppIdentity};
pub use message_sid::MessageSid;
pub mod reply_text;

pub use reply_text::ReplyText;
