//! Plain-language wording shared by the documents: need codes explained, how often
//! help is given, group sizes, lists of outcome numbers, text split into paragraphs,
//! and file names. Dates in words and pounds come from core (`dates::in_words`,
//! `Pence`'s "£1,234.50"), so a document says them as every page of senplan does.

use chrono::NaiveDate;
use senplan_core::dates::in_words;
use senplan_core::need::NeedCode;

/// "Speech, language and communication needs (SLCN)": the meaning first, then the code
/// that other records use.
pub(crate) fn need(code: NeedCode) -> String {
    format!("{} ({})", code.meaning(), code.code())
}

/// "30 minutes", "1 hour", "1 hour 15 minutes".
pub(crate) fn duration(minutes: u32) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    let plural = |n: u32, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    match (hours, rest) {
        (0, m) => plural(m, "minute", "minutes"),
        (h, 0) => plural(h, "hour", "hours"),
        (h, m) => format!("{} {}", plural(h, "hour", "hours"), plural(m, "minute", "minutes")),
    }
}

/// "once a week", "twice a week", "3 times a week".
pub(crate) fn times_a_week(sessions: u32) -> String {
    match sessions {
        1 => "once a week".to_owned(),
        2 => "twice a week".to_owned(),
        n => format!("{n} times a week"),
    }
}

/// "one-to-one" or "group of 4".
pub(crate) fn group(size: u32) -> String {
    if size <= 1 { "one-to-one".to_owned() } else { format!("group of {size}") }
}

/// "From 2 November 2026", or "2 November 2026 to 12 February 2027".
pub(crate) fn date_span(start: NaiveDate, end: Option<NaiveDate>) -> String {
    match end {
        None => format!("From {}", in_words(start)),
        Some(end) => format!("{} to {}", in_words(start), in_words(end)),
    }
}

/// "1", "1 and 2", "1, 2 and 3".
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "Outcome 1", "Outcomes 1 and 2"; "No outcome" when there are none.
pub(crate) fn outcome_numbers(numbers: &[u32]) -> String {
    let items: Vec<String> = numbers.iter().map(u32::to_string).collect();
    match items.len() {
        0 => "No outcome".to_owned(),
        1 => format!("Outcome {}", and_list(&items)),
        _ => format!("Outcomes {}", and_list(&items)),
    }
}

/// Text as typed, one paragraph per non-empty line, so a view written over several
/// lines keeps its breaks. Empty text gives no paragraphs.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// A file name from words: lower-case ASCII letters and digits joined by hyphens,
/// e.g. "sen-support-plan-ann-smith-v3.pdf". Letters with accents lose them where
/// the plain letter is obvious ("Zoë" → "zoe"); anything else becomes a hyphen.
pub fn file_name(parts: &[&str], extension: &str) -> String {
    let mut slug = String::new();
    for c in parts.join(" ").chars().flat_map(char::to_lowercase) {
        let c = plain_letter(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { format!("document.{extension}") } else { format!("{slug}.{extension}") }
}

/// The plain letter under a common accented Latin letter, else the character itself.
fn plain_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ś' | 'š' | 'ş' => 's',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r09_durations_read_as_people_say_them() {
        assert_eq!(duration(1), "1 minute");
        assert_eq!(duration(30), "30 minutes");
        assert_eq!(duration(60), "1 hour");
        assert_eq!(duration(75), "1 hour 15 minutes");
        assert_eq!(duration(120), "2 hours");
        assert_eq!(duration(121), "2 hours 1 minute");
    }

    #[test]
    fn r09_how_often_and_group_sizes() {
        assert_eq!(times_a_week(1), "once a week");
        assert_eq!(times_a_week(2), "twice a week");
        assert_eq!(times_a_week(5), "5 times a week");
        assert_eq!(group(1), "one-to-one");
        assert_eq!(group(4), "group of 4");
    }

    #[test]
    fn r09_outcome_numbers_are_listed_in_words() {
        assert_eq!(outcome_numbers(&[]), "No outcome");
        assert_eq!(outcome_numbers(&[2]), "Outcome 2");
        assert_eq!(outcome_numbers(&[1, 2]), "Outcomes 1 and 2");
        assert_eq!(outcome_numbers(&[1, 2, 3]), "Outcomes 1, 2 and 3");
    }

    #[test]
    fn r09_need_codes_are_explained() {
        assert_eq!(need(NeedCode::Slcn), "Speech, language and communication needs (SLCN)");
    }

    #[test]
    fn r09_file_names_are_plain_ascii() {
        assert_eq!(file_name(&["SEN support plan", "Zoë O'Brien-Nowak", "v3"], "pdf"), "sen-support-plan-zoe-o-brien-nowak-v3.pdf");
        assert_eq!(file_name(&["#*$"], "pdf"), "document.pdf");
    }

    #[test]
    fn r09_views_keep_their_lines_as_paragraphs() {
        assert_eq!(paragraphs("  First line\r\n\n second  \n"), vec!["First line", "second"]);
        assert!(paragraphs("   ").is_empty());
    }
}
