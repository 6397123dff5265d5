//! Spotting need early (R03) through the API and the pages, on both databases: results
//! typed for a class and imported from a CSV (a bad file stores nothing), the flags
//! with their rule in words, and the SENCO's decisions (adding to SEN support opens the
//! assessment).

use chrono::{Days, Utc};
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::on_both;

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

async fn stored(app: &crate::support::App) -> usize {
    app.store.assessments(&senplan_store::testing::whole(app.school)).await.unwrap().len()
}

on_both!(r03_results_flag_pupils_and_the_senco_decides_on_each, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let mut ids = Vec::new();
    for (n, given) in [(61, "Ada"), (62, "Ben")] {
        let body = json!({"upn": crate::access::upn(n), "given_name": given, "family_name": "Example", "date_of_birth": "2017-05-04", "year_group": "4"});
        let (st, p) = senco.post(&format!("{s}/pupils"), body).await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        ids.push(p["id"].as_i64().unwrap());
    }
    let (ada, ben) = (ids[0], ids[1]);
    let day = |n: u64| today() - Days::new(n);
    // Ada: expected, then below twice in reading (levels: 0 WTS, 1 EXS, 2 GDS).
    let rows = json!({"rows": [
        {"pupil": ada, "subject": "Reading", "on": day(120), "value": {"level": 1}},
        {"pupil": ada, "subject": "Reading", "on": day(60), "value": {"level": 0}},
        {"pupil": ada, "subject": "Reading", "on": day(10), "value": {"level": 0}}]});
    let (st, r) = senco.post(&format!("{s}/progress/assessments"), rows).await;
    assert_eq!((st, r["stored"].as_i64()), (StatusCode::CREATED, Some(3)), "{r}");
    // A level the scale does not have: refused, naming the row; nothing stored.
    let bad = json!({"rows": [{"pupil": ben, "subject": "Maths", "on": day(5), "value": {"level": 7}}]});
    let (st, e) = senco.post(&format!("{s}/progress/assessments"), bad).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("rows[0].value")), "{e}");
    assert_eq!(stored(app).await, 3);

    // A file with a bad UPN on line 3 stores nothing, and says which line and why.
    let csv_url = format!("{}{s}/progress/import", app.base);
    let send = |text: String| {
        let senco = &senco;
        let url = csv_url.clone();
        async move {
            let res = senco.http.post(url).header("x-csrf-token", &senco.csrf).header("content-type", "text/csv").body(text).send().await.unwrap();
            let st = res.status();
            (st, res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let ben_upn = crate::access::upn(62);
    let file = format!("UPN,Subject,Date,Value\n{ben_upn},Maths,{},84\nA38020012601X,Maths,{},90\n", day(30), day(30));
    let (st, e) = send(file).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    let message = e["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("line 3, UPN:"), "{message}");
    assert_eq!(stored(app).await, 3, "nothing stored from a bad file");
    let unknown = format!("UPN,Subject,Date,Value\n{},Maths,{},84\n", crate::access::upn(99), day(30));
    let (st, e) = send(unknown).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(e["errors"][0]["message"], format!("line 2, UPN: no pupil with UPN {} is on the school's roll", crate::access::upn(99)));
    let (st, r) = send(format!("upn,subject,date,value\n{ben_upn},Maths,{},84\n", day(30))).await;
    assert_eq!((st, r["stored"].as_i64()), (StatusCode::CREATED, Some(1)), "{r}");
    let res = senco.http.post(&csv_url).header("x-csrf-token", &senco.csrf).header("content-type", "application/json").body("{}").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let (st, flags) = senco.get(&format!("{s}/progress/flags")).await;
    assert_eq!(st, StatusCode::OK);
    let flags = flags.as_array().unwrap().clone();
    assert_eq!(flags.len(), 2, "{flags:?}");
    let ada_flag = flags.iter().find(|f| f["pupil"] == ada).unwrap();
    assert_eq!(ada_flag["flag"]["rule"], "fell_below_expected");
    assert!(ada_flag["flag"]["words"].as_str().unwrap().starts_with("Fell from expected to below expected in Reading across two assessments"));
    let ben_flag = flags.iter().find(|f| f["pupil"] == ben).unwrap();
    assert!(ben_flag["flag"]["words"].as_str().unwrap().starts_with("Standardised score in Maths below 85 (84 on"), "{ben_flag}");
    let (_, d) = senco.get(&format!("{s}/compliance")).await;
    let undecided = d["findings"].as_array().unwrap().iter().find(|f| f["check"] == "progress_undecided").unwrap().clone();
    assert_eq!(undecided["count"], 2, "{d}");

    // No action needs a reason; with one, Ben's flag is decided.
    let decide = |pupil: i64, flag: &serde_json::Value, decision: serde_json::Value| {
        json!({"pupil": pupil, "subject": flag["flag"]["subject"], "rule": flag["flag"]["rule"], "since": flag["flag"]["since"], "decision": decision})
    };
    let (st, e) = senco.post(&format!("{s}/progress/decisions"), decide(ben, ben_flag, json!({"kind": "no_action", "reason": " "}))).await;
    assert_eq!((st, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("reason")), "{e}");
    let (st, _) = senco.post(&format!("{s}/progress/decisions"), decide(ben, ben_flag, json!({"kind": "no_action", "reason": "Was ill in the test week"}))).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, e) = senco.post(&format!("{s}/progress/decisions"), decide(ben, ben_flag, json!({"kind": "no_action", "reason": "Again"}))).await;
    assert_eq!((st, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("no_such_flag")), "decided once: {e}");

    // Adding Ada to SEN support starts her assessment.
    let (st, _) = senco.post(&format!("{s}/progress/decisions"), decide(ada, ada_flag, json!({"kind": "add_to_support"}))).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (_, status) = senco.get(&format!("{s}/pupils/{ada}/status")).await;
    let last = status.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["status"], "K", "{status}");
    assert!(last["reason"].as_str().unwrap().starts_with("Progress flag: Fell from expected"), "{last}");
    let (_, cycles) = senco.get(&format!("{s}/pupils/{ada}/cycles")).await;
    assert_eq!(cycles[0]["stage"], "assess");
    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    assert_eq!(flags, json!([]));
    let teacher = app.client(Role::Teacher, &[PupilId(ada)]).await;
    assert_eq!(teacher.get(&format!("{s}/progress/flags")).await.0, StatusCode::FORBIDDEN, "the SENCO decides");
});

