# %% [markdown]
# # Lab 1: Next-token prediction — watch a model learn to spell
#
# **Goal:** train two tiny language models on a few pages of stories and watch the loss from
# [lesson 2](../pretraining.md#loss-a-number-for-surprise) fall while the model's writing improves.
#
# **What you will see:** a counting model (a *bigram* model) and a small neural network trained by
# gradient descent; a loss curve falling; text sampled from the model before, during and after
# training; and a model that starts to memorise its training text.
#
# **Time:** about 20 minutes. Our "tokens" are single characters, so the vocabulary is tiny and
# everything runs in a few seconds.

# %%
import inspect
import numpy as np
import matplotlib.pyplot as plt
from textbook import labkit

rng = labkit.setup()

# %% [markdown]
# ## Step 1: the text
#
# The training text is a set of short stories written for this course
# (`docs/labs/data/stories.txt`). We lower-case it and keep the last tenth aside as *held-out*
# text: the model never trains on it, so its loss there tells us whether it learned the language or
# just the pages.

# %%
text = labkit.read_text("stories.txt").lower().replace("\n\n", "\n")
vocab = labkit.Vocab(text)
ids = vocab.encode(text)
split = int(0.9 * len(ids))
train_ids, held_ids = ids[:split], ids[split:]
print(f"{len(text)} characters, {len(vocab)} different ones: {''.join(vocab.chars)!r}")
print(text[:200])

# %% [markdown]
# ## Step 2: the loss of knowing nothing
#
# A model that gives every character the same probability, 1 in the vocabulary size, has a loss
# (cross-entropy, in nats) of log(vocabulary size). Every model below must beat this.

# %%
uniform_loss = np.log(len(vocab))
print(f"uniform guess: loss {uniform_loss:.2f}")

# %% [markdown]
# ## Step 3: a counting model
#
# The bigram model counts, for each character, which character came next in the training text,
# and predicts in proportion to those counts (plus one, so nothing has probability zero).

# %%
counts = np.ones((len(vocab), len(vocab)))
np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1)
bigram = counts / counts.sum(axis=1, keepdims=True)


def bigram_loss(seq):
    return -np.log(bigram[seq[:-1], seq[1:]]).mean()


def bigram_sample(n, start="t"):
    out = [vocab.index[start]]
    for _ in range(n):
        out.append(rng.choice(len(vocab), p=bigram[out[-1]]))
    return vocab.decode(out)


bigram_held = bigram_loss(held_ids)
print(f"bigram: training loss {bigram_loss(train_ids):.2f}, held-out loss {bigram_held:.2f}")
print("sample:", bigram_sample(120))

# %% [markdown]
# Better than uniform, and the sample has word-like pieces, but one character of memory is not
# enough to spell.

# %% [markdown]
# ## Step 4: a small neural network
#
# The neural model reads the last four characters. It turns each into a short vector (an
# *embedding*), passes them through one hidden layer and scores every possible next character.
# Training is gradient descent: for a random batch of positions, compute the loss, compute how each
# parameter should move to lower it, take a small step, repeat. This is the whole training step:

# %%
model = labkit.CharMLP(len(vocab), context=4)
X, Y = labkit.windows(train_ids, 4)
X_held, Y_held = labkit.windows(held_ids, 4)
print(f"{model.count():,} parameters")
print(inspect.getsource(labkit.CharMLP.gradients))

# %% [markdown]
# Now train it for 1,500 steps of 128 examples, recording the loss on held-out text and a short
# sample at a few points along the way.

# %%
samples = {}


def watch(step):
    if step in (1, 100, 1500):
        samples[step] = model.sample(vocab, 100, np.random.default_rng(step), start="the ")
    return model.loss(X_held, Y_held)


history = model.train(X, Y, steps=1500, lr=0.01, batch=128, rng=rng, every=50, evaluate=watch)
steps, train_loss, held_loss = (np.array(column) for column in zip(*history))
final_train = model.loss(X, Y)
final_held = held_loss[-1]
print(f"neural model: training loss {final_train:.2f}, held-out loss {final_held:.2f} "
      f"(best held-out {held_loss.min():.2f} at step {steps[held_loss.argmin()]})")

# %%
fig, ax = plt.subplots()
ax.plot(steps, train_loss, lw=1.5, label="training batch")
ax.plot(steps, held_loss, lw=2, label="held-out text")
ax.axhline(uniform_loss, ls=":", color="#555555", label="uniform guess")
ax.axhline(bigram_held, ls="--", color="#888888", label="bigram, held-out")
ax.set(xlabel="training step", ylabel="loss (nats per character)", title="The loss falls as the model trains")
ax.legend(fontsize=9)
plt.show()

# %% [markdown]
# The loss falls fast at first, then slowly. Near the end the training loss keeps falling while
# the held-out loss stops improving or creeps up: the model starts memorising its few pages
# instead of learning general patterns (*overfitting*). Real pretraining avoids this by reading
# far more text than the model can memorise.

# %% [markdown]
# ## Step 5: what the model writes
#
# Each sample starts from "the " and adds one character at a time, drawn from the model's
# prediction.

# %%
for step, sample in samples.items():
    print(f"after {step:>4} steps: {sample!r}")

# %% [markdown]
# At step 1 it is noise. After a hundred steps it has spaces and common letters in plausible
# places. By the end it writes real words from the stories, in almost-sentences, from nothing but
# next-character prediction.
#
# ## Now try
#
# 1. Change `context=4` to `context=2` and to `context=6` (both in step 4). Which reaches the lower
#    held-out loss, and which overfits sooner?
# 2. Stop training at the step where the held-out loss was lowest. Is the sample any worse?
# 3. Set `lr=0.1`, then `lr=0.001`. What does a too-large and a too-small learning rate do to the
#    curve?
# 4. The uniform loss is log(vocabulary size). What would it be for a real model with a vocabulary
#    of tens of thousands of tokens, and why does that make its loss numbers look bigger?
#
# Back to the lesson: [2. Pretraining](../pretraining.md). Next lab:
# [Lab 2: Scaling](scaling.md).
