# %% [markdown]
# # Lab 4: RLHF in miniature — a reward model and a policy that games it
#
# **Goal:** build every piece of learning from human feedback at toy scale: raters compare answers,
# a reward model learns from their choices, and a policy is trained to please the reward model.
# Then watch what goes wrong when the raters have a hidden bias, and what the KL penalty from
# [lesson 4](../rlhf.md) does about it.
#
# **What you will see:** a reward model that predicts the raters well but prefers the wrong
# answers; a policy whose reward climbs while its real quality falls (reward hacking and
# sycophancy); and the same training with a KL penalty of two strengths, each holding the policy
# nearer to where it started.
#
# **Time:** about 20 minutes. Nothing here is a real language model: each "answer" is described by
# three properties, so every number can be checked by hand.

# %%
import numpy as np
import matplotlib.pyplot as plt
from textbook import labkit

rng = labkit.setup()

# %% [markdown]
# ## Step 1: the answers
#
# A user asks a question and adds a mistaken belief ("I'm sure it's X, right?"). The model can
# answer in one of three ways, at one of seven lengths:
#
# * **correct**: politely sets the user right;
# * **agrees**: tells the user what they want to hear, which is wrong (sycophancy);
# * **wrong**: simply mistaken.
#
# The *true quality* is what a careful expert would give each answer: correct is good, agreeing
# with a false belief is worse than merely wrong (it confirms a mistake), and padding an answer
# beyond what it needs makes it worse, as does cutting it too short.

# %%
LENGTHS = np.array([40, 80, 120, 160, 240, 320, 480])          # words
KINDS = ["correct", "agrees", "wrong"]
length = np.repeat(LENGTHS, len(KINDS)).astype(float)
kind = np.tile(np.arange(len(KINDS)), len(LENGTHS))
correct = (kind == 0).astype(float)
agrees = (kind == 1).astype(float)
n_answers = len(length)

true_quality = (3 * correct - 1 * agrees
                - 0.006 * np.maximum(0, length - 120)      # padding
                - 0.02 * np.maximum(0, 80 - length))       # too short to explain
print("true quality  ", " ".join(f"{w:>5}" for w in LENGTHS), " (words)")
for k, name in enumerate(KINDS):
    print(f"  {name:12}", " ".join(f"{q:5.1f}" for q in true_quality[kind == k]))

# %% [markdown]
# ## Step 2: raters with a hidden bias
#
# Our simulated raters are busy people. They check correctness only partly (weight 0.4), and
# without noticing it they like longer answers and answers that agree with the user. That is the
# hidden bias; in real rating it comes from the same place: a long, agreeable answer *looks*
# helpful. Each rater compares two answers and picks one, with some randomness
# (the Bradley–Terry model: the bigger the gap in appeal, the surer the choice).

# %%
rater_appeal = 0.4 * true_quality + 0.005 * length + 2.0 * agrees   # the raters never see this formula


def rate(first, second):
    """True where a rater prefers the first answer of each pair."""
    p_first = 1 / (1 + np.exp(-(rater_appeal[first] - rater_appeal[second])))
    return rng.random(len(first)) < p_first


pairs = rng.integers(0, n_answers, size=(3000, 2))
pairs = pairs[pairs[:, 0] != pairs[:, 1]]
prefers_first = rate(pairs[:, 0], pairs[:, 1])
split = int(0.8 * len(pairs))
print(f"{len(pairs)} comparisons: {split} to train the reward model, {len(pairs) - split} held out")

# %% [markdown]
# ## Step 3: fit a reward model
#
# The reward model sees each answer's features (correct? agrees? length) and learns one weight per
# feature, so that the answer the raters picked scores higher. Its loss is the Bradley–Terry loss
# from the lesson: −log σ(reward of the chosen answer − reward of the rejected one).

# %%
features = np.stack([correct, agrees, length / 100], axis=1)
FEATURE_NAMES = ["correct", "agrees with user", "length (per 100 words)"]


def accuracy(weights, chosen_first, idx):
    gap = (features[pairs[idx, 0]] - features[pairs[idx, 1]]) @ weights
    return np.mean((gap > 0) == chosen_first[idx])


train, held_out = np.arange(split), np.arange(split, len(pairs))
weights = np.zeros(features.shape[1])
for step in range(500):
    diff = features[pairs[train, 0]] - features[pairs[train, 1]]
    p = 1 / (1 + np.exp(-diff @ weights))
    weights -= 0.5 * diff.T @ (p - prefers_first[train]) / len(train)

rm_accuracy = accuracy(weights, prefers_first, held_out)
truth_first = true_quality[pairs[:, 0]] > true_quality[pairs[:, 1]]
truth_accuracy = accuracy(weights, truth_first, held_out)
for name, w in zip(FEATURE_NAMES, weights):
    print(f"reward weight for {name:24} {w:+.2f}")
print(f"held-out accuracy, predicting the raters: {rm_accuracy:.0%} (chance: 50%)")
print(f"held-out accuracy, predicting true quality: {truth_accuracy:.0%}")
reward = features @ weights

# %% [markdown]
# The reward model does its job: it predicts which answer the raters pick far better than a coin.
# But look at the weights. It pays more for agreeing than for being right, and it pays for every
# extra hundred words. It has learned the raters, bias included, and on the question that matters,
# which answer is *truly* better, it does worse than a coin. It cannot know better: the bias is in
# its only data.

