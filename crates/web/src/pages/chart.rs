//! Horizontal bar charts drawn as SVG on the server (the costing reports, the help
//! given for families): no script, prints well, and
//! always shown beside a table of the same figures (the table is what screen
//! readers and keyboard users rely on; the chart is labelled as a picture of it).

/// One bar: its label, its value in pence, and the text shown after it.
pub(crate) struct Bar {
    pub label: String,
    pub value: i64,
    pub text: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const WIDTH: i64 = 720;
const LABEL: i64 = 250;
const BAR_MAX: i64 = 300;
const ROW: i64 = 34;

/// SVG markup for the bars, scaled to the largest; `id` makes the title unique.
pub(crate) fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * i64::try_from(bars.len()).unwrap_or(0) + 10;
    let mut svg = format!(
        "<svg class=\"senplan-chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-title\" focusable=\"false\">\
         <title id=\"{id}-title\">{}: bar chart. The same figures are in the table below.</title>",
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = ROW * i64::try_from(i).unwrap_or(0) + 5;
        let w = if b.value <= 0 { 0 } else { (b.value * BAR_MAX / max).max(2) };
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"15\" fill=\"#0b0c0c\">{}</text>\
             <rect x=\"{}\" y=\"{y}\" width=\"{w}\" height=\"24\" fill=\"#1d70b8\"></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"15\" fill=\"#0b0c0c\">{}</text>",
            LABEL - 10,
            y + 17,
            escape(&b.label),
            LABEL,
            LABEL + w + 8,
            y + 17,
            escape(&b.text)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Minutes given each week against the minutes planned (R37), one bar a week.
pub(crate) fn weekly_minutes(id: &str, title: &str, weeks: &[senplan_core::help_given::Week]) -> String {
    let bars: Vec<Bar> = weeks
        .iter()
        .map(|w| Bar {
            label: format!("Week of {}", w.monday.format("%-d %b")),
            value: i64::from(w.delivered_minutes),
            text: format!("{} of {} min", w.delivered_minutes, w.planned_minutes),
        })
        .collect();
    bar_chart(id, title, &bars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_labels_are_escaped() {
        let bars = [
            Bar { label: "A & <B>".into(), value: 600, text: "£6.00".into() },
            Bar { label: "C".into(), value: 300, text: "£3.00".into() },
            Bar { label: "D".into(), value: 0, text: "£0.00".into() },
        ];
        let svg = bar_chart("area", "Committed by area", &bars);
        assert!(svg.contains("A &amp; &lt;B&gt;"));
        assert!(svg.contains("width=\"300\" height=\"24\""), "largest bar is full width");
        assert!(svg.contains("width=\"150\" height=\"24\""), "half the value, half the width");
        assert!(svg.contains("width=\"0\" height=\"24\""));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"area-title\""));
    }

    #[test]
    fn r37_the_weekly_chart_has_a_bar_a_week_with_given_of_planned() {
        let w = |day, planned, given| senplan_core::help_given::Week {
            monday: chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default(),
            planned_minutes: planned,
            delivered_minutes: given,
            sessions_held: 0,
            sessions_missed: 0,
            reasons: vec![],
        };
        let svg = weekly_minutes("help-1", "Reading", &[w(2, 60, 30), w(9, 60, 60)]);
        assert!(svg.contains("Week of 2 Nov</text>") && svg.contains("30 of 60 min</text>"), "{svg}");
        assert!(svg.contains("width=\"150\"") && svg.contains("width=\"300\""), "half, then the whole bar: {svg}");
        assert!(svg.contains("<title id=\"help-1-title\">Reading: bar chart."));
    }
}
