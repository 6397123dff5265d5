//! The `senplan` binary: `serve`, `demo`, `migrate`, `school`, `user`, `audit` and `reminders`.
//! Configuration comes from flags or environment variables, is validated before
//! anything starts, and a bad value stops the program with a message saying which and
//! why.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use senplan_store::Store;
use senplan_web::{AppState, WebConfig};

use crate::audit::{AuditAction, AuditArgs, Needs};

mod audit;
mod demo_accounts;
mod import;
mod local_offer;
mod reminders;
mod users;

/// How often the server writes the audit checkpoint, when something was appended.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);

#[derive(Parser)]
#[command(name = "senplan", version, about = "SEN support for schools, following the SEND Code of Practice")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and JSON API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        net: NetArgs,
        #[command(flatten)]
        keys: AuditArgs,
        #[command(flatten)]
        mail: reminders::MailArgs,
    },
    /// Create a synthetic demo school (if absent) and serve it.
    Demo {
        /// Database for the demo (a separate file by default).
        #[arg(long, env = "SENPLAN_DEMO_DATABASE", default_value = "sqlite:senplan-demo.db")]
        database: String,
        #[command(flatten)]
        net: NetArgs,
        /// Pupils on the demo school's roll.
        #[arg(long, default_value_t = 400)]
        pupils: u32,
        /// The kind of setting: school (Reception to Year 13), early-years (a nursery)
        /// or further-education (a college). Each has its own demo and accounts.
        #[arg(long, default_value = "school", value_parser = ["school", "early-years", "further-education"])]
        setting: String,
        /// Without a key, the demo makes one beside its database (DATABASE.audit-key).
        #[command(flatten)]
        keys: AuditArgs,
        #[command(flatten)]
        mail: reminders::MailArgs,
    },
    /// Reminders by e-mail: plan today's and send what is due (for a cron job; the
    /// server does this every minute by itself).
    Reminders {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: AuditArgs,
        #[command(flatten)]
        mail: reminders::MailArgs,
        /// The address people use to reach senplan, for the links in e-mails.
        #[arg(long, env = "SENPLAN_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
        #[command(subcommand)]
        action: RemindersAction,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a school (the first step of a new installation, before its first account).
    School {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: AuditArgs,
        #[command(subcommand)]
        action: users::SchoolAction,
    },
    /// Manage accounts: add a person, change a role, issue a password reset link.
    User {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: AuditArgs,
        #[command(subcommand)]
        action: users::UserAction,
    },
    /// The Local Offer directory: import an Open Referral UK feed (R18).
    LocalOffer {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: AuditArgs,
        #[command(subcommand)]
        action: local_offer::LocalOfferAction,
    },
    /// Bring data in: the school's roll from its MIS (R24).
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: AuditArgs,
        #[command(subcommand)]
        what: import::ImportWhat,
    },
    /// Check the audit trail, or make a new audit key.
    Audit {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        keys: AuditArgs,
        #[command(subcommand)]
        action: AuditAction,
    },
}

#[derive(Subcommand)]
enum RemindersAction {
    /// Plan every school's reminders for today, then send what is due, and exit.
    SendDue,
}

#[derive(clap::Args)]
struct DbArgs {
    /// Database URL: sqlite:FILE (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(long, env = "SENPLAN_DATABASE", default_value = "sqlite:senplan.db", global = true)]
    database: String,
}

#[derive(clap::Args)]
struct NetArgs {
    /// Address to listen on.
    #[arg(long, env = "SENPLAN_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Set when a TLS-terminating proxy is in front: cookies become Secure and
    /// responses carry HSTS.
    #[arg(long, env = "SENPLAN_BEHIND_TLS")]
    behind_tls: bool,
    /// The address people use to reach senplan, for links such as password resets.
    #[arg(long, env = "SENPLAN_PUBLIC_URL")]
    public_url: Option<String>,
    /// Address of a reverse proxy in front of senplan (repeat, or separate with commas):
    /// its X-Forwarded-For header is believed, so sign-in limits and the audit trail
    /// see each person's own address rather than the proxy's.
    #[arg(long = "trusted-proxy", env = "SENPLAN_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
}

