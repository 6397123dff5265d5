//! A real SMTP server for tests (feature `testing`): Python's `aiosmtpd`, started on a
//! free port of 127.0.0.1 with a handler that writes each message it accepts, decoded,
//! as a line of JSON, and that refuses `refuse-permanent@…` with 550 and
//! `refuse-transient@…` with 451.
//!
//! aiosmtpd is found, in order: `$SENPLAN_TEST_PYTHON` (a Python that has it),
//! `python3` if it has it, `/usr/bin/python3` (Debian's `python3-aiosmtpd`), or a virtual environment
//! under the target directory made once with `python3 -m venv` and
//! `pip install aiosmtpd` (needs `python3-venv` and PyPI). When none works, starting
//! the catcher panics saying why: tests never skip.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::{MailConfig, SmtpSender};

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
pub const NEED_WORDS: &[&str] = &[
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

/// Where the venv is made: `$SENPLAN_TEST_VENV_DIR`, or the system's temporary directory.
fn venv_root() -> PathBuf {
    std::env::var_os("SENPLAN_TEST_VENV_DIR").map_or_else(std::env::temp_dir, PathBuf::from)
}

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
    // Debian's python3-aiosmtpd, when another Python (pyenv, say) comes first on the PATH.
    let debian = PathBuf::from("/usr/bin/python3");
    if has_aiosmtpd(&debian) {
        return Ok(debian);
    }
    let venv = venv_root().join("aiosmtpd-venv");
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
pub struct Catcher {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Catcher {
    /// Starts a catcher writing under `root` (a test's target directory).
    pub fn start(root: &Path) -> Catcher {
        static N: AtomicU32 = AtomicU32::new(0);
        let python = python_with_aiosmtpd();
        let dir = root.join(format!("smtp-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
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

    pub fn config(&self, smtp_url_options: &str) -> MailConfig {
        let url = format!("smtp://127.0.0.1:{}{smtp_url_options}", self.port);
        MailConfig::parse(&url, "Oak SEN <senplan@oak.sch.uk>").unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    pub fn sender(&self) -> SmtpSender {
        SmtpSender::new(&self.config("?tls=none")).unwrap_or_else(|e| panic!("{e}"))
    }

    /// What the server accepted, in order.
    pub fn received(&self) -> Vec<Value> {
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

