"""Finding known actors in running text: offsets into the original text, word boundaries,
spelling variants, longest matches, acronyms, Arabic proclitics; and how fast."""

from __future__ import annotations

import random
import time
from types import SimpleNamespace as NS

import pytest

from rasad.kb.gazetteer import Gazetteer
from rasad.kb.starter import Actor, AliasName, load_starter
from rasad.model import EntityMatch


@pytest.fixture(scope="module")
def actors() -> list[Actor]:
    return load_starter()


@pytest.fixture(scope="module")
def gazetteer(actors) -> Gazetteer:
    return Gazetteer(actors)


def found(gazetteer: Gazetteer, text: str) -> list[tuple[str, str | None, int, int]]:
    matches = gazetteer.find(text)
    for m in matches:
        assert text[m.start:m.end] == m.text
    return [(m.text, m.entity_key, m.start, m.end) for m in matches]


# --- one text per language, exact offsets -------------------------------------------------


def test_persian_text(gazetteer):
    text = ("ذبیح‌الله مجاهد، سخنگوی امارت اسلامی افغانستان، روز ۱۲ حمل در کابل گفت که سپاه پاسداران "
            "و داعش خراسان تهدیدی برای ایران نیستند.")
    assert found(gazetteer, text) == [
        ("ذبیح\u200cالله مجاهد", "zabihullah-mujahid", 0, 15),
        ("امارت اسلامی افغانستان", "taliban", 24, 46),
        ("کابل", "kabul", 62, 66),
        ("سپاه پاسداران", "irgc", 74, 87),
        ("داعش خراسان", "iskp", 90, 101),
        ("ایران", "iran", 114, 119),
    ]


def test_dari_text(gazetteer):
    text = "مولوی عبدالکبیر و ملا برادر با هیئت یوناما دیدار کردند؛ عبدالقهار بلخی این را تأیید کرد."
    assert found(gazetteer, text) == [
        ("مولوی عبدالکبیر", "abdul-kabir", 0, 15),
        ("ملا برادر", "abdul-ghani-baradar", 18, 27),
        ("یوناما", "unama", 36, 42),
        ("عبدالقهار بلخی", "abdul-qahar-balkhi", 56, 70),
    ]


def test_pashto_text(gazetteer):
    text = ("د اسلامي امارت ویاند ذبیح الله مجاهد وویل چې د داعش خراسان څانګه په ننګرهار کې ځپل شوې ده "
            "او طالبانو د تورخم لاره پرانیسته.")
    assert found(gazetteer, text) == [
        ("اسلامي امارت", "taliban", 2, 14),
        ("ذبیح الله مجاهد", "zabihullah-mujahid", 21, 36),
        ("د داعش خراسان څانګه", "iskp", 45, 64),
        ("ننګرهار", "nangarhar", 68, 75),
        ("طالبانو", "taliban", 93, 100),
        ("تورخم", "torkham", 103, 108),
    ]


def test_arabic_text_with_proclitics(gazetteer):
    text = ("قال المتحدث باسم كتائب القسام أبو عبيدة إن حركة حماس وحزب الله والحوثيين في صنعاء "
            "يواجهون الكيان الصهيوني، وللحرس الثوري دور.")
    assert found(gazetteer, text) == [
        ("كتائب القسام", "qassam-brigades", 17, 29),
        ("أبو عبيدة", "abu-obaida", 30, 39),
        ("حركة حماس", "hamas", 43, 52),
        ("حزب الله", "hezbollah", 54, 62),
        ("الحوثيين", "houthis", 64, 72),
        ("صنعاء", "sanaa", 76, 81),
        ("الكيان الصهيوني", "israel", 90, 105),
        ("للحرس الثوري", "irgc", 108, 120),
    ]


