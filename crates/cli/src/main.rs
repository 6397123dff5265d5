//! The `senplan` binary: `serve`, `demo` and `migrate`. Configuration comes from flags
//! or environment variables, is validated before anything starts, and a bad value
//! stops the program with a message saying which and why.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use senplan_store::Store;
use senplan_web::AppState;

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
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(clap::Args)]
struct DbArgs {
    /// Database URL: sqlite:FILE (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(long, env = "SENPLAN_DATABASE", default_value = "sqlite:senplan.db")]
    database: String,
}

#[derive(clap::Args)]
struct NetArgs {
    /// Address to listen on. senplan has no sign-in yet, so keep it on 127.0.0.1.
    #[arg(long, env = "SENPLAN_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
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
enum CliError {
    #[error(transparent)]
    Store(#[from] senplan_store::StoreError),
    #[error("could not serve: {0}")]
    Io(#[from] std::io::Error),
}

async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Serve { db, net } => {
            let store = Store::open(&db.database).await?;
            senplan_web::serve(AppState { store }, net.bind).await?;
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
        Command::Demo { database, net, pupils } => {
            let store = Store::open(&database).await?;
            let opts = senplan_synth::Options { pupils, seed: 2026, today: chrono::Utc::now().date_naive() };
            let (school, created) = senplan_synth::demo_school(&store, &opts, |done, total| {
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
            senplan_web::serve(AppState { store }, net.bind).await?;
        }
    }
    Ok(())
}
