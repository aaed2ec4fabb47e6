"""How much data each training stage uses against what one example costs: Llama 2-Chat's pipeline."""

TITLE = "Data volume against cost per example, stage by stage"
CAPTION = ("Llama 2-Chat's three training stages: how many examples each used (horizontal) and roughly what one "
           "example costs (vertical), both on log scales. Pretraining reads trillions of tokens that cost almost "
           "nothing each; the later stages use far fewer examples, each written or judged by a person. Nobody "
           "publishes the price of a human-written example, so those two costs are illustrative, and the chart "
           "says so. The faint diagonal lines join points of equal total spend.")


def data(inputs):
    stages = [
        ("Pretraining", "tokens", "llama2.tokens", "llama2.cost_per_token", "per token"),
        ("Supervised fine-tuning", "demonstrations", "llama2.sft_examples", "pipeline.demonstration_cost",
         "per demonstration"),
        ("Preference tuning", "comparisons", "llama2.comparisons", "pipeline.comparison_cost", "per comparison"),
    ]
    totals = ["llama2.cost", "llama2.sft_spend_illustrative", "llama2.comparison_spend_illustrative"]
    points, rows = [], []
    for (stage, noun, volume_id, cost_id, per), total_id in zip(stages, totals):
        volume, cost = inputs.fact(volume_id), inputs.fact(cost_id)
        points.append({"label": stage, "noun": noun, "volume": volume.value, "cost": cost.value,
                       "qualifier": cost.qualifier, "per": per})
        rows.append([stage, f"{inputs.label(volume_id)} {noun}", f"{inputs.label(cost_id)} {per}",
                     inputs.label(total_id)])
    pre, sft, pref = points
    alt = (f"Log-log chart with three points. Pretraining: {_count(pre['volume'])} tokens at a tiny fraction of "
           f"a cent each. Supervised fine-tuning: {_count(sft['volume'])} demonstrations at an illustrative "
           f"${sft['cost']:,.0f} each. Preference tuning: {_count(pref['volume'])} comparisons at an illustrative "
           f"${pref['cost']:,.0f} each. The later stages use far fewer examples, and each one costs vastly more.")
    return {"alt": alt, "columns": ["Stage", "How many examples", "Cost of one example", "Total"],
            "rows": rows, "plot": {"points": points}}


OFFSETS = {"Pretraining": (-10, 10), "Supervised fine-tuning": (10, 4), "Preference tuning": (10, -14)}
# Where each line of equal spend is named (examples, on the horizontal axis), clear of the stages' labels,
# on the wide drawing and on a phone's narrow one.
SPEND_AT = {1e4: 3e9, 1e6: 3e9, 1e8: 1e11}
NARROW_SPEND_AT = {1e4: 1e5, 1e6: 3e8, 1e8: 3e12}


def draw(plot, style):
    figure = style.figure()
    axes = style.axes(figure)
    axes.set_xscale("log")
    axes.set_yscale("log")
    low, high = 1e3, 1e14
    for spend in (1e4, 1e6, 1e8):      # lines of equal total spend: examples × cost per example
        axes.plot([low, high], [spend / low, spend / high], color=style.grid, linewidth=1.2, zorder=1)
        at = (NARROW_SPEND_AT if style.narrow else SPEND_AT)[spend]
        axes.annotate(f"${spend:,.0f} in total", xy=(at, spend / at), xytext=(0, 4),
                      textcoords="offset points", fontsize=9, color=style.muted, rotation=-30,
                      rotation_mode="anchor", ha="center")
    qualifiers = set()
    for index, point in enumerate(plot["points"]):
        color = style.palette[index]
        style.point(axes, point["volume"], point["cost"], point["qualifier"], color, size=110)
        qualifiers.add(point["qualifier"])
        offset = OFFSETS[point["label"]]
        text = f"{point['label']}\n{_count(point['volume'])} {point['noun']}"
        style.label(axes, point["volume"], point["cost"], text, offset, fontsize=10,
                    va="bottom" if offset[1] > 0 else "top")
    axes.set_xlim(low, high)
    axes.set_ylim(1e-8, 1e3)
    axes.set_xlabel("Examples used in the stage (log scale)")
    axes.set_ylabel("Cost of one example, US dollars (log scale)")
    style.qualifier_legend(axes, qualifiers, loc="lower left")   # on the left: in view on a phone before scrolling
    return figure


def _count(value):
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{value / size:.3g} {word}"
    return f"{value:,.0f}"
