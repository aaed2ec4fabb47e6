""""Ask this lesson" and the course for assistants: passages and Markdown cut from built pages.

HTML in, passages or Markdown out (unit); then the real course built, its index, Markdown files and
llms.txt (build); the box in Chromium, its answers measured on the learner questions (browser).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from textbook import ask, llms
from textbook.errors import ContentError
from textbook.glossary import load_glossary
from textbook.learner_questions import check_sections as check_question_sections, load_learner_questions
from textbook.links import anchors

ROOT = Path(__file__).resolve().parent.parent
ASK_JS = ROOT / "overrides" / "assets" / "javascripts" / "ask.js"
LESSONS = ["training-data", "pretraining", "fine-tuning", "rlhf", "reasoning-models", "failure-modes", "bias"]

ARTICLE = """<article class="md-content__inner md-typeset">
<a class="md-content__button md-icon" href="https://example.org/edit">edit</a>
<h1 id="pretraining">2. Pretraining<a class="headerlink" href="#pretraining">¶</a></h1>
<p>Start typing a message on your phone and the keyboard offers a next word, guessed from the words before.</p>
<h2 id="learning-objectives">Learning objectives<a class="headerlink" href="#learning-objectives">¶</a></h2>
<ul><li>explain next-token prediction in plain words to a friend</li></ul>
<h2 id="the-game">The game: guess the next token<a class="headerlink" href="#the-game">¶</a></h2>
<p>GPT-3 has <span class="fd-fact fd-fact--reported">175 billion parameters<sup class="fd-fact__q"><a href="../sources/#src-brown2020" title="t">reported</a></sup></span>, each one a dial that training sets.</p>
<p>Each <a class="fd-term" href="../glossary/#term-token" title="The unit of text">token</a> is a small piece of text, often a word or part of one.</p>
<div class="admonition example"><p class="admonition-title">Worked example: one prediction</p>
<p>The model gives "coffee" a probability of one half, and the loss is small when coffee comes next.</p>
<pre><code>loss = -log(p)</code></pre></div>
<table><thead><tr><th>Model</th><th>Parameters</th></tr></thead>
<tbody><tr><td>GPT-3</td><td>175B</td></tr><tr><td>Llama 2</td><td>70B</td></tr></tbody></table>
<div class="fd-quiz" data-quiz="pretraining"><fieldset class="fd-q" data-kind="single">
<legend class="fd-q__legend"><span class="fd-q__number">Question 1 of 1</span> <span class="fd-q__text">What does pretraining teach?</span></legend>
<ul class="fd-q__options"><li class="fd-opt" data-correct="true"><input type="radio"><label>To predict the next token from the ones before it.</label><p class="fd-opt__feedback" hidden>Correct — the text itself is the answer key.</p></li>
<li class="fd-opt" data-correct="false"><input type="radio"><label>To sort statements into true and false ones.</label><p class="fd-opt__feedback" hidden>Not quite — nothing says what is true.</p></li></ul>
<details class="fd-q__answer"><summary>Show the answer</summary><ul><li><strong>Right:</strong> To predict the next token.</li></ul></details>
</fieldset></div>
<figure class="fd-chart"><img alt="Dots rising to the right" src="data:image/svg+xml;base64,AA"><figcaption>Compute over time. Sources: <a href="../sources/#src-x">Epoch</a>.</figcaption>
<details class="fd-chart__data"><summary>Data</summary><table><thead><tr><th>Model</th><th>FLOP</th></tr></thead><tbody><tr><td>GPT-3</td><td>3.14e23</td></tr></tbody></table></details></figure>
<section class="fd-ask" aria-labelledby="ask-this-lesson"><h2 id="ask-this-lesson">Ask this lesson</h2><div class="fd-ask__body"><p>Ask a question in your own words and more words here.</p></div></section>
</article>"""


def article() -> BeautifulSoup:
    return BeautifulSoup(ARTICLE, "html.parser").find("article")


# --- Passages --------------------------------------------------------------------------------------


def test_passages_are_the_teaching_text_under_their_headings():
    cut = ask.passages(article(), "2. Pretraining")
    texts = [passage.text for passage in cut]
    # The intro sits under the lesson's title; the framing sections, quiz, chart, code and box are left out.
    assert cut[0].heading == "2. Pretraining" and cut[0].anchor == ""
    assert not any("explain next-token prediction" in text for text in texts)      # learning objectives
    assert not any("sort statements" in text or "Correct" in text for text in texts)  # the quiz
    assert not any("Dots rising" in text or "3.14e23" in text for text in texts)      # the chart
    assert not any("-log(p)" in text for text in texts)                               # code
    assert not any("your own words" in text for text in texts)                        # the box itself
    # A fact reads as the reader sees it, without its qualifier's label.
    assert any("GPT-3 has 175 billion parameters, each one a dial" in text for text in texts)
    assert not any("reported" in text for text in texts)
    game = [passage for passage in cut if passage.anchor == "the-game"]
    assert {passage.heading for passage in game} == {"The game: guess the next token"}
    # A box answers as a whole, labelled with its title; a small table is one passage, its headings as extra words.
    box = [passage for passage in game if passage.label]
    assert box and box[0].label == "Worked example: one prediction" and "probability of one half" in box[0].text
    table = [passage for passage in game if passage.extra]
    assert table and "GPT-3 · 175B" in table[0].text and table[0].extra == "Model Parameters"


def test_short_paragraphs_join_the_next_in_their_section_but_never_cross_a_heading():
    html = ("<article><h2 id='a'>A</h2><p>A base model is:</p><ul><li>a predictor of documents, trained on text</li></ul>"
            "<h2 id='b'>B</h2><p>A short one, on its own.</p></article>")
    cut = ask.passages(BeautifulSoup(html, "html.parser").find("article"), "T")
    assert [(passage.anchor, passage.text) for passage in cut] == [
        ("a", "A base model is: a predictor of documents, trained on text"), ("b", "A short one, on its own.")]


def test_the_index_keeps_each_section_once_and_the_glossary_with_its_everyday_words(tmp_path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text('hallucination:\n  term: "hallucination"\n  aliases: ["hallucinate"]\n'
                        '  asked_as: ["make things up"]\n  definition: "A false statement given as fact."\n')
    groups = ask.synonym_groups(load_glossary(glossary), "glossary/")
    assert groups == [{"id": "hallucination", "term": "hallucination", "spellings": ["hallucination", "hallucinate"],
                       "asked": ["make things up"], "definition": "A false statement given as fact.",
                       "href": "glossary/#term-hallucination"}]
    lessons = [{"src": "pretraining.md", "title": "2. Pretraining", "url": "pretraining/", "markdown": "pretraining.md"}]
    index = ask.build_index(lessons, {"pretraining.md": ask.passages(article(), "2. Pretraining")}, groups,
                            {"pretraining.md#the-game": ["Pretraining teaches what is true."]},
                            {"pretraining.md#the-game": ["so it just guesses words?"], "pretraining.md#gone": ["x?"]})
    assert index["format"] == ask.FORMAT and index["lessons"] == lessons
    assert [section[2] for section in index["sections"]] == ["", "the-game"]
    assert index["sections"][1][3:] == ["Pretraining teaches what is true.", ["so it just guesses words?"]]
    assert index["sections"][0][3:] == ["", []]
    assert all(row[0] in (0, 1) for row in index["passages"])



@pytest.mark.parametrize("text, expected", [
    ("questions:\n  - a\n", "docs/learner-questions.yml:1: the file has no 'sections:' mapping"),
    ('sections:\n  the-game:\n    - "why?"\n', "docs/learner-questions.yml:2: 'the-game' is not a lesson section"),
    ('sections:\n  pretraining.md#the-game: "why?"\n',
     "docs/learner-questions.yml:2: section 'pretraining.md#the-game' has no list of questions"),
    ('sections:\n  pretraining.md#the-game:\n    - "why?"\n    - 42\n',
     "docs/learner-questions.yml:2: section 'pretraining.md#the-game' has a question that is not text: 42"),
])
def test_learner_questions_are_checked_with_their_line(tmp_path, text, expected):
    path = tmp_path / "learner-questions.yml"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_learner_questions(path, "docs/learner-questions.yml")
    assert expected in str(caught.value) and "Traceback" not in str(caught.value)


def test_learner_questions_must_sit_under_a_searched_heading_of_a_lesson(tmp_path):
    path = tmp_path / "learner-questions.yml"
    path.write_text('sections:\n  pretraining.md#the-gmae:\n    - "a?"\n  pretraining.md#key-terms:\n    - "b?"\n'
                    '  glossary.md#term-token:\n    - "c?"\n  pretraining.md#:\n    - "d?"\n'
                    '  pretraining.md#the-game:\n    - "  so it   just guesses words? "\n')
    questions = load_learner_questions(path, "docs/learner-questions.yml")
    assert questions["pretraining.md#the-game"] == (10, ["so it just guesses words?"])
    problems = [str(problem) for problem in check_question_sections(
        questions, {"pretraining.md": {"the-game", "key-terms"}, "glossary.md": {"term-token"}}, {"pretraining.md"},
        "docs/learner-questions.yml")]
    assert len(problems) == 3, problems
    assert problems[0].startswith("docs/learner-questions.yml:2: section 'pretraining.md#the-gmae' points at '#the-gmae', "
                                  "which is not a heading in pretraining.md. Did you mean 'the-game'?")
    assert problems[1].startswith("docs/learner-questions.yml:4: section 'pretraining.md#key-terms' frames the lesson")
    assert problems[2].startswith("docs/learner-questions.yml:6: section 'glossary.md#term-token' is not in a lesson")


def test_a_heading_used_twice_has_the_anchor_the_site_gives_it():
    assert anchors("## How it helps\n\ntext\n\n## Other\n\n## How it helps\n\n## How it helps\n") == {
        "how-it-helps", "other", "how-it-helps_1", "how-it-helps_2"}


TERMS = ('hallucination:\n  term: "hallucination"\n  {first}\n  definition: "A false statement given as fact."\n'
         'sycophancy:\n  term: "sycophancy"\n  {second}\n  definition: "Telling users what they want to hear."\n')


@pytest.mark.parametrize("first, second, expected", [
    ('asked_as: "make things up"', 'asked_as: ["tells me <b>what</b> I want"]',
     ["docs/glossary.yml:3: term 'hallucination': asked_as must be a list",
      "docs/glossary.yml:7: term 'sycophancy': the asked_as phrasing 'tells me <b>what</b> I want' is not one line"]),
    ('asked_as: ["invented", "make things up"]', 'asked-as: ["tells me what I want"]',
     ["docs/glossary.yml:3: term 'hallucination': the asked_as phrasing 'invented' is a single word",
      "docs/glossary.yml:7: term 'sycophancy' has an unknown field 'asked-as'. Did you mean 'asked_as'?"]),
])
def test_everyday_phrasings_in_the_glossary_are_checked_with_their_line(tmp_path, first, second, expected):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text(TERMS.format(first=first, second=second))
    with pytest.raises(ContentError) as caught:
        load_glossary(glossary, "docs/glossary.yml")
    assert all(line in str(caught.value) for line in expected), str(caught.value)


def test_a_phrasing_stands_for_one_term_only(tmp_path):
    glossary = tmp_path / "glossary.yml"
    glossary.write_text('a-term:\n  term: "alpha"\n  asked_as: ["same words"]\n  definition: "First."\n'
                        'b-term:\n  term: "beta"\n  asked_as: ["Same words"]\n  definition: "Second."\n')
    with pytest.raises(ContentError, match=r"glossary.yml:7: the phrasing 'Same words' is asked as both 'a-term' and 'b-term'"):
        load_glossary(glossary, "docs/glossary.yml")


# --- The lesson as Markdown ------------------------------------------------------------------------


def test_a_lesson_as_markdown_keeps_what_the_reader_sees_and_no_answers():
    text = llms.lesson_markdown(article(), "https://course.example/pretraining/")
    assert text.startswith("# 2. Pretraining\n")
    assert "¶" not in text and "edit" not in text.split("\n")[0]
    assert ("GPT-3 has 175 billion parameters ([reported](https://course.example/sources/#src-brown2020)), each one "
            "a dial that training sets.") in text
    assert "Each token is a small piece of text" in text                     # glossary marks: the word alone
    assert "> **Worked example: one prediction**" in text
    assert "> ```\n> loss = -log(p)\n> ```" in text
    assert "| Model | Parameters |\n|---|---|\n| GPT-3 | 175B |" in text
    assert "**Question 1 of 1.** What does pretraining teach?" in text
    assert "- [ ] To predict the next token from the ones before it." in text
    assert "Correct" not in text and "Right:" not in text and "Not quite" not in text   # no answers
    assert "*Chart: Dots rising to the right*" in text
    assert "[Epoch](https://course.example/sources/#src-x)" in text                     # links made absolute
    assert "| GPT-3 | 3.14e23 |" in text                                                # the chart's data
    assert "Ask this lesson" not in text and "your own words" not in text
    assert text.rstrip().endswith("Source: https://course.example/pretraining/")


def test_markdown_escapes_text_that_would_read_as_markup():
    html = "<article><p>Use a *star*, [brackets] and a | pipe; &lt;b&gt; is text.</p></article>"
    text = llms.lesson_markdown(BeautifulSoup(html, "html.parser").find("article"), "https://x.example/")
    assert r"Use a \*star\*, \[brackets\] and a \| pipe; \<b\> is text." in text


def test_llms_txt_follows_the_convention():
    lessons = [{"title": "2. Pretraining", "markdown": "pretraining.md", "description": "How a model learns."}]
    text = llms.llms_txt("A Course", "What it is.", "https://course.example/", lessons)
    assert text.startswith("# A Course\n\n> What it is.\n")
    assert "## Lessons\n\n- [2. Pretraining](https://course.example/pretraining.md): How a model learns." in text
    assert "- [The whole course in one file](https://course.example/llms-full.txt)" in text


# --- The real course, built ------------------------------------------------------------------------


def test_the_build_publishes_the_index_the_markdown_and_llms_txt(built_site):
    index = json.loads((built_site / ask.INDEX_PATH).read_text(encoding="utf-8"))
    assert [lesson["src"] for lesson in index["lessons"]] == [f"{name}.md" for name in LESSONS]
    assert len(index["passages"]) > 300 and len(index["glossary"]) > 50
    llms_txt = (built_site / "llms.txt").read_text(encoding="utf-8")
    for name in LESSONS:
        box = BeautifulSoup((built_site / name / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(
            "section.fd-ask .fd-ask__body")
        assert box is not None and box["data-markdown"] == f"../{name}.md", name
        assert box["data-index"] == "../assets/ask/index.json"
        markdown = (built_site / f"{name}.md").read_text(encoding="utf-8")
        assert markdown.startswith("# ") and "([reported](http" in markdown, name
        assert "Show the answer" not in markdown and "Right:" not in markdown, name
        assert f"/{name}.md)" in llms_txt
    full = (built_site / "llms-full.txt").read_text(encoding="utf-8")
    assert full.count("\n# ") + full.startswith("# ") >= len(LESSONS) + 1
    # Only lessons have the box: not the home page, a lab or the glossary.
    for page in ("index.html", "labs/rlhf/index.html", "glossary/index.html"):
        assert "fd-ask" not in (built_site / page).read_text(encoding="utf-8"), page


def test_a_rebuild_with_the_same_lessons_writes_the_kept_files_without_reading_a_page(built_site, monkeypatch):
    from textbook import publish

    publish.publish(built_site, ROOT / "mkdocs.yml")     # kept for these pages (another test's build may have replaced them)
    before = (built_site / "llms.txt").read_text(encoding="utf-8")
    (built_site / "llms.txt").unlink()
    monkeypatch.setattr(publish, "_files", lambda *args: pytest.fail("the lesson pages were read again"))
    publish.publish(built_site, ROOT / "mkdocs.yml")
    assert (built_site / "llms.txt").read_text(encoding="utf-8") == before


def test_the_kept_files_do_not_depend_on_a_pages_last_update_line(built_site, tmp_path, monkeypatch):
    """Built without a git history, the "Last update" line carries the build's time; nothing published
    shows it, so a new time alone does not make the lessons be read again. A change in a lesson makes
    that lesson be read again, and only that one."""
    import shutil

    from textbook import publish

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    publish.publish(site, ROOT / "mkdocs.yml")
    page = site / "pretraining" / "index.html"
    html = page.read_text(encoding="utf-8")
    dated = re.sub(r'(<aside class="md-source-file">.*?)(</aside>)', r"\1 12:34:56 UTC\2", html, count=1, flags=re.S)
    assert dated != html
    page.write_text(dated, encoding="utf-8")
    reads = []
    real = publish._files
    monkeypatch.setattr(publish, "_files", lambda *args: reads.append(1) or real(*args))
    publish.publish(site, ROOT / "mkdocs.yml")
    assert reads == []
    page.write_text(dated.replace("</article>", "<p>One more paragraph in the lesson.</p></article>", 1), encoding="utf-8")
    lessons_read = []
    read_lesson = publish._read_lesson
    monkeypatch.setattr(publish, "_read_lesson", lambda page, *args: lessons_read.append(page) or read_lesson(page, *args))
    publish.publish(site, ROOT / "mkdocs.yml")
    assert reads == [1] and lessons_read == [page]       # the other lessons' reading was kept
    assert "One more paragraph in the lesson." in (site / "pretraining.md").read_text(encoding="utf-8")
    publish.publish(built_site, ROOT / "mkdocs.yml")     # keep the copy for the shared site, as other tests expect


def test_publish_names_a_lesson_that_was_not_built(tmp_path, capsys):
    from textbook.publish import main

    (tmp_path / "site").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    (tmp_path / "docs").mkdir()
    assert main([str(tmp_path / "site"), "-f", str(config)]) == 1
    error = capsys.readouterr().err
    assert re.search(r"mkdocs.yml:\d+: the lessons 'training-data.md', 'pretraining.md', .* have no built page", error)
    assert "nothing was written" in error and "Traceback" not in error
    assert not list((tmp_path / "site").iterdir())


def test_questions_filed_under_a_heading_with_no_text_of_its_own_stop_the_publish(built_site, tmp_path, capsys):
    """"What pretraining costs" is followed at once by its first sub-heading: the box has no passage of
    its own to give the questions to, so they would be dropped; the publish stops and says where to file them."""
    import shutil

    from textbook.publish import main

    shutil.copytree(built_site, tmp_path / "site")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    with open(tmp_path / "docs" / "learner-questions.yml", "a", encoding="utf-8") as questions:
        questions.write('  pretraining.md#what-pretraining-costs:\n    - "how much does it cost to train one?"\n')
    assert main([str(tmp_path / "site"), "-f", str(config)]) == 1
    error = capsys.readouterr().err
    assert re.search(r"docs/learner-questions.yml:\d+: section 'pretraining.md#what-pretraining-costs' has no text "
                     r"of its own that the box searches", error), error
    assert "File them under the sub-heading" in error and "Traceback" not in error


# --- In the browser --------------------------------------------------------------------------------


def load_questions(name: str) -> list[dict]:
    return yaml.safe_load((Path(__file__).parent / name).read_text(encoding="utf-8"))


def with_index(browser, data: dict, body: str, *args):
    """Runs `body`, a JavaScript function body, in Chromium on a blank page (the site's policy forbids eval)
    with `index`, ask.js's Index over `data`, and `args`; returns what it returns."""
    page = browser.new_page()
    page.goto("about:blank")
    try:
        return page.evaluate("""([source, data, body, args]) => {
            const module = { exports: {} }
            new Function("module", source)(module)
            return new Function("index", "args", body)(new module.exports.Index(data), args)
        }""", [ASK_JS.read_text(encoding="utf-8"), data, body, list(args)])
    finally:
        page.close()


def run_questions(browser, built_site, questions: list[dict]) -> list[dict]:
    """ask.js's ranking on every question, in Chromium."""
    return with_index(browser, json.loads((built_site / ask.INDEX_PATH).read_text(encoding="utf-8")), """
        return args[0].map((q) => {
            const started = performance.now()
            const found = index.search(q.ask, q.from)
            return { covered: found.covered, ms: performance.now() - started,
                     results: found.results.map((hit) => ({ lesson: index.lessons[hit.passage.lesson].src,
                                                            anchor: hit.passage.anchor, text: hit.passage.text })) }
        })""", questions)


def test_a_learner_question_lends_its_words_to_the_passage_it_matches_best(browser):
    """A question in docs/learner-questions.yml counts among its section's words and among those of the
    passage of the section it shares most words with, so a learner who says "google" finds the passage
    about searching, though the course never says "google"."""
    data = {"format": ask.FORMAT, "glossary": [],
            "lessons": [{"src": "a.md", "title": "A", "url": "a/", "markdown": "a.md"}],
            "sections": [[0, "The model does not look things up", "the-model", "", ["does chatgpt search google?"]],
                         [0, "Tokens", "tokens", "", []]],
            "passages": [[0, "", "A plain language model holds no table of facts to consult.", "", 0],
                         [0, "", "Some assistants call a search tool first and then read what it returns.", "", 0],
                         [1, "", "Text is cut into tokens before a model reads it, pieces of words.", "", 0]]}
    first = with_index(browser, data, """
        return ["can it google things for me", "what is a token"].map((question) => {
            const found = index.search(question, "a.md")
            return found.covered ? found.results[0].passage.text : null
        })""")
    assert first == ["Some assistants call a search tool first and then read what it returns.",
                     "Text is cut into tokens before a model reads it, pieces of words."]


def test_a_model_with_another_version_number_is_another_model_and_contractions_weigh_nothing(browser):
    """"gpt-5" must not pass for "GPT-4", which shares both its words, while "llama-3" and "Llama 3" are one
    name; and "won't" leaves no "won" behind, a word no passage holds that would weigh the most."""
    data = {"format": ask.FORMAT, "glossary": [],
            "lessons": [{"src": "a.md", "title": "A", "url": "a/", "markdown": "a.md"}],
            "sections": [[0, "Models", "models", "", []]],
            "passages": [[0, "", "GPT-4 was released by OpenAI in March 2023, about 5 months after ChatGPT.", "", 0]]}
    found = with_index(browser, data, """
        const names = (text) => index.tokens(text, true).all.filter((token) => token.startsWith("#"))
        const coverage = (question) => index.search(question, "a.md").scored[0].coverage
        return [names("is gpt-5 out? what about llama-3, Llama 3 or step 2 in 2023?"),
                coverage("when was gpt-4 released?"), coverage("when was gpt-5 released?"),
                index.tokens("why won't it say? couldn't they?", true).all]""")
    names, gpt4, gpt5, contractions = found
    assert names == ["#gpt5", "#llama3", "#llama3", "#step2"]
    assert gpt4 == 1 and gpt5 < 0.6
    assert contractions == ["say"]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


QUESTION_SETS = ("ask_questions.yml", "ask_questions_unseen.yml", "ask_questions_fresh.yml", "ask_questions_heldout.yml")


@pytest.mark.parametrize("name", QUESTION_SETS)
def test_every_measured_question_names_a_section_and_a_phrase_of_one_of_its_passages(built_site, name):
    """A question whose section was renamed, or whose quote a lesson edit changed, would count as a miss
    forever; here it is named instead."""
    data = json.loads((built_site / ask.INDEX_PATH).read_text(encoding="utf-8"))
    sections = {f"{data['lessons'][lesson]['src']}#{anchor}": number
                for number, (lesson, _heading, anchor, *_rest) in enumerate(data["sections"])}
    texts: dict[int, list[str]] = {}
    for section, _label, text, *_rest in data["passages"]:
        texts.setdefault(section, []).append(_normal(text))
    wrong = []
    for question in load_questions(name):
        assert set(question) <= {"ask", "from", "answer", "quote"} and question["from"] in {
            lesson["src"] for lesson in data["lessons"]}, question
        if question["answer"] == "none":
            continue
        if question["answer"] not in sections:
            wrong.append(f"{question['ask']!r}: no section {question['answer']}")
        elif not any(_normal(question["quote"]) in text for text in texts.get(sections[question["answer"]], [])):
            wrong.append(f"{question['ask']!r}: no passage of {question['answer']} holds {question['quote']!r}")
    assert not wrong, "\n".join(wrong)


def score(questions: list[dict], found: list[dict]) -> dict:
    """Share of answerable questions with the answering passage among the answers shown (top 3), and of
    questions no lesson answers that get the "not covered" reply."""
    right = covered = unanswered = said_so = 0
    for question, answer in zip(questions, found):
        if question["answer"] == "none":
            unanswered += 1
            said_so += not answer["covered"]
            continue
        covered += 1
        page = question["answer"].partition("#")[0]
        right += any(hit["lesson"] == page and _normal(question["quote"]) in _normal(hit["text"])
                     for hit in answer["results"][:3])
    return {"top3": right / covered, "none": said_so / unanswered, "covered": covered, "unanswered": unanswered}


@pytest.mark.parametrize("name, top3, none", [
    # Three sets the ranking was tuned on (the second and third were written apart from it, and their
    # misses since looked at), and one held out: written apart from the ranking and the learner questions,
    # and only ever counted.
    ("ask_questions.yml", 0.77, 0.85),
    ("ask_questions_unseen.yml", 0.83, 0.85),
    ("ask_questions_fresh.yml", 0.72, 0.95),
    ("ask_questions_heldout.yml", 0.72, 0.90),
])
def test_the_answers_are_measured_on_learner_questions(browser, built_site, name, top3, none):
    questions = load_questions(name)
    result = score(questions, run_questions(browser, built_site, questions))
    print(f"\n{name}: right passage in the top 3 for {result['top3']:.0%} of {result['covered']} questions; "
          f"'not covered' for {result['none']:.0%} of {result['unanswered']} questions no lesson answers")
    assert result["top3"] >= top3 and result["none"] >= none, result


@pytest.mark.xfail(strict=True, reason="the goal is the right passage in the top 3 for 85% of held-out learner "
                                       "questions; word matching with glossary synonyms and learner questions "
                                       "reaches 74% on them (74% to 86% on the sets it was tuned on)")
def test_the_right_passage_is_in_the_top_3_for_85_percent_of_learner_questions(browser, built_site):
    questions = load_questions("ask_questions_heldout.yml")
    result = score(questions, run_questions(browser, built_site, questions))
    assert result["top3"] >= 0.85 and result["none"] == 1, result


def outside_requests(page) -> list[str]:
    found: list[str] = []
    page.on("request", lambda request: found.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
    return found


def ask_box(page, question: str) -> None:
    page.fill("#fd-ask-question", question)
    page.press("#fd-ask-question", "Enter")
    expect(page.locator(".fd-ask__status")).to_contain_text(re.compile(r"found|Not covered"))


@pytest.mark.parametrize("lesson, question, section", [
    ("pretraining/", "what does the temperature setting do?", "temperature-sharpening-or-flattening-the-list"),
    ("failure-modes/", "can a web page trick my assistant into doing something it shouldn't?", "prompt-injection"),
    ("reasoning-models/", "what is GRPO?", "grpo-scoring-each-answer-against-its-group"),
    ("bias/", "what went wrong with that hospital algorithm?", "a-health-algorithm-that-measured-cost-instead-of-need"),
])
def test_a_question_typed_into_the_box_brings_its_passage_first(browser, site_url, lesson, question, section):
    page = browser.new_page()
    outside = outside_requests(page)
    page.goto(site_url + lesson, wait_until="networkidle")
    ask_box(page, question)
    first = page.locator(".fd-ask__results > li").first
    assert first.locator(".fd-ask__where a").get_attribute("href") == f"#{section}"
    assert first.locator("mark").count() >= 1                      # the matched words are highlighted (heading or text)
    assert page.locator(".fd-ask__results > li").count() <= 3
    assert not outside, outside
    page.close()


def test_a_question_no_lesson_answers_gets_the_not_covered_reply(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    ask_box(page, "how do I get my guitar in tune?")
    reply = page.locator(".fd-ask__none")
    assert "does not seem to answer that" in reply.inner_text()
    assert page.locator(".fd-ask__results").count() == 0
    assert "Not covered" in page.locator(".fd-ask__status").inner_text()
    # A question naming a glossary term the passages do not answer well points to the term's entry.
    ask_box(page, "quantization?")
    assert page.locator(".fd-ask__answer a[href*='glossary/#term-quantization']").count() >= 1
    page.close()


def test_the_box_is_used_with_the_keyboard_alone(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "rlhf/", wait_until="networkidle")
    page.focus("#fd-ask-question")
    page.keyboard.type("what is a reward model?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".fd-ask__results > li")
    # The status line is announced (role=status); Tab goes on to the answers' links.
    assert page.get_attribute(".fd-ask__status", "role") == "status"
    page.keyboard.press("Tab")                       # the Ask button
    page.keyboard.press("Tab")                       # the first link of the answer
    focused = page.evaluate("document.activeElement.closest('.fd-ask__answer') !== null")
    assert focused
    target = page.evaluate("document.activeElement.getAttribute('href')")   # the definition's glossary entry
    assert "glossary/#term-reward-model" in target
    page.keyboard.press("Enter")
    # The theme then keeps the address in step with the section in view, so only the page is compared.
    page.wait_for_url(re.compile(r".*/glossary/(#.*)?$"))
    # Back on the lesson (instant navigation renders it again), the question and its answers are there.
    page.go_back()
    expect(page.locator(".fd-ask__results > li").first).to_be_attached()
    assert page.input_value("#fd-ask-question") == "what is a reward model?"
    page.close()


def test_the_box_works_after_instant_navigation_and_is_not_printed(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url(re.compile(r".*/fine-tuning/(#.*)?$"), wait_until="commit")
    page.wait_for_selector(".fd-ask__form:not([hidden])")
    assert page.evaluate("window.__sameDocument === true")
    ask_box(page, "what does distillation mean?")
    assert page.locator(".fd-ask__results > li").count() >= 1
    page.emulate_media(media="print")
    assert not page.locator("section.fd-ask").is_visible()
    page.close()


def test_the_copy_button_puts_the_lesson_on_the_clipboard(browser, site_url, built_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    outside = outside_requests(page)
    page.goto(site_url + "pretraining/", wait_until="networkidle")
    page.locator(".fd-ask__copy").click()
    expect(page.locator(".fd-ask__copied")).to_contain_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Answer my questions using only the lesson below")
    assert copied.endswith((built_site / "pretraining.md").read_text(encoding="utf-8"))
    assert not outside, outside
    context.close()

