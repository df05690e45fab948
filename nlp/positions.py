"""What was said, read for the position it takes: a plain "said" becomes a denial of
harm ("no customer data was accessed", "only a few records were accessed"), an admission
(an incident of the speaker's own), or an accusation (evidence, suspicion, attribution, an
exposure found in someone else's systems). Word classes and the passage's context, not
phrases from any one article."""

from __future__ import annotations

import re

from aiwire.nlp.cues import STANCE_CUES
from aiwire.nlp.discourse import DOCUMENT_AUTHOR, SPEAKER_TYPES, Context


WRONGDOING = re.compile(r"\b(fake|fraudulent|illicit\w*|stole|stolen|steal\w*|theft|"
                        r"distil\w*|extract\w*|scrap\w*|copied|copy|violat\w*|misus\w*|"
                        r"abus\w*|unauthori[sz]ed|siphon\w*|harvest\w*)\b", re.I)


# Words that make an act an accusation: "banned accounts suspected of links to ..."
ACCUSING = re.compile(r"\b(?:suspect\w*|ties\s+to|tied\s+to|"
                      r"connect(?:ed|ions?)\s+(?:to|with)|allegedly|likely|"
                      r"influence\s+operations?|(?:china|russia|iran|north\s+korea)-linked)\b",
                      re.I)


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
        r"sanction\w*|"
        # "no data was taken": what leaves in a breach, said in the passive
        r"(?:was|were|been|being)\s+(?:taken|copied|downloaded|exfiltrated|viewed))")


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
    # (the common words in either case: a Title-Case headline writes "State-Backed Hackers")
    r"\b(?i:state|government|military)[- ](?i:sponsored|backed|linked|affiliated|aligned|run)\b"
    r"|\b(?i:nation)[- ](?i:state)\b|\b[A-Z][a-z]+-(?i:backed|linked|sponsored)\b"
    r"|\b(?i:linked\s+to)\s+(?:(?i:the)\s+)?[A-Z][a-z]+\s+(?i:state|government|military|"
    r"intelligence)\b"
    r"|\b[A-Z][a-z]+(?:ese|ian|an|ish|i)\s+(?:[\w-]+\s+){0,2}?(?i:hackers?|hacking\s+groups?|"
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


