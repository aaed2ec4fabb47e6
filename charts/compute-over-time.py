"""Training compute of language models by release date, on a log scale."""

import datetime as dt
import math

TITLE = "Training compute over time"
CAPTION = ("Each dot is one model's total training compute, in floating-point operations (FLOP), placed at "
           "its release date. The vertical scale is logarithmic: each grid line is ten times the one below. "
           "Where a developer did not state the compute, it is derived here as 6 × parameters × tokens, counting "
           "only the parameters a mixture of experts uses for each token. Grok 4's figure is an outside estimate.")

MODELS = ["gpt3", "gopher", "chinchilla", "palm", "llama1", "llama2", "llama3_8b", "phi3mini", "phi3medium",
          "llama31", "deepseek_v3", "gemma3", "olmo2", "llama4_scout", "llama4_maverick", "qwen3", "grok4", "kimi_k2"]


def data(inputs):
    points, rows = [], []
    for key in MODELS:
        name = inputs.cell("models", key, "model").text
        released = inputs.cell("models", key, "released")
        compute = inputs.fact(inputs.cell("models", key, "compute").facts[0])
        points.append({"label": name, "date": released.date.isoformat(), "compute": compute.value,
                       "qualifier": compute.qualifier})
        rows.append([name, released.date_text, inputs.label(compute.id)])
    points.sort(key=lambda point: point["date"])
    first, last = points[0], max(points, key=lambda point: point["compute"])
    alt = (f"Scatter plot of training compute on a log scale against release date, {first['date'][:4]} to "
           f"{points[-1]['date'][:4]}, for {len(points)} models. Compute ranges from about "
           f"10^{_exponent(min(p['compute'] for p in points))} to 10^{_exponent(last['compute'])} FLOP "
           f"({last['label']}); small recent models use less compute than large older ones.")
    return {"alt": alt, "columns": ["Model", "Released", "Training compute (FLOP)"], "rows": rows,
            "plot": {"points": points}}


def _exponent(value):
    return math.floor(math.log10(value))


# Where each label sits relative to its dot, in points; labels in LEADERS sit further away, joined by a line.
OFFSETS = {"GPT-3": (7, -4), "Gopher": (-7, 5), "Chinchilla": (7, -13), "PaLM": (7, -3),
           "LLaMA 65B": (7, -13), "Llama 2 70B": (-7, 6), "Llama 3 8B": (7, 1), "Phi-3-mini": (7, -4),
           "Phi-3-medium": (7, -6), "Llama 3.1 405B": (-7, -4), "DeepSeek-V3": (-7, 6), "Grok 4": (7, -4)}
LEADERS = {"Gemma 3 27B": (-14, -8), "Qwen3-235B-A22B": (20, 27), "Llama 4 Scout": (24, 14), "Kimi K2": (14, 4),
           "Llama 4 Maverick": (24, -8), "OLMo 2 32B": (30, -16)}
# On a phone's narrow drawing the years are closer together: the crowded models of 2020 to 2024 move.
NARROW_OFFSETS = {**OFFSETS, "GPT-3": (6, 3), "Llama 3 8B": (7, -9), "OLMo 2 32B": (7, -4)}
NARROW_LEADERS = {**{name: at for name, at in LEADERS.items() if name != "OLMo 2 32B"},
                  "Chinchilla": (-6, -34), "LLaMA 65B": (4, -44)}


def draw(plot, style):
    import matplotlib.dates as mdates

    figure = style.figure()
    axes = style.axes(figure)
    axes.set_yscale("log")
    offsets, leaders = (NARROW_OFFSETS, NARROW_LEADERS) if style.narrow else (OFFSETS, LEADERS)
    qualifiers = set()
    for point in plot["points"]:
        date = dt.date.fromisoformat(point["date"])
        style.point(axes, date, point["compute"], point["qualifier"], style.palette[0])
        qualifiers.add(point["qualifier"])
        if point["label"] in leaders:
            style.label(axes, date, point["compute"], point["label"], leaders[point["label"]], leader=True)
        else:
            style.label(axes, date, point["compute"], point["label"], offsets.get(point["label"], (7, -4)))
    axes.set_xlim(dt.date(2020, 1, 1), dt.date(2026, 12, 31))
    axes.set_ylim(3e22, 2e27)
    axes.xaxis.set_major_locator(mdates.YearLocator())
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.set_xlabel("Release date")
    axes.set_ylabel("Training compute, FLOP (log scale)")
    style.qualifier_legend(axes, qualifiers, loc="upper left")
    return figure
