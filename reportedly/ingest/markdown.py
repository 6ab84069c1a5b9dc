"""Markdown markup out of ``.md`` articles, before the text is cleaned.

Scraped articles saved as Markdown carry ``## headings``, ``**emphasis**``,
``[links](url)`` and ``![images](url)``; the words stay, the markup goes,
so claims and ids do not depend on how a page was saved.
"""

from __future__ import annotations

import re

__all__ = ["MARKDOWN_SUFFIXES", "strip_markdown"]

MARKDOWN_SUFFIXES: tuple[str, ...] = (".md", ".markdown")

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE), ""),  # code fences
    (re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their words
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE), r"\1"),  # ATX headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^[ \t]*[-*+][ \t]+", re.MULTILINE), ""),  # bullets
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
)


def strip_markdown(raw: str) -> str:
    """``raw`` with Markdown markup removed and its words kept."""
    for pattern, repl in _RULES:
        raw = pattern.sub(repl, raw)
    return raw
