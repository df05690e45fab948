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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from aiwire.nlp.doccache import doc_text, parses, sentences, span_text
from aiwire.nlp.entities import Mention
from aiwire.nlp.kb import domain_ids
from aiwire.nlp.parsing import sentence_role, speaks, title_case

# Words that dismiss a statement as untrue: "baseless", "without merit", "misleading"; said
# of anything, they deny it. Words that only dismiss a statement when a statement is what
# they are said of ("the study is flawed"; "the app is flawed" accuses).
UNTRUE = (r"baseless|unfounded|false|groundless|untrue|without\s+merit|meritless|"
          r"fabricat\w+|smears?|slanderous|defamatory|inaccurate|misleading|incorrect|"
          r"absurd|ridiculous|nonsense|politically\s+motivated|disinformation|misinformation")
DISMISSIVE = rf"(?:{UNTRUE}|dubious|(?:deeply\s+|fundamentally\s+)?flawed|speculative|" \
    r"(?:greatly\s+|wildly\s+|vastly\s+)?(?:exaggerated|overstated|inflated|overblown))\b"
STATEMENT = (r"(?:accusations?|allegations?|claims?|reports?|charges?|lawsuit|suit|complaint|"
             r"story|article|findings?|study|research|paper|analysis|assessment|figures?|"
             r"numbers?|estimates?|tally)")
