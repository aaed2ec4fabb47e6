# %% [markdown]
# # Lab 3: Fine-tuning and forgetting — and a low-rank shortcut
#
# **Goal:** adapt a small pretrained model to a narrow style, measure what it forgets of its
# original text, and compare full fine-tuning with a LoRA-style update that trains far fewer
# parameters, as in [lesson 3](../fine-tuning.md).
#
# **What you will see:** the loss on the new style falling while the loss on the original stories
# rises (*catastrophic forgetting*); a low-rank update that trains a small fraction of the
# parameters; and a simple way to forget less by mixing in old text.
#
# **Time:** about 20 minutes. The model is the character-level network from
# [Lab 1](next-token.md).

# %%
import numpy as np
import matplotlib.pyplot as plt
from textbook import labkit

rng = labkit.setup()

# %% [markdown]
# ## Step 1: two kinds of text
#
# The *original* text is the course's short stories. The *narrow style* is a ship's log, written for
# this course: short, clipped entries that all look alike.

# %%
stories = labkit.read_text("stories.txt").lower().replace("\n\n", "\n")
log = labkit.read_text("ships-log.txt").lower()
vocab = labkit.Vocab(stories + log)
print(log[:230])


def split_windows(text, share=0.85):
    ids = vocab.encode(text)
    cut = int(share * len(ids))
    return labkit.windows(ids[:cut], 4), labkit.windows(ids[cut:], 4)


(story_X, story_Y), (story_hX, story_hY) = split_windows(stories)
(log_X, log_Y), (log_hX, log_hY) = split_windows(log)

# %% [markdown]
# ## Step 2: "pretrain" on the stories
#
# We train the model on the stories only, stopping near the point where Lab 1 found the held-out
# loss lowest. Then we measure its loss on held-out text of both kinds.

# %%
base = labkit.CharMLP(len(vocab), context=4)
base.train(story_X, story_Y, steps=800, lr=0.01, rng=np.random.default_rng(1))


def losses(model):
    return model.loss(story_hX, story_hY), model.loss(log_hX, log_hY)


before_story, before_log = losses(base)
print(f"pretrained model: stories loss {before_story:.2f}, ship's log loss {before_log:.2f}")
print("it writes:", repr(base.sample(vocab, 90, np.random.default_rng(5), start="day ")))

# %% [markdown]
# ## Step 3: full fine-tuning on the ship's log
#
# Fine-tuning is more training, on new data, starting from the pretrained weights. Here every
# parameter may change. We track both losses as it trains.

# %%
STEPS = 300


def fine_tune(model, X, Y, names=None):
    return model.train(X, Y, steps=STEPS, lr=0.01, names=names, rng=np.random.default_rng(2),
                       every=25, evaluate=lambda step: losses(model))


full = base.copy()
full_history = fine_tune(full, log_X, log_Y)
full_story, full_log = losses(full)
print(f"trained {full.count():,} parameters")
print(f"stories loss {before_story:.2f} → {full_story:.2f}, ship's log loss {before_log:.2f} → {full_log:.2f}")
print("it writes:", repr(full.sample(vocab, 90, np.random.default_rng(5), start="the ")))

# %% [markdown]
# The model learned the log's style quickly, and even when asked to continue "the " it now writes
# like a log. Its loss on the stories went *up*: it is worse at the text it was built on. Nothing
# told it to forget; the same weights that stored the stories were simply moved to fit the log.

# %% [markdown]
# ## Step 4: a low-rank update (LoRA-style)
#
# LoRA freezes every original weight and adds, beside each big weight matrix *W*, a product of two
# thin matrices *A* · *B* of rank *r*. Only *A* and *B* train. A matrix with *m* rows and *n*
# columns has *m* × *n* numbers; its adapter has only (*m* + *n*) × *r*.

# %%
lora = base.copy()
adapter = lora.add_lora(rank=2)
rows, cols = base.p["W2"].shape
print(f"output matrix W2: {rows} × {cols} = {rows * cols:,} numbers; its rank-2 adapter: ({rows} + {cols}) × 2 = {(rows + cols) * 2}")
lora_history = fine_tune(lora, log_X, log_Y, names=adapter)
lora_story, lora_log = losses(lora)
share_trained = lora.count(adapter) / full.count()
print(f"trained {lora.count(adapter):,} parameters ({share_trained:.0%} of full fine-tuning)")
print(f"stories loss {before_story:.2f} → {lora_story:.2f}, ship's log loss {before_log:.2f} → {lora_log:.2f}")
print("it writes:", repr(lora.sample(vocab, 90, np.random.default_rng(5), start="day ")))

# %% [markdown]
# ## Step 5: mix in some old text
#
# A common way to forget less is *replay*: keep some of the original data in the fine-tuning mix.
# Here half of the fine-tuning examples come from the stories.

# %%
mixed = base.copy()
take = np.random.default_rng(3).integers(0, len(story_X), len(log_X))
mixed_history = fine_tune(mixed, np.concatenate([log_X, story_X[take]]), np.concatenate([log_Y, story_Y[take]]))
mixed_story, mixed_log = losses(mixed)
print(f"stories loss {before_story:.2f} → {mixed_story:.2f}, ship's log loss {before_log:.2f} → {mixed_log:.2f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.4), sharex=True)
for name, history in (("full fine-tuning", full_history), ("LoRA, rank 2", lora_history),
                      ("full, with replay", mixed_history)):
    steps = [h[0] for h in history]
    axes[0].plot(steps, [h[2][1] for h in history], lw=2, label=name)
    axes[1].plot(steps, [h[2][0] for h in history], lw=2, label=name)
axes[0].set(title="New style: ship's log", xlabel="fine-tuning step", ylabel="held-out loss")
axes[1].set(title="Original: stories", xlabel="fine-tuning step")
axes[1].legend(fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading the chart.** Left: lower is better at the new style. Right: higher means more
# forgotten. Full fine-tuning learns the new style best and forgets the most. The LoRA-style update
# changes far fewer numbers, so it learns the new style less completely and forgets less. Replay
# forgets much less than plain full fine-tuning, at a small cost in the new style. None of these is free: you choose
# how much of the old skill to trade for the new one.
#
# ## Now try
#
# 1. Try `rank=1` and `rank=8` in step 4. How do the number of trained parameters, the log loss and
#    the stories loss change?
# 2. Double `STEPS`. Does LoRA keep forgetting less, or does it catch up with full fine-tuning?
# 3. In step 5, use fewer story examples (`len(log_X) // 4`). How much replay is enough here?
# 4. A company fine-tunes a general assistant on its support tickets. Using what you saw, say what
#    it should measure before it ships the result.
#
# Back to the lesson: [3. Fine-tuning](../fine-tuning.md).
