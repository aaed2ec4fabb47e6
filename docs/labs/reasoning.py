# %% [markdown]
# # Lab 5: Reasoning with checkable rewards — a tiny policy learns sums
#
# **Goal:** train a tiny policy by reinforcement learning on sums of two-digit numbers, rewarded by a
# program that checks each answer, as in [lesson 5](../reasoning-models.md). Compare GRPO's
# group-relative advantage with plain REINFORCE, then give the policy a checker that looks at too
# little and watch it find the gap.
#
# **What you will see:** one group of answers scored by hand; learning curves for three ways of
# turning rewards into updates; a check of whether the winner just took bigger steps; and a weak
# verifier whose score climbs while the real accuracy on the hard problems falls.
#
# **Time:** about 20 minutes. Nothing here is a real language model: the policy is a table of
# scores, one per possible answer, for each problem. That keeps every number checkable, and it keeps
# the one thing this lab is about, how a reward becomes an update, in plain view.

# %%
import numpy as np
import matplotlib.pyplot as plt
from textbook import labkit

rng = labkit.setup()

# %% [markdown]
# ## Step 1: the problems and the checker
#
# Each problem is a sum of two numbers from 10 to 89, so every answer is a whole number below 200.
# Some problems need a **carry**: the last digits add up to ten or more (47 + 38: 7 + 8 = 15, so a
# one is carried into the tens). Those are the problems our policy will get wrong most often.
#
# The **exact checker** is the whole verifier: reward 1 if the answer equals the true sum, else 0.
# No reward model and no human rater; a line of code decides.

# %%
N_PROBLEMS = 200
ANSWERS = np.arange(200)                       # every answer the policy can give
first = rng.integers(10, 90, N_PROBLEMS)
second = rng.integers(10, 90, N_PROBLEMS)
truth = first + second
carry = (first % 10 + second % 10) >= 10      # problems whose last digits add up to ten or more
rows = np.arange(N_PROBLEMS)


def exact_checker(answers, right):
    """Reward 1 for the right answer, 0 for anything else."""
    return (answers == right).astype(float)


print(f"{N_PROBLEMS} problems, for example {first[0]} + {second[0]} = {truth[0]}; "
      f"{carry.mean():.0%} of them need a carry")

# %% [markdown]
# ## Step 2: the starting policy
#
# Reinforcement learning for reasoning starts from a pretrained model that can already answer
# sometimes; from a model that is never right, a checker that gives 0 every time teaches nothing.
# Our stand-in for that base model is a table of scores (logits), one row per problem and one column
# per possible answer; a softmax turns each row into probabilities. We fill it with the habits of a
# sloppy student:
#
# * the **last digit** is usually right;
# * the **tens digit** is often off by one or two;
# * on problems that need a carry, it **often forgets the carry** (47 + 38 → 75 instead of 85).

