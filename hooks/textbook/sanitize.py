"""The one policy for HTML and links in anything rendered from contributor text.

Contributors write Markdown and plain text; the course needs no raw HTML (HTML comments, which
mark quizzes, are fine). So:

* ``find_unsafe_markdown`` and ``find_unsafe_data`` refuse, with ``file:line``, raw HTML tags,
  links whose scheme is not http(s) or mailto (``javascript:``, ``data:``, ``vbscript:`` …) and
  ``{: ...}`` attribute lists that set event handlers, styles or URLs. ``python -m textbook.check``
  and the build both run them.
* ``clean`` runs every fragment rendered from contributor text (quiz text and feedback, table
  cells) through nh3, the Python binding of the Rust sanitiser ammonia, with the short allow-list
  below; ``clean_output`` does the same, with a wider list, for the HTML a lab prints.
* ``page_problems`` is the build's last look at a rendered page: a script, an event handler or a
  non-web URL that slipped past both stops the build.

nh3 parses HTML as a browser does (html5ever), so it is not fooled by odd quoting, entities or
broken tags as regular expressions are; it is maintained and fast (bleach, its predecessor, is
deprecated).
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nh3

from .errors import ContentError

URL_SCHEMES = frozenset({"http", "https", "mailto"})     # and relative URLs, which have no scheme

# Raw HTML tags a lesson or data file may contain. The course needs none: write Markdown instead.
ALLOWED_RAW_TAGS: frozenset[str] = frozenset()

# What rendered contributor text (one paragraph of Markdown) may contain.
INLINE_TAGS = frozenset({"a", "abbr", "b", "br", "code", "em", "i", "kbd", "s", "span", "strong", "sub", "sup"})
INLINE_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "code": {"class"}, "span": {"class"}}

# What a lab's HTML output may contain (tables such as pandas prints, simple formatting): no script,
# no style, no forms, no frames.
OUTPUT_TAGS = INLINE_TAGS | frozenset({
    "blockquote", "caption", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li",
    "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
OUTPUT_ATTRIBUTES = {"*": {"class", "title"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
                     "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}

HOW_TO_FIX_HTML = ("Write Markdown instead of HTML (**bold**, *italic*, `code`, [text](https://...)); to show "
                   "a tag as text put it in backticks, like `<think>`.")
HOW_TO_FIX_URL = "Links may only be http(s)://, mailto: or relative (another page of the course)."


def clean(fragment: str) -> str:
    """Sanitise HTML rendered from contributor text: the inline allow-list, web links only."""
    return nh3.clean(fragment, tags=set(INLINE_TAGS), attributes=INLINE_ATTRIBUTES,
                     url_schemes=set(URL_SCHEMES), link_rel=None)


def clean_output(fragment: str) -> str:
    """Sanitise HTML a lab printed: tables and formatting survive, script and style do not."""
    return nh3.clean(fragment, tags=set(OUTPUT_TAGS), attributes=OUTPUT_ATTRIBUTES,
                     url_schemes=set(URL_SCHEMES), link_rel=None)


SVG_NAMESPACES = {"": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink",
                  "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "cc": "http://creativecommons.org/ns#",
                  "dc": "http://purl.org/dc/elements/1.1/"}
SVG_SCRIPT_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"})
SVG_ANIMATION = frozenset({"set", "animate", "animateMotion", "animateTransform", "discard"})


def clean_svg(svg: str) -> str | None:
    """An SVG a lab drew, without script: parsed as XML (it is XML), so no trick of quoting gets past.

    Removes script and foreignObject elements, event handlers, links that are not to the SVG itself
    (#id) or to the web, and animations that would set a link or a handler. Returns None for text that is not well-formed SVG.
    """
    import xml.etree.ElementTree as ET

    for prefix, uri in SVG_NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    try:
        root = ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>\[]*>)?", "", svg))
    except ET.ParseError:
        return None
    if root.tag.rpartition("}")[2] != "svg":
        return None
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rpartition("}")[2]
            # Animation can set a link or a handler after load: <set attributeName="href" to="javascript:…">.
            target = child.get("attributeName", "").lower().rpartition(":")[2]
            if tag in SVG_SCRIPT_ELEMENTS or (tag in SVG_ANIMATION and (target == "href" or target.startswith("on"))):
                parent.remove(child)
    for element in root.iter():
        for name in list(element.attrib):
            local = name.rpartition("}")[2].lower()
            value = element.attrib[name]
            if local.startswith("on") or (local == "href" and not value.startswith("#") and
                                          (unsafe_url(value) or SCHEME.match(value) is None)):
                del element.attrib[name]
    return ET.tostring(root, encoding="unicode")


# --- Finding unsafe things in sources, with their line -----------------------------------------------

RAW_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]{0,40})(?=[\s/>]|$)|<!(?!--)|<\?")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{0,30}):")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")
# [text](url), ![alt](url), [id]: url and <scheme:...> autolinks. Each regex is linear in the line.
MD_LINK = re.compile(r"\]\(\s*<?([^\s()<>]{1,2000})")
MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]\n]{1,999}\]:\s*<?(\S{1,2000})")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{0,30}:[^\s<>]{0,2000})>")
ATTR_LIST = re.compile(r"\{:?[^{}\n]{0,2000}\}")
ATTR_DANGER = re.compile(r"(?:^|[\s{:])(on[A-Za-z]+|style|href|src|srcset|action|formaction|xlink:href)\s*=",
                         re.I)


def unsafe_url(url: str) -> str:
    """The URL's scheme if it is one the course refuses, else an empty string (web, mail, relative)."""
    plain = CONTROL.sub("", html.unescape(url))
    match = SCHEME.match(plain)
    if match and match[1].lower() not in URL_SCHEMES:
        return match[1].lower()
    return ""


def line_problems(text: str, file: str, line: int, where: str = "") -> list[ContentError]:
    """Raw HTML, non-web links and dangerous attribute lists in one line of Markdown or text."""
    problems = []
    where = f" in {where}" if where else ""
    for match in RAW_TAG.finditer(text):
        if match[1] and match[1].lower() in ALLOWED_RAW_TAGS:
            continue
        shown = text[match.start():match.start() + 40].split(">")[0] + (">" if ">" in text[match.start():] else "")
        problems.append(ContentError(file, line, f"raw HTML{where}: '{shown}'", HOW_TO_FIX_HTML))
        break                                          # one message per line is enough
    for pattern in (MD_LINK, MD_REFERENCE, AUTOLINK):
        for match in pattern.finditer(text):
            if scheme := unsafe_url(match[1]):
                problems.append(ContentError(file, line, f"a '{scheme}:' link{where}: '{match[1][:60]}'",
                                             HOW_TO_FIX_URL))
    for match in ATTR_LIST.finditer(text):
        if danger := ATTR_DANGER.search(match[0]):
            problems.append(ContentError(file, line, f"an attribute list{where} sets '{danger[1]}': '{match[0][:60]}'",
                                         "Attribute lists may set ids and classes only ({#id .class})."))
    return problems


# Comments a browser ends where Python's HTML parser (Python-Markdown's, and the scans here) does not:
# "<!-->" and "<!--->" are whole empty comments and "--!>" closes one (the WHATWG parsing rules), so
# whatever such a "comment" seems to hide would be live HTML on the page.
ODD_COMMENT = re.compile(r"<!---?>|--!>")
HOW_TO_FIX_COMMENT = "Write a comment as <!-- text --> (two dashes on each side, no '!'), or leave it out."


def odd_comments(markdown: str, file: str, first_line: int = 1) -> list[ContentError]:
    """Comments written in a form browsers end early, outside code blocks and code spans."""
    from .markdown_scan import _cut, code_spans, segments

    problems = []
    for segment in segments(markdown, set()):
        if segment.kind != "text":
            continue
        for offset, text in enumerate(segment.lines):
            if "<!--" in text or "--!>" in text:
                if match := ODD_COMMENT.search(_cut(text, code_spans(text))):
                    problems.append(ContentError(file, segment.line + offset + first_line - 1,
                                                 f"an HTML comment written '{match[0]}', which browsers end "
                                                 "there: what follows would be live HTML", HOW_TO_FIX_COMMENT))
    return problems


# The page's first heading is its title: the builders write it into <title> and the menu with its
# entities decoded, so "&lt;/title&gt;&lt;script&gt;" there would end the title and start a script.
TITLE_HEADING = re.compile(r"^ {0,3}#[ \t]+(?P<text>.*)$")
SETEXT_TITLE = re.compile(r"^ {0,3}=+[ \t]*$")
TITLE_MARKUP = re.compile(r"[<>]|&(?:lt|gt|#0*(?:60|62)|#x0*3[ce]);?", re.I)


def title_problems(markdown: str, file: str, first_line: int = 1) -> list[ContentError]:
    """A first heading holding < or > (as written or as an entity), even in a code span."""
    from .markdown_scan import segments

    for segment in segments(markdown, set()):
        if segment.kind != "text":
            continue
        for offset, text in enumerate(segment.lines):
            heading = TITLE_HEADING.match(text)
            following = segment.lines[offset + 1] if offset + 1 < len(segment.lines) else ""
            if heading is None and text.strip() and SETEXT_TITLE.match(following):
                heading = TITLE_HEADING.match("# " + text.strip())      # "Title" over a line of "="
            if heading:
                if TITLE_MARKUP.search(heading["text"]):
                    return [ContentError(file, segment.line + offset + first_line - 1,
                                         "the page's title (its first heading) has '<' or '>' in it",
                                         "The title is shown in the browser tab and the menu: write it in words, "
                                         "without angle brackets or HTML entities.")]
                return []
    return []


def find_unsafe_markdown(markdown: str, file: str, first_line: int = 1) -> list[ContentError]:
    """Every unsafe line of a page (front matter included), outside code blocks, code spans and comments."""
    from .markdown_scan import strip_code          # here, as markdown_scan is the lower layer

    problems = odd_comments(markdown, file, first_line) + title_problems(markdown, file, first_line)
    for line, text in strip_code(markdown):
        if "<" in text or "](" in text or "]:" in text or "{" in text:
            problems.extend(line_problems(text, file, line + first_line - 1))
    return problems


def find_unsafe_data(data, file: str, line: int = 1, where: str = "") -> list[ContentError]:
    """Every unsafe string in a YAML data file (facts, glossary, misconceptions), with its line."""
    problems: list[ContentError] = []
    if isinstance(data, str):
        if "<" in data or "](" in data or "]:" in data or "{" in data:
            problems.extend(line_problems(data, file, line, where))
    elif isinstance(data, dict):
        for key, value in data.items():
            at = data.line_of(key) if hasattr(data, "line_of") else line
            problems.extend(find_unsafe_data(str(key), file, at, where or "a key"))
            problems.extend(find_unsafe_data(value, file, at, f"'{key}'"))
    elif isinstance(data, list):
        for item in data:
            problems.extend(find_unsafe_data(item, file, getattr(item, "line", line), where))
    return problems


# --- The build's last look at a rendered page --------------------------------------------------------

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"})
SCRIPT_TAGS = frozenset({"script", "iframe", "object", "embed", "base", "meta", "link", "frame", "frameset"})


# A picture carried in the page (the course's charts): as an <img>, even an SVG never runs script.
# Sources cannot hold one (find_unsafe_markdown refuses data: links and images); the build makes them.
IMAGE_DATA = re.compile(r"data:image/(?:svg\+xml|png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*(?:#[\w-]*)?\Z")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SCRIPT_TAGS:
            self.found.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an event handler '{name}' on <{tag}>")
            elif name in URL_ATTRIBUTES and value and (scheme := unsafe_url(value)) \
                    and not (tag == "img" and name == "src" and IMAGE_DATA.match(value)):
                self.found.append(f"a '{scheme}:' URL in <{tag} {name}>")


# A fast first look (each regex linear, on the lower-cased page): a page none of them matches cannot
# contain what the parser looks for, so most pages skip the parser. A URL attribute counts unless it is
# plainly http(s), mailto or relative; an entity in one (&#106;avascript:) sends the page to the parser.
# A picture the build carries in an <img src> (a chart, a lab's figure) does not count: the parser would let
# it through, and most pages with one would be parsed for nothing.
SUSPECT = (re.compile(r"<(?:script|iframe|object|embed|base|meta|link|frame)\b"), re.compile(r"[\s/\"']on[a-z]+\s*="),
           re.compile(r"(?:href|action|poster|data|srcset)\s*=\s*[\"']?\s*(?!https?:|mailto:)[a-z0-9+.-]*[:&]"),
           re.compile(r"<img\b[^<>]*?\ssrc\s*=\s*[\"']?\s*(?!https?:|mailto:|data:image/(?:svg\+xml|png|jpeg|gif|webp);base64,)"
                      r"[a-z0-9+.-]*[:&]"),
           re.compile(r"<(?!img\b)[a-z][^<>]*?\ssrc\s*=\s*[\"']?\s*(?!https?:|mailto:)[a-z0-9+.-]*[:&]"))


def page_problems(page_html: str) -> list[str]:
    """What in a rendered page's content could run script: must be nothing on any page."""
    lower = page_html.lower()
    if match := ODD_COMMENT.search(page_html):
        return [f"an HTML comment written '{match[0]}', which browsers end early"]
    if not any(pattern.search(lower) for pattern in SUSPECT):
        return []
    scanner = _Scanner()
    scanner.feed(page_html)
    scanner.close()
    return scanner.found


# --- Files in docs/ -----------------------------------------------------------------------------------
# Both builders copy every other file under docs/ to the site as it is, outside any page and its
# Content-Security-Policy: an .html, .svg, .js or .ipynb file there would run as the site's own.
PUBLISHED = {".md": "", ".yml": "", ".png": "", ".jpg": "", ".jpeg": "", ".webp": "", ".gif": ""}


def svg_problem(svg: str) -> str:
    """Why an SVG picture may not be published as it is ('' if it may): it must hold nothing active."""
    import xml.etree.ElementTree as ET

    cleaned = clean_svg(svg)
    if cleaned is None:
        return "is not a well-formed SVG picture"

    def size(text: str) -> int:
        root = ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>\[]*>)?", "", text))
        return sum(1 + len(element.attrib) for element in root.iter())

    if size(svg) != size(cleaned):
        return "holds script, an event handler, an animation of a link or a non-web link"
    return ""