STANCE_CUES: list[tuple[str, re.Pattern]] = [
    ("declines_to_comment", re.compile(
        r"\b(declined|declines|declining|refused|refuses|refusing)\s+(?:to\s+)?(?:comment|"
        r"elaborate|discuss|say|confirm|specify|provide|answer|identify|disclose|give|share|"
        r"reveal|go\s+into)\w*"
        r"|\b(?:can(?:no|[’']|\s+no)t|could\s*not|couldn[’']t|unable\s+to|not\s+able\s+to)\s+"
        r"(?:go\s+into|share|give|discuss|provide)\s+(?:any\s+|further\s+|more\s+|additional\s+)?details?"
        r"|\b(?:would|will|could)\s+not\s+(?:comment|say|confirm|discuss|elaborate|specify|"
        r"reveal|disclose|identify|name|share)"
        r"|\b(?:wouldn|won)[’']t\s+(?:comment|say|confirm|reveal|disclose|identify|name|share|"
        r"discuss|elaborate|specify)|\bdid\s+not\s+wish\s+to\s+comment"
        r"|\bdeclined\s+comment"
        r"|\b(?:does|do|did)\s+not\s+comment\s+on|\b(?:doesn|don)[’']t\s+comment\s+on"
        # "no further details could be shared", "we do not have any further details to
        # provide at this time": holding back what more there is to say
        r"|\bno\s+(?:further|more|additional)\s+(?:details|information)\s+(?:\w+\s+){0,3}?"
        r"(?:to\s+(?:provide|share|offer|give|release)|(?:could|can|would|will)\s+be\s+"
        r"(?:shared|provided|released|given|disclosed))"
        r"|\b(?:do|does|did)\s+not\s+have\s+(?:any\s+)?(?:further|more|additional)\s+"
        r"(?:details|information)\s+to\s+(?:provide|share|offer|give)", re.I)),
    ("no_statement", re.compile(
        r"\b(?:has|have|had)\s+(?:not|yet\s+to)\s+(?:\w+\s+){0,2}?(?:issued|issue|made|make|"
        r"released|release|published|publish|responded|respond|commented|comment|replied|"
        r"reply|addressed|address|said|say|explained|explain)\b"
        r"|\b(?:has|have|had)\s+not\s+(?:yet\s+)?(?:gotten|got|received|heard)\s+(?:a\s+|any\s+)?"
        r"(?:reply|response|answer|back)"
        r"|\bdid\s+not\s+(?:immediately\s+)?(?:respond|reply|return|answer)\w*"
        r"|\bdidn[’']t\s+(?:immediately\s+)?(?:respond|reply|return)\w*"
        r"|\b(?:could|can)\s*not\s+(?:immediately\s+)?be\s+(?:immediately\s+)?reached"
        r"|\bcouldn[’']t\s+(?:immediately\s+)?be\s+(?:immediately\s+)?reached"
        r"|\b(?:was|were|is|are)\s+not\s+(?:immediately\s+)?available\s+(?:for|to)\s+comment"
        r"|\b(?:remained|has\s+remained|have\s+remained|stayed|has\s+stayed|have\s+stayed|kept|"
        r"has\s+kept)\s+(?:largely\s+|publicly\s+)?(?:silent|quiet|mum|tight-lipped)"
        r"|\bhas\s+said\s+nothing"
        r"|\bunavailable\s+for\s+comment|\bunreachable\b"
        r"|\b(?P<unans>went|go|goes|have\s+gone|has\s+gone|remained|remain)\s+unanswered\b"
        r"|\b(?:never|not|n[’']t|declined\s+to|chose\s+not\s+to)\s+(?:go|went|gone|going|make|"
        r"made|making)\s+(?:\w+\s+){0,2}?public\b"
        r"|\bno\s+(?:immediate\s+|public\s+|official\s+|further\s+)?(?:response|reply|"
        r"comment|statement)\s+(?:\w+\s+){0,2}?(?P<nfrom>from|by)\b"
        # "we reached out to X and will update this post if we hear back": no answer yet
        r"|\bwill\s+update\s+(?:\w+\s+){0,4}?(?:if|when|once|should)\s+(?:we|they|it|he|she)\s+"
        r"(?:hear\s+back|hear\s+from|respond|reply|get\s+(?:a\s+)?(?:response|reply|answer))"
        r"|\bwill\s+update\s+(?:\w+\s+){0,4}?(?:if|when|once)\s+(?:we\s+)?"
        r"(?:receive|get)\s+(?:a\s+)?(?:response|reply|answer)", re.I)),
    ("denies", re.compile(
        r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|rebuff(?:s|ed)?|"
        r"disput(?:e|es|ed|ing)|dismiss(?:es|ed|ing)?|repudiat(?:e|es|ed)|"
        r"disagree(?:s|d)?|push(?:ed|es)?\s+back|"
        # making less of it: "downplayed the incident", "played down the reports"
        r"downplay(?:s|ed|ing)?|play(?:s|ed|ing)?\s+down)\b"
        # "called the claims baseless", "described the study as 'dubious'"
        r"|\b(?:called|calls|calling|described|describes|describing|characteri[sz](?:ed|ing)|labell?(?:ed|ing)|"
        r"branded|branding)\s+(?:"
        rf"(?:(?:the|those|these|such|this|its|their)\s+)?(?:[\w-]+\s+){{0,3}}?{STATEMENT}\s+(?:as\s+)?"
        rf"(?:an?\s+)?[\"“‘']?(?:\w+\s+)?{DISMISSIVE}"
        r"|(?:the|those|these|such|them|it|this)\s+(?:[\w-]+\s+)?(?:as\s+)?(?:an?\s+)?"
        rf"[\"“‘']?(?:\w+\s+)?(?:{UNTRUE})\b"
        r"|(?:them|it)\s+as\s+(?:an?\s+)?[\"“‘']?(?:\w+\s+)?(?:dubious|speculative)\b)"
        rf"|\b{STATEMENT}(?:\s+of\s+(?:[\w,.-]+\s+){{0,2}}?[\w,.-]+)?\s+(?P<cop>were|are|was|is)\s+"
        rf"[\"“‘']?(?:\w+\s+)?[\"“‘']?{DISMISSIVE}", re.I)),
    ("confirms", re.compile(
        r"\b(?:confirm(?:s|ed|ing)?|acknowledg(?:e|es|ed|ing)|admit(?:s|ted|ting)?|"
        r"conced(?:e|es|ed)|patched|remediated)\b"
        # an apology owns up to what it is for: "apologised for the breach"
        r"|\bapologi[sz](?:e|es|ed|ing)\s+(?:\w+\s+){0,3}?(?:for|to)\b"
        # "the department is aware of this incident": the party owning up to it
        r"|\b(?:is|are|was|were|became|become|[’']s|[’']re)\s+aware\s+of\s+(?:this|the|these|"
        r"an?)\s+(?:[\w-]+\s+)?(?:incident|breach|attack|intrusion|matter|issue|situation|"
        r"impersonation|attempts?|leak|exposure)\b", re.I)),   # aware of "the reports": no
    ("alleges", re.compile(
        r"\b(?:accus(?:e|es|ed|ing)|alleg(?:e|es|ed|ing)|claim(?:s|ed|ing)?|"
        r"charg(?:e|es|ed)|contend(?:s|ed)?|blam(?:e|es|ed|ing)|"
        r"attribut(?:e|es|ed|ing)(?=\s+(?:the\s+|this\s+|these\s+)?(?:\w+\s+){0,3}?to\s))\b",
        re.I)),
    ("reports", re.compile(
        r"\b(?:said|says|say|told|tells|according\s+to|stated|states|added|adds|noted|notes|"
        r"warned|warns|wrote|writes|explained|estimated|estimates|reported|reports|"
        r"disclosed|discloses|announced|announces|described|revealed|reveals|insisted|"
        r"maintained|maintains|insists|"
        r"cautioned|predicted|believes|believed|found|finds|urged|urges|"
        r"advised|recommended|stressed|emphasi[sz]ed|pointed\s+out|testified|argues|argued|"
        r"asserts|asserted|clarified|clarifies|points\s+out|characteri[sz](?:ed|es|ing)|"
        r"explains|announcing|describes|did\s+note|does\s+note|made\s+(?:it\s+)?clear|"
        r"makes\s+(?:it\s+)?clear|suggest(?:s|ed|ing)?(?=\s+(?:that\s+)?there\s)|"
        r"(?:responded|responds|replied|replies)(?=\s+(?:by\s+saying\s+)?that\b)|"
        r"posted(?=\s+(?:on|to)\s+(?:X|Twitter|LinkedIn|Facebook|Instagram|Bluesky|Threads|"
        r"Telegram|social\s+media)\b))\b", re.I)),
]
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
SPEAKER_TYPES = {"ORG", "PERSON", "THREAT_ACTOR"}
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
WRONGDOING = re.compile(r"\b(fake|fraudulent|illicit\w*|stole|stolen|steal\w*|theft|"
                        r"distil\w*|extract\w*|scrap\w*|copied|copy|violat\w*|misus\w*|"
                        r"abus\w*|unauthori[sz]ed|siphon\w*|harvest\w*)\b", re.I)
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
# Words that make an act an accusation: "banned accounts suspected of links to ..."
ACCUSING = re.compile(r"\b(?:suspect\w*|ties\s+to|tied\s+to|"
                      r"connect(?:ed|ions?)\s+(?:to|with)|allegedly|likely|"
                      r"influence\s+operations?|(?:china|russia|iran|north\s+korea)-linked)\b",
                      re.I)


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
    """Stance cues in a sentence, strongest first, without overlaps."""
    found: list[tuple[str, re.Match]] = []
    taken: list[tuple[int, int]] = []
    cues = list(STANCE_CUES)
    positions = [p for stance, p in STANCE_CUES if stance in SUBSTANTIVE]
    if (ACCUSING.search(text) or OWNED_BY.search(text) or
            re.search(r"\balleged\b", text, re.I)) and not any(m.group().lower() not in ("alleged", "allegedly")
                                         for p in positions for m in p.finditer(text)):
        cues.insert(4, ("alleges", ENFORCEMENT))
    if EXPOSED_STATE.search(text):
        cues.append(("reports", FINDING))    # kept only if it finds someone exposed
    if INCIDENT.search(text) or HARM_WORD.search(text):
        cues.append(("reports", NOTICE))     # kept only if it tells of an incident
    if SUSPICION.search(text) or RISKS.search(text):
        cues.append(("reports", JUDGING))    # kept only if the judgement takes a side
    for stance, pattern in cues:
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
        context = _Context(doc, mentions)
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
            if not speaks(role) and not (role == "heading" and _standfirst(doc, sent)):
                continue         # section headings, captions, share boxes say nothing
            own = span_text(sent)
            cues = _cue_matches(own)
            if not cues:
                if quoting:
                    # '... said: "We are aware of it. No data was taken."': the quote's
                    # later sentences are the same speaker's
                    claims.extend(_quoted_claim(sent, quoting, context, claims))
                    if _quote_balance(own) < 0:
                        quoting = None
                    continue
                if _quote_balance(own) > 0 or unclaimed:
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
            if speaker and unclaimed and _continues_quote(own[:cues[0][1].start()]):
                # '"No data was taken. We are investigating," the company said.'
                for earlier in unclaimed:
                    claims.extend(_quoted_claim(earlier, speaker, context, claims))
            unclaimed = []
            quoting = speaker if speaker and _quote_balance(own) > 0 else None
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
               context: "_Context") -> list[Claim]:
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
                c.dep_ == "nsubj" and c.lower_ == "which" for c in head.children):
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
        lead = _headline_subject(sent, match, mentions)
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
            stances, hedged = _position(stance, hedged, speaker, target, span_text(sent),
                                        match, context, offset)
            if stances != ["alleges"]:
                return []
        if stance == "reports" and speaker not in (None, FIRST_PERSON, DOCUMENT_AUTHOR) \
                and speaker not in domain_ids("news"):
            # what a news organisation reports is relayed, never its own position
            stances, hedged = _position(stance, hedged, speaker, target, span_text(sent), match,
                                        context, offset)
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
            if not target or target == speaker:
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
                 context: "_Context", stance: str) -> str | None | bool:
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
            lo = _after_quote(doc_text(doc), lo, hi, offset + subject.idx)
        # a news organisation in a clause on the subject relays it: "the memo, which
        # was first reported by Bloomberg, claims" is the memo's author speaking (but
        # "the seller, who posts as Nocturne," and "a survey by Ardent Risk" name theirs)
        clauses = [(offset + t.left_edge.idx, offset + t.right_edge.idx + len(t.right_edge.text))
                   for t in subject.subtree if t.dep_ in ("relcl", "acl") and t is not subject]
        relays = [m for m in mentions if m.id in domain_ids("news")
                  and any(a <= m.start < b for a, b in clauses)]
        inside = [m for m in mentions if lo <= m.start < hi and m.type in SPEAKER_TYPES
                  and m not in relays and not _bracketed(doc_text(doc), lo, m.start)]
        head_text = subject.text
        phrase = doc_text(doc)[lo:hi]
        if _bracketed(doc_text(doc), offset, offset + subject.idx):
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
            return FIRST_PERSON
        if subject.text.istitle() and subject.left_edge.i == subject.right_edge.i:
            person = _surname_match(subject.text, mentions, lo)
            if person:
                return person        # "Philips said" after "Rep. Dean Phillips": a typo
        known = _kb_name(phrase)
        if known:
            return known             # a known name the linker missed (lower case, mojibake)          # a quote's "we": whoever the sentence quotes
        if PRONOUN_PERSON.match(head_text):
            # "When asked about Ada's reaction, she said": the one asked about is not "she"
            return _last_before([m for m in mentions if not (
                m.start >= offset and _possessive(doc_text(doc), m))], lo, {"PERSON"})
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
            described = _described_before(phrase, mentions, doc_text(doc), lo)
            if described:
                return described     # "the security firm" after "cloud security firm Wiz"
            if noun == "group":
                return context.group_at(lo)
            if noun in ROLE_PEOPLE and re.match(r"(?:the|this|that)\b", phrase.strip(), re.I):
                introduced = _introduced_role(noun, doc_text(doc), mentions, lo)
                if introduced:
                    return introduced    # "a State Department official said ... The official"
            if noun == "official" and not re.search(r"\s[A-Z]", phrase.strip()):
                # "A senior official confirmed" in a passage about an agency: its official
                # (not "a Ruritanian official", whose modifier names someone else)
                actor = context.actor_at(lo)
                if actor and context.is_authority(actor):
                    return actor
            if noun in ("spokesperson", "spokesman", "spokeswoman", "representative", "rep",
                        "statement") and _continues_quote(span_text(sent)[:match.start()]):
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