# %%
def softmax(logits):
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def base_model(tens_slack=0.7, units_slack=1.0, forgets_carry=1.5):
    """Starting logits: close answers score higher, and a forgotten carry gets a bonus."""
    tens_off = np.abs(ANSWERS[None, :] // 10 - truth[:, None] // 10)
    units_off = np.abs(ANSWERS[None, :] % 10 - truth[:, None] % 10)
    logits = -tens_slack * tens_off - units_slack * units_off
    logits[rows, truth - 10 * carry] += forgets_carry * carry     # the answer without its carry
    return logits


START = base_model()


def accuracy(logits, which=slice(None)):
    """Average chance that a sampled answer is right (what you would measure by sampling many)."""
    return softmax(logits)[rows, truth][which].mean()


example = int(np.flatnonzero(carry)[0])
probs = softmax(START[example])
top = np.argsort(probs)[::-1][:5]
print(f"Starting accuracy: {accuracy(START):.0%} over all problems, "
      f"{accuracy(START, carry):.0%} on those that need a carry")
print(f"Most likely answers to {first[example]} + {second[example]}:",
      ", ".join(f"{a} ({p:.0%})" for a, p in zip(top, probs[top])))

# %% [markdown]
# The right answer is there, but it is rarely the top choice on a carry problem. That is the
# starting point of every reasoning model: some right answers in the mix, to be found and reinforced.

# %% [markdown]
# ## Step 3: one group, scored by hand
#
# GRPO asks the policy for a **group** of answers to the same problem, checks each, and scores each
# answer against the group:
#
# `advantage = (reward − group mean) / group standard deviation`
#
# Plain **REINFORCE**, the oldest policy-gradient method, uses the reward itself as the signal.
# Here is one group of eight answers to the problem above, with both signals.

# %%
G = 8                                            # answers per problem: the group size


def sample(logits, count, generator):
    """Draw `count` answers for each row of logits."""
    cumulative = softmax(logits).cumsum(axis=-1)
    draws = generator.random((len(logits), count, 1))
    return (cumulative[:, None, :] < draws).sum(axis=-1).clip(max=len(ANSWERS) - 1)


def group_relative(rewards):
    """GRPO's advantage; the small number keeps an all-equal group from dividing by zero."""
    mean = rewards.mean(axis=-1, keepdims=True)
    return (rewards - mean) / (rewards.std(axis=-1, keepdims=True) + 1e-6)


group = sample(START[[example]], G, np.random.default_rng(3))[0]
rewards = exact_checker(group, truth[example])
print(f"{first[example]} + {second[example]}: group mean {rewards.mean():.3f}, "
      f"standard deviation {rewards.std():.3f}")
print("answer  reward   GRPO  REINFORCE")
for answer, reward, advantage in zip(group, rewards, group_relative(rewards)):
    print(f"{answer:6d}  {reward:6.0f}  {advantage:+5.2f}  {reward:+9.2f}")

# %% [markdown]
# The right answers get a positive advantage and the wrong ones a negative one, and the advantages
# add up to zero. The fewer right answers in a group, the bigger their advantage: a rare success
# gets a big push. REINFORCE gives every right answer +1 and every wrong answer 0, whatever the
# group looks like. A group that is all right or all wrong gives GRPO nothing to learn: every
# answer equals the mean.

# %% [markdown]
# ## Step 4: the update, and a race
#
# Each training step picks 16 problems, samples a group of `G` answers to each, checks them, and
# moves each problem's logits so that answers with a positive signal become more likely and answers
# with a negative one less likely (the policy gradient: signal × the gradient of the answer's log
# probability). We race three ways of computing the signal, with the same learning rate and the
# same number of samples:
#
# * **REINFORCE**: the reward itself;
# * **group mean only**: the reward minus the group's mean (a baseline, but no division);
# * **GRPO**: the full group-relative advantage.
#
# Each is run with five different random seeds, so that one lucky run cannot decide the race.

# %%
STEPS, BATCH, LEARNING_RATE, SEEDS = 300, 16, 1.0, 5
SIGNALS = {
    "REINFORCE": lambda r: r,
    "group mean only": lambda r: r - r.mean(axis=-1, keepdims=True),
    "GRPO": group_relative,
}


def train(signal, checker=exact_checker, lr=LEARNING_RATE, group_size=G, steps=STEPS, seed=0):
    """Policy-gradient training; returns the final logits and a history row every 5 steps."""
    generator = np.random.default_rng(seed)
    logits = START.copy()
    history, silent = [], []
    for step in range(steps + 1):
        if step % 5 == 0:
            probs = softmax(logits)
            history.append({
                "step": step,
                "accuracy": probs[rows, truth].mean(),
                "carry accuracy": probs[rows, truth][carry].mean(),
                "checker reward": (probs * checker(ANSWERS[None, :], truth[:, None])).sum(axis=1).mean(),
            })
        if step == steps:
            return logits, history, np.array(silent)
        chosen = generator.choice(N_PROBLEMS, BATCH, replace=False)
        answers = sample(logits[chosen], group_size, generator)
        rewards = checker(answers, truth[chosen][:, None])
        advantage = signal(rewards)
        silent.append(np.mean(rewards.std(axis=1) == 0))    # groups whose answers all scored the same
        # Gradient of log softmax: +1 on the sampled answer, minus the policy's probabilities.
        push = np.zeros((BATCH, len(ANSWERS)))
        np.add.at(push, (np.repeat(np.arange(BATCH), group_size), answers.ravel()), advantage.ravel())
        push -= advantage.sum(axis=1, keepdims=True) * softmax(logits[chosen])
        logits[chosen] += lr * push / group_size


def curve(history, key="accuracy"):
    return np.array([row[key] for row in history])


runs = {name: [train(signal, seed=seed) for seed in range(SEEDS)] for name, signal in SIGNALS.items()}
steps = curve(runs["GRPO"][0][1], "step")
mean_accuracy = {name: np.mean([curve(h) for _, h, _ in results], axis=0) for name, results in runs.items()}


def steps_to(accuracies, level=0.8):
    """The first recorded step at which the accuracy reaches `level`, or None."""
    reached = np.flatnonzero(accuracies >= level)
    return int(steps[reached[0]]) if len(reached) else None


HALFWAY = STEPS // 2
print(f"Accuracy at steps {HALFWAY} and {STEPS}, and the step at which it first reaches 80% "
      f"(mean of {SEEDS} seeds):")
print(f"{'step':16}{HALFWAY:>5}{STEPS:>5}{'80%':>7}")
for name, acc in mean_accuracy.items():
    print(f"{name:16}{acc[steps == HALFWAY][0]:>5.0%}{acc[-1]:>5.0%}{str(steps_to(acc)):>7}")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.6))
