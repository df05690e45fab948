"""Text repair: what NLP reads is the article, not the page furniture around it.

Two passes. ``prune_chrome`` removes known furniture from the HTML tree before
extraction (AI-summary boxes, tickers, related links, cookie banners). ``clean_text``
repairs the extracted text (mojibake via ftfy, emoji debris, glued related headlines).
The original HTML and text are kept in the store; only the cleaned copy goes to NLP.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from lxml import html as lxml_html

# Headings that open a furniture box. Matched against an element's own text.
CHROME_HEADINGS = re.compile(
    r"^\W*(30-second tl;?dr|tl;?dr|deep insight|related updates|related stories|related"
    r"|weekly ai recap|read more|more from\b.*|most read|trending|recommended|"
    r"sponsored|advertisement|newsletter|sign up\b.*|subscribe\b.*|timeline|"
    r"about the author|share this|key takeaways \(ai\)|ai summary|key facts|fast facts|"
    r"at a glance|indicators(?: of compromise)?|by the numbers|what we know)\W*$",
    re.IGNORECASE)
# class/id fragments that real sites use for furniture.
CHROME_ATTR = re.compile(
    r"(^|[-_ ])(tldr|tl-dr|ticker|cookie|consent|related|recap|insight|newsletter|"
    r"signup|sponsor|promo|share|social|breadcrumb|author-bio|bio|most-read|trending|"
    r"timeline|sidebar|market-data|pull-quote|advert|ad-slot)([-_ ]|$)", re.IGNORECASE)
STRUCTURAL = ("nav", "footer", "aside", "form", "script", "style", "noscript", "iframe")
BOX_TAGS = {"aside", "section", "div", "ul", "ol", "details", "figure"}
# Headings that announce other stories of the outlet: what follows them is not this article.
OTHER_STORIES = re.compile(
    r"^\W*(more from\b.*|more stories\b.*|related(?: stories| articles| posts| news| reading)?|"
    r"you (?:may|might) also like|read next|up next|most read|most popular|recommended"
    r"(?: for you| stories| reading)?)\W*$", re.IGNORECASE)
# The box is trailing furniture only when it is small next to what precedes it.
OTHER_STORIES_SHARE = 0.4


def prune_chrome(html: str) -> str:
    """Return ``html`` without page furniture; on a parse failure, return it unchanged."""
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return html
    body_len = len(tree.text_content()) or 1
    doomed = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in STRUCTURAL:
            doomed.append(element)
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if CHROME_ATTR.search(marker) and element.tag not in ("html", "body", "article", "main"):
            doomed.append(element)
            continue
        own = (element.text_content() or "").strip()
        if element.tag in ("h2", "h3", "h4", "h5", "strong", "b", "p", "span", "summary") \
                and (CHROME_HEADINGS.match(own) or OTHER_STORIES.match(own)):
            box = element.getparent()
            while box is not None and box.tag not in BOX_TAGS:
                box = box.getparent()
            # Only drop a box that is small next to the page: never the article itself.
            if box is not None and len(box.text_content()) < body_len * 0.4:
                doomed.append(box)
            else:
                doomed.append(element)
                doomed += _trailing_teasers(element, body_len)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
    return lxml_html.tostring(tree, encoding="unicode")


def _trailing_teasers(heading, body_len: int) -> list:
    """What follows a heading of other stories that sits loose in the article, if short.

    Pages built of flat paragraphs put "More from <outlet>" and its teasers right after the
    article's last paragraph, with no box around them to drop.
    """
    if not OTHER_STORIES.match((heading.text_content() or "").strip()):
        return []
    node = heading
    while node.getparent() is not None and node.getparent().tag not in BOX_TAGS | {
            "article", "main", "body"} and len(node.getparent()) == 1:
        node = node.getparent()
    rest = list(node.itersiblings())
    if sum(len(r.text_content()) for r in rest) < body_len * OTHER_STORIES_SHARE:
        return rest
    return []


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (unicodedata.category(char) == "So" or 0x1F000 <= code <= 0x1FAFF
            or 0x2600 <= code <= 0x27BF or code in (0xFE0F, 0x200D, 0x20E3))


NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_emoji(match: re.Match) -> str:
    # Only non-ASCII characters can be emoji: ASCII text never pays a Python call.
    return "" if _is_emoji(match.group()) else match.group()


GLUE = re.compile(r"[a-z0-9%][A-Z][a-z]")


def is_glued_headlines(paragraph: str) -> bool:
    """A widget that renders headlines with no separator: 'hospitalsNew phishing kit…'."""
    return len(GLUE.findall(paragraph)) >= 2 and not re.search(r"[.!?][\"”’)]?\s", paragraph)


def repair(text: str) -> str:
    """Fix mojibake and unicode debris without touching the wording."""
    return ftfy.fix_text(text, normalization="NFC")


def repair_keep_quotes(text: str) -> str:
    """Mojibake repair for titles and names: typography (curly quotes) stays as written."""
    return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)


THAI = re.compile(r"[\u0e00-\u0e7f]")
# UTF-8 read as TIS-620 / cp874 with the undecodable bytes dropped: every curly quote,
# dash and bullet (E2 80 xx) leaves a lone "โ" (0xE2); every emoji (F0 9F xx xx) leaves
# "๐" and a letter or two. ftfy cannot undo it (the dropped bytes are gone), so the
# debris is read back as the punctuation it most likely was, or removed.
MOJIBAKE_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\u0e42(?=(?:s|t|re|ll|ve|d|m)\b)")
MOJIBAKE_DASH = re.compile(r"(?<=\w) \u0e42 (?=\w)")
MOJIBAKE_EMOJI = re.compile(r"\u0e50[\u0e00-\u0e7f]{0,2}")
MOJIBAKE_SYMBOL = re.compile(r"\u0e42[\u0e01-\u0e2e]")     # bullets, arrows, lightning


def repair_thai_mojibake(text: str) -> str:
    """Undo what can be undone of UTF-8 read as cp874 in English text; drop the rest.

    Only when the Thai letters are strays in Latin text (under a tenth of the letters);
    a page in Thai is left alone.
    """
    thai = len(THAI.findall(text))
    if not thai:
        return text
    latin = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    if thai * 10 > latin:
        return text
    text = MOJIBAKE_EMOJI.sub("", text)
    text = MOJIBAKE_SYMBOL.sub(" ", text)
    text = MOJIBAKE_APOSTROPHE.sub("'", text)
    text = MOJIBAKE_DASH.sub(" - ", text)
    text = text.replace("\u0e42", '"')
    return THAI.sub("", text)


def drop_trailing_box(paragraphs: list[str]) -> list[str]:
    """Cut a page at a heading of other stories ("More from <outlet>") when the rest is short.

    Plain text keeps no box element for :func:`prune_chrome` to drop, so the teasers under
    such a heading (other stories' names, places, figures) would read as this article's.
    Stored excerpts start with the article, so a heading near the end opens the box; one in
    the first part of the page may be an inline link and only the heading goes.
    """
    total = sum(len(p) for p in paragraphs) or 1
    seen = 0
    for index, paragraph in enumerate(paragraphs):
        if OTHER_STORIES.match(paragraph) and (total - seen) < total * OTHER_STORIES_SHARE:
            return paragraphs[:index]
        seen += len(paragraph)
    return paragraphs


def clean_text(text: str) -> str:
    """The text NLP reads: repaired, emoji-free, furniture paragraphs dropped."""
    paragraphs = []
    for paragraph in repair_thai_mojibake(repair(text)).split("\n"):
        paragraph = NON_ASCII.sub(_drop_emoji, paragraph)
        paragraph = re.sub(r"[ \t\u00a0]+", " ", paragraph).strip()
        if paragraph:
            paragraphs.append(paragraph)
    return "\n".join(p for p in drop_trailing_box(paragraphs)
                     if not CHROME_HEADINGS.match(p) and not OTHER_STORIES.match(p)
                     and not is_glued_headlines(p))