FIRST_PERSON = "\x00first-person"
# A subject headed by one of these is an organisation, whoever its modifiers name.
ORG_HEAD = re.compile(r"^(?:company|firm|startup|start-up|lab|maker|developer|business|"
                      r"group|giant|platform|provider|vendor)$", re.I)
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
GROUPISH = r"(?:group|gang|hackers?|hacktivists?|crew|collective|syndicate)"
GROUP_BEFORE = re.compile(rf"\b{GROUPISH}\s+(?:called\s+|named\s+|known\s+as\s+)?[\"“']?$",
                          re.I)
# "Nightjar gang", and the appositive "Nightjar, a hacking group,"
GROUP_AFTER = re.compile(rf"^[\"”']?(?:\s+|,\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?){GROUPISH}\b",
                         re.I)
ASKED = re.compile(r"\b(?:contacted|reached\s+out\s+to|asked|approached|emailed|"
                   r"requested\s+comment\s+from)\s+(?:the\s+)?$|\b(?:contacted|reached\s+out\s+to|"
                   r"asked|approached|emailed)\b", re.I)
# "X said ..." becomes a position when what X said is one: a denial of harm, an admission,
# an accusation. Word classes, not phrases: negation near a harm word, an incident noun
# about the speaker itself, suspicion words about somebody else.
# ("accessed without authorization" tells how harm was done: that "without" negates nothing)
NEGATION = (r"(?:\bno\b|\bnot\b|\bnever\b|n[’']t\b|\bnone\b|\bnothing\b|\bwithout\b"
            r"(?!\s+(?:[\w’']+\s+)?(?:authori[sz]ation|permission|consent|approval|"
            r"authentication|(?:their|the\s+\w+[’']?s?)\s+knowledge)\b))")
HARM = (r"(?:expos\w*|access\w*|compromis\w*|hack\w*|breach\w*|affect\w*|misus\w*|"
        r"intrusions?|unauthori[sz]ed|lost\b|"
        r"exploit\w*|leak\w*|stol\w*|steal\w*|impact\w*|involv\w*|abus\w*|infect\w*|"
        r"evidence|wrongdoing|wrong\b|control\w*|responsib\w*|"
        # involvement denied: "had no knowledge of", "did not know about or authorize"
        r"knowledge\s+of|aware\s+of|know\s+about|knew\s+about|authori[sz]\w*|approv\w*|"
        r"sanction\w*)")
NEGATED_HARM = re.compile(rf"{NEGATION}(?!\s+(?:identify|name|disclose|reveal|say|specify|"
                          # "didn't need any access": an easy attack, not a denial
                          rf"(?:even\s+)?(?:need|needs|needed|require|requires|required)|"
                          rf"comment|confirm|explain|know(?!\s+about))\b)(?:\W+\w+){{0,6}}?\W+"
                          rf"{HARM}", re.I)
# The speaker's own negated part, said of themselves: "he was not involved", "it didn't know".
SELF_NEGATED = re.compile(r"\b(?:he|she|I|it|they)\s+(?:\w+\s+)?(?:was|were|is|are|had|has|did|"
                          r"do|does)\s*(?:n[’']t|\s+not|\s+no|\s+never)\b|\b(?:he|she|I|it|they)\s+"
                          r"(?:never|didn[’']t|wasn[’']t|hadn[’']t|weren[’']t)\b", re.I)
