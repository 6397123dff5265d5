//! Meetings with parents (R14) and telling parents (R08) on one page per pupil: the
//! meetings (latest first) against the three a year, scheduling one (perhaps
//! answering the family's request), recording that the parents were told with the
//! letter ready to print; and one page per meeting to record what happened, cancel
//! it, or tick off an agreed action.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_app::meetings::{self, Answering, MeetingsView};
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::informing::{Method, ParentsTold};
use senplan_core::meeting::{AgreedAction, Held, Kind, Meeting, Outcome, Person, Purpose, Role, Schedule, parse_time};
use senplan_store::meetings::MeetingRecord;
use serde::Deserialize;

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, merge};
use super::{PageResult, long_date, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/pupils/{pupil}/meetings", show)
        .post("/schools/{school}/pupils/{pupil}/meetings", add)
        .post("/schools/{school}/pupils/{pupil}/parents-told", told)
        .get("/schools/{school}/meetings/{meeting}", show_one)
        .post("/schools/{school}/meetings/{meeting}", change)
}

/// One meeting in a list.
pub(crate) struct Line {
    pub href: String,
    pub when: String,
    pub what: String,
    pub state: String,
    pub counts: bool,
}

pub(crate) fn line(school: i64, m: &MeetingRecord, young: bool) -> Line {
    let s = &m.meeting.schedule;
    Line {
        href: format!("/schools/{school}/meetings/{}", m.id),
        when: m.meeting.when_in_words(),
        what: format!("{} ({})", s.purpose.label(), if s.kind == Kind::SenSupport { "SEN support meeting" } else { "parents' evening" }),
        state: state_words(&m.meeting),
        counts: m.meeting.qualifies(young),
    }
}

fn state_words(m: &Meeting) -> String {
    match &m.outcome {
        Outcome::Scheduled => "Scheduled".into(),
        Outcome::Held(h) => format!("Held on {}", long_date(h.held_on)),
        Outcome::Cancelled { on, reason } => format!("Cancelled on {}: {reason}", long_date(*on)),
    }
}

/// The fields naming people at a meeting, with `prefix` (`invited` or `attended`).
struct PeopleFields {
    parent: Text,
    child: Choices,
    staff: Text,
    specialists: Text,
    supporter: Text,
    supporter_role: Text,
}

fn people_fields(prefix: &str, pupil_name: &str, typed: &Posted, errors: &Errors) -> PeopleFields {
    let t = |name: &str, label: &str, hint: &str| Text::new(&format!("{prefix}_{name}"), label, typed.get(&format!("{prefix}_{name}")), errors).hint(hint);
    PeopleFields {
        parent: t("parent", "Parent or carer", "Their name, for example Mrs Okafor. Leave empty if they are not coming"),
        child: Choices::new(
            &format!("{prefix}_child"),
            "The child or young person",
            vec![Choice::new("yes", pupil_name.to_owned(), typed.get(&format!("{prefix}_child")) == "yes")],
            errors,
        )
        .small(),
        staff: t("staff", "Staff", "One person on each line: name, then role. For example: Mr Ahmed, class teacher").area(3),
        specialists: t("specialists", "Specialists", "One on each line: name, then role. For example: Dr Lee, educational psychologist").area(2),
        supporter: t("supporter", "A friend or adviser the family brings (name)", "Optional"),
        supporter_role: t("supporter_role", "Their role", "For example, IASS adviser or family friend"),
    }
}

/// The people named in the fields with `prefix`.
fn people(prefix: &str, pupil_name: &str, form: &Posted) -> Vec<Person> {
    let mut out = Vec::new();
    let parent = form.get(&format!("{prefix}_parent")).trim();
    if !parent.is_empty() {
        out.push(Person { name: parent.to_owned(), role: Role::Parent, detail: String::new() });
    }
    if form.get(&format!("{prefix}_child")) == "yes" {
        out.push(Person { name: pupil_name.to_owned(), role: Role::Child, detail: String::new() });
    }
    for (field, role) in [("staff", Role::Staff), ("specialists", Role::Specialist)] {
        for l in form.get(&format!("{prefix}_{field}")).lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (name, detail) = l.split_once(',').map_or((l, ""), |(n, d)| (n.trim(), d.trim()));
            out.push(Person { name: name.to_owned(), role, detail: detail.to_owned() });
        }
    }
    let supporter = form.get(&format!("{prefix}_supporter")).trim();
    if !supporter.is_empty() {
        out.push(Person { name: supporter.to_owned(), role: Role::Supporter, detail: form.get(&format!("{prefix}_supporter_role")).trim().to_owned() });
    }
    out
}

