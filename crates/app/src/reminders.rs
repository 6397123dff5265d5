//! Reminders and the weekly digest (R32). The planner writes each reminder due today
//! into the durable outbox once (reviews and meetings to the SENCO and the pupil's
//! staff, meetings to the family, agreed actions and the Monday digest to the SENCO),
//! composed by `senplan_mail` so no health or need detail is in it; the sender claims
//! what is pending and sends it over SMTP, at most once, retrying failures with
//! backoff. Everyone sees their own reminders in the app ("due for me") whether or not
//! e-mail is set up or wanted; administrators see the e-mails that failed.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use senplan_core::access::{Permission, Relationship, Role};
use senplan_core::actor::Actor;
use senplan_core::compliance::findings;
use senplan_core::ids::{PupilId, SchoolId, UserId};
use senplan_core::meeting::Outcome;
use senplan_core::record::User;
use senplan_core::reminders::{Kind, Preferences, action_due, digest_due, meeting_due, review_due};
use senplan_mail::{BaseUrl, DigestLine, MeetingFor, Reminder, SendError, Sender, backoff, gives_up};
use senplan_store::Store;
use senplan_store::outbox::{NewReminder, OutboxRow};

use crate::access::{require, school_for};
use crate::error::Result;

/// What the planner and the sender did, for the log and the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Run {
    /// Reminders written (new ones only).
    pub written: usize,
    pub sent: usize,
    /// Failed this time and will be tried again.
    pub retrying: usize,
    /// Failed for good (refused permanently, or too many attempts).
    pub failed: usize,
}

struct Planner<'a> {
    store: &'a Store,
    school: SchoolId,
    base: &'a BaseUrl,
    email: bool,
    prefs: HashMap<UserId, Preferences>,
    written: usize,
}

impl Planner<'_> {
    async fn add(&mut self, user: UserId, key: String, kind: Kind, due_on: NaiveDate, reminder: Reminder, link: &str) -> Result<()> {
        let prefs = match self.prefs.get(&user) {
            Some(p) => *p,
            None => {
                let p = self.store.reminder_preferences(user).await?;
                self.prefs.insert(user, p);
                p
            }
        };
        let composed = reminder.compose(self.base);
        let r = NewReminder {
            school: self.school,
            user,
            key,
            kind,
            subject: composed.subject().to_owned(),
            body: composed.text().to_owned(),
            reminder: serde_json::to_string(&reminder).map_err(|e| crate::AppError::Store(senplan_store::StoreError::corrupt("reminder", e)))?,
            link: link.to_owned(),
            due_on,
        };
        if self.store.enqueue(&r, self.email && prefs.wants(kind), Utc::now()).await? {
            self.written += 1;
        }
        Ok(())
    }
}

