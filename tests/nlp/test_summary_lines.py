"""A story's summary classifies only the first lines of each report (nlp/stories.py
``_summary``), which is right only while a line's role depends on the lines before it
alone. Checked on every bundled sample page and on shapes that use the context rules."""

from __future__ import annotations

from aiwire.collector.extract import extract_article
from aiwire.collector.textclean import clean_text
from aiwire.nlp.blocks import classify_lines
from aiwire.sampleweb import web_root

SHAPES = [
    ["Quick take", "- Item one of the box", "- Item two of the box",
     "A short summary of the box.", "The article starts here with a long sentence that "
     "goes on for a while and ends.", "Read more", "Another paragraph of running text, "
     "long enough to count as body and ending with a stop."],
    ["Breaking news headline without a stop", "By Jane Writer", "Researchers found these:",
     "- the first finding is described in a full sentence here.", "- second item",
     "Body text follows the list and keeps going for a while until it ends."],
]


def _pages() -> list[list[str]]:
    texts = []
    for page in sorted(web_root().rglob("*.html")):
        article = extract_article(page.read_text("utf-8"), page.as_uri())
        if article:
            texts.append(clean_text(article.text).split("\n"))
    return texts


def test_the_roles_of_the_first_lines_do_not_depend_on_the_lines_after_them():
    pages = _pages() + SHAPES
    assert len(pages) >= 10
    for lines in pages:
        whole = classify_lines(lines)
        for size in range(1, len(lines) + 1):
            assert classify_lines(lines[:size]) == whole[:size], (lines[:size], size)
