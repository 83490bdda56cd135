"""Inline SVG charts: deterministic, readable without JavaScript, nothing fetched from anywhere."""

from __future__ import annotations

from html import escape

# A fixed palette, one colour per area, in areas.ORDER order (cycled if there are more).
PALETTE = ["#3f51b5", "#e91e63", "#009688", "#ff9800", "#9c27b0", "#795548", "#2196f3", "#8bc34a",
           "#f44336", "#607d8b", "#cddc39", "#00bcd4", "#ffc107", "#673ab7", "#4caf50", "#ff5722",
           "#03a9f4", "#9e9e9e", "#c2185b", "#455a64", "#afb42b", "#bdbdbd"]


def stacked_bars(rows: list[tuple[str, dict[str, int]]], series: list[str], title: str, height: int = 320) -> str:
    """Horizontal stacked bars: one row per release, one segment per series (area).

    A bar's length uses a square-root scale (one release changes thousands of elements, most a few
    hundred); its segments split that length in proportion to their counts.
    """
    import math

    label_width, bar_width, row_height = 250, 560, 22
    totals = [sum(values.values()) for _, values in rows]
    top = max(totals + [1])
    legend_rows = (len(series) + 5) // 6
    height = 20 + row_height * len(rows) + 24 * legend_rows + 20
    out = [f'<svg class="aoai-chart" role="img" aria-label="{escape(title)}" '
           f'viewBox="0 0 {label_width + bar_width + 80} {height}" xmlns="http://www.w3.org/2000/svg">']
    for index, ((label, values), total) in enumerate(zip(rows, totals)):
        length = bar_width * math.sqrt(total) / math.sqrt(top)
        y = 10 + index * row_height
        out.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" '
                   f'class="aoai-chart-label">{escape(label)}</text>')
        x = float(label_width)
        drawn = 0
        for s_index, name in enumerate(series):
            n = values.get(name, 0)
            if not n:
                continue
            drawn += n
            end = label_width + length * drawn / total
            colour = PALETTE[s_index % len(PALETTE)]
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{max(end - x, 0.5):.1f}" height="{row_height - 6}" '
                       f'fill="{colour}"><title>{escape(label)}: {escape(name)} {n}</title></rect>')
            x = end
        out.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="aoai-chart-value">{total}</text>')
    legend_y = 20 + row_height * len(rows)
    for s_index, name in enumerate(series):
        col, row = s_index % 6, s_index // 6
        lx, ly = 10 + col * 140, legend_y + row * 24
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{PALETTE[s_index % len(PALETTE)]}"/>'
                   f'<text x="{lx + 16}" y="{ly + 11}" class="aoai-chart-legend">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)
