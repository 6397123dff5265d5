//! The R03 rules applied to one pupil's assessments (the rules in words are in the
//! [`super`] module's header). How the data is read:
//! - subjects are grouped ignoring case and surrounding spaces ("Reading" and
//!   "reading " are one subject); a flag names the subject as last typed;
//! - each subject's assessments are read in date order, levels and scores apart;
//! - two results of the same kind on the same day in one subject count as one, the
//!   lower: their order within the day is unknown, and a flag is only a prompt to look;
//! - levels are judged against the expected level of the pupil's year group now; a
//!   year group the scale has no expectation for gets no level flags (scores are
//!   standardised for age, so they are still judged);
//! - a level the scale does not have (the scale changed since) is left out;
//! - a subject gets at most one level flag: "fell below" says more than "stuck below"
//!   (the pupil was at expected before), so it is the one given.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Assessment, Flag, ProgressRules, RuleKind, Scale, Value, count_in_words};
use crate::dates::in_words;
use crate::pupil::YearGroup;

/// The flags for one pupil in `year_group`, ordered by subject (ignoring case), then
/// level flag before score flag.
pub fn flags(year_group: YearGroup, scale: &Scale, rules: &ProgressRules, assessments: &[Assessment]) -> Vec<Flag> {
    let mut by_subject: BTreeMap<String, Vec<&Assessment>> = BTreeMap::new();
    for a in assessments {
        by_subject.entry(a.subject.trim().to_lowercase()).or_default().push(a);
    }
    let mut out = Vec::new();
    for mut series in by_subject.into_values() {
        series.sort_by_key(|a| a.on);
        let Some(subject) = series.last().map(|a| a.subject.trim().to_owned()) else { continue };
        let levels = lowest_per_day(series.iter().filter_map(|a| match a.value {
            Value::Level(i) if i < scale.levels().len() => Some((a.on, i)),
            _ => None,
        }));
        let scores = lowest_per_day(series.iter().filter_map(|a| match a.value {
            Value::Score(s) => Some((a.on, s)),
            Value::Level(_) => None,
        }));
        if let Some(expected) = scale.expected_for(year_group) {
            out.extend(level_flag(&subject, &levels, expected, rules));
        }
        out.extend(score_flag(&subject, &scores, rules.score_below));
    }
    out
}

/// Date-ordered results with one per day: the lowest of that day's.
fn lowest_per_day<T: Ord + Copy>(results: impl Iterator<Item = (NaiveDate, T)>) -> Vec<(NaiveDate, T)> {
    let mut out: Vec<(NaiveDate, T)> = Vec::new();
    for (on, value) in results {
        match out.last_mut() {
            Some((last_on, last)) if *last_on == on => *last = (*last).min(value),
            _ => out.push((on, value)),
        }
    }
    out
}

fn level_flag(subject: &str, levels: &[(NaiveDate, usize)], expected: usize, rules: &ProgressRules) -> Option<Flag> {
    let run = levels.iter().rev().take_while(|(_, l)| *l < expected).count();
    let fell_after = (rules.fell_below_after.max(1)) as usize;
    let stuck_after = (rules.stuck_below_after.max(2)) as usize;
    let start = levels.len() - run;
    if run >= fell_after && start > 0 {
        let since = levels[start].0;
        let across = if run == 1 { "at the latest assessment".to_owned() } else { format!("across {} assessments", count_in_words(run)) };
        let words = format!("Fell from expected to below expected in {subject} {across} (since {})", in_words(since));
        return Some(Flag { subject: subject.to_owned(), rule: RuleKind::FellBelowExpected, words, since });
    }
    if run >= stuck_after {
        let window = &levels[levels.len() - stuck_after..];
        let (first, last) = (window[0], window[window.len() - 1]);
        if last.1 <= first.1 {
            let words = format!(
                "Below expected in {subject} in each of the last {} assessments and not rising (since {})",
                count_in_words(stuck_after),
                in_words(first.0)
            );
            return Some(Flag { subject: subject.to_owned(), rule: RuleKind::StuckBelowExpected, words, since: first.0 });
        }
    }
    None
}

fn score_flag(subject: &str, scores: &[(NaiveDate, u16)], threshold: u16) -> Option<Flag> {
    let &(on, latest) = scores.last()?;
    let before = scores.len().checked_sub(2).map(|i| scores[i].1);
    if latest >= threshold || before.is_some_and(|b| latest > b) {
        return None;
    }
    let run = scores.iter().rev().take_while(|(_, s)| *s < threshold).count();
    let since = scores[scores.len() - run].0;
    let words = match before {
        Some(b) => format!("Standardised score in {subject} below {threshold} and not rising ({latest} on {}, {b} before)", in_words(on)),
        None => format!("Standardised score in {subject} below {threshold} ({latest} on {}, the first score recorded)", in_words(on)),
    };
    Some(Flag { subject: subject.to_owned(), rule: RuleKind::LowScore, words, since })
}

#[cfg(test)]
#[path = "flags_tests.rs"]
mod tests;
