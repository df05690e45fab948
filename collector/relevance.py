"""Is an article AI-security news? Off-topic articles are stored but not analysed.

Two tests: the feed's own ``keywords`` (any must appear, when given) and a global one
that needs both an AI term and a security term, so "AI-powered sorting" in a warehouse
story or AI chips in an earnings report do not pass.
"""

from __future__ import annotations

import re
from functools import lru_cache

AI_TERMS = re.compile(
    r"\b(AI|A\.I\.|artificial[- ]intelligence|machine[- ]learning|LLMs?|large language models?|"
    r"(?:language|AI|foundation|frontier|open[- ]weights?|open[- ]source|base|fine-tuned)\s+models?|"
    r"model weights|weights|training data|fine-tun\w*|inference|chatbots?|neural networks?|"
    r"GPT-?\w*|ChatGPT|Claude|Gemini|Llama|Qwen|Copilot|"
    # a prompt given to a model, not the verb ("the email prompts users to log in")
    r"prompts?(?!\s+(?:users?|them|you|people|customers|victims|readers|employees|staff|"
    r"him|her|to\b|(?:the|a|an|its|their|his|your|our)\s+[\w-]+\s+to\b))|"
    r"(?:AI\s+)?(?:assistant|agent)s?|deepfakes?|voice[- ]clon\w*|clon\w+\s+voice|"
    r"synthetic (?:voice|audio|video)|robotics|deep[- ]fakes?|AI-(?:powered|driven|generated)|"
    r"(?:ML|PyTorch|Keras|pickle|TensorFlow|ONNX|safetensors)\s+models?|"
    r"models?\s+(?:hosted|uploaded|repositor\w+|hub)|model\s+files?|vibe[- ]cod\w*|"
    # the protocol AI agents use to reach tools; vision models
    r"MCP|Model\s+Context\s+Protocol|computer[- ]vision|"
    r"(?-i:[A-Z][\w.-]+)\s+(?:model|chatbot)s?|train(?:ed|ing|s)?\s+(?:\w+\s+){0,3}?models?)\b",
    re.IGNORECASE)
SECURITY_TERMS = re.compile(
    r"\b(attack\w*|breach\w*|leak\w*|stole\w*|steal\w*|theft|distil\w*|distill\w*|"
    r"prompt[- ]injection|injection|jailbreak\w*|ransomware|ransom|hack\w*|exploit\w*|"
    r"vulnerab\w*|poison\w*|backdoor\w*|malicious|malware|exfiltrat\w*|extract\w*|"
    r"fraud\w*|scam\w*|impersonat\w*|CVE-\d{4}-\d+|threat actors?|cybercrim\w*|"
    r"compromis\w*|unauthori[sz]ed|illicit\w*|fake accounts?|exposed|exposure|"
    r"misconfigur\w*|regurgitat\w*|flaw\w*|bug|patch\w*|criminal\w*|extortion|"
    r"deepfakes?|spoof\w*|phishing|security|safety filters?|guardrails?|heist\w*|"
    r"imitat\w*|fake\w*|forged|forger\w*|bypass\w*|cloned|synthetic voice|"
    # an AI system turned against its owner: "tricked the agent", "hidden instructions"
    r"hijack\w*|tricked|tricking|fooled|manipulat\w*|"
    # taking a model: "siphoned its answers", "copied the model's capabilities"
    r"siphon\w*|harvest\w*|(?:cop(?:y|ied|ying)|replicat\w+)\s+(?:\w+\s+){0,3}?(?:models?|weights|"
    r"capabilit\w+|chatbots?)|"
    r"(?:hidden|malicious|injected|embedded|rogue)\s+(?:instructions|prompts|commands)|"
    r"influence\s+(?:operations?|campaigns?)|disinformation|propaganda|surveillance|covert|"
    r"espionage|(?:banned|bans?|disrupted|removed|took\s+down)\s+(?:\w+\s+){0,3}?"
    r"(?:accounts|networks|operations|clusters)|misuse\w*|abus\w+|threat\s+(?:report|intel\w*)|"
    r"unencrypted|hard-?coded\s+(?:keys?|credentials|secrets)|insecure|"
    # access that was wider than meant: an agent or account allowed more than it should
    r"(?:excessive|broad(?:er)?|elevated|over-?broad|unintended)\s+(?:\w+\s+)?"
    r"(?:permissions|privileges|access\s+rights)|privilege\s+escalation|over-?privileged|"
    r"access\s+controls?|"
    # privacy harm: sensitive data seen by people who should not see it
    r"privacy\s+(?:breach\w*|violation\w*|complaint\w*|investigation\w*|probe\w*|risks?|"
    r"concerns?|lapses?|failures?|nightmare|scandal|incident)|"
    # private things made findable: "indexed by Google", "showed up in search results"
    r"(?:indexed|searchable|discoverable)\s+(?:by|on|in|via|through)\s+(?:Google|Bing|"
    r"search(?:\s+engines?)?)|(?:appeared|appear|showed\s+up|show\s+up|surfaced|visible)\s+"
    r"in\s+(?:Google|Bing|search)|"
    r"doxx?\w*|intimate|sensitive\s+(?:footage|data|information|images|videos|content|"
    r"recordings))\b",
    re.IGNORECASE)

