"""Bar charts as inline SVG, drawn on the server: no script, no style attribute.

The strict CSP forbids inline scripts and `style=` attributes, so a chart is SVG
markup whose colours are presentation attributes (`fill`) from `PALETTE`, every
colour of which has a contrast ratio of at least 3:1 against the card's white
background (WCAG 2.1, 1.4.11 Non-text Contrast; the ratio as WCAG 2.1 defines
"contrast ratio" and "relative luminance"). The SVG has `role="img"` and an
accessible name (`aria-label` and `<title>`); the figures are also in the HTML
table the template puts right behind it (WCAG 1.1.1).

Horizontal bars: one line per category, its label on the left and its value at
the end of the bar, so long labels (creditors, offers) stay readable at 390 px.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from guichet.reports.dashboards.common import Chart

BACKGROUND = "#ffffff"
INK = "#1b1f24"
# Accent blue, green, dark orange, purple: each >= 3:1 on white, and told apart
# by the legend's order too (not by colour alone).
PALETTE = ("#0b4f8a", "#1e6b34", "#a3480b", "#6f3fa0")

WIDTH = 640
VALUE_WIDTH = 80
BAR_HEIGHT = 18
LINE_HEIGHT = 16
GAP = 10
LEGEND_HEIGHT = 24
# Characters of a label's line at 13 px across the chart's width (a long label
# wraps onto more lines: never cut, so every word stays readable).
LINE_CHARACTERS = 72


def _channel(value: int) -> float:
    component = value / 255
    if component <= 0.03928:
        return component / 12.92
    return float(((component + 0.055) / 1.055) ** 2.4)


def luminance(colour: str) -> float:
    """Relative luminance of `#rrggbb` (WCAG 2.1 definition)."""
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter colour's luminance above (WCAG 2.1)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.2f}".replace(",", "\u202f")


def label_lines(label: str) -> list[str]:
    """The label cut at spaces into lines of at most `LINE_CHARACTERS` (a word
    longer than a line keeps a line of its own)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LINE_CHARACTERS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(chart: Chart, *, chart_id: str) -> SafeString:
    """The chart as an `<svg>` element (markup safe to put in a template): each
    category's label on its own line(s), its bar(s) below with the value."""
    series: Sequence[str] = [str(name) for name in chart.series]
    top = max((max(bar.values, default=0) for bar in chart.bars), default=0) or 1
    room = WIDTH - VALUE_WIDTH
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    labels = [label_lines(bar.label) for bar in chart.bars]
    height = (
        legend
        + GAP
        + sum(
            len(lines) * LINE_HEIGHT + BAR_HEIGHT * len(series) + GAP
            for lines in labels
        )
    )
    title = escape(str(chart.title))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-title" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{title}</title>',
    ]
    for index, name in enumerate(series if legend else []):
        x = index * 200
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 18}" y="15" font-size="13" fill="{INK}">'
            f"{escape(name)}</text>"
        )
    y = legend + GAP
    for bar, lines in zip(chart.bars, labels, strict=True):
        for line in lines:
            y += LINE_HEIGHT
            parts.append(
                f'<text x="0" y="{y - 4}" font-size="13" fill="{INK}">'
                f"{escape(line)}</text>"
            )
        for index, value in enumerate(bar.values):
            length = max(room * float(value) / float(top), 0)
            parts.append(
                f'<rect x="0" y="{y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{PALETTE[index % len(PALETTE)]}"/>'
                f'<text x="{length + 6:.1f}" y="{y + BAR_HEIGHT - 5}" '
                f'font-size="12" fill="{INK}">{_number(float(value))}</text>'
            )
            y += BAR_HEIGHT
        y += GAP
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
