//! Transfers and the census (R24): a Common Transfer File carries a leaving pupil's
//! SEN history to the next school, where importing it gives back the same status
//! periods and needs exactly; a CTF with sections senplan does not read still gives
//! the SEN history; a file with a pupil refused changes nothing; history from another
//! school never overwrites the school's own; the census return's SEN codes are checked
//! as census software checks them.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_store::testing::{ctx, school};
use serde_json::{Value, json};

use crate::api::{pupil_json, pupil_on_support};
use crate::on_both;
use crate::support::Client;

async fn ctf(c: &Client, s: &str, body: Value) -> (StatusCode, String, String) {
    let res = c.http.post(format!("{}{s}/ctf", c.base)).header("x-csrf-token", &c.csrf).json(&body).send().await.unwrap();
    let status = res.status();
    let name = res.headers().get("content-disposition").map(|h| h.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, name, res.text().await.unwrap())
}

async fn import(c: &Client, s: &str, query: &str, xml: &str) -> (StatusCode, Value) {
    let res = c
        .http
        .post(format!("{}{s}/ctf-import{query}", c.base))
        .header("content-type", "application/xml")
        .header("x-csrf-token", &c.csrf)
        .body(xml.to_owned())
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

/// (status, start, end) of each period, oldest first.
async fn history(c: &Client, s: &str, pupil: i64) -> Vec<(String, String, Value)> {
    let (_, h) = c.get(&format!("{s}/pupils/{pupil}/status")).await;
    let mut out: Vec<(String, String, Value)> =
        h.as_array().unwrap().iter().map(|e| (e["status"].as_str().unwrap().to_owned(), e["start"].as_str().unwrap().to_owned(), e["end"].clone())).collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

async fn needs(c: &Client, s: &str, pupil: i64) -> Vec<(Value, Value)> {
    let (_, n) = c.get(&format!("{s}/pupils/{pupil}/needs")).await;
    n["needs"].as_array().unwrap().iter().map(|x| (x["rank"].clone(), x["code"].clone())).collect()
}

on_both!(r24_a_ctf_export_then_import_round_trips_the_status_and_needs_history_exactly, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    // K from 14 September 2026 (pupil_on_support), then an EHC plan from 2 November.
    let (st, h) = senco.post(&format!("{s}/pupils/{pupil}/status"), json!({"status": "E", "start": "2026-11-02", "reason": "EHC plan issued"})).await;
    assert_eq!(st, StatusCode::CREATED, "{h}");
    let (st, n) = senco.put(&format!("{s}/pupils/{pupil}/needs"), json!({"version": 1, "needs": [{"code": "ASD", "rank": 1}, {"code": "SLCN", "rank": 2}]})).await;
    assert_eq!(st, StatusCode::OK, "{n}");
    let theirs = history(&senco, &s, pupil).await;
    assert_eq!(theirs.len(), 2, "{theirs:?}");

    let (st, name, xml) = ctf(&senco, &s, json!({"destination": "9192002", "destination_urn": "654321", "pupils": [pupil]})).await;
    assert_eq!(st, StatusCode::OK, "{xml}");
    assert_eq!(name, "attachment; filename=\"9192001_CTF_9192002_001.xml\"");
    for (a, b) in [("<CTfile>", "<Header>"), ("<Header>", "<CTFpupilData>"), ("<UPN>A380200124417</UPN>", "<SENhistory>"), ("<SEN>", "<SENneeds>")] {
        assert!(xml.find(a).unwrap() < xml.find(b).unwrap(), "{a} before {b}: {xml}");
    }
    assert!(xml.contains("<LEA>919</LEA><Estab>2002</Estab>") || xml.contains("<LEA>919</LEA>"), "{xml}");
    let (_, second, _) = ctf(&senco, &s, json!({"destination": "9192002", "pupils": [pupil]})).await;
    assert_eq!(second, "attachment; filename=\"9192001_CTF_9192002_002.xml\"", "numbered per destination");

    // The next school takes it: checked, then imported; the same history and needs.
    let next = app.store.create_school(&school("654321"), &ctx()).await.unwrap();
    let their_senco = app.client_in(next.id, Role::Senco, &[]).await;
    let t = format!("/api/schools/{}", next.id.0);
    let (st, plan) = import(&their_senco, &t, "?dry_run=true", &xml).await;
    assert_eq!((st, plan["applied"].as_bool(), plan["added"].clone()), (StatusCode::OK, Some(false), json!(["A380200124417"])), "{plan}");
    let (_, roll) = their_senco.get(&format!("{t}/pupils")).await;
    assert!(roll.as_array().unwrap().is_empty(), "a check changes nothing");
    let (st, done) = import(&their_senco, &t, "", &xml).await;
    assert_eq!((st, done["applied"].as_bool()), (StatusCode::OK, Some(true)), "{done}");
    let (_, roll) = their_senco.get(&format!("{t}/pupils")).await;
    let theirs_now = roll[0]["pupil_id"].as_i64().unwrap();
    assert_eq!(history(&their_senco, &t, theirs_now).await, theirs, "status periods exactly");
    assert_eq!(needs(&their_senco, &t, theirs_now).await, needs(&senco, &s, pupil).await, "needs and ranks exactly");
    let (_, p) = their_senco.get(&format!("{t}/pupils/{theirs_now}")).await;
    assert_eq!((p["given_name"].as_str(), p["family_name"].as_str(), p["date_of_birth"].as_str(), p["status"].as_str()), (Some("Sam"), Some("Testington"), Some("2017-05-04"), Some("E")), "{p}");

    // The same file again adds nothing; the school's own later change is never overwritten.
    let (_, again) = import(&their_senco, &t, "", &xml).await;
    assert_eq!((again["applied"].as_bool(), again["unchanged"].clone()), (Some(false), json!(["A380200124417"])), "{again}");
    let (st, _) = their_senco.put(&format!("{t}/pupils/{theirs_now}/needs"), json!({"version": 1, "needs": [{"code": "SEMH", "rank": 1}]})).await;
    assert_eq!(st, StatusCode::OK);
    let (_, differs) = import(&their_senco, &t, "", &xml).await;
    assert!(differs["conflicts"][0]["message"].as_str().unwrap().contains("the school's are kept"), "{differs}");
    assert_eq!(needs(&their_senco, &t, theirs_now).await, [(json!(1), json!("SEMH"))]);

    // Only the SENCO and administrators send and receive transfer files.
    let teacher = app.client(Role::Teacher, &[senplan_core::ids::PupilId(pupil)]).await;
    assert_eq!(ctf(&teacher, &s, json!({"destination": "9192002", "pupils": [pupil]})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(import(&teacher, &s, "", &xml).await.0, StatusCode::FORBIDDEN);
    let (st, _, body) = ctf(&senco, &s, json!({"destination": "91920", "pupils": [pupil]})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("LAESTAB"), "{body}");
});

on_both!(r24_a_ctf_with_extra_sections_gives_the_sen_history_and_ignores_the_rest_and_a_bad_pupil_stops_it, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    let (_, _, xml) = ctf(&senco, &s, json!({"destination": "9192002", "pupils": [pupil]})).await;
    // A full CTF from a MIS carries much more: attendance, contacts, assessments,
    // sections no specification has.
    let extra = "<Attendance><YearData><Year>2026</Year><SessionsPossible>120</SessionsPossible></YearData></Attendance>\
        <Contacts><Contact><Surname>Contactperson</Surname><Phones><Phone><TelephoneNumber>01632 960001</TelephoneNumber></Phone></Phones></Contact></Contacts>\
        <StageAssessments><KeyStage><Stage>KS1</Stage></KeyStage></StageAssessments><Unheard><Deep><SEN><SENprovision>N</SENprovision></SEN></Deep></Unheard>";
    let full = xml.replacen("<SENhistory>", &format!("{extra}<SENhistory>"), 1).replacen("</Header>", "</Header><SchoolInformation><Note>ignored</Note></SchoolInformation>", 1);
    let next = app.store.create_school(&school("654321"), &ctx()).await.unwrap();
    let their = app.client_in(next.id, Role::Senco, &[]).await;
    let t = format!("/api/schools/{}", next.id.0);
    let (st, done) = import(&their, &t, "", &full).await;
    assert_eq!((st, done["applied"].as_bool()), (StatusCode::OK, Some(true)), "{done}");
    let (_, roll) = their.get(&format!("{t}/pupils")).await;
    let id = roll[0]["pupil_id"].as_i64().unwrap();
    assert_eq!(history(&their, &t, id).await, [("K".to_owned(), "2026-09-14".to_owned(), Value::Null)]);
    assert_eq!(needs(&their, &t, id).await, [(json!(1), json!("SLCN"))]);
    let (_, cycles) = their.get(&format!("{t}/pupils/{id}/cycles")).await;
    assert_eq!(cycles.as_array().unwrap().len(), 1, "a pupil on SEN support has a current cycle: {cycles}");

    // A second pupil whose UPN fails its check letter: refused by place, nothing imported.
    let bad = full.replacen("<Pupil>", "<Pupil><UPN>Z380200124417</UPN><Surname>Bad</Surname><Forename>Upn</Forename><DOB>2017-01-01</DOB></Pupil><Pupil>", 1);
    let third = app.store.create_school(&school("654322"), &ctx()).await.unwrap();
    let other = app.client_in(third.id, Role::Senco, &[]).await;
    let o = format!("/api/schools/{}", third.id.0);
    let (st, refused) = import(&other, &o, "", &bad).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["refused"][0]["index"], 1, "{refused}");
    assert!(refused["refused"][0]["message"].as_str().unwrap().contains("1510"), "{refused}");
    let (_, roll) = other.get(&format!("{o}/pupils")).await;
    assert!(roll.as_array().unwrap().is_empty(), "nothing imported");
    let (st, e) = import(&other, &o, "", "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY a \"aaaa\">]><CTfile>&a;</CTfile>").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
});

on_both!(r24_census_codes_for_a_census_day_validate_like_census_software, |app| {
    let (senco, s, pupil, _) = pupil_on_support(app).await;
    // A second pupil on SEN support with no type of need recorded.
    let (_, p2) = senco.post(&format!("{s}/pupils"), pupil_json("B801200005001")).await;
    let p2 = p2["id"].as_i64().unwrap();
    let (st, _) = senco.post(&format!("{s}/pupils/{p2}/status"), json!({"status": "K", "start": "2026-09-20", "reason": "Concerns"})).await;
    assert_eq!(st, StatusCode::CREATED);
    // The autumn census 2026 was Thursday 1 October.
    let (st, c) = senco.get(&format!("{s}/census?day=2026-10-01")).await;
    assert_eq!(st, StatusCode::OK, "{c}");
    let row = |upn: &str| c["pupils"].as_array().unwrap().iter().find(|p| p["upn"] == upn).cloned().unwrap();
    assert_eq!(row("A380200124417")["provision"], "K");
    assert_eq!(row("A380200124417")["needs"], json!([{"rank": 1, "code": "SLCN"}]));
    assert_eq!(c["problems"], json!([{"upn": "B801200005001", "code": "need_missing", "message": "SEN provision K (SEN support) needs a type of need at rank 1 (the primary need)"}]), "{c}");
    // Before the pupil was on SEN support, the code that day was N.
    let (_, spring) = senco.get(&format!("{s}/census?day=2026-05-21")).await;
    assert_eq!(spring["pupils"][0]["provision"], "N", "{spring}");
    let (st, e) = senco.get(&format!("{s}/census?day=2026-10-02")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(e["errors"][0]["message"].as_str().unwrap().contains("is not a census day"), "{e}");

    // The downloads: CSV with its fixed heading, XML with the census elements.
    let (st, csv) = senco.page(&format!("/schools/{}/census.csv?day=2026-10-01", app.school.0)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(csv.starts_with("UPN,Surname,Forename,SENprovision,SENtype1"), "{csv}");
    assert!(csv.contains("A380200124417,Testington,Sam,K,SLCN"), "{csv}");
    let (_, xml) = senco.page(&format!("/schools/{}/census.xml?day=2026-10-01", app.school.0)).await;
    assert!(xml.contains("<SENprovision>K</SENprovision><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>SLCN</SENtype></SENneed></SENneeds>"), "{xml}");
    let (st, html) = senco.page(&format!("/schools/{}/transfers?day=2026-10-01", app.school.0)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("2 on SEN support (K)") && html.contains("needs a type of need at rank 1"), "{html}");
    let _ = pupil;
    let teacher = app.client(Role::Teacher, &[]).await;
    assert_eq!(teacher.get(&format!("{s}/census")).await.0, StatusCode::FORBIDDEN);
});

on_both!(r24_a_transfer_bundle_carries_the_whole_sen_record_to_another_senplan, |app| {
    let (senco, s, pupil, cycle) = pupil_on_support(app).await;
    let (st, plan) = senco.post(&format!("{s}/cycles/{cycle}/plan"), crate::api::plan_json()).await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    let on = chrono::Utc::now().date_naive() + chrono::Days::new(7);
    let schedule = json!({"on": on, "at": "15:30", "minutes": 45, "kind": "sen_support", "purpose": "review", "online": false,
        "place": "The SENCO's office", "invited": [{"name": "Mrs Testington", "role": "parent"}]});
    let (st, m) = senco.post(&format!("{s}/pupils/{pupil}/meetings"), json!({"schedule": schedule})).await;
    assert_eq!(st, StatusCode::CREATED, "{m}");

    let (st, bundle) = senco.post(&format!("{s}/transfer-bundle"), json!({"pupils": [pupil]})).await;
    assert_eq!(st, StatusCode::OK, "{bundle}");
    assert_eq!(bundle["schema"], "senplan-transfer/1");
    assert_eq!(bundle["pupils"][0]["cycles"][0]["plan"]["outcomes"][0]["description"], "Read 40 common words", "{bundle}");

    let next = app.store.create_school(&school("654321"), &ctx()).await.unwrap();
    let their = app.client_in(next.id, Role::Senco, &[]).await;
    let t = format!("/api/schools/{}", next.id.0);
    let send = |c: &Client, path: String, body: String| {
        let req = c.http.post(format!("{}{path}", c.base)).header("content-type", "application/json").header("x-csrf-token", &c.csrf).body(body);
        async move {
            let res = req.send().await.unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }
    };
    let (st, check) = send(&their, format!("{t}/transfer-bundle/import?dry_run=true"), bundle.to_string()).await;
    assert_eq!((st, check["applied"].as_bool(), check["added"].clone()), (StatusCode::OK, Some(false), json!(["A380200124417"])), "{check}");
    let (st, done) = send(&their, format!("{t}/transfer-bundle/import"), bundle.to_string()).await;
    assert_eq!((st, done["applied"].as_bool()), (StatusCode::OK, Some(true)), "{done}");

    // Everything arrived: the status history, needs, the cycle at its stage with its
    // plan, and the meeting.
    let (_, roll) = their.get(&format!("{t}/pupils")).await;
    let id = roll[0]["pupil_id"].as_i64().unwrap();
    assert_eq!(history(&their, &t, id).await, history(&senco, &s, pupil).await);
    assert_eq!(needs(&their, &t, id).await, needs(&senco, &s, pupil).await);
    let (_, cycles) = their.get(&format!("{t}/pupils/{id}/cycles")).await;
    let (_, ours) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    assert_eq!((cycles[0]["stage"].clone(), cycles[0]["opened_on"].clone()), (ours[0]["stage"].clone(), ours[0]["opened_on"].clone()), "{cycles}");
    let (_, their_plan) = their.get(&format!("{t}/cycles/{}/plan", cycles[0]["id"])).await;
    assert_eq!(their_plan["content"], plan["content"], "{their_plan}");
    let (_, meetings) = their.get(&format!("{t}/pupils/{id}/meetings")).await;
    assert_eq!(meetings["meetings"].as_array().map(Vec::len), Some(1), "{meetings}");

    // Again: the pupil is here now, so the whole file is refused and nothing changes.
    let (st, again) = send(&their, format!("{t}/transfer-bundle/import"), bundle.to_string()).await;
    assert_eq!((st, again["applied"].as_bool()), (StatusCode::BAD_REQUEST, Some(false)), "{again}");
    // Not a bundle: the field at fault is named.
    let mut wrong = bundle.clone();
    wrong["schema"] = json!("senplan-transfer/9");
    let (st, e) = send(&their, format!("{t}/transfer-bundle/import"), wrong.to_string()).await;
    assert_eq!((st, e["errors"][0]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("schema")), "{e}");
    // A crafted record that would break senplan's invariants is refused, naming each
    // problem, before anything is looked at: two open status periods, a cycle numbered 2
    // as the first, and a closed cycle with no closing date.
    let third = app.store.create_school(&school("654322"), &ctx()).await.unwrap();
    let other = app.client_in(third.id, Role::Senco, &[]).await;
    let o = format!("/api/schools/{}", third.id.0);
    let mut crafted = bundle.clone();
    let open = crafted["pupils"][0]["status_history"][0].clone();
    crafted["pupils"][0]["status_history"] = json!([open.clone(), open]);
    crafted["pupils"][0]["cycles"][0]["number"] = json!(2);
    crafted["pupils"][0]["cycles"][0]["stage"] = json!("closed");
    let (st, e) = send(&other, format!("{o}/transfer-bundle/import"), crafted.to_string()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    let codes: Vec<(&str, &str)> = e["errors"].as_array().unwrap().iter().map(|x| (x["field"].as_str().unwrap(), x["code"].as_str().unwrap())).collect();
    assert_eq!(codes, [("pupils[0].status_history[0]", "overlapping"), ("pupils[0].cycles[0]", "cycle_number"), ("pupils[0].cycles[0]", "closed_without_date")], "{e}");
    let (_, roll) = other.get(&format!("{o}/pupils")).await;
    assert!(roll.as_array().unwrap().is_empty(), "nothing imported");
    let mut broken = bundle.clone();
    broken["pupils"][0]["details"]["upn"] = json!("Z380200124417");
    let (st, e) = send(&their, format!("{t}/transfer-bundle/import"), broken.to_string()).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["errors"][0]["field"].as_str().unwrap().starts_with("pupils[0].details.upn"), "{e}");
});
