//! `senplan audit verify` and the audit key on the command line, run as the binary
//! (R20): an intact trail exits 0, a tampered one exits 1 naming the chain, the entry
//! and what happened; `serve` without a key refuses to start. On SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

use std::process::{Command, Output};

use senplan_store::Backend;
use senplan_store::testing::{TestDb, audit_key};

/// Runs the binary against the test database, with its key and checkpoint directory.
fn senplan(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_senplan"));
    cmd.args(args)
        .args(["--database", &db.url, "--audit-checkpoints", db.checkpoints().to_str().unwrap()])
        .env_remove("SENPLAN_AUDIT_KEY_FILE")
        .env("SENPLAN_AUDIT_KEY", audit_key().to_hex())
        .env("SENPLAN_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

async fn verify_names_the_broken_chain(backend: Backend) {
    let db = TestDb::new(backend).await;
    let out = senplan(&db, &["school", "add", "--name", "Synthetic Primary", "--urn", "123456", "--laestab", "9192001"], None);
    assert!(out.status.success(), "{:?}", text(&out));
    let args = [
        "user",
        "add",
        "--school",
        "123456",
        "--email",
        "senco@synthetic.example",
        "--name",
        "Synthetic SENCO",
        "--role",
        "senco",
        "--password-stdin",
    ];
    let out = senplan(&db, &args, Some("synthetic passphrase for tests\n"));
    assert!(out.status.success(), "{:?}", text(&out));

    let out = senplan(&db, &["audit", "verify"], None);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("School 1, Synthetic Primary (URN 123456): intact, 2 entries, checkpoint at entry 2."), "{stdout}");
    assert!(stdout.contains("The audit trail is intact: 2 entries in 1 chain."), "{stdout}");

    // An insider with database access changes who created the account.
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE audit_entries SET actor = 'Someone Else' WHERE chain_id = 1 AND seq = 2").execute(&pool).await.unwrap();
    pool.close().await;
    let out = senplan(&db, &["audit", "verify"], None);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "School 1, Synthetic Primary (URN 123456): BROKEN (altered): entry 2 was altered: its contents do not match its keyed hash."
        ),
        "{stdout}"
    );
    assert_eq!(stderr.trim(), "error: The audit trail is broken in 1 chain(s): school 1 at entry 2 (altered)");
    db.finish().await;
}

#[tokio::test]
async fn r20_audit_verify_names_the_broken_chain_and_exits_1_sqlite() {
    verify_names_the_broken_chain(Backend::Sqlite).await;
}

#[tokio::test]
async fn r20_audit_verify_names_the_broken_chain_and_exits_1_postgres() {
    verify_names_the_broken_chain(Backend::Postgres).await;
}

#[tokio::test]
async fn r20_serve_without_an_audit_key_refuses_to_start() {
    let db = TestDb::new(Backend::Sqlite).await;
    let out = Command::new(env!("CARGO_BIN_EXE_senplan"))
        .args(["serve", "--database", &db.url, "--bind", "127.0.0.1:0"])
        .env_remove("SENPLAN_AUDIT_KEY_FILE")
        .env_remove("SENPLAN_AUDIT_KEY")
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    for named in ["--audit-key-file", "SENPLAN_AUDIT_KEY_FILE", "SENPLAN_AUDIT_KEY", "senplan audit new-key"] {
        assert!(stderr.contains(named), "{named}: {stderr}");
    }
    db.finish().await;
}
