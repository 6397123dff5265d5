//! Find any pupil: the whole-school list searched by name, UPN and year, reaching pupils
//! not on the SEN register (R01, R10).

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use serde_json::json;

use crate::access::upn;
use crate::on_both;

on_both!(r01_r10_any_pupil_is_found_by_name_upn_or_year_and_added_to_sen_support, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let mut ids = Vec::new();
    for (n, given, family, year) in [(1, "Sam", "Adams", "4"), (2, "Ria", "Brown", "4"), (3, "Theo", "O'Clarke", "5")] {
        let body = json!({"upn": upn(n), "given_name": given, "family_name": family, "date_of_birth": "2016-05-04", "year_group": year});
        let (st, p) = senco.post(&format!("{s}/pupils"), body).await;
        assert_eq!(st, StatusCode::CREATED, "{p}");
        ids.push(p["id"].as_i64().unwrap());
    }
    senco.post(&format!("{s}/pupils/{}/status", ids[0]), json!({"status": "K", "start": "2026-09-14", "reason": "Needs identified"})).await;
    let page = format!("/schools/{}/pupils", app.school.0);
    let names = |html: &str| ["Sam Adams", "Ria Brown", "Theo O&#39;Clarke"].into_iter().filter(|n| html.contains(n)).count();

    let (st, html) = senco.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("3 pupils found") && names(&html) == 3, "everyone, not only the register: {html}");
    assert!(html.contains(&format!("href=\"{page}\"")), "the menu links to the list");
    // Ria Brown (no SEN) can be added to SEN support from the list; Sam Adams is on it.
    assert!(html.contains(&format!("href=\"/schools/{}/pupils/{}/status\"", app.school.0, ids[1])));
    assert!(!html.contains(&format!("/pupils/{}/status", ids[0])));
    for (query, want) in [
        ("?q=adam", "Sam Adams"),
        ("?q=ADAMS+sam", "Sam Adams"),
        ("?q=brown%2C+ria", "Ria Brown"),
        (&format!("?q={}", &upn(2)[..9].to_lowercase()), "Ria Brown"),
        ("?q=o%27clarke", "Theo O&#39;Clarke"),
        ("?year=5", "Theo O&#39;Clarke"),
    ] {
        let (st, html) = senco.page(&format!("{page}{query}")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(html.contains("1 pupil found") && html.contains(want), "{query}: {html}");
    }
    // LIKE's wildcards are taken literally; an unknown year group is ignored, not an error.
    for query in ["?q=%25", "?q=_", "?q=zzz"] {
        let (_, html) = senco.page(&format!("{page}{query}")).await;
        assert!(html.contains("No pupils found") && names(&html) == 0, "{query}: {}", &html[html.find("role=\"status\"").unwrap()..][..60]);
    }
    let (st, html) = senco.page(&format!("{page}?year=Year+99")).await;
    assert!(st == StatusCode::OK && html.contains("3 pupils found"));

    // A teacher finds only the pupils they teach, and is offered no change of status.
    let teacher = app.client(Role::Teacher, &[PupilId(ids[1])]).await;
    let (_, html) = teacher.page(&page).await;
    assert!(html.contains("1 pupil found") && html.contains("Ria Brown") && !html.contains("Add to SEN support"), "{html}");
    let (st, _) = app.client(Role::ParentCarer, &[PupilId(ids[1])]).await.page(&page).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});