/// Writes the reminders of `school` due on `today` into the outbox (each once); `email`
/// says whether e-mail is set up (otherwise they are kept for the app's list only).
pub async fn plan(store: &Store, school: SchoolId, today: NaiveDate, base: &BaseUrl, email: bool) -> Result<usize> {
    let system = Actor::system(school, "senplan reminders", "reminders", Utc::now());
    let scope = system.scope();
    let users: HashMap<UserId, User> = store.users(school).await?.into_iter().filter(|u| !u.disabled).map(|u| (u.id, u)).collect();
    let sencos: Vec<UserId> = users.values().filter(|u| u.role == Role::Senco).map(|u| u.id).collect();
    let mut p = Planner { store, school, base, email, prefs: HashMap::new(), written: 0 };
    let s = school.0;
    let facts = store.compliance_facts(&scope, today).await?;
    let names: HashMap<PupilId, String> = facts.iter().map(|f| (f.pupil, f.name.clone())).collect();
    // Who is connected to a pupil: staff who teach or support them, and their family.
    let mut people: HashMap<PupilId, (Vec<UserId>, Vec<UserId>)> = HashMap::new();
    let mut connected = async |pupil: PupilId| -> Result<(Vec<UserId>, Vec<UserId>)> {
        if let Some(c) = people.get(&pupil) {
            return Ok(c.clone());
        }
        let mut staff = sencos.clone();
        let mut family = Vec::new();
        for r in store.pupil_relationships(&scope, pupil).await? {
            if r.withdrawn_at.is_some() || !users.contains_key(&r.user_id) {
                continue;
            }
            match r.kind {
                Relationship::Teaches | Relationship::DeliversProvision if !staff.contains(&r.user_id) => staff.push(r.user_id),
                Relationship::ParentOf | Relationship::Is => family.push(r.user_id),
                _ => {}
            }
        }
        people.insert(pupil, (staff.clone(), family.clone()));
        Ok((staff, family))
    };
    for f in &facts {
        let open = f.stage.is_some_and(|st| st != senplan_core::cycle::Stage::Closed);
        let Some(review) = f.plan.as_ref().map(|pl| pl.review_date).filter(|d| open && review_due(*d, today)) else { continue };
        let link = format!("/schools/{s}/pupils/{}", f.pupil.0);
        for user in connected(f.pupil).await?.0 {
            let reminder = Reminder::ReviewDue { pupil_name: f.name.clone(), due_on: review, link: link.clone() };
            p.add(user, format!("review:{}:{review}:{}", f.pupil.0, user.0), Kind::ReviewDue, review, reminder, &link).await?;
        }
    }
    let horizon = today.checked_add_days(Days::new(3)).unwrap_or(today);
    for m in store.meetings_for_reminders(school, today, horizon).await? {
        let name = match names.get(&m.pupil_id) {
            Some(n) => n.clone(),
            None => store.pupil(&scope, m.pupil_id).await?.details.display_name(),
        };
        let meeting_link = format!("/schools/{s}/meetings/{}", m.id);
        let sched = &m.meeting.schedule;
        if matches!(m.meeting.outcome, Outcome::Scheduled) && meeting_due(sched.on, today) {
            let place = if sched.online { "online".to_owned() } else { sched.place.clone() };
            let (staff, family) = connected(m.pupil_id).await?;
            for user in staff {
                let reminder = Reminder::MeetingDue {
                    attendee: MeetingFor::Staff { pupil_name: name.clone() },
                    when_words: m.meeting.when_in_words(),
                    place: place.clone(),
                    link: meeting_link.clone(),
                };
                p.add(user, format!("meeting:{}:{}", m.id, user.0), Kind::MeetingDue, sched.on, reminder, &meeting_link).await?;
            }
            let first = store.pupil(&scope, m.pupil_id).await?;
            let child = first.details.preferred_name.clone().filter(|n| !n.is_empty()).unwrap_or(first.details.given_name.clone());
            let portal = format!("/portal/pupils/{}#meetings", m.pupil_id.0);
            for user in family {
                let reminder = Reminder::MeetingDue {
                    attendee: MeetingFor::Family { child_first_name: child.clone() },
                    when_words: m.meeting.when_in_words(),
                    place: place.clone(),
                    link: portal.clone(),
                };
                p.add(user, format!("meeting:{}:{}", m.id, user.0), Kind::MeetingDue, sched.on, reminder, &portal).await?;
            }
        }
        if let Some(h) = m.meeting.held() {
            for (i, a) in h.actions.iter().enumerate().filter(|(_, a)| action_due(a.due, a.done_on.is_some(), today)) {
                for user in &sencos {
                    let reminder = Reminder::ActionDue { what: a.what.clone(), due_on: a.due, link: meeting_link.clone() };
                    p.add(*user, format!("action:{}:{i}:{}", m.id, user.0), Kind::ActionDue, a.due, reminder, &meeting_link).await?;
                }
            }
        }
    }
    if digest_due(today) && !sencos.is_empty() {
        let alert = store.costing_settings(school).await?.costing.settings.delivery_alert;
        let school_name = store.school(school).await?.details.name;
        let link = format!("/schools/{s}/dashboard");
        let counts: Vec<DigestLine> = findings(&facts, alert, today)
            .into_iter()
            .filter(|f| f.count > 0)
            .map(|f| DigestLine {
                label: f.check.label().to_owned(),
                count: u32::try_from(f.count).unwrap_or(u32::MAX),
                link: format!("/schools/{s}/dashboard/{}", f.check.slug()),
            })
            .collect();
        let week = today.format("%G-W%V");
        for user in &sencos {
            let reminder = Reminder::WeeklyDigest { school: school_name.clone(), counts: counts.clone(), link: link.clone() };
            p.add(*user, format!("digest:{week}:{}", user.0), Kind::WeeklyDigest, today, reminder, &link).await?;
        }
    }
    Ok(p.written)
}