MIN_AI = 1
MIN_SECURITY = 2
MIN_TOTAL = 4


@lru_cache(maxsize=1)
def ai_names() -> re.Pattern | None:
    """Names of AI makers and products from the knowledge base (``kb/domains.yaml``).

    A page about DeepSeek's app or models hosted on Hugging Face is about AI even when it
    never writes "AI". Names match as written (case-sensitive), on word boundaries.
    """
    from aiwire.nlp.kb import domain_surfaces

    surfaces = sorted(domain_surfaces("ai"), key=len, reverse=True)
    if not surfaces:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in surfaces) + r")(?![\w-])")


def is_relevant(text: str, keywords: list[str] | None = None) -> bool:
    if keywords:
        lowered = text.lower()
        if not any(keyword.lower() in lowered for keyword in keywords):
            return False
    return _passes(*_counts(text))


# --- A second look: names the relevant reports describe as AI systems -------------------
#
# A report of an AI incident need not say what the system is ("the operators used Orla to
# draft posts"): its readers know from earlier coverage. A page that tells a security event
# but names no AI is read again once the run's pages are stored, with the names that the
# relevant reports of the same months describe as AI systems ("the Orla chatbot", "its
# chatbot Orla", "Orla, an AI assistant") counted as AI evidence. Names the knowledge base
# knows are its to judge (kb/domains.yaml), and everyday words are never learned, so a
# big company named next to its assistant ("Acme's AI assistant") does not make every
# report about it AI news.

NAME = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*(?![\w-])")
AI_THING = r"(?:AI\s+)?(?:chat\s?bots?|assistants?|models?|agents?|LLMs?|copilots?)\b"
AI_KIND = (r"(?:AI|A\.I\.|chat\s?bots?|(?:AI\s+|chat\s+)?assistants?|LLMs?|(?:large\s+)?"
           r"language\s+models?|AI\s+(?:models?|agents?|tools?|systems?))\b")
NAMES_PER_PAGE = 8        # the rarest names of a page are asked about, no more
REPORTS_PER_NAME = 30     # relevant reports read per name, the latest first
LOOK_DAYS = 365           # reports this many days either side describe a name
COMMON_ZIPF = 3.5         # a word this frequent in English is no product name


@lru_cache(maxsize=1)
def _known_surfaces() -> frozenset[str]:
    """Every name and alias of the knowledge base, lowercased."""
    from aiwire.nlp.kb import load_kb

    kb = load_kb()
    return frozenset(s.lower() for e in kb.entities.values() for s in (e.name, *e.aliases))