def test_urdu_text(gazetteer):
    text = ("کالعدم تحریک طالبان پاکستان کے سربراہ نور ولی محسود نے خیبر پختونخوا میں حملوں کی ذمہ داری "
            "قبول کی، آئی ایس پی آر کے مطابق۔")
    assert found(gazetteer, text) == [
        ("کالعدم تحریک طالبان پاکستان", "ttp", 0, 27),
        ("نور ولی محسود", "noor-wali-mehsud", 38, 51),
        ("خیبر پختونخوا", "khyber-pakhtunkhwa", 55, 68),
        ("آئی ایس پی آر", "ispr", 100, 113),
    ]


def test_english_text(gazetteer):
    text = ("Zabihullah Mujahid, spokesman of the Islamic Emirate of Afghanistan, said ISKP (ISIS-K) "
            "attacked Kabul; the US and Pakistan's ISPR responded. Let us see.")
    assert found(gazetteer, text) == [
        ("Zabihullah Mujahid", "zabihullah-mujahid", 0, 18),
        ("Islamic Emirate of Afghanistan", "taliban", 37, 67),
        ("ISKP", "iskp", 74, 78),
        ("ISIS-K", "iskp", 80, 86),
        ("Kabul", "kabul", 97, 102),
        ("US", "united-states", 108, 110),
        ("Pakistan", "pakistan", 115, 123),
        ("ISPR", "ispr", 126, 130),
    ]


def test_matches_carry_the_knowledge_base_name_and_kind(gazetteer):
    assert gazetteer.find("گفت طالبان") == [
        EntityMatch(text="طالبان", canonical="Taliban", kind="group", start=4, end=10, entity_key="taliban")]


# --- word boundaries ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "ایرانی‌ها", "ایرانی", "شهروندان پاکستانی", "Kabuli", "Hamasi", "کابلی", "طالبانی",
    "والإيرانية", "الحمساوي", "Talibanisation",
])
def test_no_match_inside_a_longer_word(gazetteer, text):
    assert gazetteer.find(text) == []


def test_names_next_to_punctuation_are_found(gazetteer):
    assert found(gazetteer, "«طالبان»، (حماس)! [Kabul]") == [
        ("طالبان", "taliban", 1, 7), ("حماس", "hamas", 11, 15), ("Kabul", "kabul", 19, 24)]


# --- spelling variants -----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "ذبیح‌الله مجاهد گفت",  # ZWNJ
    "ذبیحالله مجاهد گفت",  # joined without ZWNJ
    "ذبیح الله مجاهد گفت",  # a space
    "ذبيح الله مجاهد گفت",  # Arabic yeh
    "ذبیح اللہ مجاہد نے کہا",  # Urdu heh goal
    "ذَبِیحُ‌اللهِ مُجاهِد گفت",  # diacritics
    "ذبیـــح‌الله مجاهد گفت",  # tatweel
])
def test_spelling_variants_of_one_name_are_found(gazetteer, text):
    [match] = gazetteer.find(text)
    assert match.entity_key == "zabihullah-mujahid"
    assert text[match.start:match.end] == match.text
    assert match.start == 0 and text[match.end] == " "


def test_kaf_variants_and_digits(gazetteer):
    assert [m.entity_key for m in gazetteer.find("ابو بكر البغدادي و ابوبکر بغدادی")] == [
        "abu-bakr-al-baghdadi", "abu-bakr-al-baghdadi"]
    assert found(gazetteer, "گزارش ۸am Media") == [("۸am Media", "hasht-e-subh", 6, 15)]


def test_combining_marks_after_the_last_letter_belong_to_the_match(gazetteer):
    assert found(gazetteer, "إن حماسٌ قالت") == [("حماسٌ", "hamas", 3, 8)]


def test_offsets_survive_runs_of_whitespace_and_a_leading_newline(gazetteer):
    text = "\n\n  Taliban\t\tand\u00a0\u00a0Hamas   met   in  Doha\n"
    assert found(gazetteer, text) == [
        ("Taliban", "taliban", 4, 11), ("Hamas", "hamas", 18, 23), ("Doha", "doha", 36, 40)]


