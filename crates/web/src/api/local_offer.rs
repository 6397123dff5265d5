//! The Local Offer directory (R18) through the API: search it, read one service, add
//! and change services, and import an Open Referral UK feed from its address or sent
//! inline.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use senplan_app::local_offer::{self, FeedImport};
use senplan_core::local_offer::{Search, Service};
use senplan_store::local_offer::ServiceRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::session::Viewer;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search, add))
        .routes(routes!(get_service, put_service))
        .routes(routes!(import))
}

/// A service in the directory.
#[derive(Serialize, ToSchema)]
pub struct ServiceOut {
    pub id: i64,
    pub version: i64,
    pub withdrawn: bool,
    pub updated_at: String,
    pub service: Service,
}

fn out(r: ServiceRecord) -> ServiceOut {
    ServiceOut { id: r.id, version: r.version, withdrawn: r.withdrawn, updated_at: r.updated_at, service: r.service }
}

/// `?area=communication_and_interaction&age=8&text=speech`, each optional.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A broad area of need: communication_and_interaction, cognition_and_learning,
    /// social_emotional_mental_health or sensory_physical.
    #[serde(default)]
    pub area: String,
    /// The child's age in years, 0 to 25.
    #[serde(default)]
    pub age: String,
    /// Words that must all appear in the name, organisation, description or route.
    #[serde(default)]
    pub text: String,
}

/// The services that match, not withdrawn, by name.
#[derive(Serialize, ToSchema)]
pub struct Found {
    pub listed: usize,
    pub services: Vec<ServiceOut>,
}

#[utoipa::path(get, path = "/api/schools/{school}/local-offer", tag = "local offer", params(("school" = i64, Path), SearchQuery),
    responses((status = 200, body = Found), (status = 400, description = "An unknown area or an age that is not 0 to 25", body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn search(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<SearchQuery>) -> Result<Json<Found>, ApiError> {
    let search = Search::parse(&q.area, &q.age, &q.text).map_err(senplan_app::AppError::from)?;
    let d = local_offer::directory(&s.store, &viewer.actor, school, &search).await?;
    Ok(Json(Found { listed: d.listed, services: d.found.into_iter().map(out).collect() }))
}

#[utoipa::path(post, path = "/api/schools/{school}/local-offer", tag = "local offer", params(("school" = i64, Path)), request_body = Service,
    responses((status = 201, body = ServiceOut), (status = 400, description = "No name, ages the wrong way round or above 25, a bad e-mail or web address", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(b): ApiJson<Service>) -> Result<(StatusCode, Json<ServiceOut>), ApiError> {
    Ok((StatusCode::CREATED, Json(out(local_offer::add_service(&s.store, &viewer.actor, school, b).await?))))
}

#[utoipa::path(get, path = "/api/schools/{school}/local-offer/{id}", tag = "local offer", params(("school" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ServiceOut), (status = 404, body = ErrorBody)))]
async fn get_service(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>) -> Result<Json<ServiceOut>, ApiError> {
    Ok(Json(out(local_offer::service(&s.store, &viewer.actor, school, id).await?)))
}

/// A service changed, based on `version`; `withdrawn` takes it out of searches.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceIn {
    pub version: i64,
    #[serde(default)]
    pub withdrawn: bool,
    pub service: Service,
}

#[utoipa::path(put, path = "/api/schools/{school}/local-offer/{id}", tag = "local offer", params(("school" = i64, Path), ("id" = i64, Path)), request_body = ServiceIn,
    responses((status = 200, body = ServiceOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn put_service(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, ApiJson(b): ApiJson<ServiceIn>) -> Result<Json<ServiceOut>, ApiError> {
    Ok(Json(out(local_offer::save_service(&s.store, &viewer.actor, school, id, b.version, b.service, b.withdrawn).await?)))
}

/// A feed to import: its address (fetched by the server), or the feed itself with a
/// name for it (within the API's 1 MB body limit).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportIn {
    pub url: Option<String>,
    pub name: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub feed: Option<serde_json::Value>,
}

/// A record the import did not take.
#[derive(Serialize, ToSchema)]
pub struct RefusedOut {
    pub id: String,
    pub reason: String,
}

/// What importing did.
#[derive(Serialize, ToSchema)]
pub struct Imported {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: Vec<RefusedOut>,
    /// Ids the feed listed more than once (the later entry was used).
    pub repeated: Vec<String>,
    /// The feed says it has this many pages; only the first was read.
    pub more_pages: Option<u64>,
}

fn imported(i: FeedImport) -> Imported {
    Imported {
        added: i.counts.added,
        changed: i.counts.changed,
        unchanged: i.counts.unchanged,
        refused: i.refused.into_iter().map(|r| RefusedOut { id: r.id, reason: r.reason }).collect(),
        repeated: i.repeated,
        more_pages: i.more_pages,
    }
}

#[utoipa::path(post, path = "/api/schools/{school}/local-offer/import", tag = "local offer", params(("school" = i64, Path)), request_body = ImportIn,
    responses((status = 200, body = Imported),
        (status = 400, description = "Neither an address nor a feed; a feed that is not JSON or not a list of services; an address that does not answer with one", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn import(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, ApiJson(b): ApiJson<ImportIn>) -> Result<Json<Imported>, ApiError> {
    let done = match (b.url, b.feed) {
        (Some(url), None) => local_offer::import_feed_from(&s.store, &viewer.actor, school, &url).await?,
        (None, Some(feed)) => {
            let bytes = serde_json::to_vec(&feed).map_err(|_| ApiError::Internal)?;
            local_offer::import_feed(&s.store, &viewer.actor, school, &bytes, b.name.as_deref().unwrap_or("feed sent through the API")).await?
        }
        _ => {
            local_offer::may_edit(&viewer.actor, school)?;
            return Err(ApiError::BadRequest { code: "required", field: Some("url".into()), message: "Send either the feed's address (url) or the feed itself (feed), not both".into() });
        }
    };
    Ok(Json(imported(done)))
}
