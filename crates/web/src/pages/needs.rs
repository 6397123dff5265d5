//! Record or change a pupil's needs (R02): census codes shown with their meanings,
//! ranked 1 = primary, with the broad area where the code does not fix one. The
//! whole list is saved as one new version; a stale version shows the conflict.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::pupils;
use senplan_core::Invalid;
use senplan_core::ids::PupilId;
use senplan_core::need::{BroadArea, NeedCode, NeedInput};
use senplan_core::record::{NeedSet, Pupil};

use super::fields::{Choice, Choices, ErrorLink, Errors, Text};
use super::form::{MAX_ROWS, Posted};
use super::pupil::display_name;
use super::{PageResult, render_with, text};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/pupils/{pupil}/needs", show).post("/schools/{school}/pupils/{pupil}/needs", save)
}

#[derive(Clone, Default)]
struct Row {
    code: String,
    rank: String,
    area: String,
    description: String,
}

struct RowView {
    number: usize,
    code: Choices,
    rank: Text,
    area: Choices,
    description: Text,
}

#[derive(Template)]
#[template(path = "needs.html")]
struct NeedsPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    name: String,
    version: i64,
    errors: Vec<ErrorLink>,
    list_error: Option<String>,
    rows: Vec<RowView>,
    /// Set when someone else saved first: what they saved.
    theirs: Option<Vec<String>>,
}

fn rows_from(set: &NeedSet) -> Vec<Row> {
    set.needs
        .iter()
        .map(|n| Row {
            code: n.code.code().to_owned(),
            rank: n.rank.to_string(),
            area: if n.code.area_is_editable() { n.area.as_str().to_owned() } else { String::new() },
            description: n.description.clone(),
        })
        .collect()
}

fn page(viewer: &Viewer, p: &Pupil, version: i64, rows: &[Row], errors: &Errors, theirs: Option<Vec<String>>) -> NeedsPage {
    let school = viewer.user.school_id.0;
    let views = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let f = |name: &str| format!("needs[{i}].{name}");
            let mut codes = vec![Choice::new("", "Choose a need (or leave blank to remove)", r.code.is_empty())];
            codes.extend(NeedCode::ALL.into_iter().map(|c| Choice::new(c.code(), text::need(c), r.code.eq_ignore_ascii_case(c.code()))));
            let mut areas = vec![Choice::new("", "Set by the type of need", r.area.is_empty())];
            areas.extend(BroadArea::ALL.into_iter().map(|a| Choice::new(a.as_str(), a.label(), r.area == a.as_str())));
            RowView {
                number: i + 1,
                code: Choices::new(&f("code"), "Type of need", codes, errors),
                rank: Text::new(&f("rank"), "Rank", &r.rank, errors)
                    .hint("1 for the primary need, 2 for the secondary need, and so on")
                    .numeric()
                    .bold()
                    .context(format!("(need {})", i + 1)),
                area: Choices::new(&f("area"), "Broad area of need", areas, errors)
                    .hint("Only for OTH and NSA, which do not fix an area, or to change the area of DS"),
                description: Text::new(&f("description"), "What the school has seen (optional)", &r.description, errors)
                    .hint("A diagnosis is not needed")
                    .area(3)
                    .bold()
                    .context(format!("(need {})", i + 1)),
            }
        })
        .collect();
    NeedsPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: p.id.0,
        name: display_name(p),
        version,
        list_error: errors.on("needs"),
        errors: errors.summary(),
        rows: views,
        theirs,
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>) -> PageResult {
    let (p, set) = pupils::pupil_with_needs(&s.store, &viewer.actor, school, PupilId(pupil)).await?;
    let mut rows = rows_from(&set);
    if rows.is_empty() {
        rows.push(Row { rank: "1".into(), ..Row::default() });
    }
    Ok(render_with(StatusCode::OK, &page(&viewer, &p, set.version, &rows, &Errors::default(), None)))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let (actor, pid) = (&viewer.actor, PupilId(pupil));
    let p = pupils::pupil_to_change(&s.store, actor, school, pid).await?;
    let version: i64 = form.get("version").parse().unwrap_or(-1);
    let mut rows: Vec<Row> = (0..form.rows("needs").min(MAX_ROWS))
        .map(|i| {
            let g = |name: &str| form.get(&format!("needs[{i}].{name}")).to_owned();
            Row { code: g("code"), rank: g("rank"), area: g("area"), description: g("description") }
        })
        .collect();
    if form.has("add") {
        let rank = rows.len() + 1;
        rows.push(Row { rank: rank.to_string(), ..Row::default() });
        return Ok(render_with(StatusCode::OK, &page(&viewer, &p, version, &rows, &Errors::default(), None)));
    }
    // Blank rows are removals; remember where each kept row was, to put errors back.
    let kept: Vec<usize> = rows.iter().enumerate().filter(|(_, r)| !r.code.trim().is_empty()).map(|(i, _)| i).collect();
    let mut read = Invalid::default();
    let inputs: Vec<NeedInput> = kept
        .iter()
        .map(|&i| {
            let r = &rows[i];
            let rank = r.rank.trim().parse::<u32>().unwrap_or_else(|_| {
                read.push(format!("needs[{i}].rank"), "not_a_number", "Enter the rank as a whole number, like 1");
                0
            });
            NeedInput { code: r.code.clone(), rank, area: BroadArea::parse(&r.area), description: r.description.clone() }
        })
        .collect();
    let result = if read.is_empty() {
        pupils::set_needs(&s.store, actor, school, pid, version, &inputs).await.map(|_| ())
    } else {
        Err(AppError::Invalid(read))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}?done=needs")).into_response()),
        Err(AppError::Invalid(inv)) => {
            let inv = Invalid {
                errors: inv.errors.into_iter().map(|e| senplan_core::FieldError { field: unshift(&e.field, &kept), ..e }).collect(),
            };
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &p, version, &rows, &Errors::new(inv), None)))
        }
        Err(AppError::Conflict { .. }) => {
            let current = pupils::needs_to_change(&s.store, actor, school, pid).await?;
            let theirs = current.needs.iter().map(|n| format!("{}: {} – {}", n.rank, text::need(n.code), n.area.label())).collect();
            Ok(render_with(StatusCode::CONFLICT, &page(&viewer, &p, current.version, &rows, &Errors::default(), Some(theirs))))
        }
        Err(e) => Err(e.into()),
    }
}

/// `needs[1].code` of the kept rows → the same field of the row as posted.
fn unshift(field: &str, kept: &[usize]) -> String {
    let Some(rest) = field.strip_prefix("needs[") else { return field.to_owned() };
    let Some((index, tail)) = rest.split_once(']') else { return field.to_owned() };
    match index.parse::<usize>().ok().and_then(|i| kept.get(i)) {
        Some(orig) => format!("needs[{orig}]{tail}"),
        None => field.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_point_back_at_the_row_as_posted() {
        assert_eq!(super::unshift("needs[1].area", &[0, 2]), "needs[2].area");
        assert_eq!(super::unshift("needs", &[0, 2]), "needs");
    }
}
