//! senplan's e-mail: reminders (a review due, a meeting coming, an agreed action due)
//! and the SENCO's weekly digest (R32), composed in plain English and sent over SMTP.
//!
//! This crate knows no database and no web types. The application decides who gets
//! which reminder and passes a plain [`Reminder`]; this crate turns it into words with
//! a link ([`Reminder::compose`]) and hands it to the school's mail server
//! ([`SmtpSender`]). A reminder type has no field for a need, a diagnosis or health
//! details, so none can reach an inbox; the reader signs in to see them.
//!
//! SMTP is [`lettre`]'s: a maintained, widely used client that does STARTTLS, TLS and
//! AUTH correctly and composes standards-conforming messages (headers encoded, no
//! header injection), async on tokio like the rest of senplan, with rustls so no
//! OpenSSL is needed to build or deploy.
//!
//! Table of contents:
//! - [`config`]: the SMTP URL, the sender's address and senplan's public address,
//!   checked once ([`MailConfig`], [`BaseUrl`]); the password never printed.
//! - [`compose`]: the reminders and their subjects and bodies ([`Reminder`], [`Composed`]).
//! - [`send`]: the [`Sender`] trait, [`SmtpSender`], and [`SendError`] sorted into
//!   permanent refusals, transient refusals, an unreachable server and a bad address.
//! - [`retry`]: how long to wait before trying again, and when to give up.

pub mod compose;
pub mod config;
pub mod retry;
pub mod send;
#[cfg(feature = "testing")]
pub mod testing;

pub use compose::{Composed, DigestLine, MeetingFor, Reminder};
pub use config::{BaseUrl, Login, MailConfig, Password, Security};
pub use retry::{MAX_ATTEMPTS, backoff, gives_up};
pub use send::{SendError, Sender, SmtpSender};
