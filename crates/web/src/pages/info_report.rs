//! The SEN information report (R23): the SENCO's editor (each section the regulations
//! ask for, saved as a draft or published, with every earlier version) and the public
//! page anyone can read at `/information-report/{urn}` without signing in.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::info_report::{self, ReportEditor};
use senplan_core::Invalid;
use senplan_core::info_report::{InfoReportInput, Intent, Section};

use super::fields::{DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/information-report", show)
        .post("/schools/{school}/information-report", save)
        .get("/information-report/{urn}", public)
}

/// An earlier version, for the list under the form.
struct Version {
    version: i64,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "info_report_edit.html")]
struct EditPage {
    nav: Nav,
    school: i64,
    urn: String,
    version: i64,
    errors: Vec<ErrorLink>,
    /// Where the report stands, in words, and whether it needs attention.
    standing: String,
    flagged: bool,
    published: Option<String>,
    sections: Vec<Text>,
    local_offer_url: Text,
    reviewed_on: DateInput,
    saved: Option<&'static str>,
    history: Vec<Version>,
}

/// The form as shown: what was typed (after a refusal) or the report as saved.
fn edit_page(viewer: &Viewer, school: i64, e: &ReportEditor, typed: Option<(&InfoReportInput, DateParts)>, errors: &Errors, saved: Option<&'static str>) -> EditPage {
    let (input, reviewed) = match typed {
        Some((i, d)) => (i.clone(), d),
        None => {
            let i = e.report.input();
            let d = DateParts::from_opt(i.reviewed_on);
            (i, d)
        }
    };
    EditPage {
        nav: Nav::for_viewer(viewer),
        school,
        urn: e.school.details.urn.clone(),
        version: e.version,
        errors: errors.summary(),
        standing: e.standing.describe(),
        flagged: e.standing.needs_action(),
        published: e.published.as_ref().map(|p| format!("Version {} published on {}", p.version, senplan_core::dates::in_words(p.published_on))),
        sections: Section::ALL
            .into_iter()
            .map(|s| {
                let path = format!("sections.{}", s.slug());
                let value = input.sections.get(s.slug()).cloned().unwrap_or_default();
                Text::new(&path, s.heading(), value, errors).hint(s.hint()).area(6).bold()
            })
            .collect(),
        local_offer_url: Text::new("local_offer_url", "The Local Offer's web address", input.local_offer_url.clone(), errors)
            .hint("The page where the local authority publishes its Local Offer, starting https://"),
        reviewed_on: DateInput::new("reviewed_on", "When the report was last reviewed", reviewed, errors).hint("For example, 1 9 2026"),
        saved,
        history: e
            .history
            .iter()
            .map(|h| Version { version: h.version, by: h.changed_by.clone(), at: super::text::when(&h.changed_at) })
            .collect(),
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, axum::extract::Query(q): axum::extract::Query<Done>) -> PageResult {
    let e = info_report::editor(&s.store, &viewer.actor, school).await?;
    let saved = match q.saved.as_deref() {
        Some("draft") => Some("The draft is saved. The public page still shows the version last published."),
        Some("published") => Some("The report is published."),
        _ => None,
    };
    Ok(render_with(StatusCode::OK, &edit_page(&viewer, school, &e, None, &Errors::default(), saved)))
}

#[derive(serde::Deserialize)]
struct Done {
    saved: Option<String>,
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    // The editor is the SENCO's: a refusal comes before anything typed is read.
    let editor = info_report::editor(&s.store, &viewer.actor, school).await?;
    let intent = if form.get("action") == "publish" { Intent::Publish } else { Intent::Draft };
    let mut e = Invalid::default();
    let parts = form.date("reviewed_on");
    let reviewed_on = parts.parse("reviewed_on", "the date the report was last reviewed", &mut e);
    let input = InfoReportInput {
        sections: Section::ALL.iter().map(|s| (s.slug().to_owned(), form.get(&format!("sections.{}", s.slug())).to_owned())).collect(),
        local_offer_url: form.get("local_offer_url").to_owned(),
        reviewed_on,
    };
    let r = match (form.get("version").trim().parse::<i64>(), e.into_result()) {
        (Err(_), _) => Err(AppError::Invalid(Invalid::one("version", "required", "The form is missing the version it was read at: open the report again"))),
        (Ok(_), Err(date)) => Err(AppError::Invalid(date)),
        (Ok(v), Ok(())) => info_report::save(&s.store, &viewer.actor, school, v, &input, intent).await.map(|_| ()),
    };
    match r {
        Ok(()) => {
            let done = if intent == Intent::Publish { "published" } else { "draft" };
            Ok(Redirect::to(&format!("/schools/{school}/information-report?saved={done}")).into_response())
        }
        Err(AppError::Invalid(i)) => {
            let mut i = i;
            // A bad date and the report's own checks are shown together.
            if let Err(more) = input.validate(intent, viewer.actor.today()) {
                for m in more.errors {
                    if !i.errors.iter().any(|x| x.field == m.field) {
                        i.errors.push(m);
                    }
                }
            }
            Ok(render_with(StatusCode::BAD_REQUEST, &edit_page(&viewer, school, &editor, Some((&input, parts)), &Errors::new(i), None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// One published section.
struct Shown {
    id: &'static str,
    heading: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "info_report_public.html")]
struct PublicPage {
    school_name: String,
    version: i64,
    published_on: String,
    reviewed_on: String,
    overdue: bool,
    figures: Vec<(String, String)>,
    sections: Vec<Shown>,
    local_offer_url: String,
}

async fn public(State(s): State<AppState>, Path(urn): Path<String>) -> PageResult {
    let r = info_report::public_report(&s.store, &urn, chrono::Utc::now().date_naive()).await?;
    let p = &r.published;
    Ok(render_with(
        StatusCode::OK,
        &PublicPage {
            school_name: r.school_name.clone(),
            version: p.version,
            published_on: senplan_core::dates::in_words(p.published_on),
            reviewed_on: senplan_core::dates::in_words(p.report.reviewed_on),
            overdue: r.standing.needs_action(),
            figures: r.figures.clone(),
            sections: p.report.sections.iter().map(|x| Shown { id: x.section.slug(), heading: x.section.heading(), text: x.text.clone() }).collect(),
            local_offer_url: p.report.local_offer_url.clone(),
        },
    ))
}
