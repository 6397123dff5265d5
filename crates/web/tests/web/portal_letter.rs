//! The family's letter to the school (R04, seed 003): a parent fills in the draft
//! letter in the portal; it is checked (nothing stored when refused, the line named),
//! then logged as their concern in the letter's words with a request for a meeting and
//! one for the records; the SENCO sees them; the parent downloads the letter as a PDF.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use senplan_docs::testing::read_pdf;

use crate::api::pupil_on_support;
use crate::on_both;

on_both!(r04_a_parent_writes_the_seed_003_letter_which_logs_the_concern_and_the_requests, |app| {
    let (senco, _, pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    let whole = senplan_store::testing::whole(app.school);
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (_, home) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(home.contains(&format!("/portal/pupils/{pupil}/letter")), "the portal links to the letter");
    let page = format!("/portal/pupils/{pupil}/letter");
    let (st, html) = parent.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("What worries you about Sam") && html.contains("for a copy of Sam&#39;s school records"), "{html}");

    // Nothing to worry about and a line too long: refused, naming the line, nothing stored.
    let long = format!("slow progress in reading\n{}", "x".repeat(301));
    let csrf = parent.csrf.clone();
    let res = parent.form(&page, &[("csrf_token", &csrf), ("concerns", &long), ("asks", "meeting"), ("from", "Alex Testington")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("Line 2: Must be 300 characters or fewer"), "{html}");
    let field = html.split("id=\"concerns\"").nth(1).and_then(|rest| rest.split('>').next()).unwrap_or_default();
    assert!(field.contains("aria-invalid=\"true\""), "the field in error is marked for assistive technology: {field}");
    assert!(html.contains("slow progress in reading"), "what was typed is kept");
    let res = parent.form(&page, &[("csrf_token", &csrf), ("concerns", "\n \n"), ("from", "")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(app.store.concerns(&whole, PupilId(pupil)).await.unwrap().is_empty(), "nothing stored");
    assert!(app.store.requests(&whole, PupilId(pupil)).await.unwrap().is_empty(), "nothing asked");

    let fields = [
        ("csrf_token", csrf.as_str()),
        ("to", "Mrs Okafor"),
        ("concerns", "slow progress in reading\r\n\r\n- difficulty making friends"),
        ("asks", "meeting"),
        ("asks", "records"),
        ("asks", "sen_policy"),
        ("adviser", "Ms Jones from SENDIASS"),
        ("questions", "What extra help has Sam had?"),
        ("from", "Alex Testington"),
    ];
    let res = parent.form(&page, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let concerns = app.store.concerns(&whole, PupilId(pupil)).await.unwrap();
    assert_eq!(concerns.len(), 1);
    let c = &concerns[0];
    // Kept undated: the day it was sent is the concern's own date, shown once beside it.
    assert!(c.concern.starts_with("Dear Mrs Okafor,\n\nSam Testington, born 4 May 2017"), "{}", c.concern);
    assert!(c.concern.contains("• slow progress in reading\n• difficulty making friends"), "{}", c.concern);
    assert!(c.concern.contains("I would also like to bring my friend or adviser, Ms Jones from SENDIASS."), "{}", c.concern);
    assert!(c.concern.contains("a copy of my child's school records and a copy of the school's SEN policy"), "{}", c.concern);
    let mut kinds: Vec<String> = app.store.requests(&whole, PupilId(pupil)).await.unwrap().into_iter().map(|r| r.kind).collect();
    kinds.sort();
    assert_eq!(kinds, ["meeting", "records_copy", "sen_policy"], "each thing the letter asks for is a request the SENCO works");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/portal/pupils/{pupil}/letter?sent={}", c.id));
    let (_, done) = parent.page(&location).await;
    assert!(done.contains("Your letter has been sent to the school"), "{done}");
    assert!(!done.contains("Send the letter to the school"), "once sent, the form is not shown again under the banner");
    assert!(done.contains(&format!("href=\"/portal/pupils/{pupil}#concerns\"")), "a way back to the child's page: {done}");
    let (_, home) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(home.contains("A copy of the school&#39;s SEN policy, asked for on"), "{home}");
    assert!(home.contains("senplan-pre-line\">Dear Mrs Okafor,"), "the letter keeps its lines: {home}");
    assert!(home.contains(&format!("/portal/pupils/{pupil}/letters/{}/letter.pdf", c.id)), "the family can download any of its concerns as a letter");

    // The parent keeps the letter as a PDF; the SENCO has the concern and the requests.
    let res = parent.http.get(format!("{}/portal/pupils/{pupil}/letters/{}/letter.pdf", parent.base, c.id)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r = read_pdf(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(r.pdfua_part(), Some(1));
    for phrase in ["Concerns about Sam Testington", "Dear Mrs Okafor,", "I am concerned that Sam Testington is not making adequate progress", "Alex Testington"] {
        assert!(r.says(phrase), "{phrase}: {}", r.text());
    }
    let (_, inbox) = senco.page(&format!("/schools/{school}/concerns")).await;
    assert!(inbox.contains("senplan-pre-line\">Dear Mrs Okafor,"), "the SENCO reads the letter as the concern, its lines kept: {inbox}");
    assert!(inbox.contains("A copy of the school&#39;s SEN policy, asked for on"), "{inbox}");
    let staff_pdf = format!("/schools/{school}/pupils/{pupil}/concerns/{}/letter.pdf", c.id);
    assert!(inbox.contains(&staff_pdf), "the SENCO can print the family's letter: {inbox}");
    let res = senco.http.get(format!("{}{staff_pdf}", senco.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, "attachment; filename=\"letter-concerns-about-sam-testington.pdf\"", "the child's name once");
    let r = read_pdf(&res.bytes().await.unwrap()).unwrap();
    assert!(r.says("Dear Mrs Okafor,"), "{}", r.text());
    // A teacher who sees Sam's plan does not see the family's letters.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let res = teacher.http.get(format!("{}{staff_pdf}", teacher.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Another family's letter, or a staff concern, is not theirs to download.
    let res = parent.http.get(format!("{}/portal/pupils/{pupil}/letters/999999/letter.pdf", parent.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let stranger = app.client(Role::ParentCarer, &[]).await;
    let res = stranger.http.get(format!("{}/portal/pupils/{pupil}/letters/{}/letter.pdf", stranger.base, c.id)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
});
