//! Spotting need early (R03): the SENCO's list of progress flags with a decision for
//! each and the progress CSV import; a teacher's class grid to type a subject's
//! results for a year group on one date.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_app::progress::{self, FlagDecision, FlagLine};
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::progress::decide::Decision;
use senplan_core::progress::{Assessment, RuleKind, Scale, Value};
use senplan_core::pupil::YearGroup;
use serde::Deserialize;

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, merge};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/progress", show)
        .post("/schools/{school}/progress/decisions", decide)
        .post("/schools/{school}/progress/import", import)
        .get("/schools/{school}/progress/record", grid)
        .post("/schools/{school}/progress/record", record)
        .get("/schools/{school}/pupils/{pupil}/raise-concern", concern_form)
        .post("/schools/{school}/pupils/{pupil}/raise-concern", raise_concern)
}

fn rule_code(r: RuleKind) -> &'static str {
    match r {
        RuleKind::FellBelowExpected => "fell_below_expected",
        RuleKind::StuckBelowExpected => "stuck_below_expected",
        RuleKind::LowScore => "low_score",
        RuleKind::TwoYearCheckConcern => "two_year_check_concern",
        RuleKind::TwoYearCheckMissing => "two_year_check_missing",
        RuleKind::Concern => "concern",
    }
}

fn rule_parse(s: &str) -> Option<RuleKind> {
    [RuleKind::FellBelowExpected, RuleKind::StuckBelowExpected, RuleKind::LowScore, RuleKind::TwoYearCheckConcern, RuleKind::TwoYearCheckMissing, RuleKind::Concern]
        .into_iter()
        .find(|r| rule_code(*r) == s)
}

/// One flag with its decision form (fields prefixed `f{index}_`).
struct FlagForm {
    index: usize,
    pupil: i64,
    href: String,
    name: String,
    year: String,
    words: String,
    subject: String,
    rule: &'static str,
    since: String,
    kind: Choices,
    until: DateInput,
    reason: Text,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    nav: Nav,
    school: i64,
    banner: Option<String>,
    errors: Vec<ErrorLink>,
    scale: String,
    rules: String,
    /// The viewer may change the scale and rules.
    can_settings: bool,
    flags: Vec<FlagForm>,
    csv: Text,
}

fn page(viewer: &Viewer, school: i64, s: &senplan_core::record::School, lines: &[FlagLine], typed: &Posted, errors: &Errors, banner: Option<String>) -> ProgressPage {
    let settings = progress::settings_of(s);
    let r = settings.rules;
    ProgressPage {
        nav: Nav::for_viewer(viewer),
        school,
        banner,
        errors: errors.summary(),
        scale: format!("{}: {}", settings.scale.name, settings.scale.levels.iter().map(|l| format!("{} ({})", l.code, l.label)).collect::<Vec<_>>().join(", ")),
        rules: format!(
            "Flagged: below expected in the latest {} assessments after being at or above it; below expected and not rising across {}; a standardised score below {} and not rising.",
            r.fell_below_after, r.stuck_below_after, r.score_below
        ),
        can_settings: senplan_app::access::menu(&viewer.actor).edit_costs,
        flags: lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let p = format!("f{i}_");
                let kind = typed.get(&format!("{p}kind"));
                FlagForm {
                    index: i,
                    pupil: l.pupil.0,
                    href: format!("/schools/{school}/pupils/{}", l.pupil.0),
                    name: l.name.clone(),
                    year: l.year_group.clone(),
                    words: l.flag.words.clone(),
                    subject: l.flag.subject.clone(),
                    rule: rule_code(l.flag.rule),
                    since: l.flag.since.to_string(),
                    kind: Choices::new(
                        &format!("{p}kind"),
                        format!("Decision for {}", l.name),
                        vec![
                            Choice::new("add_to_support", "Add to SEN support (starts an assessment)", kind == "add_to_support"),
                            Choice::new("review_until", "Keep under review until the date below", kind == "review_until"),
                            Choice::new("no_action", "No action (say why below)", kind == "no_action"),
                        ],
                        errors,
                    )
                    .small(),
                    until: DateInput::new(&format!("{p}until"), "Review until", typed.date(&format!("{p}until")), errors),
                    reason: Text::new(&format!("{p}reason"), "Why no action", typed.get(&format!("{p}reason")), errors)
                        .context(format!("for {}", l.name)),
                }
            })
            .collect(),
        csv: Text::new("csv", "The progress file (CSV)", typed.get("csv"), errors)
            .hint("Columns UPN, Subject, Date, Value, with a header line. Choose the file, or paste its contents here.")
            .area(8),
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
    stored: Option<usize>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(d): Query<Done>) -> PageResult {
    let (sc, lines) = progress::progress_flags(&s.store, &viewer.actor, school).await?;
    let banner = match (d.done.as_deref(), d.stored) {
        (Some("decided"), _) => Some("The decision has been saved.".to_owned()),
        (Some("imported"), Some(n)) => Some(format!("{n} results imported.")),
        _ => None,
    };
    Ok(render_with(StatusCode::OK, &page(&viewer, school, &sc, &lines, &Posted::default(), &Errors::default(), banner)))
}

