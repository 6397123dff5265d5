//! Bringing the school's roll in from its MIS (R24) through the API: the CSV is the
//! request's body, on the upload routes' larger limit; `dry_run=true` answers what it
//! would change without changing anything. A file with a refused line changes nothing
//! and answers 400 with every refused line. The use case is `app::roll_import`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use senplan_app::roll_import::{self, RollPlan};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::session::Viewer;

pub fn upload_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only say what the file would change.
    #[serde(default)]
    pub dry_run: bool,
}

/// One pupil added or changed.
#[derive(Serialize, ToSchema)]
pub struct PlannedOut {
    pub line: u64,
    pub upn: String,
    pub name: String,
    /// What changes, in words; empty for a pupil added.
    pub fields: Vec<String>,
}

/// A line refused, or a line taken with something to check.
#[derive(Serialize, ToSchema)]
pub struct LineOut {
    pub line: u64,
    /// The column at fault (refused lines) or the pupil's UPN (notes).
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What the import did, or would do.
#[derive(Serialize, ToSchema)]
pub struct RollImportOut {
    pub applied: bool,
    pub rows: u64,
    pub added: Vec<PlannedOut>,
    pub changed: Vec<PlannedOut>,
    pub unchanged: u64,
    /// UPNs of pupils not in the file, marked as left on `left_on`.
    pub leaving: Vec<String>,
    pub left_on: Option<chrono::NaiveDate>,
    pub refused: Vec<LineOut>,
    pub notes: Vec<LineOut>,
    pub ignored_columns: Vec<String>,
}

fn out(p: RollPlan) -> RollImportOut {
    let planned = |v: Vec<senplan_app::roll_import::Planned>| {
        v.into_iter().map(|p| PlannedOut { line: p.line, upn: p.upn, name: p.name, fields: p.fields.iter().map(|f| (*f).to_owned()).collect() }).collect()
    };
    RollImportOut {
        applied: p.applied,
        rows: p.rows,
        added: planned(p.added),
        changed: planned(p.changed),
        unchanged: p.unchanged,
        leaving: p.leaving.into_iter().map(|l| l.upn).collect(),
        left_on: p.left_on,
        refused: p.refused.into_iter().map(|r| LineOut { line: r.line, field: r.field, code: r.code, message: r.message }).collect(),
        notes: p.notes.into_iter().map(|n| LineOut { line: n.line, field: n.upn, code: "check".into(), message: n.message }).collect(),
        ignored_columns: p.ignored_columns,
    }
}

#[utoipa::path(post, path = "/api/schools/{school}/roll-import", tag = "pupils", params(("school" = i64, Path), ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The roll exported from the MIS as CSV, with a heading row"),
    responses((status = 200, body = RollImportOut), (status = 400, description = "The file cannot be read as a roll, or a line is refused (every refused line listed; nothing changed)", body = RollImportOut),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, description = "The body is larger than 11 MB", body = ErrorBody)))]
async fn import(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<ImportQuery>, body: Bytes) -> Result<(StatusCode, Json<RollImportOut>), ApiError> {
    let mut quiet = |_| {};
    let plan = if q.dry_run {
        roll_import::preview_roll(&s.store, &viewer.actor, school, body.as_ref(), &mut quiet).await?
    } else {
        roll_import::import_roll(&s.store, &viewer.actor, school, body.as_ref(), &mut quiet).await?
    };
    let status = if plan.refused.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    Ok((status, Json(out(plan))))
}
