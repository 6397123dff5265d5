//! SEN codes for the school census (R24): census days, the census software's checks,
//! and the CSV and XML a return carries. Every pupil here is invented.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Datelike, NaiveDate, Weekday};
use senplan_core::need::NeedCode::{self, *};
use senplan_core::status::SenStatus;
use senplan_core::upn::Upn;
use senplan_interop::RankedNeed;
use senplan_interop::census::{
    CensusPupil, census_day_on_or_before, census_days, next_census_day, validate, validate_all, write_census_csv, write_census_xml,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn pupil(upn: &str, provision: SenStatus, needs: &[(u8, NeedCode)]) -> CensusPupil {
    CensusPupil {
        upn: Upn::parse(upn).unwrap(),
        surname: "Okafor".into(),
        forename: "Amara".into(),
        provision,
        needs: needs.iter().map(|&(rank, code)| RankedNeed { rank, code }).collect(),
        sen_unit: false,
        resourced_provision: false,
    }
}

fn codes(p: &CensusPupil) -> Vec<String> {
    validate(p).into_iter().map(|p| p.code).collect()
}

#[test]
fn r24_census_days_are_the_first_and_third_thursdays() {
    assert_eq!(census_days(2026), [d(2026, 10, 1), d(2027, 1, 21), d(2027, 5, 20)]);
    assert_eq!(census_days(2025), [d(2025, 10, 2), d(2026, 1, 15), d(2026, 5, 21)]);
    assert_eq!(census_days(2024), [d(2024, 10, 3), d(2025, 1, 16), d(2025, 5, 15)]);
    for year in 1990..2100 {
        let [autumn, spring, summer] = census_days(year);
        assert!([autumn, spring, summer].iter().all(|d| d.weekday() == Weekday::Thu));
        assert!(autumn.day() <= 7 && autumn.month() == 10 && autumn.year() == year);
        assert!((15..=21).contains(&spring.day()) && spring.month() == 1 && spring.year() == year + 1);
        assert!((15..=21).contains(&summer.day()) && summer.month() == 5 && summer.year() == year + 1);
    }
    let [far, ..] = census_days(i32::MAX);
    assert!(far.year() > 100_000, "years beyond what dates hold do not panic");
}

#[test]
fn r24_census_the_census_day_before_and_after_a_date() {
    assert_eq!(census_day_on_or_before(d(2026, 11, 27)), d(2026, 10, 1));
    assert_eq!(census_day_on_or_before(d(2026, 10, 1)), d(2026, 10, 1), "on the day itself");
    assert_eq!(census_day_on_or_before(d(2026, 9, 30)), d(2026, 5, 21));
    assert_eq!(census_day_on_or_before(d(2027, 1, 1)), d(2026, 10, 1));
    assert_eq!(next_census_day(d(2026, 11, 27)), d(2027, 1, 21));
    assert_eq!(next_census_day(d(2026, 10, 1)), d(2027, 1, 21), "after the day itself");
    assert_eq!(next_census_day(d(2026, 6, 1)), d(2026, 10, 1));
    assert_eq!(next_census_day(d(2026, 12, 31)), d(2027, 1, 21));
}

#[test]
fn r24_census_validation_mirrors_the_census_software() {
    assert!(codes(&pupil("E380200124001", SenStatus::K, &[(1, Slcn), (2, Semh)])).is_empty());
    assert!(codes(&pupil("E380200124001", SenStatus::N, &[])).is_empty());
    assert!(codes(&pupil("E380200124001", SenStatus::K, &[(1, Nsa)])).is_empty());
    assert_eq!(codes(&pupil("E380200124001", SenStatus::K, &[])), ["need_missing"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::E, &[])), ["need_missing"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::E, &[(1, Nsa)])), ["nsa_for_ehc_plan"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::K, &[(1, Slcn), (1, Asd)])), ["rank_1_repeated"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::K, &[(2, Slcn)])), ["rank_1_missing"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::N, &[(1, Slcn)])), ["need_for_status_n"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::S, &[(1, Slcn)])), ["historic_provision"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::A, &[])), ["historic_provision"]);
    assert_eq!(codes(&pupil("E380200124001", SenStatus::K, &[(1, Slcn), (2, Slcn)])), ["need_repeated"]);
    let problems = validate(&pupil("E380200124001", SenStatus::E, &[(1, Nsa), (1, Asd)]));
    let messages: Vec<(&str, &str, &str)> = problems.iter().map(|p| (p.upn.as_str(), p.code.as_str(), p.message.as_str())).collect();
    assert_eq!(
        messages,
        [
            ("E380200124001", "rank_1_repeated", "More than one type of need is at rank 1 (NSA, ASD): only one can be the primary need"),
            (
                "E380200124001",
                "nsa_for_ehc_plan",
                "NSA (SEN support, no specialist assessment of type of need) is only for pupils on SEN support (K), not for a pupil with an EHC plan (E)"
            ),
        ]
    );
}

