"""A STIX 2.1 bundle per ISO week, for threat-intelligence platforms to import.

Each story becomes a ``report``; organisations and people ``identity`` objects, named
threat groups ``intrusion-set`` (how threat intelligence tracks a group such as APT28 or
LockBit; who is behind it, the ``threat-actor``, is not something reporting establishes),
CVEs ``vulnerability``, ATLAS techniques ``attack-pattern`` with a ``mitre-atlas``
external reference, and every contradiction a ``note`` that quotes every side.

Contradictions are also structured: each note carries the property extension
``aiwire-contradiction`` (its ``extension-definition`` object is in every bundle that
uses it, :data:`CONTRADICTION_SCHEMA` is its normative text): the kind, topic, severity,
subject, and the ``positions``, each a value with every outlet that reported it (name,
url, quote, published). A platform that does not know the extension still shows the
note; one that does can compare the values.

Written by hand (no stix2 library); ids are uuid5 of our own ids under a fixed namespace
(STIX suggests uuid4, but random ids would change every build), and timestamps come from
the data, so a rebuild gives the same bytes. Checked with stix2-validator in the tests.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import quote

from aiwire.site.model import Site, parse_time
from aiwire.site.newsletter import positions
from aiwire.site.sanitize import safe_url

NAMESPACE = uuid.UUID("0d6c1a8e-5b1f-5f6e-8f0e-4a3b2c1d0e9f")  # aiwire's STIX ids, fixed
EPOCH = "1970-01-01T00:00:00.000Z"
_URI_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CVE = re.compile(r"^cve-\d{4}-\d{4,}$")


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def stamp(value: object) -> str:
    """A STIX timestamp: UTC, millisecond precision (required for created/modified)."""
    moment = parse_time(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z" \
        if moment else EPOCH


AIWIRE = stix_id("identity", "aiwire")
CONTRADICTION_EXTENSION = stix_id("extension-definition", "aiwire-contradiction")
CONTRADICTION_SCHEMA = (
    "aiwire contradiction, version 1.0 (property extension of note). Properties: "
    "extension_type = 'property-extension'; kind (string: figure, response, date, scope or "
    "claim); topic (string: what the values are about, e.g. account_count, response, "
    "what_taken); topic_label (string, in words); severity (string: hard = the values "
    "cannot all be true, soft = rounding, wording or timing); subject (string or absent: "
    "the party the values are about); subject_ref (identifier of that party's identity or "
    "intrusion-set in the same bundle, or absent); positions (list, at least two): "
    "value (number for figures, string code for stances and claims, or absent), "
    "text (string: the value as the first outlet wrote it), sources (list: name, url, "
    "quote, published), one position per distinct value, most widely reported first.")


def _base(kind: str, key: str, created: str, modified: str) -> dict[str, Any]:
    return {"type": kind, "spec_version": "2.1", "id": stix_id(kind, key),
            "created": created, "modified": max(created, modified)}


def _aiwire_identity() -> dict[str, Any]:
    return {"type": "identity", "spec_version": "2.1", "id": AIWIRE, "created": EPOCH,
            "modified": EPOCH, "name": "aiwire", "identity_class": "system",
            "description": "Automated aggregator of AI-security reporting."}


def _entity_object(site: Site, entity_id: str) -> dict[str, Any] | None:
    entity = site.entities[entity_id]
    first = site.stories[entity["stories"][0]]["first_seen"]
    created = stamp(first)
    kind = entity["type"]
    if kind in ("ORG", "PERSON"):
        obj = _base("identity", entity_id, created, created)
        obj.update(name=entity["name"],
                   identity_class="organization" if kind == "ORG" else "individual")
    elif kind == "THREAT_ACTOR":  # a named group, as threat intelligence tracks it
        obj = _base("intrusion-set", entity_id, created, created)
        obj.update(name=entity["name"])
    elif kind == "CVE" and _CVE.match(entity_id):
        obj = _base("vulnerability", entity_id, created, created)
        obj.update(name=entity_id.upper(), external_references=[
            {"source_name": "cve", "external_id": entity_id.upper()}])
    else:
        return None
    obj["created_by_ref"] = AIWIRE
    return obj


def _attack_pattern(site: Site, technique_id: str) -> dict[str, Any]:
    technique = site.techniques[technique_id]
    created = stamp(site.stories[technique["uses"][0]["story"]]["first_seen"])
    obj = _base("attack-pattern", technique_id, created, created)
    reference: dict[str, str] = {"source_name": "mitre-atlas", "external_id": technique_id}
    if technique["atlas"]:
        reference["url"] = technique["atlas"]
    obj.update(created_by_ref=AIWIRE, name=technique["name"], external_references=[reference])
    return obj


def uri(url: object) -> str | None:
    """An http(s) URL as a valid URI (RFC 3986): characters a URI cannot hold, such as
    quotes, angle brackets, spaces and non-ASCII, percent-encoded. None if not a link."""
    href = safe_url(url)
    return _BARE_PERCENT.sub("%25", quote(href, safe=_URI_SAFE)) if href else None


def _references(items: list[tuple[str, str | None, str]]) -> list[dict[str, str]]:
    """External references for the http(s) sources only; others cannot be followed."""
    refs = []
    for source, url, description in items:
        href = uri(url)
        if href:
            ref = {"source_name": source or "unknown", "url": href}
            if description:
                ref["description"] = description
            refs.append(ref)
    return refs


def _extension_definition() -> dict[str, Any]:
    return {"type": "extension-definition", "spec_version": "2.1",
            "id": CONTRADICTION_EXTENSION, "created": EPOCH, "modified": EPOCH,
            "created_by_ref": AIWIRE, "name": "aiwire contradiction",
            "description": "Where news outlets disagree about one fact of an incident: each "
                           "value with the outlets that reported it.",
            "schema": CONTRADICTION_SCHEMA, "version": "1.0.0",
            "extension_types": ["property-extension"]}


def _plain(value: Any) -> Any:
    """A side's value as JSON STIX accepts: whole floats as integers, codes as text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, (int, float, str)) else None


