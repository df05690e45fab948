"""Dates as facts: when something happened, resolved against the publication date.

A report says "on Thursday", "in early June 2024", "late last year" or "March 20". To
compare two outlets' dates for the same event each expression becomes an interval with
its precision (day, week, month, quarter, year, or a part of one: early / mid / late),
resolved relative to the article's publication date. ``dateparser`` does the parsing;
this module adds the parts of a period, quarters, and tells durations ("three weeks",
"five hours") from dates, which a parser happily turns into "three weeks ago".

Two dates conflict only when their intervals are disjoint: "July 2024" and "July 4,
2024" agree; "Thursday" and "Friday" of one week do not.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

PART = re.compile(r"\b(early|earlier|beginning\s+of|start\s+of|mid|middle\s+of|late|later|"
                  r"end\s+of|the\s+end\s+of)\b[\s-]*", re.I)
QUARTER = re.compile(r"\b(?:Q([1-4])|(first|second|third|fourth)\s+quarter)\b(?:\s+of)?"
                     r"\s*(\d{4})?", re.I)
ORDINAL_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4}
DURATION = re.compile(r"^(?:about\s+|nearly\s+|almost\s+|over\s+|more\s+than\s+|"
                      r"the\s+(?:past|last)\s+|a\s+(?:single\s+)?|an?\s+|\d+|one|two|three|"
                      r"four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|"
                      r"\s)+(?:hours?|days?|weeks?|months?|years?|decades?|minutes?)\b", re.I)
ANCHORED = re.compile(r"\b(ago|last|earlier|later|previous|this|next|since|yesterday|"
                      r"today|tomorrow)\b", re.I)
FILLER = re.compile(r"^(?:on|in|at|by|since|from|during|around|about|as\s+of|the|of|"
                    r"until|before|after|over)\s+", re.I)
YEAR_ONLY = re.compile(r"^(?:19|20)\d\d$")
SPAN_DAYS = {"day": 0, "week": 6}


@dataclass(frozen=True)
class DateValue:
    start: date
    end: date
    precision: str      # day, week, month, quarter, year, or "early month" etc.

    def overlaps(self, other: "DateValue") -> bool:
        return self.start <= other.end and other.start <= self.end

    def gap_days(self, other: "DateValue") -> int:
        """Days between two disjoint intervals (0 when they overlap)."""
        if self.overlaps(other):
            return 0
        return (other.start - self.end).days if self.end < other.start \
            else (self.start - other.end).days

    def iso(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@lru_cache(maxsize=64)
def _parser(base: date):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _interval(moment: date, period: str) -> tuple[date, date]:
    if period == "month":
        return moment.replace(day=1), _month_end(moment.year, moment.month)
    if period == "year":
        return date(moment.year, 1, 1), date(moment.year, 12, 31)
    if period == "week":
        start = moment - timedelta(days=moment.weekday())
        return start, start + timedelta(days=6)
    return moment, moment


def _narrow(start: date, end: date, part: str) -> tuple[date, date]:
    """Early / mid / late part of an interval: its first, middle or last third."""
    length = (end - start).days + 1
    third = max(length // 3, 1)
    part = part.lower()
    if part in ("early", "earlier") or part.startswith(("beginning", "start")):
        return start, start + timedelta(days=third - 1)
    if part in ("late", "later") or "end" in part:
        return end - timedelta(days=third - 1), end
    return start + timedelta(days=third), end - timedelta(days=third)


def is_duration(text: str) -> bool:
    """"three weeks", "five hours", "a single year": a length of time, not a date."""
    return bool(DURATION.match(text.strip())) and not ANCHORED.search(text)


# A date told from another one: "the next day", "two days later", "a week later". Read
# alone it names nothing; the article's sentence gives it the calendar date it counts
# from (``find_event_dates``), kept as "two days later, after June 22, 2023".
LATER = re.compile(r"^(?:the\s+)?(?:(?:next|following)\s+(?P<next>day|morning)|day\s+after|"
                   r"(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                   r"(?P<unit>day|week)s?\s+later)$", re.I)
AFTER_ANCHOR = re.compile(r"^(?P<later>.+?), after (?P<anchor>.+)$")
WEEK_SLACK = 3          # "a week later" is a week give or take a few days


def later_offset(words: str) -> tuple[int, str] | None:
    """Days after its anchor a relative date names, and its precision ("two days later"
    -> (2, "day"); "a week later" -> (7, "week")); None for anything else."""
    match = LATER.match(re.sub(r"\s+", " ", words.strip()))
    if not match:
        return None
    if not match.group("n"):
        return 1, "day"
    count = match.group("n").lower()
    number = int(count) if count.isdigit() else COUNT_WORDS[count]
    return (number, "day") if match.group("unit").lower() == "day" else (7 * number, "week")


def _anchored(expression: str, published: date) -> DateValue | None:
    match = AFTER_ANCHOR.match(expression)
    offset = later_offset(match.group("later")) if match else None
    base = resolve(match.group("anchor"), published) if offset else None
    if base is None or base.precision != "day":
        return None       # "the next day" after "in June": no day to count from
    days, precision = offset
    moment = base.start + timedelta(days=days)
    if precision == "day":
        return DateValue(moment, moment, "day")
    return DateValue(moment - timedelta(days=WEEK_SLACK), moment + timedelta(days=WEEK_SLACK),
                     "week")


@lru_cache(maxsize=4096)
def resolve(expression: str, published: date) -> DateValue | None:
    """The interval an expression names, read on the day the article was published.
    (Cached: every re-check of a story's flags resolves its members' dates again.)"""
    if ", after " in expression:
        anchored = _anchored(expression, published)
        if anchored is not None:
            return anchored
    text = re.sub(r"[()\[\],]", " ", expression)
    text = re.sub(r"\s+", " ", text).strip()
    while FILLER.match(text):
        text = FILLER.sub("", text, count=1)
    if not text or is_duration(text):
        return None
    quarter = QUARTER.search(text)
    if quarter:
        number = int(quarter.group(1) or ORDINAL_QUARTER[quarter.group(2).lower()])
        year = int(quarter.group(3)) if quarter.group(3) else published.year
        start = date(year, 3 * number - 2, 1)
        return DateValue(start, _month_end(year, 3 * number), "quarter")
    part = PART.match(text)
    core = text[part.end():].strip() if part else text
    core = FILLER.sub("", core)
    if not core:
        return None
    weekday = [d.lower() for d in calendar.day_name].index(core.lower()) \
        if core.lower() in [d.lower() for d in calendar.day_name] else None
    if weekday is not None and weekday == published.weekday():
        return DateValue(published, published, "day")     # "on Friday", said on a Friday
    data = _parser(published).get_date_data(core)
    if data is None or data.date_obj is None:
        return None
    moment = data.date_obj.date()
    period = data.period or "day"
    if YEAR_ONLY.match(core):
        period = "year"
    if period not in ("day", "week", "month", "year"):
        return None                           # times of day and the like
    if moment > published + timedelta(days=1) and not re.search(r"\d{4}", core):
        return None                           # "in June" read as a future June: unsure
    start, end = _interval(moment, period)
    precision = period
    if part:
        start, end = _narrow(start, end, part.group(1))
        precision = f"{part.group(1).lower()} {period}"
    return DateValue(start, end, precision)


# ------------------------------------------------------------- dates in an article

# What happened on a date, from the nearest event verb: a class of predicates, so that
# "disclosed" and "made public" compare, while "discovered" and "fixed" do not.
PREDICATES: list[tuple[str, re.Pattern]] = [
    ("disclosure", re.compile(r"\b(disclos\w*|reveal\w*|report\w*|publish\w*|announc\w*|"
                              r"unveil\w*|notif\w*|made\s+public|went\s+public|"
                              r"blog\s+post|advisory|broke\s+the\s+(?:news|story))\b", re.I)),
    ("discovery", re.compile(r"\b(discover\w*|found|detect\w*|identif\w*|spott\w*|"
                             r"uncover\w*|noticed|observed|flagged|investigat\w*)\b", re.I)),
    ("incident", re.compile(r"\b(breach\w*|hack\w*|attack\w*|compromis\w*|stole|stolen|"
                            r"steal\w*|leak\w*|infiltrat\w*|exploit\w*|exfiltrat\w*|merged|"
                            r"intru\w*|accessed|gained\s+access|took\s+place|occurred|"
                            r"happened|scam\w*|defraud\w*|tricked|transferr\w*|"
                            r"malicious\s+versions?)\b", re.I)),
    ("fix", re.compile(r"\b(fix\w*|patch\w*|resolv\w*|remediat\w*|mitigat\w*|revok\w*|"
                       r"invalidat\w*)\b", re.I)),
    ("filing", re.compile(r"\b(filed|filing|sued|lawsuit|complaint|charged|indict\w*)\b",
                          re.I)),
    ("release", re.compile(r"\b(releas\w*|launch\w*|introduc\w*|rolled\s+out|shipped)\b",
                           re.I)),
]
DATE_WORDS = re.compile(r"\d|day\b|week|month|year|quarter|" +
                        "|".join(m for m in calendar.month_name if m), re.I)
MAX_VERB_DISTANCE = 70
CLAUSE_HEADS = {"ROOT", "relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "pcomp", "csubj"}
VAGUE = re.compile(r"^(?:today|now|recently|currently|this\s+week|these\s+days)\b", re.I)
PREPOSITION = re.compile(r"^(?:on|in|at|by|since|from|during|until|before|after|around|"
                         r"as\s+of|between|through|early|late)$", re.I)      # characters between the date and its event word


@dataclass(frozen=True)
class DatedEvent:
    predicate: str          # disclosure, discovery, incident, fix, filing, release
    expression: str         # the words of the date, as written
    subject: str | None     # the entity the event is about, when the sentence names one
    quote: str
    start: int
    verb: str = ""          # the event word's first letters: "repor", "discl", "merge"
    duration: bool = False  # a length of time ("within three weeks"), not a date


def _predicate(sentence: str, at: int, end: int) -> tuple[str, int] | None:
    """The event class nearest to the date in its sentence, and where its word is."""
    best = None
    for name, pattern in PREDICATES:
        for match in pattern.finditer(sentence):
            distance = at - match.end() if match.end() <= at else match.start() - end
            if distance < 0 or distance > MAX_VERB_DISTANCE:
                continue
            if best is None or distance < best[0]:
                best = (distance, name, match.start())
    return (best[1], best[2]) if best else None


QUOTES = re.compile(r"[\"“”‘’']")


def _inside_quotes(text: str, at: int) -> bool:
    """Is position ``at`` inside a quotation (an odd number of quote marks before it)?"""
    count = 0
    for match in QUOTES.finditer(text[:at]):
        i = match.start()
        left = text[i - 1] if i > 0 else " "
        right = text[i + 1] if i + 1 < len(text) else " "
        if match.group() in "'’" and left.isalnum() and right.isalnum():
            continue                      # an apostrophe: OpenAI's, don't
        count += 1
    return count % 2 == 1


# Going public in other words: "stunned the security world", "sent shockwaves through
# the industry", "made headlines". The verb is read as the public disclosure.
IMPACT_VERB = re.compile(r"(?:rattl|rock|shook|shak|stunn|shock|alarm|jolt|startl|"
                         r"electrif|unsettl)\w*", re.I)
AUDIENCE = re.compile(r"(?:world|community|industry|internet|ecosystem|public|scene|"
                      r"sector|field)s?", re.I)
IMPACT_PHRASE = re.compile(r"\b(?:made|make|making|grabbed|hit)\s+(?:the\s+)?headlines\b|"
                           r"\bsent\s+shock\s*waves\b", re.I)
TIME_MARKERS = {"when", "as", "after", "once"}


# Sending a document: dated by what was sent ("sent the memo on Thursday", "the memo,
# sent Friday", "issued a cable in June", "the cable, dated July 3"), so that a memo and a
# letter sent on two days are two events.
SENT = re.compile(r"(?:sent|send|sends|sending|emailed|circulated|circulates|mailed|"
                  r"distributed|issued|issues|issuing|dated)", re.I)
DOCUMENTS = re.compile(r"(?:memo|memos|memorandum|letter|letters|note|notes|notice|"
                       r"warning|e-?mail|message|bulletin|newsletter|cable|cables|directive|"
                       r"directives|circular)", re.I)


def _acted_on(token) -> list:
    """What a verb acts on: its object, or the noun it describes."""
    candidates = [child for child in token.children if child.dep_ in ("dobj", "nsubjpass")]
    if token.dep_ == "acl":
        candidates.append(token.head)
    elif not candidates and token.i > token.sent.start + 1 and token.nbor(-1).text == ",":
        # "In the memo, sent on Friday, the company said": a verb with no object, set off
        # by a comma, describes the noun just before it (a participle), however the
        # parser attached it
        candidates.append(token.nbor(-2))
    return candidates


def _sent_document(token) -> str | None:
    """The document a sending verb sent: its object, or the noun it describes."""
    for noun in _acted_on(token):
        if DOCUMENTS.fullmatch(noun.text):
            # "issued a cable warning that ...": the parser may make "warning" the head
            # and "cable" its compound; the document is the cable
            kind = next((child for child in noun.children if child.dep_ == "compound"
                         and DOCUMENTS.fullmatch(child.text)), noun)
            return re.sub(r"s$", "", kind.text.lower().replace("-", ""))[:5]
    return None


# Putting software out: "published version 2.1 on npm", "the package, uploaded on May 3".
# Published software is a release, not the disclosure "published" says of a report.
ISSUED = {"published", "publish", "publishes", "publishing", "pushed", "push", "pushes",
          "uploaded", "upload", "uploads"}
ARTEFACTS = {"version", "versions", "package", "packages", "release", "releases", "update",
             "updates", "build", "builds", "library", "libraries", "extension", "extensions",
             "plugin", "plugins", "module", "modules", "wheel", "wheels", "model", "models",
             "weights", "checkpoint", "checkpoints"}
# A release is of one version: "1.0.16 shipped on May 3" and "1.0.17 shipped on May 9"
# date two releases. Three-part numbers, or a number after "version".
VERSION = re.compile(r"\bv?(\d+\.\d+\.\d+(?:\.\d+)*)\b|\bversions?\s+v?(\d+(?:\.\d+)*)\b", re.I)


def _artefact(noun) -> bool:
    """A piece of software: "the package", "version 4.2", "Version 4.2.7" (the number the
    head, "Version" its compound)."""
    return noun.lower_ in ARTEFACTS or bool(VERSION.fullmatch(noun.text)) or any(
        child.dep_ == "compound" and child.lower_ in ARTEFACTS for child in noun.children)


def release_versions(sentence: str) -> str:
    """The versions a sentence dates the release of ("1.0.16", "8.3.41+8.3.42"), or ""."""
    found = {a or b for a, b in VERSION.findall(sentence)}
    return "+".join(sorted(found))


# Going public and having access, said in two words: "made the breach public on Monday",
# "had access to the line for six weeks".
MAKE_GO = {"make", "makes", "made", "making", "go", "goes", "went", "going"}
HAVE = {"have", "has", "had", "having", "gain", "gains", "gained", "maintain", "maintained",
        "kept", "keep", "retain", "retained", "held", "hold"}
# Verbs of one act compare as one ("disclosed on Tuesday" vs "announced on Wednesday");
# "reported" stays apart: researchers report to a vendor before anyone goes public.
SAME_ACT = {"annou": "discl", "revea": "discl", "unvei": "discl", "launc": "relea",
            "shipp": "relea", "rolle": "relea", "intro": "relea", "patch": "fix",
            "fixed": "fix", "fixin": "fix", "fixes": "fix", "resol": "fix", "remed": "fix",
            "revok": "close", "inval": "close"}
# Learning of it, the victim's side of a discovery: "learned of the problem on May 2",
# "was alerted on May 6", "became aware".
LEARNED = {"learned", "learnt", "learns", "alerted", "aware", "told", "informed"}
# Something left open: how long it was exposed ("open for 11 days", "publicly readable
# for four months").
# Whom a company tells: alerting them is going public, not learning of it.
AUDIENCES = {"customers", "users", "clients", "members", "employees", "staff", "subscribers",
             "patients", "regulators", "authorities", "police", "public", "partners",
             "people", "investors", "shareholders", "students", "parents"}
EXPOSED = {"exposed", "open", "readable", "accessible", "unprotected", "unsecured",
           "visible", "unencrypted"}


# Closing what was open, a step of the fix compared as its own act ("close"): "closed the
# hole two days later", "secured the database on Monday", "the token was revoked the next
# day". The object says it: "closed the deal" and "secured funding" are no fix; a token
# revoked at once and a patch weeks later are two steps, both true.
CLOSERS = {"closed", "closes", "closing", "shut", "shuts", "secured", "secures", "securing",
           "locked", "locks", "locking", "disabled", "disables", "disabling"}
OPENINGS = {"vulnerability", "vulnerabilities", "flaw", "flaws", "bug", "bugs", "hole",
            "holes", "gap", "gaps", "loophole", "loopholes", "exposure", "access", "database",
            "databases", "bucket", "buckets", "server", "servers", "instance", "instances",
            "endpoint", "endpoints", "token", "tokens", "key", "keys", "link", "links",
            "issue", "weakness", "misconfiguration"}


def _closes_opening(token) -> bool:
    """A closing verb whose object (or passive subject) is something left open."""
    return token.text.lower() in CLOSERS and any(
        child.dep_ in ("dobj", "nsubjpass") and child.text.lower() in OPENINGS
        for child in token.children)


INTRUDERS = re.compile(r"(?:attackers?|hackers?|intruders?|criminals?|fraudsters?|"
                       r"scammers?|actors?|adversar(?:y|ies)|group|gang|they)", re.I)


def _intruder_access(token) -> bool:
    """"The attackers had access for six weeks", "gained unauthorised access": access
    that is the incident, not "customers have access to the feature from Monday"."""
    for child in token.children:
        if child.dep_ == "nsubj" and INTRUDERS.fullmatch(child.text):
            return True
        if child.dep_ == "dobj" and any(grand.text.lower() in ("unauthorized", "unauthorised",
                                                               "illicit", "illegal")
                                        for grand in child.children):
            return True
    return False


def _event_word(token) -> tuple[str, int, str | None] | None:
    """The event class of one head word, and the verb it is compared by (``None``: its
    own first letters)."""
    lowered = token.text.lower()
    if lowered in LEARNED or lowered == "notified":
        told = [child for child in token.children if child.dep_ in ("nsubjpass", "dobj")]
        if any(child.text.lower() in AUDIENCES for child in told):
            return "disclosure", token.idx, "notif"   # "alerted customers on Friday"
        if lowered in ("alerted", "notified") and told:
            # "the firm was notified on May 6" and "Kestrel alerted Varden on June 22":
            # the party told learned of it that day; the one alerted is its subject
            # (the fourth item: where its word is), not the teller named before the verb
            if told[0].dep_ == "nsubjpass":
                return "discovery", token.idx, "learn"
            return "discovery", token.idx, "learn", told[0].idx
    if _closes_opening(token):
        return "fix", token.idx, "close"
    if lowered in ISSUED and any(_artefact(noun) for noun in _acted_on(token)):
        return "release", token.idx, "relea"
    for name, pattern in PREDICATES:
        if pattern.fullmatch(token.text):
            return name, token.idx, SAME_ACT.get(token.text[:5].lower())
    if lowered == "public" and token.head.text.lower() in MAKE_GO:
        return "disclosure", token.head.idx, "discl"
    if lowered in MAKE_GO and any(child.text.lower() == "public" for child in token.children):
        return "disclosure", token.idx, "discl"
    if lowered in HAVE and any(child.dep_ == "dobj" and child.text.lower() == "access"
                               for child in token.children) and _intruder_access(token):
        return "incident", token.idx, "acces"
    if lowered in LEARNED and token.i > token.sent.start and (
            lowered != "aware" or token.nbor(-1).text.lower() in ("became", "become")) and (
            lowered not in ("told", "informed") or any(
                child.dep_ == "nsubjpass" for child in token.children)):
        return "discovery", token.idx, "learn"
    if lowered in EXPOSED and not (lowered == "open" and any(
            child.dep_ == "dobj" for child in token.children)):   # "open an inquiry"
        return "incident", token.idx, "expos"
    if SENT.fullmatch(token.text):
        document = _sent_document(token)
        if document:
            return "communication", token.idx, document
    if IMPACT_VERB.fullmatch(token.text) and any(
            child.dep_ in ("dobj", "nsubjpass") and AUDIENCE.fullmatch(child.text)
            for child in token.children):
        return "disclosure", token.idx, "discl"
    return None


def _linked_event(clause) -> tuple[str, int, str | None] | None:
    """A clause verb that is no event word passes its date on to the verbs tied to it:
    a coordinated verb ("On May 2 the package, downloaded daily, was published": the
    parser may make the participle the root) or a "when" clause ("rattled the field in
    May when they found"): both happened at the time the date gives."""
    for child in clause.children:
        if child.dep_ in ("acomp", "attr", "oprd"):     # "had been open for 11 days"
            hit = _event_word(child)
            if hit:
                return hit
    for child in clause.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX", ""):
            hit = _event_word(child)
            if hit:
                return hit
    for child in clause.children:
        if child.dep_ == "advcl" and any(
                grand.lower_ in TIME_MARKERS and grand.dep_ in ("advmod", "mark")
                and grand.i < child.i for grand in child.children):
            hit = _event_word(child)
            if hit:
                return hit
    return None


def _parsed_predicate(parsed, at: int, end: int) -> tuple[str, int, str | None] | None:
    """The event class of the word the date hangs from in the dependency parse."""
    tokens = [t for t in parsed if at <= t.idx < end]
    if not tokens:
        return None
    token = min(tokens, key=lambda t: len(list(t.ancestors)))
    head = token.head
    if head is not token and token.dep_ in NOUN_MODIFIERS and head.i > token.i:
        # "a July 3 cable", "the March 2024 breach": the date is the thing's own, not
        # when the clause's verb happened ("revealed a July 3 cable today")
        hit = _event_word(head)
        if hit:
            return hit
        if DOCUMENTS.fullmatch(head.text):
            return "communication", head.idx, re.sub(r"s$", "", head.lower_.replace("-", ""))[:5]
        return None
    for _ in range(6):
        if token.head is token:
            return None
        token = token.head
        hit = _event_word(token)
        if hit:
            return hit
        if token.dep_ in CLAUSE_HEADS:
            # the date belongs to this clause's verb ("the year that ended"), or to one
            # tied to it
            return _linked_event(token)
    return None


# How a date modifies a noun written after it ("a July 3 cable", "the 2023 breach"); these
# relations only attach to nouns (the pipeline runs no tagger, so there is no POS to read).
NOUN_MODIFIERS = {"compound", "nmod", "amod", "nummod"}


PART_BEFORE = re.compile(r"\b(?:early|late|mid)(?:\s+in|-)?\s*$", re.I)


def _merged_dates(sent, ents=None, starts=None) -> list[tuple[int, int, str]]:
    """DATE entities of a sentence; "Thursday (July 4)" is one date, not two.

    ``ents`` and ``starts``: the document's entities and their start tokens, read once
    by the caller (``sent.ents`` rebuilds all of them on every call)."""
    from aiwire.nlp.doccache import doc_text, sentence_ents

    spans: list[tuple[int, int, str]] = []
    for ent in (sent.ents if ents is None else sentence_ents(ents, starts, sent)):
        if ent.label_ != "DATE":
            continue
        start, end = ent.start_char, ent.end_char
        text = doc_text(sent.doc)
        # "on April 9, two weeks after it detected ...": the tagger runs the date and a
        # length of time together; the date ends at the comma.
        head, comma, tail = text[start:end].partition(", ")
        if comma and is_duration(tail) and DATE_WORDS.search(head):
            end = start + len(head)
        if spans and re.fullmatch(r"\s*[(,]\s*", text[spans[-1][1]:start]):
            spans[-1] = (spans[-1][0], end, text[spans[-1][0]:end].rstrip(")"))
            continue
        part = PART_BEFORE.search(text[max(sent.start_char, start - 20):start])
        if part and not PART.match(ent.text):          # "early in December": the part
            start -= len(part.group())                  # of the month is the date's too
        spans.append((start, end, text[start:end]))
    return _with_later_dates(sent, spans)


# "two days later" and "the next day" in running text, found by their words: the tagger
# calls them a DATE in one context and nothing in the next.
LATER_IN_TEXT = re.compile(r"\b(?:the\s+(?:next|following)\s+(?:day|morning)|(?:\d+|an?|one|"
                           r"two|three|four|five|six|seven|eight|nine|ten)\s+(?:day|week)s?"
                           r"\s+later)\b", re.I)


def _with_later_dates(sent, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    from aiwire.nlp.doccache import span_text

    text = span_text(sent)
    if "later" not in text and "next" not in text and "following" not in text:
        return spans
    added = False
    for match in LATER_IN_TEXT.finditer(text):
        start, end = sent.start_char + match.start(), sent.start_char + match.end()
        if any(s < end and start < e for s, e, _ in spans):
            continue
        spans.append((start, end, match.group()))
        added = True
    return sorted(spans) if added else spans


def date_candidates(sent, text: str, parsed: bool, ents=None, starts=None):
    """The sentence's dates that pass every check made before its parse is read:
    (start in the document, words, whether a length of time, start and end in ``text``).

    ``parsed``: whether the sentence has a parse (a length of time needs one). The
    selective parser asks this with ``parsed=True`` to parse only sentences whose parse
    :func:`find_event_dates` will read; both share this one definition."""
    for ent_start, ent_end, words in _merged_dates(sent, ents, starts):
        duration = is_duration(words)
        if duration and (not parsed or duration_days(words) is None):
            continue       # a length of time counts only when the parse ties it to a verb
        if not (DATE_WORDS.search(words) or later_offset(words)) or VAGUE.match(words) \
                or words.endswith(("'s", "’s")):
            continue
        at, end = ent_start - sent.start_char, ent_end - sent.start_char
        if duration:
            bound = BOUND_BEFORE.search(text[max(0, at - 25):at])
            words = bound.group() + words if bound else words
        if _inside_quotes(text, at):
            continue       # a title or someone's words: 'March 20 outage: what happened'
        before = text[:at].split()
        if len(before) <= 1 and not (before and PREPOSITION.match(before[0].strip(",:"))):
            continue       # a dateline or index stamp opening the paragraph
        yield ent_start, words, duration, at, end


# A date written on the calendar ("June 22", "Sept. 9", "9/11", "2023"): a fact any report
# can get wrong, and what a relative date ("two days later") counts from.
CALENDAR = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
                      re.I)


def find_event_dates(doc, is_body=None) -> list[DatedEvent]:
    """Dates the article gives for events, each with its event class and subject.

    ``is_body(sentence)`` says whether a sentence is running text (not a heading,
    caption or page furniture); dates elsewhere are not facts about the incident.
    """
    from aiwire.nlp.doccache import doc_text, parses, sentences, span_text

    parsed_sentences = parses(doc)
    mentions = sorted(doc._.mentions or [], key=lambda m: m.start)
    found: list[DatedEvent] = []
    ents = doc.ents
    starts = [ent.start for ent in ents]
    full = doc_text(doc)
    anchor: tuple[str, int, int] | None = None     # words, end in the doc, sentence number
    for number, sent in enumerate(sentences(doc)):
        if is_body is not None and not is_body(sent):
            continue
        text = span_text(sent)
        parsed = parsed_sentences.get(sent.start)
        for ent_start, words, duration, at, end in date_candidates(
                sent, text, parsed is not None, ents, starts):
            if not duration and later_offset(words):
                # counted from the last calendar date of its paragraph, in this sentence
                # or the one before; without one it names no day
                if anchor is None or number - anchor[2] > 1 \
                        or "\n" in full[anchor[1]:ent_start]:
                    continue
                words = f"{words.strip()}, after {anchor[0]}"
            elif not duration and CALENDAR.search(words):
                anchor = (words.strip(), ent_start + len(words), number)
            hit = _parsed_predicate(parsed, at, end) if parsed is not None \
                else _predicate(text, at, end)
            if hit is None:
                continue
            predicate, verb_at, stem, told_at = (*hit, None, None)[:4]
            # The subject: the last entity named before the event word, in the sentence;
            # for a party alerted, the party (None for "alerted it").
            subject = None
            for mention in mentions:
                if mention.type in ("TECHNIQUE", "CVE"):
                    continue
                if told_at is not None:
                    if mention.start <= sent.start_char + told_at < mention.end:
                        subject = mention.id
                elif sent.start_char <= mention.start < sent.start_char + verb_at:
                    subject = mention.id
            verb = re.match(r"[A-Za-z]+", text[verb_at:])
            stem = stem or (verb.group().lower()[:5] if verb else "")
            stem = SAME_ACT.get(stem, stem)
            versions = release_versions(text) if predicate == "release" else ""
            if versions:
                stem = f"{stem}@{versions}"                   # compared per version
            found.append(DatedEvent(predicate, words.strip(), subject, text.strip(),
                                    ent_start, stem, duration))
    return found


# ------------------------------------------------------------------ lengths of time

UNIT_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.44,
             "year": 365.25, "decade": 3652.5}
COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4,
               "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
               "eleven": 11, "twelve": 12}
AMOUNT = re.compile(r"(?:(?P<n>\d+(?:\.\d+)?)|(?P<w>an?(?:\s+single)?|one|two|three|four|"
                    r"five|six|seven|eight|nine|ten|eleven|twelve))\s+(?:full\s+)?"
                    r"(?P<unit>minute|hour|day|week|month|year|decade)s?\b", re.I)
BOUND_BEFORE = re.compile(r"\b(?:within|in\s+under|under|in\s+less\s+than|less\s+than|"
                          r"up\s+to|no\s+more\s+than|more\s+than|at\s+least|longer\s+than|"
                          r"over|for|during|across)\s+$", re.I)
AT_MOST = re.compile(r"^(?:within|in\s+under|under|in\s+less\s+than|less\s+than|up\s+to|"
                     r"no\s+more\s+than)\b", re.I)
AT_LEAST = re.compile(r"^(?:more\s+than|at\s+least|longer\s+than)\b", re.I)


def duration_days(expression: str) -> tuple[float, str] | None:
    """A length of time in days and how it is bounded: "within three weeks" -> (21,
    "at_most"), "5 hours and 20 minutes" -> (0.22, "exact"). Vague lengths ("several
    weeks", "a few days") give None."""
    text = re.sub(r"\s+", " ", expression.strip())
    if re.search(r"\b(?:several|few|many|couple|some)\b", text, re.I):
        return None
    total = 0.0
    for match in AMOUNT.finditer(text):
        count = float(match.group("n")) if match.group("n") else \
            COUNT_WORDS[match.group("w").lower().split()[-1]]
        total += count * UNIT_DAYS[match.group("unit").lower()]
    if not total:
        return None
    bound = "at_most" if AT_MOST.match(text) else "at_least" if AT_LEAST.match(text) \
        else "exact"
    return total, bound


DURATION_RATIO = 2.0       # "three weeks" vs "a month" is wording; vs "a year" is not


def durations_conflict(a: tuple[float, str], b: tuple[float, str]) -> bool:
    """Can two lengths of one thing not both be true? Bounds are honoured: "within a
    month" agrees with "two days"; "within three weeks" does not with "a year"."""
    (x, bx), (y, by) = a, b
    for (low, lb), (high, hb) in (((x, bx), (y, by)), ((y, by), (x, bx))):
        if high < low:
            continue
        # low <= high: they conflict when the short one cannot stretch to the long one
        if lb == "at_least" or hb == "at_most":
            return False
        return high >= DURATION_RATIO * low
    return False