INCIDENT = re.compile(r"\b(incident|breach\w*|hack(?:ed|ers?)?|bug|glitch|vulnerabilit\w*|flaw|"
                      r"issue|compromis\w*|affected|exposed|victim|fix(?:ed)?|patch(?:ed)?|"
                      r"resolved|security\s+update|intrusion|attack(?:ed)?|scam(?:med|mers?)?|"
                      r"fraudsters?|deceived|tricked|investigat\w*|cyber-?attack(?:ed|s)?|"
                      r"secured\s+(?:the|its|our)\s+(?:\w+\s+)?(?:database|server|bucket|"
                      r"exposure|instance|repository|storage)|(?:took|taken|taking|take)\s+"
                      r"(?:\w+\s+){1,3}?offline)\b", re.I)
SELF = re.compile(r"\b(we|our|us|it|its|itself|the\s+company|the\s+firm)\b", re.I)
# Harm denied without a negation: "customer data was unaffected", "systems remained secure".
UNHARMED = re.compile(r"\b(?:unaffected|uncompromised|unharmed|untouched|"
                      r"(?:remain(?:s|ed)?|stay(?:s|ed)?|(?:was|were|is|are))\s+"
                      r"(?:fully\s+|completely\s+)?"
                      r"(?:secure|safe|intact|protected))\b", re.I)
# ... unless the same words admit an incident ("after the breach, data remained safe" is
# still said of a breach the speaker confirms; the denial is then only partial)
INCIDENT_ADMITTED = re.compile(r"\b(?:we|it|the\s+company)\s+(?:has\s+|have\s+|had\s+)?"
                               r"(?:fixed|patched|confirmed|detected|discovered)\b", re.I)
SUSPICION = re.compile(r"\b(suspect\w*|linked\s+to|links\s+to|ties\s+to|tied\s+to|"
                       r"connect(?:ed|ions?)\s+(?:to|with)|likely|allegedly|influence\s+"
                       r"operations?|malicious|illicit\w*|fraudulent\w*|stole|stolen|"
                       r"exploited|abused|misused|unlawful\w*|illegal\w*|"
                       r"unauthori[sz]ed|distill?\w*|insecure\w*|unencrypted|"
                       r"not\s+equipped|insufficient\w*|inadequate\w*|negligen\w*|lax|"
                       r"sloppy|careless\w*|badly|poorly|raises?\s+(?:serious\s+|troubling\s+)?(?:questions|concerns|doubts)\s+about|"
                       r"(?:publicly|openly)\s+(?:accessible|exposed|available)|"
                       r"unauthenticated|unprotected|without\s+(?:any\s+)?encryption|"
                       r"plain-?text\s+passwords?|"
                       r"left\s+(?:\w+\s+){0,5}?(?:open|exposed))\b", re.I)
# Naming a state or a nationality behind an attack is an accusation, whoever was hit:
# "its tool was abused by a state-sponsored group", "Ruritanian hackers used our model".
ATTRIBUTION = re.compile(
    r"\b(?:state|government|military)[- ](?:sponsored|backed|linked|affiliated|aligned|run)\b"
    r"|\bnation[- ]state\b|\b[A-Z][a-z]+-(?:backed|linked|sponsored)\b"
    r"|\blinked\s+to\s+(?:the\s+)?[A-Z][a-z]+\s+(?:state|government|military|intelligence)\b"
    r"|\b[A-Z][a-z]+(?:ese|ian|an|ish|i)\s+(?:[\w-]+\s+){0,2}?(?:hackers?|hacking\s+groups?|"
    r"threat\s+actors?|actors?|operatives|spies|gangs?|groups?|APTs?)\b")
# What a regulator or prosecutor finds against someone: a breach of a law or of its rules
# (a police force describing a scam it investigates accuses nobody).
REGULATORY_WRONG = re.compile(r"\b(?:violat\w*|illegal\w*|unlawful\w*|prohibit\w*|in\s+breach\s+of|"
                              r"breach(?:ed|es)?\s+(?:the\s+)?(?:law|rules?|act))\b", re.I)
MODAL_BEFORE = re.compile(r"\b(?:could|might|may|would|can)\s+(?:\w+\s+)?(?:be\s+|have\s+been\s+)?$",
                          re.I)
CONCESSIVE = re.compile(r"\b(?:although|though|but|while|yet|without)\b", re.I)
EVIDENCE = re.compile(r"\bthere(?:\s+(?:is|was|are|were|has\s+been)|[’']s)\s+(?:\w+\s+){0,3}?"
                      r"evidence\b|\bevidence\s+(?:that|suggests?|shows?|indicates?)", re.I)


