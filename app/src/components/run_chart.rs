//! A run chart drawn as SVG: the points in time order, the median (solid over a frozen baseline,
//! dashed beyond it), points flagged by the shared run-chart rules, PDSA cycles marked on the
//! time axis, and the same data as a table for screen readers.

use leptos::prelude::*;
use spip_shared::run_chart::{Analysis, Signal};
use time::Date;

/// One point of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub date: Date,
    pub value: f64,
    pub note: String,
}

/// A PDSA cycle to mark where it started.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartCycle {
    pub title: String,
    pub started: Date,
}

// The drawing's own units; the SVG scales to the width of the page.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 36.0;
/// About how wide a date label is, in the drawing's units, at the largest size the labels are
/// shown (12 units on a phone, where the drawing shrinks): a character of the system font is
/// about 0.6 of its size.
fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * 7.2
}

/// A number as the chart labels it: whole numbers plainly, others to one decimal place.
pub fn number(value: f64) -> String {
    if value.fract().abs() < 1e-9 { format!("{value:.0}") } else { format!("{value:.1}") }
}

/// A short date for the axis, e.g. "14 Sep".
fn short_date(date: Date) -> String {
    let month = date.month().to_string();
    format!("{} {}", date.day(), &month[..3])
}

/// Where things go on the drawing.
struct Scale {
    count: usize,
    low: f64,
    high: f64,
    step: f64,
}

/// A step of 1, 2 or 5 times a power of ten, at least `rough`.
fn nice_step(rough: f64) -> f64 {
    if !(rough.is_finite() && rough > 0.0) {
        return 1.0;
    }
    let power = 10_f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power)
}

impl Scale {
    fn of(points: &[ChartPoint], median: Option<f64>) -> Self {
        let values = points.iter().map(|p| p.value).chain(median);
        let (mut low, mut high) =
            values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if !low.is_finite() {
            (low, high) = (0.0, 1.0);
        }
        let pad = if high > low { (high - low) * 0.1 } else { 1.0 };
        // Counts never go below zero, so neither does the axis; its ends are round numbers.
        let floor = if low >= 0.0 { (low - pad).max(0.0) } else { low - pad };
        let step = nice_step((high + pad - floor) / 4.0);
        let low = (floor / step).floor() * step;
        let high = ((high + pad) / step).ceil() * step;
        Self { count: points.len(), low, high, step }
    }

    /// The values at which the axis is labelled.
    fn ticks(&self) -> Vec<f64> {
        let count = ((self.high - self.low) / self.step).round() as usize;
        (0..=count).map(|n| self.low + self.step * n as f64).collect()
    }

    fn x(&self, index: f64) -> f64 {
        let span = WIDTH - LEFT - RIGHT;
        if self.count <= 1 {
            LEFT + span / 2.0
        } else {
            LEFT + span * index / (self.count - 1) as f64
        }
    }

    fn y(&self, value: f64) -> f64 {
        let span = HEIGHT - TOP - BOTTOM;
        TOP + span * (1.0 - (value - self.low) / (self.high - self.low))
    }

    /// Where a date falls between the points, which are evenly spaced in time order.
    fn x_of_date(&self, points: &[ChartPoint], date: Date) -> f64 {
        let after = points.iter().position(|p| p.date >= date);
        match after {
            None => self.x(points.len().saturating_sub(1) as f64),
            Some(0) => self.x(0.0),
            Some(index) => {
                let (before, next) = (points[index - 1].date, points[index].date);
                let whole = (next - before).whole_days().max(1) as f64;
                let part = (date - before).whole_days() as f64;
                self.x(index as f64 - 1.0 + part / whole)
            }
        }
    }
}

