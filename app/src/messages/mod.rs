//! Messages to citizens and staff (SMS and email). A message is written to the outbox in
//! the same transaction as the change it reports (`outbox::queue`), so a change never
//! commits without its message nor a message without its change; a worker then delivers
//! it (`delivery`) through the provider the configuration names, in the language the
//! recipient chose (`texts`).

#[cfg(feature = "ssr")]
pub mod africas_talking;
pub mod notifications;
#[cfg(feature = "ssr")]
pub mod delivery;
#[cfg(feature = "ssr")]
pub mod email;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod texts;
