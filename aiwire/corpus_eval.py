"""`aiwire eval --corpus DIR`: the real pipeline on a labelled corpus, scored against gold.

The corpus (``aiwire.corpus``) is served on loopback, collected, analysed and clustered
exactly as a weekly run would, then compared with ``gold.yaml`` under the conventions
written at its top:

* relevance: which files are kept as AI-security news (``relevant: false`` files not);
* clustering: pairwise precision / recall over the relevant files (one event, one story);
* core entities: per event, each ``core_entities`` pattern found among its articles;
* figures: per article, ``central`` figures are the recall denominator, ``central:
  false`` ones are neither rewarded nor penalised, anything else is a false positive;
  ``figures_subject`` also asks for the gold subject;
* claims: (speaker, stance) per article, ``claims`` required, ``claims_ok`` tolerated;
* contradictions: a flag is judged in the event its sides come from (sides from two
  events are always wrong); it matches a gold flag on kind, subject and at least one
  side's file; recall counts hard gold flags, precision counts matched hard flags
  against unmatched ones (a matched soft flag is neutral);
* techniques: per event at the parent-technique level, ``atlas`` required, ``atlas_ok``
  tolerated;
* junk entities: the share of distinct entities that look like page furniture, jargon,
  fragments or mojibake (an estimate by rules independent of the extractor's own).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aiwire.corpus import (CorpusArticle, corpus_feeds_yaml, load_corpus, same_week,
                           write_web)
from aiwire.evaluate import Score
from aiwire.store import Store

ORIGIN = "http://aiwire-sample.test"     # rewritten to the real address by the server
VALUE_TOLERANCE = 0.005
VOLUME_TOLERANCE = 0.03
BYTES = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15,
         "KIB": 2 ** 10, "MIB": 2 ** 20, "GIB": 2 ** 30, "TIB": 2 ** 40, "PIB": 2 ** 50}
DATE_TOPIC = re.compile(r"\b(date|year|when|month|day)\b", re.I)
SCOPE_TOPIC = re.compile(r"\bscope\b", re.I)


@dataclass
class CorpusResult:
    scores: dict[str, Score]
    junk: tuple[int, int]                       # (junk entities, all entities)
    cross_incident_flags: int
    seed_checks: dict[str, bool]
    junk_details: list[tuple] = field(default_factory=list)


def norm_id(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


def id_matches(pattern: str | None, value: str | None) -> bool:
    """Gold alternatives: ``a|b``, ``re:PATTERN``, ``null`` (= no value, or any value)."""
    if pattern is None:
        return True
    for option in str(pattern).split("|"):
        option = option.strip()
        if option == "null":
            if value is None:
                return True
            continue
        if value is None:
            continue
        if option.startswith("re:"):
            if re.search(option[3:], norm_id(value)):
                return True
        elif norm_id(option) == norm_id(value):
            return True
    return False


def subject_matches(pattern: str | None, value: str | None) -> bool:
    """``null`` among a figure subject's alternatives accepts any subject."""
    if pattern is None or "null" in str(pattern).split("|"):
        return True
    return id_matches(pattern, value)


def _to_bytes(value: float, unit: str | None) -> float | None:
    factor = BYTES.get((unit or "").upper())
    return value * factor if factor else None


def value_matches(gold: dict, kind: str, value: float, unit: str | None) -> bool:
    if kind not in str(gold["kind"]).split("|"):
        return False
    if kind == "data_volume":
        a, b = _to_bytes(value, unit), _to_bytes(float(gold["value"]), gold.get("unit"))
        if a is not None and b is not None:
            # A TB written for a TiB (or the reverse) is the same statement.
            return any(abs(a - b * k) <= VOLUME_TOLERANCE * b * k
                       for k in (1, 1.024 ** 3, 1.024 ** 4, 1 / 1.024 ** 3, 1 / 1.024 ** 4))
    target = float(gold["value"])
    return abs(value - target) <= VALUE_TOLERANCE * max(abs(target), 1e-9)


def kind_matches(gold_flag: dict, kind: str) -> bool:
    kinds = str(gold_flag["kind"]).split("|")
    if kind in kinds:
        return True
    topic = gold_flag.get("topic") or ""
    if kind == "date" and "claim" in kinds and DATE_TOPIC.search(topic):
        return True
    return kind == "scope" and "claim" in kinds and bool(SCOPE_TOPIC.search(topic))


