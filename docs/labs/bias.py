# %% [markdown]
# # Lab 6: Bias in data — word vectors learn who does which job
#
# **Goal:** see how a skew in training text becomes a measurable association inside a model, then
# try two fixes and find out what each one does and does not repair, as in
# [lesson 7](../bias.md).
#
# **What you will see:** a small corpus where some jobs are written mostly with "he" and others
# mostly with "she"; word vectors learned from it that place those jobs on a "he–she" axis; a fix
# that erases the measurement but not the skew; and a fix to the data that leaves another skew behind.
#
# **Time:** about 20 minutes.

# %%
import numpy as np
import matplotlib.pyplot as plt
from textbook import labkit

rng = labkit.setup()

# %% [markdown]
# ## Step 1: a skewed corpus
#
# We write the corpus ourselves from a few sentence patterns, so that the skew is known exactly.
# `SHARE_HE` is the share of sentences about each job that use "he" (and a man's name); the rest use
# "she" (and a woman's name). Real text has skews like these because it describes a world, and
# a history, in which jobs were not shared out evenly.

# %%
SHARE_HE = {"engineer": 0.85, "pilot": 0.85, "mechanic": 0.9, "surgeon": 0.8, "programmer": 0.8,
            "nurse": 0.15, "receptionist": 0.15, "librarian": 0.25, "hairdresser": 0.2, "midwife": 0.1,
            "writer": 0.5, "cook": 0.5, "lawyer": 0.5, "farmer": 0.5}
JOBS = list(SHARE_HE)
PATTERNS = ["the {job} said that {he} would be late", "{he} works as a {job} in the city",
            "the {job} finished {his} shift early", "everyone thanked the {job} because {he} stayed late",
            "the {man} is a {job}", "{name} is a {job}", "the {job} told us about {his} day"]
MEN, WOMEN = ["john", "david", "peter", "tom"], ["mary", "sarah", "anna", "lucy"]
OTHER = ["the weather was cold today", "the train was late again", "we walked to the market",
         "he went home after work", "she went home after work", "he likes to read", "she likes to read"]


def sentence(job, male):
    pattern = PATTERNS[rng.integers(len(PATTERNS))]
    return pattern.format(job=job, he="he" if male else "she", his="his" if male else "her",
                          man="man" if male else "woman", name=rng.choice(MEN if male else WOMEN))


corpus = [sentence(job, rng.random() < share) for job, share in SHARE_HE.items() for _ in range(150)]
corpus += [OTHER[rng.integers(len(OTHER))] for _ in range(600)]
rng.shuffle(corpus)
print(len(corpus), "sentences, for example:")
print("\n".join(corpus[:5]))

# %% [markdown]
# ## Step 2: word vectors
#
# A word's vector summarises the company it keeps. We count which words appear within three
# places of each other, turn the counts into *positive pointwise mutual information* (how much more
# often two words meet than chance would predict), and compress each word's row to 16 numbers with
# a singular value decomposition. Each word gets two vectors: one for the word itself and one for
# it as a neighbour (a *context*). The dot product of a word's vector with a context vector
# estimates how strongly the two go together; words used in similar sentences end up with similar
# vectors.

# %%
def word_vectors(sentences, dim=16, window=3):
    words = sorted({w for s in sentences for w in s.split()})
    index = {w: i for i, w in enumerate(words)}
    counts = np.zeros((len(words), len(words)))
    for s in sentences:
        ids = [index[w] for w in s.split()]
        for i, a in enumerate(ids):
            for j in range(max(0, i - window), min(len(ids), i + window + 1)):
                if j != i:
                    counts[a, ids[j]] += 1
    total = counts.sum()
    p_word = counts.sum(axis=1) / total
    pmi = np.log(np.maximum(counts / total, 1e-12) / np.outer(p_word, p_word))
    u, s, vt = np.linalg.svd(np.maximum(pmi, 0))
    words_vec = u[:, :dim] * np.sqrt(s[:dim])
    context_vec = vt[:dim].T * np.sqrt(s[:dim])
    return ({w: words_vec[i] for w, i in index.items()}, {w: context_vec[i] for w, i in index.items()})


vec, ctx = word_vectors(corpus)

# %% [markdown]
# ## Step 3: measure the association
#
# Each job's *bias score* is how much more strongly its vector goes with "he" than with "she" as a
# neighbour: the job's vector times (context vector of he − context vector of she). Positive leans
# "he", negative leans "she". If the vectors had learned nothing about gender, every score would
# be near zero.

# %%
def bias_scores(v, c):
    direction = c["he"] - c["she"]
    return np.array([v[job] @ direction for job in JOBS])


share = np.array([SHARE_HE[job] for job in JOBS])
scores = bias_scores(vec, ctx)
bias_before = np.abs(scores).mean()
print(f"average size of the bias score: {bias_before:.3f}")
print(f"correlation with the share of 'he' in the data: {np.corrcoef(scores, share)[0, 1]:.2f}")

