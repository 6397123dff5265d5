//! senplan over HTTP: the JSON API (with its OpenAPI document), the HTML pages and
//! the static assets, as one axum [`Router`].
//!
//! Table of contents: [`error`] (one error type, JSON or HTML), [`extract`] (JSON
//! bodies with field-level errors, the author of a change), [`api`] (JSON endpoints,
//! one module per area, each with its own router), [`pages`] (server-rendered HTML),
//! [`assets`] (CSS, JS and images compiled into the binary), [`costing`] (report
//! dates from query strings, CSV exports), [`security`] (headers, CSRF, sign-in limits,
//! where sign-in may send someone on), [`sign_in`] (signing in, for the page and the
//! API alike), [`request_log`] (one log line per request, with its id and route).
//!
//! Handlers are thin: they parse, call one `Store` operation, and render.

pub mod api;
pub mod assets;
pub mod costing;
pub mod error;
pub mod extract;
pub mod pages;
pub mod request_log;
pub mod routes;
pub mod security;
pub mod session;
pub mod sign_in;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use senplan_store::Store;
use tower_http::limit::RequestBodyLimitLayer;

/// Everything a handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub limiter: Arc<security::SignInLimiter>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState { store, config: Arc::new(config), limiter: Arc::default() }
    }
}

/// How the web server is deployed.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Served behind a TLS-terminating proxy: cookies get `Secure`, responses HSTS.
    pub behind_tls: bool,
    /// The address people use, for links such as password resets (no trailing slash).
    pub public_url: String,
    /// Reverse proxies whose `X-Forwarded-For` is believed, so that the client's own
    /// address (not the proxy's) is limited and audited. Empty: the connecting address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Largest request body accepted (a plan with many outcomes is a few tens of KB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The largest body a file upload route accepts (a referral's report of at most 10 MB,
/// a passport picture of at most 2 MB, with the rest of the form; each file's own limit
/// is checked by `core`); every other route keeps [`MAX_BODY_BYTES`].
pub const MAX_UPLOAD_BYTES: usize = senplan_core::report_file::MAX_REPORT_BYTES + 1024 * 1024;

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, _doc) = api::router().split_for_parts();
    let limited = Router::new()
        .merge(api)
        .route(OPENAPI_ROUTE, axum::routing::get(api::openapi_json))
        .route(HEALTH_ROUTE, axum::routing::get(healthz))
        .merge(pages::routes().into_router())
        .merge(assets::router())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));
    let (api_uploads, _) = api::upload_router().split_for_parts();
    let uploads = pages::upload_routes()
        .into_router()
        .merge(api_uploads)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_UPLOAD_BYTES));
    Router::new()
        .merge(limited)
        .merge(uploads)
        .fallback(error::not_found_fallback)
        .method_not_allowed_fallback(error::method_not_allowed_fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
        // Plain-text errors from layers and extractors become a page or JSON.
        .layer(axum::middleware::from_fn(error::uniform))
        // Outermost, so every answer (a refused CSRF check, a body too large) is logged
        // and carries its request id.
        .layer(axum::middleware::from_fn(request_log::log))
        .with_state(state)
}

const OPENAPI_ROUTE: &str = "/api/openapi.json";
const HEALTH_ROUTE: &str = "/healthz";

/// The routes `app` adds beside the pages and the API, for [`routes::table`].
fn top_level_routes() -> [routes::Route; 3] {
    let get = |path: &str| routes::Route { method: "GET", path: path.to_owned() };
    [get(OPENAPI_ROUTE), get(HEALTH_ROUTE), get(assets::ROUTE)]
}

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Result<&'static str, error::ApiError> {
    state.store.ping().await?;
    Ok("ok")
}

/// Binds `addr` and serves until Ctrl-C or SIGTERM. Prints the address once bound, because
/// port 0 picks a free port that the caller needs to know.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("Listening on http://{local}/");
    if !local.ip().is_loopback() && !state.config.behind_tls {
        eprintln!("warning: serving on {local} without TLS; put senplan behind a TLS proxy and pass --behind-tls (see README).");
    }
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown()).await
}

/// Ctrl-C, or SIGTERM (what service managers send), so the caller can finish its work
/// (the last audit checkpoint) before the process ends.
async fn shutdown() {
    #[cfg(unix)]
    {
        let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
