"""The gold set keeps its format, and `make eval` scores it (without asserting figures)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from benchmarks.eval import LANGS, load_gold, score_document

from rasad.extract.document import Extractor
from rasad.kb.starter import load_starter

GOLD = Path(__file__).parent / "data" / "gold"
THREATS = {"suicide_attack", "call_to_violence", "threat_of_attack", "recruitment", "foreign_fighters",
           "financing", "weapons", "incitement", "praise_of_attack"}
RELATIONS = {"criticize", "praise", "threaten", "support", "ally", "appeal", "deny", "refuse_comment"}
CALENDARS = {"gregorian", "solar_hijri", "lunar_hijri"}
KINDS = {"person", "organization", "outlet", "state", "place", "group"}


def documents():
    return [json.loads(line) for path in sorted(GOLD.glob("*/*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_set_is_large_enough_in_every_language():
    docs = load_gold("all")
    assert len(docs) >= 80
    for lang in LANGS:
        assert sum(d["_lang"] == lang for d in docs) >= 12, lang
        assert any(d["_split"] == "heldout" and d["_lang"] == lang for d in docs), lang


@pytest.mark.parametrize("doc", documents(), ids=lambda d: d["id"])
def test_gold_annotations_point_into_the_text(doc):
    text = doc["text"]
    date.fromisoformat(doc["published"])
    assert doc["language"] in {"fa", "ps", "ar", "ur", "en"} and doc.get("dialect") in {None, "fa", "prs"}
    for e in doc["entities"]:
        assert e["text"] in text and e["kind"] in KINDS
    for s in doc["statements"]:
        assert s["quote"] in text and s["kind"] in {"direct", "indirect"}
        assert s.get("date") is None or date.fromisoformat(s["date"])
    for d in doc["dates"]:
        assert d["text"] in text and d["calendar"] in CALENDARS and date.fromisoformat(d["iso"])
    for t in doc["threats"]:
        assert t["evidence"] in text and t["category"] in THREATS
    for r in doc["relations"]:
        assert r["type"] in RELATIONS and r["source"] and r["target"]


def test_scoring_one_document_per_language_runs():
    extractor = Extractor(load_starter())
    seen = set()
    for doc in load_gold("dev"):
        if doc["_lang"] in seen:
            continue
        seen.add(doc["_lang"])
        scores = score_document(doc, extractor)
        assert set(scores) == {"entities", "statements", "speaker", "dates", "date_norm", "threats", "relations"}
        assert all(0 <= s.precision <= 1 and 0 <= s.recall <= 1 for s in scores.values())
    assert seen == set(LANGS)


def test_every_offset_of_the_analysis_points_at_its_text():
    """The analysis contract on all 102 gold texts: each entity, statement, date and threat span
    is exactly the text it claims (what ../shared/tools/check-analysis-contract checks)."""
    from rasad.pipeline.analyze import contract

    extractor = Extractor(load_starter())
    for doc in load_gold("all"):
        text = doc["text"]
        found = contract(extractor.run(text, doc["language"], doc.get("dialect"),
                                       published=date.fromisoformat(doc["published"])))
        for key, field in (("entities", "text"), ("statements", "quote"), ("dates", "text"), ("threats", "evidence")):
            for item in found[key]:
                assert text[item["start"]:item["end"]] == item[field], (doc["id"], key, item)
        assert all(r["type"] in RELATIONS for r in found["relations"])
        assert all(t["category"] in THREATS and 0 <= t["score"] <= 1 for t in found["threats"])
