//! The family portal (R04, R20, R21, R33): a parent or a young person reads the
//! current plan in plain language, past reviews and the next review date, adds
//! their views, raises concerns, and asks for a meeting or a copy of the records.
//! Every query runs in the person's own scope: another family's child is not found.

use askama::Template;
use senplan_core::sharing::Part;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use senplan_app::AppError;
use senplan_app::portal;
use senplan_core::ids::PupilId;
use senplan_core::plan::Provision;
use senplan_core::pupil::age_on;
use senplan_core::status::SenStatus;
use senplan_store::portal::RequestKind;
use serde::Deserialize;

use super::nav::Nav;
use super::{long_date, render, render_with};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::PageError;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/portal", home)
        .get("/portal/pupils/{pupil}", pupil_page)
        .post("/portal/pupils/{pupil}/views", give_views)
        .post("/portal/pupils/{pupil}/concerns", raise_concern)
        .post("/portal/pupils/{pupil}/requests", make_request)
        .get("/portal/pupils/{pupil}/meetings/{meeting}/calendar.ics", calendar)
}

#[derive(Template)]
#[template(path = "portal_pupil.html")]
struct PortalPage {
    nav: Nav,
    errors: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
    pupil_id: i64,
    school: String,
    name: String,
    /// How to reach the SENCO, the Local Offer and SENDIASS.
    contacts: senplan_core::school::FamilyContacts,
    /// The page's words: about the child to a parent, or to "you" for a young person.
    words: Words,
    status_sentence: String,
    stage: &'static str,
    next_review: String,
    responsible: String,
    needs: Vec<String>,
    has_plan: bool,
    outcomes: Vec<OutcomeLine>,
    provision: Vec<String>,
    strategies: Vec<String>,
    reviews: Vec<ReviewLines>,
    concerns: Vec<ConcernLine>,
    /// What the family asked for and where each request stands.
    requests: Vec<super::concerns::RequestLine>,
    /// Meetings with the school, latest first.
    meetings: Vec<FamilyMeeting>,
    /// The help given this half term, for each provision (R37).
    help: Vec<HelpLines>,
    /// Referrals to other services (R18).
    referrals: Vec<super::portal_referrals::FamilyReferral>,
    /// For a parent of a college student: the parts the student shares, in words (R26).
    shared_with_you: Option<Vec<&'static str>>,
    /// For a college student: each part (code, label, shared) and the choice's version.
    sharing: Option<(Vec<SharePart>, i64)>,
    views_label: String,
    views_typed: String,
    view_error: bool,
    concern_typed: String,
    concern_error: bool,
}

/// A part of the record a college student may share: (code, label, shared).
type SharePart = (&'static str, &'static str, bool);

/// Words that speak about the child to a parent, or to the young person as "you"
/// on their own account (R21, R33).
struct Words {
    finds_hard: String,
    started: String,
    help: String,
    /// The link to the pupil passport (R30).
    passport: String,
    /// The link to the letter to the school (R04), for a parent; empty for a young person.
    letter: String,
}

impl Words {
    fn new(you: bool, first_name: &str) -> Self {
        if you {
            Words {
                finds_hard: "What you find hard".into(),
                started: "Where you started".into(),
                help: "The help you get".into(),
                passport: "All about me: your pupil passport, in your own words".into(),
                letter: String::new(),
            }
        } else {
            Words {
                finds_hard: format!("What {first_name} finds hard"),
                started: format!("Where {first_name} started"),
                help: format!("The help {first_name} gets"),
                passport: format!("All about me: {first_name}'s pupil passport, in {first_name}'s own words, which you can write together"),
                letter: format!("Write to the school about your concerns for {first_name}: a letter that can ask for a meeting and the records"),
            }
        }
    }
}

struct OutcomeLine {
    description: String,
    measure: String,
    baseline: String,
    target: String,
    by: String,
}

struct ReviewLines {
    held_on: String,
    /// The family's copy of the review (PDF, R09).
    copy_href: String,
    lines: Vec<String>,
    decision: &'static str,
}