def said_position(stance: str, hedged: bool, speaker: str, target: str | None,
                  text: str, match: re.Match, context: "Context",
                  offset: int) -> tuple[list[str], bool]:
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
    about_self = speaks_of_self(speaker, said, context, offset + match.start())
    stances: list[str] = []
    no_evidence = re.search(rf"{NEGATION}\s+(?:\w+\s+)?evidence", said, re.I)
    shown = EVIDENCE.search(said)
    if shown and no_evidence and no_evidence.start() > shown.end() and \
            CONCESSIVE.search(said[shown.end():no_evidence.start()]):
        # "there is a lot of evidence that X did Y," although he offered no evidence:
        # the narrator's doubt hedges the accusation, it does not withdraw it
        no_evidence, hedged = None, True
    ellipsis = ELLIPTIC_DENIAL.search(said)
    if ellipsis and not names_self(ellipsis.group("who"), speaker, context):
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
            employer_of(speaker, context, offset + match.start()) or (
                BOUNDED.search(said) and speaker == context.actor_at(cue_at))):
        # (what was accessed, bounded by the party the passage is about, is its denial)
        # "no customer data was exposed", "did not access"; also said by the firm's own
        # official ("Ada Bell, Orbix's head of security, said no data was accessed")
        stances.append("denies")
    elif UNHARMED.search(said) and about_self and not INCIDENT_ADMITTED.search(said):
        stances.append("denies")            # "customer data was unaffected", "remained secure"
    if not stances and is_state(speaker, context) and STATE_DENIAL.search(said):
        return ["denies"], hedged           # "China firmly opposes all forms of cyberattacks"
    if not stances and context.is_authority(speaker) and REGULATORY_WRONG.search(said):
        return ["alleges"], hedged          # "the commission said the calls broke its rules"
    if ATTRIBUTION.search(said) and not stances:
        return ["alleges"], hedged          # naming who did it accuses them
    # an organisation's finding, not a commentator's colour (a person quoted on attackers
    # or a known group may only be explaining them)
    finder = next((m.type for m in context.mentions if m.id == speaker), "ORG") != "PERSON"
    if not stances and finder and any(
            m.type == "THREAT_ACTOR" and m.id != speaker and
            said_at <= m.start < offset + len(text) for m in context.mentions):
        return ["alleges"], hedged          # naming a known threat group in what was said
    if not stances and finder and not about_self and ATTACKER_HARM.search(said):
        return ["alleges"], hedged          # "attackers compromised Y's build": told by a finder
    negated = NEGATED_HARM.search(said)
    positive = INCIDENT.search(said[:negated.start()] if negated else said)
    if positive and MODAL_BEFORE.search(said[max(0, positive.start() - 25):positive.start()]):
        positive = None                     # "any of us could be tricked": a what-if
    if positive and about_self and not other:
        stances.append("confirms")          # a company acknowledging its own incident
    elif not stances and VICTIM.search(said) and FAKED.search(said) and \
            next((m.type for m in context.mentions if m.id == speaker), "") == "PERSON":
        stances.append("confirms")          # "using my falsified voice": the one impersonated
    if stances:
        return stances, hedged
    if EVIDENCE.search(said) and not no_evidence:
        return ["alleges"], True            # "there is evidence that X did Y": hedged
    if no_evidence:
        return [stance], hedged
    kind = next((m.type for m in context.mentions if m.id == speaker), "ORG")
    if other is None and not about_self and (kind != "PERSON" or former_speaks_of_firm(
            speaker, said, context, offset + match.start())):
        # "X noted that the data had been exposed": about the passage's actor, not X;
        # a person's "the company" is the passage's actor too (a former employee's word)
        actor = context.actor_at(offset + match.start())
        implied = actor if actor and actor != speaker else None
    else:
        implied = other
    if implied and exposed_by(implied, said, context):
        return ["alleges"], hedged          # "Wiz revealed that Microsoft leaked its data"
    owner = implied or (context.main_actor if context.main_actor != speaker else None)
    exposure = PASSIVE_EXPOSURE.search(NEGATED_HARM.sub(" ", said))
    if exposure and POSSIBLE.search(said[max(0, exposure.start() - 50):exposure.start()]):
        exposure = None                     # "raising the possibility that keys were exposed"
    if owner and other is None and not about_self and exposure and \
            employer_of(speaker, context, offset + match.start()) in (None, speaker):
        # a finder: "the data had been exposed since May" (the owner's own officer telling
        # how its users' chats were exposed finds nothing against anyone)
        return ["alleges"], hedged
    # "a breach linked to its vendor" tells where an incident came from, not who is to blame
    suspected = USED_LOOT.sub(" ", EXPECTING.sub(" ", INCIDENT_LINK.sub(
        " ", NEGATED_HARM.sub(" ", said))))
    if ACCUSING.search(EXPECTING.sub(" ", INCIDENT_LINK.sub(" ", said))) or (
            implied and SUSPICION.search(suspected)):
        return ["alleges"], hedged or bool(re.search(r"\b(likely|suspect\w*|allegedly)\b",
                                                        said, re.I))
    named_in_said = other is not None and any(
        m.id == other and offset + match.end() <= m.start < offset + len(text)
        for m in context.mentions)
    if named_in_said and not about_self and RISKS.search(said):
        return ["alleges"], hedged          # "qualities of Orbix's app that suggest security risks"
    if other and WRONGDOING.search(USED_LOOT.sub(" ", text[match.end():])) and \
            named_in_said and \
            (speaker == DOCUMENT_AUTHOR or not match.group().lower().startswith("according")):
        return ["alleges"], hedged          # the accused is named in what was said
    return [stance], hedged


# A person telling of their own voice, name or face used by someone else: the victim of an
# impersonation owning up to it ("the money taken using my falsified voice and name").
VICTIM = re.compile(r"\b(?:my|his|her)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:voice|name|face|"
                    r"likeness|identity|image|photos?|signature)\b", re.I)
