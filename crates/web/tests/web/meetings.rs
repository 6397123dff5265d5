//! Around the cycle (issue 11), through the API and the pages, on both databases:
//! meetings with parents (R14), telling parents (R08), the designated SENCO and the
//! compliance dashboard (R22).

use chrono::{Days, Utc};
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::{Value, json};

use crate::api::pupil_on_support;
use crate::on_both;

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// The Monday of the week holding `d`.
pub fn monday_of(d: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

fn schedule(on: chrono::NaiveDate) -> Value {
    json!({"on": on, "at": "15:30", "minutes": 45, "kind": "sen_support", "purpose": "review", "online": false,
        "place": "The SENCO's office", "invited": [{"name": "Mrs Testington", "role": "parent"}, {"name": "Mr Ahmed", "role": "staff", "detail": "class teacher"}]})
}

async fn count_meetings(app: &crate::support::App, pupil: i64) -> usize {
    app.store.meetings(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap().len()
}

on_both!(r14_a_meeting_is_scheduled_held_and_its_actions_tracked_until_done, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    // A meeting in the past scheduled as future: refused, nothing stored.
    let yesterday = today() - Days::new(1);
    let (st, e) = senco.post(&format!("{s}/pupils/{pupil}/meetings"), json!({"schedule": schedule(yesterday)})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some("on"), Some("in_past")), "{e}");
    assert_eq!(count_meetings(app, pupil).await, 0);

    let next_week = today() + Days::new(7);
    let (st, m) = senco.post(&format!("{s}/pupils/{pupil}/meetings"), json!({"schedule": schedule(next_week)})).await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    assert_eq!((m["state"].as_str(), m["version"].as_i64()), (Some("scheduled"), Some(1)));
    assert_eq!(m["meeting"]["schedule"]["at"], "15:30");
    let id = m["id"].as_i64().unwrap();

    // Recording it held with an action without an owner: refused, the meeting unchanged.
    let held = |owner: &str| {
        json!({"version": 1, "outcome": {"state": "held", "held_on": today(), "attended": [{"name": "Mrs Testington", "role": "parent"}],
            "notes": "Agreed the reading plan", "actions": [{"what": "Send the reading plan home", "owner": owner, "due": next_week}]}})
    };
    let (st, e) = senco.post(&format!("{s}/meetings/{id}/outcome"), held(" ")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["field"], "actions[0].owner", "{e}");
    let (_, stored) = senco.get(&format!("{s}/meetings/{id}")).await;
    assert_eq!((stored["state"].as_str(), stored["version"].as_i64()), (Some("scheduled"), Some(1)), "nothing changed");

    let (st, m) = senco.post(&format!("{s}/meetings/{id}/outcome"), held("Ms Rivera")).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    assert_eq!(m["state"], "held");
    let (st, e) = senco.post(&format!("{s}/meetings/{id}/outcome"), held("Ms Rivera")).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("already_concluded")), "held once: {e}");
    let (st, e) = senco.post(&format!("{s}/meetings/{id}/actions/0/done"), json!({"version": 1, "on": today()})).await;
    assert_eq!(st, StatusCode::CONFLICT, "a stale version: {e}");

    let (st, m) = senco.post(&format!("{s}/meetings/{id}/actions/0/done"), json!({"version": 2, "on": today()})).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    assert_eq!(m["meeting"]["outcome"]["actions"][0]["done_on"], json!(today()));
    let (st, e) = senco.post(&format!("{s}/meetings/{id}/actions/5/done"), json!({"version": 3, "on": today()})).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("not_found")));

    // Every version is kept; a teacher who does not teach the pupil cannot see it; a
    // teacher who does cannot change it.
    let history =
        app.store.history(&senplan_store::testing::whole(app.school), senplan_store::history::Entity::Meeting, id).await.unwrap();
    assert_eq!(history.len(), 3);
    let stranger = app.client(Role::Teacher, &[]).await;
    assert_eq!(stranger.get(&format!("{s}/meetings/{id}")).await.0, StatusCode::NOT_FOUND);
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    assert_eq!(teacher.get(&format!("{s}/meetings/{id}")).await.0, StatusCode::OK);
    let (st, _) = teacher.post(&format!("{s}/pupils/{pupil}/meetings"), json!({"schedule": schedule(next_week)})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(count_meetings(app, pupil).await, 1);
});

