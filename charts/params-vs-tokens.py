"""Model size against training data, on log scales, with the ~20 tokens per parameter line."""

TITLE = "Model size against training data"
CAPTION = ("Each dot is a model: how many parameters it has and how many tokens it was trained on. "
           "The dashed line is the compute-optimal rule of thumb read from the Chinchilla paper; "
           "models above it saw more data per parameter, models below it less. A mixture of experts is placed by "
           "the parameters it uses for each token, marked “active”.")

MODELS = ["gpt3", "gopher", "chinchilla", "palm", "llama1", "gpt4", "llama2", "llama3_8b", "phi3mini",
          "phi3medium", "llama31", "deepseek_v3", "gemma3", "olmo2", "llama4_scout", "llama4_maverick", "qwen3",
          "kimi_k2"]


def data(inputs):
    ratio = inputs.fact("chinchilla.tokens_per_param")
    points, rows = [], []
    for key in MODELS:
        name = inputs.cell("models", key, "model").text
        params_cell = inputs.cell("models", key, "params")
        tokens_cell = inputs.cell("models", key, "tokens")
        # A mixture of experts is placed by the parameters it uses for each token.
        index = params_cell.labels.index("active") if "active" in params_cell.labels else 0
        params = inputs.fact(params_cell.facts[index])
        tokens = inputs.fact(tokens_cell.facts[0])
        label = name + (" (active)" if index else "")
        qualifier = "leaked" if "leaked" in (params.qualifier, tokens.qualifier) else "reported"
        points.append({"label": label, "params": params.value, "tokens": tokens.value, "qualifier": qualifier})
        ratio_text = _ratio(tokens.value / params.value) + (" (from leaked figures)" if qualifier == "leaked" else "")
        rows.append([label, inputs.label(params.id), inputs.label(tokens.id), ratio_text])
    rows.append(["Rule of thumb (Chinchilla)", "any", "tokens per parameter × parameters",
                 inputs.label(ratio.id)])
    smallest = min(points, key=lambda p: p["tokens"] / p["params"])
    largest = max(points, key=lambda p: p["tokens"] / p["params"])
    alt = (f"Log-log scatter plot of parameters (horizontal) against training tokens (vertical) for "
           f"{len(points)} language models, with a dashed line at about {ratio.value:g} tokens per parameter. "
           f"Older large models such as {smallest['label']} sit below the line; newer small models such as "
           f"{largest['label']} sit far above it.")
    return {"alt": alt, "columns": ["Model", "Parameters", "Training tokens", "Tokens per parameter"],
            "rows": rows, "plot": {"points": points, "ratio": ratio.value}}


# Where each label sits relative to its dot, in points, so labels do not collide; labels in LEADERS sit
# further away, joined to their dot by a line.
OFFSETS = {"GPT-3": (6, -12), "Gopher": (6, 4), "Chinchilla": (7, -10), "PaLM": (6, -4),
           "LLaMA 65B": (-8, -4), "Llama 2 70B": (7, 2), "Llama 3 8B": (-8, -3),
           "Phi-3-mini": (6, -12), "Phi-3-medium": (-8, -4), "Llama 3.1 405B": (8, 2), "OLMo 2 32B": (8, -3),
           "Llama 4 Scout (active)": (-8, 2), "Qwen3-235B-A22B (active)": (8, 2),
           "Llama 4 Maverick (active)": (-8, 0)}
LEADERS = {"Gemma 3 27B": (-10, -16), "DeepSeek-V3 (active)": (14, -22), "GPT-4 (active)": (24, -14),
           "Kimi K2 (active)": (24, 14)}
# On a phone's narrow drawing the same dots are closer together: these labels move.
NARROW_OFFSETS = {**OFFSETS, "Llama 4 Scout (active)": (-8, 4), "Llama 4 Maverick (active)": (-8, -1)}
NARROW_LEADERS = {"Gemma 3 27B": (-12, -18), "DeepSeek-V3 (active)": (-2, -40), "GPT-4 (active)": (10, -24),
                  "Kimi K2 (active)": (30, 16)}


def draw(plot, style):
    figure = style.figure()
    axes = style.axes(figure)
    axes.set_xscale("log")
    axes.set_yscale("log")
    low, high = 1e9, 4e12
    axes.plot([low, high], [low * plot["ratio"], high * plot["ratio"]], linestyle="--", color=style.muted,
              linewidth=1.4, zorder=2)
    if style.narrow:            # right of the line, in the empty corner under the largest models
        axes.annotate(f"~{plot['ratio']:g} tokens\nper parameter", xy=(5e11, 5e11 * plot["ratio"]),
                      xytext=(6, -30), textcoords="offset points", ha="left", va="top", color=style.muted, fontsize=9.5)
    else:
        axes.annotate(f"~{plot['ratio']:g} tokens per parameter", xy=(4e10, 4e10 * plot["ratio"]),
                      xytext=(-6, 6), textcoords="offset points", ha="right", color=style.muted, fontsize=10,
                      rotation=0)
    offsets, leaders = (NARROW_OFFSETS, NARROW_LEADERS) if style.narrow else (OFFSETS, LEADERS)
    qualifiers = set()
    for point in plot["points"]:
        color = style.palette[1] if point["qualifier"] == "leaked" else style.palette[0]
        style.point(axes, point["params"], point["tokens"], point["qualifier"], color)
        qualifiers.add(point["qualifier"])
        if point["label"] in leaders:
            style.label(axes, point["params"], point["tokens"], point["label"], leaders[point["label"]], leader=True)
        else:
            style.label(axes, point["params"], point["tokens"], point["label"], offsets.get(point["label"], (6, 4)))
    axes.set_xlim(low, high)
    axes.set_ylim(1e11, 8e13)
    axes.set_xlabel("Parameters (log scale)")
    axes.set_ylabel("Training tokens (log scale)")
    style.qualifier_legend(axes, qualifiers, loc="lower left")   # on the left: in view on a phone before scrolling
    return figure


def _ratio(value):
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"
