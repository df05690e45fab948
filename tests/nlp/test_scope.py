"""Scope: what was reached, asserted, bounded or denied."""

from __future__ import annotations

import pytest

from aiwire.nlp.scope import find_scope


@pytest.mark.parametrize("sentence, obj, position", [
    ("Investigators say the intruders copied 3.2 million records from the loyalty database.",
     "records", "asserted"),
    ("The insurer said only a small number of records were actually viewed.",
     "records", "bounded"),
    ("No patient data was accessed during the intrusion, the clinic said.", "data", "denied"),
    ("The vendor says the bug has not been exploited in the wild.", "in the wild", "denied"),
    ("The flaw was actively exploited against two regional banks.", "in the wild",
     "asserted"),
])
def test_scope_statements(sentence, obj, position):
    found = {(s.object, s.position) for s in find_scope(sentence)}
    assert (obj, position) in found


def test_hypotheticals_assert_nothing():
    assert find_scope("An attacker could download 40,000 files with a single request.") == []