def test_a_dash_standing_alone_ends_a_name(gazetteer):
    assert gazetteer.find("Zabihullah – Mujahid") == []
    assert [m.text for m in gazetteer.find("Islamic State – Khorasan Province")] == [
        "Islamic State", "Khorasan Province"]
    assert [m.text for m in gazetteer.find("Islamic State-Khorasan Province")] == [
        "Islamic State-Khorasan Province"]


# --- which match wins ------------------------------------------------------------------------


def test_the_longest_match_wins(gazetteer):
    assert found(gazetteer, "Islamic State Khorasan Province") == [
        ("Islamic State Khorasan Province", "iskp", 0, 31)]
    assert found(gazetteer, "جمهوری اسلامی افغانستان") == [
        ("جمهوری اسلامی افغانستان", "islamic-republic-of-afghanistan", 0, 23)]
    assert found(gazetteer, "Supreme National Security Council") == [
        ("Supreme National Security Council", "iran-snsc", 0, 33)]


def test_acronyms_match_only_in_capitals(gazetteer):
    assert found(gazetteer, "US and UN officials") == [("US", "united-states", 0, 2), ("UN", "united-nations", 7, 9)]
    assert gazetteer.find("let us know, un peu, it is") == []
    assert found(gazetteer, "IS claimed it; LeT denied") == [("IS", "islamic-state", 0, 2), ("LeT", "lashkar-e-taiba", 15, 18)]


def test_proclitics_are_only_tried_on_arabic_aliases(gazetteer):
    assert found(gazetteer, "بغزة وبإيران") == [("غزة", "gaza", 1, 4), ("إيران", "iran", 7, 12)]
    assert gazetteer.find("بتهران") == []  # تهران is Persian; Arabic writes طهران
    assert found(gazetteer, "بطهران") == [("طهران", "tehran", 1, 6)]


def test_forms_marked_not_for_running_text_are_skipped(gazetteer):
    assert gazetteer.find("At dawn, Dawn reported") == []
    assert gazetteer.find("وقالت الجزيرة") == []
    assert found(gazetteer, "وقالت قناة الجزيرة") == [("قناة الجزيرة", "al-jazeera", 6, 18)]


def test_an_ambiguous_name_hides_what_it_covers_and_names_no_one(gazetteer):
    assert gazetteer.find("جبهه مقاومت") == []


def test_empty_and_unmatched_texts(gazetteer):
    assert gazetteer.find("") == []
    assert gazetteer.find("   \n ") == []
    assert gazetteer.find("nothing to see here") == []


def test_kinds_limit_what_is_loaded(actors):
    people = Gazetteer(actors, kinds=["person"])
    assert [m.entity_key for m in people.find("Zabihullah Mujahid in Kabul")] == ["zabihullah-mujahid"]


def test_database_records_work_too():
    records = [NS(id=7, key="zm", canonical="Zabiullah Mujahid", kind="person",
                  aliases=[("ذبیح‌الله مجاهد", "fa", "Arab")])]
    assert [(m.text, m.canonical, m.entity_key) for m in Gazetteer(records).find("گفت ذبیح الله مجاهد")] == [
        ("ذبیح الله مجاهد", "Zabiullah Mujahid", "zm")]


# --- speed (measured, not asserted) ------------------------------------------------------------

SENTENCES = {
    "fa": "سخنگوی وزارت امور خارجه ایران روز دوشنبه در نشست خبری گفت که تهران از گفت‌وگو استقبال می‌کند و "
          "سپاه پاسداران آماده است.",
    "prs": "ذبیح‌الله مجاهد سخنگوی امارت اسلامی در کابل گفت که نیروهای امنیتی در ولسوالی‌های ننگرهار "
           "عملیات انجام دادند.",
    "ps": "د اسلامي امارت ویاند وویل چې په کندهار کې د داعش خراسان یوه ډله ونیول شوه او تحقیقات روان دي.",
    "ar": "قالت حركة حماس في بيان إن كتائب القسام استهدفت آلية عسكرية شرق رفح، فيما أعلن الحوثيون عن هجوم "
          "في البحر الأحمر.",
    "ur": "آئی ایس پی آر کے مطابق شمالی وزیرستان میں کارروائی کے دوران کالعدم ٹی ٹی پی کے کئی دہشت گرد مارے گئے۔",
    "en": "The Taliban's foreign minister Amir Khan Muttaqi met UN officials in Doha on Tuesday to discuss aid "
          "and the situation in Herat.",
}
FILLER = ("the of and in to said that for on with as was by at from officials reported statement "
          "گفت که در از به با این را برای است شد وی و قال إن في من على الی کے میں نے کی ہے").split()


