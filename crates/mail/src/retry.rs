//! When to try a transient failure again, and when to stop: 1 minute, 5 minutes,
//! 30 minutes, 2 hours, then 12 hours, and no more after [`MAX_ATTEMPTS`] tries (about
//! 15 hours in all, so a reminder is not sent days late). Pure: the caller keeps the
//! count of attempts and the clock.

use chrono::Duration;

/// Attempts in all (the first try and five retries) before a reminder is given up.
pub const MAX_ATTEMPTS: u32 = 6;

/// How long to wait before the next try, after `attempt` tries have failed. `0` (not
/// tried yet) is no wait; past the table it stays at 12 hours.
pub fn backoff(attempt: u32) -> Duration {
    match attempt {
        0 => Duration::zero(),
        1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        4 => Duration::hours(2),
        _ => Duration::hours(12),
    }
}

/// Whether to give up after `attempt` tries have failed.
pub fn gives_up(attempt: u32) -> bool {
    attempt >= MAX_ATTEMPTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_longer_after_each_failure_then_gives_up() {
        let table: Vec<(u32, i64, bool)> = (0..=7).map(|a| (a, backoff(a).num_minutes(), gives_up(a))).collect();
        assert_eq!(
            table,
            vec![
                (0, 0, false),
                (1, 1, false),
                (2, 5, false),
                (3, 30, false),
                (4, 120, false),
                (5, 720, false),
                (6, 720, true),
                (7, 720, true)
            ]
        );
    }

    #[test]
    fn every_wait_before_giving_up_adds_to_under_a_day() {
        let total: Duration = (1..MAX_ATTEMPTS).map(backoff).fold(Duration::zero(), |a, b| a + b);
        assert_eq!(total, Duration::minutes(1 + 5 + 30 + 120 + 720));
        assert!(total < Duration::days(1));
    }
}
