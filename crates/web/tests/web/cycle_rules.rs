//! The cycle's rules as a table, through the API (R05, R12): for every stage and
//! every action, allowed (with the stage it leads to) or refused (with the error's
//! status and code), on SQLite and PostgreSQL. Each try starts from a fresh pupil
//! brought to that stage, so an allowed action never changes what the next row sees.

use reqwest::StatusCode;
use senplan_core::access::Role;
use serde_json::{Value, json};

use crate::api::{plan_json, pupil_json, review_json};
use crate::on_both;
use crate::support::Client;

const SENCO: &str = "Synthetic SENCO";

/// A pupil on SEN support whose first cycle has been brought to `stage`.
struct AtStage {
    pupil: i64,
    cycle: i64,
    plan: Option<i64>,
    review: Option<i64>,
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

async fn cycle_json(c: &Client, s: &str, cycle: i64) -> Value {
    let (st, body) = c.get(&format!("{s}/cycles/{cycle}")).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    body
}

async fn transition(c: &Client, s: &str, cycle: i64, action: &str) -> (StatusCode, Value) {
    let version = cycle_json(c, s, cycle).await["version"].clone();
    c.post(&format!("{s}/cycles/{cycle}/transitions"), json!({"version": version, "action": action})).await
}

/// Brings a new pupil's first cycle to `stage` through the API, checking each step.
async fn pupil_at(c: &Client, s: &str, n: usize, stage: &str) -> AtStage {
    let upn = crate::access::upn(n);
    let (st, p) = c.post(&format!("{s}/pupils"), pupil_json(&upn)).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let pupil = p["id"].as_i64().unwrap();
    let (st, body) =
        c.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let (st, body) = c.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 0, "needs": [{"code": "SLCN", "rank": 1}]})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (_, cycles) = c.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let mut at = AtStage { pupil, cycle, plan: None, review: None };
    let order = ["assess", "plan", "do", "review", "closed"];
    let target = order.iter().position(|x| *x == stage).unwrap();
    if target >= 1 {
        let (st, plan) = c.post(&format!("{s}/cycles/{cycle}/plan"), plan_json()).await;
        assert_eq!(st, StatusCode::CREATED, "{plan}");
        at.plan = plan["id"].as_i64();
    }
    if target >= 2 {
        let (st, body) = transition(c, s, cycle, "start_delivery").await;
        assert_eq!(st, StatusCode::OK, "{body}");
    }
    if target >= 3 {
        let (st, body) = transition(c, s, cycle, "start_review").await;
        assert_eq!(st, StatusCode::OK, "{body}");
    }
    if target >= 4 {
        let (st, rec) = c.post(&format!("{s}/cycles/{cycle}/review"), review_json("not_met")).await;
        assert_eq!(st, StatusCode::CREATED, "{rec}");
        at.review = rec["review"]["id"].as_i64();
    }
    assert_eq!(cycle_json(c, s, cycle).await["stage"], stage);
    at
}

/// What an action should give: the status, and the error code or the stage after.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// Allowed: this status, and the cycle is at this stage afterwards.
    Ok(StatusCode, &'static str),
    /// Refused at this stage: 400 `illegal_transition`, nothing changed.
    Refused,
    /// The record the action needs does not exist yet at this stage.
    Missing,
}

const ACTIONS: [&str; 9] = [
    "contribute",
    "draft_plan",
    "edit_plan",
    "start_delivery",
    "log_session",
    "start_review",
    "record_review",
    "correct_review",
    "end_support",
];

