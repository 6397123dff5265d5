use super::*;
use crate::progress::tests::{d, scale};
use Value::{Level, Score};

const PKF: Value = Level(0);
const WTS: Value = Level(1);
const EXS: Value = Level(2);
const GDS: Value = Level(3);
const Y4: YearGroup = YearGroup::Year(4);

/// Assessments of one subject on the school's three assessment points, in order:
/// 3 November 2025, 3 March 2026, 10 July 2026, then 2 November 2026.
fn series(subject: &str, values: &[Value]) -> Vec<Assessment> {
    let dates = [d(2025, 11, 3), d(2026, 3, 3), d(2026, 7, 10), d(2026, 11, 2)];
    values.iter().zip(dates).map(|(v, on)| Assessment { subject: subject.into(), on, value: *v }).collect()
}

fn check(year: YearGroup, rules: ProgressRules, assessments: &[Assessment]) -> Vec<(RuleKind, String, NaiveDate)> {
    flags(year, &scale(), &rules, assessments).into_iter().map(|f| (f.rule, f.words, f.since)).collect()
}

fn one(rule: RuleKind, words: &str, since: NaiveDate) -> Vec<(RuleKind, String, NaiveDate)> {
    vec![(rule, words.to_owned(), since)]
}

#[test]
fn r03_fell_from_expected_to_below_expected_across_two_assessments() {
    let rules = ProgressRules::default();
    assert_eq!(
        check(Y4, rules, &series("reading", &[EXS, WTS, WTS])),
        one(
            RuleKind::FellBelowExpected,
            "Fell from expected to below expected in reading across two assessments (since 3 March 2026)",
            d(2026, 3, 3)
        )
    );
    assert_eq!(check(Y4, rules, &series("reading", &[GDS, PKF, WTS])).len(), 1, "from above expected too");
    assert_eq!(check(Y4, rules, &series("reading", &[EXS, WTS])), [], "one below expected is not yet a fall");
    assert_eq!(check(Y4, rules, &series("reading", &[WTS, EXS, WTS])), [], "back at expected in between");
    assert_eq!(check(Y4, rules, &series("reading", &[EXS, GDS, EXS])), []);
    let at_once = ProgressRules { fell_below_after: 1, ..rules };
    assert_eq!(
        check(Y4, at_once, &series("reading", &[EXS, WTS])),
        one(
            RuleKind::FellBelowExpected,
            "Fell from expected to below expected in reading at the latest assessment (since 3 March 2026)",
            d(2026, 3, 3)
        )
    );
    assert_eq!(check(Y4, ProgressRules { fell_below_after: 0, ..rules }, &series("reading", &[EXS, WTS])).len(), 1, "0 is read as 1");
}

#[test]
fn r03_stuck_below_expected_in_the_last_three_and_not_rising() {
    let rules = ProgressRules::default();
    assert_eq!(
        check(Y4, rules, &series("maths", &[WTS, WTS, WTS])),
        one(
            RuleKind::StuckBelowExpected,
            "Below expected in maths in each of the last three assessments and not rising (since 3 November 2025)",
            d(2025, 11, 3)
        )
    );
    assert_eq!(check(Y4, rules, &series("maths", &[WTS, PKF, WTS])).len(), 1, "back to where it started is not rising");
    assert_eq!(check(Y4, rules, &series("maths", &[PKF, WTS, WTS])), [], "rising from PKF to WTS");
    assert_eq!(check(Y4, rules, &series("maths", &[WTS, WTS])), [], "two below is not yet stuck");
    assert_eq!(
        check(Y4, rules, &series("maths", &[PKF, WTS, WTS, WTS])),
        one(
            RuleKind::StuckBelowExpected,
            "Below expected in maths in each of the last three assessments and not rising (since 3 March 2026)",
            d(2026, 3, 3)
        ),
        "only the last three are read: the rise from PKF is before them"
    );
}

#[test]
fn r03_a_subject_gets_one_level_flag_and_a_fall_says_more_than_stuck() {
    assert_eq!(
        check(Y4, ProgressRules::default(), &series("writing", &[EXS, WTS, WTS, WTS])),
        one(
            RuleKind::FellBelowExpected,
            "Fell from expected to below expected in writing across three assessments (since 3 March 2026)",
            d(2026, 3, 3)
        )
    );
}

#[test]
fn r03_a_standardised_score_below_85_and_not_rising() {
    let rules = ProgressRules::default();
    assert_eq!(
        check(Y4, rules, &series("maths", &[Score(84), Score(82)])),
        one(RuleKind::LowScore, "Standardised score in maths below 85 and not rising (82 on 3 March 2026, 84 before)", d(2025, 11, 3))
    );
    assert_eq!(
        check(Y4, rules, &series("maths", &[Score(90), Score(82)])),
        one(RuleKind::LowScore, "Standardised score in maths below 85 and not rising (82 on 3 March 2026, 90 before)", d(2026, 3, 3)),
        "since the first score of the run below 85"
    );
    assert_eq!(check(Y4, rules, &series("maths", &[Score(82), Score(82)])).len(), 1, "the same is not rising");
    assert_eq!(check(Y4, rules, &series("maths", &[Score(80), Score(84)])), [], "rising, though still below 85");
    assert_eq!(check(Y4, rules, &series("maths", &[Score(90), Score(85)])), [], "85 is not below 85");
    assert_eq!(check(Y4, ProgressRules { score_below: 90, ..rules }, &series("maths", &[Score(95), Score(88)])).len(), 1);
}