on_both!(r03_a_teacher_types_a_class_result_and_a_bad_one_is_named, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let body = json!({"upn": crate::access::upn(71), "given_name": "Cara", "family_name": "Example", "date_of_birth": "2017-05-04", "year_group": "4"});
    let (_, p) = senco.post(&format!("{s}/pupils"), body).await;
    let pupil = p["id"].as_i64().unwrap();
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let school = app.school.0;
    let (st, html) = teacher.page(&format!("/schools/{school}/progress/record?year=4")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Cara Example") && html.contains("WTS, EXS, GDS"), "{html}");
    let d = today();
    let (dd, mm, yy) = (d.format("%d").to_string(), d.format("%m").to_string(), d.format("%Y").to_string());
    let pupil_s = pupil.to_string();
    let form = |value: &'static str| {
        vec![
            ("csrf_token", teacher.csrf.clone()),
            ("year", "4".into()),
            ("subject", "Writing".into()),
            ("on.day", dd.clone()),
            ("on.month", mm.clone()),
            ("on.year", yy.clone()),
            ("rows[0].pupil", pupil_s.clone()),
            ("rows[0].value", value.into()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let teacher = &teacher;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = teacher.form(&format!("/schools/{school}/progress/record"), &pairs).await;
            (res.status(), res.text().await.unwrap())
        }
    };
    let (st, html) = post(form("EXPECTED")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Enter a level (WTS, EXS, GDS) or a standardised score for Cara Example") && html.contains("value=\"EXPECTED\""), "{html}");
    let (st, _) = post(form("EXS")).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let all = app.store.assessments(&senplan_store::testing::whole(app.school)).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].0, all[0].1.subject.as_str(), all[0].1.value), (PupilId(pupil), "Writing", senplan_core::progress::Value::Level(1)));
});

