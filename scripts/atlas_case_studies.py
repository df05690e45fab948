"""Measure ATLAS tagging on MITRE's own case studies: a second table nobody here wrote.

Each case study in ATLAS.yaml describes one incident or exercise and lists the techniques
of its procedure. This script runs aiwire's tagger over each case study's summary (one
"story" of one "article"), decides the story's techniques as the analyse stage does
(``story_techniques``), and scores them against the procedure's techniques at the parent
level (AML.T0024.002 -> AML.T0024): micro precision and recall, plus recall over the
techniques aiwire's KB covers at all. It also checks that every KB id and name is the
one this ATLAS release gives.

The summaries are short and the procedures long, so recall here is bounded by what a
summary says; precision is the more telling number. The file is MITRE's (see its
LICENSE); it is read at run time and nothing of it is copied into the project.

Usage (needs ../shared, so never part of ``make test``):

    .venv/bin/python scripts/atlas_case_studies.py [--atlas PATH] [--procedure] [--details]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

DEFAULT_ATLAS = (Path(__file__).resolve().parents[1] / ".." / "shared" / "reference"
                 / "atlas" / "ATLAS.yaml")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain(text: str) -> str:
    """Markdown links to their text; citations and emphasis marks dropped."""
    text = _LINK.sub(r"\1", text or "")
    return re.sub(r"[*_`]+", "", text)


def split_sentences(nlp, text: str) -> list[str]:
    from aiwire.nlp.doccache import sentences

    out = []
    for paragraph in plain(text).split("\n"):
        if paragraph.strip():
            out += [s.text.strip() for s in sentences(nlp(paragraph)) if s.text.strip()]
    return out


def kb_mismatches(data: dict) -> list[str]:
    """KB techniques whose id is not in this ATLAS release or whose name differs from it
    (a sub-technique may be named "Parent: Sub")."""
    from aiwire.nlp.techniques import load_techniques, parent_id

    names = {t["id"]: t["name"] for m in data.get("matrices") or []
             for t in m.get("techniques") or []}
    problems = []
    for technique in load_techniques():
        name = names.get(technique.id)
        if name is None:
            problems.append(f"{technique.id}: not in ATLAS {data.get('version')}")
            continue
        parent = parent_id(technique.id)
        allowed = {name} | ({f"{names.get(parent)}: {name}"} if parent != technique.id else set())
        if technique.name not in allowed:
            problems.append(f"{technique.id}: KB name {technique.name!r}, ATLAS says {name!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--atlas", type=Path, default=DEFAULT_ATLAS,
                        help="ATLAS.yaml (default: ../shared/reference/atlas/ATLAS.yaml)")
    parser.add_argument("--procedure", action="store_true",
                        help="also tag the procedure step descriptions, not only the summary")
    parser.add_argument("--threshold", type=int, default=None,
                        help="story support needed (default: the KB's story_threshold)")
    parser.add_argument("--details", action="store_true",
                        help="list each case study's hits, misses and false positives")
    args = parser.parse_args(argv)
    if not args.atlas.exists():
        print(f"{args.atlas}: not found; this measurement needs the shared ATLAS.yaml "
              "(pass --atlas PATH)", file=sys.stderr)
        return 2

    from aiwire.nlp.pipeline import load_pipeline
    from aiwire.nlp.techniques import evidence_hits, load_techniques, parent_id, story_techniques

    data = yaml.safe_load(args.atlas.read_text("utf-8"))
    for problem in kb_mismatches(data):
        print(f"nlp/kb/atlas.yaml: {problem}", file=sys.stderr)
    covered = {parent_id(t.id) for t in load_techniques()}
    nlp = load_pipeline()
    tp = fp = fn = fn_covered = 0
    for case in data.get("case-studies") or []:
        gold = {parent_id(step["technique"]) for step in case.get("procedure") or []}
        text = case.get("summary") or ""
        if args.procedure:
            text += "\n" + "\n".join(step.get("description") or ""
                                     for step in case.get("procedure") or [])
        rows = [(hit.id, hit.evidence, None) for hit in evidence_hits(split_sentences(nlp, text))]
        got = {parent_id(t.id) for t in story_techniques(rows, args.threshold)}
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
        fn_covered += len((gold & covered) - got)
        if args.details:
            print(f"{case['id']} {case['name'][:60]}")
            print(f"   hit {sorted(got & gold)}  fp {sorted(got - gold)}  "
                  f"missed(covered) {sorted((gold & covered) - got)}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    recall_covered = tp / (tp + fn_covered) if tp + fn_covered else 1.0
    source = "summary + procedure" if args.procedure else "summary"
    if args.threshold is not None:
        source += f", story threshold {args.threshold}"
    print(f"ATLAS {data.get('version')} case studies ({len(data.get('case-studies') or [])}, "
          f"{source}), parent level: precision {precision:.3f}, recall {recall:.3f} "
          f"(recall over techniques the KB covers {recall_covered:.3f}); "
          f"tp {tp} fp {fp} fn {fn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