for (name, results), style in zip(runs.items(), ["-", "--", "-"]):
    all_runs = np.array([curve(h) for _, h, _ in results]) * 100
    line, = ax.plot(steps, all_runs.mean(axis=0), style, lw=2, label=name)
    ax.fill_between(steps, all_runs.min(axis=0), all_runs.max(axis=0), color=line.get_color(), alpha=0.15)
ax.set(title="Accuracy by the exact checker", xlabel="training step", ylabel="% right", ylim=(0, 100))
ax.legend(loc="lower right", fontsize=9)
plt.show()

# %% [markdown]
# **What happened.** GRPO climbs fastest: at the same learning rate it reaches 80% in far fewer
# steps than REINFORCE (the printout gives the exact steps; the shaded bands show the spread over
# seeds). The middle curve is the surprise: subtracting the group's mean alone does *not* speed
# learning up here. It changes *what* is learned from each group (wrong answers are pushed down,
# and a group that is all right or all wrong is skipped), but in this small table the plain reward
# already points the right way. It is even a little slower: a right answer's push shrinks when
# other answers in its group were right too. So where does GRPO's lead come from? The next step
# checks.

# %% [markdown]
# ## Step 5: is it just a bigger step?
#
# Dividing by the group's standard deviation makes the advantages large when a group is lopsided
# (one right answer in eight gets +2.65, as in step 3) and small when it is evenly split. On
# problems the policy rarely solves, that acts like a bigger learning rate. A fair test gives
# REINFORCE bigger learning rates too.

# %%
LR_GRID = (LEARNING_RATE, 2 * LEARNING_RATE, 4 * LEARNING_RATE)
lr_check = {}
for name in ("REINFORCE", "GRPO"):
    for lr in LR_GRID:
        results = runs[name][:3] if lr == LEARNING_RATE else [train(SIGNALS[name], lr=lr, seed=seed) for seed in range(3)]
        lr_check[(name, lr)] = steps_to(np.mean([curve(h) for _, h, _ in results], axis=0))
print(f"Steps to reach 80% accuracy at each learning rate (mean of 3 seeds; None: not within {STEPS} steps):")
print(f"{'learning rate':14}" + "".join(f"{lr:>6}" for lr in LR_GRID))
for name in ("REINFORCE", "GRPO"):
    print(f"{name:14}" + "".join(f"{str(lr_check[(name, lr)]):>6}" for lr in LR_GRID))

# %% [markdown]
# Compare REINFORCE at each learning rate with GRPO at half of it: the step counts are close.
# In this toy, most of GRPO's head start is its division by the spread, which by itself turns up
# the step size on problems the policy rarely solves. That helps here, and it is also what some
# researchers criticize (the lesson mentions Dr. GRPO, which drops the division): it gives extra
# weight to problems the model almost never, or almost always, solves, whether or not they matter
# more. What GRPO saves at scale is something our table never needed: the *critic*, a second
# network, usually about as large as the model, that PPO trains to predict rewards.
#
# One more thing GRPO's recipe makes visible: groups where every answer scored the same give no
# signal. As the policy gets good, more and more groups are all right, and their samples are wasted.

# %%
silent_share = np.mean([silent for _, _, silent in runs["GRPO"]], axis=0)
print(f"GRPO groups that taught nothing: {silent_share[:20].mean():.0%} in the first 20 steps, "
      f"{silent_share[-20:].mean():.0%} in the last 20")

# %% [markdown]
# At the start, the silent groups are those in which every answer was wrong; at the end, they are
# mostly groups in which every answer was right. Either way, those samples cost compute and teach
# nothing, which is why it pays to train on problems the current model solves sometimes, but not
# always.

