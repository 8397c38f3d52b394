"""The labelled real pages in `../shared/corpus`, run through an extractor and scored.

Shared by `bench/extract.py` (arsip beside trafilatura) and the corpus gate in
`tests/test_extract_corpus.py`. Scores come from the corpus's own
`eval/score.py`, loaded from its file and read off what it prints, so the
project and the people measuring it use one metric. Pages are extracted the
way `arsip extract FILE` does (`scraper.extract.files`): no URL given, the
base URL guessed from the page's canonical link.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from scraper.extract.files import extract_files, read_page

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

#: Each corpus: where its pages are, and which of score.py's measures apply.
#: `aeb` has body truth only, `id` field labels only, `fundus` both.
CORPORA = ("aeb", "id", "fundus")

Record = dict[str, Any]
Extractor = Callable[[Iterable[str]], Iterable[Record]]


@dataclass
class Corpus:
    name: str
    root: Path
    files: list[str]  # page paths, as given to the extractor (records' `source`)
    truth: Path | None  # ground-truth.json for `score.py body`
    labels: Path | None  # labels.json for `score.py fields`
    urls: dict[str, str] = field(default_factory=dict)  # source -> the page's own URL


def load(corpus_dir: Path, name: str) -> Corpus | None:
    """One corpus, or None when it is not there."""
    root = corpus_dir / name
    truth = root / "ground-truth.json"
    labels = root / "labels.json"
    has_truth, has_labels = truth.exists(), labels.exists()
    if not (has_truth or has_labels):
        return None
    urls: dict[str, str] = {}
    if has_labels:
        for lab in json.loads(labels.read_text(encoding="utf-8")):
            urls[str(root / lab["file"])] = lab.get("url", "")
    if has_truth:
        for key, item in json.loads(truth.read_text(encoding="utf-8")).items():
            urls.setdefault(str(root / "html" / f"{key}.html.gz"), item.get("url", ""))
    files = sorted(p for p in urls if Path(p).exists())
    return Corpus(
        name,
        root,
        files,
        truth if has_truth else None,
        labels if has_labels else None,
        urls,
    )


def arsip_records(files: Iterable[str]) -> list[Record]:
    """What `arsip extract FILE...` prints, as records."""
    return list(extract_files(files))


def scorer(corpus_dir: Path) -> ModuleType:
    """The corpus's own `eval/score.py`, imported from its file."""
    path = corpus_dir.parent / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_LINE = re.compile(r"^(?P<name>[a-z_]+(?: [a-z]+)?)\s+(?P<value>\d\.\d+)", re.M)


def _run(fn: Callable[[argparse.Namespace], int], **kwargs: Any) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn(argparse.Namespace(verbose=False, **kwargs))
    return out.getvalue()


@dataclass
class Scores:
    body_f1: float | None = None
    fields: dict[str, float] = field(default_factory=dict)  # score.py's lines, "mean" included
    below_half: list[str] = field(default_factory=list)  # pages with bag-of-words F1 < 0.5
    per_page: dict[str, float] = field(default_factory=dict)  # bag-of-words F1 by page id

    @property
    def fields_mean(self) -> float | None:
        return self.fields.get("mean")

    def figures(self) -> dict[str, float]:
        """Every figure the gate guards, by name."""
        out = {f"fields.{k}": v for k, v in self.fields.items()}
        if self.body_f1 is not None:
            out["body_f1"] = self.body_f1
            out["pages_at_or_above_half"] = 1 - len(self.below_half) / len(self.per_page)
        return out


def score(corpus: Corpus, records: list[Record], score_py: ModuleType) -> Scores:
    """score.py's body and field measures, plus per-page bag-of-words body F1."""
    result = Scores()
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / f"{corpus.name}.jsonl"
        with pred.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        if corpus.truth:
            text = _run(score_py.body, pred=str(pred), truth=str(corpus.truth))
            match = re.search(r"body F1 (\d\.\d+)", text)
            result.body_f1 = float(match.group(1)) if match else None
            truth = json.loads(corpus.truth.read_text(encoding="utf-8"))
            by_key = {Path(r.get("source", "")).name.split(".")[0]: r for r in records}
            for key, item in truth.items():
                got = (by_key.get(key) or {}).get("body_text") or ""
                result.per_page[key] = bag_f1(item["articleBody"], got, score_py.TOKEN)
            result.below_half = sorted(k for k, v in result.per_page.items() if v < 0.5)
        if corpus.labels:
            text = _run(score_py.fields, pred=str(pred), labels=str(corpus.labels))
            for m in _LINE.finditer(text):
                name = m.group("name").removeprefix("fields ")
                result.fields[name] = float(m.group("value"))
    return result


def bag_f1(truth: str, got: str, token: re.Pattern[str]) -> float:
    """Bag-of-words F1 of one page's body: how much of the article a record holds."""
    want, have = Counter(token.findall(truth or "")), Counter(token.findall(got or ""))
    if not want and not have:
        return 1.0
    hit = sum((want & have).values())
    if not hit:
        return 0.0
    p, r = hit / sum(have.values()), hit / sum(want.values())
    return 2 * p * r / (p + r)


def pages(corpus: Corpus) -> list[tuple[str, bytes, str]]:
    """(source, bytes, url) of every page, read once (for timing)."""
    return [(f, read_page(f), corpus.urls.get(f, "")) for f in corpus.files]
