//! The SEN information report (R23): the SENCO writes it section by section, a draft
//! is kept without touching what is published, publishing needs every section, each
//! version is kept, the public page needs no sign-in and shows suppressed figures, and
//! the compliance dashboard flags a report that is missing or overdue for review.

use chrono::{Days, Months, Utc};
use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::info_report::Section;
use serde_json::{Value, json};

use crate::api::pupil_on_support;
use crate::on_both;

fn sections(prefix: &str) -> Value {
    Section::ALL.iter().map(|s| (s.slug().to_owned(), Value::String(format!("{prefix} {}", s.heading())))).collect::<serde_json::Map<_, _>>().into()
}

on_both!(r23_the_senco_writes_publishes_and_versions_the_information_report_and_anyone_reads_it, |app| {
    let (senco, s, _pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    let anon = reqwest::Client::new();
    let public = format!("{}/information-report/123456", app.base);

    // Nothing published: the public page and the dashboard say so.
    assert_eq!(anon.get(&public).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let (_, d) = senco.get(&format!("{s}/compliance")).await;
    assert_eq!(d["information_report"]["state"], "missing", "{d}");
    let (_, html) = senco.page(&format!("/schools/{school}/dashboard")).await;
    assert!(html.contains("Not published"), "{html}");

    // A first draft carries the SENCO's contact from the school's contacts.
    let (st, first) = senco.get(&format!("{s}/information-report")).await;
    assert_eq!((st, first["version"].as_i64()), (StatusCode::OK, Some(0)), "{first}");

    // Publishing with a section empty is refused, naming it; nothing stored.
    let mut partial = sections("Draft:");
    partial.as_object_mut().unwrap().remove("complaints");
    let today = Utc::now().date_naive();
    let body = json!({"version": 0, "publish": true, "sections": partial, "local_offer_url": "https://localoffer.example.gov.uk", "reviewed_on": today});
    let (st, e) = senco.put(&format!("{s}/information-report"), body).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["errors"][0]["field"], "sections.complaints", "{e}");
    assert_eq!(senco.get(&format!("{s}/information-report")).await.1["version"], 0);

    // The same as a draft is kept, and nothing is public yet.
    let body = json!({"version": 0, "sections": partial, "local_offer_url": "https://localoffer.example.gov.uk", "reviewed_on": today});
    let (st, v1) = senco.put(&format!("{s}/information-report"), body).await;
    assert_eq!((st, v1["version"].as_i64(), v1["published_version"].as_i64()), (StatusCode::OK, Some(1), None), "{v1}");
    assert_eq!(anon.get(&public).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // Published on the page: every section, the review date.
    let csrf = senco.csrf.clone();
    let edit = format!("/schools/{school}/information-report");
    let mut fields: Vec<(String, String)> = Section::ALL.iter().map(|x| (format!("sections.{}", x.slug()), format!("Ours: {}", x.heading()))).collect();
    fields.push(("local_offer_url".into(), "https://localoffer.example.gov.uk/send".into()));
    let reviewed = today - Days::new(30);
    for (k, v) in [("day", reviewed.format("%-d").to_string()), ("month", reviewed.format("%-m").to_string()), ("year", reviewed.format("%Y").to_string())] {
        fields.push((format!("reviewed_on.{k}"), v));
    }
    let stale: Vec<(String, String)> = [("csrf_token".to_owned(), csrf.clone()), ("version".into(), "0".into()), ("action".into(), "publish".into())].into_iter().chain(fields.clone()).collect();
    let res = senco.form(&edit, &stale.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "a stale version is refused");
    let good: Vec<(String, String)> = [("csrf_token".to_owned(), csrf.clone()), ("version".into(), "1".into()), ("action".into(), "publish".into())].into_iter().chain(fields.clone()).collect();
    let res = senco.form(&edit, &good.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("{edit}?saved=published"));

    // Anyone reads it without signing in: every section, the dates, the figures suppressed
    // (one pupil on SEN support, in communication and interaction, is "fewer than 5").
    let res = anon.get(&public).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    for x in Section::ALL {
        assert!(html.contains(&format!("Ours: {}", x.heading()).replace('\'', "&#39;")), "{}: {html}", x.heading());
    }
    assert!(html.contains("Version 2, published"), "{html}");
    assert!(html.contains(&format!("Last reviewed {}", senplan_core::dates::in_words(reviewed))), "{html}");
    assert!(html.contains("https://localoffer.example.gov.uk/send"), "{html}");
    assert!(!html.contains("Testpupil") && !html.contains("Sam"), "no pupil is named: {html}");
    let (st, api) = {
        let r = anon.get(format!("{}/api/information-report/123456", app.base)).send().await.unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(st, StatusCode::OK, "{api}");
    let figure = |label: &str| api["figures"].as_array().unwrap().iter().find(|f| f["label"] == label).map(|f| f["shown"].clone());
    assert_eq!(figure("Pupils on SEN support"), Some(json!("fewer than 5")), "{api}");
    assert_eq!(figure("On SEN support: Communication and interaction"), Some(json!("fewer than 5")), "{api}");
    assert_eq!(figure("On SEN support: Cognition and learning"), Some(json!("0")), "{api}");
    assert_eq!(api["standing"]["state"], "current", "{api}");

    // A later draft leaves the public page on version 2; the earlier versions are listed.
    let body = json!({"version": 2, "sections": sections("Rewriting:"), "local_offer_url": "https://localoffer.example.gov.uk/send", "reviewed_on": today});
    let (st, v3) = senco.put(&format!("{s}/information-report"), body).await;
    assert_eq!((st, v3["version"].as_i64(), v3["published_version"].as_i64()), (StatusCode::OK, Some(3), Some(2)), "{v3}");
    let html = anon.get(&public).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ours: ") && !html.contains("Rewriting:"), "{html}");
    let (_, page) = senco.page(&edit).await;
    assert!(page.contains("Rewriting:") && page.contains("Version 2, saved by") && page.contains("Version 1, saved by"), "{page}");
    assert!(!page.contains("Version 3, saved by"), "the current version is the form");

    // The dashboard: current now; a year and a day after the review, overdue.
    let (_, d) = senco.get(&format!("{s}/compliance")).await;
    assert_eq!(d["information_report"]["state"], "current", "{d}");
    let late = reviewed.checked_add_months(Months::new(12)).unwrap() + Days::new(1);
    let (_, d) = senco.get(&format!("{s}/compliance?on={late}")).await;
    assert_eq!(d["information_report"]["state"], "overdue", "{d}");

    // Only the SENCO writes it; a teacher is refused on the page and the API.
    let teacher = app.client(Role::Teacher, &[]).await;
    assert_eq!(teacher.page(&edit).await.0, StatusCode::FORBIDDEN);
    let (st, _) = teacher.put(&format!("{s}/information-report"), json!({"version": 3, "sections": {}, "reviewed_on": today})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Bad input on the page names the fields and keeps what was typed.
    let bad: Vec<(&str, &str)> = vec![("csrf_token", &csrf), ("version", "3"), ("action", "publish"), ("sections.teaching", "Kept text"), ("local_offer_url", "not a web address"), ("reviewed_on.day", "31"), ("reviewed_on.month", "2"), ("reviewed_on.year", "2026")];
    let res = senco.form(&edit, &bad).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    assert!(html.contains("must be a real date") && html.contains("Enter the Local Offer") && html.contains("Kept text"), "{html}");
    assert_eq!(senco.get(&format!("{s}/information-report")).await.1["version"], 3, "nothing stored");
});
