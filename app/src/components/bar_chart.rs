//! A horizontal bar chart drawn as a table: each row names a category, draws its bar and writes
//! its value, so the words are at the page's own size on a phone or in a narrow column, and a
//! screen reader reads the same table a sighted person sees. Used by the cohort overview for
//! counts by challenge area and ladder step, attendance by session and progress by month.

use leptos::prelude::*;

/// One bar: its label, its length, and how its value is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// A titled bar chart; `max` is the value of a full-length bar.
#[component]
pub fn BarChart(
    /// Unique on the page: the chart's table is named by its title.
    id: &'static str,
    title: String,
    bars: Vec<Bar>,
    max: f64,
    /// What the bars are and what their values are, for the table's headings.
    category: &'static str,
    measure: &'static str,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let rows = bars
        .iter()
        .map(|bar| {
            let share = if max > 0.0 { (bar.value / max).clamp(0.0, 1.0) } else { 0.0 };
            view! {
                <tr>
                    <th scope="row" class="spip-bars__label">{bar.label.clone()}</th>
                    <td class="spip-bars__cell">
                        // The bar's length is a share of what the value's words leave free.
                        <span class="spip-bars__bar" aria-hidden="true" style=format!("--share: {share:.4}")></span>
                        <span class="spip-bars__value">{bar.shown.clone()}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = bars.is_empty();
    view! {
        <figure class="spip-chart">
            <h3 class="nhsuk-heading-s" id=title_id.clone()>{title}</h3>
            {if empty {
                view! { <p>"Nothing recorded yet."</p> }.into_any()
            } else {
                view! {
                    <table class="spip-bars" aria-labelledby=title_id>
                        <thead class="nhsuk-u-visually-hidden">
                            <tr><th scope="col">{category}</th><th scope="col">{measure}</th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }}
        </figure>
    }
}