#[test]
fn r24_census_a_upn_twice_in_a_return_is_error_1520() {
    let pupils = [
        pupil("E380200124001", SenStatus::K, &[(1, Slcn)]),
        pupil("U380200124002", SenStatus::N, &[]),
        pupil("E380200124001", SenStatus::K, &[]),
    ];
    let problems = validate_all(&pupils);
    let all: Vec<(&str, &str)> = problems.iter().map(|p| (p.code.as_str(), p.message.as_str())).collect();
    assert_eq!(
        all,
        [
            ("need_missing", "SEN provision K (SEN support) needs a type of need at rank 1 (the primary need)"),
            ("upn_duplicate", "Census error 1520: UPN E380200124001 is on the return more than once (pupils 1 and 3)"),
        ]
    );
}

#[test]
fn r24_census_csv_has_a_fixed_header_and_a_row_per_pupil() {
    let mut p = pupil("E380200124001", SenStatus::K, &[(2, Semh), (1, Slcn)]);
    p.surname = "O'Kafor, \"Jr\"".into();
    let mut out = Vec::new();
    write_census_csv(&mut out, d(2027, 1, 21), &[p, pupil("U380200124002", SenStatus::N, &[])]).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "UPN,Surname,Forename,SENprovision,SENtype1,SENtype2,SENtype3,SENtype4,SENtype5,SENtype6,SENtype7,SENtype8,SENtype9,SENtype10,SENtype11,SENtype12,SENtype13,SENtype14,CensusDate\n\
         E380200124001,\"O'Kafor, \"\"Jr\"\"\",Amara,K,SLCN,SEMH,,,,,,,,,,,,,2027-01-21\n\
         U380200124002,Okafor,Amara,N,,,,,,,,,,,,,,,2027-01-21\n"
    );
}

#[test]
fn r24_census_xml_carries_the_sen_fields() {
    let mut unit = pupil("U380200124002", SenStatus::E, &[(1, Asd)]);
    unit.sen_unit = true;
    let mut out = Vec::new();
    write_census_xml(
        &mut out,
        &[pupil("E380200124001", SenStatus::K, &[(2, Semh), (1, Slcn)]), pupil("H380200124003", SenStatus::N, &[]), unit],
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "<PupilsOnRoll>\
         <Pupil><UPN>E380200124001</UPN><SpecialEducationalNeeds><SENprovision>K</SENprovision><SENneeds>\
         <SENneed><SENtypeRank>1</SENtypeRank><SENtype>SLCN</SENtype></SENneed>\
         <SENneed><SENtypeRank>2</SENtypeRank><SENtype>SEMH</SENtype></SENneed></SENneeds>\
         <SENunitIndicator>false</SENunitIndicator><ResourcedProvisionIndicator>false</ResourcedProvisionIndicator></SpecialEducationalNeeds></Pupil>\
         <Pupil><UPN>H380200124003</UPN><SpecialEducationalNeeds><SENprovision>N</SENprovision>\
         <SENunitIndicator>false</SENunitIndicator><ResourcedProvisionIndicator>false</ResourcedProvisionIndicator></SpecialEducationalNeeds></Pupil>\
         <Pupil><UPN>U380200124002</UPN><SpecialEducationalNeeds><SENprovision>E</SENprovision><SENneeds>\
         <SENneed><SENtypeRank>1</SENtypeRank><SENtype>ASD</SENtype></SENneed></SENneeds>\
         <SENunitIndicator>true</SENunitIndicator><ResourcedProvisionIndicator>false</ResourcedProvisionIndicator></SpecialEducationalNeeds></Pupil>\
         </PupilsOnRoll>\n"
    );
}
