//! The response-time chart, drawn as SVG on the server: readable without JavaScript, no assets.
use leptos::prelude::*;

use crate::model::fleet::device::ResponseChart;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// The smallest "round" number (1, 2, 5 × 10^n) at or above `value`, so the axis reads well.
fn nice_ceiling(value: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= value {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// One line of text describing the chart, for the caption and for screen readers.
pub fn chart_summary(chart: &ResponseChart) -> String {
    let checks: u32 = chart.buckets.iter().map(|b| b.checks).sum();
    if checks == 0 {
        return format!("No health checks in the {}.", chart.range.label().to_lowercase());
    }
    let unhealthy: u32 = chart.buckets.iter().map(|b| b.unhealthy).sum();
    let total_ms: i64 = chart.buckets.iter().map(|b| b.avg_ms * i64::from(b.checks)).sum();
    let peak = chart.buckets.iter().map(|b| b.max_ms).max().unwrap_or(0);
    format!(
        "{checks} checks, average {} ms, slowest {peak} ms, {unhealthy} unhealthy.",
        total_ms / i64::from(checks.max(1))
    )
}

#[component]
pub fn ResponseTimeChart(chart: ResponseChart) -> impl IntoView {
    let summary = chart_summary(&chart);
    let zone = crate::components::time::use_zone();
    let top_ms = nice_ceiling(chart.buckets.iter().map(|b| b.avg_ms).max().unwrap_or(0).max(10));
    let span = (chart.to.unix() - chart.from.unix()).max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = move |unix: i64| LEFT + (unix - chart.from.unix()) as f64 / span * plot_w;
    let y = move |ms: i64| TOP + plot_h - (ms.min(top_ms) as f64 / top_ms as f64) * plot_h;
    let half = chart.range.bucket_seconds() / 2;
    let points: Vec<(f64, f64, bool)> =
        chart.buckets.iter().map(|b| (x(b.start.unix() + half), y(b.avg_ms), b.unhealthy > 0)).collect();
    let line = points.iter().map(|(px, py, _)| format!("{px:.1},{py:.1}")).collect::<Vec<_>>().join(" ");
    let marks = points
        .iter()
        .map(|(px, py, bad)| {
            let (r, class) = if *bad { ("3.5", "chart-bad") } else { ("2", "chart-dot") };
            view! { <circle cx=format!("{px:.1}") cy=format!("{py:.1}") r=r class=class/> }
        })
        .collect_view();
    let grid = [0, top_ms / 2, top_ms]
        .into_iter()
        .map(|ms| {
            let gy = format!("{:.1}", y(ms));
            view! {
                <line x1=LEFT x2=WIDTH - RIGHT y1=gy.clone() y2=gy.clone() class="chart-grid"/>
                <text x=LEFT - 6.0 y=gy text-anchor="end" dominant-baseline="middle" class="chart-label">
                    {format!("{ms} ms")}
                </text>
            }
        })
        .collect_view();
    let baseline = HEIGHT - 8.0;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=format!("Response time, {}", summary)>
                <title>{format!("Average response time per interval, {}", chart.range.label().to_lowercase())}</title>
                {grid}
                <polyline points=line class="chart-line"/>
                {marks}
                <text x=LEFT y=baseline class="chart-label">{chart.from.display_in(&zone)}</text>
                <text x=WIDTH - RIGHT y=baseline text-anchor="end" class="chart-label">{chart.to.display_in(&zone)}</text>
            </svg>
            <figcaption>{summary}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_numbers() {
        assert_eq!(nice_ceiling(10), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(388), 500);
        assert_eq!(nice_ceiling(4_100), 5_000);
    }
}
