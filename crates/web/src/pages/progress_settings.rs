//! The school's progress settings (R03): its attainment scale (levels lowest first,
//! each a code and what it means), the level it expects of each year group, and the
//! numbers of the three rules that flag less than expected progress. Kept by the SENCO
//! or an administrator; the flags change as soon as the settings are saved.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::{AppError, progress};
use senplan_core::Invalid;
use senplan_core::progress::decide::ProgressSettings;
use senplan_core::progress::{Level, ProgressRules, ScaleInput};
use senplan_core::pupil::YearGroup;

use super::fields::{ErrorLink, Errors, Text};
use super::form::{Posted, merge};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/progress/settings", show).post("/schools/{school}/progress/settings", save)
}

/// Year groups a scale can expect a level of, in school order.
const YEARS: [&str; 18] = ["N1", "N2", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "X"];

#[derive(Template)]
#[template(path = "progress_settings.html")]
struct SettingsPage {
    nav: Nav,
    school: i64,
    version: i64,
    saved: bool,
    errors: Vec<ErrorLink>,
    name: Text,
    levels: Text,
    expected: Vec<Text>,
    fell_below_after: Text,
    stuck_below_after: Text,
    score_below: Text,
}

/// The levels as the form shows them: one a line, "CODE: what it means".
fn levels_text(levels: &[Level]) -> String {
    levels.iter().map(|l| format!("{}: {}", l.code, l.label)).collect::<Vec<_>>().join("\n")
}

fn page(viewer: &Viewer, school: i64, version: i64, stored: &ProgressSettings, typed: &Posted, errors: &Errors, saved: bool) -> SettingsPage {
    let get = |field: &str, stored: String| if typed.0.is_empty() { stored } else { typed.get(field).to_owned() };
    let s = &stored.scale;
    SettingsPage {
        nav: Nav::for_viewer(viewer),
        school,
        version,
        saved,
        errors: errors.summary(),
        name: Text::new("name", "The scale's name", get("name", s.name.clone()), errors),
        levels: Text::new("levels", "Its levels, lowest first", get("levels", levels_text(&s.levels)), errors)
            .hint("One level a line: a short code teachers type, a colon, then what it means. For example, EXS: Working at the expected standard")
            .area(5),
        expected: YEARS
            .iter()
            .filter_map(|y| YearGroup::parse(y))
            .map(|y| {
                let field = format!("expected.{}", y.code());
                let stored = s.expected.get(&y).and_then(|i| s.levels.get(*i)).map_or(String::new(), |l| l.code.clone());
                Text::new(&field, y.label(), get(&field, stored), errors).width("govuk-input--width-5")
            })
            .collect(),
        fell_below_after: Text::new(
            "fell_below_after",
            "Fell below expected: in how many of the latest assessments?",
            get("fell_below_after", stored.rules.fell_below_after.to_string()),
            errors,
        )
        .hint("A pupil who was at or above the expected level is flagged when below it in each of this many latest assessments of a subject (1 to 10)")
        .numeric(),
        stuck_below_after: Text::new(
            "stuck_below_after",
            "Below expected and not rising: across how many assessments?",
            get("stuck_below_after", stored.rules.stuck_below_after.to_string()),
            errors,
        )
        .hint("2 to 10")
        .numeric(),
        score_below: Text::new("score_below", "A standardised score below", get("score_below", stored.rules.score_below.to_string()), errors)
            .hint("Flagged when the latest score is below this and not higher than the one before (41 to 160; 85 is one standard deviation below the mean)")
            .numeric(),
    }
}

/// Reads the form into settings, with the errors of what could not be read. Level
/// errors name the line of the levels box they are on.
fn read(form: &Posted, read: &mut Invalid) -> (ProgressSettings, Vec<usize>) {
    let mut levels = Vec::new();
    let mut lines = Vec::new();
    for (n, line) in form.get("levels").lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match line.split_once(':') {
            Some((code, label)) => {
                levels.push(Level { code: code.trim().to_owned(), label: label.trim().to_owned() });
                lines.push(n + 1);
            }
            None => read.push(
                "levels",
                "no_colon",
                format!("Line {}: write the code, a colon, then what it means, for example 'EXS: Working at the expected standard'", n + 1),
            ),
        }
    }
    let mut expected = BTreeMap::new();
    for y in YEARS.iter().filter_map(|y| YearGroup::parse(y)) {
        let field = format!("expected.{}", y.code());
        let code = form.get(&field).trim();
        if code.is_empty() {
            continue;
        }
        match levels.iter().position(|l| l.code.eq_ignore_ascii_case(code)) {
            Some(i) => {
                expected.insert(y, i);
            }
            None => read.push(
                &field,
                "not_on_scale",
                format!(
                    "{}: '{code}' is not one of the scale's codes ({})",
                    y.label(),
                    levels.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ),
        }
    }
    let mut number = |field: &str, what: &str| -> u32 {
        form.get(field).trim().parse::<u32>().unwrap_or_else(|_| {
            read.push(field, "not_a_number", format!("Enter {what} as a whole number"));
            0
        })
    };
    let rules = ProgressRules {
        fell_below_after: number("fell_below_after", "the number of assessments for 'fell below expected'"),
        stuck_below_after: number("stuck_below_after", "the number of assessments for 'not rising'"),
        score_below: u16::try_from(number("score_below", "the score")).unwrap_or(u16::MAX),
    };
    let settings = ProgressSettings { scale: ScaleInput { name: form.get("name").to_owned(), levels, expected }, rules };
    (settings, lines)
}

/// Puts each rule's error on the form's field: the scale's under `scale.`, the rules'
/// under `rules.`, a level's on its line of the levels box.
fn on_fields(mut inv: Invalid, lines: &[usize]) -> Invalid {
    for e in &mut inv.errors {
        let field = e.field.strip_prefix("scale.").or_else(|| e.field.strip_prefix("rules.")).unwrap_or(&e.field).to_owned();
        if let Some(rest) = field.strip_prefix("levels[") {
            let line = rest.split_once(']').and_then(|(i, _)| lines.get(i.parse::<usize>().ok()?));
            if let Some(line) = line {
                e.message = format!("Line {line}: {}", e.message);
            }
            e.field = "levels".into();
        } else if field == "expected" {
            e.field = "expected.1".into();
        } else {
            e.field = field;
        }
    }
    inv
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(d): Query<Done>) -> PageResult {
    let sc = progress::settings_to_edit(&s.store, &viewer.actor, school).await?;
    let stored = progress::settings_of(&sc);
    Ok(render_with(StatusCode::OK, &page(&viewer, school, sc.version, &stored, &Posted::default(), &Errors::default(), d.done.is_some())))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let sc = progress::settings_to_edit(&s.store, &viewer.actor, school).await?;
    let mut typed = Invalid::default();
    let (settings, lines) = read(&form, &mut typed);
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    let r = if typed.is_empty() {
        progress::save_settings(&s.store, &viewer.actor, school, version, settings).await.map(|_| ())
    } else {
        Err(AppError::Invalid(typed.clone()))
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/progress/settings?done=saved")).into_response()),
        Err(AppError::Invalid(i)) => {
            let errors = Errors::new(on_fields(merge(typed, i), &lines));
            let stored = progress::settings_of(&sc);
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, school, sc.version, &stored, &form, &errors, false)))
        }
        Err(e) => Err(e.into()),
    }
}