# %% [markdown]
# ## Step 6: a verifier that checks too little
#
# Suppose the checker is cheaper: it looks only at the **last digit**. On a problem with no carry,
# a right last digit often comes with a right answer. On a carry problem, our student's habit,
# forgetting the carry, gives an answer with exactly the right last digit and the wrong tens digit
# (75 for 47 + 38). The weak verifier cannot tell them apart. Train GRPO against it, from the same
# start, and measure two things: the reward the verifier gives, and the true accuracy by the exact
# checker.

# %%
def last_digit_checker(answers, right):
    """A weak verifier: reward 1 when the last digit matches, whatever the rest says."""
    return (answers % 10 == right % 10).astype(float)


weak_logits, weak, _ = train(group_relative, checker=last_digit_checker)
exact_logits, exact, _ = runs["GRPO"][0]

verifier_start, verifier_end = curve(weak, "checker reward")[[0, -1]]
weak_accuracy = curve(weak)
weak_carry = curve(weak, "carry accuracy")
print(f"weak verifier's reward  {verifier_start:.0%} → {verifier_end:.0%}")
print("true accuracy (exact checker):")
print(f"  all problems          {weak_accuracy[0]:.0%} → {weak_accuracy[-1]:.0%}")
print(f"  carry problems        {weak_carry[0]:.0%} → {weak_carry[-1]:.0%}")
print(f"  no-carry problems     {accuracy(START, ~carry):.0%} → {accuracy(weak_logits, ~carry):.0%}")
print("exact checker instead, same start:")
print(f"  all problems          {curve(exact)[0]:.0%} → {curve(exact)[-1]:.0%}")
print(f"  carry problems        {curve(exact, 'carry accuracy')[0]:.0%} → {curve(exact, 'carry accuracy')[-1]:.0%}")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.6))
ax.plot(steps, 100 * curve(weak, "checker reward"), lw=2, label="weak verifier's reward")
ax.plot(steps, 100 * weak_accuracy, "--", lw=2, label="true accuracy, all problems")
ax.plot(steps, 100 * weak_carry, ":", lw=2.5, label="true accuracy, carry problems")
ax.set(title="Training against a last-digit verifier", xlabel="training step", ylabel="%", ylim=(0, 100))
ax.legend(loc="lower right", bbox_to_anchor=(1, 0.08), fontsize=9)
plt.show()

# %% [markdown]
# **What happened.** By its own verifier's measure the policy is nearly perfect. By the exact checker
# it is right on most problems without a carry, and on the problems that need a carry it got *worse*
# than where it started. It learned to forget the carry, reliably, because forgetting
# was rewarded as often as carrying and was already its habit: reinforcement learning strengthens
# whatever the reward pays for, and the sloppy habit was the most likely thing that paid.
#
# Nobody told the policy to cheat. The gap between "passes the check" and "is right" was enough. Real
# cases look the same at a larger scale: code that passes the visible tests by special-casing them.
# Here is what each policy now says to the carry problem from step 2:

# %%
for label, logits in (("weak verifier", weak_logits), ("exact checker", exact_logits)):
    probs = softmax(logits[example])
    top = np.argsort(probs)[::-1][:3]
    print(f"trained with the {label}:\n  {first[example]} + {second[example]} →",
          ", ".join(f"{a} ({p:.0%})" for a, p in zip(top, probs[top])))

# %% [markdown]
# ## Now try
#
# 1. Change the group size `G` to 2, 4 and 16 and rerun steps 3 to 5. With two answers, what are
#    the only advantages GRPO can give? How many samples per step does each setting cost?
# 2. Set `LEARNING_RATE = 4.0`. Does REINFORCE catch up, and does GRPO still gain anything?
# 3. Try a *format-only* verifier that accepts any answer below 1000:
#    `lambda answers, right: (answers < 1000).astype(float)`. What does GRPO learn, and why is every
#    group "silent"?
# 4. Make the weak verifier a little stronger: accept answers within 10 of the right one. Is it
#    still gamed? What is the cheapest check that would catch the forgotten carry?
# 5. Set `forgets_carry=0` in `base_model`. Is the last-digit verifier still gamed, and what does
#    that tell you about where reward hacking comes from?
#
# Back to the lesson: [5. Reasoning models](../reasoning-models.md).
