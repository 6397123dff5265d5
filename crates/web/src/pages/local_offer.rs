//! The Local Offer directory (R18): staff search it by need, age and words; the SENCO
//! and administrators add and change services, withdraw them, and import an Open
//! Referral UK feed from a file or from the address the authority publishes, with every
//! record the import could not take listed by its id and reason.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::local_offer::{self, Directory, FeedImport, MAX_FEED_BYTES};
use senplan_core::Invalid;
use senplan_core::local_offer::{Search, Service, Source};
use senplan_core::need::BroadArea;
use senplan_store::local_offer::ServiceRecord;
use serde::Deserialize;

use super::fields::{Choice, Choices, ErrorLink, Errors, Text};
use super::form::Posted;
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/schools/{school}/local-offer", list)
        .get("/schools/{school}/local-offer/new", new_form)
        .post("/schools/{school}/local-offer/new", add)
        .get("/schools/{school}/local-offer/{id}", show)
        .post("/schools/{school}/local-offer/{id}", save)
}

/// The feed's file upload, on the upload routes' body limit (`web::MAX_UPLOAD_BYTES`);
/// a larger feed comes from its address or the command line (`MAX_FEED_BYTES`).
pub(crate) fn upload_routes() -> Routes {
    Routes::new().post("/schools/{school}/local-offer/import", import)
}

