"""The course in a form any assistant can read: each lesson as clean Markdown, and llms.txt.

A learner who would rather ask an assistant they already use can give it the lesson itself, so
its answers rest on the course. ``textbook.publish`` writes, into the built site:

- ``<lesson>.md`` beside each lesson's page (``pretraining/`` has ``pretraining.md``): the lesson
  as the reader sees it, facts filled in with how sure each is, linked to its source ("175 billion
  parameters ([reported](…/sources/#src-brown2020))"), links made absolute, charts as their description and data, quizzes with their
  questions and options but no answers, and nothing that only works on screen;
- ``llms.txt``: the course's title, what it is, and a link to each lesson's Markdown, following the
  llms.txt convention (https://llmstxt.org/);
- ``llms-full.txt``: every lesson's Markdown, one after the other.

The Markdown is made from the built page, the one rendering of the course there is, so it never
says anything the page does not.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .render import SCREEN_ONLY

# What only works on screen, and a wrong answer's named misconception (it gives the answer away).
DROP = ", ".join([*SCREEN_ONLY, ".fd-q__misconception"])
BLOCK = {"p", "ul", "ol", "table", "dl", "div", "details", "pre", "blockquote", "figure", "section",
         "fieldset", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "article"}


def _escape(text: str) -> str:
    """Text that Markdown would otherwise read as markup."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


class _Writer:
    def __init__(self, page_url: str) -> None:
        self.page_url = page_url

    # -- inline ---------------------------------------------------------------------------------
    def inline(self, element) -> str:
        if isinstance(element, Comment):
            return ""
        if isinstance(element, NavigableString):
            return _escape(re.sub(r"\s+", " ", str(element)))
        name = element.name
        if name == "br":
            return "  \n"
        if name == "img":
            alt = element.get("alt", "").strip()
            return f"[Picture: {_escape(alt)}]" if alt else ""
        if name == "sup" and "fd-fact__q" in (element.get("class") or []):
            # How sure the figure is, linked to its source: "175B ([reported](…/sources/#src-brown2020))".
            label = element.get_text(" ", strip=True)
            link = element.find("a", href=True)
            return f" ([{label}]({urljoin(self.page_url, link['href'])}))" if link else f" ({label})"
        if name == "span" and "fd-item" in (element.get("class") or []):
            # A cell with several figures ("~1.8T total", "~280B active"): one after the other, with a separator.
            inner = "".join(self.inline(child) for child in element.children).strip()
            following = element.find_next_sibling("span", class_="fd-item")
            return inner + ("; " if following is not None else "")
        inner = "".join(self.inline(child) for child in element.children)
        if name == "code":
            text = element.get_text()
            fence = "``" if "`" in text else "`"
            return f"{fence}{text}{fence}"
        if name in ("strong", "b"):
            return f"**{inner.strip()}**" if inner.strip() else ""
        if name in ("em", "i"):
            return f"*{inner.strip()}*" if inner.strip() else ""
        if name == "a":
            href = element.get("href", "")
            classes = element.get("class") or []
            if not href or "fd-term" in classes or href.startswith("#"):
                return inner                       # glossary marks and in-page anchors: the words alone
            return f"[{inner.strip()}]({urljoin(self.page_url, href)})"
        if name in BLOCK:
            return " " + self.blocks(element).strip().replace("\n\n", " ") + " "
        return inner

    def line(self, element) -> str:
        return re.sub(r"[ \t]+", " ", "".join(self.inline(child) for child in element.children)).strip()

    # -- blocks ---------------------------------------------------------------------------------
    def blocks(self, container: Tag) -> str:
        out: list[str] = []
        loose: list = []

        def flush() -> None:
            text = re.sub(r"[ \t]+", " ", "".join(self.inline(node) for node in loose)).strip()
            if text:
                out.append(text)
            loose.clear()

        for child in container.children:
            if isinstance(child, Tag) and child.name in BLOCK | {"li", "dt", "dd", "legend", "figcaption"}:
                flush()
                block = self.block(child)
                if block.strip():
                    out.append(block.strip("\n"))
            else:
                loose.append(child)
        flush()
        return "\n\n".join(out)

    def block(self, element: Tag) -> str:
        name, classes = element.name, set(element.get("class") or [])
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return "#" * int(name[1]) + " " + self.line(element)
        if name == "p":
            return self.line(element)
        if name in ("ul", "ol"):
            return self.listing(element)
        if name == "table":
            return self.table(element)
        if name == "dl":
            entries = []
            for term in element.find_all("dt", recursive=False):
                definition = term.find_next_sibling("dd")
                entries.append(f"**{self.line(term)}**: {self.line(definition) if definition else ''}".rstrip())
            return "\n\n".join(entries)
        if name == "pre":
            code = element.get_text().rstrip("\n")
            language = next((c[9:] for c in (element.parent.get("class") or []) + list(classes)
                             if c.startswith("language-")), "")
            fence = "````" if "```" in code else "```"
            return f"{fence}{language}\n{code}\n{fence}"
        if name == "blockquote":
            return "\n".join(f"> {line}".rstrip() for line in self.blocks(element).split("\n"))
        if name == "hr":
            return "---"
        if "highlight" in classes and element.find("pre"):
            return self.block(element.find("pre"))
        if "fd-chart" in classes:
            return self.chart(element)
        if "admonition" in classes or name == "details":
            return self.box(element)
        if "tabbed-set" in classes:
            return self.tabs(element)
        if "fd-quiz" in classes:
            return self.blocks(element)
        if name == "fieldset" and "fd-q" in classes:
            return self.question(element)
        if "fd-stats" in classes:
            return "\n".join(f"- {self.card(card)}" for card in element.select(".fd-stat"))
        if name == "figure":
            return self.blocks(element)
        if name in ("legend", "figcaption", "dt", "dd", "li"):
            return self.line(element)
        return self.blocks(element)

    def card(self, card: Tag) -> str:
        part = {key: card.select_one(f".fd-stat__{key}") for key in ("value", "label", "source")}
        text = f"**{self.line(part['value'])}** {self.line(part['label'])}" if part["value"] and part["label"] else self.line(card)
        if part["source"] is not None:
            text += f" ({part['source'].get_text(' ', strip=True)})"
        return text

    def listing(self, element: Tag, depth: int = 0) -> str:
        lines = []
        ordered = element.name == "ol"
        for number, item in enumerate(element.find_all("li", recursive=False), start=int(element.get("start", 1) or 1)):
            marker = f"{number}." if ordered else "-"
            nested = [child for child in item.children if isinstance(child, Tag) and child.name in ("ul", "ol")]
            for child in nested:
                child.extract()
            body = self.blocks(item).replace("\n\n", " ")
            lines.append("   " * depth + f"{marker} {body}".rstrip())
            for child in nested:
                lines.append(self.listing(child, depth + 1))
        return "\n".join(lines)

    def table(self, table: Tag) -> str:
        rows = []
        for row in table.find_all("tr"):
            cells = [self.line(cell).replace("\n", " ") for cell in row.find_all(["th", "td"])]
            rows.append(cells)
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        caption = table.find("caption")
        lines = [f"*{self.line(caption)}*", ""] if caption else []
        lines.append("| " + " | ".join(rows[0]) + " |")
        lines.append("|" + "---|" * width)
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        return "\n".join(lines)

    def box(self, box: Tag) -> str:
        title_element = box.find(class_="admonition-title") or box.find("summary")
        title = self.line(title_element) if title_element is not None else ""
        if title_element is not None:
            title_element.extract()
        body = self.blocks(box)
        lines = ([f"**{title}**", ""] if title else []) + body.split("\n")
        return "\n".join(f"> {line}".rstrip() for line in lines)

    def tabs(self, tabs: Tag) -> str:
        labels = [label.get_text(" ", strip=True) for label in tabs.select("div.tabbed-labels > label")]
        blocks = tabs.select("div.tabbed-content > div.tabbed-block")
        return "\n\n".join(f"**{label}**\n\n{self.blocks(block)}" for label, block in zip(labels, blocks))

    def chart(self, figure: Tag) -> str:
        image = figure.find("img")
        parts = [f"*Chart: {image.get('alt', '').strip()}*" if image is not None and image.get("alt") else ""]
        caption = figure.find("figcaption")
        if caption is not None:
            parts.append(self.line(caption))
        data = figure.find("details")
        if data is not None and data.find("table") is not None:
            parts.append(self.table(data.find("table")))
        return "\n\n".join(part for part in parts if part)

    def question(self, fieldset: Tag) -> str:
        legend = fieldset.find("legend")
        number = legend.select_one(".fd-q__number") if legend else None
        text = legend.select_one(".fd-q__text") if legend else None
        head = f"**{self.line(number)}.** {self.line(text)}" if number and text else f"**{self.line(legend)}**" if legend else ""
        options = [self.line(item) for item in fieldset.select("li.fd-opt")]
        return head + "\n\n" + "\n".join(f"- [ ] {option}" for option in options)


