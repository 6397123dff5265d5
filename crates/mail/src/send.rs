//! Handing a composed e-mail to the SMTP server, and what can go wrong, sorted so a
//! caller knows whether to try again: a 4xx reply or an unreachable server is worth
//! retrying (see [`crate::retry`]), a 5xx reply or a bad address is not.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use senplan_core::Invalid;

use crate::compose::Composed;
use crate::config::{MailConfig, SMTP_URL, Security};

/// How long to wait for the server at each step before calling it unreachable.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why an e-mail was not accepted by the server.
///
/// The server's `message` may quote the recipient's address: log the code, not the
/// message, where personal data must stay out of logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The server answered with a refusal: `permanent` for a 5xx reply (do not try
    /// again), transient for a 4xx one (try again later).
    #[error("the mail server refused the e-mail ({code}, {})", if *.permanent { "permanent" } else { "try again later" })]
    Refused { permanent: bool, code: u16, message: String },
    /// The server could not be reached or the conversation failed before it answered
    /// (connection refused, timeout, TLS or STARTTLS failure).
    #[error("the mail server could not be reached: {reason}")]
    Unreachable { reason: String },
    /// The recipient's address is not an e-mail address.
    #[error("the recipient's address is not an e-mail address")]
    BadAddress,
}

impl SendError {
    /// Whether trying again later might succeed: a 4xx reply or an unreachable server.
    pub fn is_transient(&self) -> bool {
        match self {
            SendError::Refused { permanent, .. } => !permanent,
            SendError::Unreachable { .. } => true,
            SendError::BadAddress => false,
        }
    }
}

/// Something that sends composed e-mails: [`SmtpSender`], or a fake in other crates' tests.
pub trait Sender {
    /// Sends `msg` to `to` (`parent@example.org` or `Name <parent@example.org>`).
    fn send(&self, to: &str, msg: &Composed) -> impl Future<Output = Result<(), SendError>> + Send;
}

/// Sends over SMTP, one connection per e-mail, as configured in [`MailConfig`].
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender").field("from", &self.from).finish_non_exhaustive()
    }
}

impl SmtpSender {
    /// A sender for the configured server. Fails only when TLS cannot be set up for the
    /// host (an `smtp_url` field error).
    pub fn new(config: &MailConfig) -> Result<SmtpSender, Invalid> {
        let tls = |host: &str| {
            TlsParameters::new(host.to_owned()).map_err(|_| {
                Invalid::one(SMTP_URL, "tls_unavailable", "TLS could not be set up for this host name: check the host in the SMTP URL")
            })
        };
        let host = config.host();
        let tls = match config.security() {
            Security::StartTls => Tls::Required(tls(host)?),
            Security::Tls => Tls::Wrapper(tls(host)?),
            Security::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(config.port()).tls(tls).timeout(Some(TIMEOUT));
        if let Some(login) = config.login() {
            builder = builder.credentials(Credentials::new(login.user.clone(), login.password.reveal().to_owned()));
        }
        Ok(SmtpSender { transport: builder.build(), from: config.from().clone() })
    }
}

impl Sender for SmtpSender {
    async fn send(&self, to: &str, msg: &Composed) -> Result<(), SendError> {
        let to = Mailbox::from_str(to.trim()).map_err(|_| SendError::BadAddress)?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(msg.subject())
            .header(ContentType::TEXT_PLAIN)
            .body(msg.text().to_owned())
            .map_err(|_| SendError::BadAddress)?;
        self.transport.send(email).await.map(|_| ()).map_err(|e| from_smtp(&e))
    }
}

fn from_smtp(e: &lettre::transport::smtp::Error) -> SendError {
    match e.status() {
        Some(code) if e.is_permanent() || e.is_transient() => SendError::Refused {
            permanent: e.is_permanent(),
            code: u16::from(code),
            message: std::error::Error::source(e).map(ToString::to_string).unwrap_or_default(),
        },
        _ => SendError::Unreachable { reason: e.to_string() },
    }
}
