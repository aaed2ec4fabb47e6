"""Small helpers the labs share: finding the course's files, plot settings, and a tiny language model.

Labs import this as ``from textbook import labkit``. Everything here is plain numpy and matplotlib,
seeded, and runs offline in well under a second per call.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

SEED = 2024
# Colours that read on a white figure, which in turn reads on the site's light and dark pages.
COLOURS = ["#3949ab", "#e65100", "#2e7d32", "#8e24aa", "#00838f", "#6d4c41"]


# --- Files ------------------------------------------------------------------------------------------

def course_root(start: Path | None = None) -> Path:
    """The course folder (the one with docs/facts.yml), searched upwards from the working directory."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "docs" / "facts.yml").is_file():
            return folder
    raise FileNotFoundError("Run the lab from inside the course folder (the one that has docs/facts.yml).")


def data_path(name: str) -> Path:
    """A file shipped with the labs, in docs/labs/data/."""
    return course_root() / "docs" / "labs" / "data" / name


def read_text(name: str) -> str:
    return data_path(name).read_text(encoding="utf-8")


def facts():
    """The course's facts file, loaded and checked exactly as the build loads it."""
    from .facts import load_facts

    return load_facts(course_root() / "docs" / "facts.yml", "docs/facts.yml")


# --- Plots --------------------------------------------------------------------------------------------

