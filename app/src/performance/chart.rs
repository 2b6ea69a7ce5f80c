//! Horizontal bar charts as inline SVG, drawn on the server: no script, no image request.
//!
//! Every bar has its value written above it, so nothing is told by colour alone, and the
//! same figures are in a table beside each chart. The SVG is `role="img"` named by its
//! `<title>` and described by its `<desc>`; its `viewBox` is 360 units wide, drawn at the
//! width of its container (style/main.css), so it fits a 360-pixel phone and grows on wider
//! screens. Colours come from classes: the Content-Security-Policy allows no inline style.
//! Texts arrive translated: the chart knows no language.

use crate::html::escape;

/// Width of the drawing in SVG units; the font is 14 of them.
pub const WIDTH: i64 = 360;
const LINE: i64 = 18;
const BAR: i64 = 14;
const BAR_GAP: i64 = 4;
const ROW_GAP: i64 = 14;
/// Characters of a service name on one line before it wraps (SVG text does not wrap itself).
const NAME_CHARACTERS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarKind {
    /// The median: solid.
    Median,
    /// The 90th percentile: lighter, outlined.
    Percentile90,
    /// A share of 100%.
    Share,
}

impl BarKind {
    fn class(self) -> &'static str {
        match self {
            BarKind::Median => "chart__bar chart__bar--median",
            BarKind::Percentile90 => "chart__bar chart__bar--p90",
            BarKind::Share => "chart__bar chart__bar--share",
        }
    }
}

pub struct Bar {
    pub value: i64,
    pub kind: BarKind,
    /// Written above the bar: "Median: 9 days".
    pub label: String,
}

/// A dashed vertical line across a row's bars (the promised time), with its label below.
pub struct Marker {
    pub value: i64,
    pub label: String,
}

pub struct Row {
    pub name: String,
    pub bars: Vec<Bar>,
    pub marker: Option<Marker>,
    /// Shown instead of bars when there is nothing to draw ("Fewer than 5").
    pub note: Option<String>,
}

pub struct Chart<'a> {
    /// Unique on the page: the ids of the title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// The value drawn across the whole width; `None`: the largest bar or marker.
    pub scale_max: Option<i64>,
    pub rows: Vec<Row>,
}