/// A form pre-filled with the people of a meeting (for recording who attended).
fn people_posted(prefix: &str, people: &[Person]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lines = |role: Role| {
        people.iter().filter(|p| p.role == role).map(|p| if p.detail.is_empty() { p.name.clone() } else { format!("{}, {}", p.name, p.detail) }).collect::<Vec<_>>().join("\n")
    };
    if let Some(p) = people.iter().find(|p| p.role == Role::Parent) {
        out.push((format!("{prefix}_parent"), p.name.clone()));
    }
    if people.iter().any(|p| p.role == Role::Child) {
        out.push((format!("{prefix}_child"), "yes".into()));
    }
    out.push((format!("{prefix}_staff"), lines(Role::Staff)));
    out.push((format!("{prefix}_specialists"), lines(Role::Specialist)));
    if let Some(p) = people.iter().find(|p| p.role == Role::Supporter) {
        out.push((format!("{prefix}_supporter"), p.name.clone()));
        out.push((format!("{prefix}_supporter_role"), p.detail.clone()));
    }
    out
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    banner: Option<&'static str>,
    errors: Vec<ErrorLink>,
    year: Option<String>,
    short: bool,
    told: Option<String>,
    must_tell: bool,
    letter: String,
    meetings: Vec<Line>,
    can_edit: bool,
    requests: Vec<(i64, i64, String)>,
    // The schedule form.
    on: DateInput,
    at: Text,
    minutes: Text,
    kind: Choices,
    purpose: Choices,
    online: Choices,
    place: Text,
    invited: PeopleFields,
    answering: Choices,
    // The parents-told form.
    told_version: i64,
    told_on: DateInput,
    told_method: Choices,
    told_by: Text,
    told_note: Text,
}

fn options<T: Copy + PartialEq>(all: &[T], chosen: &str, code: impl Fn(T) -> &'static str, label: impl Fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|k| Choice::new(code(*k), label(*k), code(*k) == chosen)).collect()
}