on_both!(r26_an_early_years_setting_records_the_check_at_age_two_and_flags_concerns, |app| {
    use chrono::Months;
    let mut details = senplan_store::testing::school("700001");
    details.setting = senplan_core::school::SettingType::EarlyYears;
    let nursery = app.store.create_school(&details, &senplan_store::testing::ctx()).await.unwrap();
    let senco = app.client_in(nursery.id, Role::Senco, &[]).await;
    let s = format!("/api/schools/{}", nursery.id.0);
    let born = |months: u32| today().checked_sub_months(Months::new(months)).unwrap();
    let mut ids = Vec::new();
    for (n, given, months) in [(81, "Ivy", 30), (82, "Jon", 40), (83, "Kit", 20)] {
        let body = json!({"upn": crate::access::upn(n), "given_name": given, "family_name": "Example", "date_of_birth": born(months), "year_group": "N1"});
        let (st, p) = senco.post(&format!("{s}/pupils"), body).await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        ids.push(p["id"].as_i64().unwrap());
    }
    let check = |on: chrono::NaiveDate, language: &str| {
        json!({"on": on, "communication_and_language": language, "physical_development": "on_track",
               "personal_social_and_emotional_development": "on_track", "note": ""})
    };
    // Kit is 20 months old: too young for the check.
    let (st, e) = senco.post(&format!("{s}/pupils/{}/two-year-check", ids[2]), check(today(), "on_track")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["message"].as_str().unwrap().contains("20 months"), "{e}");
    let (st, c) = senco.post(&format!("{s}/pupils/{}/two-year-check", ids[0]), check(today(), "not_on_track")).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");

    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    let flags = flags.as_array().unwrap().clone();
    let rules: Vec<(i64, String)> = flags.iter().map(|f| (f["pupil"].as_i64().unwrap(), f["flag"]["rule"].as_str().unwrap().to_owned())).collect();
    assert_eq!(
        rules,
        vec![(ids[0], "two_year_check_concern".to_owned()), (ids[1], "two_year_check_missing".to_owned())],
        "Ivy's concern, and Jon (40 months) without a check: {flags:?}"
    );
    assert!(flags[0]["flag"]["words"].as_str().unwrap().to_lowercase().contains("communication and language"), "{flags:?}");
});

on_both!(r03_the_school_sets_its_own_score_threshold, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let body = json!({"upn": crate::access::upn(91), "given_name": "Lee", "family_name": "Example", "date_of_birth": "2017-05-04", "year_group": "4"});
    let (_, p) = senco.post(&format!("{s}/pupils"), body).await;
    let pupil = p["id"].as_i64().unwrap();
    let rows = json!({"rows": [{"pupil": pupil, "subject": "Maths", "on": today() - Days::new(5), "value": {"score": 88}}]});
    senco.post(&format!("{s}/progress/assessments"), rows).await;
    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    assert_eq!(flags, json!([]), "88 is not below the default 85");
    let (_, school) = senco.get(&s).await;
    let mut settings = serde_json::to_value(senplan_core::progress::decide::ProgressSettings::default()).unwrap();
    settings["rules"]["score_below"] = json!(90);
    let (st, saved) = senco.put(&format!("{s}/progress/settings"), json!({"version": school["version"], "settings": settings})).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    assert!(flags[0]["flag"]["words"].as_str().unwrap().starts_with("Standardised score in Maths below 90"), "{flags}");
});

