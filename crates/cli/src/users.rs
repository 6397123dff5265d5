//! `senplan school add` and `senplan user …`: a new school and its first
//! administrator, and support for accounts (`senplan audit …` is in `audit.rs`). Passwords
//! are never taken as arguments (they would stay in shell history): new accounts get
//! a one-time link to choose their own, or read one from standard input.

use clap::Subcommand;
use senplan_core::access::Role;
use senplan_core::school::{SchoolInput, SettingType};
use senplan_store::accounts::NewUser;
use senplan_store::{Ctx, Store};

use crate::CliError;

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a person to a school and print a link for them to choose a password.
    Add {
        /// The school's URN.
        #[arg(long)]
        school: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator, senco, teacher, teaching_assistant, headteacher, governor, parent_carer,
        /// young_person, la_officer or external_professional.
        #[arg(long)]
        role: String,
        /// Address people use to reach senplan, for the link.
        #[arg(long, env = "SENPLAN_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
        /// Read the password from standard input instead of printing a link (for provisioning scripts).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change a person's role (their sessions end).
    Role { email: String, role: String },
    /// Print a one-time link for a person to choose a new password.
    Reset {
        email: String,
        #[arg(long, env = "SENPLAN_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
}

#[derive(Subcommand)]
pub enum SchoolAction {
    /// Add a school.
    Add {
        #[arg(long)]
        name: String,
        /// Unique Reference Number: 6 digits.
        #[arg(long)]
        urn: String,
        /// LA number and establishment number: 7 digits.
        #[arg(long)]
        laestab: String,
        /// early_years, school or further_education.
        #[arg(long, default_value = "school")]
        setting: String,
    },
}

pub async fn run_school(store: &Store, action: SchoolAction) -> Result<(), CliError> {
    match action {
        SchoolAction::Add { name, urn, laestab, setting } => {
            let setting = SettingType::parse(&setting).ok_or_else(|| {
                CliError::Usage(format!("unknown setting '{setting}'; expected early_years, school or further_education"))
            })?;
            let details = SchoolInput { name, urn, laestab, setting }.validate().map_err(|e| CliError::Usage(e.to_string()))?;
            let school = store.create_school(&details, &cli_ctx()).await?;
            println!("Added {} (URN {}).", school.details.name, school.details.urn);
        }
    }
    Ok(())
}

fn role(s: &str) -> Result<Role, CliError> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        CliError::Usage(format!("unknown role '{s}'; expected one of {}", all.join(", ")))
    })
}

fn cli_ctx() -> Ctx {
    let mut ctx = Ctx::new("command line", chrono::Utc::now());
    ctx.origin = "command line".into();
    ctx
}

pub async fn run_user(store: &Store, action: UserAction) -> Result<(), CliError> {
    match action {
        UserAction::Add { school, email, name, role: r, public_url, password_stdin } => {
            let school = store.school_by_urn(&school).await?.ok_or_else(|| CliError::Usage(format!("no school with URN {school}")))?;
            if password_stdin {
                let mut password = String::new();
                std::io::stdin().read_line(&mut password)?;
                let password = password.trim_end_matches(['\r', '\n']);
                let user = store.create_user(school.id, &NewUser { email, name, role: role(&r)? }, password, &cli_ctx()).await?;
                println!("Added {} ({}) to {}.", user.email, user.role.label(), school.details.name);
                return Ok(());
            }
            let placeholder = senplan_store::accounts::unusable_password();
            let user = store.create_user(school.id, &NewUser { email, name, role: role(&r)? }, &placeholder, &cli_ctx()).await?;
            let token = store.issue_reset(user.id, &cli_ctx()).await?;
            println!("Added {} ({}) to {}.", user.email, user.role.label(), school.details.name);
            println!("They choose a password here (works once, for 24 hours): {}/reset/{token}", public_url.trim_end_matches('/'));
        }
        UserAction::Role { email, role: r } => {
            let user = store.user_by_email(&email).await?.ok_or_else(|| CliError::Usage(format!("no account for {email}")))?;
            let user = store.set_role(user.id, role(&r)?, &cli_ctx()).await?;
            println!("{} is now {}.", user.email, user.role.label());
        }
        UserAction::Reset { email, public_url } => {
            let user = store.user_by_email(&email).await?.ok_or_else(|| CliError::Usage(format!("no account for {email}")))?;
            let token = store.issue_reset(user.id, &cli_ctx()).await?;
            println!("Reset link for {} (works once, for 24 hours): {}/reset/{token}", user.email, public_url.trim_end_matches('/'));
        }
    }
    Ok(())
}
