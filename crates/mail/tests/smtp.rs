//! Sending through a real SMTP server: Python's `aiosmtpd`, started on a free port of
//! 127.0.0.1 with a handler that writes each message it accepts, decoded, as a line of
//! JSON, and that refuses `refuse-permanent@…` with 550 and `refuse-transient@…` with 451.
//!
//! aiosmtpd is found, in order: `$SENPLAN_TEST_PYTHON` (a Python that has it),
//! `python3` if it has it (e.g. Debian's `python3-aiosmtpd`), or a virtual environment
//! under the target directory made once with `python3 -m venv` and
//! `pip install aiosmtpd` (needs `python3-venv` and PyPI). When none works the tests
//! fail saying why; they never skip.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use senplan_mail::{BaseUrl, Composed, MailConfig, MeetingFor, Reminder, SendError, Sender, SmtpSender};
use serde_json::Value;

const HANDLER: &str = r#"
import asyncio, email, json, sys
from email import policy
from aiosmtpd.smtp import SMTP

out_path = sys.argv[1]

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split('@')[0]
        if local == 'refuse-permanent':
            return '550 5.1.1 No such mailbox here'
        if local == 'refuse-transient':
            return '451 4.3.0 Mailbox busy, try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=policy.default)
        body = msg.get_body(preferencelist=('plain',))
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'from': str(msg['From']),
            'to': str(msg['To']),
            'subject': str(msg['Subject']),
            'content_type': msg.get_content_type(),
            'body': body.get_content() if body is not None else None,
        }
        with open(out_path, 'a', encoding='utf-8') as f:
            f.write(json.dumps(record) + '\n')
        return '250 Message accepted for delivery'

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Handler(), hostname='catcher.test'), '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

/// Words about needs or health that no reminder may contain (whole words, any case).
const NEED_WORDS: &[&str] = &[
    "need",
    "needs",
    "sen",
    "send",
    "ehc",
    "ehcp",
    "health",
    "medical",
    "medication",
    "diagnosis",
    "diagnosed",
    "condition",
    "disability",
    "disabled",
    "autism",
    "autistic",
    "adhd",
    "dyslexia",
    "semh",
    "speech",
    "therapy",
    "anxiety",
];

fn python_with_aiosmtpd() -> &'static Path {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PYTHON.get_or_init(find_or_install_aiosmtpd) {
        Ok(p) => p,
        Err(why) => panic!("aiosmtpd, the SMTP server these tests send to, is not available: {why}"),
    }
}