def _contradiction(c: dict[str, Any], subject_ref: str | None) -> dict[str, Any]:
    """The structured form of a contradiction: the aiwire-contradiction extension."""
    out: dict[str, Any] = {"extension_type": "property-extension", "kind": c["kind"],
                           "topic": c["topic"], "topic_label": c["topic_label"],
                           "severity": "hard" if c["hard"] else "soft", "positions": []}
    if c.get("subject_name"):
        out["subject"] = c["subject_name"]
    if subject_ref:
        out["subject_ref"] = subject_ref
    for group in positions(c):
        position: dict[str, Any] = {"text": group["text"], "sources": []}
        value = group.get("value")
        if value is not None:
            position["value"] = value
        for source in group["sources"]:
            item = {"name": source["name"], "quote": source["quote"]}
            if uri(source["href"]):
                item["url"] = uri(source["href"])
            if source.get("published"):
                item["published"] = stamp(source["published"])
            position["sources"].append(item)
        out["positions"].append(position)
    return out


def _note(story: dict[str, Any], c: dict[str, Any], report_id: str,
          subject_ref: str | None = None) -> dict[str, Any]:
    key = f"{story['id']}:{c['id'] or c['kind'] + ':' + c['topic'] + ':' + str(c['subject'])}"
    times = [stamp(s["published"]) for s in c["sides"] if s.get("published")]
    created = max(times) if times else stamp(story["last_seen"])
    obj = _base("note", key, created, created)
    about = f" ({c['subject_name']})" if c["show_subject"] else ""
    hard = "hard" if c["hard"] else "soft"
    sides = "\n".join(f"- {g['label']}: {g['count']} "
                      f"({', '.join(o['name'] for o in g['outlets'])})" for g in c["groups"])
    quotes = "\n".join(f"- {s['source'] or 'unknown'}: \"{s['quote']}\"" for s in c["sides"])
    obj.update(created_by_ref=AIWIRE, abstract=f"Sources disagree: {c['heading']}{about}",
               content=f"{c['heading']}{about}: {c['severity_label']} ({hard}).\n{sides}\n"
                       f"Quotes:\n{quotes}",
               authors=["aiwire"], object_refs=[report_id],
               labels=["contradiction", c["kind"], hard])
    refs = _references([(s["source"], s["url"], s["quote"]) for s in c["sides"]])
    if refs:
        obj["external_references"] = refs
    obj["extensions"] = {CONTRADICTION_EXTENSION: _contradiction(c, subject_ref)}
    return obj


def bundle(site: Site, week: str) -> dict[str, Any]:
    """The week's stories as one STIX 2.1 bundle; every ref resolves inside it."""
    objects: dict[str, dict[str, Any]] = {AIWIRE: _aiwire_identity()}
    for sid in site.weeks.get(week, []):
        story = site.stories[sid]
        report = _base("report", sid, stamp(story["first_seen"]), stamp(story["last_seen"]))
        refs: list[str] = []
        for entity in story["entities"]:
            obj = _entity_object(site, entity["id"])
            if obj is not None:
                objects[obj["id"]] = obj
                refs.append(obj["id"])
        for technique in story["techniques"]:
            obj = _attack_pattern(site, technique["id"])
            objects[obj["id"]] = obj
            refs.append(obj["id"])
        for c in story["contradictions"]:
            subject = _entity_object(site, c["subject"]) if c["subject"] in site.entities \
                else None
            if subject is not None:
                objects[subject["id"]] = subject
            note = _note(story, c, report["id"], subject["id"] if subject else None)
            objects[note["id"]] = note
            objects[CONTRADICTION_EXTENSION] = _extension_definition()
            refs.append(note["id"])
        description = " ".join(s["sentence"] for s in story["summary"])
        report.update(created_by_ref=AIWIRE, name=story["title"],
                      description=description or story["title"],
                      published=stamp(story["last_seen"]), report_types=["threat-report"],
                      object_refs=sorted(set(refs)) or [AIWIRE],
                      labels=["ai-security"])
        refs_out = _references([(a["source"], a["url"], a["title"]) for a in story["timeline"]])
        if refs_out:
            report["external_references"] = refs_out
        objects[report["id"]] = report
    return {"type": "bundle", "id": stix_id("bundle", week),
            "objects": [objects[k] for k in sorted(objects)]}


def bundle_inputs(site: Site, week: str) -> list[Any]:
    """Everything a week's bundle is made from, for the build's change detection."""
    stories = [site.stories[s] for s in site.weeks.get(week, [])]
    firsts = sorted({(e["id"], site.stories[site.entities[e["id"]]["stories"][0]]["first_seen"])
                     for s in stories for e in s["entities"]}
                    | {(t["id"], site.stories[site.techniques[t["id"]]["uses"][0]["story"]]
                        ["first_seen"]) for s in stories for t in s["techniques"]})
    return [week, [{k: v for k, v in s.items() if k != "scores"} for s in stories], firsts]


def bundle_json(site: Site, week: str) -> str:
    return json.dumps(bundle(site, week), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")) + "\n"


def stix_files(site: Site) -> dict[str, str]:
    return {f"stix/{week}.json": bundle_json(site, week) for week in site.weeks}