on_both!(r14_the_familys_request_for_a_meeting_is_answered_by_scheduling_one, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let res = parent.form(&format!("/portal/pupils/{pupil}/requests"), &[("csrf_token", &parent.csrf), ("kind", "meeting")]).await;
    assert!(res.status().is_redirection());
    let request = app.store.requests(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap().remove(0);
    let on = today() + Days::new(6);
    let body = json!({"schedule": schedule(on), "answering": {"request": request.id, "version": request.version}});
    let (st, m) = senco.post(&format!("{s}/pupils/{pupil}/meetings"), body.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    assert_eq!(m["request_id"].as_i64(), Some(request.id));
    let stored = app.store.request(&senplan_store::testing::whole(app.school), request.id).await.unwrap();
    assert_eq!(stored.state.as_str(), "done");
    let note = &stored.steps[0].note;
    assert!(note.starts_with("Meeting booked for ") && note.ends_with("at 3:30pm in The SENCO's office"), "{note}");
    // Answering it again: the request is done already; no second meeting.
    let (st, e) = senco.post(&format!("{s}/pupils/{pupil}/meetings"), body).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("This request is done already"), "{e}");
    assert_eq!(count_meetings(app, pupil).await, 1);

    // The family sees the meeting and its calendar file; no other family does.
    let (st, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Meetings with the school") && html.contains("Where: The SENCO&#39;s office"), "{html}");
    assert!(html.contains("Mr Ahmed (class teacher)") && html.contains(note.as_str().split(" for ").nth(1).unwrap().split(" at ").next().unwrap()));
    let ics_path = format!("/portal/pupils/{pupil}/meetings/{}/calendar.ics", m["id"]);
    assert!(html.contains(&ics_path), "{html}");
    let res = parent.http.get(format!("{}{ics_path}", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = res.text().await.unwrap();
    assert!(ics.contains(&format!("DTSTART:{}T153000\r\n", on.format("%Y%m%d"))), "{ics}");
    assert!(ics.contains(&format!("DTEND:{}T161500\r\n", on.format("%Y%m%d"))));
    assert!(ics.contains("SUMMARY:Meeting at ") && !ics.contains("SLCN") && !ics.to_lowercase().contains("speech"), "no need details: {ics}");
    let other = app.client(Role::ParentCarer, &[]).await;
    let res = other.http.get(format!("{}{ics_path}", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Recorded as held three weeks ago: the family sees which agreed action is late.
    let held_on = today() - Days::new(21);
    let outcome = json!({"version": 1, "outcome": {"state": "held", "held_on": held_on, "attended": [{"name": "Mrs Testington", "role": "parent"}],
        "notes": "Agreed the reading plan", "actions": [
            {"what": "Send the reading plan home", "owner": "Ms Rivera", "due": held_on + Days::new(7)},
            {"what": "Try the reading ruler at home", "owner": "Mrs Testington", "due": today() + Days::new(7)}]}});
    let (st, m) = senco.post(&format!("{s}/meetings/{}/outcome", m["id"]), outcome).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains("Send the reading plan home (Ms Rivera, by ") && html.contains("): overdue: not done yet"), "{html}");
    assert!(html.contains("Try the reading ruler at home (Mrs Testington, by ") && html.contains("): not done yet</li>"), "{html}");
});

on_both!(r08_parents_not_yet_told_until_the_school_records_it, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let (_, v) = senco.get(&format!("{s}/pupils/{pupil}/meetings")).await;
    assert_eq!(v["parents_not_yet_told"], true, "{v}");
    assert!(v["letter"].as_str().unwrap().contains("has placed Sam on SEN support"), "{v}");
    let (_, d) = senco.get(&format!("{s}/compliance")).await;
    let told = d["findings"].as_array().unwrap().iter().find(|f| f["check"] == "parents_not_told").unwrap().clone();
    assert_eq!(told["count"], 1, "{d}");
    assert_eq!(told["pupils"][0]["pupil"].as_i64(), Some(pupil));

    let tomorrow = today() + Days::new(1);
    let (st, e) = senco
        .put(&format!("{s}/pupils/{pupil}/parents-told"), json!({"version": 0, "told": {"on": tomorrow, "method": "letter", "by": "Ms Rivera"}}))
        .await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("on")), "{e}");
    let (st, t) = senco
        .put(&format!("{s}/pupils/{pupil}/parents-told"), json!({"version": 0, "told": {"on": today(), "method": "meeting", "by": "Ms Rivera"}}))
        .await;
    assert_eq!(st, StatusCode::OK, "{t}");
    assert_eq!(t["version"], 1);
    let (_, v) = senco.get(&format!("{s}/pupils/{pupil}/meetings")).await;
    assert_eq!(v["parents_not_yet_told"], false);
    let (_, d) = senco.get(&format!("{s}/compliance")).await;
    let told = d["findings"].as_array().unwrap().iter().find(|f| f["check"] == "parents_not_told").unwrap().clone();
    assert_eq!(told["count"], 0, "{d}");

    // The page: the warning before, the record after.
    let (_, html) = senco.page(&format!("/schools/{}/pupils/{pupil}/meetings", app.school.0)).await;
    assert!(html.contains("Told at a meeting on") && html.contains("by Ms Rivera"), "{html}");
});

on_both!(r22_the_dashboard_names_pupils_for_the_senco_and_counts_for_leadership, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let (st, d) = senco.get(&format!("{s}/compliance")).await;
    assert_eq!(st, StatusCode::OK, "{d}");
    assert_eq!(d["names"], true);
    assert_eq!(d["findings"].as_array().unwrap().len(), 16, "every check, in order");
    let find = |d: &Value, check: &str| d["findings"].as_array().unwrap().iter().find(|f| f["check"] == check).unwrap().clone();
    // On SEN support with no plan agreed yet: no review date.
    assert_eq!(find(&d, "no_review_date")["pupils"][0]["detail"], "The plan has not been agreed yet");
    assert_eq!(d["senco"]["standing"], "not_recorded");
    assert_eq!(d["senco_in_words"], "No SENCO recorded");

    let head = app.client(Role::Headteacher, &[]).await;
    let (st, h) = head.get(&format!("{s}/compliance")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h["names"], false);
    assert_eq!(find(&h, "parents_not_told")["count"], 1);
    assert_eq!(find(&h, "parents_not_told")["pupils"], json!([]), "counts only for leadership");
    assert_eq!(app.client(Role::Teacher, &[PupilId(pupil)]).await.get(&format!("{s}/compliance")).await.0, StatusCode::FORBIDDEN);

    // As of another day; a day that cannot exist.
    let (st, e) = senco.get(&format!("{s}/compliance?on=2026-02-30")).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("on")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("30 February 2026 does not exist"));
    let (_, d) = senco.get(&format!("{s}/compliance?on=2026-09-13")).await;
    assert_eq!(d["as_of"], "2026-09-13");

    // The SENCO recorded: due within three years of appointment.
    let (_, school) = senco.get(&s).await;
    let body = json!({"version": school["version"], "senco": {"name": "Ms Rivera", "qualified_teacher": true, "appointed_on": "2025-01-06", "award": "none"}});
    let (st, saved) = senco.put(&format!("{s}/senco"), body).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    let (_, d) = senco.get(&format!("{s}/compliance?on=2026-11-27")).await;
    assert_eq!(d["senco_in_words"], "NPQ for SENCOs due by 6 January 2028");
    let (_, d) = senco.get(&format!("{s}/compliance?on=2028-01-07")).await;
    assert_eq!(d["senco"]["standing"], "overdue");

    // The pages: the count links to the names; each name to the page that fixes it.
    let school = app.school.0;
    let (st, html) = senco.page(&format!("/schools/{school}/dashboard")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/schools/{school}/dashboard/parents-not-told\"")), "{html}");
    let (_, html) = senco.page(&format!("/schools/{school}/dashboard/parents-not-told")).await;
    assert!(html.contains(&format!("href=\"/schools/{school}/pupils/{pupil}/meetings#told\"")), "{html}");
    let (_, html) = head.page(&format!("/schools/{school}/dashboard")).await;
    assert!(!html.contains("/dashboard/parents-not-told") && html.contains("the SENCO sees the pupils"), "{html}");
    let res = head.http.get(format!("{}/schools/{school}/dashboard.csv", app.base)).send().await.unwrap();
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("as_of,check,label,count\r\n") || csv.starts_with("as_of,check,label,count\n"), "{csv}");
    assert!(csv.contains(",parents-not-told,Parents not yet told about SEN support,1"), "{csv}");
    assert_eq!(head.page(&format!("/schools/{school}/dashboard/parents-not-told")).await.0, StatusCode::FORBIDDEN);
});

