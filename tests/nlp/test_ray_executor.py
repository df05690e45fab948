"""The analyse stage on Ray (``aiwire[ray]``): a real local Ray instance, real actors.

Ray is a test dependency (requirements.lock), so these run in CI; the checks are that
Ray's records are the local ones, in order, with a bad article reported, and that
``aiwire analyze --executor ray`` leaves the store as the local executor does.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aiwire.cli import main
from aiwire.nlp.batch import analyse_batch
from aiwire.nlp.ray_executor import iter_records_ray
from aiwire.store import Store

ray = pytest.importorskip("ray")
TABLES = ("mentions", "figures", "claims", "article_techniques", "assertions")


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray instance for the module (starting one costs 10-20 s here), with
    Ray's usage reporting off: tests never reach the internet."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()
    monkeypatch.undo()


def _rows(store: Store) -> list[dict]:
    return store.rows("SELECT id, url, source, feed_id, published, clean_text, title, "
                      "content_hash FROM articles WHERE relevant = 1 AND duplicate_of IS NULL "
                      "ORDER BY id")


def _analysis(store: Store) -> dict[str, list]:
    return {t: store.rows(f"SELECT * FROM {t} ORDER BY article_id, rowid") for t in TABLES}


def test_ray_actors_give_the_local_records_and_report_a_bad_article(
        local_ray, analysed_store, nlp):
    rows = _rows(analysed_store)[:5]
    broken = dict(rows[2], clean_text=12345)          # not text: spaCy refuses it
    given = rows[:2] + [broken] + rows[3:]
    records = list(iter_records_ray(given, actors=2, chunk_size=2))
    assert [r["article_id"] for r in records] == [r["id"] for r in given]
    assert "mentions" not in records[2] and records[2]["error"].split(":")[0].endswith("Error")
    assert [r for r in records if "error" not in r] == analyse_batch(rows[:2] + rows[3:], nlp)
    assert ray.is_initialized()              # a cluster it joined is left running


def test_aiwire_analyze_on_ray_stores_what_the_local_executor_stores(
        local_ray, analysed_store, tmp_path):
    expected = _analysis(analysed_store)
    some = [r["id"] for r in _rows(analysed_store)[:4]]
    marks = ",".join("?" * len(some))
    with analysed_store.transaction():
        for table in TABLES:
            analysed_store.conn.execute(f"DELETE FROM {table} WHERE article_id IN ({marks})",
                                        some)
        analysed_store.conn.execute(
            f"UPDATE articles SET analyzed_hash = NULL WHERE id IN ({marks})", some)
    path = analysed_store.path
    analysed_store.close()
    result = CliRunner().invoke(main, ["analyze", "--db", str(path), "--executor", "ray",
                                       "--ray-address", "auto"])
    assert result.exit_code == 0, result.output
    assert "analysed 4 article(s)" in result.output
    store = Store(path)
    try:
        assert _analysis(store) == expected
    finally:
        store.close()


def test_ray_options_without_the_ray_executor_are_refused(tmp_path):
    result = CliRunner().invoke(main, ["analyze", "--db", str(tmp_path / "x.db"),
                                       "--ray-actors", "3"])
    assert result.exit_code != 0
    assert "--executor ray" in result.output