fn table() -> Vec<(&'static str, [Want; 9])> {
    use Want::*;
    const C: StatusCode = StatusCode::CREATED;
    const K: StatusCode = StatusCode::OK;
    #[rustfmt::skip]
    let rows = vec![
        //            contribute       draft plan       edit plan        start do         log session      start review        record review       correct review    end support (N)
        ("assess", [Ok(C, "assess"), Ok(C, "plan"),   Missing,         Refused,         Missing,         Refused,            Refused,           Missing,          Ok(C, "closed")]),
        ("plan",   [Ok(C, "plan"),   Refused,         Ok(K, "plan"),   Ok(K, "do"),     Refused,         Refused,            Refused,           Missing,          Ok(C, "closed")]),
        ("do",     [Ok(C, "do"),     Refused,         Ok(K, "do"),     Refused,         Ok(C, "do"),     Ok(K, "review"),    Ok(C, "closed"),   Missing,          Ok(C, "closed")]),
        ("review", [Ok(C, "review"), Refused,         Refused,         Refused,         Ok(C, "review"), Refused,            Ok(C, "closed"),   Missing,          Ok(C, "closed")]),
        ("closed", [Refused,         Refused,         Refused,         Refused,         Ok(C, "closed"), Refused,            Refused,           Ok(K, "closed"),  Ok(C, "closed")]),
    ];
    rows
}

/// Tries one action; returns its status and body.
async fn act(c: &Client, s: &str, at: &AtStage, action: &str) -> (StatusCode, Value) {
    let cycle = at.cycle;
    match action {
        "contribute" => {
            c.post(
                &format!("{s}/cycles/{cycle}/contributions"),
                json!({"source": "staff", "contributor": "Synthetic class teacher", "date": "2026-10-01", "content": "Observed in class"}),
            )
            .await
        }
        "draft_plan" => c.post(&format!("{s}/cycles/{cycle}/plan"), plan_json()).await,
        "edit_plan" => match at.plan {
            Some(plan) => {
                let mut content = plan_json();
                content["strategies"] = json!(["Short instructions", "Visual timetable"]);
                c.put(&format!("{s}/plans/{plan}"), json!({"version": 1, "content": content})).await
            }
            None => c.put(&format!("{s}/plans/{MISSING}"), json!({"version": 1, "content": plan_json()})).await,
        },
        "start_delivery" => transition(c, s, cycle, "start_delivery").await,
        "start_review" => transition(c, s, cycle, "start_review").await,
        "log_session" => match at.plan {
            Some(plan) => {
                let log = json!({"date": "2026-11-02", "held": true, "minutes_delivered": 30, "attendees": [at.pupil]});
                c.post(&format!("{s}/plans/{plan}/provision/1/sessions"), log).await
            }
            None => {
                let log = json!({"date": "2026-11-02", "held": true, "minutes_delivered": 30, "attendees": [at.pupil]});
                c.post(&format!("{s}/plans/{MISSING}/provision/1/sessions"), log).await
            }
        },
        "record_review" => c.post(&format!("{s}/cycles/{cycle}/review"), review_json("not_met")).await,
        "correct_review" => match at.review {
            Some(review) => {
                let mut content = review_json("not_met");
                content["parent_views"] = json!("Pleased, and wants more reading at home");
                c.put(&format!("{s}/reviews/{review}"), json!({"version": 1, "content": content})).await
            }
            None => c.put(&format!("{s}/reviews/{MISSING}"), json!({"version": 1, "content": review_json("not_met")})).await,
        },
        "end_support" => {
            let start = today().to_string();
            c.post(&format!("{s}/pupils/{}/status", at.pupil), json!({"status": "N", "start": start, "reason": "Needs now met"})).await
        }
        other => panic!("no action {other}"),
    }
}

/// No plan or review exists yet at this stage: the action is sent for an id that
/// does not exist, and must be not found.
const MISSING: i64 = 999_999;