fn has_aiosmtpd(python: &Path) -> bool {
    Command::new(python).args(["-c", "import aiosmtpd"]).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn run(python: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new(python).args(args).output().map_err(|e| format!("could not run {}: {e}", python.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("`{} {}` failed: {}", python.display(), args.join(" "), String::from_utf8_lossy(&out.stderr).trim()))
    }
}

fn find_or_install_aiosmtpd() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("SENPLAN_TEST_PYTHON") {
        let p = PathBuf::from(p);
        return if has_aiosmtpd(&p) { Ok(p) } else { Err(format!("SENPLAN_TEST_PYTHON={} cannot import aiosmtpd", p.display())) };
    }
    let system = PathBuf::from("python3");
    if has_aiosmtpd(&system) {
        return Ok(system);
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("aiosmtpd-venv");
    let venv_python = venv.join("bin").join("python");
    if has_aiosmtpd(&venv_python) {
        return Ok(venv_python);
    }
    // Built beside the final place and moved there once complete, so a test run that
    // is interrupted, or another one running at the same time, never sees half a venv.
    let building = venv.with_extension(format!("building-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&building);
    let hint = "install Debian's python3-aiosmtpd, or python3-venv and network access to PyPI, or set SENPLAN_TEST_PYTHON";
    let building_str = building.to_string_lossy().into_owned();
    run(&system, &["-m", "venv", &building_str]).map_err(|e| format!("{e}; {hint}"))?;
    run(&building.join("bin").join("python"), &["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "aiosmtpd"])
        .map_err(|e| format!("{e}; {hint}"))?;
    if std::fs::rename(&building, &venv).is_err() {
        let _ = std::fs::remove_dir_all(&building);
    }
    if has_aiosmtpd(&venv_python) {
        Ok(venv_python)
    } else {
        Err(format!("{} still cannot import aiosmtpd; {hint}", venv_python.display()))
    }
}

/// A running aiosmtpd, stopped when dropped (also when a test panics).
struct Catcher {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Catcher {
    fn start() -> Catcher {
        static N: AtomicU32 = AtomicU32::new(0);
        let python = python_with_aiosmtpd();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("smtp-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        std::fs::write(dir.join("catcher.py"), HANDLER).unwrap_or_else(|e| panic!("writing the handler: {e}"));
        let stderr = std::fs::File::create(dir.join("stderr.txt")).unwrap_or_else(|e| panic!("creating stderr.txt: {e}"));
        let mut child = Command::new(python)
            .arg(dir.join("catcher.py"))
            .arg(dir.join("received.jsonl"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", python.display()));
        let stdout = child.stdout.take();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            if let Some(out) = stdout {
                let _ = BufReader::new(out).read_line(&mut line);
            }
            let _ = tx.send(line);
        });
        // The guard exists before anything can panic, so the server is always stopped.
        let mut catcher = Catcher { child, port: 0, dir };
        let line = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
        match line.trim().parse::<u16>() {
            Ok(port) => catcher.port = port,
            Err(_) => panic!("aiosmtpd did not start: {}", std::fs::read_to_string(catcher.dir.join("stderr.txt")).unwrap_or_default()),
        }
        catcher
    }

    fn config(&self, smtp_url_options: &str) -> MailConfig {
        let url = format!("smtp://127.0.0.1:{}{smtp_url_options}", self.port);
        MailConfig::parse(&url, "Oak SEN <senplan@oak.sch.uk>").unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    fn sender(&self) -> SmtpSender {
        SmtpSender::new(&self.config("?tls=none")).unwrap_or_else(|e| panic!("{e}"))
    }

    /// What the server accepted, in order.
    fn received(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.dir.join("received.jsonl")).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
    }
}

impl Drop for Catcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn send(sender: &impl Sender, to: &str, msg: &Composed) -> Result<(), SendError> {
    tokio::time::timeout(Duration::from_secs(10), sender.send(to, msg)).await.unwrap_or_else(|_| panic!("sending took over 10 seconds"))
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://senplan.oak.sch.uk").unwrap_or_else(|e| panic!("{e}"))
}

fn review() -> Composed {
    let due_on = NaiveDate::from_ymd_opt(2027, 2, 12).unwrap_or_else(|| panic!("date"));
    Reminder::ReviewDue { pupil_name: "Amira Khan".into(), due_on, link: "/pupils/12/cycles/3".into() }.compose(&base())
}

fn family_meeting() -> Composed {
    Reminder::MeetingDue {
        attendee: MeetingFor::Family { child_first_name: "Amira".into() },
        when_words: "Tuesday 9 February 2027 at 3.30pm".into(),
        place: "the school office".into(),
        link: "/portal/meetings/7".into(),
    }
    .compose(&base())
}

fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    listener.local_addr().unwrap_or_else(|e| panic!("{e}")).port()
}

#[tokio::test]
async fn reminders_arrive_exactly_as_composed_and_without_need_words() {
    let catcher = Catcher::start();
    let sender = catcher.sender();
    let (review, meeting) = (review(), family_meeting());
    assert_eq!(send(&sender, "teacher@oak.sch.uk", &review).await, Ok(()));
    assert_eq!(send(&sender, "Sam Khan <parent@example.org>", &meeting).await, Ok(()));

    let got = catcher.received();
    assert_eq!(got.len(), 2, "{got:?}");
    let expect = [("teacher@oak.sch.uk", "teacher@oak.sch.uk", &review), ("parent@example.org", "Sam Khan <parent@example.org>", &meeting)];
    for (m, (rcpt, to, composed)) in got.iter().zip(expect) {
        assert_eq!(m["mail_from"], "senplan@oak.sch.uk");
        assert_eq!(m["rcpt_tos"], serde_json::json!([rcpt]));
        assert_eq!(m["from"], "Oak SEN <senplan@oak.sch.uk>");
        assert_eq!(m["to"], to);
        assert_eq!(m["content_type"], "text/plain");
        assert_eq!(m["subject"], composed.subject());
        let body = m["body"].as_str().unwrap_or_else(|| panic!("no plain body: {m}")).replace("\r\n", "\n");
        // SMTP's DATA ends the last line with CRLF; the text is otherwise exactly as composed.
        assert_eq!(body, format!("{}\n", composed.text()));
        let words = format!("{} {body}", composed.subject()).to_lowercase();
        for word in words.split(|c: char| !c.is_alphanumeric()) {
            assert!(!NEED_WORDS.contains(&word), "{word:?} in {words}");
        }
    }
    assert_eq!(got[0]["subject"], "A review is due on 12 February 2027");
    assert!(got[0]["body"].as_str().is_some_and(|b| b.starts_with("Amira Khan's review is due on 12 February 2027.")));
    assert!(got[1]["body"].as_str().is_some_and(|b| b.contains("https://senplan.oak.sch.uk/portal/meetings/7") && !b.contains("Khan")));
}

#[tokio::test]
async fn a_5xx_refusal_is_permanent_and_a_4xx_is_transient() {
    let catcher = Catcher::start();
    let sender = catcher.sender();

    let permanent = send(&sender, "refuse-permanent@oak.sch.uk", &review()).await;
    match &permanent {
        Err(SendError::Refused { permanent: true, code: 550, message }) if message.contains("No such mailbox here") => {}
        other => panic!("expected a permanent 550 refusal, got {other:?}"),
    }
    assert!(!permanent.as_ref().is_err_and(SendError::is_transient));

    let transient = send(&sender, "refuse-transient@oak.sch.uk", &review()).await;
    match &transient {
        Err(SendError::Refused { permanent: false, code: 451, message }) if message.contains("try again later") => {}
        other => panic!("expected a transient 451 refusal, got {other:?}"),
    }
    assert!(transient.as_ref().is_err_and(SendError::is_transient));

    assert_eq!(catcher.received(), Vec::<Value>::new(), "a refused e-mail is not delivered");
}

#[tokio::test]
async fn starttls_is_never_skipped_for_a_server_without_it() {
    let catcher = Catcher::start();
    let sender = SmtpSender::new(&catcher.config("?tls=starttls")).unwrap_or_else(|e| panic!("{e}"));
    let result = send(&sender, "teacher@oak.sch.uk", &review()).await;
    assert!(matches!(result, Err(SendError::Unreachable { .. })), "{result:?}");
    assert_eq!(catcher.received(), Vec::<Value>::new(), "nothing is sent unencrypted");
}

#[tokio::test]
async fn a_server_that_is_not_there_is_unreachable_and_worth_retrying() {
    let url = format!("smtp://127.0.0.1:{}?tls=none", closed_port());
    let sender =
        SmtpSender::new(&MailConfig::parse(&url, "senplan@oak.sch.uk").unwrap_or_else(|e| panic!("{e}"))).unwrap_or_else(|e| panic!("{e}"));
    let result = send(&sender, "teacher@oak.sch.uk", &review()).await;
    assert!(matches!(result, Err(SendError::Unreachable { .. })), "{result:?}");
    assert!(result.is_err_and(|e| e.is_transient()));
}

#[tokio::test]
async fn a_bad_address_is_refused_before_connecting() {
    let url = format!("smtp://127.0.0.1:{}?tls=none", closed_port());
    let sender =
        SmtpSender::new(&MailConfig::parse(&url, "senplan@oak.sch.uk").unwrap_or_else(|e| panic!("{e}"))).unwrap_or_else(|e| panic!("{e}"));
    for bad in ["", "not an address", "parent@", "<parent@example.org"] {
        let result = send(&sender, bad, &review()).await;
        assert_eq!(result, Err(SendError::BadAddress), "{bad:?}");
        assert!(!SendError::BadAddress.is_transient());
    }
}