def setup() -> np.random.Generator:
    """Plots as crisp, reproducible SVG on a white card; returns the lab's seeded random generator."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "svg.hashsalt": "from-data-to-assistant",    # fixed ids inside the SVG: rebuilds are byte-identical
        "svg.fonttype": "none",                      # text stays text: small files, selectable, crisp
        "figure.figsize": (6.4, 3.6),
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "axes.edgecolor": "#444444",
        "axes.labelcolor": "#222222",
        "text.color": "#222222",
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "axes.grid": True,
        "grid.color": "#dddddd",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 11,
        "axes.titlesize": 12,
        "legend.frameon": False,
        "axes.prop_cycle": mpl.cycler(color=COLOURS),
    })
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg", bbox_inches="tight", metadata={"Date": None})
    except ImportError:            # run as a plain script: no inline figures to configure
        pass
    np.random.seed(SEED)
    return np.random.default_rng(SEED)


# --- A tiny character-level language model ------------------------------------------------------------

class Vocab:
    """Characters to numbers and back."""

    def __init__(self, text: str) -> None:
        self.chars = sorted(set(text))
        self.index = {char: number for number, char in enumerate(self.chars)}

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        return np.array([self.index[char] for char in text], dtype=np.int64)

    def decode(self, ids) -> str:
        return "".join(self.chars[int(i)] for i in ids)


def windows(ids: np.ndarray, context: int) -> tuple[np.ndarray, np.ndarray]:
    """Every position: the `context` characters before it (X) and the character itself (Y)."""
    X = np.lib.stride_tricks.sliding_window_view(ids[:-1], context)
    return X.copy(), ids[context:].copy()


def cross_entropy(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean loss in nats, and the softmax probabilities."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(len(targets)), targets] + 1e-12).mean()
    return float(loss), probs


class CharMLP:
    """Reads the last few characters, predicts the next one.

    characters -> embeddings (a short vector each) -> one hidden layer (tanh) -> a score per character.
    Optional low-rank adapters (LoRA) add A @ B to a weight matrix while the matrix itself stays frozen.
    """

    def __init__(self, vocab_size: int, context: int = 4, embed: int = 12, hidden: int = 96, seed: int = SEED):
        rng = np.random.default_rng(seed)
        self.context = context
        self.p = {
            "C": rng.normal(0, 0.5, (vocab_size, embed)),
            "W1": rng.normal(0, 1 / np.sqrt(context * embed), (context * embed, hidden)),
            "b1": np.zeros(hidden),
            "W2": rng.normal(0, 1 / np.sqrt(hidden), (hidden, vocab_size)),
            "b2": np.zeros(vocab_size),
        }

    # Low-rank adapters -----------------------------------------------------------------------------
    def add_lora(self, rank: int, seed: int = SEED) -> list[str]:
        """Add adapters to W1 and W2; returns the names of the new (and only trainable) parameters."""
        rng = np.random.default_rng(seed)
        names = []
        for name in ("W1", "W2"):
            rows, cols = self.p[name].shape
            self.p[f"{name}.A"] = rng.normal(0, 1 / np.sqrt(rows), (rows, rank))
            self.p[f"{name}.B"] = np.zeros((rank, cols))      # starts at zero: the model is unchanged
            names += [f"{name}.A", f"{name}.B"]
        return names

    def weight(self, name: str) -> np.ndarray:
        weight = self.p[name]
        if f"{name}.A" in self.p:
            weight = weight + self.p[f"{name}.A"] @ self.p[f"{name}.B"]
        return weight

    def count(self, names=None) -> int:
        return int(sum(self.p[name].size for name in (names or self.p)))

    def copy(self) -> "CharMLP":
        twin = object.__new__(CharMLP)
        twin.context = self.context
        twin.p = {name: value.copy() for name, value in self.p.items()}
        return twin

    # Forward and backward -------------------------------------------------------------------------
    def forward(self, X: np.ndarray):
        emb = self.p["C"][X].reshape(len(X), -1)
        hidden = np.tanh(emb @ self.weight("W1") + self.p["b1"])
        logits = hidden @ self.weight("W2") + self.p["b2"]
        return emb, hidden, logits

    def loss(self, X: np.ndarray, Y: np.ndarray) -> float:
        return cross_entropy(self.forward(X)[2], Y)[0]

    def gradients(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict]:
        emb, hidden, logits = self.forward(X)
        loss, probs = cross_entropy(logits, Y)
        d_logits = probs
        d_logits[np.arange(len(Y)), Y] -= 1
        d_logits /= len(Y)
        grads = {"W2": hidden.T @ d_logits, "b2": d_logits.sum(axis=0)}
        d_pre = (d_logits @ self.weight("W2").T) * (1 - hidden**2)
        grads["W1"] = emb.T @ d_pre
        grads["b1"] = d_pre.sum(axis=0)
        d_emb = (d_pre @ self.weight("W1").T).reshape(len(X), self.context, -1)
        grads["C"] = np.zeros_like(self.p["C"])
        np.add.at(grads["C"], X, d_emb)
        for name in ("W1", "W2"):
            if f"{name}.A" in self.p:                      # chain rule through W + A @ B
                grads[f"{name}.A"] = grads[name] @ self.p[f"{name}.B"].T
                grads[f"{name}.B"] = self.p[f"{name}.A"].T @ grads[name]
        return loss, grads

    def train(self, X, Y, steps: int, lr: float = 0.01, batch: int = 128, names=None, rng=None,
              every: int = 50, evaluate=None) -> list[tuple[int, float, float | None]]:
        """Adam on random mini-batches: returns (step, batch loss, evaluate(step) or None) every few steps."""
        rng = rng or np.random.default_rng(SEED)
        names = list(names or [n for n in self.p if "." not in n])
        moment = {n: np.zeros_like(self.p[n]) for n in names}
        square = {n: np.zeros_like(self.p[n]) for n in names}
        history = []
        for step in range(1, steps + 1):
            rows = rng.integers(0, len(X), batch)
            loss, grads = self.gradients(X[rows], Y[rows])
            for n in names:
                moment[n] = 0.9 * moment[n] + 0.1 * grads[n]
                square[n] = 0.999 * square[n] + 0.001 * grads[n] ** 2
                m_hat = moment[n] / (1 - 0.9**step)
                v_hat = square[n] / (1 - 0.999**step)
                self.p[n] -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)
            if step == 1 or step % every == 0:
                history.append((step, loss, evaluate(step) if evaluate else None))
        return history

    def sample(self, vocab: Vocab, length: int, rng, start: str = " ", temperature: float = 0.8) -> str:
        """Write `length` characters, one at a time, each drawn from the model's prediction."""
        text = (" " * self.context + start)[-max(self.context, len(start)):]
        ids = list(vocab.encode(text))
        for _ in range(length):
            logits = self.forward(np.array([ids[-self.context:]]))[2][0] / temperature
            probs = np.exp(logits - logits.max())
            ids.append(int(rng.choice(len(probs), p=probs / probs.sum())))
        return vocab.decode(ids)[len(text) - len(start):]