on_both!(r05_r12_every_stage_and_action_through_the_api, |app| {
    let c = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let mut wrong = Vec::new();
    let mut n = 0;
    for (stage, row) in table() {
        for (action, want) in ACTIONS.into_iter().zip(row) {
            n += 1;
            let at = pupil_at(&c, &s, n, stage).await;
            let before = cycle_json(&c, &s, at.cycle).await;
            let (got, body) = act(&c, &s, &at, action).await;
            let after = cycle_json(&c, &s, at.cycle).await;
            let case = format!("{stage} + {action}");
            match want {
                Want::Ok(status, next) => {
                    if got != status || after["stage"] != next {
                        wrong.push(format!("{case}: expected {status} and stage {next}, got {got} and {}: {body:.300}", after["stage"]));
                    }
                }
                Want::Refused => {
                    if got != StatusCode::BAD_REQUEST || body["code"] != "illegal_transition" || body["field"] != "stage" {
                        wrong.push(format!("{case}: expected 400 illegal_transition, got {got}: {body:.300}"));
                    }
                    if after != before {
                        wrong.push(format!("{case}: a refused action changed the cycle: {before} -> {after}"));
                    }
                }
                Want::Missing => {
                    if got != StatusCode::NOT_FOUND || body["code"] != "not_found" {
                        wrong.push(format!("{case}: expected 404 not_found, got {got}: {body:.300}"));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} rules broken:\n{}", wrong.len(), wrong.join("\n"));
});

// What each stage records: its date, its author and its content.
on_both!(r05_each_stage_records_its_date_author_and_content, |app| {
    let c = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let at = pupil_at(&c, &s, 1, "closed").await;
    let cycle = cycle_json(&c, &s, at.cycle).await;
    assert_eq!(cycle["opened_on"], "2026-09-14", "the first cycle opens when SEN support starts");
    assert_eq!(cycle["closed_on"], "2026-11-20", "closed the day the review was held, not the day it was typed in");
    assert_eq!(cycle["number"], 1);
    let (_, history) = c.get(&format!("{s}/history/cycle/{}", at.cycle)).await;
    let stages: Vec<&str> = history.as_array().unwrap().iter().map(|h| h["body"]["stage"].as_str().unwrap()).collect();
    assert_eq!(stages, ["assess", "plan", "do", "review", "closed"], "every stage is a version of the cycle");
    for h in history.as_array().unwrap() {
        assert_eq!(h["changed_by"], SENCO, "{h}");
        assert!(h["changed_at"].as_str().unwrap().starts_with(&today().to_string()), "{h}");
    }
    let plan_id = at.plan.unwrap();
    let (_, plan) = c.get(&format!("{s}/plans/{plan_id}")).await;
    assert_eq!(plan["updated_by"], SENCO);
    assert_eq!(plan["content"]["outcomes"][1]["description"], "Retell a story in order");
    assert_eq!(plan["content"]["provision"][0]["outcomes"], json!([1, 2]));
    let (_, review) = c.get(&format!("{s}/reviews/{}", at.review.unwrap())).await;
    assert_eq!(review["updated_by"], SENCO);
    assert_eq!(review["content"]["held_on"], "2026-11-20");
    assert_eq!(review["content"]["ratings"][1]["rating"], "not_met");
    assert_eq!(review["content"]["decision"], "continue");
    // The next cycle opened with the unmet outcome carried forward.
    let (_, cycles) = c.get(&format!("{s}/pupils/{}/cycles", at.pupil)).await;
    let next = &cycles[0];
    assert_eq!((next["number"].as_i64(), next["stage"].as_str()), (Some(2), Some("assess")));
    assert_eq!(next["opened_on"], "2026-11-20", "the next cycle opens on the day the review was held");
    assert_eq!(next["carried"]["outcomes"].as_array().unwrap().len(), 1);
    assert_eq!(next["carried"]["outcomes"][0]["description"], "Retell a story in order");
    assert_eq!(next["carried"]["outcomes"][0]["carried_from"], json!({"cycle_number": 1, "outcome_number": 2}));
    // A contribution names who recorded it and when.
    let at2 = pupil_at(&c, &s, 2, "assess").await;
    let (_, rec) = act(&c, &s, &at2, "contribute").await;
    assert_eq!(rec["recorded_by"], SENCO);
    assert_eq!(rec["date"], "2026-10-01");
    assert_eq!(rec["content"], "Observed in class");
    assert_eq!(rec["contributor"], "Synthetic class teacher");
});

on_both!(r12_involving_a_specialist_or_requesting_an_ehc_needs_assessment_opens_the_next_cycle, |app| {
    let c = app.client(Role::Senco, &[]).await;
    let s = app.api();
    for (n, decision) in [(1, "add_specialist_involvement"), (2, "request_ehc_needs_assessment")] {
        let at = pupil_at(&c, &s, n, "review").await;
        let mut review = review_json("partly_met");
        review["decision"] = json!(decision);
        let (st, rec) = c.post(&format!("{s}/cycles/{}/review", at.cycle), review).await;
        assert_eq!(st, StatusCode::CREATED, "{rec}");
        assert_eq!(rec["review"]["content"]["decision"], decision);
        assert_eq!(rec["next_cycle"]["number"], 2, "{decision}: support goes on in a new cycle");
        assert_eq!(rec["next_cycle"]["stage"], "assess");
        assert_eq!(rec["next_cycle"]["carried"]["outcomes"][0]["description"], "Retell a story in order");
        let (_, pupil) = c.get(&format!("{s}/pupils/{}", at.pupil)).await;
        assert_eq!(pupil["status"], "K", "{decision}: the pupil stays on SEN support");
    }
    // Ending SEN support at review returns the pupil to N and opens no cycle.
    let at = pupil_at(&c, &s, 3, "review").await;
    let mut review = review_json("met");
    review["decision"] = json!("end_sen_support");
    let (st, rec) = c.post(&format!("{s}/cycles/{}/review", at.cycle), review).await;
    assert_eq!(st, StatusCode::CREATED, "{rec}");
    assert_eq!(rec["next_cycle"], Value::Null);
    let (_, pupil) = c.get(&format!("{s}/pupils/{}", at.pupil)).await;
    assert_eq!(pupil["status"], "N");
    let (_, statuses) = c.get(&format!("{s}/pupils/{}/status", at.pupil)).await;
    let newest = &statuses[0];
    assert_eq!(
        (newest["status"].as_str(), newest["start"].as_str(), newest["end"].as_str()),
        (Some("N"), Some("2026-11-20"), None),
        "{statuses}"
    );
    assert_eq!(
        (statuses[1]["status"].as_str(), statuses[1]["end"].as_str()),
        (Some("K"), Some("2026-11-20")),
        "support ended the day of the review"
    );
});

on_both!(r12_correcting_a_review_keeps_its_decision_and_refuses_a_stale_version, |app| {
    let c = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let at = pupil_at(&c, &s, 1, "closed").await;
    let path = format!("{s}/reviews/{}", at.review.unwrap());
    let mut changed = review_json("not_met");
    changed["decision"] = json!("end_sen_support");
    changed["decision_reason"] = json!("Moving school");
    let (st, body) = c.put(&path, json!({"version": 1, "content": changed})).await;
    assert_eq!((st, body["code"].as_str(), body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("decision_final"), Some("decision")));
    let mut fixed = review_json("not_met");
    fixed["ratings"][1]["evidence"] = json!("2 of 5 events, corrected");
    let (st, body) = c.put(&path, json!({"version": 1, "content": fixed.clone()})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!((body["version"].as_i64(), body["content"]["ratings"][1]["evidence"].as_str()), (Some(2), Some("2 of 5 events, corrected")));
    let (st, body) = c.put(&path, json!({"version": 1, "content": fixed.clone()})).await;
    assert_eq!((st, body["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "{body}");
    // Its date has taken effect too: the cycle closed and the next opened that day.
    let mut moved = fixed;
    moved["held_on"] = json!("2026-11-19");
    let (st, body) = c.put(&path, json!({"version": 2, "content": moved})).await;
    assert_eq!(
        (st, body["code"].as_str(), body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("held_on_final"), Some("held_on")),
        "{body}"
    );
    let (_, history) = c.get(&format!("{s}/history/review/{}", at.review.unwrap())).await;
    assert_eq!(history.as_array().unwrap().len(), 2, "both versions kept");
    let (_, pupil) = c.get(&format!("{s}/pupils/{}", at.pupil)).await;
    assert_eq!(pupil["status"], "K", "the refused decision change did not end support");
});

on_both!(r05_a_stale_cycle_version_is_refused, |app| {
    let c = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let at = pupil_at(&c, &s, 1, "plan").await;
    let before = cycle_json(&c, &s, at.cycle).await;
    let stale = before["version"].as_i64().unwrap() - 1;
    let (st, body) = c.post(&format!("{s}/cycles/{}/transitions", at.cycle), json!({"version": stale, "action": "start_delivery"})).await;
    assert_eq!((st, body["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "{body}");
    assert_eq!(cycle_json(&c, &s, at.cycle).await, before, "nothing changed");
    let (st, body) = c.post(&format!("{s}/cycles/{}/transitions", at.cycle), json!({"version": 99, "action": "start_delivery"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "a version from the future is stale too: {body}");
});

on_both!(r01_ending_support_closes_the_open_cycle_on_the_start_date, |app| {
    let c = app.client(Role::Senco, &[]).await;
    let s = app.api();
    for (n, stage) in ["assess", "plan", "do", "review"].into_iter().enumerate() {
        let at = pupil_at(&c, &s, n + 1, stage).await;
        let on = (today() - chrono::Days::new(1)).to_string();
        let (st, body) =
            c.post(&format!("{s}/pupils/{}/status", at.pupil), json!({"status": "N", "start": on, "reason": "Needs met"})).await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        let cycle = cycle_json(&c, &s, at.cycle).await;
        assert_eq!((cycle["stage"].as_str(), cycle["closed_on"].as_str()), (Some("closed"), Some(on.as_str())), "{stage}");
    }
    // An EHC plan (E) keeps the graduated approach going.
    let at = pupil_at(&c, &s, 9, "do").await;
    let (st, _) = c
        .post(&format!("{s}/pupils/{}/status", at.pupil), json!({"status": "E", "start": "2026-11-02", "reason": "EHC plan issued"}))
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(cycle_json(&c, &s, at.cycle).await["stage"], "do");
});

on_both!(r01_r12_dates_in_the_future_are_refused_where_something_happened, |app| {
    let c = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let tomorrow = (today() + chrono::Days::new(1)).to_string();
    let at = pupil_at(&c, &s, 1, "review").await;
    let mut review = review_json("met");
    review["held_on"] = json!(tomorrow);
    let (st, body) = c.post(&format!("{s}/cycles/{}/review", at.cycle), review).await;
    assert_eq!(
        (st, body["code"].as_str(), body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("in_future"), Some("held_on")),
        "{body}"
    );
    assert_eq!(cycle_json(&c, &s, at.cycle).await["stage"], "review", "nothing recorded");
    let (st, body) =
        c.post(&format!("{s}/pupils/{}/status", at.pupil), json!({"status": "N", "start": tomorrow, "reason": "Needs met"})).await;
    assert_eq!((st, body["code"].as_str(), body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("in_future"), Some("start")), "{body}");
    let (_, pupil) = c.get(&format!("{s}/pupils/{}", at.pupil)).await;
    assert_eq!(pupil["status"], "K");
    let at = pupil_at(&c, &s, 2, "assess").await;
    let (st, body) = c
        .post(
            &format!("{s}/cycles/{}/contributions", at.cycle),
            json!({"source": "staff", "contributor": "Synthetic class teacher", "date": tomorrow, "content": "Not yet observed"}),
        )
        .await;
    assert_eq!((st, body["code"].as_str(), body["field"].as_str()), (StatusCode::BAD_REQUEST, Some("in_future"), Some("date")), "{body}");
    // A review cannot be held before its cycle began (the first opened on 14 September).
    let at3 = pupil_at(&c, &s, 3, "review").await;
    let mut early = review_json("met");
    early["held_on"] = json!("2026-09-13");
    let (st, body) = c.post(&format!("{s}/cycles/{}/review", at3.cycle), early).await;
    assert_eq!(
        (st, body["code"].as_str(), body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("before_cycle"), Some("held_on")),
        "{body}"
    );
    // Today is fine: things happen today.
    let (st, body) = c
        .post(&format!("{s}/pupils/{}/status", at.pupil), json!({"status": "N", "start": today().to_string(), "reason": "Needs met"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
});
