//! A horizontal bar chart drawn as SVG, with the same figures as a table for screen readers:
//! the cohort overview's counts by challenge area and ladder step, attendance by session and
//! progress scores by month.

use leptos::prelude::*;

/// One bar: its label, its length, and how its value is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

const WIDTH: f64 = 400.0;
const LABEL: f64 = 150.0;
const ROW: f64 = 22.0;

/// A titled bar chart; `max` is the value of a full-length bar.
#[component]
pub fn BarChart(
    /// Unique on the page: the chart's title and table hang off it.
    id: &'static str,
    title: String,
    bars: Vec<Bar>,
    max: f64,
    /// What the bars are and what their values are, for the table's headings.
    category: &'static str,
    measure: &'static str,
) -> impl IntoView {
    let height = ROW * bars.len().max(1) as f64 + 6.0;
    let span = WIDTH - LABEL - 50.0;
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(index, bar)| {
            let y = 3.0 + ROW * index as f64;
            let length = if max > 0.0 { span * (bar.value / max).clamp(0.0, 1.0) } else { 0.0 };
            view! {
                <text class="spip-chart__label spip-bars__label" x=LABEL - 6.0 y=y + 14.0 text-anchor="end">{bar.label.clone()}</text>
                <rect class="spip-bars__bar" x=LABEL y=y + 3.0 width=length.max(1.0) height=ROW - 6.0 />
                <text class="spip-chart__label" x=LABEL + length + 4.0 y=y + 14.0>{bar.shown.clone()}</text>
            }
        })
        .collect_view();
    let rows = bars
        .iter()
        .map(|bar| {
            view! {
                <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{bar.label.clone()}</td>
                    <td class="nhsuk-table__cell nhsuk-table__cell--numeric">{bar.shown.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = bars.is_empty();
    view! {
        <figure class="spip-chart spip-bars">
            <h3 class="nhsuk-heading-s" id=format!("{id}-title")>{title.clone()}</h3>
            {if empty {
                view! { <p>"Nothing recorded yet."</p> }.into_any()
            } else {
                view! {
                    <svg class="spip-chart__svg" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=format!("{id}-title")>
                        {drawn}
                    </svg>
                    <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Show as a table"</span></summary>
                        <div class="nhsuk-details__text">
                            <table class="nhsuk-table">
                                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{title}</caption>
                                <thead class="nhsuk-table__head"><tr><th scope="col">{category}</th><th scope="col" class="nhsuk-table__header--numeric">{measure}</th></tr></thead>
                                <tbody class="nhsuk-table__body">{rows}</tbody>
                            </table>
                        </div>
                    </details>
                }
                .into_any()
            }}
        </figure>
    }
}