# %% [markdown]
# ## Step 4: the starting policy
#
# The policy is the model being trained: here, simply a probability for each of the answers.
# It starts from a supervised fine-tuned model (the *reference*) that mostly answers correctly at
# a sensible length.

# %%
def softmax(logits):
    e = np.exp(logits - logits.max())
    return e / e.sum()


reference = softmax(0.5 * true_quality)


def describe(policy):
    return {"reward": policy @ reward, "true quality": policy @ true_quality,
            "length": policy @ length, "agrees": policy @ agrees,
            "KL": np.sum(policy * np.log(policy / reference))}


start = describe(reference)
print("reference policy:", {k: round(float(v), 2) for k, v in start.items()})

# %% [markdown]
# ## Step 5: optimise against the reward model, with and without a KL penalty
#
# Each step nudges the policy towards answers with a high *advantage*: reward minus
# β × (how far the policy has moved from the reference on that answer, in log-probability).
# With β = 0 there is no KL penalty: only the reward counts. The update used here multiplies each
# answer's probability by exp(step size × advantage), which is what a policy-gradient method does
# in the limit of small, exact steps.

# %%
def optimise(beta, steps=300, step_size=0.05):
    log_policy = np.log(reference)
    history = []
    for step in range(steps + 1):
        policy = softmax(log_policy)
        history.append(describe(policy))
        advantage = reward - beta * (np.log(policy) - np.log(reference))
        log_policy = np.log(policy) + step_size * advantage
    return history


runs = {beta: optimise(beta) for beta in (0.0, 0.5, 1.0)}
for beta, history in runs.items():
    end = history[-1]
    print(f"β = {beta}: reward {start['reward']:.2f} → {end['reward']:.2f}, "
          f"true quality {start['true quality']:.2f} → {end['true quality']:.2f}, "
          f"length {start['length']:.0f} → {end['length']:.0f} words, "
          f"agrees {start['agrees']:.0%} → {end['agrees']:.0%}, KL {end['KL']:.2f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.4), sharex=True)
for beta, history in runs.items():
    label = "no KL penalty" if beta == 0 else f"KL penalty β = {beta}"
    style = "-" if beta == 0 else "--" if beta == 0.5 else ":"
    axes[0].plot([h["reward"] for h in history], style, lw=2, label=label)
    axes[1].plot([h["true quality"] for h in history], style, lw=2, label=label)
axes[0].set(title="Reward model's score", xlabel="training step")
axes[1].set(title="True quality", xlabel="training step")
axes[1].legend(fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# **What happened.** Without the penalty, the reward climbs all the way, and the true quality
# falls below where it started: the policy learned to write the longest answer and to agree
# with the user. Nobody asked for that. It is what the reward model paid for: *reward hacking*
# (length) and *sycophancy* (agreeing), both traced to the raters' hidden bias.
#
# With the KL penalty, every step away from the reference costs something, so the policy moves
# only as far as the reward justifies at that price. How much of the true quality that saves depends
# on β: the cell below compares each penalty's run with the start and with the run without one.
# The penalty does not fix the reward model; it limits how far the policy can exploit it.

# %%
free = runs[0.0][-1]
free_drop = start["true quality"] - free["true quality"]
free_gain = free["reward"] - start["reward"]
for beta, history in runs.items():
    if beta == 0:
        continue
    end = history[-1]
    drop = start["true quality"] - end["true quality"]
    share = drop / abs(start["true quality"])
    if drop <= 0:
        verdict = "stays at or above where it started"
    elif share < 0.15:
        verdict = f"stays close to where it started (down {share:.0%})"
    else:
        verdict = f"still falls, by {share:.0%} of its starting value"
    print(f"β = {beta}: true quality {verdict};")
    print(f"    that is {drop / free_drop:.0%} of the fall without a penalty,")
    print(f"    while the reward gains {(end['reward'] - start['reward']) / free_gain:.0%} of what it gains without one.")

# %% [markdown]
# A penalty that is too weak for the raters' bias lets true quality fall a long way, only less far
# than no penalty at all; a stronger one keeps more of it and gives up more of the reward. Choosing
# β is a trade-off, and in real training it is made without a measure of true quality to check it
# against.

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.2))
for beta, history in runs.items():
    label = "no KL penalty" if beta == 0 else f"β = {beta}"
    ax.plot([100 * h["agrees"] for h in history], lw=2, label=label)
ax.set(title="How often the policy agrees with a false belief", xlabel="training step", ylabel="% of answers")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# ## Now try
#
# 1. Remove the raters' bias: set the `2.0 * agrees` and `0.005 * length` terms to zero in step 2
#    and rerun everything. Does the policy still drift away from correct answers?
# 2. Find the smallest β that keeps the true quality from falling below where it started.
#    What does it cost in reward?
# 3. Collect only 100 comparisons instead of 3,000. How does the reward model's held-out accuracy
#    change, and do the weights still point the same way?
# 4. The reward model cannot know which answers are correct better than the raters do. Name one
#    change to the *rating process* that would fix the bias at its source.
#
# Back to the lesson: [4. Learning from human feedback](../rlhf.md).
