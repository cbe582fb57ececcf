"""Small server-side SVG charts: no JavaScript, no CDN, nothing for the CSP to allow."""

from __future__ import annotations

from html import escape


def bar_chart(points: list[tuple[str, int, int]], *, width: int = 560, height: int = 140,
              title: str = "") -> str:
    """Bars per (label, total, highlighted part), e.g. documents per day and those with threats.

    The highlighted part is drawn over the bottom of each bar; every bar has a <title> so a
    pointer shows the figures, and the chart has a text alternative for screen readers.
    """
    if not points:
        return ""
    top = max(total for _, total, _ in points) or 1
    gap, left, bottom = 2, 28, 18
    bar = max(2, (width - left) // len(points) - gap)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="10" class="axis">{top}</text>',
             f'<text x="0" y="{height - bottom}" class="axis">0</text>']
    usable = height - bottom - 12
    for i, (label, total, part) in enumerate(points):
        x = left + i * (bar + gap)
        h = round(usable * total / top)
        hp = round(usable * part / top)
        y = height - bottom - h
        parts.append(f'<g><title>{escape(label)}: {total} documents, {part} with threats</title>'
                     f'<rect class="bar" x="{x}" y="{y}" width="{bar}" height="{h}"/>'
                     f'<rect class="bar-threat" x="{x}" y="{height - bottom - hp}" width="{bar}" height="{hp}"/></g>')
        if i in (0, len(points) - 1) or (len(points) > 7 and i == len(points) // 2):
            parts.append(f'<text x="{x}" y="{height - 4}" class="axis">{escape(label[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)