/// A service as listed.
struct Line {
    id: i64,
    name: String,
    organisation: String,
    description: String,
    facts: Vec<(&'static str, String)>,
}

fn line(r: &ServiceRecord) -> Line {
    let s = &r.service;
    let areas = if s.areas.is_empty() { "Any".to_owned() } else { s.areas.iter().map(|a| a.label()).collect::<Vec<_>>().join("; ") };
    let contact = [s.contact_name.as_str(), s.phone.as_str(), s.email.as_str()].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ");
    let source = match &s.source {
        Source::Manual => "Entered by the school".to_owned(),
        Source::Feed { feed, id } => format!("Open Referral UK feed {feed}, service {id}"),
    };
    let facts = [
        ("Ages", s.ages_in_words()),
        ("Areas of need", areas),
        ("How to refer", s.how_to_refer.clone()),
        ("Waiting time", s.waiting_time.clone()),
        ("Cost", s.cost.clone()),
        ("Contact", contact),
        ("Website", s.website.clone()),
        ("Source", source),
    ];
    Line {
        id: r.id,
        name: s.name.clone(),
        organisation: s.organisation.clone(),
        description: s.description.clone(),
        facts: facts.into_iter().filter(|(_, v)| !v.is_empty()).collect(),
    }
}

#[derive(Template)]
#[template(path = "local_offer.html")]
struct ListPage {
    nav: Nav,
    school: i64,
    errors: Vec<ErrorLink>,
    area: Choices,
    age: Text,
    text: Text,
    said: String,
    found: Vec<Line>,
    withdrawn: Vec<Line>,
    can_edit: bool,
    saved: bool,
    feed_url: Text,
    imported: Option<ImportReport>,
    upload_mb: usize,
    max_feed_mb: usize,
}

/// What an import did, in words, and what it refused.
struct ImportReport {
    summary: String,
    refused: Vec<(String, String)>,
    notes: Vec<String>,
}

fn report(i: &FeedImport) -> ImportReport {
    let c = i.counts;
    let mut notes = Vec::new();
    if !i.repeated.is_empty() {
        notes.push(format!("The feed listed {} more than once; the later entry was used.", i.repeated.join(", ")));
    }
    if let Some(p) = i.more_pages {
        notes.push(format!("The feed says it has {p} pages; only the first was read. Save each page and import it, or ask the authority for the whole list."));
    }
    ImportReport {
        summary: format!("{} added, {} changed, {} unchanged, {} not taken.", c.added, c.changed, c.unchanged, i.refused.len()),
        refused: i.refused.iter().map(|r| (r.id.clone(), r.reason.clone())).collect(),
        notes,
    }
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    area: String,
    #[serde(default)]
    age: String,
    #[serde(default)]
    text: String,
    saved: Option<String>,
}

fn list_page(viewer: &Viewer, school: i64, q: &SearchQuery, found: Option<&Directory>, errors: &Errors) -> ListPage {
    let mut options = vec![Choice::new("", "Any area of need", q.area.is_empty())];
    options.extend(BroadArea::ALL.iter().map(|a| Choice::new(a.as_str(), a.label(), q.area == a.as_str())));
    let d = found;
    ListPage {
        nav: Nav::for_viewer(viewer),
        school,
        errors: errors.summary(),
        area: Choices::new("area", "Area of need", options, errors),
        age: Text::new("age", "Child's age in years", q.age.clone(), errors).width("govuk-input--width-3").numeric(),
        text: Text::new("text", "Words", q.text.clone(), errors).hint("For example, speech, autism or dyslexia"),
        said: d.map(|d| format!("{} of {} services", d.found.len(), d.listed)).unwrap_or_default(),
        found: d.map(|d| d.found.iter().map(line).collect()).unwrap_or_default(),
        withdrawn: d.map(|d| d.withdrawn.iter().map(line).collect()).unwrap_or_default(),
        can_edit: d.is_some_and(|d| d.can_edit),
        saved: q.saved.is_some(),
        feed_url: Text::new("url", "Or the feed's address", String::new(), errors)
            .hint("The address of the authority's Open Referral UK services list, for example https://directory.example.gov.uk/api/services"),
        imported: None,
        upload_mb: crate::MAX_UPLOAD_BYTES / 1024 / 1024,
        max_feed_mb: MAX_FEED_BYTES / 1024 / 1024,
    }
}

async fn list(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, Query(q): Query<SearchQuery>) -> PageResult {
    match Search::parse(&q.area, &q.age, &q.text) {
        Ok(search) => {
            let d = local_offer::directory(&s.store, &viewer.actor, school, &search).await?;
            Ok(render_with(StatusCode::OK, &list_page(&viewer, school, &q, Some(&d), &Errors::default())))
        }
        Err(i) => {
            let d = local_offer::directory(&s.store, &viewer.actor, school, &Search::default()).await?;
            let page = ListPage { found: Vec::new(), said: String::new(), ..list_page(&viewer, school, &q, Some(&d), &Errors::new(i)) };
            Ok(render_with(StatusCode::BAD_REQUEST, &page))
        }
    }
}

/// The feed from the upload form: the file (with its name) or the address typed.
async fn read_feed_form(mut m: Multipart) -> Result<(Option<(String, Vec<u8>)>, String), Invalid> {
    let unreadable = || Invalid::one("feed", "unreadable", "The upload could not be read: choose the file again");
    let mut file = None;
    let mut url = String::new();
    while let Some(field) = m.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("feed") => {
                let name = field.file_name().unwrap_or("uploaded feed").to_owned();
                let data = field.bytes().await.map_err(|_| unreadable())?;
                if !data.is_empty() {
                    file = Some((name, data.to_vec()));
                }
            }
            Some("url") => url = field.text().await.map_err(|_| unreadable())?,
            _ => {}
        }
    }
    Ok((file, url))
}

