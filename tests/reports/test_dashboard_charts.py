"""The dashboards' SVG charts: contrast of the palette, markup the CSP allows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guichet.reports import charts
from guichet.reports.dashboards.common import Bar, Chart


def test_every_colour_has_three_to_one_contrast_on_the_background() -> None:
    for colour in (*charts.PALETTE, charts.INK):
        assert charts.contrast_ratio(colour, charts.BACKGROUND) >= 3.0, colour


def test_contrast_ratio_follows_wcag() -> None:
    assert round(charts.contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert charts.contrast_ratio("#767676", "#ffffff") > 4.5
    assert charts.contrast_ratio("#777777", "#ffffff") < 4.5


def test_a_chart_is_an_image_with_a_name_and_no_style() -> None:
    svg = charts.bar_chart(
        Chart(title="Open <work>", series=["Open"], bars=[Bar("0 to 2 days", [3])]),
        chart_id="chart-x",
    )
    assert 'role="img"' in svg
    assert '<title id="chart-x-title">Open &lt;work&gt;</title>' in svg
    assert 'aria-labelledby="chart-x-title"' in svg
    assert "style" not in svg
    assert "<script" not in svg


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30))
def test_bars_never_run_out_of_the_chart(values: list[int]) -> None:
    svg = str(
        charts.bar_chart(
            Chart(
                title="t",
                series=["s"],
                bars=[Bar(str(i), [v]) for i, v in enumerate(values)],
            ),
            chart_id="c",
        )
    )
    widths = [
        float(part.split('"')[1])
        for part in svg.split(" width=")[1:]
        if part.startswith('"') and not part.startswith('"12"')
    ]
    assert all(0 <= width <= charts.WIDTH - charts.VALUE_WIDTH for width in widths)
    assert svg.count("<rect") == len(values)


def test_a_long_label_wraps_at_spaces_and_is_never_cut() -> None:
    label = "Service des créances alimentaires du SPF Finances " * 3
    lines = charts.label_lines(label)
    assert " ".join(lines) == " ".join(label.split())
    assert all(len(line) <= charts.LINE_CHARACTERS for line in lines)