#[test]
fn r03_a_single_score_below_85_flags_as_nothing_shows_it_rising() {
    assert_eq!(
        check(Y4, ProgressRules::default(), &series("maths", &[Score(84)])),
        one(RuleKind::LowScore, "Standardised score in maths below 85 (84 on 3 November 2025, the first score recorded)", d(2025, 11, 3))
    );
    assert_eq!(check(Y4, ProgressRules::default(), &series("maths", &[EXS])), [], "a single level: nothing to fall from");
    assert_eq!(check(Y4, ProgressRules::default(), &[]), []);
}

#[test]
fn r03_two_results_of_a_kind_on_one_day_count_once_as_the_lower() {
    let on = d(2026, 7, 10);
    let first = Assessment { subject: "maths".into(), on: d(2026, 3, 3), value: Score(84) };
    let high = Assessment { subject: "maths".into(), on, value: Score(90) };
    let low = Assessment { subject: "maths".into(), on, value: Score(83) };
    let expect =
        one(RuleKind::LowScore, "Standardised score in maths below 85 and not rising (83 on 10 July 2026, 84 before)", d(2026, 3, 3));
    assert_eq!(check(Y4, ProgressRules::default(), &[first.clone(), high.clone(), low.clone()]), expect);
    assert_eq!(check(Y4, ProgressRules::default(), &[low, high, first]), expect, "whatever the order given");
    let mut levels = series("reading", &[EXS, WTS]);
    levels.push(Assessment { subject: "reading".into(), on: d(2026, 3, 3), value: GDS });
    assert_eq!(check(Y4, ProgressRules::default(), &levels), [], "EXS then (WTS or GDS on one day, so WTS): one below, no fall yet");
    levels.extend(series("reading", &[EXS, EXS, WTS]).into_iter().skip(2));
    assert_eq!(check(Y4, ProgressRules::default(), &levels).len(), 1, "EXS, WTS, WTS: the fall");
}

#[test]
fn r03_levels_and_scores_in_one_subject_are_each_compared_with_their_own_kind() {
    let mut mixed = series("reading", &[EXS, WTS, WTS]);
    mixed.extend(series("reading", &[Score(95), Score(100)]));
    assert_eq!(check(Y4, ProgressRules::default(), &mixed).iter().map(|f| f.0).collect::<Vec<_>>(), [RuleKind::FellBelowExpected]);
    let mut both = series("Reading", &[EXS, WTS, WTS]);
    both.extend(series("Reading", &[Score(84)]));
    both.extend(series("maths", &[Score(70)]));
    let got = flags(Y4, &scale(), &ProgressRules::default(), &both);
    assert_eq!(
        got.iter().map(|f| (f.subject.as_str(), f.rule)).collect::<Vec<_>>(),
        [("maths", RuleKind::LowScore), ("Reading", RuleKind::FellBelowExpected), ("Reading", RuleKind::LowScore)],
        "by subject ignoring case, the level flag first"
    );
}

#[test]
fn r03_a_year_group_the_scale_does_not_expect_gets_no_level_flags_but_scores_still_count() {
    let mut a = series("phonics", &[EXS, WTS, WTS]);
    a.extend(series("phonics", &[Score(70)]));
    assert_eq!(
        check(YearGroup::Reception, ProgressRules::default(), &a),
        one(RuleKind::LowScore, "Standardised score in phonics below 85 (70 on 3 November 2025, the first score recorded)", d(2025, 11, 3))
    );
}

#[test]
fn r03_a_subject_is_one_whatever_its_case_and_is_named_as_last_typed() {
    let mut a = series("Reading", &[EXS]);
    a.extend(series("reading ", &[EXS, WTS]).into_iter().skip(1));
    a.extend(series(" READING", &[EXS, EXS, WTS]).into_iter().skip(2));
    a.reverse();
    let got = flags(Y4, &scale(), &ProgressRules::default(), &a);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].subject, "READING");
    assert_eq!(got[0].words, "Fell from expected to below expected in READING across two assessments (since 3 March 2026)");
}

#[test]
fn r03_a_level_the_scale_no_longer_has_is_left_out() {
    let a = series("reading", &[EXS, WTS, Level(9), WTS]);
    assert_eq!(
        check(Y4, ProgressRules::default(), &a),
        one(
            RuleKind::FellBelowExpected,
            "Fell from expected to below expected in reading across two assessments (since 3 March 2026)",
            d(2026, 3, 3)
        )
    );
}
