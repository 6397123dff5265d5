//! Every route the app serves, recorded as it is registered. Pages register through
//! [`Routes`] (axum's router cannot list its routes); the API's routes come from its
//! OpenAPI document. [`table`] joins them, so the access-matrix and CSRF tests can
//! fail when a route is added without a rule.

use axum::Router;
use axum::handler::Handler;

use crate::AppState;

/// One route: an HTTP method and a path pattern as registered (`/schools/{school}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    pub method: &'static str,
    pub path: String,
}

impl Route {
    /// Whether a request with this method changes state (and so needs a CSRF token).
    pub fn changes_state(&self) -> bool {
        matches!(self.method, "POST" | "PUT" | "PATCH" | "DELETE")
    }
}

/// A router that remembers what it serves.
pub(crate) struct Routes {
    router: Router<AppState>,
    list: Vec<Route>,
}

impl Routes {
    pub(crate) fn new() -> Routes {
        Routes { router: Router::new(), list: Vec::new() }
    }

    pub(crate) fn get<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, axum::routing::get(handler))
    }

    pub(crate) fn post<H, T>(self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, axum::routing::post(handler))
    }

    fn add(mut self, method: &'static str, path: &'static str, m: axum::routing::MethodRouter<AppState>) -> Routes {
        // axum merges method routers registered on the same path.
        self.router = self.router.route(path, m);
        self.list.push(Route { method, path: path.to_owned() });
        self
    }

    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    pub(crate) fn into_router(self) -> Router<AppState> {
        self.router
    }

    pub(crate) fn list(&self) -> &[Route] {
        &self.list
    }
}

/// Every route of the app: pages, the API (from its OpenAPI document), the OpenAPI
/// document itself, the health check and the assets. Sorted, without duplicates.
pub fn table() -> Vec<Route> {
    let mut all: Vec<Route> = crate::pages::routes().list().to_vec();
    all.extend(crate::pages::upload_routes().list().iter().cloned());
    all.extend(crate::top_level_routes());
    let doc = crate::api::router().merge(crate::api::upload_router()).into_openapi();
    for (path, item) in doc.paths.paths {
        let ops = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        all.extend(ops.into_iter().filter(|(_, has)| *has).map(|(method, _)| Route { method, path: path.clone() }));
    }
    all.sort();
    all.dedup();
    all
}
