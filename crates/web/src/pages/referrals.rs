//! Referrals from a pupil's record (R18, R35): the pupil's referrals and a form to open
//! one to a service in the Local Offer directory; one page per referral to record the
//! family's consent, each dated step, the advice and its recommendations; and one page
//! per recommendation to add it to the pupil's current plan as a strategy, an outcome
//! or provision, keeping the link to the advice.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_app::referrals::{self, Adopt, Advice, PupilReferrals, Recommendation, ReferralView, Step};
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::need::NeedCode;
use senplan_core::plan::{Outcome, Provision};
use senplan_core::pupil::{ConsentGiver, consent_giver};
use senplan_core::referral::{Consent, ReferralKind, Stage};
use senplan_store::referrals::ReferralRecord;
use serde::Deserialize;

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, merge, parse_number};
use super::{PageResult, long_date, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/pupils/{pupil}/referrals", list)
        .post("/schools/{school}/pupils/{pupil}/referrals", open)
        .get("/schools/{school}/referrals/{id}", show)
        .post("/schools/{school}/referrals/{id}", change)
        .get("/schools/{school}/referrals/{id}/recommendations/{index}", adopt_form)
        .post("/schools/{school}/referrals/{id}/recommendations/{index}", adopt)
}

/// A referral in a list: the pupil record, the cycle's assess stage, the dashboard.
pub(crate) struct Line {
    pub href: String,
    pub service: String,
    pub kind: &'static str,
    pub stage: &'static str,
    /// "Sent on 3 March 2027, waiting 5 weeks" while waiting.
    pub when: String,
}

pub(crate) fn line(school: i64, r: &ReferralRecord, today: NaiveDate) -> Line {
    let f = &r.referral;
    let when = match (f.sent_on(), f.weeks_waiting(today)) {
        (Some(sent), Some(w)) => format!("Sent on {}, waiting {w} {}", long_date(sent), if w == 1 { "week" } else { "weeks" }),
        (Some(sent), None) => format!("Sent on {}", long_date(sent)),
        (None, _) => format!("Opened on {}", long_date(f.opened_on)),
    };
    Line { href: format!("/schools/{school}/referrals/{}", r.id), service: f.service_name.clone(), kind: f.kind.label(), stage: f.stage().label(), when }
}

fn kind_choices(chosen: &str, errors: &Errors) -> Choices {
    let all = [ReferralKind::Specialist, ReferralKind::EarlyHelp, ReferralKind::ChildInNeed];
    let code = |k: ReferralKind| match k {
        ReferralKind::Specialist => "specialist",
        ReferralKind::EarlyHelp => "early_help",
        ReferralKind::ChildInNeed => "child_in_need",
    };
    let options = all
        .iter()
        .map(|k| {
            let c = Choice::new(code(*k), k.label(), code(*k) == chosen);
            if k.restricted() { c.hint("Seen only by the SENCO and the headteacher, not by every adult who works with the pupil") } else { c }
        })
        .collect();
    Choices::new("kind", "What kind of referral", options, errors).small()
}

