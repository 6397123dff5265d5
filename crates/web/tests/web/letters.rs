//! The school's letters (R04, R08, R14): the SENCO rewords a letter, a placeholder the
//! letter cannot fill is refused with the line and changes nothing, each version is
//! kept, the letters produced use the school's wording with every placeholder filled,
//! and a meeting's invitation and notes are PDFs with the meeting in words.

use chrono::{Days, Utc};
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::dates::in_words;
use senplan_core::ids::PupilId;
use senplan_docs::testing::{ReadPdf, read_pdf};
use serde_json::json;

use crate::api::pupil_on_support;
use crate::on_both;
use crate::support::Client;

async fn pdf(c: &Client, path: &str) -> ReadPdf {
    let res = c.http.get(format!("{}{path}", c.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    read_pdf(&res.bytes().await.unwrap()).unwrap()
}

on_both!(r08_the_senco_rewords_a_letter_checked_for_placeholders_and_kept_with_each_version, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    let (st, html) = senco.page(&format!("/schools/{school}/letters")).await;
    assert_eq!(st, StatusCode::OK);
    for label in ["Telling parents their child is on SEN support", "Invitation to a meeting", "Notes of a meeting"] {
        assert!(html.contains(label), "{label}: {html}");
    }
    assert!(html.contains("senplan&#39;s wording"), "{html}");
    let edit = format!("/schools/{school}/letters/sen_support");
    let (_, html) = senco.page(&edit).await;
    assert!(html.contains("<code>{child}</code>") && html.contains("<code>{contact}</code>"), "the placeholders are listed: {html}");
    assert!(!html.contains("<code>{meeting_date}</code>"), "only this letter's");

    // A misspelt placeholder: refused on the page, naming the line and what it can fill.
    let csrf = senco.csrf.clone();
    let bad = "Dear family of {child},\n\nWe are writing from {school}.\n\n{chlid} will get extra help.";
    let res = senco.form(&edit, &[("csrf_token", &csrf), ("version", "0"), ("subject", "Extra help for {child}"), ("body", bad)]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("Line 5: {chlid} is not something this letter can fill in. It can fill in: {today}, {child}"), "{html}");
    assert!(html.contains("{chlid} will get extra help."), "what was typed is kept: {html}");
    let (_, listed) = senco.get(&format!("{s}/letters")).await;
    assert_eq!(listed[0]["version"], 0, "nothing stored: {listed}");

    // The school's own wording, saved; the letter produced uses it, filled in.
    let good = "Dear family of {child},\n\nFrom today {child} has extra help at {school}: {{SEN support}}.\n\n{senco}, {senco_title}";
    let res = senco.form(&edit, &[("csrf_token", &csrf), ("version", "0"), ("subject", "Extra help for {child}"), ("body", good)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/schools/{school}/letters?saved=sen_support"));
    let (_, html) = senco.page(&format!("/schools/{school}/letters?saved=sen_support")).await;
    assert!(html.contains("The school&#39;s wording, version 1") && html.contains("has been saved"), "{html}");
    let letter = pdf(&senco, &format!("/schools/{school}/pupils/{pupil}/letters/sen-support.pdf")).await;
    for phrase in ["Extra help for Sam", "Dear family of Sam,", "From today Sam has extra help at Synthetic Primary", "{SEN support}"] {
        assert!(letter.says(phrase), "{phrase}: {}", letter.text());
    }
    assert!(!letter.text().contains("{child}") && !letter.text().contains("placed Sam on SEN support"), "{}", letter.text());
    let (_, meetings) = senco.page(&format!("/schools/{school}/pupils/{pupil}/meetings")).await;
    assert!(meetings.contains("From today Sam has extra help"), "the meetings page shows the same wording");

    // Through the API: a stale version is a conflict; the next version is kept with the first.
    let (st, e) = senco.put(&format!("{s}/letters/sen_support"), json!({"version": 0, "subject": "S {child}", "body": "B"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    let (st, e) = senco.put(&format!("{s}/letters/sen_support"), json!({"version": 1, "subject": "S", "body": "See you {meeting_date}"})).await;
    assert_eq!((st, e["errors"][0]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_placeholder")), "{e}");
    let (st, v2) = senco.put(&format!("{s}/letters/sen_support"), json!({"version": 1, "subject": "Help for {child}", "body": "Dear {child}'s family"})).await;
    assert_eq!((st, v2["version"].as_i64()), (StatusCode::OK, Some(2)), "{v2}");
    let (_, html) = senco.page(&edit).await;
    // The version in use is the form; only the earlier one is listed under it.
    assert!(html.contains("Version 1, saved by") && !html.contains("Version 2, saved by"), "{html}");
    assert!(html.contains("From today {child} has extra help"), "the earlier wording is kept: {html}");
    let (st, _) = senco.page(&format!("/schools/{school}/letters/headteacher_letter")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // Only the SENCO rewords letters.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    assert_eq!(teacher.page(&format!("/schools/{school}/letters")).await.0, StatusCode::FORBIDDEN);
    let (st, _) = teacher.put(&format!("{s}/letters/sen_support"), json!({"version": 2, "subject": "S", "body": "B"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});

on_both!(r14_a_meeting_s_invitation_and_notes_are_letters_with_the_meeting_in_words, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    let on = Utc::now().date_naive() + Days::new(7);
    let schedule = json!({"on": on, "at": "15:30", "minutes": 45, "kind": "sen_support", "purpose": "review", "online": false,
        "place": "The SENCO's office", "invited": [{"name": "Mrs Testington", "role": "parent"}, {"name": "Mr Ahmed", "role": "staff", "detail": "class teacher"}]});
    let (st, m) = senco.post(&format!("{s}/pupils/{pupil}/meetings"), json!({"schedule": schedule})).await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    let id = m["id"].as_i64().unwrap();
    let (_, html) = senco.page(&format!("/schools/{school}/meetings/{id}")).await;
    assert!(html.contains(&format!("/schools/{school}/meetings/{id}/invitation.pdf")), "{html}");
    assert!(!html.contains(&format!("/schools/{school}/meetings/{id}/notes.pdf")), "no notes before it is held");

    let invitation = pdf(&senco, &format!("/schools/{school}/meetings/{id}/invitation.pdf")).await;
    assert_eq!(invitation.pdfua_part(), Some(1));
    for phrase in [
        "Invitation to a meeting about Sam's support".to_owned(),
        format!("on {} at 3:30pm (The SENCO's office)", in_words(on)),
        "It should take about 45 minutes.".to_owned(),
        "The meeting is for reviewing the plan and how it is going.".to_owned(),
        "Mrs Testington (parent or carer), Mr Ahmed (staff: class teacher)".to_owned(),
        "bring a friend, relative or adviser".to_owned(),
    ] {
        assert!(invitation.says(&phrase), "{phrase}: {}", invitation.text());
    }
    // The notes wait for the meeting to be held.
    let (st, html) = senco.page(&format!("/schools/{school}/meetings/{id}/notes.pdf")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("once the meeting is recorded as held"), "{html}");
    let due = on + Days::new(14);
    let held = json!({"version": 1, "outcome": {"state": "held", "held_on": Utc::now().date_naive(), "attended": [{"name": "Mrs Testington", "role": "parent"}],
        "notes": "Reading has come on well.", "parent_views": "Happier about school", "actions": [{"what": "Send the reading plan home", "owner": "Mr Ahmed", "due": due}]}});
    let (st, m) = senco.post(&format!("{s}/meetings/{id}/outcome"), held).await;
    assert_eq!(st, StatusCode::OK, "{m}");
    let notes = pdf(&senco, &format!("/schools/{school}/meetings/{id}/notes.pdf")).await;
    for phrase in [
        format!("Notes of our meeting about Sam on {}", in_words(on)),
        "Who came: Mrs Testington (parent or carer).".to_owned(),
        "What we talked about: Reading has come on well.".to_owned(),
        "Your views: Happier about school".to_owned(),
        "Sam's views: None recorded.".to_owned(),
        format!("What we agreed: Send the reading plan home (Mr Ahmed, by {}).", in_words(due)),
    ] {
        assert!(notes.says(&phrase), "{phrase}: {}", notes.text());
    }
    let trail = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    for what in ["invitation to a meeting", "notes of a meeting"] {
        assert!(trail.iter().any(|e| e.action == "produce" && e.entity == what), "{what} audited");
    }
    // Another school's SENCO is told the meeting does not exist.
    let other = app.store.create_school(&senplan_store::testing::school("765434"), &senplan_store::testing::ctx()).await.unwrap().id;
    let foreign = app.client_in(other, Role::Senco, &[]).await;
    assert_eq!(foreign.page(&format!("/schools/{}/meetings/{id}/invitation.pdf", other.0)).await.0, StatusCode::NOT_FOUND);
});
