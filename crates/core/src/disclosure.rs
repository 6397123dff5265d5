//! Small-number suppression for figures shared beyond the school (R25): a count from
//! 1 to 4 could identify a child, so it is shown as "fewer than 5".

/// Counts below this (but above zero) are suppressed.
pub const THRESHOLD: usize = 5;

pub fn suppressed(n: usize) -> String {
    if n > 0 && n < THRESHOLD { "fewer than 5".to_owned() } else { n.to_string() }
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
}