async fn import(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, m: Result<Multipart, MultipartRejection>) -> PageResult {
    local_offer::may_edit(&viewer.actor, school)?;
    let typed = match m {
        Ok(m) => read_feed_form(m).await,
        Err(_) => Err(Invalid::one("feed", "not_an_upload", "Send the feed as a file upload (multipart/form-data)")),
    };
    let r = match typed {
        Err(i) => Err(AppError::Invalid(i)),
        Ok((Some((name, bytes)), _)) => local_offer::import_feed(&s.store, &viewer.actor, school, &bytes, &name).await,
        Ok((None, url)) if !url.trim().is_empty() => local_offer::import_feed_from(&s.store, &viewer.actor, school, &url).await,
        Ok((None, _)) => Err(AppError::Invalid(Invalid::one("feed", "required", "Choose the feed's file, or enter its address"))),
    };
    let q = SearchQuery::default();
    match r {
        Ok(done) => {
            let d = local_offer::directory(&s.store, &viewer.actor, school, &Search::default()).await?;
            let page = ListPage { imported: Some(report(&done)), ..list_page(&viewer, school, &q, Some(&d), &Errors::default()) };
            Ok(render_with(StatusCode::OK, &page))
        }
        Err(AppError::Invalid(i)) => {
            let d = local_offer::directory(&s.store, &viewer.actor, school, &Search::default()).await?;
            Ok(render_with(StatusCode::BAD_REQUEST, &list_page(&viewer, school, &q, Some(&d), &Errors::new(i))))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "local_offer_service.html")]
struct ServicePage {
    nav: Nav,
    school: i64,
    /// The service shown (none when adding one).
    shown: Option<Line>,
    id: Option<i64>,
    version: i64,
    can_edit: bool,
    withdrawn: bool,
    errors: Vec<ErrorLink>,
    fields: Vec<Text>,
    areas: Choices,
}

/// The form's fields, in order, from what was typed or stored.
fn form_fields(s: &Service, errors: &Errors) -> (Vec<Text>, Choices) {
    let age = |a: Option<u8>| a.map(|a| a.to_string()).unwrap_or_default();
    let fields = vec![
        Text::new("name", "Name of the service", s.name.clone(), errors),
        Text::new("organisation", "Who runs it", s.organisation.clone(), errors).hint("For example, Northshire County Council"),
        Text::new("description", "What it does", s.description.clone(), errors).area(5),
        Text::new("min_age", "Youngest age it takes, in years", age(s.min_age), errors).width("govuk-input--width-3").numeric().hint("Leave empty for from birth"),
        Text::new("max_age", "Oldest age it takes, in years", age(s.max_age), errors).width("govuk-input--width-3").numeric().hint("Leave empty for up to 25"),
        Text::new("how_to_refer", "How to refer", s.how_to_refer.clone(), errors).area(3).hint("Who may refer, the form to use, what to send with it"),
        Text::new("contact_name", "Contact", s.contact_name.clone(), errors),
        Text::new("phone", "Telephone", s.phone.clone(), errors).width("govuk-input--width-20"),
        Text::new("email", "E-mail", s.email.clone(), errors),
        Text::new("website", "Web page", s.website.clone(), errors),
        Text::new("cost", "Cost", s.cost.clone(), errors).hint("As published, for example Free"),
        Text::new("waiting_time", "Waiting time", s.waiting_time.clone(), errors).hint("As published, for example About 18 weeks from referral"),
    ];
    let areas = Choices::new(
        "areas",
        "Areas of need it is for",
        BroadArea::ALL.iter().map(|a| Choice::new(a.as_str(), a.label(), s.areas.contains(a))).collect(),
        errors,
    )
    .hint("Leave all unticked for a service open to any need");
    (fields, areas)
}

/// The service as typed. An age that is not a number is refused naming its field.
fn typed(form: &Posted) -> Result<(Service, bool), Invalid> {
    let mut e = Invalid::default();
    let mut age = |field: &str| match form.get(field).trim() {
        "" => None,
        t => t.parse::<u8>().ok().or_else(|| {
            e.push(field, "invalid_age", "Enter an age in whole years, like 4");
            None
        }),
    };
    let (min_age, max_age) = (age("min_age"), age("max_age"));
    let s = Service {
        name: form.get("name").to_owned(),
        organisation: form.get("organisation").to_owned(),
        description: form.get("description").to_owned(),
        min_age,
        max_age,
        areas: form.all("areas").iter().filter_map(|a| BroadArea::parse(a)).collect(),
        how_to_refer: form.get("how_to_refer").to_owned(),
        contact_name: form.get("contact_name").to_owned(),
        phone: form.get("phone").to_owned(),
        email: form.get("email").to_owned(),
        website: form.get("website").to_owned(),
        cost: form.get("cost").to_owned(),
        waiting_time: form.get("waiting_time").to_owned(),
        source: Source::Manual,
    };
    e.into_result().map(|()| (s, form.has("withdrawn")))
}

fn blank() -> Service {
    Service {
        name: String::new(),
        organisation: String::new(),
        description: String::new(),
        min_age: None,
        max_age: None,
        areas: Vec::new(),
        how_to_refer: String::new(),
        contact_name: String::new(),
        phone: String::new(),
        email: String::new(),
        website: String::new(),
        cost: String::new(),
        waiting_time: String::new(),
        source: Source::Manual,
    }
}

fn service_page(viewer: &Viewer, school: i64, stored: Option<&ServiceRecord>, typed: &Service, withdrawn: bool, errors: &Errors) -> ServicePage {
    let (fields, areas) = form_fields(typed, errors);
    ServicePage {
        nav: Nav::for_viewer(viewer),
        school,
        shown: stored.map(line),
        id: stored.map(|r| r.id),
        version: stored.map_or(0, |r| r.version),
        can_edit: viewer.actor.may(senplan_core::access::Permission::EditDirectory),
        withdrawn,
        errors: errors.summary(),
        fields,
        areas,
    }
}

async fn new_form(State(_s): State<AppState>, viewer: Viewer, Path(school): Path<i64>) -> PageResult {
    local_offer::may_edit(&viewer.actor, school)?;
    Ok(render_with(StatusCode::OK, &service_page(&viewer, school, None, &blank(), false, &Errors::default())))
}

async fn add(State(s): State<AppState>, viewer: Viewer, Path(school): Path<i64>, form: Posted) -> PageResult {
    let r = match typed(&form) {
        Ok((service, _)) => local_offer::add_service(&s.store, &viewer.actor, school, service).await,
        Err(i) => {
            local_offer::may_edit(&viewer.actor, school)?;
            Err(AppError::Invalid(i))
        }
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/local-offer?saved=1")).into_response()),
        Err(AppError::Invalid(i)) => {
            let shown = typed_anyway(&form);
            Ok(render_with(StatusCode::BAD_REQUEST, &service_page(&viewer, school, None, &shown, false, &Errors::new(i))))
        }
        Err(e) => Err(e.into()),
    }
}

/// What was typed, kept for the form shown again (an age that was not a number is
/// left empty; its error says so).
fn typed_anyway(form: &Posted) -> Service {
    typed(form).map(|(s, _)| s).unwrap_or_else(|_| {
        let mut f = form.clone();
        f.0.retain(|(k, _)| k != "min_age" && k != "max_age");
        typed(&f).map(|(s, _)| s).unwrap_or_else(|_| blank())
    })
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>) -> PageResult {
    let r = local_offer::service(&s.store, &viewer.actor, school, id).await?;
    Ok(render_with(StatusCode::OK, &service_page(&viewer, school, Some(&r), &r.service, r.withdrawn, &Errors::default())))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, form: Posted) -> PageResult {
    local_offer::may_edit(&viewer.actor, school)?;
    let version = form.get("version").trim().parse::<i64>();
    let r = match (typed(&form), version) {
        (Ok((service, withdrawn)), Ok(v)) => local_offer::save_service(&s.store, &viewer.actor, school, id, v, service, withdrawn).await,
        (Err(i), _) => Err(AppError::Invalid(i)),
        (_, Err(_)) => Err(AppError::Invalid(Invalid::one("version", "required", "The form is missing the version it was read at: open the service again"))),
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/local-offer?saved=1")).into_response()),
        Err(AppError::Invalid(i)) => {
            let stored = local_offer::service(&s.store, &viewer.actor, school, id).await?;
            let page = service_page(&viewer, school, Some(&stored), &typed_anyway(&form), form.has("withdrawn"), &Errors::new(i));
            Ok(render_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(e) => Err(e.into()),
    }
}
