//! "My sessions" (R11): a teaching assistant logs the sessions they deliver to their own
//! pupils from one page, without seeing any cost; bad rows are named and store nothing.

use chrono::Datelike;
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::{Value, json};

use crate::api::{NewPupil, pupil_with_plan};
use crate::on_both;
use crate::support::Client;

/// A pupil (family name `family`) whose plan's support is in place: (pupil, plan).
async fn delivering(senco: &Client, s: &str, n: usize, family: &str) -> (i64, i64) {
    pupil_with_plan(senco, s, NewPupil { n, given: "Sam", family, born: "2017-05-04", year: "4" }, true).await
}

async fn sessions(senco: &Client, s: &str, plan: i64) -> Vec<Value> {
    let (st, body) = senco.get(&format!("{s}/plans/{plan}/provision/1/sessions")).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

on_both!(r11_a_teaching_assistant_logs_a_mornings_sessions_from_my_sessions, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (adams, adams_plan) = delivering(&senco, &s, 1, "Adams").await;
    let (brown, brown_plan) = delivering(&senco, &s, 2, "Brown").await;
    let (_, other_plan) = delivering(&senco, &s, 3, "Clarke").await;
    let ta = app.client(Role::TeachingAssistant, &[PupilId(adams), PupilId(brown)]).await;
    let page = format!("/schools/{}/my-sessions", app.school.0);

    let (st, html) = ta.page(&page).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("My sessions") && html.contains(&format!("href=\"{page}\"")), "the page, and the link to it in the menu");
    assert!(html.contains("Sam Adams (Year 4)") && html.contains("Sam Brown (Year 4)"), "{html}");
    assert!(!html.contains("Clarke"), "a pupil the TA does not work with is not listed");
    assert!(html.contains("30 minutes, 2 a week, in a group of 4") && html.contains("Nothing logged yet this week"));
    assert!(!html.contains('£'), "no cost is shown to a teaching assistant");

    // The sessions are logged on the last school day (today, or Friday at a weekend), so
    // the week the page shows holds them whatever day the test runs.
    let today = chrono::Utc::now().date_naive();
    let back = match today.weekday() {
        chrono::Weekday::Sat => 1,
        chrono::Weekday::Sun => 2,
        _ => 0,
    };
    let today = today - chrono::Days::new(back);
    let (day, month, year) = (today.day().to_string(), today.month().to_string(), today.year().to_string());
    let (adams_plan_s, brown_plan_s) = (adams_plan.to_string(), brown_plan.to_string());
    let form = |rows: &[(&str, &str, &str, &str)]| {
        let mut f: Vec<(String, String)> = vec![
            ("csrf_token".into(), ta.csrf.clone()),
            ("date.day".into(), day.clone()),
            ("date.month".into(), month.clone()),
            ("date.year".into(), year.clone()),
        ];
        for (i, (plan, outcome, minutes, note)) in rows.iter().enumerate() {
            for (k, v) in [("plan", *plan), ("provision", "1"), ("outcome", *outcome), ("minutes", *minutes), ("note", *note)] {
                f.push((format!("sessions[{i}].{k}"), v.to_owned()));
            }
        }
        f
    };
    let post = |fields: Vec<(String, String)>| {
        let ta = &ta;
        let page = page.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = ta.form(&page, &pairs).await;
            let status = res.status();
            let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
            (status, location, res.text().await.unwrap())
        }
    };

    // Nothing marked: asked to mark one. Held with no minutes, missed with no reason: both named.
    let (st, _, html) = post(form(&[(&adams_plan_s, "", "30", ""), (&brown_plan_s, "", "30", "")])).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Mark at least one session as held or missed"), "{html}");
    let (st, _, html) = post(form(&[(&adams_plan_s, "held", "", ""), (&brown_plan_s, "missed", "30", "")])).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Enter the minutes delivered in the session") && html.contains("Say why the session was missed"), "{html}");
    assert!(
        html.contains("href=\"#sessions-0-minutes\"") && html.contains("href=\"#sessions-1-note\""),
        "each error links to its row's input"
    );
    // A row that is not the one the page showed (another pupil's plan) is refused.
    let other = other_plan.to_string();
    let (st, _, html) = post(form(&[(&other, "held", "30", "")])).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("This list has changed since the page was opened"), "{html}");
    let (st, _, html) = post(form(&[(&adams_plan_s, "held", "half an hour", "")])).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Enter the minutes delivered as a whole number, like 30"), "{html}");
    assert!(sessions(&senco, &s, adams_plan).await.is_empty() && sessions(&senco, &s, other_plan).await.is_empty(), "nothing stored");

    // The morning: Adams held for 25 minutes with a note, Brown missed with the reason.
    let (st, location, _) =
        post(form(&[(&adams_plan_s, "held", "25", "Tired after PE"), (&brown_plan_s, "missed", "", "Pupil absent")])).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(format!("{page}?logged=2").as_str()));
    let held = sessions(&senco, &s, adams_plan).await;
    assert_eq!(held.len(), 1);
    assert_eq!(
        (&held[0]["held"], &held[0]["minutes_delivered"], &held[0]["attendees"], &held[0]["note"], &held[0]["recorded_by"]),
        (&json!(true), &json!(25), &json!([adams]), &json!("Tired after PE"), &json!("Synthetic Teaching assistant"))
    );
    let missed = sessions(&senco, &s, brown_plan).await;
    assert_eq!(
        (&missed[0]["held"], &missed[0]["reason_missed"], &missed[0]["attendees"]),
        (&json!(false), &json!("Pupil absent"), &json!([]))
    );
    let (_, html) = ta.page(&format!("{page}?logged=2")).await;
    assert!(html.contains("2 sessions logged") && html.contains("Logged 1 of 2:") && html.contains("held, 25 min"), "{html}");
});

on_both!(r11_my_sessions_is_for_those_who_deliver_support, |app| {
    let page = format!("/schools/{}/my-sessions", app.school.0);
    let (st, html) = app.client(Role::Teacher, &[]).await.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("None of your pupils has support in place this week"), "{html}");
    let (st, _) = app.client(Role::Headteacher, &[]).await.page(&page).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the headteacher reads records but logs no sessions");
    let (st, _) = app.client(Role::ParentCarer, &[]).await.page(&page).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});