def _position(stance: str, hedged: bool, speaker: str, target: str | None, text: str,
              match: re.Match, context: "_Context", offset: int) -> tuple[list[str], bool]:
    """The stances a plain 'said' carries through what was said (one sentence may both
    acknowledge a bug and deny a breach)."""
    cue_at = offset + match.start()
    for m in context.mentions:      # the attribution's own name is not what was said
        if m.id == speaker and offset <= m.start and (
                0 <= cue_at - m.end <= 60 or 0 <= m.start - (offset + match.end()) <= 3):
            a, b = m.start - offset, m.end - offset
            text = text[:a] + " " * (b - a) + text[b:]
    said = text[match.end():] if match.start() < len(text) / 2 else text
    if match.group().lower().startswith("according"):
        # "According to X, <said>" or "<said>, according to X"
        said = re.split(r",", said, maxsplit=1)[-1] if match.start() < len(text) / 2 \
            else text[:match.start()]
    other = target if target and target != speaker else None
    said_at = offset + (text.find(said) if said in text else 0)
    for held, pattern in STANCE_CUES:
        if held in ("declines_to_comment", "no_statement"):
            # "no further details of the breach could be shared" holds back; it is no
            # denial of a breach (the holding back is a claim of its own)
            said = pattern.sub(lambda m: " " * len(m.group()), said)
    for m in context.mentions:
        if m.id != speaker and m.type in SPEAKER_TYPES and \
                said_at <= m.start < offset + len(text) and NESTED_SAY.match(context.text, m.end) \
                and re.search(r"\bthat\s+(?:the\s+)?$", context.text[max(0, m.start - 12):m.start]):
            # "PANews reported that OpenAI said it found evidence": the relay reports;
            # the position is the nested speaker's, read from its own verb
            return [stance], hedged
    about_self = _about_self(speaker, said, context, offset + match.start())
    stances: list[str] = []
    no_evidence = re.search(rf"{NEGATION}\s+(?:\w+\s+)?evidence", said, re.I)
    shown = EVIDENCE.search(said)
    if shown and no_evidence and no_evidence.start() > shown.end() and \
            CONCESSIVE.search(said[shown.end():no_evidence.start()]):
        # "there is a lot of evidence that X did Y," although he offered no evidence:
        # the narrator's doubt hedges the accusation, it does not withdraw it
        no_evidence, hedged = None, True
    ellipsis = ELLIPTIC_DENIAL.search(said)
    if ellipsis and not _names_self(ellipsis.group("who"), speaker, context):
        ellipsis = None
    if ellipsis:
        # "the vendor's systems were breached, but its own were not": the harm is the
        # other party's, the denial the speaker's
        stances.append("denies")
        said = said[:ellipsis.start()] + " " * (ellipsis.end() - ellipsis.start()) + \
            said[ellipsis.end():]
    elif (NEGATED_HARM.search(said) or NO_SIGN.search(said) or BOUNDED.search(said) or
          DEFLECTION.search(said)) and \
            (no_evidence or not EVIDENCE.search(said)) and (
            about_self or context.is_authority(speaker) or SELF_NEGATED.search(said) or
            _employer(speaker, context, offset + match.start()) or (
                BOUNDED.search(said) and speaker == context.actor_at(cue_at))):
        # (what was accessed, bounded by the party the passage is about, is its denial)
        # "no customer data was exposed", "did not access"; also said by the firm's own
        # official ("Ada Bell, Orbix's head of security, said no data was accessed")
        stances.append("denies")
    elif UNHARMED.search(said) and about_self and not INCIDENT_ADMITTED.search(said):
        stances.append("denies")            # "customer data was unaffected", "remained secure"
    if not stances and _is_state(speaker, context) and STATE_DENIAL.search(said):
        return ["denies"], hedged           # "China firmly opposes all forms of cyberattacks"
    if not stances and context.is_authority(speaker) and REGULATORY_WRONG.search(said):
        return ["alleges"], hedged          # "the commission said the calls broke its rules"
    if ATTRIBUTION.search(said) and not stances:
        return ["alleges"], hedged          # naming who did it accuses them
    if not stances and not about_self and ATTACKER_HARM.search(said):
        return ["alleges"], hedged          # "attackers compromised Y's build": told by a finder
    negated = NEGATED_HARM.search(said)
    positive = INCIDENT.search(said[:negated.start()] if negated else said)
    if positive and MODAL_BEFORE.search(said[max(0, positive.start() - 25):positive.start()]):
        positive = None                     # "any of us could be tricked": a what-if
    if positive and about_self and not other:
        stances.append("confirms")          # a company acknowledging its own incident
    if stances:
        return stances, hedged
    if EVIDENCE.search(said) and not no_evidence:
        return ["alleges"], True            # "there is evidence that X did Y": hedged
    if no_evidence:
        return [stance], hedged
    kind = next((m.type for m in context.mentions if m.id == speaker), "ORG")
    if other is None and not about_self and (kind != "PERSON" or _former_speaks_of_firm(
            speaker, said, context, offset + match.start())):
        # "X noted that the data had been exposed": about the passage's actor, not X;
        # a person's "the company" is the passage's actor too (a former employee's word)
        actor = context.actor_at(offset + match.start())
        implied = actor if actor and actor != speaker else None
    else:
        implied = other
    if implied and _exposed_by(implied, said, context):
        return ["alleges"], hedged          # "Wiz revealed that Microsoft leaked its data"
    owner = implied or (context.main_actor if context.main_actor != speaker else None)
    exposure = PASSIVE_EXPOSURE.search(NEGATED_HARM.sub(" ", said))
    if exposure and POSSIBLE.search(said[max(0, exposure.start() - 50):exposure.start()]):
        exposure = None                     # "raising the possibility that keys were exposed"
    if owner and other is None and not about_self and exposure and \
            _employer(speaker, context, offset + match.start()) in (None, speaker):
        # a finder: "the data had been exposed since May" (the owner's own officer telling
        # how its users' chats were exposed finds nothing against anyone)
        return ["alleges"], hedged
    # "a breach linked to its vendor" tells where an incident came from, not who is to blame
    suspected = EXPECTING.sub(" ", INCIDENT_LINK.sub(" ", NEGATED_HARM.sub(" ", said)))
    if ACCUSING.search(EXPECTING.sub(" ", INCIDENT_LINK.sub(" ", said))) or (
            implied and SUSPICION.search(suspected)):
        return ["alleges"], hedged or bool(re.search(r"\b(likely|suspect\w*|allegedly)\b",
                                                        said, re.I))
    named_in_said = other is not None and any(
        m.id == other and offset + match.end() <= m.start < offset + len(text)
        for m in context.mentions)
    if named_in_said and not about_self and RISKS.search(said):
        return ["alleges"], hedged          # "qualities of Orbix's app that suggest security risks"
    if other and WRONGDOING.search(text[match.end():]) and named_in_said and \
            (speaker == DOCUMENT_AUTHOR or not match.group().lower().startswith("according")):
        return ["alleges"], hedged          # the accused is named in what was said
    return [stance], hedged


# A bounded denial: "only a limited number of records were actually accessed".
BOUNDED = re.compile(r"\bonly\s+(?:a\s+)?(?:very\s+)?(?:limited|small|handful|few|tiny|fraction|"
                     r"minority|single|one|two|three|\d[\d,]*)\b[^.;:]{0,60}?\b(?:was|were|"
                     r"(?:had|has|have)\s+been)\s+(?:actually\s+|ever\s+)?(?:accessed|exposed|"
                     r"affected|viewed|compromised|taken|stolen|impacted|downloaded)\b", re.I)
# Blame turned away: "the cause was user error, not the AI", "caused by a misconfiguration
# rather than a flaw".
DEFLECTION = re.compile(r"\b(?:root\s+cause|cause|fault|blame|caused\s+by|due\s+to|result\s+of|"
                        r"attributable\s+to)\b[^.;]{0,100}?(?:[,—–-]\s*|\s)(?:not|rather\s+than)"
                        r"\s+(?:the|our|its|their|a|an|any)\b", re.I)
# Someone doing harm, told by a third party: "attackers compromised the build system".
ATTACKER_HARM = re.compile(r"\b(?:attackers?|hackers?|threat\s+actors?|cyber-?criminals?|"
                           r"criminals?|scammers?|fraudsters?|intruders?|adversar(?:y|ies))\s+"
                           r"(?:(?!(?:could|might|may|would|can)\b)\w+\s+){0,2}?"
                           r"(?:compromised|breached|hijacked|stole|exfiltrated|"
                           r"injected|planted|infiltrated|gained\s+(?:\w+\s+)?access|"
                           r"took\s+over|tampered)\b", re.I)