struct ConcernLine {
    id: i64,
    raised_on: String,
    text: String,
    response: Option<String>,
}

/// "30 minutes, twice a week, in a group of 4, with Mrs Green (teaching assistant)"
pub(crate) fn provision_sentence(p: &Provision) -> String {
    let times = match p.sessions_per_week {
        1 => "once a week".to_owned(),
        2 => "twice a week".to_owned(),
        n => format!("{n} times a week"),
    };
    let group = if p.group_size == 1 { "one to one".to_owned() } else { format!("in a group of {}", p.group_size) };
    format!("{}: {} minutes, {times}, {group}, with {}", p.what, p.minutes_per_session, p.delivered_by)
}

#[derive(Deserialize, Default)]
struct Notice {
    done: Option<String>,
}

async fn home(State(s): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    let pupils = portal::family_pupils(&s.store, &viewer.actor).await?;
    match pupils.first() {
        Some(p) => Ok(Redirect::to(&format!("/portal/pupils/{p}")).into_response()),
        None => Ok(render(&super::auth::MessagePage {
            title: "No records yet".into(),
            body: "Your account is not linked to a pupil yet. Ask the school's SENCO to link it.".into(),
            link: None,
        })),
    }
}

async fn pupil_page(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(pupil): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let notice = match n.done.as_deref() {
        Some("views") => Some("Thank you: your views were sent to the school."),
        Some("concern") => Some("Your concern was sent. The school will answer it in writing."),
        Some("meeting") => Some("Your request for a meeting was sent."),
        Some("records_copy") => Some("Your request for a copy of the records was sent."),
        Some("sharing") => Some("Saved: what your parents see."),
        _ => None,
    };
    let page = build(&s, &viewer, PupilId(pupil), notice).await?;
    Ok(render(&page))
}

