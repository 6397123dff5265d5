//! A service's report kept with a referral (R18): uploaded from the referral page as a
//! file (`multipart/form-data`, on the upload routes with their larger body limit) and
//! served back, checked against its checksum, only to those who may see the referral.
//! What a report may be (a PDF or a picture by its content, at most 10 MB) is
//! `senplan_core::report_file`; the use cases are `app::referrals::{add_report, report}`.

use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use senplan_app::{AppError, referrals};
use senplan_core::Invalid;

use super::fields::Errors;
use super::form::Posted;
use super::referrals::referral_page;
use super::{PageResult, render_with};
use crate::AppState;
use crate::routes::Routes;
use crate::session::Viewer;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/referrals/{id}/reports/{sha}", send)
}

pub(crate) fn upload_routes() -> Routes {
    Routes::new().post("/schools/{school}/referrals/{id}/reports", upload)
}

/// The upload form's parts: the file (its bytes and name) and the referral's version.
struct Upload {
    bytes: Option<Vec<u8>>,
    file_name: String,
    version: i64,
}

async fn read(mut m: Multipart) -> Result<Upload, Invalid> {
    let unreadable = || Invalid::one("report", "unreadable", "The upload could not be read: choose the report again");
    let mut u = Upload { bytes: None, file_name: String::new(), version: -1 };
    while let Some(field) = m.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("report") => {
                u.file_name = field.file_name().unwrap_or_default().to_owned();
                let data = field.bytes().await.map_err(|_| unreadable())?;
                u.bytes = (!data.is_empty() || !u.file_name.is_empty()).then(|| data.to_vec());
            }
            Some("version") => u.version = field.text().await.ok().and_then(|v| v.parse().ok()).unwrap_or(-1),
            _ => {}
        }
    }
    Ok(u)
}

async fn upload(State(s): State<AppState>, viewer: Viewer, Path((school, id)): Path<(i64, i64)>, m: Result<Multipart, MultipartRejection>) -> PageResult {
    referrals::may_change(&viewer.actor, school)?;
    let read = match m {
        Ok(m) => read(m).await,
        Err(_) => Err(Invalid::one("report", "not_an_upload", "Send the report as a file upload (multipart/form-data)")),
    };
    let r = match read {
        Ok(Upload { bytes: Some(bytes), file_name, version }) => {
            referrals::add_report(&s.store, &viewer.actor, school, id, Some(version), &file_name, &bytes).await.map(|_| ())
        }
        Ok(Upload { bytes: None, .. }) => Err(AppError::Invalid(Invalid::one("report", "required", "Choose the report to add"))),
        Err(i) => Err(AppError::Invalid(i)),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/referrals/{id}?done=report#reports")).into_response()),
        Err(AppError::Invalid(i)) => {
            let v = referrals::referral_view(&s.store, &viewer.actor, school, id).await?;
            Ok(render_with(StatusCode::BAD_REQUEST, &referral_page(&viewer, school, &v, &Posted::default(), &Errors::new(i), None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The name a report is offered under: its letters, digits, spaces, dots, hyphens
/// and underscores, every other character an underscore (the header stays ASCII).
fn header_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_') { c } else { '_' }).collect()
}

async fn send(State(s): State<AppState>, viewer: Viewer, Path((school, id, sha)): Path<(i64, i64, String)>) -> PageResult {
    let (file, bytes) = referrals::report(&s.store, &viewer.actor, school, id, &sha).await?;
    Ok((
        [
            (header::CONTENT_TYPE, bytes.media_type.clone()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{}\"", header_name(&file.file_name))),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        Body::from(bytes.bytes),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn r18_a_report_is_offered_under_an_ascii_name() {
        assert_eq!(super::header_name("EP report (Mar) \"final\"\r\n.pdf"), "EP report _Mar_ _final___.pdf");
        assert_eq!(super::header_name("Évaluation.pdf"), "_valuation.pdf");
    }
}
