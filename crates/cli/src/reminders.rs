//! Reminders by e-mail (R32) from the command line and the server: the SMTP settings,
//! `senplan reminders send-due` for a cron job, and the background worker inside
//! `senplan serve` and `senplan demo`. Without SMTP settings reminders still go to
//! each person's "due for me" list in the app.

use std::time::Duration;

use senplan_app::reminders::{Run, run_once};
use senplan_mail::{BaseUrl, MailConfig, SmtpSender};
use senplan_store::Store;

use crate::CliError;

/// How often the server plans and sends reminders.
const EVERY: Duration = Duration::from_secs(60);

#[derive(clap::Args, Clone)]
pub(crate) struct MailArgs {
    /// The school's mail server: smtp://USER:PASSWORD@HOST:587 (STARTTLS),
    /// smtps://HOST:465 (TLS) or smtp://127.0.0.1:1025?tls=none (a local catcher).
    /// Without it, reminders go only to each person's list in the app.
    #[arg(long, env = "SENPLAN_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender's address, such as "Oakfield SEN <senplan@oakfield.sch.uk>".
    #[arg(long, env = "SENPLAN_MAIL_FROM", default_value = "senplan <senplan@localhost>")]
    mail_from: String,
}

impl MailArgs {
    /// The sender, when SMTP is set up; a bad setting says which part is wrong.
    pub(crate) fn sender(&self) -> Result<Option<SmtpSender>, CliError> {
        let Some(url) = &self.smtp_url else { return Ok(None) };
        let config = MailConfig::parse(url, &self.mail_from).map_err(|e| CliError::Usage(format!("the mail settings are wrong: {e}")))?;
        Ok(Some(SmtpSender::new(&config).map_err(|e| CliError::Usage(format!("the mail settings are wrong: {e}")))?))
    }
}

/// The address links in e-mails point to.
pub(crate) fn base(public_url: &str) -> Result<BaseUrl, CliError> {
    BaseUrl::parse(public_url).map_err(|e| CliError::Usage(format!("--public-url: {e}")))
}

fn worker_id() -> String {
    format!("senplan-{}", std::process::id())
}

/// One run: plan every school's reminders for today, then send what is due.
pub(crate) async fn send_due(store: &Store, sender: Option<&SmtpSender>, base: &BaseUrl) -> Result<Run, CliError> {
    Ok(run_once(store, sender, base, &worker_id(), chrono::Utc::now().date_naive()).await?)
}

/// Prints what a run did (counts only: no names, no addresses).
pub(crate) fn print(run: &Run, email: bool) {
    println!("Reminders written: {}", run.written);
    if email {
        println!("E-mails sent: {}; to try again: {}; failed: {}", run.sent, run.retrying, run.failed);
    } else {
        println!("E-mail is not set up (--smtp-url): reminders are in each person's list in the app.");
    }
}

/// Plans and sends reminders every minute until the server stops.
pub(crate) fn spawn(store: Store, sender: Option<SmtpSender>, base: BaseUrl) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match send_due(&store, sender.as_ref(), &base).await {
                Ok(run) if run.written + run.sent + run.retrying + run.failed > 0 => {
                    tracing::info!(written = run.written, sent = run.sent, retrying = run.retrying, failed = run.failed, "reminders");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "reminders could not be planned or sent"),
            }
        }
    })
}