/// Sends what is pending and due at `now`, claimed for `worker` (at most `limit`):
/// sent, or tried again later (a transient failure), or failed for good (refused, or
/// too many attempts). Nothing is sent twice.
pub async fn send_due(store: &Store, sender: &impl Sender, base: &BaseUrl, worker: &str, now: DateTime<Utc>, limit: i64) -> Result<Run> {
    let mut run = Run::default();
    for row in store.claim_due(worker, now, limit).await? {
        let reminder: Reminder = serde_json::from_str(&row.reminder).map_err(|e| crate::AppError::Store(senplan_store::StoreError::corrupt("reminder", e)))?;
        match sender.send(&row.email, &reminder.compose(base)).await {
            Ok(()) => {
                store.mark_sent(row.id, Utc::now()).await?;
                run.sent += 1;
            }
            Err(e) => {
                let attempts = u32::try_from(row.attempts).unwrap_or(u32::MAX).saturating_add(1);
                let retry = e.is_transient() && !gives_up(attempts);
                let at = retry.then(|| now + backoff(attempts));
                store.mark_failed(row.id, &describe(&e), at).await?;
                if retry {
                    run.retrying += 1;
                } else {
                    run.failed += 1;
                }
            }
        }
    }
    Ok(run)
}

/// An error for an administrator to read (no addresses beyond the recipient's own).
fn describe(e: &SendError) -> String {
    match e {
        SendError::Refused { permanent, code, message } => {
            format!("The mail server refused it ({code}, {}): {message}", if *permanent { "permanent" } else { "try again later" })
        }
        SendError::Unreachable { reason } => format!("The mail server could not be reached: {reason}"),
        SendError::BadAddress => "The e-mail address is not a valid address".to_owned(),
    }
}

/// Plans every school's reminders for `today`, then sends what is due (when a sender
/// is given): one run of the background worker or of `senplan reminders send-due`.
pub async fn run_once(store: &Store, sender: Option<&impl Sender>, base: &BaseUrl, worker: &str, today: NaiveDate) -> Result<Run> {
    let mut run = Run::default();
    for school in store.schools().await? {
        run.written += plan(store, school.id, today, base, sender.is_some()).await?;
    }
    if let Some(sender) = sender {
        let sent = send_due(store, sender, base, worker, Utc::now(), 500).await?;
        run = Run { sent: sent.sent, retrying: sent.retrying, failed: sent.failed, ..run };
    }
    Ok(run)
}

/// The reminders of the last 30 days for the signed-in person ("due for me"), for
/// every staff role and families: their own only.
pub async fn due_for_me(store: &Store, actor: &Actor) -> Result<Vec<OutboxRow>> {
    let Some(user) = actor.user() else { return Ok(Vec::new()) };
    Ok(store.reminders_for(user, actor.now() - chrono::Duration::days(30)).await?)
}

/// The person's choice of e-mail reminders.
pub async fn preferences(store: &Store, actor: &Actor) -> Result<Preferences> {
    let Some(user) = actor.user() else { return Err(crate::AppError::NotFound("account")) };
    Ok(store.reminder_preferences(user).await?)
}

/// Saves the person's choice of e-mail reminders.
pub async fn save_preferences(store: &Store, actor: &Actor, p: Preferences) -> Result<()> {
    let Some(user) = actor.user() else { return Err(crate::AppError::NotFound("account")) };
    Ok(store.save_reminder_preferences(user, &p).await?)
}

/// E-mails that failed for good or were left mid-send by a crash (administrators).
pub async fn problems(store: &Store, actor: &Actor, school: i64) -> Result<Vec<OutboxRow>> {
    let id = school_for(actor, school, Permission::Administer)?;
    require(actor, Permission::Administer)?;
    Ok(store.outbox_problems(id, actor.now() - chrono::Duration::minutes(10)).await?)
}
