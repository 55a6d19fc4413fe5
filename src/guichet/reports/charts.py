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
LABEL_WIDTH = 180
VALUE_WIDTH = 70
BAR_HEIGHT = 18
GAP = 8
LEGEND_HEIGHT = 24
LABEL_CHARACTERS = 26


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


def _short(label: str) -> str:
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(chart: Chart, *, chart_id: str) -> SafeString:
    """The chart as an `<svg>` element (markup safe to put in a template)."""
    series: Sequence[str] = [str(name) for name in chart.series]
    top = max((max(bar.values, default=0) for bar in chart.bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    row = BAR_HEIGHT * len(series) + GAP
    height = legend + row * max(len(chart.bars), 1) + GAP
    title = escape(str(chart.title))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-title" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{title}</title>',
    ]
    for index, name in enumerate(series if legend else []):
        x = LABEL_WIDTH + index * 160
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 18}" y="15" font-size="13" fill="{INK}">'
            f"{escape(name)}</text>"
        )
    for position, bar in enumerate(chart.bars):
        y = legend + GAP + position * row
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * len(series) / 2 + 5}" '
            f'font-size="13" text-anchor="end" fill="{INK}">'
            f"{escape(_short(bar.label))}</text>"
        )
        for index, value in enumerate(bar.values):
            length = max(room * float(value) / float(top), 0)
            top_y = y + index * BAR_HEIGHT
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{top_y}" width="{length:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{PALETTE[index % len(PALETTE)]}"/>'
                f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{top_y + BAR_HEIGHT - 5}" '
                f'font-size="12" fill="{INK}">{_number(float(value))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
