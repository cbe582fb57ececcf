"""Search on both backends: the same query syntax, folding and filters everywhere."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.helpers import TEXTS, make_ingester, write_texts

from rasad.search.base import SearchFilters
from rasad.search.service import reindex, run_search


@pytest.fixture
def corpus(settings, tmp_path):
    db, ingester = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    report = ingester.run([str(p) for p in paths.values()])
    assert [i.status for i in report.items] == ["new"] * 6
    yield db, ingester.backend
    ingester.close()
    db.dispose()


def ids_for(db, backend, query, **filters):
    res = run_search(db, backend, query, SearchFilters(**filters), limit=50)
    return res


def titles(res):
    return sorted(r.title for r in res.results)


def test_persian_query_typed_with_arabic_yeh_and_kaf_finds_persian_text(corpus):
    db, backend = corpus
    # "سخنگوي" with Arabic yeh (U+064A); the texts use Persian yeh
    res = ids_for(db, backend, "سخنگوي")
    assert titles(res) == sorted([TEXTS["fa"][0], TEXTS["prs"][0]])


def test_query_without_zwnj_matches_word_written_with_zwnj(corpus):
    db, backend = corpus
    res = ids_for(db, backend, "پشیمانکننده")
    assert titles(res) == [TEXTS["fa"][0]]
    res = ids_for(db, backend, "پشیمان\u200cکننده")
    assert titles(res) == [TEXTS["fa"][0]]


def test_arabic_query_without_diacritics_matches_vocalised_text(corpus):
    db, backend = corpus
    # the text has "سيُقابَل" and "أيّ"
    assert titles(ids_for(db, backend, "سيقابل")) == [TEXTS["ar"][0]]
    assert titles(ids_for(db, backend, "اي عدوان")) == [TEXTS["ar"][0]]


def test_persian_digits_match_ascii_query(corpus):
    db, backend = corpus
    assert titles(ids_for(db, backend, "1403")) == sorted([TEXTS["fa"][0], TEXTS["prs"][0]])


def test_phrase_must_match_in_order(corpus):
    db, backend = corpus
    assert titles(ids_for(db, backend, '"امور خارجه"')) == [TEXTS["fa"][0]]
    assert ids_for(db, backend, '"خارجه امور"').total == 0


def test_or_and_exclusion(corpus):
    db, backend = corpus
    # Pashto ګ folds to Persian گ: one query finds the place name in both languages
    res = ids_for(db, backend, "ننگرهار")
    assert titles(res) == sorted([TEXTS["prs"][0], TEXTS["ps"][0]])
    res = ids_for(db, backend, "پشیمانکننده OR وویل")
    assert titles(res) == sorted([TEXTS["fa"][0], TEXTS["ps"][0]])
    res = ids_for(db, backend, "کابل -وویل")
    assert titles(res) == [TEXTS["prs"][0]]
    res = ids_for(db, backend, "kabul")
    assert titles(res) == [TEXTS["en"][0]]


def test_urdu_and_pashto_words_are_found(corpus):
    db, backend = corpus
    assert titles(ids_for(db, backend, "دہشت گردی")) == [TEXTS["ur"][0]]
    assert titles(ids_for(db, backend, "وویل")) == [TEXTS["ps"][0]]


def test_english_is_case_insensitive(corpus):
    db, backend = corpus
    assert titles(ids_for(db, backend, "SPOKESMAN")) == [TEXTS["en"][0]]


def test_language_filters_including_dari(corpus):
    db, backend = corpus
    everything = ids_for(db, backend, "")
    assert everything.total == 6
    langs = {r.language for r in everything.results}
    assert langs == {"fa", "ps", "ar", "ur", "en"}
    dari = ids_for(db, backend, "", languages=["prs"])
    assert titles(dari) == [TEXTS["prs"][0]]
    assert dari.results[0].dialect == "prs"
    persian = ids_for(db, backend, "", languages=["fa"])
    assert titles(persian) == sorted([TEXTS["fa"][0], TEXTS["prs"][0]])


def test_date_filters(corpus):
    db, backend = corpus
    now = datetime.now(UTC)
    assert ids_for(db, backend, "", since=datetime(2000, 1, 1, tzinfo=UTC)).total == 6
    assert ids_for(db, backend, "", until=datetime(2000, 1, 1, tzinfo=UTC)).total == 0
    assert ids_for(db, backend, "", since=now.replace(year=now.year + 1)).total == 0


def test_snippet_marks_the_original_spelling(corpus):
    db, backend = corpus
    res = ids_for(db, backend, "پشیمانکننده")
    assert "<mark>پشیمان\u200cکننده</mark>" in res.results[0].snippet
    res = ids_for(db, backend, "سخنگوي")
    assert all("<mark>سخنگوی</mark>" in r.snippet for r in res.results)


def test_reindex_rebuilds_the_same_results(corpus):
    db, backend = corpus
    before = [(r.id, r.title) for r in ids_for(db, backend, "کابل OR kabul").results]
    assert reindex(db, backend) == 6
    after = [(r.id, r.title) for r in ids_for(db, backend, "کابل OR kabul").results]
    assert sorted(before) == sorted(after) and len(after) == 3


def test_ranking_prefers_more_matches(corpus, settings, tmp_path):
    db, backend = corpus
    res = ids_for(db, backend, "spokesman OR سخنگوی")
    assert res.total == 3
    assert all(r.score > 0 for r in res.results)
    assert [r.score for r in res.results] == sorted([r.score for r in res.results], reverse=True)


def test_index_catches_up_after_a_crash_between_store_and_index(sqlite_settings, tmp_path):
    """Documents committed to the store but not to the tantivy index (the process died in
    between) are indexed by the next ingester, and older versions leave the index."""
    from rasad.pipeline.ingest import Ingester
    from rasad.search.service import open_backend

    db, ing = make_ingester(sqlite_settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(paths["en"])])
    ing.backend.commit = lambda: None  # simulate dying before the index commit
    paths["en"].write_text("Spokesman denies report\n\nThe spokesman denied the report on Friday.\n",
                           encoding="utf-8")
    ing.run([str(paths["en"]), str(paths["ar"])])
    ing.backend.close()
    backend = open_backend(sqlite_settings, db)
    assert run_search(db, backend, "denied", SearchFilters()).total == 0
    again = Ingester(sqlite_settings, db, backend)  # catch-up happens here
    assert run_search(db, backend, "denied", SearchFilters()).total == 1
    assert run_search(db, backend, "neighbouring", SearchFilters()).total == 0  # old version gone
    assert run_search(db, backend, "المقاومة", SearchFilters()).total == 1
    again.close()


def test_zwnj_compound_and_spaced_spelling_find_each_other(corpus):
    """Dari writes ذبیح‌الله with ZWNJ, Pashto ذبیح الله with a space: every spelling of the
    query, quoted or not, finds both."""
    db, backend = corpus
    want = sorted([TEXTS["prs"][0], TEXTS["ps"][0]])
    for query in ("ذبیح الله مجاهد", "ذبیح‌الله مجاهد", '"ذبیح الله مجاهد"', '"ذبیح‌الله مجاهد"'):
        assert titles(ids_for(db, backend, query)) == want, query
    # typed joined without ZWNJ it is the Dari spelling; splitting it would need a lexicon
    assert titles(ids_for(db, backend, "ذبیحالله")) == [TEXTS["prs"][0]]


def test_query_variants_for_compounds():
    from rasad.search.query import Term, parse_query

    parsed = parse_query("ذبیح‌الله")
    assert parsed.groups == [[Term(("ذبیحالله",)), Term(("ذبیح", "الله"))]]
    parsed = parse_query('"ذبیح الله"')
    assert parsed.groups == [[Term(("ذبیح", "الله")), Term(("ذبیحالله",))]]
    assert parse_query('"the group"').groups == [[Term(("the", "group"))]]


def test_search_narrowed_to_an_actor_and_a_threat_category(settings, tmp_path):
    from rasad.errors import BadInput, NotFound
    from rasad.search.service import restrict_by_extraction

    db, ing = make_ingester(settings)
    paths = write_texts(tmp_path / "in")
    ing.run([str(p) for p in paths.values()])
    everything = run_search(db, ing.backend, "", SearchFilters(), limit=50)
    by_actor = run_search(db, ing.backend, "", restrict_by_extraction(db, SearchFilters(), actor="ذبیح الله مجاهد"))
    assert everything.total == 6 and by_actor.total == 2
    assert {r.language for r in by_actor.results} == {"fa", "ps"}
    persian = restrict_by_extraction(db, SearchFilters(languages=["prs"]), actor="zabihullah-mujahid")
    assert [r.dialect for r in run_search(db, ing.backend, "امارت", persian).results] == ["prs"]
    none = restrict_by_extraction(db, SearchFilters(), actor="zabihullah-mujahid", category="recruitment")
    assert run_search(db, ing.backend, "", none).total == 0
    with pytest.raises(BadInput):
        restrict_by_extraction(db, SearchFilters(), category="bombing")
    with pytest.raises(NotFound):
        restrict_by_extraction(db, SearchFilters(), actor="nobody at all")
    ing.close()