async fn decide(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let (sc, lines) = progress::progress_flags(&s.store, &viewer.actor, school).await?;
    let i: usize = form.get("index").parse().unwrap_or(usize::MAX);
    let p = format!("f{i}_");
    let mut read = Invalid::default();
    let decision = match form.get(&format!("{p}kind")) {
        "add_to_support" => Some(Decision::AddToSupport),
        "review_until" => form.date(&format!("{p}until")).parse(&format!("{p}until"), "the date to look again", &mut read).map(|until| Decision::ReviewUntil { until }),
        "no_action" => Some(Decision::NoAction { reason: form.get(&format!("{p}reason")).to_owned() }),
        _ => {
            read.push(format!("{p}kind"), "required", "Choose a decision");
            None
        }
    };
    let since = NaiveDate::parse_from_str(form.get("since"), "%Y-%m-%d").ok();
    let rule = rule_parse(form.get("rule"));
    let r = match (decision, since, rule, form.get("pupil").parse::<i64>()) {
        (Some(decision), Some(since), Some(rule), Ok(pupil)) if read.is_empty() => {
            let d = FlagDecision { pupil: PupilId(pupil), subject: form.get("subject").to_owned(), rule, since, decision };
            progress::decide(&s.store, &viewer.actor, school, d).await
        }
        _ if read.is_empty() => Err(AppError::Invalid(Invalid::one("flag", "no_such_flag", "This flag could not be read: reload the page"))),
        _ => Err(AppError::Invalid(read.clone())),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/progress?done=decided")).into_response()),
        Err(AppError::Invalid(inv)) => {
            // A rule's error names `until` or `reason`: show it on this flag's field.
            let mut inv = merge(read, inv);
            for e in &mut inv.errors {
                if e.field == "until" || e.field == "reason" {
                    e.field = format!("{p}{}", e.field);
                }
            }
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, school, &sc, &lines, &form, &Errors::new(inv), None)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn import(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    match progress::import_csv(&s.store, &viewer.actor, school, form.get("csv")).await {
        Ok(n) => Ok(Redirect::to(&format!("/schools/{school}/progress?done=imported&stored={n}")).into_response()),
        Err(AppError::Invalid(inv)) => {
            let (sc, lines) = progress::progress_flags(&s.store, &viewer.actor, school).await?;
            let errors = Errors::new(inv).redirect("file", "csv");
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, school, &sc, &lines, &form, &errors, None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// One pupil's row of the class grid.
struct GridRow {
    index: usize,
    pupil: i64,
    value: Text,
}

#[derive(Template)]
#[template(path = "progress_record.html")]
struct GridPage {
    nav: Nav,
    school: i64,
    banner: Option<String>,
    errors: Vec<ErrorLink>,
    years: Vec<Choice>,
    year: String,
    codes: String,
    subject: Text,
    on: DateInput,
    rows: Vec<GridRow>,
}

#[derive(Deserialize)]
struct GridQuery {
    year: Option<String>,
    stored: Option<usize>,
}

const YEARS: [&str; 18] = ["N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "X"];

/// A year group's class for the grid: the year and its pupils.
struct Class<'a> {
    year: &'a str,
    pupils: &'a [(PupilId, String)],
}

fn grid_page(viewer: &Viewer, school: i64, scale: &Scale, class: Class<'_>, typed: &Posted, errors: &Errors, banner: Option<String>) -> GridPage {
    let Class { year, pupils } = class;
    let on = if typed.has("on.day") { typed.date("on") } else { DateParts::from_date(viewer.actor.today()) };
    GridPage {
        nav: Nav::for_viewer(viewer),
        school,
        banner,
        errors: errors.summary(),
        years: YEARS
            .iter()
            .map(|y| Choice::new(*y, YearGroup::parse(y).map_or_else(|| (*y).to_owned(), |g| g.label()), *y == year))
            .collect(),
        year: year.to_owned(),
        codes: scale.codes(),
        subject: Text::new("subject", "Subject", typed.get("subject"), errors).hint("For example, Reading"),
        on: DateInput::new("on", "Date of the assessment", on, errors),
        rows: pupils
            .iter()
            .enumerate()
            .map(|(i, (p, name))| GridRow {
                index: i,
                pupil: p.0,
                value: Text::new(&format!("rows[{i}].value"), name.clone(), typed.get(&format!("rows[{i}].value")), errors).width("govuk-input--width-5"),
            })
            .collect(),
    }
}

async fn grid(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<GridQuery>) -> PageResult {
    let (_, scale) = progress::scale(&s.store, &viewer.actor, school).await?;
    let year = q.year.filter(|y| YEARS.contains(&y.as_str())).unwrap_or_else(|| "1".into());
    let pupils = progress::class(&s.store, &viewer.actor, school, &year).await?;
    let banner = q.stored.map(|n| format!("{n} results saved."));
    Ok(render_with(StatusCode::OK, &grid_page(&viewer, school, &scale, Class { year: &year, pupils: &pupils }, &Posted::default(), &Errors::default(), banner)))
}

/// A value typed in the grid: a level code of the scale or a whole-number score.
fn read_value(text: &str, scale: &Scale) -> Option<Value> {
    let t = text.trim();
    scale.level_index(t).map(Value::Level).or_else(|| t.parse::<u16>().ok().map(Value::Score))
}

async fn record(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let (_, scale) = progress::scale(&s.store, &viewer.actor, school).await?;
    let year = form.get("year").to_owned();
    let pupils = progress::class(&s.store, &viewer.actor, school, &year).await?;
    let mut read = Invalid::default();
    let on = form.date("on").parse("on", "the date of the assessment", &mut read);
    let subject = form.get("subject").trim().to_owned();
    if subject.is_empty() {
        read.push("subject", "required", "Enter the subject, such as Reading");
    }
    let mut rows = Vec::new();
    let mut positions = Vec::new();
    // Each row names its pupil, so a class that changed since the page was shown can
    // never put a result against the wrong child.
    for i in 0..form.rows("rows") {
        let typed = form.get(&format!("rows[{i}].value"));
        if typed.trim().is_empty() {
            continue;
        }
        let pupil = form.get(&format!("rows[{i}].pupil")).parse::<i64>().ok().map(PupilId);
        let Some((p, name)) = pupil.and_then(|p| pupils.iter().find(|(q, _)| *q == p)) else {
            read.push(format!("rows[{i}].value"), "not_in_class", "This pupil is no longer in the class: reload the page");
            continue;
        };
        match read_value(typed, &scale) {
            Some(v) => {
                rows.push((*p, Assessment { subject: subject.clone(), on: on.unwrap_or_default(), value: v }));
                positions.push(i);
            }
            None => read.push(
                format!("rows[{i}].value"),
                "not_on_scale",
                format!("Enter a level ({}) or a standardised score for {name}", scale.codes()),
            ),
        }
    }
    if !read.is_empty() {
        return Ok(render_with(StatusCode::BAD_REQUEST, &grid_page(&viewer, school, &scale, Class { year: &year, pupils: &pupils }, &form, &Errors::new(read), None)));
    }
    match progress::record(&s.store, &viewer.actor, school, rows).await {
        Ok(n) => Ok(Redirect::to(&format!("/schools/{school}/progress/record?year={year}&stored={n}")).into_response()),
        Err(AppError::Invalid(mut inv)) => {
            // The rule names the n-th result sent (`rows[n].value`): name the grid's row.
            for e in &mut inv.errors {
                let grid_row = e.field.strip_prefix("rows[").and_then(|r| r.split_once(']')).and_then(|(n, tail)| {
                    let pos = positions.get(n.parse::<usize>().ok()?)?;
                    Some(if tail == ".on" { "on".to_owned() } else if tail == ".subject" { "subject".to_owned() } else { format!("rows[{pos}]{tail}") })
                });
                if let Some(f) = grid_row {
                    e.field = f;
                }
            }
            Ok(render_with(StatusCode::BAD_REQUEST, &grid_page(&viewer, school, &scale, Class { year: &year, pupils: &pupils }, &form, &Errors::new(inv), None)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "raise_concern.html")]
struct ConcernPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    errors: Vec<ErrorLink>,
    concern: Text,
}

fn concern_page(viewer: &Viewer, school: i64, p: &senplan_core::record::Pupil, typed: &Posted, errors: &Errors) -> ConcernPage {
    let name = super::pupil::display_name(p);
    ConcernPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: p.id.0,
        errors: errors.summary(),
        concern: Text::new("concern", format!("What concerns you about {name}'s progress?"), typed.get("concern"), errors)
            .hint("What you have seen, in which lessons, since when, and what you have tried. The SENCO reads this; the family's portal does not show it.")
            .area(6),
        name,
    }
}

async fn concern_form(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    let p = progress::concern_pupil(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &concern_page(&viewer, school, &p, &Posted::default(), &Errors::default())))
}

async fn raise_concern(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    match progress::raise_concern(&s.store, &viewer.actor, school, PupilId(pupil), form.get("concern")).await {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}?done=raised")).into_response()),
        Err(AppError::Invalid(inv)) => {
            let p = progress::concern_pupil(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
            Ok(render_with(StatusCode::BAD_REQUEST, &concern_page(&viewer, school, &p, &form, &Errors::new(inv))))
        }
        Err(e) => Err(e.into()),
    }
}