def parent_technique(technique: str) -> str:
    return ".".join(technique.split(".")[:2])


def run_corpus_pipeline(articles: list[CorpusArticle], db_path: Path, workdir: Path,
                        collect_step=None, analyse_step=None) -> Store:
    """Serve the corpus on loopback and run collect + analyse into ``db_path``.

    ``collect_step(feeds_done, feeds)`` and ``analyse_step(done, total)`` report progress.
    """
    from aiwire.collector.collect import collect
    from aiwire.config import parse_config
    from aiwire.nlp.analyze import analyze
    from aiwire.sampleweb import SampleServer

    web = workdir / "web"
    feeds = write_web(articles, web, ORIGIN)
    store = Store(db_path)
    done = [0]

    def fed(_report) -> None:
        done[0] += 1
        if collect_step:
            collect_step(done[0], len(feeds))

    with SampleServer(root=web) as server:
        config = parse_config(corpus_feeds_yaml(feeds, server.base_url), "corpus feeds.yaml")
        collect(config, store, fed)
    analyze(store, analyse_step)
    return store


def evaluate_corpus(folder: Path, *, one_week: bool = False, db_path: Path | None = None,
                    collect_step=None, analyse_step=None) -> CorpusResult:
    articles, gold = load_corpus(folder)
    if one_week:
        articles = same_week(articles)
    with tempfile.TemporaryDirectory() as tmp:
        store = run_corpus_pipeline(articles, db_path or Path(tmp) / "eval.db", Path(tmp),
                                    collect_step, analyse_step)
        try:
            return score_corpus(store, articles, gold)
        finally:
            store.close()


# ---------------------------------------------------------------------------- scoring

def _article_keys(store: Store, articles: list[CorpusArticle]) -> dict[int, str]:
    """Stored article id -> corpus file name, through the loopback path."""
    by_path = {a.path: a.key for a in articles}
    keys = {}
    for row in store.rows("SELECT id, url FROM articles"):
        key = by_path.get(urlsplit(row["url"]).path)
        if key:
            keys[row["id"]] = key
    return keys


def score_corpus(store: Store, articles: list[CorpusArticle], gold: dict) -> CorpusResult:
    labels: dict[str, dict] = gold.get("articles") or {}
    events = {e["slug"]: e for e in gold.get("events") or []}
    keys = _article_keys(store, articles)
    rows = {keys[r["id"]]: r for r in store.rows(
        "SELECT id, relevant, duplicate_of FROM articles") if r["id"] in keys}
    kept = {k for k, r in rows.items() if r["relevant"]}
    names = ("relevance", "clustering", "core_entities", "figures", "figures_subject",
             "claims", "contradictions", "techniques")
    scores = {name: Score() for name in names}
    event_of = {k: v.get("event") for k, v in labels.items() if v.get("relevant", True)}

    # Relevance over every labelled file.
    for key, label in labels.items():
        wanted = label.get("relevant", True) is not False
        scores["relevance"].add({key} if wanted else set(), {key} if key in kept else set())

    mentions: dict[str, set[str]] = defaultdict(set)
    for row in store.rows("SELECT article_id, entity_id FROM mentions"):
        if row["article_id"] in keys:
            mentions[keys[row["article_id"]]].add(row["entity_id"])
    _score_core_entities(scores["core_entities"], events, event_of, mentions)
    _score_figures(store, keys, labels, scores)
    _score_claims(store, keys, labels, scores["claims"])
    story_of = {keys[r["article_id"]]: r["story_id"]
                for r in store.rows("SELECT story_id, article_id FROM story_articles")
                if r["article_id"] in keys}
    _score_clustering(scores["clustering"], event_of, story_of)
    cross = _score_contradictions(store, keys, events, event_of, scores["contradictions"])
    _score_techniques(store, events, event_of, story_of, scores["techniques"])
    junk_details: list[tuple] = []
    junk = junk_entities(store, junk_details)
    return CorpusResult(scores, junk, cross, seed_checks(store, keys, events, story_of),
                        junk_details)


