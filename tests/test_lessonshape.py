"""Lesson shape in the fast check: lessons come from the nav, each missing part is named at its line."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from textbook.check import check
from textbook.lessonshape import check_lesson, check_lessons, lessons_in_nav, teaching_words

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
TEACHING = "A model reads a sentence and guesses the word that comes next in it.\n" * 130   # 1,820 words
QUESTION = """\
<!-- question: shape-{n} -->
Which one is right?

- [x] This one.
  > Correct — because.
- [ ] That one.
  > Not quite — because.

"""
LESSON = f"""\
---
title: Shape
description: A lesson with every part.
---

# 8. Shape: a lesson with every part

## Learning objectives

- explain the shape

## Key terms

```key-terms
token
```

## Teaching

{TEACHING}
## Try it: find the parts

!!! example "Try it: find the parts"
    **Goal:** name each part.

## Key takeaways

- Lessons share one shape.

## Check your understanding

<!-- quiz: shape -->

{"".join(QUESTION.format(n=n) for n in range(1, 6))}<!-- /quiz -->

## Further reading

- A book.

## Where next

- The next lesson.
"""


def line_of(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def messages(markdown: str) -> list[str]:
    return [str(problem) for problem in check_lesson(markdown, "docs/shape.md")]


def test_a_lesson_with_every_part_passes():
    assert messages(LESSON) == []
    assert teaching_words(LESSON, line_of(LESSON, "## Check your understanding")) >= 1800


def test_the_real_lessons_come_from_the_nav_and_pass():
    entries = lessons_in_nav(ROOT / "mkdocs.yml")
    config = (ROOT / "mkdocs.yml").read_text().split("\n")
    assert len(entries) >= 7 and entries[1].src == "pretraining.md"
    assert all(config[entry.line - 1].strip() == f"- {entry.src}" for entry in entries)
    assert [str(problem) for problem in check_lessons(ROOT)] == []


@pytest.mark.parametrize("heading, name, before", [
    ("## Learning objectives", "Learning objectives", "## Key terms"),
    ("## Key takeaways", "Key takeaways", "## Check your understanding"),
    ("## Further reading", "Further reading", "## Where next"),
])
def test_a_missing_section_is_named_at_the_heading_it_belongs_before(heading, name, before):
    broken = LESSON.replace(heading + "\n", "")
    assert messages(broken) == [
        f"docs/shape.md:{line_of(broken, before)}: the lesson has no '{name}' section\n"
        f"  Add the heading '{heading}' before this heading. See the lesson template in CONTRIBUTING.md, "
        "\"Write or restructure a lesson\"."]


def test_a_missing_last_section_is_named_at_the_end():
    broken = LESSON.split("## Where next")[0]
    [message] = messages(broken)
    assert message.startswith(f"docs/shape.md:{broken.count(chr(10))}: the lesson has no 'Where next' section\n"
                              "  Add the heading '## Where next' at the end of the lesson.")


def test_a_missing_try_it_names_its_heading_and_the_example_box():
    broken = LESSON.replace("## Try it: find the parts\n", "")
    assert messages(broken) == [
        f"docs/shape.md:{line_of(broken, '## Key takeaways')}: the lesson has no 'Try it' section\n"
        "  Add the heading '## Try it: a short name' before this heading. See the lesson template in "
        "CONTRIBUTING.md, \"Write or restructure a lesson\"."]


def test_a_section_at_the_wrong_level_says_where_it_is():
    broken = LESSON.replace("## Key takeaways", "### Key takeaways")
    [message] = messages(broken)
    assert message.startswith(f"docs/shape.md:{line_of(broken, '## Check your understanding')}: the lesson has no "
                              f"'Key takeaways' section (line {line_of(broken, '### Key takeaways')} has it as a "
                              "level-3 heading)")


def test_sections_out_of_order():
    reading = "## Further reading\n\n- A book.\n\n"
    broken = LESSON.replace(reading, "").replace("## Key takeaways", reading + "## Key takeaways")
    [message] = messages(broken)
    assert message.startswith(f"docs/shape.md:{line_of(broken, '## Further')}: 'Further reading' comes before "
                              f"'Check your understanding' (line {line_of(broken, '## Check your understanding')})")
    assert "Lesson sections go in this order: Learning objectives, Key terms, Try it, Key takeaways" in message


def test_a_key_terms_section_without_its_block():
    broken = LESSON.replace("```key-terms\ntoken\n```\n", "- token\n")
    assert messages(broken) == [
        f"docs/shape.md:{line_of(broken, '## Key terms')}: the 'Key terms' section has no key-terms block\n"
        "  Under the heading, add a fenced block with the info string key-terms listing glossary ids, one per "
        "line. See the lesson template in CONTRIBUTING.md, \"Write or restructure a lesson\"."]


def test_a_try_it_section_without_an_example_box():
    broken = LESSON.replace('!!! example "Try it: find the parts"', '!!! tip "Try it: find the parts"')
    [message] = messages(broken)
    assert message.startswith(f"docs/shape.md:{line_of(broken, '## Try it')}: the 'Try it' section has no exercise "
                              "box\n  Under the heading, add '!!! example \"\"'")


def test_an_example_box_in_a_code_block_does_not_count():
    broken = LESSON.replace('!!! example "Try it: find the parts"\n    **Goal:** name each part.',
                            '```text\n!!! example "Try it"\n```')
    assert [message.split(":")[2] for message in messages(broken)] == [" the 'Try it' section has no exercise box\n  Under the heading, add '!!! example \"\"' (the heading names it) with a goal, steps and a folded worked answer. See the lesson template in CONTRIBUTING.md, \"Write or restructure a lesson\"."]


def test_a_quiz_with_four_questions():
    broken = LESSON.replace(QUESTION.format(n=5), "")
    assert messages(broken) == [
        f"docs/shape.md:{line_of(broken, '<!-- quiz: shape')}: the lesson's quiz has 4 question(s); a lesson "
        "needs at least 5\n  Under 'Check your understanding', write questions between <!-- quiz: slug --> and "
        "<!-- /quiz -->; CONTRIBUTING.md, \"Add or fix a quiz question\", shows how."]


def test_a_lesson_without_a_quiz():
    start, end = LESSON.index("<!-- quiz: shape -->"), LESSON.index("<!-- /quiz -->") + len("<!-- /quiz -->")
    broken = LESSON[:start] + "Questions to come." + LESSON[end:]
    [message] = messages(broken)
    assert message.startswith(f"docs/shape.md:{line_of(broken, '## Check your understanding')}: the lesson has no "
                              "quiz; a lesson needs at least 5")


def test_too_little_teaching_counts_the_words_before_the_quiz():
    broken = LESSON.replace(TEACHING, TEACHING[:len(TEACHING) // 2])
    # 65 lines of 14 words, and 36 in the title, the other headings, the lists and the exercise box
    assert messages(broken) == [
        f"docs/shape.md:{line_of(broken, '## Check your understanding')}: 946 words of teaching before 'Check your "
        "understanding', fewer than 1,800\n  A lesson teaches its topic in full: expand the teaching sections "
        "(prose, examples, tables)."]


def test_words_in_code_comments_front_matter_and_after_the_quiz_do_not_count():
    padding = "```text\n" + "word " * 2000 + "\n```\n<!-- " + "word " * 2000 + "-->\n"
    broken = LESSON.replace(TEACHING, padding).replace("- A book.", "word " * 2000)
    assert teaching_words(broken, line_of(broken, "## Check your understanding")) < 100
    assert [message.split("\n")[0].split(": ", 1)[1] for message in messages(broken)] == [
        f"{teaching_words(broken, line_of(broken, '## Check your understanding'))} words of teaching before "
        "'Check your understanding', fewer than 1,800"]


NAV = """\
site_name: Test course
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
nav:
  - Home: index.md
  - Lessons:
      - Shape: shape.md
      - More:
          - missing.md
  - Glossary: glossary.md