fig, ax = plt.subplots(figsize=(6.4, 3.8))
ax.scatter(share, scores, s=30)
for job, x, y in zip(JOBS, share, scores):
    ax.annotate(job, (x, y), textcoords="offset points", xytext=(4, 3), fontsize=8)
ax.axhline(0, color="#888888", lw=1)
ax.set(xlabel="share of sentences using 'he' (the data)", ylabel="bias score (the vectors)",
       title="The vectors reproduce the skew in the data")
plt.show()

# %% [markdown]
# The jobs written mostly with "he" lean towards "he", and the others towards "she". Nobody told
# the method anything about gender: it found the skew because the skew is in the text.

# %% [markdown]
# ## Step 4: fix 1 — remove the gender direction from the job vectors
#
# A well-known repair ("hard debiasing") takes the *gender direction* (here, he − she) and
# subtracts from each job vector its part along that direction. By construction, the bias score
# becomes zero.

# %%
def remove_direction(v, c, words):
    d = (c["he"] - c["she"]) / np.linalg.norm(c["he"] - c["she"])
    fixed = dict(v)
    for w in words:
        fixed[w] = v[w] - (v[w] @ d) * d
    return fixed


debiased = remove_direction(vec, ctx, JOBS)
bias_projected = np.abs(bias_scores(debiased, ctx)).mean()
print(f"average bias score before: {bias_before:.3f}, after removing the direction: {bias_projected:.3f}")

# %% [markdown]
# The measurement now says "no bias". But look at what did not change: the corpus. Any other model
# trained on the same text learns the skew again. The simplest one predicts the pronoun in
# "the nurse said that ___ would be late" from counts:

# %%
def pronoun_share(sentences, job):
    """Of the sentences about `job` that contain he or she, the share with 'he'."""
    he = she = 0
    for s in sentences:
        words = s.split()
        if job in words:
            he += "he" in words
            she += "she" in words
    return he / (he + she)


pronoun_before = {job: pronoun_share(corpus, job) for job in JOBS}
for job in ("engineer", "nurse", "midwife"):
    print(f"'the {job} said that ___': 'he' {pronoun_before[job]:.0%} of the time")

# %% [markdown]
# Fix 1 repaired one instrument, not the data. Research on real word vectors found the same: after
# hard debiasing, the old associations can often still be recovered from the other directions.

# %% [markdown]
# ## Step 5: fix 2 — balance the data (counterfactual augmentation)
#
# Now change the data instead. For every sentence, add a copy with the gendered words swapped
# (he ↔ she, his ↔ her, man ↔ woman), then learn the vectors again.

# %%
SWAP = {"he": "she", "she": "he", "his": "her", "her": "his", "man": "woman", "woman": "man"}
augmented = corpus + [" ".join(SWAP.get(w, w) for w in s.split()) for s in corpus]
vec_cda, ctx_cda = word_vectors(augmented)
bias_cda = np.abs(bias_scores(vec_cda, ctx_cda)).mean()
pronoun_after = {job: pronoun_share(augmented, job) for job in JOBS}
print(f"average bias score: before {bias_before:.3f}, after augmentation {bias_cda:.3f}")
for job in ("engineer", "nurse", "midwife"):
    print(f"'the {job} said that ___': 'he' {pronoun_after[job]:.0%} of the time")

# %% [markdown]
# The pronouns are now balanced for every job, and the bias score shrinks. But the swap list only
# covered the words we thought of. Names were not on it:

# %%
def name_share(sentences, job):
    """Of the sentences naming someone as `job`, the share with a man's name."""
    men = women = 0
    for s in sentences:
        words = s.split()
        if job in words:
            men += any(n in words for n in MEN)
            women += any(n in words for n in WOMEN)
    return men / (men + women)


names_before = {job: name_share(corpus, job) for job in JOBS}
names_after = {job: name_share(augmented, job) for job in JOBS}
for job in ("engineer", "nurse"):
    print(f"'{job}' with a man's name: {names_before[job]:.0%} before, {names_after[job]:.0%} after augmentation")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.4))
x = np.arange(3)
ax.bar(x, [bias_before, bias_projected, bias_cda], color=labkit.COLOURS[:3])
ax.set_xticks(x, ["original", "fix 1: remove\ndirection", "fix 2: swap\npronouns"])
ax.set(ylabel="average |bias score|", title="What each fix does to the measurement")
plt.show()

# %% [markdown]
# **In plain words.** A bias measure can be driven to zero without the data changing at all, so a
# good score on one test is not proof that a model is fair. Changing the data works better, but
# only for what you knew to change; here the names still carry the old skew, and a model reading
# them would pick it up again.
#
# ## Now try
#
# 1. Set every value in `SHARE_HE` to 0.5 and rerun. What is the average bias score now? That is
#    the noise level of this small experiment: a "bias" smaller than it means little.
# 2. Add the names to `SWAP` (john ↔ mary, and so on) and rerun step 5. What changes?
# 3. Add a job that never appears with a pronoun (only with names). Where does it land in step 3?
# 4. Fix 1 made the score zero. Write one sentence you would put in a report to explain why that
#    number alone should not convince a reader.
#
# Back to the lesson: [7. Bias in training data](../bias.md).
