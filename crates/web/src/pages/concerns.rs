//! What a family raised and asked for, as the SENCO works it (R04, R20): each concern
//! with its dated answer (or that it is waiting), each request with where it stands and
//! every step, shown on the pupil's record; and a concern logged on the family's behalf.

use axum::extract::{Path, State};
use chrono::NaiveDate;
use axum::response::{IntoResponse, Redirect};
use senplan_app::oversight;
use senplan_core::ids::PupilId;
use senplan_core::record::Concern;
use senplan_store::portal::{PortalRequest, RequestKind};

use super::form::Posted;
use super::{PageResult, long_date, text};
use crate::AppState;
use crate::error::ApiError;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().post("/schools/{school}/pupils/{pupil}/concerns", log_for_family)
}

/// One concern as the record shows it.
pub struct ConcernLine {
    pub id: i64,
    /// Raised by the family (it prints as their letter), not by staff.
    pub from_family: bool,
    pub raised: String,
    pub text: String,
    /// "Answered on 24 November 2026 by Ms Rivera: …", or that it is waiting.
    pub answer: String,
    pub answered: bool,
}

/// One request as the record and the portal show it.
pub struct RequestLine {
    pub id: i64,
    pub version: i64,
    pub asked: String,
    pub state: &'static str,
    pub done: bool,
    /// "23 November 2026, Ms Rivera: In hand: the school is working on it. Meeting offered…"
    pub steps: Vec<String>,
    /// For a copy of the records: "Due by 11 December 2026 (15 school days after it was
    /// received)", and whether that day has passed with the request not done (R20).
    pub due: Option<String>,
    pub overdue: bool,
    /// A request for a copy of the records: the SENCO can produce it from here.
    pub records_copy: bool,
}

/// The family's concerns and requests about one pupil.
pub struct Correspondence {
    pub school: i64,
    pub pupil: i64,
    pub concerns: Vec<ConcernLine>,
    pub requests: Vec<RequestLine>,
    /// The viewer may log a concern for the family and work requests (the SENCO).
    pub can_act: bool,
}

pub fn concern_line(c: &Concern) -> ConcernLine {
    ConcernLine {
        id: c.id,
        from_family: !c.raised_by_staff,
        raised: format!("Raised on {} by {}", long_date(c.raised_on), c.raised_by),
        text: c.concern.clone(),
        answer: match &c.response {
            Some(r) => format!("Answered on {} by {}: {}", long_date(r.on), r.by, r.text),
            None => "Waiting for the school's answer".to_owned(),
        },
        answered: c.response.is_some(),
    }
}

pub fn request_line(r: &PortalRequest, due: &[(i64, NaiveDate)], today: NaiveDate) -> RequestLine {
    let kind = RequestKind::parse(&r.kind).map_or("A request", RequestKind::label);
    let due = due.iter().find(|(id, _)| *id == r.id).map(|(_, d)| *d);
    let done = r.state == senplan_core::request::RequestState::Done;
    RequestLine {
        due: due.map(|d| {
            format!(
                "Due by {} ({} school days after it was received)",
                long_date(d),
                senplan_core::request::RECORDS_COPY_SCHOOL_DAYS
            )
        }),
        overdue: due.is_some_and(|d| !done && today > d),
        records_copy: r.kind == "records_copy",
        id: r.id,
        version: r.version,
        asked: format!("{kind}, asked for on {} by {}", text::when(&r.requested_at), r.requested_by),
        state: r.state.label(),
        done,
        steps: r
            .steps
            .iter()
            .map(|s| {
                let note = if s.note.is_empty() { String::new() } else { format!(" {}", s.note) };
                format!("{}, {}: {}.{note}", long_date(s.on), s.by, s.state.label())
            })
            .collect(),
    }
}

impl Correspondence {
    pub fn new(
        school: i64,
        pupil: i64,
        concerns: &[Concern],
        requests: &[PortalRequest],
        (due, today): (&[(i64, NaiveDate)], NaiveDate),
        can_act: bool,
    ) -> Self {
        Self {
            school,
            pupil,
            concerns: concerns.iter().map(concern_line).collect(),
            requests: requests.iter().map(|r| request_line(r, due, today)).collect(),
            can_act,
        }
    }
}

async fn log_for_family(State(s): State<AppState>, viewer: Viewer, Path((school, pupil)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let r = oversight::log_concern_for_family(&s.store, &viewer.actor, school, PupilId(pupil), form.get("raised_by"), form.get("concern"))
        .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/schools/{school}/pupils/{pupil}?done=concern#concerns")).into_response()),
        Err(senplan_app::AppError::Invalid(i)) => {
            let message = i.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(". ");
            Err(ApiError::BadRequest { code: "invalid", field: i.errors.first().map(|e| e.field.clone()), message }.into())
        }
        Err(e) => Err(e.into()),
    }
}
