"""Matching semantics: an alert matches a document exactly when search would find it,
in Persian, Dari, Pashto, Arabic, Urdu and English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rasad.alerts.matcher import MatchDoc, compile_search
from rasad.search.base import SearchFilters
from rasad.search.service import open_backend, run_search
from rasad.text.normalize import compound_parts, normalize
from tests.helpers import TEXTS


def doc(title: str, text: str, language: str = "fa", dialect: str | None = None, **fields) -> MatchDoc:
    return MatchDoc(id=1, title_norm=normalize(title), text_norm=normalize(text),
                    extra_norm=" ".join(compound_parts(f"{title}\n{text}")), language=language,
                    dialect=dialect, **fields)


def hits(query: str, d: MatchDoc, **filters) -> bool:
    return compile_search(1, query, **filters).matches(d)


DARI = doc("مجاهد: امارت اسلامی اجازه مداخله نمی‌دهد",
           "ذبیح‌الله مجاهد، سخنگوی امارت اسلامی، در کابل گفت که امارت اسلامی به هیچ کشوری "
           "اجازه نمی‌دهد در امور داخلی افغانستان مداخله کند.", "fa", "prs")
PASHTO = doc("ذبیح الله مجاهد: اسلامي امارت اجازه نه ورکوي",
             "د اسلامي امارت ویاند ذبیح الله مجاهد پرون په کابل کې خبریالانو ته وویل چې "
             "د ننګرهار ولایت په ولسوالیو کې د سړکونو جوړول روان دي.", "ps")
ARABIC = doc("المتحدث باسم الحركة: المقاومة ستواصل عملياتها",
             "قال المتحدث باسم الحركة علي الكناني إن المقاومة ستواصل عملياتها حتى تحقيق أهدافها.", "ar")
URDU = doc("ترجمان: حکومت دہشت گردی کے خلاف کارروائی جاری رکھے گی",
           "وزارت داخلہ کے ترجمان نے کہا کہ خیبر پختونخوا میں کئی مشتبہ افراد کو گرفتار کیا گیا ہے۔", "ur")
ENGLISH = doc("Spokesman says the group will respond to any attack",
              "The group's spokesman said on Thursday that it would respond to any attack on its "
              "positions near Kabul. Café owners were évacuated.", "en")


def test_zwnj_compound_matches_with_zwnj_without_it_and_spaced():
    assert hits("ذبیح‌الله", DARI)
    assert hits("ذبیحالله", DARI)
    assert hits("ذبیح الله", DARI)  # two words, both found (the compound's parts are indexed)
    assert hits('"ذبیح الله مجاهد"', DARI)  # the phrase typed with a space meets the ZWNJ spelling
    assert hits("نمی‌دهد", DARI) and hits("نمیدهد", DARI)


def test_pashto_spaced_name_is_found_by_a_zwnj_query_and_arabic_yeh_by_a_persian_one():
    assert hits("ذبیح‌الله", PASHTO)
    assert hits('"ذبیح‌الله مجاهد"', PASHTO)
    assert hits("اسلامی", PASHTO)  # written اسلامي (Arabic yeh) in the text
    assert hits("ننگرهار", PASHTO)  # ګ in the text, گ in the query
    assert hits("کې", PASHTO) and hits("کی", PASHTO)


def test_arabic_yeh_kaf_and_hamza_fold_both_ways():
    assert hits("علی", ARABIC)  # Persian yeh finds Arabic علي
    assert hits("الكناني", ARABIC) and hits("الکنانی", ARABIC)
    assert hits("اهدافها", ARABIC)  # أهدافها without hamza
    assert not hits("الحركه -المقاومه", ARABIC)


def test_urdu_heh_forms_meet():
    assert hits("دهشت", URDU) and hits("دھشت", URDU) and hits("دہشت", URDU)
    assert hits('"خیبر پختونخوا"', URDU)
    assert not hits('"پختونخوا خیبر"', URDU)


def test_english_case_and_accents():
    assert hits("SPOKESMAN", ENGLISH)
    assert hits("cafe evacuated", ENGLISH)
    assert hits('"respond to any attack"', ENGLISH)
    assert not hits('"attack to any respond"', ENGLISH)


def test_phrases_keep_word_order_and_words_need_all():
    assert hits('"امارت اسلامی"', DARI)
    assert not hits('"اسلامی امارت"', DARI)
    assert hits("امارت کابل", DARI)
    assert not hits("امارت تهران", DARI)


def test_or_and_exclusions():
    assert hits("تهران OR کابل", DARI)
    assert not hits("تهران OR مشهد", DARI)
    assert hits("امارت -تهران", DARI)
    assert not hits("امارت -کابل", DARI)
    assert not hits('امارت -"امور داخلی"', DARI)
    assert hits('امارت -"داخلی امور"', DARI)
    assert not hits("-کابل", DARI)  # exclusions alone: everything without the word
    assert hits("-تهران", DARI)


def test_title_words_match_too():
    assert hits("مداخله", doc("مداخله", "متن دیگر"))
    assert hits('"group will respond"', ENGLISH)


def test_language_filter_knows_dari_from_persian():
    iranian = doc("خبر", "سخنگوی وزارت امور خارجه ایران گفت", "fa", "fa")
    assert hits("سخنگوی", DARI, languages=["prs"])
    assert not hits("سخنگوی", iranian, languages=["prs"])
    assert hits("سخنگوی", iranian, languages=["fa"]) and hits("سخنگوی", DARI, languages=["fa"])
    assert hits("کابل", PASHTO, languages=["ps", "ur"])
    assert not hits("کابل", PASHTO, languages=["prs"])


def test_sources_threats_and_actors():
    d = doc("t", "امارت اسلامی", "fa", "prs", source_id=3,
            threats={"suicide_attack": 0.9, "recruitment": 0.4}, actor_ids=frozenset({7, 8}))
    assert hits("امارت", d, source_ids=[3]) and not hits("امارت", d, source_ids=[4])
    assert not hits("امارت", d, source_ids=[])  # its sources were deleted
    assert hits("", d, categories=["suicide_attack"], min_score=0.8)
    assert not hits("", d, categories=["recruitment"], min_score=0.8)
    assert hits("", d, categories=["recruitment"], min_score=0.4)
    assert hits("", d, min_score=0.85) and not hits("", d, min_score=0.95)
    assert not hits("", doc("t", "امارت"), categories=["weapons"])
    assert not hits("", doc("t", "امارت"), min_score=0.1)
    assert hits("امارت", d, actor_ids=[8, 99]) and not hits("امارت", d, actor_ids=[99])


def test_only_newer_than_the_alert_counts_a_bare_date_as_the_whole_day():
    made = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    same_day = doc("t", "کابل", published_at=datetime(2026, 3, 10, tzinfo=UTC))
    earlier_that_day = doc("t", "کابل", published_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    before = doc("t", "کابل", published_at=datetime(2026, 3, 9, 23, 0, tzinfo=UTC))
    undated_now = doc("t", "کابل", ingested_at=datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    undated_old = doc("t", "کابل", ingested_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    assert hits("کابل", same_day, not_before=made)
    assert not hits("کابل", earlier_that_day, not_before=made)
    assert not hits("کابل", before, not_before=made)
    assert hits("کابل", undated_now, not_before=made)
    assert not hits("کابل", undated_old, not_before=made)
    assert hits("کابل", before)  # the flag off: any date


EXTRA = {
    "prs2": ("سخنگوی امارت اسلامی", "ذبیح الله مجاهد گفت که امارت اسلامی با کشورهای همسایه تعامل دارد."),
    "ar2": ("بيان", "قال علي الكناني إن المقاومة الإسلامية ستواصل عملياتها في المنطقة."),
    "ur2": ("بیان", "ترجمان نے کہا کہ دھشت گردی کے خلاف کارروائی جاری رہے گی۔"),
    "en2": ("Kabul statement", "A spokesman for the Islamic Emirate said in Kabul that talks would continue."),
}
QUERIES = ["ذبیح‌الله", '"ذبیح الله مجاهد"', "امارت -کابل", '"امارت اسلامی"', "علی OR الكناني",
           "سخنگوي", "دہشت", '"دہشت گردی" -حکومت', "spokesman -thursday", "kabul OR تهران",
           "اجازه", "کارروائی", '"Islamic Emirate"', "المقاومه"]


def test_alerts_match_what_search_finds_on_both_databases(make_store):
    store = make_store()
    alerts = {q: store.alert(f"q{i}", query=q, new_only=False) for i, q in enumerate(QUERIES)}
    alerts["prs"] = store.alert("dari", query="امارت", languages=["prs"], new_only=False)
    store.ingest({**TEXTS, **EXTRA})
    backend = open_backend(store.settings, store.db)
    try:
        for query in QUERIES:
            found = {r.id for r in run_search(store.db, backend, query, limit=100).results}
            assert store.matched(alerts[query]) == found, query
            assert found, f"{query} finds nothing: a weak test"
        dari = {r.id for r in run_search(store.db, backend, "امارت", SearchFilters(languages=["prs"]),
                                         limit=100).results}
        assert store.matched(alerts["prs"]) == dari and len(dari) == 2
    finally:
        backend.close()


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_with_a_filter_matches_by_filter(query):
    assert hits(query, DARI, languages=["prs"])
    assert not hits(query, PASHTO, languages=["prs"])
