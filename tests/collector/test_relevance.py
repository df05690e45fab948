"""The AI-security relevance test and per-feed keywords."""

from __future__ import annotations

import pytest

from aiwire.collector.relevance import is_relevant

ON_TOPIC = [
    "Attackers used prompt injection to make the AI assistant leak customer data; the "
    "chatbot was exploited through a malicious email, the breach report says.",
    "Anthropic accused Alibaba of illicitly extracting Claude's capabilities through fake "
    "accounts, a distillation attack on its language models.",
    "A poisoned model uploaded to a hub carried a backdoor; the malicious LLM weights "
    "were downloaded thousands of times before the attack was found.",
    # privacy harm from an AI product: sensitive data seen by people who should not see it
    "Contractors paid to label clips for an AI assistant's smart glasses say they watched "
    "intimate footage of wearers at home; the regulator opened a privacy investigation.",
    # an AI agent turned against its owner, told without the word "attack"
    "Hidden instructions in support emails fooled the company's AI refund agent into "
    "paying out; it fixed the flaw a day later.",
    # taking a model, told without "theft" or "distillation"
    "The lab says a rival siphoned its chatbot's answers through fake accounts to copy the "
    "model's capabilities.",
    # a short report on a model taken by harvesting its answers
    "Pell Labs says bots harvested the answers of its Mira model with stolen cards and "
    "trained a rival model on them.",
    # private chats made findable, told without "breach" or "leak"
    "Thousands of chats people shared from the Orla chatbot were indexed by Google, and "
    "some showed up in search results with personal details; privacy concerns followed.",
    # a tool server for AI agents turned malicious, with no "AI" written
    "A malicious MCP server on npm quietly copied every email it sent to an outside "
    "address; the backdoor stole thousands of messages before anyone noticed.",
    # an AI agent let do more than it should, told as permissions rather than an attack
    "An AI coding agent running with broader permissions than its task needed wiped a "
    "firm's live database; the firm blamed a misconfiguration of access control.",
]
OFF_TOPIC = [
    "Corran Logistics will close its warehouse, which used AI-powered sorting robots, "
    "and move staff to a new site next year.",
    "Chipmaker earnings beat forecasts on AI demand; shares rose 6% as data-centre sales "
    "of AI accelerators doubled.",
    "A ransomware attack hit a hospital; attackers stole patient records and demanded a "
    "ransom, the breach notice says.",
    # privacy advice about AI chatbots is not an incident
    "Five privacy tips for using AI chatbots: turn off chat history, keep private details "
    "out of prompts and review what the assistant remembers.",
    # manipulated markets are not a manipulated AI system
    "Traders accused of manipulating grain prices used a chatbot to draft their emails, "
    "prosecutors said at the hearing.",
    # "prompts" the verb in a phishing story is no AI
    "A fake breach notice prompts the recipient to click a link and enter a password; the "
    "phishing email copies the bank's logo.",
    # one access word in an AI story is no incident
    "The museum's new AI guide greets visitors at the access control gate and answers "
    "questions about the paintings.",
]


@pytest.mark.parametrize("text", ON_TOPIC)
def test_ai_security_news_is_relevant(text):
    assert is_relevant(text)


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_news_is_not(text):
    assert not is_relevant(text)


def test_feed_keywords_must_match_too():
    assert is_relevant(ON_TOPIC[1], ["Claude", "Qwen"])
    assert not is_relevant(ON_TOPIC[0], ["Claude", "Qwen"])
    assert is_relevant(ON_TOPIC[0], ["prompt INJECTION"])     # case-insensitive