def lesson_markdown(article: Tag, page_url: str) -> str:
    """One lesson's Markdown, from its built ``<article>`` (left unchanged); ``page_url`` is its absolute URL."""
    copy = BeautifulSoup(str(article), "html.parser")
    for element in copy.select(DROP):
        element.decompose()
    root = copy.find("article") or copy
    text = _Writer(page_url).blocks(root)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return f"{text}\n\nSource: {page_url}\n"


def llms_txt(course: str, summary: str, base: str, lessons: list[dict]) -> str:
    """The llms.txt file: the course's name, what it is, and each lesson's Markdown."""
    lines = [f"# {course}", "", f"> {summary}", "",
             "Each lesson below is the course's page as Markdown: numbers with how sure they are and their "
             "sources, quizzes without their answers. llms-full.txt has them all in one file.", "", "## Lessons", ""]
    for lesson in lessons:
        lines.append(f"- [{lesson['title']}]({urljoin(base, lesson['markdown'])}): {lesson['description']}".rstrip(": "))
    lines += ["", "## Optional", "", f"- [The whole course in one file]({urljoin(base, 'llms-full.txt')})", ""]
    return "\n".join(lines)


def llms_full(course: str, summary: str, texts: list[str]) -> str:
    return f"# {course}\n\n> {summary}\n\n" + "\n\n---\n\n".join(texts)