FAKED = re.compile(r"\b(?:fraud\w*|falsifi\w*|forg(?:ed|ery)|impersonat\w*|fake[ds]?|"
                   r"clon(?:ed|ing)|deep-?faked?|scam\w*|spoof\w*|mimic\w*)\b", re.I)
# Stolen things put to use in an attack's telling ("attackers used stolen OAuth tokens to
# get in") describe how it was done; they accuse the victim the passage is about of nothing.
USED_LOOT = re.compile(r"\bstolen\s+(?:[\w-]+\s+){0,2}?(?:credentials?|tokens?|keys?|passwords?|"
                       r"accounts?|cookies?|logins?|sessions?|certificates?|secrets?)\b", re.I)
# A bounded denial: "only a limited number of records were actually accessed".
BOUNDED = re.compile(r"\bonly\s+(?:a\s+)?(?:very\s+)?(?:limited|small|handful|few|tiny|fraction|"
                     r"minority|single|one|two|three|\d[\d,]*)\b[^.;:]{0,60}?\b(?:was|were|"
                     r"(?:had|has|have)\s+been)\s+(?:actually\s+|ever\s+)?(?:accessed|exposed|"
                     r"affected|viewed|compromised|taken|stolen|impacted|downloaded)\b", re.I)


# Blame turned away: "the cause was user error, not the AI", "caused by a misconfiguration
# rather than a flaw".
DEFLECTION = re.compile(r"\b(?:root\s+cause|cause|fault|blame|caused\s+by|due\s+to|result\s+of|"
                        r"attributable\s+to)\b[^.;]{0,100}?(?:[,—–-]\s*|\s)"
                        r"(?:not|rather\s+than)"
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


def is_state(speaker: str, context: "Context") -> bool:
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


def names_self(words: str, speaker: str, context: "Context") -> bool:
    """Whether the subject of an elided denial is the speaker: "its own", "ours", "we",
    the speaker's name."""
    if re.search(r"\b(?:its|their|our)\s+own\b|\b(?:ours|we|it|theirs)\b", words, re.I):
        return True
    names = {m.text.casefold() for m in context.mentions if m.id == speaker}
    return any(n in words.casefold() for n in names)


def employer_of(person: str, context: "Context", position: int) -> str | None:
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


def former_speaks_of_firm(speaker: str, said: str, context: "Context",
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


def exposed_by(party: str, said: str, context: "Context") -> bool:
    """What was said has that party leaking or exposing data as the one doing it:
    "Microsoft accidentally leaked 38TB", "Orbix left a database open" (an exposure found
    in someone else's repositories names no culprit)."""
    names = {m.text for m in context.mentions if m.id == party}
    return any(re.search(rf"{re.escape(n)}(?:[’']s\s+[\w-]+(?:\s+[\w-]+)?)?\s+"
                         rf"(?:\w+ly\s+)?(?:had\s+|has\s+)?{EXPOSURE}", said)
               for n in names)


def speaks_of_self(speaker: str, said: str, context: "Context", position: int) -> bool:
    """Whether what the speaker said concerns the speaker: "we", its own name, or "it" /
    "the company" when the speaker is the organisation the passage is about."""
    if re.search(r"\b(we|our|us|ours)\b", said, re.I):
        return True
    name = next((m.name for m in context.mentions if m.id == speaker), speaker)
    if name.lower() in said.lower():
        return True
    kind = next((m.type for m in context.mentions if m.id == speaker), "ORG")
    if kind == "PERSON":
        # "Ada Bell said scammers had used her photo": what happened to the speaker; "Orbix
        # CEO Ada Bell wrote that the company had fixed it": her firm's own incident
        return bool(re.search(r"\b(?:his|her|my)\s+(?:own\s+)?(?!\w+ing\b)[a-z]+", said)) or \
            (employer_of(speaker, context, position) not in (None, speaker) and
             bool(re.search(r"\b(?:we|our|us|the\s+company|the\s+firm)\b", said, re.I)))
    if context.main_actor is None:
        return True              # nobody else named: the speaker is the passage's actor
    if speaker == context.actor_at(position) or speaker == context.main_actor:
        return bool(SELF.search(said)) or speaker == context.main_actor
    return False