on_both!(r14_pages_schedule_and_record_a_meeting_keeping_what_was_typed, |app| {
    let (senco, _, pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    let page = format!("/schools/{school}/pupils/{pupil}/meetings");
    let past = today() - Days::new(3);
    let (d, m, y) = (past.format("%d").to_string(), past.format("%m").to_string(), past.format("%Y").to_string());
    let form = |day: &str, month: &str, year: &str, parent: &str| {
        vec![
            ("csrf_token".to_owned(), senco.csrf.clone()),
            ("on.day".into(), day.to_owned()),
            ("on.month".into(), month.to_owned()),
            ("on.year".into(), year.to_owned()),
            ("at".into(), "3:30pm".into()),
            ("minutes".into(), "40".into()),
            ("kind".into(), "sen_support".into()),
            ("purpose".into(), "planning".into()),
            ("online".into(), "no".into()),
            ("place".into(), "Room 4".into()),
            ("invited_parent".into(), parent.to_owned()),
            ("invited_staff".into(), "Mr Ahmed, class teacher".into()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let senco = &senco;
        let page = page.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = senco.form(&page, &pairs).await;
            (res.status(), res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()), res.text().await.unwrap())
        }
    };
    let (st, _, html) = post(form(&d, &m, &y, "Mrs Testington")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("has passed") && html.contains("value=\"Room 4\""), "the error, and what was typed kept: {html}");
    let (st, _, html) = post(form("3", "12", "2099", "")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Invite the parent or carer, or the young person"), "{html}");
    assert_eq!(count_meetings(app, pupil).await, 0);
    let (st, location, _) = post(form("3", "12", "2099", "Mrs Testington")).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    let (_, html) = senco.page(&location).await;
    assert!(html.contains("Meeting on Thursday 3 December 2099 at 3:30pm") && html.contains("Mr Ahmed (class teacher)"), "{html}");
    // Cancel without a reason, then with one.
    let res = senco.form(&location, &[("csrf_token", &senco.csrf), ("version", "1"), ("do", "cancel"), ("reason", "")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Enter why the meeting was cancelled"));
    let res = senco.form(&location, &[("csrf_token", &senco.csrf), ("version", "1"), ("do", "cancel"), ("reason", "Parent unwell")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = senco.page(&page).await;
    assert!(html.contains(": Parent unwell."), "{html}");
});

on_both!(r37_the_family_sees_the_help_given_and_the_senco_sees_it_falling_short, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (pupil, plan) = crate::api::pupil_with_plan(
        &senco,
        &s,
        crate::api::NewPupil { n: 41, given: "Ada", family: "Example", born: "2017-05-04", year: "4" },
        true,
    )
    .await;
    // 2 × 30 minutes a week planned: one 20-minute session in each of the last three
    // complete weeks (the Tuesday of each), and one missed with its reason.
    let monday = crate::meetings::monday_of(today());
    for weeks_ago in 1..=3u64 {
        let tuesday = monday - Days::new(7 * weeks_ago) + Days::new(1);
        let body = json!({"date": tuesday, "held": true, "minutes_delivered": 20, "attendees": [pupil]});
        let (st, r) = senco.post(&format!("{s}/plans/{plan}/provision/1/sessions"), body).await;
        assert_eq!(st, StatusCode::CREATED, "{r}");
    }
    let thursday = monday - Days::new(7) + Days::new(3);
    let body = json!({"date": thursday, "held": false, "reason_missed": "TA covering a class"});
    let (st, r) = senco.post(&format!("{s}/plans/{plan}/provision/1/sessions"), body).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");

    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (st, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("The help given") && html.contains("60 minutes a week planned"), "{html}");
    assert!(html.contains("1: TA covering a class"), "the missed session and why: {html}");
    assert!(html.contains("20 of 60 min"), "{html}");
    assert!(!html.contains('£'), "no costs for the family");

    let (_, d) = senco.get(&format!("{s}/compliance")).await;
    let short = d["findings"].as_array().unwrap().iter().find(|f| f["check"] == "help_falling_short").unwrap().clone();
    assert_eq!(short["count"], 1, "{d}");
    let detail = short["pupils"][0]["detail"].as_str().unwrap();
    assert!(detail.starts_with("Language group: under 80% of the planned time in each of the last 3 weeks (20 of 60 minutes"), "{detail}");
});

on_both!(r08_starting_the_support_of_a_first_plan_asks_for_the_parents_to_be_told, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (pupil, _) = crate::api::pupil_with_plan(
        &senco,
        &s,
        crate::api::NewPupil { n: 43, given: "Eve", family: "Example", born: "2017-05-04", year: "4" },
        false,
    )
    .await;
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let cycle = cycles[0]["id"].as_i64().unwrap();
    let school = app.school.0;
    let (_, html) = senco.page(&format!("/schools/{school}/cycles/{cycle}")).await;
    assert!(html.contains("The parents have not yet been told that Eve Example receives SEN support"), "{html}");
    assert!(html.contains(&format!("href=\"/schools/{school}/pupils/{pupil}/meetings#told\"")));
    let head = app.client(Role::Headteacher, &[]).await;
    let (_, html) = head.page(&format!("/schools/{school}/cycles/{cycle}")).await;
    assert!(!html.contains("have not yet been told"), "offered only to whoever can record it");
    let body = json!({"version": 0, "told": {"on": today(), "method": "letter", "by": "Ms Rivera"}});
    let (st, _) = senco.put(&format!("{s}/pupils/{pupil}/parents-told"), body).await;
    assert_eq!(st, StatusCode::OK);
    let (_, html) = senco.page(&format!("/schools/{school}/cycles/{cycle}")).await;
    assert!(!html.contains("have not yet been told"), "{html}");
});

on_both!(r32_everyone_sees_what_is_due_for_them_and_chooses_their_e_mails, |app| {
    let (senco, _, pupil, _) = pupil_on_support(app).await;
    // A meeting tomorrow: planned reminders go to the SENCO and the family.
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (st, _) = senco.post(&format!("{}/pupils/{pupil}/meetings", app.api()), json!({"schedule": schedule(today() + Days::new(1))})).await;
    assert_eq!(st, StatusCode::CREATED);
    let base = senplan_mail::BaseUrl::parse("https://senplan.example").unwrap();
    let written = senplan_app::reminders::plan(&app.store, app.school, today(), &base, false).await.unwrap();
    assert!(written >= 2, "{written}");
    let (st, html) = parent.page("/due").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Meeting reminder") && html.contains("In senplan only"), "{html}");
    assert!(!html.contains("Reviews coming up"), "a family chooses meeting e-mails only: {html}");
    let (_, html) = senco.page("/due").await;
    assert!(html.contains("Meeting reminder") && html.contains("Reviews coming up"), "{html}");
    // Turning meeting e-mails off keeps the list.
    let res = parent.form("/due", &[("csrf_token", &parent.csrf)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let user = parent.user.unwrap();
    let prefs = app.store.reminder_preferences(user).await.unwrap();
    assert!(!prefs.meeting_due && prefs.review_due, "{prefs:?}");
    let (_, html) = parent.page("/due").await;
    assert!(html.contains("Meeting reminder"));
});
