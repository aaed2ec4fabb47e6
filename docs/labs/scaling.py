# %% [markdown]
# # Lab 2: Scaling — how big a model for your compute?
#
# **Goal:** turn a compute budget into a model size and an amount of training text, with the two
# rules of thumb from [lesson 2](../pretraining.md#scaling-laws), then see where real models sit
# against that line.
#
# **What you will see:** a small calculator, a table of real models read from the course's facts
# file, and a chart of parameters against training tokens with the "compute-optimal" line drawn in.
#
# **Time:** about 15 minutes. Every number about a real model comes from the course's facts file,
# the same file the lessons use, so a corrected figure there changes this lab too.

# %% [markdown]
# ## Step 1: load the facts
#
# `labkit.facts()` loads `docs/facts.yml`. Each fact has a value, a unit, a source and a
# *qualifier* that says what kind of figure it is, and so how far to trust it. The cell below prints
# the six qualifiers as the course defines them, with how many facts carry each and one example.
# Note that "estimated" describes the figure, not who made it: the estimate may be the
# developer's own or come from outside, and the source named with it says which.

# %%
import numpy as np
import matplotlib.pyplot as plt
from textbook import labkit
from textbook.facts import QUALIFIERS, format_fact, format_number

labkit.setup()
facts = labkit.facts()

for qualifier, meaning in QUALIFIERS.items():
    carrying = [item for item in facts.facts.values() if item.qualifier == qualifier]
    print(f"{qualifier}: {meaning} ({len(carrying)} {'fact' if len(carrying) == 1 else 'facts'})")
    if carrying:
        print(f"    for example: {carrying[0].measures}")


def fact(fact_id):
    """A fact's value, and how the course writes it, with its qualifier."""
    item = facts.facts[fact_id]
    return item.value, f"{format_fact(item)} ({item.qualifier})"


def about(value, unit, style="long"):
    """A computed value, rounded to two significant figures and written in its unit."""
    return format_number(float(f"{value:.2g}"), unit, style)


TOKENS_PER_PARAM, ratio_text = fact("chinchilla.tokens_per_param")
print("Compute-optimal rule of thumb:", ratio_text)
print("Why 'estimated':", facts.facts["chinchilla.tokens_per_param"].note)

# %% [markdown]
# ## Step 2: the two rules of thumb
#
# * **Compute:** training a model with *N* parameters on *D* tokens costs about
#   *C* ≈ 6 · *N* · *D* floating-point operations (FLOP): roughly 2 for each parameter and token on
#   the way forward and 4 on the way back.
# * **Balance:** for the least loss at a fixed compute budget, the Chinchilla results suggest
#   about the number of tokens per parameter printed above.
#
# Put the two together: *C* = 6 · *N* · (*k* · *N*), so *N* = √(*C* / 6*k*) and *D* = *k* · *N*.

# %%
def compute_optimal(flop, tokens_per_param=TOKENS_PER_PARAM):
    """The model size and data size that spend `flop` best, by the two rules of thumb."""
    params = np.sqrt(flop / (6 * tokens_per_param))
    return params, tokens_per_param * params


for budget in (1e20, 1e22, 1e24):
    n, d = compute_optimal(budget)
    print(f"{format_number(budget, 'flop')}: about {about(n, 'parameters')} on {about(d, 'tokens')}")

# %% [markdown]
# Each hundredfold more compute buys a model only ten times bigger, trained on ten times more text:
# the budget is split evenly between size and data.

# %% [markdown]
# ## Step 3: real models against the rule
#
# For each model, the facts file gives its parameters and training tokens. From them we compute
# its training compute with 6 · *N* · *D*, the compute-optimal size for that same budget, and its
# own tokens per parameter.
#
# GPT-4 needs care. The leaked report that gives its size describes a *mixture of experts*: the
# model holds many blocks of parameters ("experts") but sends each token through only a few of them.
# 6 · *N* · *D* counts the arithmetic done for each token, so *N* must be the parameters a token
# actually uses, the **active** parameters, not all the parameters stored. We use the leaked active
# count for GPT-4 below; the next cell shows both figures. The Chinchilla rule was measured on dense
# models, in which every parameter is active, so placing a mixture of experts by its active
# parameters is the closest comparison available, not an exact one.

# %%
total, total_text = fact("gpt4.params_leak")
active, active_text = fact("gpt4.active_params_leak")
print("GPT-4, all parameters:   ", total_text)
print("GPT-4, active per token: ", active_text, f"({active / total:.0%} of them)")

# %%
MODELS = [  # (name, parameters fact, tokens fact)
    ("GPT-3", "gpt3.params", "gpt3.tokens"),
    ("Gopher", "gopher.params", "gopher.tokens"),
    ("Chinchilla", "chinchilla.params", "chinchilla.tokens"),
    ("PaLM", "palm.params", "palm.tokens"),
    ("LLaMA 65B", "llama1.params", "llama1.tokens"),
    ("Llama 2 70B", "llama2.params", "llama2.tokens"),
    ("Llama 3 8B", "llama3.params_small", "llama3.tokens"),
    ("Llama 3.1 405B", "llama31.params", "llama31.tokens"),
    ("OLMo 2 32B", "olmo2.params", "olmo2.tokens"),
    ("Phi-3-mini", "phi3mini.params", "phi3mini.tokens"),
    ("GPT-4 (leak)", "gpt4.active_params_leak", "gpt4.tokens_leak"),   # active parameters: see above
]

