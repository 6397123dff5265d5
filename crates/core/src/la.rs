//! Local authority numbers (standards.md section 1): the DfE three-digit LA codes and
//! names, as reference data in data/la_codes.tsv, including codes superseded by
//! reorganisations (old UPNs keep them). Update the file, not the code, when local
//! government changes.

use std::sync::LazyLock;

/// The LA reference data: `code<TAB>name` lines, `#` comments, a header line.
const LA_CODES_TSV: &str = include_str!("../data/la_codes.tsv");

/// Known LA numbers with names, sorted by code, codes unique.
static LAS: LazyLock<Vec<(u16, &'static str)>> = LazyLock::new(|| {
    let mut las: Vec<_> = LA_CODES_TSV.lines().filter_map(parse_la_line).collect();
    las.sort_unstable_by_key(|&(code, _)| code);
    las.dedup_by_key(|&mut (code, _)| code);
    las
});

/// Parses one `code<TAB>name` line; `None` for comments, blanks, the header and
/// malformed lines.
fn parse_la_line(line: &str) -> Option<(u16, &str)> {
    if line.starts_with('#') {
        return None;
    }
    let (code, name) = line.split_once('\t')?;
    let code = code.trim().parse::<u16>().ok().filter(|code| (100..=999).contains(code))?;
    let name = name.trim();
    (!name.is_empty()).then_some((code, name))
}

/// Every LA number that may appear in a UPN, current and superseded, sorted by code.
pub fn all_las() -> &'static [(u16, &'static str)] {
    LAS.as_slice()
}

/// The name of LA number `code`, if known.
pub fn la_name(code: u16) -> Option<&'static str> {
    let las = all_las();
    las.binary_search_by_key(&code, |&(c, _)| c).ok().and_then(|index| las.get(index)).map(|&(_, name)| name)
}

/// Whether `code` is a known LA number (current or superseded).
pub fn is_known_la(code: u16) -> bool {
    la_name(code).is_some()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_la_line_parses_and_codes_are_unique() {
        let mut lines = LA_CODES_TSV.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty());
        assert_eq!(lines.next(), Some("code\tname"));
        let mut codes = HashSet::new();
        let mut count = 0;
        for line in lines {
            let (code, _) = parse_la_line(line).unwrap_or_else(|| panic!("bad line {line:?}"));
            assert!(codes.insert(code), "duplicate LA code {code}");
            count += 1;
        }
        assert_eq!(all_las().len(), count);
        assert!(all_las().windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn la_table_has_current_and_superseded_codes_but_not_900() {
        for code in [380, 801, 873, 919, 825, 886, 201, 420, 838, 839, 940, 943] {
            assert!(is_known_la(code), "{code} missing");
        }
        for code in [835, 836, 837, 928, 909, 820, 875] {
            assert!(is_known_la(code), "superseded {code} missing");
        }
        assert!(!is_known_la(900));
        assert!(!is_known_la(0));
        assert_eq!(la_name(380), Some("Bradford"));
        assert_eq!(la_name(839), Some("Bournemouth, Christchurch and Poole"));
        assert_eq!(la_name(900), None);
    }
}