def _score_core_entities(score: Score, events: dict, event_of: dict, mentions: dict) -> None:
    found_by_event: dict[str, set[str]] = defaultdict(set)
    for key, event in event_of.items():
        found_by_event[event] |= mentions.get(key, set())
    for slug, event in sorted(events.items()):
        found = found_by_event.get(slug, set())
        for pattern in event.get("core_entities") or []:
            hit = any(id_matches(pattern, entity) for entity in found)
            score.tp += hit
            if not hit:
                score.fn += 1
                score.false_negatives.append((slug, pattern))


def _score_figures(store: Store, keys: dict, labels: dict, scores: dict) -> None:
    predicted: dict[str, dict] = defaultdict(dict)
    for row in store.rows("SELECT article_id, kind, value, unit, subject, quote FROM figures "
                          "ORDER BY article_id, start"):
        key = keys.get(row["article_id"])
        if key is None:
            continue
        ident = (row["kind"], round(row["value"], 4), row["unit"])
        predicted[key].setdefault(ident, row)
    for key, label in sorted(labels.items()):
        gold_figures = label.get("figures") or []
        hit_value, hit_subject = set(), set()
        for ident, row in predicted.get(key, {}).items():
            matched = [i for i, g in enumerate(gold_figures)
                       if value_matches(g, row["kind"], row["value"], row["unit"])]
            if not matched:
                scores["figures"].fp += 1
                scores["figures"].false_positives.append(
                    (key, row["kind"], row["value"], row["unit"], row["subject"], row["quote"]))
                continue
            for i in matched:
                hit_value.add(i)
                if subject_matches(gold_figures[i].get("subject"), row["subject"]):
                    hit_subject.add(i)
        for i, g in enumerate(gold_figures):
            if not g.get("central", True):
                continue
            for name, hits in (("figures", hit_value), ("figures_subject", hit_subject)):
                if i in hits:
                    scores[name].tp += 1
                else:
                    scores[name].fn += 1
                    scores[name].false_negatives.append(
                        (key, g["kind"], g["value"], g.get("unit"), g.get("subject"),
                         g.get("phrase")))
    scores["figures_subject"].fp = scores["figures"].fp


def _score_claims(store: Store, keys: dict, labels: dict, score: Score) -> None:
    predicted: dict[str, dict] = defaultdict(dict)
    for row in store.rows("SELECT article_id, speaker, stance, quote FROM claims "
                          "ORDER BY article_id, start"):
        key = keys.get(row["article_id"])
        if key is not None:
            predicted[key].setdefault((row["speaker"], row["stance"]), row["quote"])
    for key, label in sorted(labels.items()):
        required = label.get("claims") or []
        tolerated = label.get("claims_ok") or []
        found = set()
        for (speaker, stance), quote in predicted.get(key, {}).items():
            hits = [i for i, c in enumerate(required)
                    if c["stance"] == stance and id_matches(c.get("speaker"), speaker)]
            if hits:
                found.update(hits)
            elif not any(c["stance"] == stance and id_matches(c.get("speaker"), speaker)
                         for c in tolerated):
                score.fp += 1
                score.false_positives.append((key, speaker, stance, quote))
        for i, claim in enumerate(required):
            if i in found:
                score.tp += 1
            else:
                score.fn += 1
                score.false_negatives.append((key, claim.get("speaker"), claim["stance"],
                                              claim.get("phrase")))


def _score_clustering(score: Score, event_of: dict, story_of: dict) -> None:
    members = sorted(event_of)
    gold_pairs, predicted_pairs = set(), set()
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            if event_of[a] == event_of[b]:
                gold_pairs.add((a, b))
            if a in story_of and story_of.get(a) == story_of.get(b):
                predicted_pairs.add((a, b))
    score.add(gold_pairs, predicted_pairs)


def _side_keys(sides: list, url_keys: dict[str, str]) -> list[set[str]]:
    """The corpus files behind each side of a stored flag."""
    result = []
    for side in sides:
        urls = [side.get("url")] + [s.get("url") for s in side.get("sources") or []]
        urls += side.get("urls") or []
        result.append({url_keys[urlsplit(u).path] for u in urls
                       if u and urlsplit(u).path in url_keys})
    return result