# "X's systems were breached, but ours were not": the verb of the denial is elided.
ELLIPTIC_DENIAL = re.compile(
    rf"{HARM}[^.;:]{{0,80}}?,?\s+(?:but|while|whereas)\s+(?P<who>(?:[\w’']+\s+){{1,3}}?)"
    r"(?:was|were|is|are|had|has|have|did)\s*(?:not|n[’']t)\s*(?:[.;,)]|$)", re.I)
# Passive exposure of data, told by someone other than its owner.
PASSIVE_EXPOSURE = re.compile(
    r"\b(?:was|were|is|are|(?:had|has|have)\s+(?:\w+ly\s+)?been|being|remained)\s+"
    r"(?:\w+ly\s+)?(?:exposed|leaked|left\s+(?:\w+\s+){0,3}?(?:open|exposed|unprotected|"
    r"unsecured|accessible))\b", re.I)
# A weakness found in a named party's product: "security and privacy risks", "security lapses".
RISKS = re.compile(r"\b(?:security|privacy|safety)\s+(?:and\s+(?:privacy|security)\s+)?"
                   r"(?:risks?|flaws?|holes?|weakness\w*|lapses?|failures?|failings?|"
                   r"shortcomings?)\b", re.I)
# A government's stock answer to being named behind an attack: it opposes such attacks.
STATE_DENIAL = re.compile(r"\b(?:firmly\s+|resolutely\s+|strongly\s+|always\s+|consistently\s+)*"
                          r"(?:oppos\w+|combat\w*|condemn\w*|crack\w*\s+down\s+on)\s+"
                          r"(?:all\s+forms?\s+of\s+|any\s+forms?\s+of\s+|all\s+)?(?:[\w-]+\s+)?"
                          r"(?:cyber-?\s?attacks?|hacking|cyber-?\s?crimes?|cyber-?\s?espionage|"
                          r"hacker\s+attacks?)\b", re.I)


def _is_state(speaker: str, context: "_Context") -> bool:
    """A government, embassy or ministry, or a state named for its government."""
    return context.is_authority(speaker) or any(m.id == speaker and m.type == "GPE"
                                                for m in context.mentions)


# "no reason to believe that any customer data had been accessed", "no sign that ...".
NO_SIGN = re.compile(rf"{NEGATION}\s+(?:\w+\s+){{0,2}}?(?:reason\s+to\s+(?:believe|think|suspect)|"
                     rf"indications?|signs?|evidence|proof)\b[^.;]{{0,100}}?\b{HARM}", re.I)
NESTED_SAY = re.compile(r"\s+(?:has\s+|had\s+)?(?:said|says|told|claimed|claims|alleged|alleges|"
                        r"accused|accuses|stated|states|insisted|denied|denies)\b", re.I)
POSSIBLE = re.compile(r"\b(?:possib\w+|risks?|could|may|might|would|if|whether|potential\w*|"
                      r"concerns?|fears?)\b", re.I)
# "I would suspect we'll have that for you": an expectation, not a suspicion of anyone.
EXPECTING = re.compile(r"\b(?:would|[’']d|should)\s+(?:\w+\s+)?suspect\b", re.I)
INCIDENT_LINK = re.compile(r"\b(?:breach|incident|leak|attack|exposure|intrusion|compromise)"
                           r"\w*\s+(?:linked|tied|connected|traced)\s+to\b", re.I)


def _names_self(words: str, speaker: str, context: "_Context") -> bool:
    """Whether the subject of an elided denial is the speaker: "its own", "ours", "we",
    the speaker's name."""
    if re.search(r"\b(?:its|their|our)\s+own\b|\b(?:ours|we|it|theirs)\b", words, re.I):
        return True
    names = {m.text.casefold() for m in context.mentions if m.id == speaker}
    return any(n in words.casefold() for n in names)


def _employer(person: str, context: "_Context", position: int) -> str | None:
    """The organisation a person is introduced as working for now, when it is the firm
    the passage is about ("Ada Bell, Orbix's head of security"; never "a former ...")."""
    firms = {context.main_actor, context.actor_at(position)} - {None}
    for m in context.mentions:
        if m.id != person or m.start > position:
            continue
        lo, hi = max(0, m.start - 60), m.end + 60
        window = context.text[lo:hi]
        if re.search(r"\b(?:former|ex-|fired|dismissed|departed|left)\b", window, re.I):
            continue
        for org in context.orgs:
            if org.id in firms and lo <= org.start < hi and \
                    "." not in context.text[min(org.end, m.start):max(org.start, m.end)]:
                return org.id
    return None


def _former_speaks_of_firm(speaker: str, said: str, context: "_Context",
                           position: int) -> bool:
    """A person's "the company" means the passage's firm; it is the speaker's word against
    the firm unless the speaker is introduced as working there now (a current employee
    speaks for it, a former one does not)."""
    if not re.search(r"\bthe\s+(?:company|firm|startup|start-up|lab)\b", said, re.I):
        return False
    actor = context.actor_at(position)
    if actor is None or actor == speaker:
        return False
    names = {m.text for m in context.mentions if m.id == actor}
    for m in context.mentions:
        if m.id != speaker:
            continue
        around = context.text[max(0, m.start - 60):m.end + 60]
        if any(n in around for n in names) and not re.search(r"\b(?:former|ex-|fired|"
                                                                r"dismissed|departed)", around,
                                                                re.I):
            return False
    return True


EXPOSURE = r"(?:leaked|leaks|exposed|exposes|left\s+(?:\w+\s+){0,4}?(?:open|exposed|unprotected|accessible))"


def _exposed_by(party: str, said: str, context: "_Context") -> bool:
    """What was said has that party leaking or exposing data as the one doing it:
    "Microsoft accidentally leaked 38TB", "Orbix left a database open" (an exposure found
    in someone else's repositories names no culprit)."""
    names = {m.text for m in context.mentions if m.id == party}
    return any(re.search(rf"{re.escape(n)}(?:[’']s\s+[\w-]+(?:\s+[\w-]+)?)?\s+"
                         rf"(?:\w+ly\s+)?(?:had\s+|has\s+)?{EXPOSURE}", said)
               for n in names)


def _about_self(speaker: str, said: str, context: "_Context", position: int) -> bool:
    """Whether what the speaker said concerns the speaker: "we", its own name, or "it" /
    "the company" when the speaker is the organisation the passage is about."""
    if re.search(r"\b(we|our|us|ours)\b", said, re.I):
        return True
    name = next((m.name for m in context.mentions if m.id == speaker), speaker)
    if name.lower() in said.lower():
        return True
    kind = next((m.type for m in context.mentions if m.id == speaker), "ORG")
    if kind == "PERSON":
        # "Ada Bell said scammers had used her photo": what happened to the speaker
        return bool(re.search(r"\b(?:his|her|my)\s+(?:own\s+)?(?!\w+ing\b)[a-z]+", said))
    if context.main_actor is None:
        return True              # nobody else named: the speaker is the passage's actor
    if speaker == context.actor_at(position) or speaker == context.main_actor:
        return bool(SELF.search(said)) or speaker == context.main_actor
    return False


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