LAB_FILES = {".py": "labs", ".txt": "labs/data", ".csv": "labs/data"}


def docs_file_problems(docs: Path, shown: str = "docs") -> list[ContentError]:
    """Files under docs/ of a type the course does not publish (hidden files and folders aside)."""
    problems = []
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        suffix = path.suffix.lower()
        folder = relative.parent.as_posix()
        where = f"{shown}/{relative.as_posix()}"
        if suffix == ".svg":             # a picture, if it holds nothing that runs: the file is served as it is
            try:
                problem = svg_problem(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                problem = "cannot be read as text"
            if problem:
                problems.append(ContentError(where, None, f"this SVG picture {problem}",
                                             "Export the picture again without scripts, links or animations "
                                             "(or as .png); a chart is code in charts/, drawn at build time."))
            continue
        if suffix in PUBLISHED or (suffix in LAB_FILES and folder == LAB_FILES[suffix]):
            continue
        if suffix in LAB_FILES:
            problems.append(ContentError(where, None, f"a '{suffix}' file outside {shown}/{LAB_FILES[suffix]}/",
                                         "Labs are .py files in docs/labs/; the files they read (.txt, .csv) "
                                         "go in docs/labs/data/."))
        else:
            problems.append(ContentError(where, None, f"a '{suffix or relative.name}' file, which the site does not "
                                         "publish: it would be copied as it is, outside any page's protections",
                                         "Write pages in Markdown (.md); pictures go in as .png, .jpg, .webp, .gif "
                                         "or .svg without script (a chart is code in charts/, drawn at build time); "
                                         "a lab is a .py file in docs/labs/. Files that can run script (.html, .js, "
                                         ".ipynb) are not accepted."))
    return problems