/// The run chart of one measure.
#[component]
pub fn RunChart(
    /// The measure's name, for the chart's title.
    name: String,
    unit: String,
    points: Vec<ChartPoint>,
    analysis: Analysis,
    /// The number of points the median is frozen over, if it is.
    baseline: Option<usize>,
    cycles: Vec<ChartCycle>,
) -> impl IntoView {
    let scale = Scale::of(&points, analysis.median);
    let flagged: Vec<(usize, &'static str)> = analysis
        .signals
        .iter()
        .flat_map(|signal| signal.points().iter().map(move |i| (*i, signal.rule_name())))
        .collect();
    let rule_at = |index: usize| flagged.iter().find(|(i, _)| *i == index).map(|(_, rule)| *rule);

    let ticks = {
        scale
            .ticks()
            .into_iter()
            .map(|value| {
                let y = scale.y(value);
                view! {
                    <line class="spip-chart__grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y />
                    <text class="spip-chart__label" x=LEFT - 4.0 y=y + 3.5 text-anchor="end">{number(value)}</text>
                }
            })
            .collect_view()
    };
    // A date every few points, and always the last one's. The first starts at its point and the
    // last ends at its point, so both stay inside the chart (clear of the values' labels); a date
    // whose middle half would run into the last one is left out.
    let every = points.len().div_ceil(5).max(1);
    let last = points.len().saturating_sub(1);
    let last_width = points.last().map_or(0.0, |point| label_width(&short_date(point.date)));
    let clear_of_last = |index: usize| {
        let half = label_width(&short_date(points[index].date)) / 2.0;
        let starts_at_point = if index == 0 { 2.0 * half } else { half };
        scale.x(last as f64) - scale.x(index as f64) >= starts_at_point + last_width + 6.0
    };
    let dates = points
        .iter()
        .enumerate()
        .filter(|(index, _)| *index == last || (index % every == 0 && clear_of_last(*index)))
        .map(|(index, point)| {
            let anchor = match index {
                0 if last > 0 => "start",
                0 => "middle",
                index if index == last => "end",
                _ => "middle",
            };
            view! {
                <text class="spip-chart__label" x=scale.x(index as f64) y=HEIGHT - BOTTOM + 14.0 text-anchor=anchor>
                    {short_date(point.date)}
                </text>
            }
        })
        .collect_view();
    let median = analysis.median.map(|median| {
        let y = scale.y(median);
        let last = points.len().saturating_sub(1) as f64;
        let frozen_to = baseline.filter(|b| *b < points.len()).map(|b| b.saturating_sub(1) as f64);
        let label = match frozen_to {
            Some(_) => format!("Median {} (baseline)", number(median)),
            None => format!("Median {}", number(median)),
        };
        view! {
            <line class="spip-chart__median" x1=scale.x(0.0) x2=scale.x(frozen_to.unwrap_or(last)) y1=y y2=y />
            {frozen_to.map(|end| view! {
                <line class="spip-chart__median spip-chart__median--extended" x1=scale.x(end) x2=scale.x(last) y1=y y2=y />
            })}
            <text class="spip-chart__median-label" x=WIDTH - RIGHT y=y - 4.0 text-anchor="end">{label}</text>
        }
    });
    let cycle_marks = cycles
        .iter()
        .enumerate()
        .map(|(index, cycle)| {
            let x = scale.x_of_date(&points, cycle.started);
            view! {
                <g class="spip-chart__cycle">
                    <title>{format!("PDSA cycle {}: {} (started {})", index + 1, cycle.title, short_date(cycle.started))}</title>
                    <line x1=x x2=x y1=TOP - 6.0 y2=HEIGHT - BOTTOM />
                    <text class="spip-chart__cycle-label" x=x y=TOP - 9.0 text-anchor="middle">{format!("P{}", index + 1)}</text>
                </g>
            }
        })
        .collect_view();
    let path = points
        .iter()
        .enumerate()
        .map(|(index, point)| format!("{:.1},{:.1}", scale.x(index as f64), scale.y(point.value)))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points
        .iter()
        .enumerate()
        .map(|(index, point)| {
            let (x, y) = (scale.x(index as f64), scale.y(point.value));
            let rule = rule_at(index);
            let mut title = format!("{}: {} {}", short_date(point.date), number(point.value), unit);
            if let Some(rule) = rule {
                title.push_str(&format!(" – {rule}"));
            }
            if !point.note.is_empty() {
                title.push_str(&format!(" – {}", point.note));
            }
            let class = if rule.is_some() { "spip-chart__point spip-chart__point--signal" } else { "spip-chart__point" };
            let radius = if rule.is_some() { 5.0 } else { 3.5 };
            view! {
                <circle class=class cx=x cy=y r=radius><title>{title}</title></circle>
                {(!point.note.is_empty()).then(|| view! { <circle class="spip-chart__note" cx=x cy=y r=radius + 3.0 /> })}
            }
        })
        .collect_view();

    let summary = summary_of(&points, &analysis, &unit);
    let signals = signal_lines(&analysis);
    let table_rows = points
        .iter()
        .enumerate()
        .map(|(index, point)| {
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{spip_shared::calendar::long_date(point.date)}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{point.value.to_string()}</td>
                    <td class="nhsuk-table__cell">{rule_at(index).unwrap_or("")}</td>
                    <td class="nhsuk-table__cell">{point.note.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let legend = cycles
        .iter()
        .enumerate()
        .map(|(index, cycle)| {
            view! { <li>{format!("P{}: {} (started {})", index + 1, cycle.title, spip_shared::calendar::long_date(cycle.started))}</li> }
        })
        .collect_view();
    let has_cycles = !cycles.is_empty();
    let has_notes = points.iter().any(|point| !point.note.is_empty());
    view! {
        <figure class="spip-chart">
            <svg class="spip-chart__svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="chart-title chart-desc">
                <title id="chart-title">{format!("Run chart: {name}")}</title>
                <desc id="chart-desc">{summary.clone()}</desc>
                {ticks}
                {dates}
                {median}
                {cycle_marks}
                <polyline class="spip-chart__line" points=path />
                {dots}
            </svg>
            <figcaption>
                <ul class="nhsuk-list spip-chart__signals" data-testid="signals">{signals}</ul>
                {has_cycles.then(|| view! { <ul class="nhsuk-list spip-chart__legend">{legend}</ul> })}
                {has_notes.then(|| view! { <p class="nhsuk-body-s spip-chart__key">"A dashed ring marks a point with a note: the notes are in the table below."</p> })}
            </figcaption>
        </figure>
        <details class="nhsuk-details">
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Show the data as a table"</span></summary>
            <div class="nhsuk-details__text">
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("{name}: every point")}</caption>
                    <thead class="nhsuk-table__head"><tr>
                        <th scope="col">"Date"</th><th scope="col" class="nhsuk-table__header--numeric">{format!("Value ({unit})")}</th>
                        <th scope="col">"Signal"</th><th scope="col">"Note"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">{table_rows}</tbody>
                </table>
            </div>
        </details>
    }
}

/// The chart in one sentence, for screen readers.
fn summary_of(points: &[ChartPoint], analysis: &Analysis, unit: &str) -> String {
    let (Some(first), Some(last), Some(median)) = (points.first(), points.last(), analysis.median)
    else {
        return "No data yet.".into();
    };
    let mut signals: Vec<&str> = analysis.signals.iter().map(|s| s.rule_name()).collect();
    signals.dedup();
    format!(
        "{} points from {} to {}, median {} {unit}. {}",
        points.len(),
        spip_shared::calendar::long_date(first.date),
        spip_shared::calendar::long_date(last.date),
        number(median),
        if signals.is_empty() {
            "No signals.".to_string()
        } else {
            format!("Signals: {}.", signals.join(", "))
        }
    )
}

/// What the rules found, one line per signal, or why there is nothing to say yet.
fn signal_lines(analysis: &Analysis) -> impl IntoView + use<> {
    if !analysis.rules_applied {
        let needed = spip_shared::run_chart::MIN_USEFUL_POINTS;
        return view! {
            <li>{format!("The run-chart rules need at least {needed} points that are not on the median ({} so far).", analysis.useful_points)}</li>
        }
        .into_any();
    }
    if analysis.signals.is_empty() {
        return view! { <li>"No signal: so far the data varies as chance would."</li> }.into_any();
    }
    // One line per rule: both runs of a two-run series can be shifts, and one line says so.
    let mut rules: Vec<(&Signal, usize)> = Vec::new();
    for signal in &analysis.signals {
        match rules.iter_mut().find(|(seen, _)| seen.rule_name() == signal.rule_name()) {
            Some((_, count)) => *count += 1,
            None => rules.push((signal, 1)),
        }
    }
    rules
        .into_iter()
        .map(|(signal, count)| {
            let places = (count > 1).then(|| format!(" Found in {count} places."));
            view! {
                <li class="spip-chart__signal">
                    <strong class="nhsuk-tag nhsuk-tag--orange">{signal.rule_name()}</strong>
                    " " {signal.explanation()} {places}
                </li>
            }
        })
        .collect_view()
        .into_any()
}
