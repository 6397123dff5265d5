//! Referrals in the family portal (R18): the family sees each referral of their child
//! to another service and where it stands in plain words, and gives their agreement
//! to a draft the school has discussed with them (the young person on their own
//! account gives their own). Child-in-need referrals are not shown here
//! (`ReferralKind::shown_to_family`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::{AppError, referrals};
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use senplan_core::record::Pupil;
use senplan_core::referral::Stage;
use senplan_store::referrals::ReferralRecord;
use serde::Deserialize;

use super::fields::{ErrorLink, Errors};
use super::form::Posted;
use super::{PageResult, long_date, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/portal/pupils/{pupil}/referrals/{id}", show).post("/portal/pupils/{pupil}/referrals/{id}", agree)
}

/// A referral as the family's page lists it.
pub(crate) struct FamilyReferral {
    pub href: String,
    pub service: String,
    /// Where it stands, in plain words.
    pub stage: &'static str,
    /// "Sent on 3 March 2027", "Your agreement given on …".
    pub when: String,
    /// The school is waiting for the family's agreement.
    pub asks: bool,
}

pub(crate) fn family_line(pupil: i64, r: &ReferralRecord) -> FamilyReferral {
    let f = &r.referral;
    let when = match (f.sent_on(), &f.consent) {
        (Some(sent), _) => format!("Sent on {}", long_date(sent)),
        (None, Some(c)) => format!("Agreed by {} on {}", c.name, long_date(c.on)),
        (None, None) => String::new(),
    };
    FamilyReferral { href: format!("/portal/pupils/{pupil}/referrals/{}", r.id), service: f.service_name.clone(), stage: f.stage().family_words(), when, asks: f.asks_consent() }
}

#[derive(Template)]
#[template(path = "portal_referral.html")]
struct ReferralPage {
    nav: Nav,
    errors: Vec<ErrorLink>,
    agree_error: Option<String>,
    done: bool,
    pupil: i64,
    version: i64,
    /// "Sam Example" or "you".
    who: String,
    line: FamilyReferral,
    reason: String,
    consent: Option<String>,
    steps: Vec<String>,
    advice_on: Option<String>,
    recommendations: Vec<String>,
    /// Someone else decides (a parent's view of a young person of 16 or over).
    not_yours: bool,
}

fn page(viewer: &Viewer, p: &Pupil, r: &ReferralRecord, errors: &Errors, done: bool) -> ReferralPage {
    let f = &r.referral;
    let own = viewer.actor.role() == Some(Role::YoungPerson);
    let decides = senplan_core::pupil::consent_giver(p.details.date_of_birth, viewer.actor.today());
    ReferralPage {
        nav: Nav::for_viewer(viewer),
        errors: errors.summary(),
        agree_error: errors.on("agree"),
        done,
        pupil: p.id.0,
        version: r.version,
        who: if own { "you".to_owned() } else { p.details.display_name() },
        line: family_line(p.id.0, r),
        reason: f.reason.clone(),
        consent: f.consent.as_ref().map(|c| format!("Agreed by {} on {}", c.name, long_date(c.on))),
        steps: f.steps.iter().map(|s| format!("{}: {}", long_date(s.on), s.stage.family_words())).collect(),
        advice_on: f.advice_on.filter(|_| f.stage() != Stage::Draft).map(long_date),
        recommendations: f.recommendations.clone(),
        not_yours: !own && decides == senplan_core::pupil::ConsentGiver::YoungPerson,
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((pupil, id)): Path<(i64, i64)>, Query(d): Query<Done>) -> PageResult {
    let (p, r) = referrals::family_referral(&s.store, &viewer.actor, PupilId(pupil), id).await?;
    Ok(render_with(StatusCode::OK, &page(&viewer, &p, &r, &Errors::default(), d.done.is_some())))
}

async fn agree(State(s): State<AppState>, viewer: Viewer, Path((pupil, id)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let version = form.get("version").parse::<i64>().unwrap_or(-1);
    match referrals::family_consent(&s.store, &viewer.actor, PupilId(pupil), id, version, form.get("agree") == "yes").await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/pupils/{pupil}/referrals/{id}?done=agreed")).into_response()),
        Err(AppError::Invalid(i)) => {
            let (p, r) = referrals::family_referral(&s.store, &viewer.actor, PupilId(pupil), id).await?;
            let errors = Errors::new(i).redirect("consent", "agree");
            Ok(render_with(StatusCode::BAD_REQUEST, &page(&viewer, &p, &r, &errors, false)))
        }
        Err(e) => Err(e.into()),
    }
}
