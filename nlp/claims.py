"""Attributed claims: who said what, with the stance their reporting verb gives.

A sentence is a candidate when it holds a reporting cue (said, denied, declined to
comment, did not respond, according to...). Only candidates are dependency-parsed; the
parse gives the speaker (the cue verb's subject, "according to X", "said X" inverted),
resolved to a linked entity, with "the company"/"a spokesperson for X"/"he" resolved
to the last fitting mention. The stance comes from the cue and its negation, and for a
plain "said" from what was said (a denial of harm, an admission, an accusation).

Real pages also speak without a reporting verb, so the document's discourse is read too:
"it" goes on with the paragraph's speaker, the answer to an accusation comes from the
accused, a quote's other sentences belong to its speaker, a name before a colon speaks,
the standfirst under the headline speaks like the headline, and a finder's, notifier's or
judge's verb counts only when what follows takes a side.

The parts live beside this module: the cues in ``cues``, the reading of what was said in
``positions``, who a passage is about and whom a role noun names in ``discourse``, quote
marks in ``quotes``, headlines in ``headlines``; this module parses, finds the speaker and
puts the claims of a page together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from aiwire.nlp.cues import STANCE_CUES
from aiwire.nlp.discourse import (DOCUMENT_AUTHOR, FIRST_PERSON, ORG_HEAD, ROLE_PEOPLE,
                                  SPEAKER_TYPES, Context, described_before, introduced_role,
                                  kb_name, last_before, possessive, salient_before,
                                  surname_match)
from aiwire.nlp.doccache import doc_text, parses, sentences, span_text
from aiwire.nlp.entities import Mention
from aiwire.nlp.headlines import headline_subject, is_standfirst
from aiwire.nlp.kb import domain_ids
from aiwire.nlp.parsing import sentence_role, speaks, title_case
from aiwire.nlp.positions import (ACCUSING, ATTRIBUTION, EVIDENCE, FAKED, INCIDENT,
                                  NEGATED_HARM, RISKS, SUSPICION, VICTIM, WRONGDOING,
                                  said_position)
from aiwire.nlp.quotes import after_quote, bracketed, continues_quote, quote_balance
from aiwire.nlp.words import may_match

__all__ = ["STANCE_CUES", "Claim", "ClaimExtractor", "make_claims"]

NOUN_DEPS = {"dobj", "pobj", "nsubj", "nsubjpass", "compound", "amod", "attr", "appos",
             "npadvmod", "poss", "conj_noun"}
SPEAKER_NOUNS = re.compile(
    r"\b(spokes(?:person|man|woman)|representative|rep|official|executive|lawyer|attorney|"
    r"statement|filing|letter|complaint|lawsuit|report|blog|post|advisory|memo|"
    r"company|firm|group|startup|start-up|lab|department|agency|regulator|bureau|"
    r"bank|platform|vendor|developer|maker|researchers?|team)\b", re.I)
DOCUMENT_NOUNS = re.compile(r"\b(filing|letter|complaint|lawsuit|suit|report|blog|post|"
                            r"advisory|memo|statement|disclosure)\b", re.I)
UNNAMED = re.compile(r"\b(analysts?|experts?|sources?|people|observers?|critics?|"
                     r"investors?|some|others|one|many|users?|customers?)\b", re.I)
# An unnamed speaker is kept only when the text presents it as a source.
UNNAMED_SOURCE = re.compile(r"\b(sources?\s+(?:said|say|says|told|familiar|close|with)|"
                            r"(?:according\s+to|citing)\s+(?:\w+\s+){0,2}sources?|"
                            r"people\s+familiar|person\s+familiar|one\s+of\s+the\s+people|"
                            r"people\s+(?:close|briefed)|officials?\s+familiar|(?-i:insiders))\b",
                            re.I)
# An unnamed source placed near an organisation speaks for nobody we can name.
UNNAMED_NEAR = re.compile(r"\b(?:person|people|sources?|someone|insiders?|individuals?)\s+"
                          r"(?:close\s+to|familiar\s+with|briefed\s+(?:on|by)|inside|"
                          r"with\s+knowledge\s+of)\b", re.I)
RESPONSES = {"denies", "declines_to_comment", "no_statement"}
SUBSTANTIVE = {"alleges", "denies", "confirms", "declines_to_comment", "no_statement"}
PRONOUN_ORG = re.compile(r"^(it|its|the\s+(?:company|firm|group|startup|start-up|lab|"
                         r"bank|platform|vendor|developer|maker|business|agency|regulator|"
                         r"department|bureau|organisation|organization))$", re.I)
PRONOUN_PERSON = re.compile(r"^(he|she|him|her)$", re.I)
HEDGES = re.compile(r"\b(allegedly|reportedly|apparently|may\s+have|might\s+have|"
                    r"appears?\s+to|seems?\s+to|is\s+believed|are\s+believed|"
                    r"people\s+familiar|unconfirmed|purportedly|according\s+to\s+sources)\b",
                    re.I)
CLAUSE_VERB_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl",
                    "pcomp", "csubj", "dep"}


@dataclass
class Claim:
    speaker: str | None
    stance: str
    verb: str
    quote: str
    start: int          # sentence start offset in doc.text
    hedged: bool = False
    target: str | None = None


if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)


ENFORCEMENT = re.compile(r"\b(?:bann(?:ed|ing)|bans|suspend(?:ed|s|ing)|disrupt(?:ed|s|ing)|"
                         r"took\s+down|takes\s+down|shut\s+down|terminat(?:ed|es)|"
                         r"nam(?:ed|es|ing)|identif(?:ied|ies|ying)|uncover(?:ed|s))\b", re.I)


# A firm notifying people: a statement when it tells of an incident ("notified users that
# their emails had been exposed"), nothing otherwise.
NOTICE = re.compile(r"\b(?:notif(?:ied|ies|ying)|inform(?:ed|s|ing)|alert(?:ed|s|ing)|"
                    r"e-?mailed)\b(?=\s+(?:\w+\s+){0,5}?(?:that|of|about)\b)", re.I)
HARM_WORD = re.compile(r"\b(?:expos|breach|compromis|hack|leak|stol|steal|access)\w*", re.I)
# Judging someone's conduct: "called Orbix's checks 'badly insufficient'" accuses Orbix; a
# judgement that takes no side is no statement.
JUDGING = re.compile(r"\b(?:call(?:ed|s|ing)|slamm(?:ed|ing)|slams|blast(?:ed|s|ing)|"
                     r"criticis(?:ed|es|ing)|criticiz(?:ed|es|ing)|fault(?:ed|s|ing)|"
                     r"rapp(?:ed|ing))\b", re.I)
# Finding malware is an accusation of whoever planted it, named or not: "researchers
# discovered a malicious package that forwarded every email".
MALICIOUS = re.compile(r"\b(?:malicious|malware|backdoor(?:ed|s)?|trojani[sz]ed|"
                       r"cryptominers?|info-?stealers?|spyware)\b", re.I)
# A researcher finding someone's data open is an accusation even without a reporting verb:
# "Kestrel identified an unsecured database belonging to Orbix".
FINDING = re.compile(r"\b(?:identified|discovered|uncovered|spotted|detected)\b", re.I)
EXPOSED_STATE = re.compile(r"\b(?:unsecured|unprotected|unauthenticated|without\s+(?:any\s+)?"
                           r"(?:authentication|a\s+password|password\s+protection)|"
                           r"(?:publicly|openly)\s+(?:accessible|exposed|available)|"
                           r"left\s+(?:\w+\s+){0,4}?(?:open|exposed|unprotected|accessible))\b",
                           re.I)


# Banning accounts "it believes belong to X" names whose they are: an accusation.
OWNED_BY = re.compile(r"\b(?:believ\w+|thinks?|assess\w*|suspect\w*)\s+(?:were\s+|are\s+|to\s+)?"
                      r"(?:belong\w*|be\s+operated|operated|run)\s+(?:to|by)\b", re.I)


def _cue_matches(text: str) -> list[tuple[str, re.Match]]:
    """Stance cues in a sentence, strongest first, without overlaps.

    (speed only) A pattern is not searched when the sentence lacks a word every match of
    it needs (``words.may_match``: ASCII text only); none of these patterns has a literal
    prefix, so each search tries every position of every speaking sentence."""
    found: list[tuple[str, re.Match]] = []
    taken: list[tuple[int, int]] = []
    lowered = text.lower() if text.isascii() else None

    def holds(pattern: re.Pattern) -> bool:
        return may_match(pattern, lowered) and pattern.search(text) is not None

    cues = list(STANCE_CUES)
    positions = [p for stance, p in STANCE_CUES if stance in SUBSTANTIVE
                 and may_match(p, lowered)]
    if (holds(ACCUSING) or holds(OWNED_BY) or
            re.search(r"\balleged\b", text, re.I)) and not any(m.group().lower() not in ("alleged", "allegedly")
                                         for p in positions for m in p.finditer(text)):
        cues.insert(4, ("alleges", ENFORCEMENT))
    if holds(EXPOSED_STATE) or holds(MALICIOUS):
        cues.append(("reports", FINDING))    # kept only if it finds someone exposed or malware
    if holds(INCIDENT) or holds(HARM_WORD) or (holds(VICTIM) and holds(FAKED)):
        cues.append(("reports", NOTICE))     # kept only if it tells of an incident
    if holds(SUSPICION) or holds(RISKS):
        cues.append(("reports", JUDGING))    # kept only if the judgement takes a side
    for stance, pattern in cues:
        if not may_match(pattern, lowered):
            continue
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            found.append((stance, match))
            taken.append(span)
    found.sort(key=lambda item: item[1].start())
    # "rejects claims", "denied the allegations": the word after a denial is its object
    return [(stance, match) for i, (stance, match) in enumerate(found)
            if not (i and found[i - 1][0] == "denies" and stance in ("alleges", "reports") and
                    re.fullmatch(r"\s+(?:the\s+|these\s+|those\s+|such\s+|all\s+)?",
                                 text[found[i - 1][1].end():match.start()]))]


class ClaimExtractor:
    def __init__(self) -> None:
        self.tok2vec = None
        self.parser = None

    def use_parser(self, tok2vec, parser) -> None:
        self.tok2vec, self.parser = tok2vec, parser

    def _parse(self, sent: Span, mentions: list[Mention]) -> Doc:
        if title_case(span_text(sent)) and self.parser is not None:
            return self._parse_headline(sent, mentions)
        parsed = parses(sent.doc).get(sent.start)
        if parsed is None:       # the component used alone, without aiwire_parse
            parsed = sent.as_doc()
            if self.tok2vec is not None and self.parser is not None:
                parsed = self.parser(self.tok2vec(parsed))
        return parsed

    def _parse_headline(self, sent: Span, mentions: list[Mention]) -> Doc:
        """A Title-Case line parses upside down ("Accuses" as a name): parse it with every
        word that is not part of a name lower-cased, offsets unchanged."""
        lo = sent.start_char
        names = [(m.start, m.end) for m in mentions if lo <= m.start < sent.end_char]
        words, spaces = [], []
        for token in sent:
            inside = any(a <= token.idx < b for a, b in names)
            words.append(token.text if inside or token.text.isupper() else token.text.lower())
            spaces.append(bool(token.whitespace_))
        doc = Doc(sent.doc.vocab, words=words, spaces=spaces)
        return self.parser(self.tok2vec(doc))

    def __call__(self, doc: Doc) -> Doc:
        mentions: list[Mention] = doc._.mentions or []
        claims: list[Claim] = []
        context = Context(doc, mentions)
        self._so_far = claims                 # speakers earlier in the paragraph
        self._sents = sentences(doc)
        text = doc_text(doc)
        quoting: str | None = None            # who speaks inside a quote still open
        unclaimed: list[Span] = []            # this paragraph's quoted lines, no speaker yet
        paragraph = -1
        for sent in sentences(doc):
            here = text.rfind("\n", 0, sent.start_char + len(span_text(sent)) -
                              len(span_text(sent).lstrip()))
            if here != paragraph:
                paragraph, quoting, unclaimed = here, None, []   # a new paragraph: quotes end
            role = sentence_role(doc, sent)
            if not speaks(role) and not (role == "heading" and is_standfirst(doc, sent)):
                continue         # section headings, captions, share boxes say nothing
            own = span_text(sent)
            cues = _cue_matches(own)
            if not cues:
                if quoting:
                    # '... said: "We are aware of it. No data was taken."': the quote's
                    # later sentences are the same speaker's
                    claims.extend(_quoted_claim(sent, quoting, context, claims))
                    if quote_balance(own) < 0:
                        quoting = None
                    continue
                if quote_balance(own) > 0 or unclaimed:
                    unclaimed.append(sent)
                claims.extend(_colon_claim(sent, context))
                continue
            parsed = self._parse(sent, mentions)
            found: list[Claim] = []
            self._said_here = found           # "X claimed ..., and it claimed ...": it = X
            for stance, match in cues:
                found.extend(self._claim(doc, sent, parsed, stance, match, context))
            found = _first_person(found)
            if not any(c.speaker and c.speaker not in (FIRST_PERSON, DOCUMENT_AUTHOR)
                       for c in found):
                # 'Orbix: "We have found no evidence ..."': the name before the colon speaks
                found = _colon_claim(sent, context) or found
            claims.extend(found)
            speaker = next((c.speaker for c in found if c.speaker and
                            c.speaker not in (FIRST_PERSON, DOCUMENT_AUTHOR)), None)
            if speaker and unclaimed and continues_quote(own[:cues[0][1].start()]):
                # '"No data was taken. We are investigating," the company said.'
                for earlier in unclaimed:
                    claims.extend(_quoted_claim(earlier, speaker, context, claims))
            unclaimed = []
            quoting = speaker if speaker and quote_balance(own) > 0 else None
        claims = _relays_report(_first_person_nearby(claims, doc_text(doc)), mentions,
                                doc_text(doc))
        doc._.claims = _fold(_resolve_documents(_dedupe(claims), mentions))
        return doc

    def _paragraph_speaker(self, doc: Doc, position: int) -> str | None:
        """The last named speaker earlier in this paragraph (before any folding)."""
        text = doc_text(doc)
        start = text.rfind("\n", 0, position) + 1
        for claim in reversed(getattr(self, "_so_far", [])):
            if start <= claim.start < position and claim.speaker and \
                    claim.speaker not in (FIRST_PERSON, DOCUMENT_AUTHOR):
                return claim.speaker
        return None

    def _accused_before(self, position: int, mentions: list[Mention]) -> str | None:
        """The organisation the latest accusation before here was made against."""
        orgs = {m.id for m in mentions if m.type == "ORG"}
        for claim in reversed(getattr(self, "_so_far", [])):
            if claim.start < position and claim.stance == "alleges" and claim.target in orgs \
                    and claim.target != claim.speaker:
                return claim.target
        return None

    def _thing_before(self, sent: Span) -> bool:
        """Whether the previous sentence of the paragraph is about a thing ("The payload
        is plain text."): its subject a common noun naming no entity, so "it" is that."""
        sents = getattr(self, "_sents", [])
        index = next((i for i, s in enumerate(sents) if s.start == sent.start), 0)
        if index == 0:
            return False
        prev = sents[index - 1]
        text = doc_text(sent.doc)
        if "\n" in text[prev.end_char:sent.start_char] or "\n" in span_text(prev).strip():
            return False             # another paragraph: nothing carries over
        parsed = parses(sent.doc).get(prev.start)
        if parsed is None:
            if self.parser is None or self.tok2vec is None:
                return False
            parsed = self.parser(self.tok2vec(prev.as_doc()))
        root = next((t for t in parsed if t.dep_ == "ROOT"), None)
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) \
            if root is not None else None
        if subject is None or not subject.text.isalpha() or not subject.text.islower() or \
                subject.lower_ in ("it", "they", "he", "she", "we", "who", "this", "that"):
            return False         # (the claims parse carries no tags: read the words)
        words = list(subject.subtree)
        phrase = " ".join(t.text for t in words)
        return not (SPEAKER_NOUNS.search(phrase) or PRONOUN_ORG.match(subject.text) or
                    ORG_HEAD.match(subject.text) or STAFF.match(subject.text) or
                    any(t.text[:1].isupper() for t in words[1:]))

    # --- one cue --------------------------------------------------------------
    def _claim(self, doc: Doc, sent: Span, parsed: Doc, stance: str, match: re.Match,
               context: "Context") -> list[Claim]:
        mentions = context.mentions
        dismissal = "cop" in match.re.groupindex and match.group("cop")
        cue = _token_at(parsed, match.start("cop") if dismissal else match.start())
        if cue is None:
            return []
        if dismissal:
            # "X said the accusations were groundless": X speaks through "said"
            if cue.dep_ in ("ccomp", "conj", "xcomp") and cue.head.i != cue.i:
                cue = cue.head
            else:
                return []
        relayed = match.group().lower().startswith("according")
        head = _clause_head(cue)
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in head.children):
            return []            # "if we said ...": a hypothetical, not a statement
        if any(c.lower_ in WH_WORDS and c.i < cue.i and c.dep_ in ("dobj", "advmod", "nsubj")
               for c in list(cue.children) + list(head.children)):
            return []            # "we discuss what the report reveals": what, it does not say
        if head.dep_ == "relcl" and not any(c.dep_ in ("ccomp", "xcomp") for c in head.children) \
                and not any(c.dep_ in ("nsubj", "nsubjpass") and
                            c.lower_ in ("who", "which", "that") for c in head.children):
            return []            # "the book the CEO had recommended": a thing, not a statement
        if head.dep_ == "relcl" and stance == "reports" and any(
                c.dep_ == "nsubj" and c.lower_ == "which" for c in head.children) and \
                not any(c.dep_ == "ccomp" for c in head.children):
            return []            # "Kestrel, which found the bug, has 40 staff": an aside
        if any(c.dep_ in ("dobj", "nsubj") and any(d.lower_ in ("which", "what") and
                                                   d.dep_ == "det" for d in c.children)
               for c in list(cue.children) + list(head.children)):
            return []            # "asked which book he had recommended": a question
        if any(c.lower_ in ACCIDENTAL for c in list(cue.children) + list(head.children)):
            return []            # "inadvertently disclosed 38TB of data": a leak
        if cue.lower_ in ("added", "adds") and any(c.dep_ == "dobj" for c in cue.children):
            return []            # "the developer added a line of code": a thing added
        if cue.lower_ in ("finds", "find") and cue.i + 1 < len(parsed) and \
                parsed[cue.i + 1].dep_ == "dobj" and parsed[cue.i + 1].text.isalpha() and \
                parsed[cue.i + 1].text.islower():
            return []            # "the scanner finds secrets": what a tool does, not news
        if title_case(span_text(sent)) and " " not in match.group().strip() and \
                not re.search(r"[A-Za-z]", span_text(sent)[match.end():]):
            return []            # "... Amid Model Theft Claims": a headline's last word is a noun
        lead = headline_subject(sent, match, mentions)
        if stance in ("alleges", "denies", "confirms", "reports") and cue.dep_ in NOUN_DEPS \
                and not relayed and not dismissal and lead is None:
            return []            # "the claims", "a denial": a noun, not a statement
        if stance == "confirms":
            after = span_text(sent)[match.end():]
            negated = NEGATED_HARM.search(after)
            if negated and not INCIDENT.search(after[:negated.start()]):
                stance = "denies"   # "confirmed that its systems were not compromised"
        if stance == "alleges" and cue.lower_.startswith("claim") and _self_claim(cue):
            stance = "reports"   # "the startup claims to have spent $6m": about itself
        if _negated(cue):
            if stance in ("denies", "alleges"):
                stance = "reports"
            elif stance in ("confirms", "reports"):
                stance = "no_statement"     # "has not confirmed", "has not disclosed"
        offset = sent.start_char
        self._team_speaker = self._role_speaker = False
        speaker = lead or self._speaker(doc, sent, parsed, cue, match, context, stance)
        text = span_text(sent).strip()
        if not speaker and not UNNAMED_SOURCE.search(text):
            return []            # "it was confirmed", "we could not confirm": nobody speaking
        speaker = speaker or None
        target = _complement_target(parsed, cue, offset, mentions, speaker)
        hedged = bool(HEDGES.search(text))
        stances = [stance]
        if stance == "alleges" and cue.lower_.startswith(("blam", "attribut")) and \
                (not target or target == speaker):
            stances = ["reports"]    # "blamed the outage on human error": nobody accused
        if stance == "reports" and match.group().lower().startswith("according") and \
                speaker == DOCUMENT_AUTHOR:
            # what a filing or memo says takes its side by the same reading; only an
            # accusation is kept (the author is known only once the article is read)
            stances, hedged = said_position(stance, hedged, speaker, target, span_text(sent),
                                            match, context, offset)
            if stances != ["alleges"]:
                return []
        if stance == "reports" and speaker not in (None, FIRST_PERSON, DOCUMENT_AUTHOR) \
                and speaker not in domain_ids("news"):
            # what a news organisation reports is relayed, never its own position
            stances, hedged = said_position(stance, hedged, speaker, target, span_text(sent),
                                            match, context, offset)
        if self._role_speaker and speaker and set(stances) <= RESPONSES and not (
                stances == ["declines_to_comment"] and "comment" not in match.group().lower()):
            # (declining to say how many accounts it banned may be the accuser's reticence)
            # "X accused Y ... The company declined to comment": whoever answers an
            # accusation is the accused, not whichever firm the passage names most
            accused = self._accused_before(offset, mentions)
            if accused and accused != speaker:
                speaker = accused
        if INTERNAL.search(text):
            # told staff or the board, not the public: a report, not a public admission
            stances = ["reports" if one == "confirms" else one for one in stances]
        if match.re in (NOTICE, JUDGING) and "reports" in stances:
            return []            # "notified regulators on Friday": no position, no statement
        if match.re is FINDING and stances == ["reports"]:
            found = span_text(sent)[match.end():]
            if MALICIOUS.search(found) and not NEGATED_HARM.search(found):
                pass             # "discovered a malicious package": whoever planted it
            elif not target or target == speaker:
                return []        # a finding that accuses nobody is no statement
            stances = ["alleges"]   # "identified an unsecured database belonging to Y"
        if self._team_speaker and stances == ["reports"]:
            return []            # a firm's researchers speak for it only to take a position
        if speaker is None:
            # an unnamed source is kept for a position it takes ("according to people
            # familiar, the weights were stolen"), not for a plain report nobody can own
            if stance == "reports" and THEFT.search(text) and not NEGATED_HARM.search(text):
                stances, hedged = ["alleges"], True
            stances = [one for one in stances if one != "reports"]
        return [Claim(speaker=speaker, stance=one, verb=match.group().lower(), quote=text,
                      start=offset, hedged=hedged, target=target) for one in stances]

    def _speaker(self, doc: Doc, sent: Span, parsed: Doc, cue: Token, match: re.Match,
                 context: "Context", stance: str) -> str | None | bool:
        mentions = context.mentions
        offset = sent.start_char
        cue_at = offset + match.start()
        if match.group().lower().startswith("according"):
            to = next((t for t in parsed if t.idx >= match.start() and t.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if obj is None:
                return None
            lo = offset + obj.left_edge.idx
            hi = offset + obj.right_edge.idx + len(obj.right_edge.text)
            hi = min(hi, offset + match.end() + 60)
            for clause in (c for c in obj.children if c.dep_ in ("relcl", "acl")):
                # "according to a message that a manager received from X": the message
                hi = min(hi, offset + clause.left_edge.idx)
            inside = [m for m in mentions if lo <= m.start < hi and m.type in SPEAKER_TYPES]
            if inside:
                return inside[0].id
            if obj.dep_ == "pobj" and DOCUMENT_NOUNS.fullmatch(obj.lower_) and \
                    obj.lower_ not in ("report", "post"):
                # "according to the filing": its author, settled once the article is read
                return DOCUMENT_AUTHOR
            return None
        if stance == "no_statement" and "nfrom" in match.re.groupindex and match.group("nfrom"):
            # "No public response from DeepSeek yet": whoever comes after "from"
            after = [m for m in mentions if m.type in SPEAKER_TYPES and
                     0 <= m.start - (offset + match.end()) <= 4]
            return after[0].id if after else None
        if stance == "no_statement" and "unans" in match.re.groupindex and match.group("unans"):
            # "Requests for comment to Orbix went unanswered": the one asked is silent
            asked = [m for m in mentions if m.type in SPEAKER_TYPES and
                     offset <= m.start < cue_at and m.id not in domain_ids("news")]
            return asked[0].id if asked else None
        if stance == "no_statement":
            # "We contacted Alibaba for comment but have not had a reply": Alibaba is silent
            asked = ASKED.search(span_text(sent)[:match.start()])
            if asked:
                named = [m for m in mentions if offset + asked.end() <= m.start
                         < offset + asked.end() + 40 and m.type in SPEAKER_TYPES]
                if named:
                    return named[0].id
        verb = _clause_head(cue)
        earlier = [c.speaker for c in getattr(self, "_said_here", []) if c.speaker and
                   c.speaker not in (FIRST_PERSON, DOCUMENT_AUTHOR)]
        if verb.dep_ == "conj" and SAY_VERBS.match(verb.text) and earlier and \
                not SAY_VERBS.match(verb.head.text) and verb.head.i > 0:
            # "X told the paper that Y copied it and added, ...": the parse hangs "added"
            # on what was said, but the one adding is still X
            return earlier[-1]
        if stance != "no_statement" and any(c.dep_ == "auxpass" for c in verb.children) and \
                not any(c.dep_ == "agent" for c in verb.children):
            return None          # "the flaw ... has been patched": by whom is not said
        subject = _subject_of(verb)
        if subject is None and stance in RESPONSES and earlier and _said_by_another(cue):
            # "The official said no further details could be shared": the one saying it
            return earlier[-1]
        if subject is None:
            # "..., said Alibaba" parses with the name as a dobj or npadvmod: only a name
            # right next to the cue speaks, never one elsewhere in the sentence
            cue_end = offset + match.end()
            inverted = SAY_VERBS.match(match.group())
            near = [m for m in mentions if m.type in SPEAKER_TYPES and (
                (inverted and 0 <= m.start - cue_end <= 12) or 0 <= cue_at - m.end <= 3)]
            if near:
                return min(near, key=lambda m: abs(m.start - cue_at)).id
            return None
        if subject.dep_ == "nsubjpass" and stance != "no_statement" and \
                not (verb.dep_ == "relcl" and subject.i == verb.head.i):   # "X, which denied"
            return None          # "the app was found to leak", "it was disclosed": no speaker
        lo = subject.left_edge.idx + offset
        hi = subject.right_edge.idx + len(subject.right_edge.text) + offset
        if subject.i < verb.i:
            # a subject before its verb ends there: the parser sometimes hangs a later
            # phrase on it ("the worm writes files: a config that hooks X's event")
            hi = min(hi, offset + verb.idx)
            # '"... a member of Congress," a cable stated': the parser may hang the quote
            # on the subject; the speaker is named after the quote closes
            lo = after_quote(doc_text(doc), lo, hi, offset + subject.idx)
        # a news organisation in a clause on the subject relays it: "the memo, which
        # was first reported by Bloomberg, claims" is the memo's author speaking (but
        # "the seller, who posts as Nocturne," and "a survey by Ardent Risk" name theirs)
        clauses = [(offset + t.left_edge.idx, offset + t.right_edge.idx + len(t.right_edge.text))
                   for t in subject.subtree if t.dep_ in ("relcl", "acl") and t is not subject]
        relays = [m for m in mentions if m.id in domain_ids("news")
                  and any(a <= m.start < b for a, b in clauses)]
        inside = [m for m in mentions if lo <= m.start < hi and m.type in SPEAKER_TYPES
                  and m not in relays and not bracketed(doc_text(doc), lo, m.start)]
        head_text = subject.text
        phrase = doc_text(doc)[lo:hi]
        if bracketed(doc_text(doc), offset, offset + subject.idx):
            return None          # the parse took a word inside brackets for the subject
        if THING_HEAD.match(head_text) and not any(
                m.start <= offset + subject.idx < m.end for m in inside):
            return None          # "a Google search revealed ...": a thing used, not a speaker
        if UNNAMED_NEAR.search(phrase):
            return None          # "one person close to OpenAI said": not OpenAI speaking
        for m in relays:
            if lo <= m.start and m.end <= hi:
                phrase = phrase[:m.start - lo] + " " * (m.end - m.start) + phrase[m.end - lo:]
        inside = [m for m in inside if not POSING.search(doc_text(doc)[max(lo, m.start - 20):
                                                                        m.start])]
        head_at = offset + subject.idx
        if inside and any(m.type == "PERSON" and m.end <= head_at and
                          not doc_text(doc)[m.end:head_at].strip() for m in inside) and \
                POSER.match(head_text):
            return None          # "the Bell impersonator told him": not Bell speaking
        if inside:
            own = [m for m in inside if m.start <= offset + subject.idx < m.end]
            if own and own[0].type == "PERSON" and not re.search(r"spokes|representative",
                                                                     phrase, re.I):
                return own[0].id     # "the czar's appointee Ada Bell said": Ada Bell
            if own and len(inside) > 1 and own[0].type != "PERSON" and \
                    not any(m.type == "PERSON" for m in inside):
                return own[0].id     # "Microsoft-backed Orbix said": the subject's own name
            people = [m for m in inside if m.type == "PERSON"]
            if people and ORG_HEAD.match(head_text) and \
                    not any(offset + subject.idx <= m.start for m in people):
                # "the Altman-led company claimed": the company speaks, not its leader
                orgs = [m for m in inside if m.type != "PERSON"]
                return orgs[0].id if orgs else context.actor_at(lo)
            if people and not re.search(r"spokes|representative", phrase, re.I):
                return people[0].id
            team = head_text.lower() in TEAMS and inside[0].type == "ORG" and \
                stance == "reports" and subject.dep_ == "nsubj"
            if not people and STAFF.match(head_text) and not team:
                return None      # "an OpenAI engineer claimed": a person, not the company
            self._team_speaker = team
            # "a spokesperson for Alibaba", "Anthropic's lawyers": the organisation
            return inside[0].id
        if stance in SUBSTANTIVE:
            # "China has denied the allegations": a state named for its government
            state = [m for m in mentions if m.type == "GPE" and lo <= m.start and m.end <= hi
                     and re.fullmatch(r"(?:the\s+)?" + re.escape(m.text), phrase.strip(), re.I)]
            if state:
                return state[0].id
        if head_text.lower() in ("we", "i", "us"):
            if stance == "no_statement" and not _in_quotes(sent):
                return None      # "we will update this story if we hear back": the outlet
            return FIRST_PERSON
        if subject.text.istitle() and subject.left_edge.i == subject.right_edge.i:
            person = surname_match(subject.text, mentions, lo)
            if person:
                return person        # "Philips said" after "Rep. Dean Phillips": a typo
        known = kb_name(phrase)
        if known:
            return known             # a known name the linker missed (lower case, mojibake)          # a quote's "we": whoever the sentence quotes
        if PRONOUN_PERSON.match(head_text):
            # "When asked about Ada's reaction, she said": the one asked about is not "she"
            return last_before([m for m in mentions if not (
                m.start >= offset and possessive(doc_text(doc), m))], lo, {"PERSON"})
        if head_text.lower() == "group":
            return context.group_at(lo)
        if PRONOUN_ORG.match(phrase.strip()) or PRONOUN_ORG.match(head_text):
            if head_text.lower() == "it" and stance == "reports" and \
                    not SAY_VERBS.match(match.group()):
                return None      # "it reveals the potential": a finding, not a speaker
            here = [c.speaker for c in getattr(self, "_said_here", []) if c.speaker and
                    c.speaker not in (FIRST_PERSON, DOCUMENT_AUTHOR)]
            if head_text.lower() == "it" and here:
                return here[-1]
            if here and _said_by_another(cue):
                # "A Microsoft spokesperson said the company was aware of it": the company
                # in what a firm's spokesperson says is that firm
                return here[-1]
            if head_text.lower() == "it" and stance == "reports":
                # "The group said ... It also stated": the paragraph's speaker goes on;
                # "The payload is plain text. It says: ...": a thing, nobody speaking
                prior = self._paragraph_speaker(doc, offset)
                if prior:
                    return prior
                if self._thing_before(sent):
                    return None
            self._role_speaker = True
            return context.actor_at(lo)
        if DOCUMENT_NOUNS.search(phrase) and not SPEAKER_NOUNS.search(
                re.sub(DOCUMENT_NOUNS, "", phrase)):
            if head_text.lower() in ("report", "reports"):
                return None      # "the report notes": the press's report, no party's paper
            return DOCUMENT_AUTHOR       # "the letter argues": resolved once the doc is read
        role = SPEAKER_NOUNS.search(phrase)
        if role and role.group(1)[:1].isupper() and re.search(
                r"\s(?!(?:The|A|An|This|That|Its|Their|Our)\s)[A-Z][\w&.-]*\s+$", " " + phrase[:role.start()]):
            return None          # "Fast Company reported": a name nobody linked, no role noun
        if SPEAKER_NOUNS.search(phrase):
            noun = SPEAKER_NOUNS.search(phrase).group(1).lower()
            named = [m for m in mentions if m.start < lo and m.type == "ORG"
                     and noun in m.name.lower()]
            if named:
                return named[-1].id
            described = described_before(phrase, mentions, doc_text(doc), lo)
            if described:
                return described     # "the security firm" after "cloud security firm Wiz"
            if noun == "group":
                return context.group_at(lo)
            if noun in ROLE_PEOPLE and re.match(r"(?:the|this|that)\b", phrase.strip(), re.I):
                introduced = introduced_role(noun, doc_text(doc), mentions, lo)
                if introduced:
                    return introduced    # "a State Department official said ... The official"
            if noun == "official" and not re.search(r"\s[A-Z]|(?i:\b(?:former|ex-|retired))",
                                                    phrase.strip()):
                # "A senior official confirmed" in a passage about an agency: its official
                # (not "a Ruritanian official", whose modifier names someone else)
                actor = context.actor_at(lo)
                if actor and context.is_authority(actor):
                    return actor
            if noun in ("spokesperson", "spokesman", "spokeswoman", "representative", "rep",
                        "statement") and continues_quote(span_text(sent)[:match.start()]):
                # '"... fire first," a spokesperson said.' closing a quote that opened in
                # an earlier sentence: the spokesperson of whoever that quote belongs to
                prior = self._paragraph_speaker(doc, offset)
                if prior:
                    return prior
            if noun in ("spokesperson", "spokesman", "spokeswoman", "representative", "rep",
                        "statement", "company", "firm", "startup", "start-up", "lab"):
                self._role_speaker = True
                return context.actor_at(lo)
            return None
        if UNNAMED.search(phrase):
            return None
        return None


SAY_VERBS = re.compile(r"(said|says|say|told|tells|added|adds|stated|wrote|writes|noted|"
                       r"explained|warned)$", re.I)
# People named by their job only: they speak for themselves, not for the employer named
# beside them ("an OpenAI engineer"), unlike a spokesperson.
STAFF = re.compile(r"^(?:employees?|engineers?|managers?|researchers?|staff(?:ers?)?|workers?|"
                   r"members?|developers?|scientists?|analysts?|contractors?|insiders?)$", re.I)
# A firm's research team publishing a finding speaks for the firm ("Kestrel researchers
# say", "researchers at Kestrel said"), unlike one engineer giving a view.
TEAMS = {"researchers", "analysts", "team", "teams"}
POSER = re.compile(r"^(?:impersonators?|impost[eo]rs?|deepfakers?|fakers?|clones?|"
                   r"look-?alikes?|doubles?|avatars?|bots?)$", re.I)
# Someone posing as a person is not that person: "the fake Ada Bell", "the Bell impersonator".
POSING = re.compile(r"\b(?:fake|bogus|supposed|purported|cloned|deepfaked?|phony|sham)\s+$",
                    re.I)
# "inadvertently disclosed 38TB": data let out by mistake, not a statement.
ACCIDENTAL = {"inadvertently", "accidentally", "unintentionally", "mistakenly", "unwittingly"}
ASKED = re.compile(r"\b(?:contacted|reached\s+out\s+to|asked|approached|emailed|"
                   r"requested\s+comment\s+from)\s+(?:the\s+)?$|\b(?:contacted|reached\s+out\s+to|"
                   r"asked|approached|emailed)\b", re.I)


def _first_person(found: list[Claim]) -> list[Claim]:
    """'"We can confirm ...," Arup told the FT': the quote's "we" is the sentence's speaker."""
    named = [c.speaker for c in found if c.speaker and c.speaker != FIRST_PERSON]
    for claim in found:
        if claim.speaker == FIRST_PERSON and named:
            claim.speaker = named[0]
    return found


def _first_person_nearby(claims: list[Claim], text: str) -> list[Claim]:
    """A quote that runs over sentences: its "we" is whoever the paragraph quotes next
    (or, failing that, last); with nobody named in the paragraph it is dropped."""
    out = []
    for index, claim in enumerate(claims):
        if claim.speaker != FIRST_PERSON:
            out.append(claim)
            continue
        start = text.rfind("\n", 0, claim.start) + 1
        end = text.find("\n", claim.start)
        end = len(text) if end < 0 else end
        same = [c for c in claims if start <= c.start < end and c.speaker and
                c.speaker not in (FIRST_PERSON, DOCUMENT_AUTHOR)]
        after = [c for c in same if c.start > claim.start]
        before = [c for c in same if c.start < claim.start]
        source = after[0] if after else (before[-1] if before else None)
        if source is not None:
            claim.speaker = source.speaker
            out.append(claim)
    return out


TOLD_TO = re.compile(r"\b(?:told|tells|telling|speaking\s+to|in\s+an\s+interview\s+with)\s+"
                     r"(?:the\s+)?$", re.I)


def _relays_report(claims: list[Claim], mentions: list[Mention], text: str) -> list[Claim]:
    """Whoever the article's people speak to ("told the FT") is a relay in this article:
    what it says is reported, it never takes a side."""
    relays = {m.id for m in mentions if TOLD_TO.search(text[max(0, m.start - 30):m.start])}
    for claim in claims:
        if claim.speaker in relays and claim.stance in ("confirms", "denies", "alleges"):
            claim.stance = "reports"
    return claims


# "Kestrel: Orbix left its database open": a line that gives its speaker before a colon.
COLON_SPEAKER = re.compile(r"^\s*(?P<who>[^:\n]{2,60}?)\s*:\s+(?=\S)")


def _colon_claim(sent: Span, context: "Context") -> list[Claim]:
    """A speaker's name, a colon, then what they say: a position when what follows takes
    one (a plain statement after a name may be a label, "Orbix: a history", so it is not
    kept)."""
    text = span_text(sent)
    match = COLON_SPEAKER.match(text)
    if match is None:
        return []
    offset = sent.start_char
    lo, hi = offset + match.start("who"), offset + match.end("who")
    who = [m for m in context.mentions if m.start == lo and m.end == hi and
           m.type in SPEAKER_TYPES and m.id not in domain_ids("news")]
    if not who:
        return []
    speaker = who[0].id
    after = [m for m in context.mentions if offset + match.end() <= m.start < offset + len(text)
             and m.id != speaker and m.type in SPEAKER_TYPES]
    target = after[0].id if after else None
    stances, hedged = said_position("reports", bool(HEDGES.search(text)), speaker, target,
                                    text, match, context, offset)
    return [Claim(speaker=speaker, stance=one, verb=":", quote=text.strip(), start=offset,
                  hedged=hedged, target=target) for one in stances if one in SUBSTANTIVE]


def _quoted_claim(sent: Span, speaker: str, context: "Context",
                  claims: list[Claim]) -> list[Claim]:
    """A quoted sentence whose speaker is named in the sentence before or after it: the
    denial of the party the story is about or was accused ('"... No customer data was
    accessed," the company said'). Other quoted lines (a researcher's colour, an
    executive's lesson) are left alone: without their own verb they are too loose to read."""
    accused = {c.target for c in claims if c.stance == "alleges" and c.target}
    accusers = {c.speaker for c in claims if c.stance == "alleges"}
    text = span_text(sent)
    # ... and the one impersonated telling of it ('"... using my falsified voice ...,"')
    victim = bool(VICTIM.search(text) and FAKED.search(text))
    if speaker not in accused and (speaker != context.main_actor or speaker in accusers) \
            and not victim:
        return []
    start = re.compile(r"^").match(text)
    offset = sent.start_char
    after = [m for m in context.mentions if offset <= m.start < offset + len(text) and
             m.id != speaker and m.type in SPEAKER_TYPES]
    target = after[0].id if after else None
    stances, hedged = said_position("reports", bool(HEDGES.search(text)), speaker, target,
                                    text, start, context, offset)
    return [Claim(speaker=speaker, stance=one, verb="quote", quote=text.strip(), start=offset,
                  hedged=hedged, target=target) for one in stances
            if one == "denies" or (victim and one == "confirms")]


THEFT = re.compile(r"\b(stole|stolen|steal\w*|theft|exfiltrat\w*|siphon\w*|pulled\s+"
                   r"(?:\w+\s+){0,3}(?:weights|data|files))\b", re.I)
INTERNAL = re.compile(r"\b(?:to|with|told|tells|tell|informed|briefed)\s+(?:its\s+|the\s+company[’']s\s+|their\s+)?(?:own\s+)?"
                      r"(?:employees|staff|workers|board)\b|\ball-hands\b|"
                      r"\b(?:company|internal|staff|all-staff)\s+meeting\b", re.I)


# Things a subject may name that do not speak for their maker: "a Google search revealed",
# "every verification control (PyPI provenance ...) reported 'valid'".
THING_HEAD = re.compile(r"^(?:search(?:es)?|quer(?:y|ies)|lookups?|scans?|checks?|controls?|"
                        r"settings?|filters?|features?|buttons?|pages?|links?|results?)$", re.I)


def _in_quotes(sent: Span) -> bool:
    """Whether the sentence is inside quote marks (a party's "we"), not the outlet's own."""
    return any(mark in span_text(sent) for mark in ('"', "\u201c", "\u201d"))


def _said_by_another(cue: Token) -> bool:
    """Whether a cue sits in what a reporting verb says ("X said no details could be
    shared"): the verb's speaker is the one holding back."""
    current = cue
    for _ in range(8):
        if current.head.i == current.i:
            return False
        if current.dep_ == "ccomp" and SAY_VERBS.match(current.head.text):
            return True
        current = current.head
    return False


def _token_at(doc: Doc, char: int) -> Token | None:
    for token in doc:
        if token.idx <= char < token.idx + len(token.text) + 1:
            return token
    return None


def _negated(token: Token) -> bool:
    head = _clause_head(token)
    return any(child.dep_ == "neg" for child in head.children) or \
        any(child.dep_ == "neg" for child in token.children)


def _clause_head(token: Token) -> Token:
    """From a cue token to the verb that governs its clause ('declined' in 'declined to')."""
    current = token
    while current.dep_ in ("aux", "auxpass", "prt", "neg", "xcomp") and current.head.i != current.i:
        current = current.head
    return current


RELATIVE_PRONOUNS = {"who", "which"}   # "Orbix, which has denied wrongdoing": Orbix


WH_WORDS = {"what", "how", "why", "whether"}


def _self_claim(cue: Token) -> bool:
    """"X claims to have done Y": an infinitive claim about X's own doing, unless what it
    claims names evidence, wrongdoing or someone behind an attack."""
    infinitive = next((c for c in cue.children if c.dep_ == "xcomp"), None)
    if infinitive is None:
        return False
    said = " ".join(t.text for t in infinitive.subtree)
    return not (EVIDENCE.search(said) or re.search(r"\bevidence\b", said, re.I)
                or WRONGDOING.search(said) or ACCUSING.search(said)
                or ATTRIBUTION.search(said) or SUSPICION.search(said))


def _subject_of(verb: Token) -> Token | None:
    seen = set()
    current = verb
    while current is not None and current.i not in seen:
        seen.add(current.i)
        for child in current.children:       # "denied by Alibaba": the agent speaks
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if len(subjects) > 1:      # "US AI and crypto czar Ada Bell noted": the nearest
            before = [c for c in subjects if c.i < current.i]
            subjects = [before[-1]] if before else subjects
        for child in subjects:
            if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                if child.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl" and \
                        current.head.i != current.i:
                    return current.head      # "Ada Bell, who told the paper ...": Ada Bell
                return child
        if current.dep_ in ("xcomp", "conj", "advcl") and current.head.i != current.i:
            current = current.head
        else:
            break
    return None


def _complement_target(parsed: Doc, cue: Token, offset: int, mentions: list[Mention],
                       speaker: str | None | bool) -> str | None:
    """The other party the statement is about: the first entity after the cue that is not
    the speaker nor whom it was told to ("told Reuters"); for a quote that comes before
    its attribution, the first entity inside the quote."""
    start = offset + cue.idx
    end = offset + len(parsed.text)
    told = {offset + c.idx for c in cue.children if c.dep_ in ("dobj", "dative")} \
        if cue.lemma_ == "tell" or cue.lower_ in ("told", "tells", "tell") else set()
    own = _subject_of(_clause_head(cue))      # "said X, a researcher at Y": Y is X's
    lo, hi = (offset + own.left_edge.idx, offset + own.right_edge.idx + 1) if own is not None \
        else (-1, -1)
    news = domain_ids("news")   # an outlet that saw or relayed it is never the party
    fitting = [m for m in mentions if m.id != speaker and not lo <= m.start < hi and
               m.type in ("ORG", "THREAT_ACTOR", "PERSON") and m.start not in told
               and m.id not in news]
    after = [m for m in fitting if start <= m.start < end]
    if after:
        return after[0].id
    before = [m for m in fitting if offset <= m.start < start]
    return before[0].id if before else None


def _resolve_documents(claims: list[Claim], mentions: list[Mention]) -> list[Claim]:
    """A filing or letter speaks for whoever makes the accusation in this article (never
    a news organisation: it reports on the memo, it did not write it)."""
    news = domain_ids("news")
    accusers: dict[str, int] = {}
    for claim in claims:
        if claim.stance == "alleges" and claim.speaker and claim.speaker != DOCUMENT_AUTHOR \
                and claim.speaker not in news:
            accusers[claim.speaker] = accusers.get(claim.speaker, 0) + 1
    speakers: dict[str, int] = {}
    for claim in claims:
        if claim.speaker and claim.speaker not in (DOCUMENT_AUTHOR, FIRST_PERSON) and \
                claim.speaker not in news:
            speakers[claim.speaker] = speakers.get(claim.speaker, 0) + 1
    author = max(accusers, key=lambda k: accusers[k]) if accusers else \
        max(speakers, key=lambda k: speakers[k]) if speakers else \
        salient_before([m for m in mentions if m.id not in news], 10**9, {"ORG"})
    out = []
    for claim in claims:
        if claim.speaker == DOCUMENT_AUTHOR:
            if author is None or (claim.verb.startswith("according") and
                                  claim.target == author and claim.stance != "reports"):
                continue         # "according to the filing, X ...": never X's own accusation
            claim.speaker = author
        out.append(claim)
    return out


def _fold(claims: list[Claim]) -> list[Claim]:
    """A speaker's plain 'reports' are folded into their position when they have one.

    "Anthropic said it had closed the accounts" next to "Anthropic accused Alibaba" is
    part of the accusation; the stance a reader needs is Anthropic's, once.
    """
    positions = {c.speaker for c in claims if c.stance in SUBSTANTIVE and c.speaker}
    return [c for c in claims if not (c.stance == "reports" and c.speaker in positions)]


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen = set()
    out = []
    for claim in claims:
        key = (claim.speaker, claim.stance, claim.start)
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return out


@Language.factory("aiwire_claims")
def make_claims(nlp: Language, name: str) -> ClaimExtractor:
    return ClaimExtractor()