impl NetArgs {
    fn config(&self) -> WebConfig {
        let public_url = self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind));
        WebConfig {
            behind_tls: self.behind_tls,
            public_url: public_url.trim_end_matches('/').to_owned(),
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("SENPLAN_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    Store(#[from] senplan_store::StoreError),
    /// A use case refused (creating the demo school goes through them).
    #[error(transparent)]
    App(#[from] senplan_app::AppError),
    #[error("could not serve: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
}

/// The key itself, when given in the environment (never as a flag).
fn env_key() -> Option<String> {
    std::env::var(audit::KEY_ENV).ok()
}

/// Opens the store with its audit key and checkpoint directory.
async fn open(database: &str, config: senplan_store::audit::AuditConfig) -> Result<Store, CliError> {
    Ok(Store::open(database).await?.with_audit(config))
}

/// Serves until Ctrl-C or SIGTERM, writing audit checkpoints meanwhile and once at the
/// end, and planning and sending reminders every minute.
async fn serve(store: Store, config: WebConfig, bind: SocketAddr, mail: &reminders::MailArgs) -> Result<(), CliError> {
    let sender = mail.sender()?;
    let base = reminders::base(&config.public_url)?;
    let checkpoints = store.spawn_audit_checkpoints(CHECKPOINT_EVERY);
    let worker = reminders::spawn(store.clone(), sender, base);
    // Fonts, the typst library and the templates, loaded once before the first document.
    tokio::task::spawn_blocking(senplan_docs::warm_up);
    let served = senplan_web::serve(AppState::new(store, config), bind).await;
    worker.abort();
    checkpoints.finish().await;
    Ok(served?)
}

async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve { db, net, keys, mail } => {
            let config = keys.resolve(&db.database, "serve", Needs::KeyAndCheckpoints, env_key())?;
            let store = open(&db.database, config).await?;
            audit::check_at_start(&store).await?;
            serve(store, net.config(), net.bind, &mail).await?;
        }
        Command::Reminders { db, keys, mail, public_url, action: RemindersAction::SendDue } => {
            let sender = mail.sender()?;
            let base = reminders::base(&public_url)?;
            let store = open(&db.database, keys.resolve(&db.database, "reminders", Needs::Key, env_key())?).await?;
            let run = reminders::send_due(&store, sender.as_ref(), &base).await?;
            reminders::print(&run, sender.is_some());
        }
        Command::Migrate { db } => {
            let store = Store::connect(&db.database).await?;
            let applied = store.migrate().await?;
            if applied.is_empty() {
                println!("The database is up to date.");
            } else {
                println!("Applied: {}", applied.join(", "));
            }
        }
        Command::School { db, keys, action } => {
            let store = open(&db.database, keys.resolve(&db.database, "school", Needs::Key, env_key())?).await?;
            users::run_school(&store, action).await?;
            audit::checkpoint_after(&store).await;
        }
        Command::User { db, keys, action } => {
            let store = open(&db.database, keys.resolve(&db.database, "user", Needs::Key, env_key())?).await?;
            users::run_user(&store, action).await?;
            audit::checkpoint_after(&store).await;
        }
        Command::LocalOffer { db, keys, action } => {
            let store = open(&db.database, keys.resolve(&db.database, "local-offer", Needs::Key, env_key())?).await?;
            local_offer::run(&store, action).await?;
            audit::checkpoint_after(&store).await;
        }
        Command::Import { db, keys, what } => {
            let store = open(&db.database, keys.resolve(&db.database, "import", Needs::Key, env_key())?).await?;
            let done = import::run(&store, what).await;
            audit::checkpoint_after(&store).await;
            done?;
        }
        Command::Audit { action: AuditAction::NewKey { path }, .. } => audit::new_key(&path)?,
        Command::Audit { db, keys, action: AuditAction::Verify } => {
            let config = keys.resolve(&db.database, "audit verify", Needs::KeyAndCheckpoints, env_key())?;
            audit::verify(&open(&db.database, config).await?).await?;
        }
        Command::Demo { database, net, pupils, keys, mail, setting } => {
            let setting = senplan_core::school::SettingType::parse(&setting.replace('-', "_")).unwrap_or(senplan_core::school::SettingType::School);
            let (config, note) = keys.resolve_for_demo(&database, env_key())?;
            let store = open(&database, config).await?;
            if let Some(note) = note {
                println!("{note}");
            }
            audit::check_at_start(&store).await?;
            let opts = senplan_synth::Options { pupils, seed: 2026, today: chrono::Utc::now().date_naive() };
            let (school, created) = senplan_synth::demo_setting(&store, &opts, setting, |done, total| {
                if done % 50 == 0 || done == total {
                    println!("Creating synthetic pupils: {done} of {total}");
                }
            })
            .await?;
            if created {
                println!("Created the demo school \"{}\" with {pupils} synthetic pupils in {database}", school.details.name);
            } else {
                println!("Using the demo school already in {database}");
            }
            let config = net.config();
            demo_accounts::print(&store, &school, &config.public_url).await?;
            serve(store, config, net.bind, &mail).await?;
        }
    }
    Ok(())
}