"""


def test_the_check_reads_lessons_from_the_nav_without_resolving_tags(project):
    project.write("docs/index.md", "# Home\n")
    project.write("docs/shape.md", LESSON.replace("## Key takeaways\n", ""))
    with open(project.path / "mkdocs.yml", "a") as config:
        config.write(NAV.split("\n", 1)[1])
    config = (project.path / "mkdocs.yml").read_text()
    shape, missing = line_of(config, "      - Shape: shape.md"), line_of(config, "          - missing.md")
    entries = lessons_in_nav(project.path / "mkdocs.yml")
    assert [(entry.src, entry.line) for entry in entries] == [("shape.md", shape), ("missing.md", missing)]
    found = "\n".join(str(problem) for problem in check(project.path))
    assert "docs/shape.md:" in found and "the lesson has no 'Key takeaways' section" in found, found
    assert (f"mkdocs.yml:{missing}: the nav lists the lesson 'missing.md', but docs/missing.md does not exist\n"
            "  Fix the path, or add the lesson") in found, found
    assert "docs/index.md" not in found and "docs/glossary.md" not in found, found


def test_a_course_without_a_lessons_section_has_no_lessons(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Small
        nav:
          - index.md
        """))
    assert lessons_in_nav(tmp_path / "mkdocs.yml") == []
    assert check_lessons(tmp_path) == []


def test_a_config_that_is_not_yaml_is_named_at_its_line(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: Small\nnav:\n  - Lessons: [a.md\n")
    [problem] = check_lessons(tmp_path)
    assert str(problem).startswith("mkdocs.yml:4: couldn't parse the YAML: ")
    assert str(problem).endswith("\n  Fix the YAML at this line; MkDocs cannot read the file either.")
