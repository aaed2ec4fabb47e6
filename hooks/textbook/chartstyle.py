"""The look shared by every chart, and drawing one to SVG. The only module that imports matplotlib.

SVGs keep their text as text (searchable, selectable, crisp at any size) and are byte-for-byte
reproducible: fixed hash salt, no date. Each chart is drawn four times, for Material's light and dark
schemes, each wide (screens and paper) and narrow (phones), on a transparent background.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

import matplotlib
from matplotlib.figure import Figure

# Okabe–Ito: told apart by people with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
DARK_PALETTE = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#8FD3FF", "#FF8A3D", "#F0E442")

# How sure a figure is, drawn the same way in every chart (the legend says so).
MARKERS = {
    "reported": {"marker": "o", "filled": True},
    "derived": {"marker": "D", "filled": True},
    "estimated": {"marker": "o", "filled": False},
    "leaked": {"marker": "X", "filled": True},
    "disputed": {"marker": "^", "filled": False},
    "illustrative": {"marker": "s", "filled": False},
}


# The size of a chart's drawing, in inches: wide for screens and paper, narrow (taller than wide) for phones.
WIDE = (7.0, 4.4)
NARROW = (4.4, 5.6)


@dataclass(frozen=True)
class Style:
    theme: str
    text: str
    muted: str
    grid: str
    palette: tuple[str, ...]
    narrow: bool = False        # drawn for a phone's width: draw() may place labels differently

    def figure(self, width: float | None = None, height: float | None = None) -> Figure:
        default = NARROW if self.narrow else WIDE
        figure = Figure(figsize=(width or default[0], height or default[1]), layout="constrained")
        return figure

    def axes(self, figure: Figure, title: str = ""):
        axes = figure.add_subplot()
        axes.fd_qualifier_colors = {}          # qualifier -> the colours its points were drawn in (the legend)
        axes.grid(True, which="major", color=self.grid, linewidth=0.8)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            axes.spines[side].set_color(self.muted)
        if title:
            axes.set_title(title, loc="left", fontsize=12, fontweight="bold", color=self.text)
        return axes

    def point(self, axes, x, y, qualifier: str, color: str, size: float = 60, **kwargs):
        """One figure on the chart, its marker saying how sure it is."""
        marker = MARKERS.get(qualifier, MARKERS["reported"])
        face = color if marker["filled"] else "none"
        if hasattr(axes, "fd_qualifier_colors"):
            axes.fd_qualifier_colors.setdefault(qualifier, set()).add(color)
        return axes.scatter([x], [y], s=size, marker=marker["marker"], facecolors=face, edgecolors=color,
                            linewidths=1.6, zorder=3, **kwargs)

    def label(self, axes, x, y, text: str, offset: tuple[float, float] = (7, 3), leader: bool = False, **kwargs):
        """Name a point. The offset is in points; a negative x offset puts the text to the left.

        In a crowded corner, put the label further away with ``leader=True``: a thin line joins it to its dot.
        """
        dx, dy = offset
        kwargs.setdefault("fontsize", 9.5)
        kwargs.setdefault("color", self.text)
        if leader:
            kwargs.setdefault("va", "center")
            kwargs.setdefault("arrowprops", {"arrowstyle": "-", "color": self.muted, "linewidth": 0.7,
                                             "shrinkA": 2, "shrinkB": 5})
        return axes.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                             ha="right" if dx < 0 else "left", **kwargs)

    def qualifier_legend(self, axes, qualifiers, **kwargs):
        """A legend for the markers used, in a fixed order. A marker is shown in the colour its points were
        drawn in when they all share one; in grey when the colours mean something else (a series)."""
        from matplotlib.lines import Line2D
        handles = []
        used = getattr(axes, "fd_qualifier_colors", {})
        for qualifier in MARKERS:
            if qualifier not in qualifiers:
                continue
            marker = MARKERS[qualifier]
            colors = used.get(qualifier, set())
            color = next(iter(colors)) if len(colors) == 1 else self.muted
            handles.append(Line2D([], [], linestyle="none", marker=marker["marker"], markersize=8,
                                  markerfacecolor=color if marker["filled"] else "none",
                                  markeredgecolor=color, markeredgewidth=1.6, label=qualifier))
        return axes.legend(handles=handles, title="How sure", frameon=False, **kwargs)


STYLES = {
    "light": Style("light", text="#1f2329", muted="#5b616e", grid="#dfe2e7", palette=PALETTE),
    "dark": Style("dark", text="#e3e5ea", muted="#a3a9b6", grid="#3a3f4b", palette=DARK_PALETTE),
}


def rc(style: Style) -> dict:
    return {
        "svg.fonttype": "none",             # text stays text
        "svg.hashsalt": "from-data-to-assistant",
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial", "sans-serif"],
        "font.size": 11,
        "axes.labelsize": 11,
        "axes.titlesize": 12,
        "legend.fontsize": 10,
        "legend.title_fontsize": 10,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "text.color": style.text,
        "axes.labelcolor": style.text,
        "axes.edgecolor": style.muted,
        "xtick.color": style.muted,
        "ytick.color": style.muted,
        "legend.labelcolor": style.text,
        "axes.prop_cycle": matplotlib.cycler(color=list(style.palette)),
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "path.simplify": True,
    }


def render(draw, plot: dict, theme: str, narrow: bool = False) -> str:
    """Call a chart's draw() in the theme's style, wide or narrow, and return the SVG text."""
    style = replace(STYLES[theme], narrow=narrow)
    with matplotlib.rc_context(rc(style)):
        figure = draw(plot, style)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return compact(buffer.getvalue())


def compact(svg: str) -> str:
    """The same drawing in fewer bytes (the page carries it): no metadata block, no indentation, and
    coordinates to a hundredth of a point, far below what a screen or a printer can show."""
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r">\n\s*<", "><", svg)                     # line breaks and indentation only
    return re.sub(r"<[^<>]+>", lambda tag: _HUNDREDTHS.sub(r"\1", tag[0]), svg)   # inside tags, never in text


_HUNDREDTHS = re.compile(r"(?<![\w#.])(-?\d+\.\d\d)\d+")
