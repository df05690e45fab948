"""The second look: a page that tells a security event about an AI system only other
reports of the run call one is admitted; everything else keeps its first verdict.

Invented outlets, labs and products, served on loopback and collected for real.
"""

from __future__ import annotations

from aiwire.collector.collect import collect
from aiwire.collector.relevance import described_as_ai, is_relevant, rare_names
from aiwire.config import parse_config

from loopback import LoopServer

PAGES = {
    # relevant on its own: says what Tamsin is
    "/a/lab-report": ("Pell Labs bans accounts that abused its Tamsin chatbot", [
        "Pell Labs said on Monday that it had banned 30 accounts that abused the Tamsin "
        "chatbot to write phishing emails for a fraud ring.",
        "The lab said the operators tried to bypass its safety filters and that the "
        "attack on its AI assistant was stopped within a day."]),
    # never says what Tamsin is: only the report above does
    "/a/terse": ("Fraud ring used Tamsin to write phishing mails, Pell Labs says", [
        "The operators of the ring used Tamsin to draft thousands of phishing mails, Pell "
        "Labs said in a threat report on Monday."]),
    # a security story whose rare name no report calls an AI system
    "/a/bank": ("Corvane Bank warns of phishing wave", [
        "Corvane Bank said a phishing wave hit its customers; the fraud used fake login "
        "pages, and the bank reset the exposed passwords."]),
}
PICKY = {
    # same product and event, but in a feed whose own keywords it lacks
    "/b/terse": ("Tamsin was used to write phishing mails, Pell Labs says", [
        "Operators used Tamsin to draft phishing mails, Pell Labs said in a threat report "
        "on Monday."]),
}


def _page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}"
            f"</title></head><body><article><h1>{title}</h1>{body}</article></body></html>")


def _rss(server: LoopServer, pages: dict) -> str:
    items = "".join(f"<item><title>{t}</title><link>{server.url(p)}</link><pubDate>Wed, 18 "
                    f"Nov 2026 09:00:00 GMT</pubDate></item>" for p, (t, _) in pages.items())
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
            f"Outlet</title><link>http://x/</link>{items}</channel></rss>")


def test_a_page_about_a_system_other_reports_call_ai_is_admitted(server, store):
    server.serve("/robots.txt", "User-agent: *\nAllow: /\n")
    for path, (title, paragraphs) in (PAGES | PICKY).items():
        server.serve(path, _page(title, paragraphs))
    server.serve("/feed.xml", _rss(server, PAGES),
                 headers={"Content-Type": "application/rss+xml"})
    server.serve("/picky.xml", _rss(server, PICKY),
                 headers={"Content-Type": "application/rss+xml"})
    config = parse_config(
        "settings:\n  allow_private_networks: true\nfeeds:\n"
        f"  - id: main\n    name: Main\n    url: {server.url('/feed.xml')}\n"
        f"  - id: picky\n    name: Picky\n    url: {server.url('/picky.xml')}\n"
        "    keywords: [ransomware]\n", "test feeds.yaml")
    # On its own the terse page names no AI: the first look keeps it out.
    title, paragraphs = PAGES["/a/terse"]
    assert not is_relevant("\n".join([title, *paragraphs]))
    collect(config, store)
    verdict = {r["url"].split("/", 3)[3]: r["relevant"]
               for r in store.rows("SELECT url, relevant FROM articles")}
    assert verdict == {"a/lab-report": 1, "a/terse": 1, "a/bank": 0, "b/terse": 0}


def test_what_counts_as_calling_a_name_an_ai_system():
    for text in ("the Tamsin chatbot wrote them", "its chatbot Tamsin", "Tamsin's AI "
                 "assistant", "Tamsin, an AI tool for writers", "Tamsin, the lab's large "
                 "language model,"):
        assert described_as_ai("Tamsin", text), text
    for text in ("Tamsin, a bank in Leeds, said", "Tamsin said the model was safe",
                 "Tamsinbot chatbot", "a model of Tamsin Street"):
        assert not described_as_ai("Tamsin", text), text


def test_only_rare_names_unknown_to_the_knowledge_base_are_asked_about():
    names = rare_names("Security teams at Google and Tamsin Labs met. Tamsin said Security "
                       "was fine. Model weights of Corvane leaked.")
    assert "Tamsin" in names and "Corvane" in names
    for known_or_common in ("Google", "Security", "Model", "Labs"):
        assert known_or_common not in names
