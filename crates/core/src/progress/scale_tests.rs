use super::*;

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn level(code: &str, label: &str) -> Level {
    Level { code: code.into(), label: label.into() }
}

fn input() -> ScaleInput {
    ScaleInput {
        name: " Teacher assessment ".into(),
        levels: vec![
            level("PKF", "Pre-key stage foundations"),
            level("WTS", "Working towards the expected standard"),
            level("EXS", "Working at the expected standard"),
            level("GDS", "Working at greater depth"),
        ],
        expected: BTreeMap::from([(YearGroup::Year(2), 2), (YearGroup::Year(4), 2), (YearGroup::Year(6), 2)]),
    }
}

/// PKF 0, WTS 1, EXS 2 (expected of Years 2, 4 and 6), GDS 3; no expectation for Reception.
pub(crate) fn scale() -> Scale {
    input().validate().unwrap()
}

fn fields(e: Invalid) -> Vec<(String, String)> {
    e.errors.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn r03_a_scale_reads_codes_and_the_level_expected_of_each_year() {
    let s = scale();
    assert_eq!(s.name(), "Teacher assessment");
    assert_eq!(s.codes(), "PKF, WTS, EXS, GDS");
    assert_eq!([s.level_index(" exs "), s.level_index("GDS"), s.level_index("EX")], [Some(2), Some(3), None]);
    assert_eq!(s.expected_for(YearGroup::Year(4)), Some(2));
    assert_eq!(s.expected_for(YearGroup::Reception), None, "a year left out does not use the scale");
    assert_eq!(s.expected_for(YearGroup::Year(3)), None);
}

#[test]
fn r03_a_scale_is_refused_field_by_field() {
    let mut i = input();
    i.name = " ".into();
    i.levels[1].code = "exs".into();
    i.levels[2].label = "".into();
    i.levels[3].code = "3".into();
    i.expected.insert(YearGroup::Year(5), 4);
    let err = i.validate().unwrap_err();
    assert_eq!(
        fields(err.clone()),
        [
            ("name", "required"),
            ("levels[2].code", "duplicate_code"),
            ("levels[2].label", "required"),
            ("levels[3].code", "numeric_code"),
            ("expected.5", "not_on_scale"),
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    assert_eq!(err.errors[1].message, "The code 'EXS' is used by level 2 already");
    assert_eq!(err.errors[4].message, "Year 5's expected level must be one of the scale's levels (0 to 3)");

    let one = ScaleInput { name: "Phonics".into(), levels: vec![level("Y", "Yes")], expected: BTreeMap::new() };
    assert_eq!(
        fields(one.validate().unwrap_err()),
        [("levels", "too_few_levels"), ("expected", "required"),].map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
}

#[test]
fn r03_a_scale_is_stored_as_json_and_checked_when_read_back() {
    let json = serde_json::to_value(scale()).unwrap();
    assert_eq!(json["expected"], serde_json::json!({"2": 2, "4": 2, "6": 2}));
    let back: Scale = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, scale());
    let mut bad = json;
    bad["expected"]["R"] = serde_json::json!(7);
    let err = serde_json::from_value::<Scale>(bad).unwrap_err().to_string();
    assert!(err.contains("expected.R: Reception's expected level must be one of the scale's levels (0 to 3)"), "{err}");
}

#[test]
fn r03_rules_default_to_two_three_and_85_and_are_checked() {
    let r = ProgressRules::default();
    assert_eq!((r.fell_below_after, r.stuck_below_after, r.score_below), (2, 3, 85));
    assert_eq!(r.validate(), Ok(()));
    let partial: ProgressRules = serde_json::from_str(r#"{"score_below": 90}"#).unwrap();
    assert_eq!(partial, ProgressRules { score_below: 90, ..ProgressRules::default() });
    assert_eq!(ProgressRules { fell_below_after: 1, stuck_below_after: 2, score_below: 41 }.validate(), Ok(()));
    assert_eq!(ProgressRules { fell_below_after: 10, stuck_below_after: 10, score_below: 160 }.validate(), Ok(()));
    let err = ProgressRules { fell_below_after: 0, stuck_below_after: 1, score_below: 40 }.validate().unwrap_err();
    assert_eq!(
        fields(err.clone()),
        [("fell_below_after", "out_of_range"), ("stuck_below_after", "out_of_range"), ("score_below", "out_of_range")]
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    assert_eq!(err.errors[2].message, "Enter a score from 41 to 160: standardised scores run from 40 to 160");
    let err = ProgressRules { fell_below_after: 11, stuck_below_after: 11, score_below: 161 }.validate().unwrap_err();
    assert_eq!(err.errors.len(), 3);
}

#[test]
fn r03_an_assessment_typed_in_a_form_is_checked() {
    let today = d(2026, 7, 10);
    let ok = Assessment { subject: " Reading ".into(), on: today, value: Value::Score(40) };
    assert_eq!(ok.check(&scale(), today), Ok(Assessment { subject: "Reading".into(), ..ok.clone() }));
    assert!(Assessment { value: Value::Score(160), ..ok.clone() }.check(&scale(), today).is_ok());
    assert!(Assessment { value: Value::Level(3), ..ok.clone() }.check(&scale(), today).is_ok());
    let bad = Assessment { subject: "".into(), on: d(2026, 7, 11), value: Value::Score(39) };
    let err = bad.check(&scale(), today).unwrap_err();
    assert_eq!(
        fields(err.clone()),
        [("subject", "required"), ("on", "in_future"), ("value", "not_on_scale")].map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    assert_eq!(err.errors[2].message, "A standardised score is from 40 to 160, found 39");
    assert_eq!(Value::Score(161).problem(&scale()), Some("A standardised score is from 40 to 160, found 161".into()));
    assert_eq!(
        Value::Level(4).problem(&scale()),
        Some("There is no level 4 on the scale 'Teacher assessment' (PKF, WTS, EXS, GDS)".into())
    );
    assert_eq!(serde_json::to_string(&Value::Level(2)).unwrap(), r#"{"level":2}"#);
    assert_eq!(serde_json::to_string(&Value::Score(84)).unwrap(), r#"{"score":84}"#);
}

#[test]
fn counts_are_words_up_to_ten() {
    assert_eq!([1, 2, 3, 10, 11].map(count_in_words), ["one", "two", "three", "ten", "11"].map(String::from));
}