def _score_contradictions(store: Store, keys: dict, events: dict, event_of: dict,
                          score: Score) -> int:
    import json

    url_keys = {urlsplit(r["url"]).path: keys[r["id"]]
                for r in store.rows("SELECT id, url FROM articles") if r["id"] in keys}
    gold_flags = [(slug, flag) for slug, event in sorted(events.items())
                  for flag in event.get("contradictions") or []]
    recalled: set[int] = set()
    cross = 0
    for row in store.rows("SELECT story_id, kind, topic, subject, severity, sides "
                          "FROM contradictions ORDER BY id"):
        sides = _side_keys(json.loads(row["sides"]), url_keys)
        files = set().union(*sides) if sides else set()
        flag_events = {event_of.get(f) for f in files}
        summary = (row["story_id"], row["kind"], row["topic"], row["subject"],
                   sorted(files))
        if len(flag_events) != 1 or None in flag_events:
            cross += 1
            score.fp += 1
            score.false_positives.append(("different incidents",) + summary)
            continue
        event = flag_events.pop()
        matched_hard = matched_soft = False
        for index, (slug, flag) in enumerate(gold_flags):
            if slug != event or not kind_matches(flag, row["kind"]):
                continue
            if not id_matches(flag.get("subject"), row["subject"]):
                continue
            if not {s.get("file") for s in flag.get("sides") or []} & files:
                continue
            if flag.get("strength") == "hard":
                matched_hard = True
                recalled.add(index)
            else:
                matched_soft = True
        if matched_hard:
            score.tp += 1
        elif not matched_soft:
            score.fp += 1
            score.false_positives.append(("not in gold",) + summary)
    for index, (slug, flag) in enumerate(gold_flags):
        if flag.get("strength") == "hard" and index not in recalled:
            score.fn += 1
            score.false_negatives.append((slug, flag["kind"], flag.get("topic"),
                                          flag.get("subject")))
    return cross


def _score_techniques(store: Store, events: dict, event_of: dict, story_of: dict,
                      score: Score) -> None:
    votes: dict[str, Counter] = defaultdict(Counter)
    for key, story in story_of.items():
        votes[story][event_of.get(key) or "off-topic"] += 1
    story_event = {story: c.most_common(1)[0][0] for story, c in votes.items()}
    predicted: dict[str, set[str]] = defaultdict(set)
    for row in store.rows("SELECT story_id, technique_id FROM story_techniques"):
        event = story_event.get(row["story_id"])
        if event:
            predicted[event].add(parent_technique(row["technique_id"]))
    for slug, event in sorted(events.items()):
        wanted = {parent_technique(t) for t in event.get("atlas") or []}
        tolerated = {parent_technique(t) for t in event.get("atlas_ok") or []}
        found = predicted.get(slug, set())
        score.tp += len(found & wanted)
        score.fn += len(wanted - found)
        score.false_negatives += [(slug, t) for t in sorted(wanted - found)]
        extra = found - wanted - tolerated
        score.fp += len(extra)
        score.false_positives += [(slug, t) for t in sorted(extra)]
    for event in sorted(set(predicted) - set(events)):
        score.fp += len(predicted[event])
        score.false_positives += [(event, t) for t in sorted(predicted[event])]


# ----------------------------------------------------------------- junk entity estimate

GENERIC_ACRONYMS = set("""AI ML LLM LLMS API APIS SDK SQL MFA 2FA EDR XDR WAF CVSS POC SOC KMS
GDPR RAG IOC IOCS TTP TTPS XSS CSRF SSRF RCE DDOS DOS VPN DNS HTTP HTTPS URL URLS JSON XML
CEO CFO CTO CISO COO IT HR PR FAQ TLDR OS UI UX CLI IDE GPU GPUS CPU SaaS SAAS IAM SSO
OAUTH JWT TLS SSL PII PHI ATS IOS MACOS SMS OTP NLP AGI GENAI B2B AWS""".split())
MOJIBAKE = re.compile(r"[\u0e00-\u0e7f\ufffd]|â€|Ã.|Â")
FUNCTION_WORDS = {"of", "the", "and", "for", "to", "in", "with", "on", "at", "by", "a",
                  "an", "or", "from", "as", "is", "are", "was", "this", "that", "its"}


