"""`make eval`: precision, recall and F1 of extraction against the gold set, per task and language.

Reads ``tests/data/gold/{dev,heldout}/<lang>.jsonl`` (format in its README), runs the same
extractor ingest runs (starter knowledge base, the gold document's language and dialect,
its publication date), and scores:

- entities: per document, the set of canonical names (normalised, leading titles dropped);
- statements: a predicted quote matches a gold quote when it covers at least half of it
  (one to one, best overlap first). "detect" scores the quotes; "speaker" counts a match
  as right only when the speaker is the same actor (same canonical name, same name up to
  spelling, or both unnamed) — speaker attribution F1;
- dates: a predicted date matches a gold one when their spans overlap; "date norm" is the
  share of matched gold dates whose ISO day is right (and, in brackets, of all gold dates);
- threats: per document, the set of categories;
- relations: per document, the set of (source, type, target).

Usage: python benchmarks/eval.py [--split dev|heldout|all] [--json] [--show-errors TASK]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rasad.extract.document import Extractor
from rasad.kb.resolve import skeleton, strip_honorifics
from rasad.kb.starter import load_starter
from rasad.text.normalize import normalize

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "gold"
LANGS = ("fa", "prs", "ps", "ar", "ur", "en")
TASKS = ("entities", "statements", "speaker", "dates", "date_norm", "threats", "relations")


@dataclass
class Score:
    tp: float = 0
    fp: float = 0
    fn: float = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(split: str) -> list[dict]:
    splits = ("dev", "heldout") if split == "all" else (split,)
    docs = []
    for name in splits:
        for lang in LANGS:
            path = GOLD / name / f"{lang}.jsonl"
            if not path.exists():
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    doc = json.loads(line)
                    doc["_split"], doc["_lang"] = name, lang
                    docs.append(doc)
    return docs


def entity_key(name: str) -> str:
    """An entity's name for comparison: normalised, leading titles ("Mawlawi", "سردار") dropped,
    since annotators differ on whether a title belongs to the name."""
    return " ".join(strip_honorifics(normalize(name.replace("\u200c", " ")).split()))


def same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    na, nb = normalize(a), normalize(b)
    if na == nb:
        return True
    sa, sb = skeleton(a), skeleton(b)
    if sa and sa == sb:
        return True
    ta, tb = set(na.split()), set(nb.split())
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _span(text: str, piece: str, near: int = 0) -> tuple[int, int] | None:
    if not piece:
        return None
    at = text.find(piece, near)
    if at < 0:
        at = text.find(piece)
    return (at, at + len(piece)) if at >= 0 else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _set_score(gold: set, predicted: set, label: str) -> Score:
    s = Score(len(gold & predicted), len(predicted - gold), len(gold - predicted))
    s.errors += [f"{label} missed {x}" for x in sorted(map(str, gold - predicted))]
    s.errors += [f"{label} extra {x}" for x in sorted(map(str, predicted - gold))]
    return s


def score_document(doc: dict, extractor: Extractor) -> dict[str, Score]:
    text = doc["text"]
    published = date.fromisoformat(doc["published"]) if doc.get("published") else None
    found = extractor.run(text, doc["language"], doc.get("dialect"), published=published,
                          title=doc.get("title", ""))
    label = doc["id"]
    out: dict[str, Score] = {}
    out["entities"] = _set_score({entity_key(e["canonical"]) for e in doc.get("entities", [])},
                                 {entity_key(e.canonical) for e in found.entities}, label)
    out["threats"] = _set_score({t["category"] for t in doc.get("threats", [])},
                                {t.category for t in found.threats}, label)
    out["relations"] = _set_score({(normalize(r["source"]), r["type"], normalize(r["target"]))
                                   for r in doc.get("relations", [])},
                                  {(normalize(r.source), r.type, normalize(r.target)) for r in found.relations}, label)

    # statements: one-to-one matching on quote overlap
    gold_st = [(g, _span(text, g["quote"])) for g in doc.get("statements", [])]
    pairs = []
    for gi, (_g, gspan) in enumerate(gold_st):
        if gspan is None:
            continue
        for pi, p in enumerate(found.statements):
            ov = _overlap(gspan, (p.start, p.end))
            if ov * 2 >= gspan[1] - gspan[0]:
                pairs.append((ov, gi, pi))
    matched_g, matched_p, speaker_ok = set(), set(), 0
    detect, speaker = Score(), Score()
    for _ov, gi, pi in sorted(pairs, reverse=True):
        if gi in matched_g or pi in matched_p:
            continue
        matched_g.add(gi)
        matched_p.add(pi)
        g, p = gold_st[gi][0], found.statements[pi]
        names = [g.get("speaker"), g.get("speaker_text")]
        predicted = [p.speaker, found.speaker_names.get(pi)]
        if any(same_name(a, b) for a in names if a for b in predicted if b) or \
                (not g.get("speaker") and not p.speaker):
            speaker_ok += 1
        else:
            speaker.errors.append(f"{label} speaker {g.get('speaker')!r} got {p.speaker!r}: {g['quote'][:60]}")
    detect.tp, detect.fp, detect.fn = len(matched_g), len(found.statements) - len(matched_p), len(gold_st) - len(matched_g)
    detect.errors += [f"{label} quote missed: {g['quote'][:70]}" for i, (g, _) in enumerate(gold_st) if i not in matched_g]
    detect.errors += [f"{label} quote extra: {p.speaker}: {p.quote[:70]}" for i, p in enumerate(found.statements)
                      if i not in matched_p]
    speaker.tp = speaker_ok
    speaker.fp = len(found.statements) - speaker_ok
    speaker.fn = len(gold_st) - speaker_ok
    out["statements"], out["speaker"] = detect, speaker

    # dates
    gold_dates = [(g, _span(text, g["text"])) for g in doc.get("dates", [])]
    used: set[int] = set()
    dates, norm = Score(), Score()
    for g, gspan in gold_dates:
        hit = None
        if gspan is not None:
            for pi, d in enumerate(found.dates):
                if pi not in used and _overlap(gspan, (d.start, d.end)) > 0:
                    hit = pi
                    break
        if hit is None:
            dates.fn += 1
            dates.errors.append(f"{label} date missed: {g['text']} = {g['iso']}")
            norm.fn += 1
            continue
        used.add(hit)
        dates.tp += 1
        if found.dates[hit].iso == g["iso"]:
            norm.tp += 1
        else:
            norm.fp += 1
            norm.errors.append(f"{label} date {g['text']!r}: gold {g['iso']} got {found.dates[hit].iso}")
    dates.fp = len(found.dates) - len(used)
    dates.errors += [f"{label} date extra: {d.text} = {d.iso}" for i, d in enumerate(found.dates) if i not in used]
    out["dates"], out["date_norm"] = dates, norm
    return out


def run(split: str, show: str | None) -> dict:
    docs = load_gold(split)
    if not docs:
        raise SystemExit(f"no gold documents under {GOLD}")
    extractor = Extractor(load_starter())
    table: dict[str, dict[str, dict[str, Score]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(Score)))
    errors: list[str] = []
    for doc in docs:
        for task, score in score_document(doc, extractor).items():
            for split_name in (doc["_split"], "all"):
                table[split_name][doc["_lang"]][task].add(score)
                table[split_name]["ALL"][task].add(score)
            if show == task:
                errors += score.errors
    counts = defaultdict(lambda: defaultdict(int))
    for doc in docs:
        counts[doc["_split"]][doc["_lang"]] += 1
    result = {"documents": {s: dict(c) for s, c in counts.items()}, "scores": {}, "errors": errors}
    for split_name, langs in table.items():
        result["scores"][split_name] = {
            lang: {task: {"p": round(s.precision, 3), "r": round(s.recall, 3), "f1": round(s.f1, 3),
                          "n": int(s.tp + s.fn), "all": round(s.tp / (s.tp + s.fp + s.fn), 3)
                          if s.tp + s.fp + s.fn else 1.0} for task, s in tasks.items()}
            for lang, tasks in langs.items()}
    return result


def print_table(result: dict) -> None:
    for split_name in ("dev", "heldout", "all"):
        scores = result["scores"].get(split_name)
        if not scores:
            continue
        docs = sum(result["documents"].get(split_name, {}).values()) if split_name != "all" else \
            sum(sum(c.values()) for c in result["documents"].values())
        print(f"\n== {split_name} ({docs} documents) ==  P / R / F1 (gold items)")
        header = f"{'task':<11}" + "".join(f"{lang:>22}" for lang in (*LANGS, "ALL"))
        print(header)
        for task in TASKS:
            row = f"{task:<11}"
            for lang in (*LANGS, "ALL"):
                s = scores.get(lang, {}).get(task)
                if s is None:
                    row += f"{'-':>22}"
                elif task == "date_norm":
                    row += f"acc {s['p']:.2f} ({s['all']:.2f})".rjust(22)
                else:
                    row += f"{s['p']:.2f}/{s['r']:.2f}/{s['f1']:.2f} ({s['n']})".rjust(22)
            print(row)
    print("\ndate_norm: share of matched gold dates normalised right (in brackets: of all gold dates)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="all", choices=("dev", "heldout", "all"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show-errors", choices=TASKS, default=None)
    args = parser.parse_args(argv)
    result = run(args.split, args.show_errors)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_table(result)
        for line in result["errors"]:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
