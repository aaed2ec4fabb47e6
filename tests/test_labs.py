"""The labs: each one runs and teaches what it says, and the built pages carry their outputs.

Teaching outcomes are read from the lab's own variables: the lab runs in a fresh kernel exactly as
the build runs it, then one added cell prints the values the assertions need. Thresholds are stated
beside each assertion.
"""
from __future__ import annotations

import base64
import json
import re
import shutil

import nbformat
import pytest

from conftest import ROOT
from textbook.labs import cache_key, execute, executed_notebook, find_labs, read_lab

DOCS = ROOT / "docs"
LABS = {lab.name: lab for lab in find_labs(DOCS, ROOT)}
NAMES = ["next-token", "scaling", "fine-tuning", "rlhf", "reasoning", "bias"]


def outcome(name: str, expression: str, docs=DOCS, root=ROOT) -> dict:
    """Run a lab, then evaluate `expression` (a dict literal) in its kernel and return it."""
    lab = LABS[name] if docs == DOCS else {lab.name: lab for lab in find_labs(docs, root)}[name]
    probe = f"import json\nprint('OUTCOME' + json.dumps({expression}, default=float))"
    notebook = execute(lab, read_lab(lab), docs / "labs", extra_code=[probe])
    printed = "".join(output.text for output in notebook.cells[-1].outputs if output.output_type == "stream")
    return json.loads(printed.split("OUTCOME", 1)[1])


def test_every_lab_is_listed():
    assert sorted(LABS) == sorted(NAMES)


@pytest.mark.build
def test_next_token_loss_falls_and_samples_improve():
    got = outcome("next-token", """{"uniform": uniform_loss, "bigram": bigram_held, "first": held_loss[0],
        "best": held_loss.min(), "train": final_train, "samples": {str(k): v for k, v in samples.items()},
        "words": sorted(set(text.split()))}""")
    assert got["first"] > 3.0                          # an untrained model is about as bad as guessing
    assert got["bigram"] < got["uniform"] - 1.0        # counting pairs beats guessing by over 1 nat
    assert got["best"] < 1.6                           # the neural model's held-out loss falls below 1.6 nats
    assert got["best"] < got["bigram"] - 0.4           # ... clearly below the counting model
    assert got["train"] < 1.0                          # and it fits its training text closely

    def real_words(sample: str) -> float:
        words = re.findall(r"[a-z]+", sample)
        return sum(word in got["words"] for word in words) / max(1, len(words))

    assert real_words(got["samples"]["1500"]) >= 0.5 > real_words(got["samples"]["1"])


@pytest.mark.build
def test_scaling_numbers_match_the_facts_file():
    from textbook.facts import load_facts

    facts = load_facts(DOCS / "facts.yml").facts
    got = outcome("scaling", """{"ratio": TOKENS_PER_PARAM, "rows": rows, "n": compute_optimal(1e24)[0],
        "d": compute_optimal(1e24)[1], "models": MODELS, "groups": GROUPS, "placed": placed}""")
    assert got["ratio"] == facts["chinchilla.tokens_per_param"].value
    gpt4 = [params_id for name, params_id, _ in got["models"] if name.startswith("GPT-4")]
    assert gpt4 == ["gpt4.active_params_leak"], f"6·N·D for a mixture of experts needs active parameters: {gpt4}"
    bounds = [lowest for lowest, _ in got["groups"]] + [float("inf")]
    for (lowest, label), highest in zip(got["groups"], bounds[1:]):      # each model sits in the group its ratio says
        for row_name, n, d, *_ in got["rows"]:
            listed = any(entry.startswith(row_name + ": ") for entry in got["placed"][label])
            assert listed == (lowest <= d / n / got["ratio"] < highest), f"{row_name} in '{label}'"
    for (name, params_id, tokens_id), (row_name, n, d, flop, ratio, _best) in zip(got["models"], got["rows"]):
        assert row_name == name
        assert n == facts[params_id].value and d == facts[tokens_id].value
        assert flop == pytest.approx(6 * n * d) and ratio == pytest.approx(d / n)
    assert 6 * got["n"] * got["d"] == pytest.approx(1e24)
    assert got["d"] / got["n"] == pytest.approx(got["ratio"])


