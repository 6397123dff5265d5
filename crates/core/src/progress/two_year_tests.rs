use super::*;
use crate::progress::tests::d;
use Judgement::*;

/// Born 15 May 2023: 24 months on 15 May 2025, 37 months on 15 June 2026.
fn dob() -> NaiveDate {
    d(2023, 5, 15)
}

fn input(on: NaiveDate) -> TwoYearCheckInput {
    TwoYearCheckInput {
        on,
        communication_and_language: Some(OnTrack),
        physical_development: Some(OnTrack),
        personal_social_and_emotional_development: Some(OnTrack),
        note: " Talks in short sentences ".into(),
    }
}

fn codes(e: Invalid) -> Vec<(String, String)> {
    e.errors.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn r26_months_are_whole_and_complete_on_the_day_of_the_month_of_birth() {
    assert_eq!(months_on(dob(), d(2025, 5, 14)), 23);
    assert_eq!(months_on(dob(), d(2025, 5, 15)), 24);
    assert_eq!(months_on(d(2024, 1, 31), d(2024, 2, 29)), 0);
    assert_eq!(months_on(d(2024, 1, 31), d(2024, 3, 1)), 1);
    assert_eq!(months_on(dob(), d(2023, 5, 1)), 0, "before birth");
    assert_eq!(window(dob()), (d(2025, 5, 15), d(2026, 6, 14)));
    assert_eq!(window(d(2024, 1, 31)), (d(2026, 1, 31), d(2027, 2, 28)), "37 months is 1 March 2027: February has no 31st");
    assert_eq!(window(d(2023, 11, 30)), (d(2025, 11, 30), d(2026, 12, 29)));
}

#[test]
fn r26_a_check_is_done_between_24_and_36_months_and_judges_every_prime_area() {
    let today = d(2026, 7, 10);
    let check = input(d(2025, 5, 15)).validate(dob(), today).unwrap();
    assert_eq!(check.note, "Talks in short sentences");
    assert_eq!(
        check.areas().map(|(a, _)| a.label()),
        ["communication and language", "physical development", "personal, social and emotional development"]
    );
    assert!(input(d(2026, 6, 14)).validate(dob(), today).is_ok(), "the last day aged 36 months");
    let early = input(d(2025, 5, 14)).validate(dob(), today).unwrap_err();
    assert_eq!(
        early.errors[0].message,
        "The child was 23 months old on 14 May 2025: the check at age two is done between 24 and 36 months, from 15 May 2025 to 14 June 2026"
    );
    let late = input(d(2026, 6, 15)).validate(dob(), today).unwrap_err();
    assert_eq!(
        late.errors[0].message,
        "The child was 37 months old on 15 June 2026: the check at age two is done between 24 and 36 months, from 15 May 2025 to 14 June 2026"
    );
    assert_eq!(codes(input(d(2026, 6, 1)).validate(dob(), d(2026, 5, 31)).unwrap_err()), [("on".to_owned(), "in_future".to_owned())]);
    assert_eq!(codes(input(d(2023, 5, 1)).validate(dob(), today).unwrap_err()), [("on".to_owned(), "before_birth".to_owned())]);
    let blank = TwoYearCheckInput {
        communication_and_language: None,
        personal_social_and_emotional_development: None,
        note: "a\u{0}".into(),
        ..input(d(2025, 6, 1))
    };
    let err = blank.validate(dob(), today).unwrap_err();
    assert_eq!(
        codes(err.clone()),
        [
            ("communication_and_language", "required"),
            ("personal_social_and_emotional_development", "required"),
            ("note", "control_character")
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    assert_eq!(err.errors[1].message, "Choose a judgement for personal, social and emotional development");
    let json: TwoYearCheckInput = serde_json::from_str(
        r#"{"on":"2025-06-01","communication_and_language":"not_on_track","physical_development":"some_concerns","personal_social_and_emotional_development":null}"#,
    )
    .unwrap();
    assert_eq!(
        (json.communication_and_language, json.physical_development, json.personal_social_and_emotional_development, json.note.as_str()),
        (Some(NotOnTrack), Some(SomeConcerns), None, "")
    );
}

#[test]
fn r26_an_area_not_on_track_is_flagged_naming_the_areas() {
    let mut check = input(d(2026, 3, 3)).validate(dob(), d(2026, 7, 10)).unwrap();
    assert_eq!(two_year_flags(&check), None, "all on track");
    check.communication_and_language = NotOnTrack;
    check.personal_social_and_emotional_development = SomeConcerns;
    assert_eq!(
        two_year_flags(&check),
        Some(Flag {
            subject: "Progress check at age two".into(),
            rule: RuleKind::TwoYearCheckConcern,
            words: "Progress check at age two on 3 March 2026: not on track in communication and language; some concerns in personal, social and emotional development".into(),
            since: d(2026, 3, 3),
        })
    );
}

#[test]
fn r26_a_child_past_36_months_in_early_years_without_a_check_is_flagged() {
    let ey = SettingType::EarlyYears;
    assert_eq!(missing_two_year_check(ey, dob(), &[], d(2026, 6, 14)), None, "still 36 months: the window is open");
    assert_eq!(
        missing_two_year_check(ey, dob(), &[], d(2026, 6, 15)),
        Some(Flag {
            subject: "Progress check at age two".into(),
            rule: RuleKind::TwoYearCheckMissing,
            words: "No progress check at age two recorded: it was due between 15 May 2025 and 14 June 2026 (24 to 36 months)".into(),
            since: d(2026, 6, 15),
        })
    );
    let check = input(d(2025, 9, 1)).validate(dob(), d(2026, 7, 10)).unwrap();
    assert_eq!(missing_two_year_check(ey, dob(), &[check], d(2026, 7, 10)), None, "a check is recorded");
    assert_eq!(missing_two_year_check(SettingType::School, dob(), &[], d(2026, 7, 10)), None, "schools are not asked for it");
    assert_eq!(missing_two_year_check(SettingType::FurtherEducation, dob(), &[], d(2026, 7, 10)), None);
}
