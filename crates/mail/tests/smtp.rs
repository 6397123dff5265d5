//! Sending through a real SMTP server: Python's `aiosmtpd`, started on a free port of
//! 127.0.0.1 with a handler that writes each message it accepts, decoded, as a line of
//! JSON, and that refuses `refuse-permanent@…` with 550 and `refuse-transient@…` with 451.
//!
//! aiosmtpd is found, in order: `$SENPLAN_TEST_PYTHON` (a Python that has it),
//! `python3` if it has it (e.g. Debian's `python3-aiosmtpd`), or a virtual environment
//! under the target directory made once with `python3 -m venv` and
//! `pip install aiosmtpd` (needs `python3-venv` and PyPI). When none works the tests
//! fail saying why; they never skip.

use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use senplan_mail::testing::{Catcher as Server, NEED_WORDS};
use senplan_mail::{BaseUrl, Composed, MailConfig, MeetingFor, Reminder, SendError, Sender, SmtpSender};
use serde_json::Value;

/// The catcher, writing under this test's target directory.
struct Catcher;

impl Catcher {
    fn start() -> Server {
        Server::start(Path::new(env!("CARGO_TARGET_TMPDIR")))
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