fn meetings_page(viewer: &Viewer, school: i64, v: MeetingsView, typed: &Posted, errors: &Errors, banner: Option<&'static str>) -> MeetingsPage {
    let name = v.pupil.details.display_name();
    let young = senplan_core::pupil::consent_giver(v.pupil.details.date_of_birth, viewer.actor.today())
        == senplan_core::pupil::ConsentGiver::YoungPerson;
    let or = |field: &str, default: &str| if typed.has(field) { typed.get(field).to_owned() } else { default.to_owned() };
    let date = |field: &str| if typed.has(&format!("{field}.day")) { typed.date(field) } else { DateParts::default() };
    let today_parts = if typed.has("told_on.day") { typed.date("told_on") } else { DateParts::from_date(viewer.actor.today()) };
    let mut answering: Vec<Choice> = vec![Choice::new("", "No: the school is arranging it", typed.get("answering").is_empty())];
    answering.extend(v.requests.iter().map(|r| {
        let value = format!("{}:{}", r.id, r.version);
        let checked = typed.get("answering") == value;
        Choice::new(value, format!("Yes: the request made on {} by {}", super::text::when(&r.requested_at), r.requested_by), checked)
    }));
    MeetingsPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: v.pupil.id.0,
        banner,
        errors: errors.summary(),
        year: v.year.map(|y| y.in_words()),
        short: v.year.is_some_and(|y| y.short()),
        told: v.told.as_ref().map(|t| t.told.in_words()),
        must_tell: v.must_tell,
        letter: v.letter,
        meetings: v.meetings.iter().map(|m| line(school, m, young)).collect(),
        can_edit: senplan_app::access::menu(&viewer.actor).change_records,
        requests: v.requests.iter().map(|r| (r.id, r.version, r.requested_by.clone())).collect(),
        on: DateInput::new("on", "Date", date("on"), errors).hint("For example, 3 12 2026"),
        at: Text::new("at", "Time", typed.get("at"), errors).hint("For example, 15:30 or 3:30pm").width("govuk-input--width-5"),
        minutes: Text::new("minutes", "How long (minutes)", or("minutes", "30"), errors).width("govuk-input--width-3").numeric(),
        kind: Choices::new("kind", "Kind of meeting", options(&Kind::ALL, &or("kind", "sen_support"), Kind::as_str, Kind::label), errors).small(),
        purpose: Choices::new("purpose", "What it is for", options(&Purpose::ALL, &or("purpose", "planning"), Purpose::as_str, Purpose::label), errors)
            .small(),
        online: Choices::new(
            "online",
            "Where",
            vec![Choice::new("no", "In person", or("online", "no") == "no"), Choice::new("yes", "Online", or("online", "no") == "yes")],
            errors,
        )
        .small()
        .inline(),
        place: Text::new("place", "Room, or how to join online", typed.get("place"), errors).hint("For example, the SENCO's office"),
        invited: people_fields("invited", &name, typed, errors),
        answering: Choices::new("answering", "Does this answer the family's request for a meeting?", answering, errors).small(),
        told_version: v.told.as_ref().map_or(0, |t| t.version),
        told_on: DateInput::new("told_on", "When were they told?", today_parts, errors),
        told_method: Choices::new(
            "told_method",
            "How",
            options(&Method::ALL, &or("told_method", "letter"), Method::as_str, Method::label),
            errors,
        )
        .small(),
        told_by: Text::new("told_by", "Who told them", or("told_by", viewer.actor.name()), errors),
        told_note: Text::new("told_note", "Note (optional)", typed.get("told_note"), errors).area(2),
        name,
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

fn banner(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "scheduled" => Some("The meeting has been scheduled. The family sees it in the portal."),
        "told" => Some("Saved: the parents were told."),
        "held" => Some("The meeting has been recorded."),
        "cancelled" => Some("The meeting has been cancelled."),
        "action" => Some("The action is marked done."),
        _ => None,
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    let v = meetings::meetings(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &meetings_page(&viewer, school, v, &Posted::default(), &Errors::default(), banner(d.done.as_deref()))))
}

/// Reads the schedule form; what cannot be read is a field error.
fn read_schedule(form: &Posted, pupil_name: &str, e: &mut Invalid) -> Schedule {
    let on = form.date("on").parse("on", "the date of the meeting", e);
    let at = parse_time(form.get("at"));
    if at.is_none() {
        e.push("at", "invalid_time", "Enter the time like 15:30 or 3:30pm");
    }
    let minutes = super::form::parse_number(form.get("minutes"), "minutes", "how long the meeting is", e);
    Schedule {
        on: on.unwrap_or_default(),
        at: at.unwrap_or_default(),
        minutes: minutes.unwrap_or(30),
        kind: Kind::parse(form.get("kind")).unwrap_or(Kind::SenSupport),
        purpose: Purpose::parse(form.get("purpose")).unwrap_or(Purpose::Other),
        online: form.get("online") == "yes",
        place: form.get("place").to_owned(),
        invited: people("invited", pupil_name, form),
    }
}

