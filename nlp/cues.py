"""Stance cues: the words that make a sentence a candidate claim, with the stance each
gives (declines, no statement, denies, confirms, alleges, reports). Read by the claims
reader and by the parse gate (``parsing.wants_parse``), which parses only sentences that
hold one."""

from __future__ import annotations

import re


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
        # owning an attack: "claimed responsibility for the attack"
        r"|\bclaim(?:s|ed|ing)?\s+(?:full\s+)?(?:responsibility|credit)\b"
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