on_both!(r03_a_teachers_concern_lands_in_the_flags_and_the_decision_answers_it, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let school = app.school.0;
    let body = json!({"upn": crate::access::upn(81), "given_name": "Rae", "family_name": "Example", "date_of_birth": "2017-05-04", "year_group": "4"});
    let (_, p) = senco.post(&format!("{s}/pupils"), body).await;
    let pupil = p["id"].as_i64().unwrap();
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    // The record offers the form; an empty concern is named and nothing is stored.
    let (_, html) = teacher.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(html.contains("Raise a concern about Rae Example"), "{html}");
    let url = format!("/schools/{school}/pupils/{pupil}/raise-concern");
    let res = teacher.form(&url, &[("csrf_token", &teacher.csrf), ("concern", "  ")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Enter your concern"));
    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    assert_eq!(flags, json!([]));
    let res = teacher.form(&url, &[("csrf_token", &teacher.csrf), ("concern", "Rae cannot copy from the board since October")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A teacher of another pupil cannot raise one about Rae.
    let other = app.client(Role::Teacher, &[]).await;
    let (st, _) = other.post(&format!("{s}/pupils/{pupil}/staff-concerns"), json!({"concern": "Worried"})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    let flags = flags.as_array().unwrap().clone();
    assert_eq!(flags.len(), 1, "{flags:?}");
    let f = &flags[0]["flag"];
    assert_eq!(f["rule"], "concern");
    let words = f["words"].as_str().unwrap();
    assert!(words.contains("(Teacher) raised a concern on ") && words.ends_with("\u{201c}Rae cannot copy from the board since October\u{201d}"), "{words}");
    // The family's portal does not list a teacher's concern.
    let (_, portal) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(!portal.contains("copy from the board"), "{portal}");

    // The SENCO keeps it under review: the flag goes, and the concern has its dated answer.
    let until = today() + Days::new(30);
    let d = json!({"pupil": pupil, "subject": f["subject"], "rule": "concern", "since": f["since"], "decision": {"kind": "review_until", "until": until}});
    let (st, e) = senco.post(&format!("{s}/progress/decisions"), d).await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{e}");
    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    assert_eq!(flags, json!([]));
    let concerns = app.store.concerns(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    assert_eq!(concerns.len(), 1);
    let answer = concerns[0].response.as_ref().expect("answered");
    assert_eq!(answer.on, today());
    assert_eq!(
        answer.text,
        format!("The school will keep the pupil's progress under review and look at it again after {}.", senplan_core::dates::in_words(until))
    );
    assert!(concerns[0].raised_by_staff);
});

on_both!(r03_the_senco_sets_the_scale_and_rules_on_a_page, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let school = app.school.0;
    let url = format!("/schools/{school}/progress/settings");
    let (st, html) = senco.page(&url).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("EXS: Working at the expected standard") && html.contains("value=\"85\""), "{html}");
    let (_, sc) = senco.get(&app.api()).await;
    let version = sc["version"].to_string();
    let mut fields = vec![
        ("csrf_token", senco.csrf.clone()),
        ("version", version.clone()),
        ("name", "Steps".to_owned()),
        ("levels", "S1: Step one\nS2 Step two\nS3: Step three".to_owned()),
        ("expected.4", "S2".to_owned()),
        ("expected.5", "S9".to_owned()),
        ("fell_below_after", "2".to_owned()),
        ("stuck_below_after", "1".to_owned()),
        ("score_below", "90".to_owned()),
    ];
    let pairs = |f: &Vec<(&'static str, String)>| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |f: Vec<(&'static str, String)>| {
        let senco = &senco;
        let url = url.clone();
        async move {
            let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = senco.form(&url, &refs).await;
            (res.status(), res.text().await.unwrap())
        }
    };
    let (st, html) = send(pairs(&fields)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Line 2: write the code, a colon, then what it means"), "{html}");
    assert!(html.contains("Year 5: &#39;S9&#39; is not one of the scale&#39;s codes (S1, S3)") || html.contains("Year 5: 'S9' is not one of the scale's codes (S1, S3)"), "{html}");
    fields[4].1 = "S3".into();
    fields[3].1 = "S1: Step one\nS2: Step two\nS3: Step three\ns1: Again".into();
    fields[5].1 = "S3".into();
    let (st, html) = send(pairs(&fields)).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Line 4: The code &#39;s1&#39; is used by level 1 already") || html.contains("Line 4: The code 's1' is used by level 1 already"), "{html}");
    assert!(html.contains("not rising needs two to compare"), "{html}");
    let (_, unchanged) = senco.get(&app.api()).await;
    assert_eq!(unchanged["version"], sc["version"], "nothing saved from a bad form");
    fields[3].1 = "S1: Step one\nS2: Step two\nS3: Step three".into();
    fields[7].1 = "3".into();
    let (st, _) = send(pairs(&fields)).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, saved) = senco.get(&app.api()).await;
    let p = &saved["progress"];
    assert_eq!(p["scale"]["name"], "Steps");
    assert_eq!(p["scale"]["expected"], json!({"4": 2, "5": 2}));
    assert_eq!(p["rules"], json!({"fell_below_after": 2, "stuck_below_after": 3, "score_below": 90}));
    // A teacher may not change them.
    let teacher = app.client(Role::Teacher, &[]).await;
    assert_eq!(teacher.page(&url).await.0, StatusCode::FORBIDDEN);
});

on_both!(r26_the_check_at_age_two_is_recorded_on_a_form, |app| {
    use chrono::Months;
    let mut details = senplan_store::testing::school("700002");
    details.setting = senplan_core::school::SettingType::EarlyYears;
    let nursery = app.store.create_school(&details, &senplan_store::testing::ctx()).await.unwrap();
    let senco = app.client_in(nursery.id, Role::Senco, &[]).await;
    let s = format!("/api/schools/{}", nursery.id.0);
    let born = today().checked_sub_months(Months::new(28)).unwrap();
    let body = json!({"upn": crate::access::upn(84), "given_name": "Liv", "family_name": "Example", "date_of_birth": born, "year_group": "N1"});
    let (_, p) = senco.post(&format!("{s}/pupils"), body).await;
    let pupil = p["id"].as_i64().unwrap();
    let school = nursery.id.0;
    let (_, html) = senco.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(html.contains("Progress check at age two"), "{html}");
    let url = format!("/schools/{school}/pupils/{pupil}/two-year-check");
    let (st, html) = senco.page(&url).await;
    assert_eq!(st, StatusCode::OK);
    let (opens, closes) = senplan_core::progress::two_year::window(born);
    let window = format!("from {} to {}", senplan_core::dates::in_words(opens), senplan_core::dates::in_words(closes));
    assert!(html.contains(&window), "{html}");
    let d = today();
    let (dd, mm, yy) = (d.format("%d").to_string(), d.format("%m").to_string(), d.format("%Y").to_string());
    let mut fields = vec![
        ("csrf_token", senco.csrf.as_str()),
        ("on.day", dd.as_str()),
        ("on.month", mm.as_str()),
        ("on.year", yy.as_str()),
        ("communication_and_language", "not_on_track"),
        ("physical_development", "on_track"),
    ];
    let res = senco.form(&url, &fields).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Choose a judgement for personal, social and emotional development"));
    assert_eq!(senco.get(&format!("{s}/progress/flags")).await.1, json!([]), "nothing stored");
    fields.push(("personal_social_and_emotional_development", "on_track"));
    let res = senco.form(&url, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = senco.page(&url).await;
    assert!(html.contains(&format!("Check on {}", senplan_core::dates::in_words(d))) && html.contains("Not on track"), "{html}");
    let (_, flags) = senco.get(&format!("{s}/progress/flags")).await;
    assert_eq!(flags[0]["flag"]["rule"], "two_year_check_concern", "{flags}");
});

on_both!(r37_the_delivery_alert_is_set_on_the_costing_settings_page, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let school = app.school.0;
    let (_, html) = senco.page(&format!("/schools/{school}/costing/settings")).await;
    assert!(html.contains("When help falls short") && html.contains("value=\"80\""), "{html}");
    let (_, before) = senco.get(&format!("{}/costing/settings", app.api())).await;
    let costing = json!({"settings": {"staff_roles": [], "calendar": senplan_store::testing::calendar()}});
    let (st, set) = senco.put(&format!("{}/costing/settings", app.api()), json!({"version": before["version"], "costing": costing})).await;
    assert_eq!(st, StatusCode::OK, "{set}");
    let version = set["version"].to_string();
    let url = format!("/schools/{school}/costing/settings/delivery-alert");
    let res = senco.form(&url, &[("csrf_token", &senco.csrf), ("version", &version), ("alert-share", "120"), ("alert-weeks", "two")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter the number of weeks as a whole number, from 1 to 12"), "{html}");
    let res = senco.form(&url, &[("csrf_token", &senco.csrf), ("version", &version), ("alert-share", "120"), ("alert-weeks", "2")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("The share is a percentage from 1 to 100"));
    let res = senco.form(&url, &[("csrf_token", &senco.csrf), ("version", &version), ("alert-share", "70"), ("alert-weeks", "2")]).await;
    let st = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(st, StatusCode::SEE_OTHER, "{}", body.split("govuk-error-summary__list").nth(1).unwrap_or(""));
    let (_, after) = senco.get(&format!("{}/costing/settings", app.api())).await;
    assert_eq!(after["costing"]["settings"]["delivery_alert"], json!({"share": 70, "weeks": 2}), "{after}");
});