fn parse_kind(s: &str) -> Option<ReferralKind> {
    match s {
        "specialist" => Some(ReferralKind::Specialist),
        "early_help" => Some(ReferralKind::EarlyHelp),
        "child_in_need" => Some(ReferralKind::ChildInNeed),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ListPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    errors: Vec<ErrorLink>,
    referrals: Vec<Line>,
    can_edit: bool,
    has_services: bool,
    kind: Choices,
    service: Choices,
    reason: Text,
}

fn list_page(viewer: &Viewer, school: i64, v: &PupilReferrals, typed: &Posted, errors: &Errors) -> ListPage {
    let today = viewer.actor.today();
    let chosen = typed.get("service");
    let mut services = vec![Choice::new("", "Choose a service", chosen.is_empty())];
    services.extend(v.services.iter().map(|s| {
        let label = if s.service.organisation.is_empty() { s.service.name.clone() } else { format!("{} ({})", s.service.name, s.service.organisation) };
        Choice::new(s.id.to_string(), label, chosen == s.id.to_string())
    }));
    ListPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: v.pupil.id.0,
        name: v.pupil.details.display_name(),
        errors: errors.summary(),
        referrals: v.referrals.iter().map(|r| line(school, r, today)).collect(),
        can_edit: v.can_edit,
        has_services: !v.services.is_empty(),
        kind: kind_choices(if typed.has("kind") { typed.get("kind") } else { "specialist" }, errors),
        service: Choices::new("service", "The service, from the Local Offer directory", services, errors),
        reason: Text::new("reason", "Why refer, in a few sentences", typed.get("reason"), errors).area(4).hint("What the school has noticed and tried, and what you hope the service can help with"),
    }
}

async fn list(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    let v = referrals::pupil_referrals(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &list_page(&viewer, school, &v, &Posted::default(), &Errors::default())))
}

async fn open(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    referrals::may_change(&viewer.actor, school)?;
    let mut read = Invalid::default();
    let kind = parse_kind(form.get("kind"));
    if kind.is_none() {
        read.push("kind", "required", "Choose what kind of referral it is");
    }
    let service = form.get("service").parse::<i64>().ok();
    if service.is_none() {
        read.push("service", "required", "Choose the service from the Local Offer directory");
    }
    let r = match (kind, service) {
        (Some(k), Some(id)) if read.is_empty() => referrals::open_referral(&s.store, &viewer.actor, school, PupilId(pupil), k, id, form.get("reason")).await,
        _ => Err(AppError::Invalid(read.clone())),
    };
    match r {
        Ok(r) => Ok(Redirect::to(&format!("/schools/{school}/referrals/{}?done=opened", r.id)).into_response()),
        Err(AppError::Invalid(i)) => {
            let v = referrals::pupil_referrals(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
            Ok(render_with(StatusCode::BAD_REQUEST, &list_page(&viewer, school, &v, &form, &Errors::new(merge(read, i)))))
        }
        Err(e) => Err(e.into()),
    }
}

/// A recommendation as the referral page lists it.
struct RecommendationLine {
    index: usize,
    words: String,
    /// What it became: "Added to the plan as provision on 3 March 2027 by Ms Rivera".
    uses: Vec<String>,
}

#[derive(Template)]
#[template(path = "referral.html")]
pub(crate) struct ReferralPage {
    nav: Nav,
    school: i64,
    id: i64,
    version: i64,
    pupil: i64,
    name: String,
    banner: Option<&'static str>,
    errors: Vec<ErrorLink>,
    line: Line,
    reason: String,
    restricted: bool,
    consent: Option<String>,
    discussion: String,
    steps: Vec<String>,
    advice: String,
    advice_on: Option<String>,
    recommendations: Vec<RecommendationLine>,
    has_plan: bool,
    can_edit: bool,
    draft: bool,
    /// Who agrees for this pupil today, in words.
    decides: &'static str,
    consent_name: Text,
    consent_on: DateInput,
    consent_discussion: Text,
    next: Option<Choices>,
    step_on: DateInput,
    step_note: Text,
    sent: bool,
    advice_text: Text,
    advice_date: DateInput,
    advice_recommendations: Text,
    reports: Vec<ReportLine>,
    report_error: Option<String>,
}

/// A kept report as the referral page lists it.
struct ReportLine {
    href: String,
    name: String,
    /// "PDF, 240 KB".
    describe: String,
    added: String,
    by: String,
}

fn decides_words(g: ConsentGiver) -> &'static str {
    match g {
        ConsentGiver::Parent => "the parent or carer",
        ConsentGiver::YoungPerson => "the young person (16 or over)",
    }
}