def _learnable(name: str) -> bool:
    from wordfreq import zipf_frequency

    return (len(name) >= 3 and name.lower() not in _known_surfaces()
            and zipf_frequency(name.lower(), "en") < COMMON_ZIPF
            and not AI_TERMS.fullmatch(name) and not SECURITY_TERMS.fullmatch(name))


def described_as_ai(name: str, text: str) -> bool:
    """Does ``text`` call ``name`` an AI system ("the Orla chatbot", "Orla, an AI tool")?"""
    n = re.escape(name)
    return re.search(
        rf"(?<![\w-]){n}(?:'s|’s)?\s+{AI_THING}|"
        rf"(?i:\b(?:chat\s?bot|assistant|model|agent|LLM))\s+{n}(?![\w-])|"
        rf"(?<![\w-]){n},\s+(?:a|an|the|its|their)\s+(?:[\w'’-]+\s+){{0,5}}?(?i:{AI_KIND})",
        text) is not None


def _counts(text: str) -> tuple[int, int]:
    names = ai_names()
    ai = len(AI_TERMS.findall(text)) + (len(names.findall(text)) if names else 0)
    return ai, len(SECURITY_TERMS.findall(text))


def _passes(ai: int, security: int) -> bool:
    return ai >= MIN_AI and security >= MIN_SECURITY and ai + security >= MIN_TOTAL


def rare_names(text: str) -> list[str]:
    """The page's names the knowledge base does not know and English does not use."""
    counts: dict[str, int] = {}
    for match in NAME.finditer(text):
        counts[match.group()] = counts.get(match.group(), 0) + 1
    names = [n for n in sorted(counts, key=lambda n: (-counts[n], n)) if _learnable(n)]
    return names[:NAMES_PER_PAGE]


def second_look(store, since_id: int,
                keywords: dict[str, list[str]] | None = None) -> list[int]:
    """Admit pages stored after ``since_id`` that tell a security event about an AI system
    only other reports name as one. ``keywords``: each feed's own filter, which still
    applies. Returns the ids now relevant."""
    rows = store.rows(
        "SELECT id, feed_id, published, clean_text FROM articles WHERE id > ? "
        "AND relevant = 0 AND duplicate_of IS NULL", (since_id,))
    admitted, asked = [], {}     # a name asked about once per run and month
    for row in rows:
        text = row["clean_text"] or ""
        wanted = (keywords or {}).get(row["feed_id"])
        if wanted and not any(k.lower() in text.lower() for k in wanted):
            continue        # the feed's own keywords keep it out
        ai, security = _counts(text)
        if security < MIN_SECURITY or _passes(ai, security):
            continue        # no security event told, or already judged on its own
        learned = []
        for name in rare_names(text):
            key = (name, (row["published"] or "")[:7])
            if key not in asked:
                asked[key] = _described_elsewhere(store, name, row)
            if asked[key]:
                learned.append(name)
        extra = sum(len(re.findall(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))
                    for n in learned)
        if extra and _passes(ai + extra, security):
            admitted.append(row["id"])
    if admitted:
        with store.transaction():
            for article_id in admitted:
                store.conn.execute("UPDATE articles SET relevant = 1 WHERE id = ?",
                                   (article_id,))
    return admitted


def _described_elsewhere(store, name: str, row) -> bool:
    reports = store.rows(
        "SELECT clean_text FROM articles WHERE relevant = 1 AND id != ? "
        "AND published BETWEEN date(?, ?) AND date(?, ?) AND instr(clean_text, ?) > 0 "
        "ORDER BY published DESC LIMIT ?",
        (row["id"], row["published"], f"-{LOOK_DAYS} days", row["published"],
         f"+{LOOK_DAYS + 1} days", name, REPORTS_PER_NAME))
    return any(described_as_ai(name, r["clean_text"] or "") for r in reports)
