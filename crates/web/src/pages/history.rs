//! History (R20): every version of a plan, review, needs list, cycle or pupil, newest
//! first, with who saved it, when, and what changed from the version before: a
//! field-by-field comparison of the stored records, in words.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use senplan_core::cycle::Stage;
use senplan_core::need::{BroadArea, NeedCode};
use senplan_core::record::HistoryEntry;
use senplan_core::review::{Decision, Rating};
use senplan_core::status::SenStatus;
use senplan_store::history::Entity;
use serde_json::Value;

use super::pupil::display_name;
use super::text::{self, when};
use super::{PageError, PageResult, render_with};
use crate::AppState;
use crate::error::ApiError;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/history/{entity}/{id}", show)
}

pub struct Change {
    pub what: String,
    pub before: String,
    pub after: String,
}

struct VersionView {
    version: i64,
    by: String,
    at: String,
    first: bool,
    changes: Vec<Change>,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    nav: Nav,
    school: i64,
    what: &'static str,
    pupil: Option<(i64, String)>,
    versions: Vec<VersionView>,
}

/// Keys that change on every save or never change: not worth listing.
const SKIP: [&str; 7] = ["version", "updated_at", "updated_by", "id", "cycle_id", "pupil_id", "school_id"];

fn singular(list: &str) -> String {
    let s = match list {
        "outcomes" => "Outcome",
        "provision" => "Provision",
        "ratings" => "Rating",
        "needs" => "Need",
        "strategies" => "Strategy",
        "needs_addressed" => "Need addressed",
        other => return words(other),
    };
    s.to_owned()
}

fn words(key: &str) -> String {
    let w = key.replace('_', " ");
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A stored value in words: codes with their meanings (R33), dates as people write them.
fn scalar(key: &str, v: &Value) -> String {
    if let Value::String(s) = v {
        let meaning = match key {
            "need" | "needs_addressed" | "code" | "primary_need" => NeedCode::parse(s).filter(|_| !s.is_empty()).map(text::need),
            "stage" => Stage::parse(s).map(|x| text::stage(x).to_owned()),
            "status" => SenStatus::parse(s).map(text::status),
            "area" => BroadArea::parse(s).map(|a| a.label().to_owned()),
            "rating" => serde_json::from_value::<Rating>(v.clone()).ok().map(|r| r.label().to_owned()),
            "decision" => serde_json::from_value::<Decision>(v.clone()).ok().map(|d| d.label().to_owned()),
            _ => None,
        };
        if let Some(m) = meaning {
            return m;
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return text::long_date(d);
        }
    }
    match v {
        Value::Null => "(none)".into(),
        Value::Bool(true) => "Yes".into(),
        Value::Bool(false) => "No".into(),
        Value::String(s) if s.is_empty() => "(blank)".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(|i| scalar(key, i)).collect::<Vec<_>>().join(", "),
        Value::Object(_) => "(details)".into(),
    }
}

/// Leaf values by readable path: `content.outcomes[1].measure` → "Outcome 2 › Measure".
pub fn flatten(v: &Value) -> BTreeMap<String, String> {
    fn walk(v: &Value, path: &str, out: &mut BTreeMap<String, String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    if path.is_empty() && SKIP.contains(&k.as_str()) {
                        continue;
                    }
                    let here = if k == "content" && path.is_empty() {
                        String::new()
                    } else if path.is_empty() {
                        words(k)
                    } else {
                        format!("{path} › {}", words(k))
                    };
                    match x {
                        Value::Array(items) if items.iter().any(|i| i.is_object()) => {
                            for (i, item) in items.iter().enumerate() {
                                let row = format!("{} {}", singular(k), i + 1);
                                walk(item, &if path.is_empty() { row } else { format!("{path} › {row}") }, out);
                            }
                        }
                        _ if here.is_empty() => walk(x, &here, out),
                        Value::Object(_) => walk(x, &here, out),
                        _ => {
                            out.insert(here, scalar(k, x));
                        }
                    }
                }
            }
            other => {
                out.insert(path.to_owned(), scalar("", other));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(v, "", &mut out);
    out
}

/// What changed from `before` to `after`, field by field.
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let (a, b) = (flatten(before), flatten(after));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (a.get(k), b.get(k));
            (x != y).then(|| Change {
                what: k.clone(),
                before: x.cloned().unwrap_or_else(|| "(not there)".into()),
                after: y.cloned().unwrap_or_else(|| "(removed)".into()),
            })
        })
        .collect()
}

fn versions(entries: &[HistoryEntry]) -> Vec<VersionView> {
    let mut out: Vec<VersionView> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let changes = match i.checked_sub(1).and_then(|p| entries.get(p)) {
                Some(prev) => diff(&prev.body, &e.body),
                None => flatten(&e.body).into_iter().map(|(what, after)| Change { what, before: String::new(), after }).collect(),
            };
            VersionView { version: e.version, by: e.changed_by.clone(), at: when(&e.changed_at), first: i == 0, changes }
        })
        .collect();
    out.reverse();
    out
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, entity, id)): Path<(i64, String, i64)>) -> PageResult {
    // The pages show the history of a pupil's records; a school's own is on the API.
    let entity = Entity::parse(&entity).filter(|e| *e != Entity::School).ok_or(PageError(ApiError::NotFound("page")))?;
    let h = senplan_app::history::history(&s.store, &viewer.actor, school, entity.as_str(), id).await?;
    let entries = h.entries;
    let pupil = h.pupil.map(|p| (p.id.0, display_name(&p)));
    let what = match entity {
        Entity::Plan => "plan",
        Entity::Review => "review",
        Entity::Needs => "list of needs",
        Entity::Cycle => "cycle",
        _ => "pupil's details",
    };
    Ok(render_with(StatusCode::OK, &HistoryPage { nav: Nav::for_viewer(&viewer), school, what, pupil, versions: versions(&entries) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn r20_diff_names_each_changed_field_in_words() {
        let before = json!({"version": 1, "content": {"outcomes": [{"number": 1, "measure": "Words read"}], "responsible": "Mr Ahmed", "strategies": ["Short chunks"]}});
        let after = json!({"version": 2, "content": {"outcomes": [{"number": 1, "measure": "Words read aloud"}, {"number": 2, "measure": "Retell"}], "responsible": "Mr Ahmed", "strategies": ["Short chunks", "Visual timetable"]}});
        let changes: Vec<_> = diff(&before, &after).into_iter().map(|c| (c.what, c.before, c.after)).collect();
        let shown = flatten(&json!({"content": {"needs_addressed": ["SLCN"], "review_date": "2027-02-12", "decision": "continue"}}));
        assert_eq!(shown["Needs addressed"], "Speech, language and communication needs (SLCN)", "R33: codes explained");
        assert_eq!(shown["Review date"], "12 February 2027");
        assert_eq!(shown["Decision"], "Continue with the plan");
        assert_eq!(
            changes,
            vec![
                ("Outcome 1 › Measure".into(), "Words read".into(), "Words read aloud".into()),
                ("Outcome 2 › Measure".into(), "(not there)".into(), "Retell".into()),
                ("Outcome 2 › Number".into(), "(not there)".into(), "2".into()),
                ("Strategies".into(), "Short chunks".into(), "Short chunks, Visual timetable".into()),
            ]
        );
    }
}
