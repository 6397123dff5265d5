//! A request for an EHC needs assessment and its evidence pack (R19), for the SENCO:
//! the requests recorded so far, the evidence pack to download, and a form to record
//! a request — who asked, when, that the parents were told, why SEN support is not
//! enough, and the signs of seed 000, each with its evidence.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::ehc::{self, EhcPage};
use senplan_core::Invalid;
use senplan_core::dates::in_words;
use senplan_core::ehc::{EhcRequest, Indicator, IndicatorFact, ParentsToldOfRequest, Requester};
use senplan_core::ids::PupilId;
use senplan_core::informing::Method;

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, merge};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/pupils/{pupil}/ehc-request", show)
        .post("/schools/{school}/pupils/{pupil}/ehc-request", save)
}

/// A request already recorded, in words.
struct Recorded {
    summary: String,
    reasons: String,
    signs: Vec<(String, String, String)>,
}

/// One sign's inputs.
struct Sign {
    label: &'static str,
    evidence: Text,
    since: Option<DateInput>,
    until: Option<DateInput>,
    days: Option<Text>,
}

#[derive(Template)]
#[template(path = "ehc.html")]
struct Page {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    saved: bool,
    asking: Option<String>,
    from_review: String,
    recorded: Vec<Recorded>,
    errors: Vec<ErrorLink>,
    requested_by: Choices,
    requested_on: DateInput,
    told_on: DateInput,
    told_method: Choices,
    told_by: Text,
    reasons: Text,
    signs: Vec<Sign>,
}

fn field(i: Indicator, part: &str) -> String {
    format!("signs.{}.{part}", i.as_str())
}