async fn build(s: &AppState, viewer: &Viewer, pupil: PupilId, notice: Option<&'static str>) -> Result<PortalPage, ApiError> {
    let view = portal::portal_view(&s.store, &viewer.actor, pupil).await?;
    let (p, needs, plan, current) = (view.pupil, view.needs, view.plan, view.current.as_ref());
    let mut reviews = Vec::new();
    for (r, pl) in view.reviews {
        let lines = r
            .content
            .ratings
            .iter()
            .map(|rt| {
                let what = pl.content.outcome(rt.outcome).map_or_else(|| format!("Outcome {}", rt.outcome), |o| o.description.clone());
                format!("{what}: {}. {}", rt.rating.label(), rt.evidence)
            })
            .collect();
        let copy_href = format!("/portal/pupils/{}/reviews/{}/copy.pdf", pupil.0, r.id);
        reviews.push(ReviewLines { held_on: long_date(r.content.held_on), copy_href, lines, decision: r.content.decision.label() });
    }
    let concerns = view.concerns;
    let first_name = p.details.preferred_name.clone().unwrap_or_else(|| p.details.given_name.clone());
    let young_person = view.own_account || age_on(p.details.date_of_birth, viewer.actor.today()) >= 16;
    let you = view.own_account;
    let status_sentence = match (p.status, you) {
        (SenStatus::K, true) => "You get SEN support at school (recorded as \"K\").".to_owned(),
        (SenStatus::E, true) => "You have an education, health and care (EHC) plan (recorded as \"E\").".to_owned(),
        (_, true) => "You are not on SEN support at the moment.".to_owned(),
        (SenStatus::K, false) => format!("{first_name} gets SEN support at school (recorded as \"K\")."),
        (SenStatus::E, false) => format!("{first_name} has an education, health and care (EHC) plan (recorded as \"E\")."),
        _ => format!("{first_name} is not on SEN support at the moment."),
    };
    Ok(PortalPage {
        nav: Nav::for_viewer(viewer),
        errors: Vec::new(),
        notice,
        pupil_id: pupil.0,
        school: view.school_name.clone(),
        name: p.details.display_name(),
        status_sentence,
        stage: current.map_or("No current plan", |c| c.stage.for_family()),
        next_review: plan.as_ref().map_or_else(|| "Not set yet".to_owned(), |p| long_date(p.content.review_date)),
        responsible: plan.as_ref().map_or_else(|| "Not set yet".to_owned(), |p| p.content.responsible.clone()),
        needs: needs.needs.iter().map(|n| format!("{} ({})", n.code.meaning(), n.area.label().to_lowercase())).collect(),
        has_plan: plan.is_some(),
        outcomes: plan
            .as_ref()
            .map(|p| {
                p.content
                    .outcomes
                    .iter()
                    .map(|o| OutcomeLine {
                        description: o.description.clone(),
                        measure: o.measure.clone(),
                        baseline: o.baseline.clone(),
                        target: o.target.clone(),
                        by: long_date(o.target_date),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        provision: plan.as_ref().map(|p| p.content.provision.iter().map(provision_sentence).collect()).unwrap_or_default(),
        strategies: plan.as_ref().map(|p| p.content.strategies.clone()).unwrap_or_default(),
        reviews,
        concerns: concerns
            .into_iter()
            .map(|c| ConcernLine {
                id: c.id,
                raised_on: long_date(c.raised_on),
                text: c.concern,
                response: c.response.map(|r| format!("{}: {}", long_date(r.on), r.text)),
            })
            .collect(),
        requests: view.requests.iter().map(|r| super::concerns::request_line(r, &view.records_due, viewer.actor.today())).collect(),
        meetings: view.meetings.iter().map(|m| family_meeting(p.id.0, m, view.own_account, viewer.actor.today())).collect(),
        help: view.help.iter().map(help_lines).collect(),
        referrals: view.referrals.iter().map(|r| super::portal_referrals::family_line(p.id.0, r)).collect(),
        shared_with_you: view.limited_to.map(|sh| Part::ALL.into_iter().filter(|x| sh.shares(*x)).map(|x| x.label()).collect()),
        sharing: view.own_choice.map(|(sh, version)| (Part::ALL.into_iter().map(|x| (x.code(), x.label(), sh.shares(x))).collect(), version)),
        views_label: if young_person {
            "Your views before the next review".into()
        } else {
            format!("Your views (and {first_name}'s) before the next review")
        },
        words: Words::new(you, &first_name),
        contacts: view.contacts.clone(),
        views_typed: String::new(),
        view_error: false,
        concern_typed: String::new(),
        concern_error: false,
    })
}

#[derive(Deserialize)]
struct ViewsForm {
    #[serde(default)]
    views: String,
}

#[derive(Deserialize)]
struct ConcernForm {
    #[serde(default)]
    concern: String,
}

#[derive(Deserialize)]
struct RequestForm {
    kind: RequestKind,
}

async fn give_views(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(pupil): Path<i64>,
    Form(f): Form<ViewsForm>,
) -> Result<Response, PageError> {
    match portal::give_views(&s.store, &viewer.actor, PupilId(pupil), &f.views).await {
        Ok(()) => Ok(Redirect::to(&format!("/portal/pupils/{pupil}?done=views")).into_response()),
        Err(AppError::Invalid(_)) => {
            let mut page = build(&s, &viewer, PupilId(pupil), None).await?;
            page.errors.push(("views", "Enter your views"));
            page.view_error = true;
            page.views_typed = f.views;
            Ok(render_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn raise_concern(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(pupil): Path<i64>,
    Form(f): Form<ConcernForm>,
) -> Result<Response, PageError> {
    match portal::raise_concern(&s.store, &viewer.actor, PupilId(pupil), &f.concern).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/pupils/{pupil}?done=concern")).into_response()),
        Err(AppError::Invalid(_)) => {
            let mut page = build(&s, &viewer, PupilId(pupil), None).await?;
            page.errors.push(("concern", "Enter your concern"));
            page.concern_error = true;
            page.concern_typed = f.concern;
            Ok(render_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(e) => Err(e.into()),
    }
}

async fn make_request(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(pupil): Path<i64>,
    Form(f): Form<RequestForm>,
) -> Result<Response, PageError> {
    portal::make_request(&s.store, &viewer.actor, PupilId(pupil), f.kind).await?;
    Ok(Redirect::to(&format!("/portal/pupils/{pupil}?done={}", f.kind.as_str())).into_response())
}

/// A meeting as the family reads it: when, where, what for, who is invited, where it
/// stands, and the actions agreed (no staff notes).
struct FamilyMeeting {
    when: String,
    place: String,
    purpose: &'static str,
    state: String,
    invited: Vec<String>,
    actions: Vec<String>,
    /// The calendar file, for a meeting still to come.
    ics: Option<String>,
}

fn family_meeting(pupil: i64, r: &senplan_store::meetings::MeetingRecord, you: bool, today: chrono::NaiveDate) -> FamilyMeeting {
    use senplan_core::meeting::{Outcome, Role};
    let m = &r.meeting;
    let s = &m.schedule;
    FamilyMeeting {
        when: m.when_in_words(),
        place: if s.online { format!("Online: {}", s.place) } else { s.place.clone() },
        purpose: s.purpose.label(),
        state: match &m.outcome {
            Outcome::Scheduled => "Booked".to_owned(),
            Outcome::Held(h) => format!("Held on {}", long_date(h.held_on)),
            Outcome::Cancelled { reason, .. } => format!("Cancelled: {reason}"),
        },
        invited: s
            .invited
            .iter()
            .map(|p| match p.role {
                Role::Child if you => "You".to_owned(),
                Role::Parent | Role::Child => p.name.clone(),
                _ if p.detail.is_empty() => p.name.clone(),
                _ => format!("{} ({})", p.name, p.detail),
            })
            .collect(),
        actions: m
            .held()
            .map(|h| {
                h.actions
                    .iter()
                    .map(|a| {
                        let done = match a.done_on {
                            Some(d) => format!("done on {}", long_date(d)),
                            None if a.overdue(today) => "overdue: not done yet".to_owned(),
                            None => "not done yet".to_owned(),
                        };
                        format!("{} ({}, by {}): {done}", a.what, a.owner, long_date(a.due))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ics: matches!(m.outcome, Outcome::Scheduled).then(|| format!("/portal/pupils/{pupil}/meetings/{}/calendar.ics", r.id)),
    }
}

/// The meeting as a calendar file (iCalendar, RFC 5545) for the family's phone.
async fn calendar(State(s): State<AppState>, viewer: Viewer, Path((pupil, id)): Path<(i64, i64)>) -> crate::pages::PageResult {
    let (m, school, p) = senplan_app::portal::family_meeting(&s.store, &viewer.actor, PupilId(pupil), id).await?;
    let child = p.details.preferred_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| p.details.given_name.clone());
    let body = super::ics::meeting(m.id, &m.meeting, &school, &child, chrono::Utc::now());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"meeting-{}.ics\"", m.meeting.schedule.on)),
        ],
        body,
    )
        .into_response())
}

/// One provision's help given, for the family: the table and its chart.
struct HelpLines {
    what: String,
    planned: String,
    /// (week of, planned minutes, minutes given, missed sessions and why).
    weeks: Vec<(String, u32, u32, String)>,
    chart: String,
    summary: String,
}

fn help_lines(h: &senplan_core::help_given::HelpGiven) -> HelpLines {
    let planned: u32 = h.weeks.iter().map(|w| w.planned_minutes).sum();
    let given: u32 = h.weeks.iter().map(|w| w.delivered_minutes).sum();
    HelpLines {
        what: h.what.clone(),
        planned: format!("{} minutes a week planned", h.planned_per_week),
        weeks: h
            .weeks
            .iter()
            .map(|w| {
                let missed = match w.sessions_missed {
                    0 => "None".to_owned(),
                    n if w.reasons.is_empty() => format!("{n}"),
                    n => format!("{n}: {}", w.reasons.join("; ")),
                };
                (super::text::long_date(w.monday), w.planned_minutes, w.delivered_minutes, missed)
            })
            .collect(),
        chart: super::chart::weekly_minutes(&format!("help-{}", h.number), &format!("{}: minutes given each week", h.what), &h.weeks),
        summary: format!("This half term so far: {given} of {planned} planned minutes given"),
    }
}
