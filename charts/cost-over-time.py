"""Estimated cost of final training runs over time, with the spread where estimates disagree."""

import datetime as dt

TITLE = "Estimated training cost over time"
CAPTION = ("Published estimates of what a model's final training run cost, at its release date, on a log scale. "
           "Most are outside estimates of the compute alone; where several sources disagree, a bar spans their "
           "range. None of them includes failed runs, staff or research. The dashed line grows at the yearly rate "
           "Epoch AI estimated for frontier training runs, drawn through the AI Index estimate for GPT-4; beyond the "
           "last estimate it is a projection, not data.")

MODELS = ["gpt3", "palm", "gpt4", "llama2", "gemini_ultra", "deepseek_v3"]


def data(inputs):
    growth = inputs.fact("frontier.cost_growth")
    points, rows = [], []
    for key in MODELS:
        name = inputs.cell("models", key, "model").text
        released = inputs.cell("models", key, "released")
        cell = inputs.cell("models", key, "cost")
        estimates = []
        for index, fact_id in enumerate(cell.facts):
            fact = inputs.fact(fact_id)
            source = cell.labels[index] if cell.labels else ""
            estimates.append({"value": fact.value, "qualifier": fact.qualifier, "who": source})
            rows.append([name, released.date_text, inputs.label(fact_id), source or inputs.who(fact_id)])
        points.append({"label": name, "date": released.date.isoformat(), "estimates": estimates})
    points.sort(key=lambda point: point["date"])
    anchor = next(p for p in points if p["label"] == "GPT-4")
    values = [e["value"] for p in points for e in p["estimates"]]
    alt = (f"Scatter plot of estimated training costs on a log scale against release date for {len(points)} models, "
           f"from about ${min(values) / 1e6:,.0f} million to ${max(values) / 1e6:,.0f} million. GPT-4 has three "
           f"estimates from different sources, drawn as a range. A dashed line shows growth of "
           f"{growth.value:g} times per year.")
    return {"alt": alt, "columns": ["Model", "Released", "Estimated cost", "Who says"], "rows": rows,
            "plot": {"points": points, "growth": growth.value, "anchor": anchor["date"],
                     "anchor_value": anchor["estimates"][0]["value"]}}


def draw(plot, style):
    import matplotlib.dates as mdates

    figure = style.figure()
    axes = style.axes(figure)
    axes.set_yscale("log")
    start, end = dt.date(2020, 1, 1), dt.date(2026, 12, 31)
    anchor = dt.date.fromisoformat(plot["anchor"])
    years = [(start - anchor).days / 365.25, (end - anchor).days / 365.25]
    axes.plot([start, end], [plot["anchor_value"] * plot["growth"] ** y for y in years], linestyle="--",
              color=style.muted, linewidth=1.3, zorder=1)
    trend = f"growing {plot['growth']:g}× a year" + ("\n" if style.narrow else " ") + "(Epoch AI's trend for frontier runs)"
    axes.annotate(trend,
                  xy=(dt.date(2020, 3, 1), plot["anchor_value"] * plot["growth"] ** ((dt.date(2020, 3, 1) - anchor).days / 365.25)),
                  xytext=(0, 10), textcoords="offset points", fontsize=9.5, color=style.muted, rotation=0)
    qualifiers = set()
    for point in plot["points"]:
        date = dt.date.fromisoformat(point["date"])
        values = [estimate["value"] for estimate in point["estimates"]]
        if len(values) > 1:
            axes.plot([date, date], [min(values), max(values)], color=style.palette[0], linewidth=2.2, zorder=2)
        for estimate in point["estimates"]:
            color = style.palette[1] if estimate["qualifier"] == "leaked" else style.palette[0]
            style.point(axes, date, estimate["value"], estimate["qualifier"], color)
            qualifiers.add(estimate["qualifier"])
        style.label(axes, date, max(values), point["label"], (8, 2))
    axes.set_xlim(start, end)
    axes.set_ylim(1e6, 5e9)
    axes.xaxis.set_major_locator(mdates.YearLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.yaxis.set_major_formatter(_dollars)
    axes.set_xlabel("Release date")
    axes.set_ylabel("Estimated cost, US dollars (log scale)")
    style.qualifier_legend(axes, qualifiers, loc="upper left")
    return figure


def _dollars(value, position=None):
    return f"${value / 1e6:,.0f}M" if value < 1e9 else f"${value / 1e9:,.0f}B"