async fn add(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    meetings::may_change(&viewer.actor, school)?;
    let v = meetings::meetings(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let name = v.pupil.details.display_name();
    let mut read = Invalid::default();
    let schedule = read_schedule(&form, &name, &mut read);
    let answering = form.get("answering").split_once(':').and_then(|(r, v)| Some(Answering { request: r.parse().ok()?, version: v.parse().ok()? }));
    let r = if read.is_empty() {
        meetings::schedule(&s.store, &viewer.actor, school, PupilId(pupil), schedule, answering).await
    } else {
        Err(AppError::Invalid(read.clone()))
    };
    match r {
        Ok(m) => Ok(Redirect::to(&format!("/schools/{school}/meetings/{}?done=scheduled", m.id)).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = Errors::new(merge(read, i)).redirect("invited", "invited_parent");
            Ok(render_with(StatusCode::BAD_REQUEST, &meetings_page(&viewer, school, v, &form, &errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn told(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    meetings::may_change(&viewer.actor, school)?;
    meetings::meetings(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let mut read = Invalid::default();
    let on = form.date("told_on").parse("told_on", "the date the parents were told", &mut read);
    let method = Method::parse(form.get("told_method"));
    if method.is_none() {
        read.push("told_method", "required", "Choose how the parents were told");
    }
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    let t = ParentsTold {
        on: on.unwrap_or_default(),
        method: method.unwrap_or(Method::Letter),
        by: form.get("told_by").to_owned(),
        note: form.get("told_note").to_owned(),
    };
    let r = if read.is_empty() {
        meetings::record_parents_told(&s.store, &viewer.actor, school, PupilId(pupil), version, t).await.map(|_| ())
    } else {
        Err(AppError::Invalid(read.clone()))
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}/meetings?done=told")).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = Errors::new(merge(read, i).prefixed("told_", &["on", "by", "note"]));
            let v = meetings::meetings(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
            Ok(render_with(StatusCode::BAD_REQUEST, &meetings_page(&viewer, school, v, &form, &errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Field errors from a rule name the rule's field (`on`); the form's field has a prefix.
trait Prefixed {
    fn prefixed(self, prefix: &str, fields: &[&str]) -> Invalid;
}

impl Prefixed for Invalid {
    fn prefixed(mut self, prefix: &str, fields: &[&str]) -> Invalid {
        for e in &mut self.errors {
            let root = e.field.split(['[', '.']).next().unwrap_or_default().to_owned();
            if fields.contains(&root.as_str()) {
                e.field = format!("{prefix}{}", e.field);
            }
        }
        self
    }
}

/// One agreed action as the meeting page shows it.
struct ActionLine {
    index: usize,
    what: String,
    owner: String,
    due: String,
    done: Option<String>,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    nav: Nav,
    school: i64,
    id: i64,
    version: i64,
    pupil: i64,
    name: String,
    banner: Option<&'static str>,
    errors: Vec<ErrorLink>,
    when: String,
    length: String,
    kind: String,
    purpose: String,
    place: String,
    invited: Vec<String>,
    state: String,
    scheduled: bool,
    held: Option<(Vec<String>, String, String, String)>,
    actions: Vec<ActionLine>,
    can_edit: bool,
    // Recording it as held.
    held_on: DateInput,
    attended: PeopleFields,
    notes: Text,
    parent_views: Text,
    child_views: Text,
    action_rows: Vec<(Text, Text, DateInput)>,
    cancel_reason: Text,
}

fn person_words(p: &Person) -> String {
    let role = match p.role {
        Role::Parent => "parent or carer".to_owned(),
        Role::Child => "the child or young person".to_owned(),
        _ if !p.detail.is_empty() => p.detail.clone(),
        r => r.label().to_lowercase(),
    };
    format!("{} ({role})", p.name)
}

const ACTION_ROWS: usize = 3;

fn meeting_page(viewer: &Viewer, school: i64, m: &MeetingRecord, p: &senplan_core::record::Pupil, typed: &Posted, errors: &Errors, banner: Option<&'static str>) -> MeetingPage {
    let s = &m.meeting.schedule;
    let name = p.details.display_name();
    let today = viewer.actor.today();
    let prefill = if typed.0.is_empty() { Posted(people_posted("attended", &s.invited)) } else { typed.clone() };
    let held_parts = if typed.has("held_on.day") { typed.date("held_on") } else { DateParts::from_date(s.on.min(today)) };
    let actions = m
        .meeting
        .held()
        .map(|h| {
            h.actions
                .iter()
                .enumerate()
                .map(|(index, a): (usize, &AgreedAction)| ActionLine {
                    index,
                    what: a.what.clone(),
                    owner: a.owner.clone(),
                    due: long_date(a.due),
                    done: a.done_on.map(long_date),
                    overdue: a.overdue(today),
                })
                .collect()
        })
        .unwrap_or_default();
    MeetingPage {
        nav: Nav::for_viewer(viewer),
        school,
        id: m.id,
        version: m.version,
        pupil: p.id.0,
        banner,
        errors: errors.summary(),
        when: m.meeting.when_in_words(),
        length: format!("{} minutes", s.minutes),
        kind: if s.kind == Kind::SenSupport { "SEN support meeting".into() } else { "Parents' evening or consultation".into() },
        purpose: s.purpose.label().to_owned(),
        place: if s.online { format!("Online: {}", s.place) } else { s.place.clone() },
        invited: s.invited.iter().map(person_words).collect(),
        state: state_words(&m.meeting),
        scheduled: matches!(m.meeting.outcome, Outcome::Scheduled),
        held: m.meeting.held().map(|h| (h.attended.iter().map(person_words).collect(), h.notes.clone(), h.parent_views.clone(), h.child_views.clone())),
        actions,
        can_edit: senplan_app::access::menu(&viewer.actor).change_records,
        held_on: DateInput::new("held_on", "Date it was held", held_parts, errors),
        attended: people_fields("attended", &name, &prefill, errors),
        notes: Text::new("notes", "Notes: what was discussed and agreed", typed.get("notes"), errors).area(5),
        parent_views: Text::new("parent_views", "The parent's or carer's views", typed.get("parent_views"), errors).area(3),
        child_views: Text::new("child_views", "The child's or young person's views", typed.get("child_views"), errors).area(3),
        action_rows: (0..ACTION_ROWS)
            .map(|i| {
                let what = Text::new(&format!("actions[{i}].what"), "Action agreed", typed.get(&format!("actions[{i}].what")), errors).context(format!("{}", i + 1));
                let owner = Text::new(&format!("actions[{i}].owner"), "Who will do it", typed.get(&format!("actions[{i}].owner")), errors).context(format!("action {}", i + 1));
                let due = DateInput::new(&format!("actions[{i}].due"), format!("Action {}: due by", i + 1), typed.date(&format!("actions[{i}].due")), errors);
                (what, owner, due)
            })
            .collect(),
        cancel_reason: Text::new("reason", "Why it was cancelled", typed.get("reason"), errors),
        name,
    }
}

async fn show_one(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    let (m, p) = meetings::meeting(&s.store, &viewer.actor, school, id).await?;
    Ok(render_with(StatusCode::OK, &meeting_page(&viewer, school, &m, &p, &Posted::default(), &Errors::default(), banner(d.done.as_deref()))))
}

/// Reads the "record what happened" form.
fn read_held(form: &Posted, pupil_name: &str, e: &mut Invalid) -> Held {
    let held_on = form.date("held_on").parse("held_on", "the date the meeting was held", e);
    let mut actions = Vec::new();
    for i in 0..ACTION_ROWS {
        let what = form.get(&format!("actions[{i}].what"));
        let owner = form.get(&format!("actions[{i}].owner"));
        let parts = form.date(&format!("actions[{i}].due"));
        if what.trim().is_empty() && owner.trim().is_empty() && parts.is_blank() {
            continue;
        }
        let due = parts.parse(&format!("actions[{i}].due"), "the date the action is due", e);
        actions.push(AgreedAction { what: what.to_owned(), owner: owner.to_owned(), due: due.unwrap_or(NaiveDate::MAX), done_on: None });
    }
    Held {
        held_on: held_on.unwrap_or_default(),
        attended: people("attended", pupil_name, form),
        notes: form.get("notes").to_owned(),
        parent_views: form.get("parent_views").to_owned(),
        child_views: form.get("child_views").to_owned(),
        actions,
    }
}

async fn change(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, form: Posted) -> PageResult {
    meetings::may_change(&viewer.actor, school)?;
    let (m, p) = meetings::meeting(&s.store, &viewer.actor, school, id).await?;
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    let today = viewer.actor.today();
    let mut read = Invalid::default();
    let (r, done) = match form.get("do") {
        "held" => {
            let held = read_held(&form, &p.details.display_name(), &mut read);
            let r = if read.is_empty() {
                meetings::conclude_meeting(&s.store, &viewer.actor, school, id, version, Outcome::Held(held)).await
            } else {
                Err(AppError::Invalid(read.clone()))
            };
            (r, "held")
        }
        "cancel" => {
            let outcome = Outcome::Cancelled { on: today, reason: form.get("reason").to_owned() };
            (meetings::conclude_meeting(&s.store, &viewer.actor, school, id, version, outcome).await, "cancelled")
        }
        // Marking an action done (an unknown step names no action, and is refused as one).
        _ => {
            let index = form.get("action").parse::<usize>().unwrap_or(usize::MAX);
            (meetings::complete(&s.store, &viewer.actor, school, id, version, index, today).await, "action")
        }
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/meetings/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = Errors::new(merge(read, i)).redirect("attended", "attended_parent").redirect("on", "reason");
            Ok(render_with(StatusCode::BAD_REQUEST, &meeting_page(&viewer, school, &m, &p, &form, &errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}