rows = []
for name, params_id, tokens_id in MODELS:
    n, n_text = fact(params_id)
    d, d_text = fact(tokens_id)
    flop = 6 * n * d
    best_n, _ = compute_optimal(flop)
    rows.append((name, n, d, flop, d / n, best_n))
    print(f"{name:15} {n_text:38} {d_text:34} ≈{about(flop, 'flop', 'short'):>11}  "
          f"{d / n:6.1f} tokens/param  (compute-optimal size: {about(best_n, 'parameters', 'short')})")

# %% [markdown]
# Read the "tokens/param" column against the rule's value. The cell below sorts the models by how
# far each sits from it: below the line, a model was too big for its compute and saw too little
# text; near it, it followed the rule (Chinchilla was built to); above it, it saw more text per
# parameter than the rule suggests.
#
# Sitting above the line is not a mistake. The rule minimises the cost of *training*; a smaller
# model trained for longer is cheaper to *run* for millions of users, so developers spend extra
# training compute on purpose. The GPT-4 row rests on a leak that OpenAI never confirmed: treat it
# as a rumour.

# %%
GROUPS = [  # (lowest multiple of the rule, label)
    (0, "below the line (under half the rule's tokens per parameter)"),
    (0.5, "near the line (within a factor of two)"),
    (2, "above the line (two to ten times the rule)"),
    (10, "far above the line (over ten times the rule)"),
]
placed = {label: [] for _, label in GROUPS}
for name, n, d, flop, ratio, best_n in rows:
    multiple = ratio / TOKENS_PER_PARAM
    label = [label for lowest, label in GROUPS if multiple >= lowest][-1]
    placed[label].append(f"{name}: {multiple:.2g} × the rule")
for label, members in placed.items():
    print(f"{label}:")
    print("\n".join(f"    {member}" for member in members or ["none"]))

# %% [markdown]
# ## Step 4: the chart
#
# Both axes are logarithmic: each gridline is ten times the one before. The dashed line is
# "tokens = rule × parameters". Points above it had more data per parameter than the rule
# suggests; points below had less.

# %%
names, params, tokens, flops, ratios, best = zip(*rows)
fig, ax = plt.subplots(figsize=(6.4, 4.2))
line_n = np.logspace(9, 12.5, 50)
ax.plot(line_n, TOKENS_PER_PARAM * line_n, "--", color="#555555",
        label=f"compute-optimal: {TOKENS_PER_PARAM:.0f} tokens per parameter "
              f"({facts.facts['chinchilla.tokens_per_param'].qualifier})")
leaked = ["leaked" in (facts.facts[p].qualifier, facts.facts[t].qualifier) for _, p, t in MODELS]
ax.scatter([p for p, x in zip(params, leaked) if not x], [t for t, x in zip(tokens, leaked) if not x],
           s=36, zorder=3, label="reported by the developer")
ax.scatter([p for p, x in zip(params, leaked) if x], [t for t, x in zip(tokens, leaked) if x],
           s=36, zorder=3, marker="x", color=labkit.COLOURS[1], label="leaked, unconfirmed (active parameters)")
NUDGE = {"Chinchilla": (-64, 2), "LLaMA 65B": (6, -11), "GPT-3": (-38, 4), "Llama 2 70B": (6, 3),
         "GPT-4 (leak)": (-72, -3)}  # keep labels apart
for name, p, t in zip(names, params, tokens):
    ax.annotate(name, (p, t), textcoords="offset points", xytext=NUDGE.get(name, (5, 4)), fontsize=9)
ax.set(xscale="log", yscale="log", xlabel="parameters", ylabel="training tokens",
       title="Real models against the compute-optimal line")
ax.legend(loc="lower right", fontsize=9)
plt.show()

# %% [markdown]
# ## Step 5: check the rule against a reported budget
#
# The Chinchilla paper reports the compute budget it shared with Gopher. How close does
# 6 · *N* · *D* come?

# %%
reported, reported_text = fact("chinchilla.compute")
estimate = 6 * facts.facts["chinchilla.params"].value * facts.facts["chinchilla.tokens"].value
print("Reported:", reported_text)
print("6·N·D:   ", format_number(estimate, "flop"), f"({estimate / reported:.0%} of the reported figure)")
gap = abs(estimate / reported - 1)
print("The rule of thumb lands", "within 10% of" if gap <= 0.1 else f"{gap:.0%} away from", "the reported budget.")

# %% [markdown]
# A rule that lands within a tenth or so of a reported budget is good enough to plan a training run
# on the back of an envelope, which is all it is meant for.
#
# ## Now try
#
# 1. You have 10²³ FLOP. What size of model and how many tokens does the rule suggest? Change
#    `budget` in step 2 to check.
# 2. Set `TOKENS_PER_PARAM = 100` (closer to what recent small models use) and rerun steps 2 to 4.
#    What happens to the model size for the same compute, and why might a company accept that?
# 3. Add a row for DeepSeek-V3, another mixture of experts, with `deepseek_v3.params_active` and
#    `deepseek_v3.tokens`. Where does it sit? Where would it sit if you used all its parameters?
# 4. Which single fact in this lab is the least certain, and how does the chart warn you?
#
# Back to the lesson: [2. Pretraining](../pretraining.md).
