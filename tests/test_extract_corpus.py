"""The regression gate on real pages: `../shared/corpus` scored as `score.py` scores it.

Every corpus (aeb: body; id: fields; fundus: both) is extracted the way
`arsip extract FILE` does and scored with the corpus's own `eval/score.py`;
each figure must stay at or above its floor in `fixtures/corpus_gate.json`,
set just under what was measured. A change that loses quality on real pages
turns this red. Skipped, saying why, only when `../shared/corpus` is absent.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpora  # noqa: E402 - bench/ on the path first

GATE = Path(__file__).parent / "fixtures" / "corpus_gate.json"
FLOORS: dict[str, dict[str, float]] = json.loads(GATE.read_text(encoding="utf-8"))["floors"]


@functools.cache
def measured(name: str) -> corpora.Scores:
    corpus = corpora.load(corpora.DEFAULT_CORPUS, name)
    if corpus is None:
        pytest.skip(f"{corpora.DEFAULT_CORPUS / name} not found: the corpus gate needs ../shared")
    records = corpora.arsip_records(corpus.files)
    return corpora.score(corpus, records, corpora.scorer(corpora.DEFAULT_CORPUS))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corpus_gate(name: str) -> None:
    got = measured(name).figures()
    floors = FLOORS[name]
    missing = sorted(set(floors) - set(got))
    assert not missing, f"{name}: no figure measured for {missing}"
    fallen = {k: (round(got[k], 3), floor) for k, floor in floors.items() if got[k] < floor}
    assert not fallen, f"{name}: extraction got worse on real pages (measured, floor): {fallen}"


def test_every_measure_has_a_floor() -> None:
    """A new field in score.py's output must get a floor, or the gate would not guard it."""
    for name in FLOORS:
        got = measured(name).figures()
        unguarded = sorted(set(got) - set(FLOORS[name]))
        assert not unguarded, f"{name}: set floors in corpus_gate.json for {unguarded}"