/// Words into lines of at most `width` characters (a longer word gets a line of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn text(out: &mut String, y: i64, class: &str, content: &str) {
    out.push_str(&format!(r#"<text x="0" y="{}" class="{class}">{}</text>"#, y + BAR, escape(content)));
}

/// The chart as SVG markup.
pub fn bar_chart(chart: &Chart) -> String {
    let largest = chart.rows.iter().flat_map(|row| row.bars.iter().map(|b| b.value).chain(row.marker.as_ref().map(|m| m.value))).max().unwrap_or(0);
    let scale = chart.scale_max.unwrap_or(largest).max(1);
    // Room on the right for the marker's stroke at full scale.
    let plot = WIDTH - 2;
    let x_of = |value: i64| value.clamp(0, scale) * plot / scale;

    let mut body = String::new();
    let mut y = 0;
    for row in &chart.rows {
        for line in wrap(&row.name, NAME_CHARACTERS) {
            text(&mut body, y, "chart__name", &line);
            y += LINE;
        }
        if let Some(note) = &row.note {
            text(&mut body, y, "chart__note", note);
            y += LINE + ROW_GAP;
            continue;
        }
        let bars_top = y;
        for bar in &row.bars {
            text(&mut body, y, "chart__label", &bar.label);
            y += LINE;
            body.push_str(&format!(r#"<rect x="0" y="{y}" width="{}" height="{BAR}" class="{}"/>"#, x_of(bar.value), bar.kind.class()));
            y += BAR + BAR_GAP;
        }
        if let Some(marker) = &row.marker {
            let x = x_of(marker.value).max(1);
            body.push_str(&format!(r#"<line x1="{x}" y1="{bars_top}" x2="{x}" y2="{y}" class="chart__marker" stroke-dasharray="4 3"/>"#));
            text(&mut body, y, "chart__label", &marker.label);
            y += LINE;
        }
        y += ROW_GAP;
    }
    let height = (y - ROW_GAP).max(LINE);
    let id = escape(chart.id);
    format!(
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" viewBox="0 0 {WIDTH} {height}" font-size="14" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{body}</svg>"#,
        escape(chart.title),
        escape(chart.description)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(value: i64, label: &str) -> Bar {
        Bar { value, kind: BarKind::Median, label: label.into() }
    }

    fn chart(rows: Vec<Row>) -> String {
        bar_chart(&Chart { id: "time-ntsa", title: "Time <to> complete", description: "Same as the table", scale_max: None, rows })
    }

    #[test]
    fn the_svg_is_an_image_named_by_its_title_and_fits_a_phone() {
        let svg = chart(vec![Row { name: "Vehicle search".into(), bars: vec![bar(10, "Median: 10 hours")], marker: None, note: None }]);
        assert!(svg.starts_with(r#"<svg class="chart" role="img" aria-labelledby="time-ntsa-title" aria-describedby="time-ntsa-desc" viewBox="0 0 360 "#), "{svg}");
        assert!(svg.contains(r#"<title id="time-ntsa-title">Time &lt;to&gt; complete</title>"#));
        assert!(svg.contains(r#"<desc id="time-ntsa-desc">Same as the table</desc>"#));
        assert!(!svg.contains("style="), "no inline style under the CSP");
        assert!(svg.contains(">Median: 10 hours</text>"), "the value is written, not only drawn");
    }

    #[test]
    fn bars_are_drawn_to_one_scale_with_the_promise_as_a_dashed_line() {
        let row = Row {
            name: "Passport".into(),
            bars: vec![bar(50, "Median"), Bar { value: 100, kind: BarKind::Percentile90, label: "90th".into() }],
            marker: Some(Marker { value: 200, label: "Promised: 14 days".into() }),
            note: None,
        };
        let svg = chart(vec![row]);
        // The promise is the largest value: it spans the drawing (358 units), the bars a quarter and a half.
        assert!(svg.contains(r#"width="89" height="14" class="chart__bar chart__bar--median""#), "{svg}");
        assert!(svg.contains(r#"width="179" height="14" class="chart__bar chart__bar--p90""#), "{svg}");
        assert!(svg.contains(r#"<line x1="358" "#), "{svg}");
        assert!(svg.contains(">Promised: 14 days</text>"));
    }

    #[test]
    fn a_hidden_figure_draws_no_bar_only_its_note() {
        let svg = chart(vec![Row { name: "Driving licence renewal".into(), bars: vec![], marker: None, note: Some("Fewer than 5".into()) }]);
        assert!(!svg.contains("<rect"));
        assert!(svg.contains(r#"class="chart__note">Fewer than 5</text>"#));
    }

    #[test]
    fn shares_use_a_fixed_scale_of_100() {
        let svg = bar_chart(&Chart {
            id: "share",
            title: "t",
            description: "d",
            scale_max: Some(100),
            rows: vec![Row { name: "A".into(), bars: vec![Bar { value: 50, kind: BarKind::Share, label: "50%".into() }], marker: None, note: None }],
        });
        assert!(svg.contains(r#"width="179""#), "{svg}");
    }

    #[test]
    fn long_names_wrap_and_markup_in_them_is_text() {
        assert_eq!(wrap("Kuhuisha leseni ya udereva na kupata cheti kipya cha kuendesha", 40), vec!["Kuhuisha leseni ya udereva na kupata", "cheti kipya cha kuendesha"]);
        assert_eq!(wrap("", 40), Vec::<String>::new());
        let svg = chart(vec![Row { name: "<script>alert(1)</script> & co".into(), bars: vec![], marker: None, note: Some("n".into()) }]);
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(!svg.contains("<script"));
    }
}