def _colon_claim(sent: Span, context: "_Context") -> list[Claim]:
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
    stances, hedged = _position("reports", bool(HEDGES.search(text)), speaker, target, text,
                                match, context, offset)
    return [Claim(speaker=speaker, stance=one, verb=":", quote=text.strip(), start=offset,
                  hedged=hedged, target=target) for one in stances if one in SUBSTANTIVE]


def _standfirst(doc: Doc, sent: Span) -> bool:
    """The line right under the headline, written as a sentence ("Orbix won't say who
    was fooled by the call"): the page's summary of its news, set as a heading."""
    text = doc_text(doc)
    own = span_text(sent).strip()
    start = text.find(own, sent.start_char) if own else -1
    if start < 0:
        return False
    lines = [line for line in text[:start].split("\n") if line.strip()]
    if len(lines) != 1 or not text[:start].endswith("\n"):
        return False             # not the second line of the page
    return len(own.split()) >= 8 and not title_case(own) and not own.endswith("?")


def _described_before(phrase: str, mentions: list[Mention], text: str,
                      position: int) -> str | None:
    """Who "the security firm" is: the organisation introduced earlier with those words
    ("cloud security firm Wiz", "Wiz, a security firm,"), the latest one so introduced."""
    words = re.findall(r"[A-Za-z-]+", phrase.lower())
    if words and words[0] in ("the", "a", "an", "this", "that"):
        words = words[1:]
    if len(words) < 2 or not ORG_HEAD.match(words[-1]):
        return None              # a bare "the company" is the passage's actor
    described = r"\s+".join(map(re.escape, words[-2:]))
    found = None
    for m in mentions:
        if m.start >= position or m.type not in ("ORG", "THREAT_ACTOR"):
            continue
        before = text[max(0, m.start - 40):m.start]
        after = text[m.end:m.end + 50]
        if re.search(rf"\b{described}\s+$", before, re.I) or \
                re.match(rf",\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?{described}\b", after, re.I):
            found = m.id
    return found


def _headline_subject(sent: Span, match: re.Match, mentions: list[Mention]) -> str | None:
    """In a Title-Case headline the name right before the verb is its subject ("Orbix
    Rejects Claims ..."), however the parser reads the capitalised line."""
    text = span_text(sent)
    if not title_case(text):
        return None
    cue_at = sent.start_char + match.start()
    starts = {sent.start_char + len(text) - len(text.lstrip())} | {
        sent.start_char + a.end() for a in re.finditer(r"[:,;]\s+", text)}
    before = [m for m in mentions if m.type in SPEAKER_TYPES and m.start in starts
              and 0 <= cue_at - m.end <= 1]
    return before[-1].id if before else None


def _quote_balance(text: str) -> int:
    """+1 when the text opens a quote it does not close, -1 when it closes one opened
    before it, 0 otherwise."""
    opened, closed = text.count("\u201c"), text.count("\u201d")
    for at in (m.start() for m in re.finditer('"', text)):
        # a straight quote opens after a space or at the start, and closes after a word
        # or a stop: '"We ...' opens, '... company," a rep said' closes
        if at == 0 or text[at - 1].isspace() or text[at - 1] in "([":
            opened += 1
        else:
            closed += 1
    return (opened > closed) - (closed > opened)


def _quoted_claim(sent: Span, speaker: str, context: "_Context",
                  claims: list[Claim]) -> list[Claim]:
    """A quoted sentence whose speaker is named in the sentence before or after it: the
    denial of the party the story is about or was accused ('"... No customer data was
    accessed," the company said'). Other quoted lines (a researcher's colour, an
    executive's lesson) are left alone: without their own verb they are too loose to read."""
    accused = {c.target for c in claims if c.stance == "alleges" and c.target}
    accusers = {c.speaker for c in claims if c.stance == "alleges"}
    if speaker not in accused and (speaker != context.main_actor or speaker in accusers):
        return []
    text = span_text(sent)
    start = re.compile(r"^").match(text)
    offset = sent.start_char
    after = [m for m in context.mentions if offset <= m.start < offset + len(text) and
             m.id != speaker and m.type in SPEAKER_TYPES]
    target = after[0].id if after else None
    stances, hedged = _position("reports", bool(HEDGES.search(text)), speaker, target, text,
                                start, context, offset)
    return [Claim(speaker=speaker, stance=one, verb="quote", quote=text.strip(), start=offset,
                  hedged=hedged, target=target) for one in stances if one == "denies"]


def _continues_quote(before: str) -> bool:
    """The text before the cue closes a quote it never opened: the quote began in an
    earlier sentence ('... fire first," a spokesperson said')."""
    if "\u201d" in before and "\u201c" not in before:
        return True
    return before.count('"') % 2 == 1