pub(crate) fn referral_page(viewer: &Viewer, school: i64, v: &ReferralView, typed: &Posted, errors: &Errors, banner: Option<&'static str>) -> ReferralPage {
    let today = viewer.actor.today();
    let r = &v.record.referral;
    let date = |field: &str, default: Option<NaiveDate>| {
        if typed.has(&format!("{field}.day")) { typed.date(field) } else { default.map(DateParts::from_date).unwrap_or_default() }
    };
    let next = r.stage().next();
    let next = (!next.is_empty()).then(|| {
        let chosen = typed.get("stage");
        let options = next.iter().map(|s| Choice::new(stage_word(*s), s.label(), stage_word(*s) == chosen)).collect();
        Choices::new("stage", "Where it stands now", options, errors).small()
    });
    let recommendations = r
        .recommendations
        .iter()
        .enumerate()
        .map(|(index, words)| RecommendationLine {
            index,
            words: words.clone(),
            uses: r.uses_of(index).iter().map(|u| format!("Added to the plan as {} on {} by {}", u.into.label(), long_date(u.on), u.by)).collect(),
        })
        .collect();
    ReferralPage {
        nav: Nav::for_viewer(viewer),
        school,
        id: v.record.id,
        version: v.record.version,
        pupil: v.pupil.id.0,
        name: v.pupil.details.display_name(),
        banner,
        errors: errors.summary(),
        line: line(school, &v.record, today),
        reason: r.reason.clone(),
        restricted: r.kind.restricted(),
        consent: r.consent.as_ref().map(|c| format!("Agreed by {} ({}) on {}", c.name, decides_words(c.given_by), long_date(c.on))),
        discussion: r.consent.as_ref().map(|c| c.discussion.clone()).unwrap_or_default(),
        steps: r
            .steps
            .iter()
            .map(|s| {
                let note = if s.note.is_empty() { String::new() } else { format!(": {}", s.note) };
                format!("{}, {} (recorded by {}){note}", s.stage.label(), long_date(s.on), s.by)
            })
            .collect(),
        advice: r.advice.clone(),
        advice_on: r.advice_on.map(long_date),
        recommendations,
        has_plan: v.plan.is_some(),
        can_edit: v.can_edit,
        draft: r.stage() == Stage::Draft,
        decides: decides_words(consent_giver(v.pupil.details.date_of_birth, today)),
        consent_name: Text::new("consent.name", "Their name", typed.get("consent.name"), errors),
        consent_on: DateInput::new("consent.on", "When they agreed", date("consent.on", Some(today)), errors).hint("For example, 12 2 2027"),
        consent_discussion: Text::new("consent.discussion", "What was discussed with them", typed.get("consent.discussion"), errors)
            .area(4)
            .hint("Why the referral, what the service does, what will be shared with it"),
        next,
        step_on: DateInput::new("on", "On what date", date("on", Some(today)), errors).hint("For example, 12 2 2027"),
        step_note: Text::new("note", "Note (needed when the service declined: its reason)", typed.get("note"), errors).area(2),
        sent: r.sent_on().is_some(),
        advice_text: Text::new("advice", "The advice, in a few sentences", if typed.has("advice") { typed.get("advice").to_owned() } else { r.advice.clone() }, errors).area(5),
        advice_date: DateInput::new("advice_on", "The date of the advice or report", date("advice_on", r.advice_on), errors).hint("For example, 3 3 2027"),
        advice_recommendations: Text::new(
            "recommendations",
            "Its recommendations, one on each line",
            if typed.has("recommendations") { typed.get("recommendations").to_owned() } else { r.recommendations.join("\n") },
            errors,
        )
        .area(5),
        reports: r
            .reports
            .iter()
            .map(|f| ReportLine {
                href: format!("/schools/{school}/referrals/{}/reports/{}", v.record.id, f.sha256),
                name: f.file_name.clone(),
                describe: f.describe(),
                added: long_date(f.added_on),
                by: f.added_by.clone(),
            })
            .collect(),
        report_error: errors.on("report"),
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

pub(crate) fn banner(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "opened" => Some("The referral has been opened as a draft. Record the family's consent before it is sent."),
        "consent" => Some("Saved: the family's consent."),
        "step" => Some("Saved: where the referral stands."),
        "advice" => Some("Saved: the advice and its recommendations."),
        "adopted" => Some("The recommendation has been added to the plan, with where it came from."),
        "report" => Some("The report has been kept with the referral."),
        _ => None,
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    let v = referrals::referral_view(&s.store, &viewer.actor, school, id).await?;
    Ok(render_with(StatusCode::OK, &referral_page(&viewer, school, &v, &Posted::default(), &Errors::default(), banner(d.done.as_deref()))))
}

async fn change(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, form: Posted) -> PageResult {
    referrals::may_change(&viewer.actor, school)?;
    let v = referrals::referral_view(&s.store, &viewer.actor, school, id).await?;
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    let mut read = Invalid::default();
    let (r, done) = match form.get("do") {
        "consent" => {
            let on = form.date("consent.on").parse("consent.on", "the date they agreed", &mut read);
            let given_by = consent_giver(v.pupil.details.date_of_birth, on.unwrap_or_else(|| viewer.actor.today()));
            let consent = Consent { given_by, name: form.get("consent.name").to_owned(), on: on.unwrap_or_default(), discussion: form.get("consent.discussion").to_owned() };
            let r = if read.is_empty() { referrals::record_consent(&s.store, &viewer.actor, school, id, version, consent).await } else { Err(AppError::Invalid(read.clone())) };
            (r, "consent")
        }
        "advice" => {
            let on = form.date("advice_on").parse("advice_on", "the date of the advice", &mut read);
            let advice = Advice { text: form.get("advice").to_owned(), on: on.unwrap_or_default(), recommendations: form.get("recommendations").lines().map(str::to_owned).collect() };
            let r = if read.is_empty() { referrals::record_advice(&s.store, &viewer.actor, school, id, version, &advice).await } else { Err(AppError::Invalid(read.clone())) };
            (r, "advice")
        }
        _ => {
            let on = form.date("on").parse("on", "the date", &mut read);
            let to = parse_stage(form.get("stage"));
            if to.is_none() {
                read.push("stage", "required", "Choose where the referral stands now");
            }
            let r = match (to, on) {
                (Some(to), Some(on)) if read.is_empty() => {
                    referrals::move_referral(&s.store, &viewer.actor, school, id, version, &Step { to, on, note: form.get("note").to_owned() }).await
                }
                _ => Err(AppError::Invalid(read.clone())),
            };
            (r, "step")
        }
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/referrals/{id}?done={done}")).into_response()),
        Err(AppError::Invalid(i)) => {
            // The rules' field names shown on this page's fields.
            let i = match done {
                "advice" => renamed(renamed(merge(read, i), "on", "advice_on"), "recommendations", "recommendations"),
                "consent" => renamed(renamed(merge(read, i), "consent", "consent.name"), "consent.given_by", "consent.name"),
                _ => merge(read, i),
            };
            Ok(render_with(StatusCode::BAD_REQUEST, &referral_page(&viewer, school, &v, &form, &Errors::new(i), None)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "referral_adopt.html")]
struct AdoptPage {
    nav: Nav,
    school: i64,
    id: i64,
    index: usize,
    version: i64,
    plan_version: i64,
    name: String,
    service: String,
    words: String,
    source: String,
    errors: Vec<ErrorLink>,
    description: Text,
    measure: Text,
    baseline: Text,
    target: Text,
    target_date: DateInput,
    need: Choices,
    what: Text,
    delivered_by: Text,
    minutes: Text,
    sessions: Text,
    group: Text,
    start: DateInput,
    serves: Choices,
}

fn adopt_page(viewer: &Viewer, school: i64, v: &ReferralView, index: usize, typed: &Posted, errors: &Errors) -> Option<AdoptPage> {
    let r = &v.record.referral;
    let words = r.recommendations.get(index)?.clone();
    let plan = v.plan.as_ref()?;
    let or = |field: &str, default: &str| if typed.has(field) { typed.get(field).to_owned() } else { default.to_owned() };
    let date = |field: &str, default: Option<NaiveDate>| {
        if typed.has(&format!("{field}.day")) { typed.date(field) } else { default.map(DateParts::from_date).unwrap_or_default() }
    };
    let mut needs = vec![Choice::new("", "Not set", typed.get("outcome.need").is_empty())];
    needs.extend(plan.content.needs_addressed.iter().map(|n| Choice::new(n.code(), super::text::need(*n), typed.get("outcome.need") == n.code())));
    let chosen = typed.all("provision.outcomes");
    let serves = plan
        .content
        .outcomes
        .iter()
        .map(|o| Choice::new(o.number.to_string(), format!("Outcome {}: {}", o.number, o.description), chosen.contains(&o.number.to_string())))
        .collect();
    Some(AdoptPage {
        nav: Nav::for_viewer(viewer),
        school,
        id: v.record.id,
        index,
        version: v.record.version,
        plan_version: plan.version,
        name: v.pupil.details.display_name(),
        service: r.service_name.clone(),
        source: r.source_words(),
        errors: errors.summary(),
        description: Text::new("outcome.description", "What the pupil will be able to do", or("outcome.description", &words), errors).area(2),
        measure: Text::new("outcome.measure", "How it is measured", typed.get("outcome.measure"), errors),
        baseline: Text::new("outcome.baseline", "Where the pupil is now", typed.get("outcome.baseline"), errors),
        target: Text::new("outcome.target", "The target", typed.get("outcome.target"), errors),
        target_date: DateInput::new("outcome.target_date", "Target date", date("outcome.target_date", Some(plan.content.review_date)), errors),
        need: Choices::new("outcome.need", "The need it addresses", needs, errors),
        what: Text::new("provision.what", "What help", or("provision.what", &words), errors).area(2),
        delivered_by: Text::new("provision.delivered_by", "Who delivers it", typed.get("provision.delivered_by"), errors).hint("For example, Mrs Green, teaching assistant"),
        minutes: Text::new("provision.minutes_per_session", "Minutes a session", typed.get("provision.minutes_per_session"), errors).width("govuk-input--width-3").numeric(),
        sessions: Text::new("provision.sessions_per_week", "Sessions a week", typed.get("provision.sessions_per_week"), errors).width("govuk-input--width-3").numeric(),
        group: Text::new("provision.group_size", "Pupils in the group (1 for one-to-one)", or("provision.group_size", "1"), errors).width("govuk-input--width-3").numeric(),
        start: DateInput::new("provision.start", "Starts on", date("provision.start", Some(viewer.actor.today())), errors),
        serves: Choices::new("provision.outcomes", "The outcomes it serves", serves, errors).small(),
        words,
    })
}

async fn adopt_form(State(s): State<AppState>, viewer: Viewer, Path((school, id, index)): Path<(i64, i64, usize)>) -> PageResult {
    referrals::may_change(&viewer.actor, school)?;
    let v = referrals::referral_view(&s.store, &viewer.actor, school, id).await?;
    match adopt_page(&viewer, school, &v, index, &Posted::default(), &Errors::default()) {
        Some(page) => Ok(render_with(StatusCode::OK, &page)),
        None if v.plan.is_none() => Err(AppError::Invalid(Invalid::one("plan", "no_plan", "Write the pupil's plan first: a recommendation is added to the current plan")).into()),
        None => Err(AppError::NotFound("recommendation").into()),
    }
}

/// The outcome or provision as typed; what cannot be read is a field error.
fn typed_adopt(form: &Posted, e: &mut Invalid) -> Adopt {
    match form.get("as") {
        "outcome" => Adopt::Outcome(Outcome {
            number: 0,
            description: form.get("outcome.description").to_owned(),
            measure: form.get("outcome.measure").to_owned(),
            baseline: form.get("outcome.baseline").to_owned(),
            target: form.get("outcome.target").to_owned(),
            target_date: form.date("outcome.target_date").parse("outcome.target_date", "the target date", e).unwrap_or_default(),
            need: NeedCode::parse(form.get("outcome.need")),
            carried_from: None,
        }),
        "provision" => {
            let n = |field: &str, what: &str, e: &mut Invalid| parse_number(form.get(field), field, what, e).unwrap_or(1);
            Adopt::Provision(Provision {
                number: 0,
                what: form.get("provision.what").to_owned(),
                delivered_by: form.get("provision.delivered_by").to_owned(),
                minutes_per_session: n("provision.minutes_per_session", "the minutes a session", e),
                sessions_per_week: n("provision.sessions_per_week", "the sessions a week", e),
                group_size: n("provision.group_size", "the group size", e),
                start: form.date("provision.start").parse("provision.start", "the start date", e).unwrap_or_default(),
                end: None,
                outcomes: form.all("provision.outcomes").iter().filter_map(|o| o.parse().ok()).collect(),
                staff_role: None,
                provision_type: None,
                other_cost: None,
            })
        }
        _ => Adopt::Strategy,
    }
}

async fn adopt(State(s): State<AppState>, viewer: Viewer, Path((school, id, index)): Path<(i64, i64, usize)>, form: Posted) -> PageResult {
    referrals::may_change(&viewer.actor, school)?;
    let v = referrals::referral_view(&s.store, &viewer.actor, school, id).await?;
    let mut read = Invalid::default();
    let made = typed_adopt(&form, &mut read);
    let which = Recommendation {
        referral: id,
        version: form.get("version").parse().unwrap_or(-1),
        index,
        plan_version: form.get("plan_version").parse().unwrap_or(-1),
    };
    let r = if read.is_empty() { referrals::adopt_recommendation(&s.store, &viewer.actor, school, which, made).await.map(|_| ()) } else { Err(AppError::Invalid(read.clone())) };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/referrals/{id}?done=adopted")).into_response()),
        Err(AppError::Invalid(i)) => {
            // The plan's rules name the new row (`outcomes[3].measure`): shown on this form's field.
            let mut i = merge(read, i);
            for e in &mut i.errors {
                for (plural, one) in [("outcomes[", "outcome."), ("provision[", "provision.")] {
                    if let Some(rest) = e.field.strip_prefix(plural).and_then(|r| r.split_once("].")).map(|(_, f)| f.to_owned()) {
                        e.field = format!("{one}{rest}");
                    }
                }
            }
            let errors = Errors::new(renamed(renamed(i, "recommendation", "as-strategy"), "plan", "as-strategy"));
            match adopt_page(&viewer, school, &v, index, &form, &errors) {
                Some(page) => Ok(render_with(StatusCode::BAD_REQUEST, &page)),
                None => Err(AppError::NotFound("recommendation").into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// A stage's word in forms (`sent`, `accepted`, …), as the API spells it.
fn stage_word(s: Stage) -> String {
    senplan_store::referrals::stage_word(s)
}

fn parse_stage(word: &str) -> Option<Stage> {
    serde_json::from_value(serde_json::Value::String(word.to_owned())).ok()
}

/// Errors on the rule's field `from` (exactly, or with an index: `from[2]`) shown on
/// the form's field `to`.
fn renamed(mut i: Invalid, from: &str, to: &str) -> Invalid {
    for e in &mut i.errors {
        if e.field == from || e.field.strip_prefix(from).is_some_and(|rest| rest.starts_with('[')) {
            e.field = to.to_owned();
        }
    }
    i
}
