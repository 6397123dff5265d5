//! Small-number suppression for figures shared beyond the school (R25): a count from
//! 1 to 4 could identify a child, so it is shown as "fewer than 5". A table whose
//! total the reader knows also hides a second count when only one is hidden, so the
//! first cannot be found by subtraction ("not shown").

/// Counts below this (but above zero) are suppressed.
pub const THRESHOLD: usize = 5;

/// What a hidden small count says.
pub const FEWER_THAN_5: &str = "fewer than 5";

/// What a count hidden only to protect another says.
pub const NOT_SHOWN: &str = "not shown";

fn is_small(n: usize) -> bool {
    n > 0 && n < THRESHOLD
}

pub fn suppressed(n: usize) -> String {
    if is_small(n) { FEWER_THAN_5.to_owned() } else { n.to_string() }
}

/// A table of counts, each suppressed, whose total the reader knows or can work out.
/// When exactly one count is hidden, or none is but a figure the total depends on is
/// hidden elsewhere (`hidden_elsewhere`), the smallest other non-zero count is hidden
/// too, as "not shown".
pub fn suppressed_table(counts: &[usize], hidden_elsewhere: bool) -> Vec<String> {
    let mut shown: Vec<String> = counts.iter().map(|&n| suppressed(n)).collect();
    let hidden = counts.iter().filter(|&&n| is_small(n)).count();
    if hidden == 1 || (hidden == 0 && hidden_elsewhere) {
        let second = counts.iter().enumerate().filter(|(_, n)| **n >= THRESHOLD).min_by_key(|(i, n)| (**n, *i)).map(|(i, _)| i);
        if let Some(i) = second {
            shown[i] = NOT_SHOWN.to_owned();
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r25_small_counts_are_suppressed_but_zero_and_five_are_shown() {
        assert_eq!(suppressed(0), "0");
        assert_eq!(suppressed(1), "fewer than 5");
        assert_eq!(suppressed(4), "fewer than 5");
        assert_eq!(suppressed(5), "5");
    }

    #[test]
    fn r25_one_hidden_count_in_a_known_total_hides_the_next_smallest_too() {
        // 5 + 3 + 0 + 9 = 17, known: 3 alone hidden would be 17 - 5 - 9.
        assert_eq!(suppressed_table(&[5, 3, 0, 9], false), ["not shown", "fewer than 5", "0", "9"]);
        // Two hidden already protect each other.
        assert_eq!(suppressed_table(&[5, 3, 2, 9], false), ["5", "fewer than 5", "fewer than 5", "9"]);
        // Nothing hidden here, nor elsewhere: everything shown.
        assert_eq!(suppressed_table(&[5, 0, 9], false), ["5", "0", "9"]);
        // Nothing hidden here but a part of the total is hidden elsewhere: hide the smallest.
        assert_eq!(suppressed_table(&[9, 0, 5, 5], true), ["9", "0", "not shown", "5"]);
        // Nothing else to hide: the hidden count stays as it is.
        assert_eq!(suppressed_table(&[3, 0], false), ["fewer than 5", "0"]);
        assert_eq!(suppressed_table(&[], true), Vec::<String>::new());
    }
}