def news_docs(n: int, words: int = 300, seed: int = 5) -> list[str]:
    """Synthetic ~300-word news texts: real sentences with names, padded with common words."""
    rng = random.Random(seed)
    sentences = list(SENTENCES.values())
    docs = []
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            if rng.random() < 0.3:
                parts.append(rng.choice(sentences))
            else:
                parts.append(" ".join(rng.choice(FILLER) for _ in range(12)) + ".")
            count += len(parts[-1].split())
        docs.append(" ".join(parts))
    return docs


def docs_per_second(gazetteer: Gazetteer, docs: list[str], rounds: int = 3) -> tuple[float, float]:
    for doc in docs[:50]:
        gazetteer.find(doc)
    best = float("inf")
    matches = 0
    for _ in range(rounds):
        started = time.perf_counter()
        matches = sum(len(gazetteer.find(doc)) for doc in docs)
        best = min(best, time.perf_counter() - started)
    return len(docs) / best, matches / len(docs)


def test_gazetteer_speed_over_the_starter_set_is_measured(gazetteer, capsys):
    docs = news_docs(1000)
    rate, per_doc = docs_per_second(gazetteer, docs)
    chars = sum(map(len, docs)) / len(docs)
    with capsys.disabled():
        print(f"\n[kb] gazetteer, starter set ({len(gazetteer)} keys): {rate:,.0f} docs/s "
              f"({chars:,.0f} chars, {per_doc:.1f} matches per doc)")


def synthetic_actors(n: int, seed: int = 11) -> list[Actor]:
    rng = random.Random(seed)
    latin = ["ka", "ra", "mi", "zo", "ul", "ba", "ha", "sa", "di", "nu", "qa", "fi", "jo", "we"]
    arabic = "ابتثجحخدذرزسشصضطظعغفقکگلمنهوی"
    actors, seen = [], set()
    while len(actors) < n:
        first = "".join(rng.choice(latin) for _ in range(rng.randint(2, 4))).capitalize()
        last = "".join(rng.choice(latin) for _ in range(rng.randint(2, 4))).capitalize()
        native = "".join(rng.choice(arabic) for _ in range(rng.randint(3, 6))) + " " + \
            "".join(rng.choice(arabic) for _ in range(rng.randint(3, 6)))
        if (first, last) in seen or native in seen:
            continue
        seen.update([(first, last), native])
        actors.append(Actor(f"a{len(actors)}", f"{first} {last}", "person",
                            aliases=[AliasName(native, "fa", "Arab")]))
    return actors


def test_gazetteer_speed_with_5000_synthetic_aliases_is_measured(capsys):
    actors = synthetic_actors(2500)  # a Latin and an Arabic-script name each
    gazetteer = Gazetteer(actors)
    rng = random.Random(3)
    names = [n.name for a in actors for n in a.names()]
    docs = [" ".join(rng.choice(FILLER) if rng.random() < 0.95 else rng.choice(names) for _ in range(300))
            for _ in range(1000)]
    rate, per_doc = docs_per_second(gazetteer, docs)
    assert per_doc > 5
    with capsys.disabled():
        print(f"\n[kb] gazetteer, {len(names)} synthetic aliases ({len(gazetteer)} keys): {rate:,.0f} docs/s "
              f"({per_doc:.1f} matches per doc)")