@pytest.mark.build
def test_a_corrected_fact_changes_the_scaling_lab_and_its_cache_key(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(DOCS / "labs", course / "docs" / "labs")
    facts = (DOCS / "facts.yml").read_text()
    (course / "docs" / "facts.yml").write_text(facts)
    lab = {lab.name: lab for lab in find_labs(course / "docs", course)}["scaling"]
    key = cache_key(lab, course / "docs")
    changed = facts.replace("  chinchilla.tokens_per_param:\n    value: 20\n", "  chinchilla.tokens_per_param:\n    value: 25\n")
    assert changed != facts
    (course / "docs" / "facts.yml").write_text(changed)
    assert cache_key(lab, course / "docs") != key
    got = outcome("scaling", '{"ratio": TOKENS_PER_PARAM}', course / "docs", course)
    assert got["ratio"] == 25


def test_a_fact_change_reruns_only_the_labs_that_read_facts(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(DOCS / "labs", course / "docs" / "labs")
    facts = (DOCS / "facts.yml").read_text()
    (course / "docs" / "facts.yml").write_text(facts)
    labs = find_labs(course / "docs", course)
    before = {lab.name: cache_key(lab, course / "docs") for lab in labs}
    (course / "docs" / "facts.yml").write_text(facts.replace("  gpt3.params:\n    value: 175e9",
                                                             "  gpt3.params:\n    value: 176e9"))
    changed = sorted(lab.name for lab in labs if cache_key(lab, course / "docs") != before[lab.name])
    assert changed == ["scaling"]                       # the one lab that loads the facts file


@pytest.mark.build
def test_a_cached_lab_is_not_run_again(tmp_path):
    cache = tmp_path / "cache"
    lab = LABS["scaling"]
    path, ran = executed_notebook(lab, DOCS, cache)
    assert ran and path.name == "scaling.ipynb"
    notebook = nbformat.read(path, as_version=4)
    assert any(cell.get("outputs") for cell in notebook.cells)
    assert executed_notebook(lab, DOCS, cache) == (path, False)


@pytest.mark.build
def test_fine_tuning_forgets_and_lora_trains_fewer_parameters():
    got = outcome("fine-tuning", """{"story0": before_story, "log0": before_log, "story_full": full_story,
        "log_full": full_log, "story_lora": lora_story, "log_lora": lora_log, "share": share_trained,
        "story_mixed": mixed_story}""")
    assert got["log_full"] < got["log0"] - 1.5                 # it learns the new style: log loss down by > 1.5
    assert got["story_full"] > got["story0"] + 0.5             # and forgets: stories loss up by > 0.5
    assert got["share"] < 0.10                                 # LoRA trains under 10% of the parameters
    assert got["log_lora"] < got["log0"] - 1.0                 # ... still learns the style
    assert got["story_lora"] - got["story0"] < got["story_full"] - got["story0"]   # ... and forgets less
    assert got["story_mixed"] < got["story_full"] - 0.3        # replay forgets clearly less


@pytest.mark.build
def test_rlhf_reward_hacking_and_the_kl_penalty():
    got = outcome("rlhf", """{"acc": rm_accuracy, "truth_acc": truth_accuracy, "start": start,
        "end": {str(b): h[-1] for b, h in runs.items()}}""")
    assert got["acc"] > 0.5 + 0.10                   # the reward model beats chance by over 10 points
    start, free, kl = got["start"], got["end"]["0.0"], got["end"]["1.0"]
    assert free["reward"] > start["reward"] + 1.0     # without KL the reward rises ...
    assert free["true quality"] < start["true quality"] - 1.0    # ... while true quality drops
    assert free["agrees"] > 0.9 and free["length"] > start["length"] + 200      # sycophancy and padding
    drop_free = start["true quality"] - free["true quality"]
    drop_kl = start["true quality"] - kl["true quality"]
    assert drop_kl < 0.25 * drop_free                 # with KL (beta = 1) it drops far less
    assert kl["reward"] > start["reward"]             # while the reward still improves
    half = got["end"]["0.5"]                          # the text: a stronger penalty keeps more quality, gains less reward
    assert kl["true quality"] > half["true quality"] and kl["reward"] < half["reward"], (half, kl)


@pytest.mark.build
def test_reasoning_group_relative_learns_faster_and_a_weak_verifier_is_gamed():
    got = outcome("reasoning", """{"start": accuracy(START), "halfway": HALFWAY,
        "acc": {name: acc[steps == HALFWAY][0] for name, acc in mean_accuracy.items()},
        "to80": {name: steps_to(acc) for name, acc in mean_accuracy.items()},
        "lr": {f"{name} {lr}": lr_check[(name, lr)] for name, lr in lr_check}, "base_lr": LEARNING_RATE,
        "silent_first": silent_share[:20].mean(), "silent_last": silent_share[-20:].mean(),
        "verifier": [verifier_start, verifier_end], "weak_acc": list(weak_accuracy[[0, -1]]),
        "weak_carry": list(weak_carry[[0, -1]]), "exact_acc": curve(exact)[-1],
        "exact_carry": curve(exact, "carry accuracy")[-1]}""")
    acc, to80 = got["acc"], got["to80"]
    assert got["start"] < 0.25, f"the base model starts weak: accuracy {got['start']:.2f}, want < 0.25"
    # At the same learning rate GRPO is ahead at mid-training (measured: 0.90 against 0.66) ...
    assert acc["GRPO"] >= 0.85 > 0.75 >= acc["REINFORCE"], f"at step {got['halfway']}: {acc}"
    # ... and reaches 80% in at most 0.7 of REINFORCE's steps (measured: 110 against 205).
    assert to80["GRPO"] is not None and to80["REINFORCE"] is not None, to80
    assert to80["GRPO"] <= 0.7 * to80["REINFORCE"], f"steps to 80%: {to80}"
    # Subtracting the mean alone is not faster than REINFORCE here (measured: 230 against 205).
    assert to80["group mean only"] is None or to80["group mean only"] >= 0.9 * to80["REINFORCE"], to80
    # REINFORCE with twice the learning rate comes within 25% of GRPO's steps (measured: 115 against 110).
    base, lr = got["base_lr"], got["lr"]
    assert lr[f"REINFORCE {2 * base}"] <= 1.25 * lr[f"GRPO {base}"], f"steps to 80% by learning rate: {lr}"
    # Groups that teach nothing grow as the policy gets good (measured: 0.20 to 0.80).
    assert got["silent_last"] > 0.5 > got["silent_first"], (got["silent_first"], got["silent_last"])
    # The weak verifier's reward rises above 0.9 (measured: 0.56 to 0.96) ...
    v0, v1 = got["verifier"]
    assert v1 >= 0.9 and v1 > v0 + 0.3, f"weak verifier's reward {v0:.2f} -> {v1:.2f}"
    # ... while true accuracy stays at least 0.25 below it (measured: 0.54) ...
    assert got["weak_acc"][1] < v1 - 0.25 and got["weak_acc"][1] < 0.65, f"true accuracy {got['weak_acc']}"
    # ... and on carry problems falls to under half its start (measured: 0.13 to 0.03).
    c0, c1 = got["weak_carry"]
    assert c1 < 0.5 * c0, f"carry-problem accuracy {c0:.2f} -> {c1:.2f}"
    # The exact checker, from the same start, gets carry problems right (measured: 0.97 and 0.97).
    assert got["exact_acc"] >= 0.9 and got["exact_carry"] >= 0.9, (got["exact_acc"], got["exact_carry"])


@pytest.mark.build
def test_bias_measure_is_real_and_each_fix_changes_it():
    got = outcome("bias", """{"before": bias_before, "corr": float(np.corrcoef(scores, share)[0, 1]),
        "projected": bias_projected, "cda": bias_cda, "pronoun_before": pronoun_before,
        "pronoun_after": pronoun_after, "names_before": names_before, "names_after": names_after}""")
    assert got["before"] > 0.1                        # the association is there ...
    assert got["corr"] > 0.8                          # ... and follows the skew in the data
    assert got["projected"] < 1e-9                    # fix 1 zeroes the measure
    assert got["pronoun_before"]["nurse"] < 0.3       # ... but the data still says "she" for nurse
    assert got["cda"] < 0.5 * got["before"]           # fix 2 shrinks it
    assert all(share == 0.5 for share in got["pronoun_after"].values())
    assert got["names_after"] == got["names_before"] and got["names_before"]["engineer"] > 0.6


# --- The built pages ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_lab_page_has_outputs_and_a_working_download(built_site, name):
    from bs4 import BeautifulSoup

    html = (built_site / "labs" / name / "index.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.md-content__inner")
    notebook = read_lab(LABS[name])
    assert article.h1.get_text().rstrip("¶").strip() == notebook.cells[0].source.splitlines()[0].lstrip("# ")
    assert soup.title.get_text().startswith(article.h1.get_text().rstrip("¶").strip())
    code = [cell.source.strip() for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]
    shown = [block.get_text().strip() for block in article.select("div.language-python pre")]
    assert shown == code, "every code cell, in order, as highlighted Python"
    figures = article.select('figure.fd-lab-figure img[src^="data:image/svg+xml;base64,"]')
    assert figures, "no plot"
    pictures = [base64.b64decode(figure["src"].split(",", 1)[1]).decode() for figure in figures]
    assert article.select("pre.fd-lab-output"), "no printed output"
    assert "Traceback" not in html and "fd-lab-output--stderr" not in html, "a warning or error"
    assert not [svg for svg in pictures if "<dc:date>" in svg], "a plot carries a date: rebuilds would differ"
    assert not article.select(".jp-Cell, .jupyter-wrapper"), "rendered by a notebook template"
    link = article.select_one("p.fd-lab-download a[download]")
    assert link["href"] == f"../{name}.py"
    assert (built_site / "labs" / f"{name}.py").read_bytes() == LABS[name].path.read_bytes()
    assert "Now try" in html and 'href="../../' in html      # the questions and a link back to the lesson
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', article):
        target = (built_site / "labs" / name / href).resolve()
        assert (target / "index.html").is_file() or target.is_file(), f"broken link {href}"


def test_labs_are_in_the_nav_and_linked_from_their_chapters(built_site):
    home = (built_site / "index.html").read_text()
    nav = re.sub(r"\s+", " ", home.split('class="md-nav md-nav--primary"', 1)[1])
    assert 0 < nav.index("> Lessons <") < nav.index("> Labs <")
    for name in NAMES:
        assert f'href="labs/{name}/"' in nav
    for chapter, labs in {"pretraining": ["next-token", "scaling"], "fine-tuning": ["fine-tuning"],
                          "rlhf": ["rlhf"], "reasoning-models": ["reasoning"], "bias": ["bias"]}.items():
        html = (built_site / chapter / "index.html").read_text()
        box = html.split('id="key-takeaways"')[0].rsplit('class="admonition tip"', 1)[1]
        for lab in labs:
            assert f'href="../labs/{lab}/"' in box, f"{chapter} does not link to {lab} before its takeaways"


def test_scaling_lab_says_how_sure_each_figure_is(built_site):
    html = (built_site / "labs" / "scaling" / "index.html").read_text()
    assert "(estimated)" in html and "(leaked)" in html and "(reported)" in html