def _edit_distance_one(a: str, b: str) -> bool:
    """Whether two words differ by one inserted, dropped or changed letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def _surname_match(word: str, mentions: list[Mention], position: int) -> str | None:
    """A person named earlier whose surname this bare name is, misspelt by one letter
    ("Philips" for a "Dean Phillips" named above): real pages carry such typos."""
    word = word.casefold()
    if len(word) < 5:
        return None
    found = None
    for m in mentions:
        if m.start >= position or m.type != "PERSON" or " " not in m.text.strip():
            continue
        surname = m.text.split()[-1].casefold()
        if surname[0] == word[0] and _edit_distance_one(word, surname):
            found = m.id
    return found


def _kb_name(phrase: str) -> str | None:
    """The KB id of a subject phrase's name, read without mojibake and case."""
    from aiwire.nlp.kb import load_kb

    words = re.sub(r"[^A-Za-z0-9.&'’ -]+", " ", phrase).split()
    kb = load_kb()
    for size in range(min(4, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            chunk = " ".join(words[i:i + size])
            if len(chunk) < 3 or chunk.lower() in ("the", "its", "company", "group"):
                continue
            found = kb.index.get(chunk.casefold()) or kb.exact.get(chunk)
            if found and kb.entities[found].type in SPEAKER_TYPES:
                return found
    return None


class _Context:
    """Who a passage is about: "the company" and "it" mean the passage's actor, which is
    the organisation named most in its paragraph (else in the article so far), never
    simply the last one named."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.text = doc_text(doc)
        orgs = [m for m in mentions if m.type in ("ORG", "THREAT_ACTOR")]
        news = domain_ids("news")
        # the passage is about a party, never the outlet that relays it ("told the FT")
        orgs = [m for m in orgs if m.id not in news] or orgs
        self.orgs = orgs
        first_line = self.text.find("\n")
        first_line = len(self.text) if first_line < 0 else first_line
        counts: dict[str, float] = {}
        for m in orgs:
            counts[m.id] = counts.get(m.id, 0) + (2 if m.start < first_line else 1)
        self.main_actor = max(counts, key=lambda k: (counts[k], -self._first(k))) \
            if counts else None

    def _first(self, entity: str) -> int:
        return next(m.start for m in self.orgs if m.id == entity)

    def actor_at(self, position: int) -> str | None:
        paragraph = self.text.rfind("\n", 0, position) + 1
        before = [m for m in self.orgs if m.start < position]
        if not before:
            return self.main_actor
        local: dict[str, int] = {}
        overall: dict[str, int] = {}
        for m in before:
            overall[m.id] = overall.get(m.id, 0) + 1
            if m.start >= paragraph:
                local[m.id] = local.get(m.id, 0) + 1
        pool = local or overall
        # most named in the paragraph; among equals, the article's actor, never simply
        # the last name (which is often whom the company was talking about)
        return max(pool, key=lambda k: (pool[k], overall.get(k, 0), k == self.main_actor))

    def group_at(self, position: int) -> str | None:
        """"The group": a threat actor, or a name introduced as a group ("the hacking group
        Nightjar", "Nightjar gang"); never the company the group went after."""
        counts: dict[str, int] = {}
        for m in self.orgs:
            if m.start >= position:
                break
            before = self.text[max(0, m.start - 30):m.start]
            after = self.text[m.end:m.end + 40]
            if m.type == "THREAT_ACTOR" or GROUP_BEFORE.search(before) or \
                    GROUP_AFTER.match(after):
                counts[m.id] = counts.get(m.id, 0) + 1
        if counts:
            return max(counts, key=lambda k: counts[k])
        return None

    def is_authority(self, entity: str) -> bool:
        """Governments, embassies, ministries, police: their denials count as denials."""
        from aiwire.nlp.kb import load_kb

        name = next((m.name for m in self.mentions if m.id == entity), entity)
        known = load_kb().entities.get(entity)
        names = [name] + ([known.name, *known.aliases] if known is not None else [])
        return any(AUTHORITY.search(n) for n in names)   # "FCC": Federal ... Commission


THEFT = re.compile(r"\b(stole|stolen|steal\w*|theft|exfiltrat\w*|siphon\w*|pulled\s+"
                   r"(?:\w+\s+){0,3}(?:weights|data|files))\b", re.I)
INTERNAL = re.compile(r"\b(?:to|with|told|tells|tell|informed|briefed)\s+(?:its\s+|the\s+company[’']s\s+|their\s+)?(?:own\s+)?"
                      r"(?:employees|staff|workers|board)\b|\ball-hands\b|"
                      r"\b(?:company|internal|staff|all-staff)\s+meeting\b", re.I)
AUTHORITY = re.compile(r"\b(government|embassy|ministry|ministries|department|police|"
                       r"commission|regulator|attorney\s+general|prosecutors?|court|bureau|"
                       r"agency|spokes\w+|foreign\s+office|state\s+council|white\s+house|"
                       r"kremlin|beijing|washington)\b", re.I)


# Things a subject may name that do not speak for their maker: "a Google search revealed",
# "every verification control (PyPI provenance ...) reported 'valid'".
THING_HEAD = re.compile(r"^(?:search(?:es)?|quer(?:y|ies)|lookups?|scans?|checks?|controls?|"
                        r"settings?|filters?|features?|buttons?|pages?|links?|results?)$", re.I)


# People named by their role for an organisation; "the official" is the one introduced
# with the organisation before ("a senior State Department official told the paper").
ROLE_PEOPLE = {"spokesperson", "spokesman", "spokeswoman", "representative", "rep", "official",
               "executive", "lawyer", "attorney"}


def _introduced_role(noun: str, text: str, mentions: list[Mention],
                     position: int) -> str | None:
    """The organisation whose ``noun`` was introduced last before ``position`` (within a few
    paragraphs): "Orbix's chief security official", "an official at Orbix"."""
    found = None
    for m in mentions:
        if m.type != "ORG" or m.start >= position or position - m.start > 800:
            continue
        after = text[m.end:m.end + 50]
        before = text[max(0, m.start - 40):m.start]
        if re.match(rf"(?:[’']s)?\s+(?:[\w-]+\s+){{0,3}}?{noun}\b", after, re.I) or \
                re.search(rf"\b{noun}\s+(?:for|at|of|from|with)\s+(?:the\s+)?$", before, re.I):
            found = m.id
    return found


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


def _possessive(text: str, mention: Mention) -> bool:
    """Whether a name is written as an owner ("Ada Bell's reaction")."""
    return bool(re.search(r"[’']s$", mention.text) or
                re.match(r"[’']s\b", text[mention.end:mention.end + 3]))


def _after_quote(text: str, lo: int, hi: int, head: int) -> int:
    """Where a subject really starts when the parser hung a quote on it: its head word
    sits inside a quote that closes with a comma ('"... five individuals ...," a cable
    stated' starts at 'a cable'); a quoted nickname after the head is left alone."""
    before = text[lo:head]
    if not (before.count('"') % 2 or before.count("\u201c") > before.count("\u201d")):
        return lo
    closing = [m.end() for m in re.finditer(r",\s*[\"\u201d]", text[head:hi])]
    return head + closing[0] if closing else lo


def _bracketed(text: str, lo: int, position: int) -> bool:
    """Whether a position sits inside brackets opened after ``lo`` ("the check (PyPI
    provenance, ...)"): an aside listing things, not who speaks."""
    before = text[lo:position]
    return before.count("(") > before.count(")")


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


DOCUMENT_AUTHOR = "\x00document-author"


def _salient_before(mentions: list[Mention], position: int, types: set[str]) -> str | None:
    """What "the company" most likely means: the most-named fitting entity so far."""
    before = [m for m in mentions if m.start < position and m.type in types]
    if not before:
        return None
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    for index, mention in enumerate(before):
        counts[mention.id] = counts.get(mention.id, 0) + 1
        last[mention.id] = index
    return max(counts, key=lambda i: (counts[i], last[i]))


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
        _salient_before([m for m in mentions if m.id not in news], 10**9, {"ORG"})
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


def _last_before(mentions: list[Mention], position: int, types: set[str]) -> str | None:
    before = [m for m in mentions if m.start < position and m.type in types]
    return before[-1].id if before else None


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