def looks_junk(name: str, known: bool) -> str | None:
    """Why an entity name looks like furniture, jargon, a fragment or mojibake (or None)."""
    from wordfreq import zipf_frequency

    if MOJIBAKE.search(name):
        return "mojibake"
    if known:
        return None               # a knowledge-base name ("Nx") is a name, however short
    words = re.findall(r"[A-Za-z][A-Za-z'’.-]*|\d+", name)
    if not words or len(name.strip()) <= 2:
        return "fragment"
    if name.replace(" ", "").upper() in GENERIC_ACRONYMS:
        return "jargon"
    if words[0].lower() in FUNCTION_WORDS or words[-1].lower() in FUNCTION_WORDS:
        return "fragment"
    if all(zipf_frequency(w.lower(), "en") >= 4.0 for w in words):
        return "everyday phrase"
    return None


def junk_entities(store: Store, details: list | None = None) -> tuple[int, int]:
    from aiwire.nlp.kb import load_kb

    kb_ids = set(load_kb().entities)
    rows = store.rows("SELECT DISTINCT e.id, e.name, e.type FROM entities e JOIN mentions m "
                      "ON m.entity_id = e.id JOIN articles a ON a.id = m.article_id "
                      "WHERE a.relevant = 1 AND e.type NOT IN ('CVE', 'TECHNIQUE') "
                      "ORDER BY e.id")
    junk = 0
    for row in rows:
        why = looks_junk(row["name"], row["id"] in kb_ids)
        if why:
            junk += 1
            if details is not None:
                details.append((row["id"], row["name"], row["type"], why))
    return junk, len(rows)


# ------------------------------------------------------------------------ seed checks

SEED_EVENT = "anthropic-alibaba-seeds"


def seed_checks(store: Store, keys: dict, events: dict, story_of: dict) -> dict[str, bool]:
    """The reference case of DESIGN.md, when the corpus holds its five seed pages."""
    seeds = sorted(k for k in keys.values() if k.startswith(SEED_EVENT + "__"))
    if SEED_EVENT not in events or not seeds:
        return {}
    ids = [i for i, k in keys.items() if k in seeds]
    marks = ",".join("?" * len(ids))
    claims = {(r["speaker"], r["stance"]) for r in store.rows(
        f"SELECT speaker, stance FROM claims WHERE article_id IN ({marks})", ids)}
    figures = store.rows(f"SELECT kind, value, subject FROM figures WHERE article_id IN "
                         f"({marks})", ids)
    stories = {story_of.get(k) for k in seeds}
    return {
        "one story": len(stories) == 1 and None not in stories,
        "alibaba denies": ("alibaba", "denies") in claims,
        "anthropic alleges": ("anthropic", "alleges") in claims,
        "stock_change -4.9 alibaba": any(f["kind"] == "stock_change" and
                                         abs(f["value"] + 4.9) < 1e-6 and
                                         f["subject"] == "alibaba" for f in figures),
        "account_count 25000": any(f["kind"] == "account_count" and f["value"] == 25000
                                   for f in figures),
    }


# ---------------------------------------------------------------------------- floors

def check_floors(result: CorpusResult, path: Path, one_week: bool = False) -> list[str]:
    """Scores below the floors pinned in ``path`` (YAML: ``dated:`` / ``same_week:``, each
    ``metric: {precision|recall|f1: value}``, plus ``junk_rate_max`` and
    ``cross_incident_flags_max``). Floors are only ever raised."""
    import yaml

    from aiwire.errors import InputError

    try:
        data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None
    section = data.get("same_week" if one_week else "dated") or {}
    failures = []
    for metric, wanted in sorted(section.items()):
        if metric == "junk_rate_max":
            junk, total = result.junk
            rate = junk / total if total else 0.0
            if rate > wanted:
                failures.append(f"junk entity rate {rate:.3f} > {wanted}")
            continue
        if metric == "cross_incident_flags_max":
            if result.cross_incident_flags > wanted:
                failures.append(f"flags across incidents {result.cross_incident_flags} > "
                                f"{wanted}")
            continue
        if metric == "seed_checks":
            failures += [f"seed pages: {name}" for name in wanted
                         if not result.seed_checks.get(name)]
            continue
        score = result.scores.get(metric)
        if score is None:
            raise InputError(f"{path}: unknown metric {metric!r}; use one of "
                             f"{', '.join(sorted(result.scores))}")
        for attribute, floor in sorted(wanted.items()):
            value = getattr(score, attribute)
            if value + 1e-9 < floor:
                failures.append(f"{metric} {attribute} {value:.3f} < {floor}")
    return failures
