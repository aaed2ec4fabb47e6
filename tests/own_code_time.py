"""Time one MkDocs build in this process and say how much of it is the course's own code.

    .venv/bin/python tests/own_code_time.py [mkdocs build options…]

Prints one line of JSON: the build's seconds, the seconds spent in the course's code (importing the
textbook package, its Markdown extension's processors, the hooks in hooks/), and the seconds spent in
Material's search plugin indexing pages. Run from the course folder, with hooks/ on PYTHONPATH.
Used by tests/benchmark.py; not a test.
"""
from __future__ import annotations

import functools
import json
import sys
import time
from collections import Counter

spent: Counter = Counter()


def timed(owner, name: str, label: str) -> None:
    """Wrap ``owner.name`` so each call adds its time to ``spent[label]`` (calls inside it count once)."""
    function = getattr(owner, name)
    depth = {"n": 0}

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        depth["n"] += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            depth["n"] -= 1
            if depth["n"] == 0:
                spent[label] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> None:
    import markdown  # noqa: F401  (loaded by MkDocs in any build: not the course's cost)
    import mkdocs.commands.build  # noqa: F401
    from material.plugins.search import plugin as search
    from mkdocs.config import config_options

    start = time.perf_counter()
    from textbook import extension
    imported = time.perf_counter() - start
    spent["course"] += imported
    for processor in [value for value in vars(extension).values()
                      if isinstance(value, type) and value.__module__ == extension.__name__ and hasattr(value, "run")]:
        timed(processor, "run", "course")
    timed(search.SearchIndex, "add_entry_from_context", "search")
    load_hook = config_options.Hooks._load_hook

    def load_timed_hook(self, name, path):
        module = load_hook(self, name, path)
        for event in [attribute for attribute in dir(module) if attribute.startswith("on_")]:
            timed(module, event, "course")
        return module

    config_options.Hooks._load_hook = load_timed_hook
    from mkdocs.__main__ import cli

    start = time.perf_counter()
    cli(["build", "-q", *sys.argv[1:]], standalone_mode=False)
    build = time.perf_counter() - start + imported
    print(json.dumps({"build": build, "course": spent["course"], "search": spent["search"]}))


if __name__ == "__main__":
    main()