fn page(viewer: &Viewer, school: i64, p: &EhcPage, typed: &Posted, errors: &Errors, saved: bool) -> Page {
    let today = viewer.actor.today();
    let date = |path: &str, default: Option<chrono::NaiveDate>| if typed.has(&format!("{path}.day")) { typed.date(path) } else { DateParts::from_opt(default) };
    let by = typed.get("requested_by");
    let method = typed.get("parents_told.method");
    Page {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: p.pupil.id.0,
        name: super::pupil::display_name(&p.pupil),
        saved,
        asking: p.review_asking.as_ref().map(|r| {
            format!("The review of cycle {} on {} decided to request an EHC needs assessment. Record the request below.", r.cycle_number, in_words(r.held_on))
        }),
        from_review: p.review_asking.as_ref().map(|r| r.review_id.to_string()).unwrap_or_default(),
        recorded: p
            .requests
            .iter()
            .map(|r| Recorded {
                summary: r.request.in_words(),
                reasons: r.request.reasons.clone(),
                signs: r
                    .request
                    .indicators
                    .iter()
                    .map(|f| (f.indicator.label().to_owned(), f.evidence.clone(), f.period_in_words(today).unwrap_or_default()))
                    .collect(),
            })
            .collect(),
        errors: errors.summary(),
        requested_by: Choices::new(
            "requested_by",
            "Who asked the local authority?",
            Requester::ALL.iter().map(|r| Choice::new(r.as_str(), r.label(), by == r.as_str())).collect(),
            errors,
        )
        .hint("A young person can ask themselves from the age of 16")
        .small(),
        requested_on: DateInput::new("requested_on", "Date of the request", date("requested_on", Some(today)), errors),
        told_on: DateInput::new("parents_told.on", "When the parents were told", date("parents_told.on", None), errors)
            .hint("The school must tell the parents it is asking. Leave blank if the parent or young person asked themselves"),
        told_method: Choices::new(
            "parents_told.method",
            "How they were told",
            Method::ALL.iter().map(|m| Choice::new(m.as_str(), m.label(), method == m.as_str())).collect(),
            errors,
        )
        .small()
        .inline(),
        told_by: Text::new("parents_told.by", "Who told them", typed.get("parents_told.by"), errors),
        reasons: Text::new("reasons", "Why the help the school gives from its own resources is not enough", typed.get("reasons"), errors).area(5),
        signs: Indicator::ALL
            .into_iter()
            .map(|i| {
                let dated = matches!(i, Indicator::PartTimeTimetable | Indicator::Excluded);
                Sign {
                    label: i.label(),
                    evidence: Text::new(&field(i, "evidence"), "Evidence", typed.get(&field(i, "evidence")), errors)
                        .context(format!("for: {}", i.label()))
                        .hint("Leave blank if this is not a sign for this pupil")
                        .area(2),
                    since: dated.then(|| DateInput::new(&field(i, "since"), "Since", date(&field(i, "since"), None), errors)),
                    until: (i == Indicator::PartTimeTimetable)
                        .then(|| DateInput::new(&field(i, "until"), "Until (if it has ended)", date(&field(i, "until"), None), errors)),
                    days: (i == Indicator::Excluded)
                        .then(|| Text::new(&field(i, "days"), "Days excluded", typed.get(&field(i, "days")), errors).width("govuk-input--width-3").numeric()),
                }
            })
            .collect(),
    }
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    let p = ehc::ehc_page(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    Ok(render_with(StatusCode::OK, &page(&viewer, school, &p, &Posted::default(), &Errors::default(), d.done.is_some())))
}

/// Reads the form into a request, with the errors of reading it and which sign each
/// submitted index is (for showing core's errors on the right inputs).
fn read(form: &Posted) -> (Option<EhcRequest>, Invalid, Vec<Indicator>) {
    let mut e = Invalid::default();
    let requested_by = Requester::parse(form.get("requested_by"));
    if requested_by.is_none() {
        e.push("requested_by", "required", "Choose who asked the local authority");
    }
    let requested_on = form.date("requested_on").parse("requested_on", "the date of the request", &mut e);
    let told_on = form.date("parents_told.on").parse_optional("parents_told.on", "the date the parents were told", &mut e);
    let parents_told = told_on.and_then(|on| match Method::parse(form.get("parents_told.method")) {
        Some(method) => Some(ParentsToldOfRequest { on, method, by: form.get("parents_told.by").to_owned() }),
        None => {
            e.push("parents_told.method", "required", "Choose how the parents were told");
            None
        }
    });
    let mut order = Vec::new();
    let mut indicators = Vec::new();
    for i in Indicator::ALL {
        let evidence = form.get(&field(i, "evidence"));
        let since = form.date(&field(i, "since")).parse_optional(&field(i, "since"), "the date it started", &mut e);
        let until = form.date(&field(i, "until")).parse_optional(&field(i, "until"), "the date it ended", &mut e);
        let days_text = form.get(&field(i, "days")).trim();
        let days = if days_text.is_empty() {
            None
        } else {
            days_text.parse::<u32>().ok().or_else(|| {
                e.push(field(i, "days"), "not_a_number", "Days excluded must be a whole number, like 3");
                None
            })
        };
        if evidence.trim().is_empty() && since.is_none() && until.is_none() && days.is_none() {
            continue;
        }
        order.push(i);
        indicators.push(IndicatorFact { indicator: i, evidence: evidence.to_owned(), since, until, days });
    }
    let from_review = form.get("from_review").trim().parse::<i64>().ok();
    let request = match (requested_by, requested_on) {
        (Some(requested_by), Some(requested_on)) => Some(EhcRequest {
            requested_by,
            requested_on,
            reasons: form.get("reasons").to_owned(),
            parents_told,
            indicators,
            from_review,
        }),
        _ => None,
    };
    (request, e, order)
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let p = ehc::ehc_page(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let (request, read_errors, order) = read(&form);
    let r = match request {
        Some(r) if read_errors.is_empty() => ehc::record_request(&s.store, &viewer.actor, school, PupilId(pupil), r).await.map(|_| ()),
        _ => Err(AppError::Invalid(read_errors.clone())),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}/ehc-request?done=saved")).into_response()),
        Err(AppError::Invalid(i)) => {
            let mut errors = Errors::new(merge(read_errors, i))
                .redirect("parents_told.method", "parents_told.method")
                .redirect("parents_told.by", "parents_told.by")
                .redirect("parents_told", "parents_told.on");
            for (n, sign) in order.iter().enumerate() {
                for part in ["evidence", "since", "until", "days"] {
                    errors = errors.redirect(&format!("indicators[{n}].{part}"), &field(*sign, part));
                }
                errors = errors.redirect(&format!("indicators[{n}].indicator"), &field(*sign, "evidence"));
            }
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, school, &p, &form, &errors, false)))
        }
        Err(e) => Err(e.into()),
    }
}
