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
    names = ai_names()
    ai = len(AI_TERMS.findall(text)) + (len(names.findall(text)) if names else 0)
    security = len(SECURITY_TERMS.findall(text))
    return ai >= MIN_AI and security >= MIN_SECURITY and ai + security >= MIN_TOTAL
