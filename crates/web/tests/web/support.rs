//! Test support: start the app on port 0 over a throwaway database, make people with
//! roles and relationships, and talk to the server as one of them.

use reqwest::StatusCode;
use senplan_core::access::{Relationship, Role};
use senplan_core::ids::{PupilId, SchoolId, UserId};
use senplan_store::accounts::NewUser;
use senplan_store::testing::{ctx, school};
use senplan_store::{Backend, Store};
use senplan_web::{AppState, WebConfig};
use serde_json::Value;

pub const PASSWORD: &str = "synthetic passphrase for tests";

pub struct App {
    pub base: String,
    pub store: Store,
    pub school: SchoolId,
}

impl App {
    /// Starts the app over `store` with one synthetic school.
    pub async fn start(store: Store) -> App {
        Self::start_with(store, WebConfig::default()).await
    }

    /// Starts the app over `store`, deployed as `config` says, with one synthetic school.
    pub async fn start_with(store: Store, config: WebConfig) -> App {
        let s = store.create_school(&school("123456"), &ctx()).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = senplan_web::app(AppState::new(store.clone(), config));
        tokio::spawn(
            async move { axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() },
        );
        App { base: format!("http://{addr}"), store, school: s.id }
    }

    /// A new account with `role`, related to `pupils` as the role's relationship.
    pub async fn person(&self, role: Role, pupils: &[PupilId]) -> UserId {
        self.person_in(self.school, role, pupils).await
    }

    /// A new account of `school` with `role`, related to `pupils`.
    pub async fn person_in(&self, school: SchoolId, role: Role, pupils: &[PupilId]) -> UserId {
        let email = format!("{}-{}@synthetic.example", role.as_str(), rand_suffix());
        let u = self
            .store
            .create_user(school, &NewUser { email, name: format!("Synthetic {}", role.label()), role }, PASSWORD, &ctx())
            .await
            .unwrap();
        if let Some(kind) = role.relationship() {
            let expires = (kind == Relationship::Grant).then(|| chrono::Utc::now().date_naive() + chrono::Days::new(30));
            for p in pupils {
                self.store
                    .relate(
                        &senplan_store::testing::whole(school),
                        &senplan_store::relationships::NewRelationship {
                            user: u.id,
                            pupil: *p,
                            kind,
                            starts_on: chrono::Utc::now().date_naive(),
                            expires_on: expires,
                        },
                        &ctx(),
                    )
                    .await
                    .unwrap();
            }
        }
        u.id
    }

    /// A signed-in new person with `role` related to `pupils`.
    pub async fn client(&self, role: Role, pupils: &[PupilId]) -> Client {
        self.client_in(self.school, role, pupils).await
    }

    /// A session for a new person of `school`, started in the store rather than
    /// through the sign-in form, whose attempts are limited per address (the
    /// sign-in itself is tested in `security.rs`).
    pub async fn client_in(&self, school: SchoolId, role: Role, pupils: &[PupilId]) -> Client {
        let id = self.person_in(school, role, pupils).await;
        let session = self.store.start_session(id, chrono::Utc::now()).await.unwrap();
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let url: reqwest::Url = self.base.parse().unwrap();
        jar.add_cookie_str(&format!("{}={}; Path=/", senplan_web::session::SESSION_COOKIE, session.token), &url);
        let http = reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Client { base: self.base.clone(), http, csrf: session.csrf_token, user: Some(id) }
    }

    pub async fn sign_in(&self, email: &str) -> Client {
        let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let res = http
            .post(format!("{}/api/session", self.base))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "sign in as {email}");
        let body: Value = res.json().await.unwrap();
        Client { base: self.base.clone(), http, csrf: body["csrf_token"].as_str().unwrap().to_owned(), user: None }
    }

    /// Path prefix of the school's API.
    pub fn api(&self) -> String {
        format!("/api/schools/{}", self.school)
    }
}

fn rand_suffix() -> String {
    format!("{:08x}", rand::random::<u32>())
}

/// A signed-in person's HTTP client (cookies kept, CSRF token sent on changes).
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub csrf: String,
    /// The signed-in account, when the test made it.
    pub user: Option<UserId>,
}

impl Client {
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base));
        if method != reqwest::Method::GET {
            req = req.header("x-csrf-token", &self.csrf);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: &'static str,
        with_csrf: bool,
    ) -> (StatusCode, String) {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).header("content-type", content_type).body(body);
        if with_csrf {
            req = req.header("x-csrf-token", &self.csrf);
        }
        let res = req.send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// A page: its status and HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let res = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a file upload form the way a browser does (`multipart/form-data`, the
    /// CSRF token its first part): the text `fields`, then the file, if any, as
    /// (its field, its name, its bytes).
    pub async fn upload(&self, path: &str, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (StatusCode, String) {
        let (kind, body) = multipart(&self.csrf, fields, file);
        let res = self.http.post(format!("{}{path}", self.base)).header("content-type", kind).body(body).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a form the way a browser does.
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.http.post(format!("{}{path}", self.base)).form(fields).send().await.unwrap()
    }
}

/// A `multipart/form-data` body as a browser sends a file upload: (content type, body).
pub fn multipart(csrf: &str, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "senplanTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in [("csrf_token", csrf)].iter().chain(fields) {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some((field, name, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            use super::*;
            async fn run($app: &$crate::support::App) $body
            #[tokio::test]
            async fn sqlite() {
                let db = senplan_store::testing::TestDb::new(senplan_store::Backend::Sqlite).await;
                run(&$crate::support::App::start(db.store.clone()).await).await;
                db.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                if senplan_store::testing::pg_skipped(concat!(module_path!(), "::postgres")) {
                    return;
                }
                let db = senplan_store::testing::TestDb::new(senplan_store::Backend::Postgres).await;
                run(&$crate::support::App::start(db.store.clone()).await).await;
                db.finish().await;
            }
        }
    };
}

/// A fresh app on SQLite, for tests that need only one backend.
pub async fn sqlite_app() -> (senplan_store::testing::TestDb, App) {
    let db = senplan_store::testing::TestDb::new(Backend::Sqlite).await;
    let app = App::start(db.store.clone()).await;
    (db, app)
}
