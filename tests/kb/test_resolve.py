"""Resolution of a name, in any script and spelling, to one actor, and refusal to guess."""

from __future__ import annotations

import time
from types import SimpleNamespace as NS

import pytest

from rasad.errors import BadInput
from rasad.kb.resolve import Resolution, Resolver, alias_keys, skeleton
from rasad.kb.starter import load_starter


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_starter())


def key_of(resolver: Resolver, name: str, kind: str | None = None) -> str | None:
    found = resolver.resolve(name, kind)
    return found.key if found else None


# --- one person, every spelling and script -----------------------------------------------

SPELLINGS = {
    "zabihullah-mujahid": ["Zabihullah Mujahid", "Zabiullah Mujahid", "Zabiullah Mujahed", "Zabihullah Mojahed",
                           "Zabeehullah Mujahid", "ذبیح‌الله مجاهد", "ذبیحالله مجاهد", "ذبيح الله مجاهد",
                           "ذبیح الله مجاهد", "ذبیح اللہ مجاہد"],
    "hibatullah-akhundzada": ["Hibatullah Akhundzada", "Haibatullah Akhunzada", "Mawlawi Hibatullah Akhundzada",
                              "هبت‌الله آخندزاده", "هبت الله اخوندزاده", "هبة الله آخوند زاده", "ہیبت اللہ اخوندزادہ"],
    "sirajuddin-haqqani": ["Sirajuddin Haqqani", "Siraj ud-Din Haqqani", "Siraj Haqani", "سراج‌الدین حقانی",
                           "سراج الدين حقاني", "سراج الدین حقانی"],
    "amir-khan-muttaqi": ["Amir Khan Muttaqi", "Amir Khan Mutaqi", "امیرخان متقی", "امير خان متقى", "أمير خان متقي"],
    "ali-khamenei": ["Ali Khamenei", "Ayatollah Khamenei", "علی خامنه‌ای", "علي خامنئي", "آیت اللہ خامنہ ای"],
    "abbas-araghchi": ["Abbas Araghchi", "Abbas Araqchi", "عباس عراقچی", "عباس عراقجي"],
    "esmail-qaani": ["Esmail Qaani", "Esmail Ghaani", "Ismail Qaani", "اسماعیل قاآنی", "إسماعيل قاآني"],
    "hassan-nasrallah": ["Hassan Nasrallah", "Hasan Nasrallah", "حسن نصر الله", "حسن نصرالله", "حسن نصر اللہ"],
    "naim-qassem": ["Naim Qassem", "Naeem Qassem", "Naim Kassem", "نعيم قاسم", "الشيخ نعيم قاسم"],
    "abdul-malik-al-houthi": ["Abdul-Malik al-Houthi", "Abdul Malik Houthi", "عبد الملك الحوثي", "عبدالملک الحوثی"],
    "noor-wali-mehsud": ["Noor Wali Mehsud", "Noor Wali Mehsood", "Mufti Noor Wali", "نور ولی محسود", "نور ولي محسود"],
    "asim-munir": ["Asim Munir", "Asim Muneer", "Field Marshal Asim Munir", "عاصم منیر", "عاصم منير"],
    "sanaullah-ghafari": ["Sanaullah Ghafari", "Sanaullah Ghaffari", "Shahab al-Muhajir", "ثناءالله غفاری",
                          "ثناء الله غفاري", "شہاب المہاجر"],
    "ismail-haniyeh": ["Ismail Haniyeh", "Ismail Hanieh", "إسماعيل هنية", "اسماعیل هنیه", "اسماعیل ہنیہ"],
    "yahya-sinwar": ["Yahya Sinwar", "Yehia al-Sinwar", "يحيى السنوار", "یحیی سنوار"],
}


@pytest.mark.parametrize("key,names", sorted(SPELLINGS.items()))
def test_every_spelling_and_script_resolves_to_one_person(resolver, key, names):
    assert {name: key_of(resolver, name, "person") for name in names} == {name: key for name in names}


def test_the_islamic_emirate_and_taliban_are_one_actor_in_every_language(resolver):
    names = ["Taliban", "Taleban", "Islamic Emirate of Afghanistan", "IEA", "طالبان", "امارت اسلامی افغانستان",
             "امارت اسلامی", "د افغانستان اسلامي امارت", "اسلامي امارت", "طالبانو", "حركة طالبان",
             "إمارة أفغانستان الإسلامية", "الإمارة الإسلامية", "امارت اسلامیہ افغانستان"]
    assert {n: key_of(resolver, n) for n in names} == {n: "taliban" for n in names}
    assert resolver.resolve("Islamic Emirate of Afghanistan") == Resolution("taliban", "Taliban", "group", 1.0, "exact")


def test_every_form_of_iskp_resolves_to_iskp(resolver):
    names = ["ISKP", "ISIS-K", "IS-K", "ISIS Khorasan", "Islamic State Khorasan Province", "Wilayat Khurasan",
             "داعش خراسان", "ولایت خراسان", "شاخه خراسان داعش", "ولاية خراسان", "د داعش خراسان څانګه",
             "دولت اسلامیہ خراسان"]
    assert {n: key_of(resolver, n) for n in names} == {n: "iskp" for n in names}
    assert key_of(resolver, "داعش") == "islamic-state"


# --- different people stay apart -----------------------------------------------------------

PAIRS = [
    ("Abdul Kabir", "abdul-kabir", "Abdul Qahar Balkhi", "abdul-qahar-balkhi"),
    ("Abdul Kabeer", "abdul-kabir", "Abdul Qahhar Balkhi", "abdul-qahar-balkhi"),
    ("Hossein Salami", "hossein-salami", "Hossein Amir-Abdollahian", "hossein-amir-abdollahian"),
    ("Sirajuddin Haqqani", "sirajuddin-haqqani", "Anas Haqqani", "anas-haqqani"),
    ("Khalil Haqani", "khalil-haqqani", "Jalaluddin Haqani", "jalaluddin-haqqani"),
    ("Yahya Sinwar", "yahya-sinwar", "Mohammed Sinwar", "mohammed-sinwar"),
    ("Ismail Haniyeh", "ismail-haniyeh", "Esmail Qaani", "esmail-qaani"),
    ("Abdul-Malik al-Houthi", "abdul-malik-al-houthi", "Mohammed Ali al-Houthi", "mohammed-ali-al-houthi"),
    ("Abu Hafs al-Hashimi al-Qurashi", "abu-hafs-al-hashimi",
     "Abu Ibrahim al-Hashimi al-Qurashi", "abu-ibrahim-al-hashimi"),
    ("Mohammad Hassan Akhund", "mohammad-hassan-akhund", "Hibatullah Akhundzada", "hibatullah-akhundzada"),
    ("حسن نصرالله", "hassan-nasrallah", "حسن روحانی", "hassan-rouhani"),
    ("ابراهیم رئیسی", "ebrahim-raisi", "ابوبکر بغدادی", "abu-bakr-al-baghdadi"),
]


@pytest.mark.parametrize("name_a,key_a,name_b,key_b", PAIRS)
def test_people_with_similar_names_are_not_merged(resolver, name_a, key_a, name_b, key_b):
    assert (key_of(resolver, name_a), key_of(resolver, name_b)) == (key_a, key_b)


def test_a_misspelling_between_two_people_is_refused_not_guessed(resolver):
    # three IS leaders share "al-Hashimi al-Qurashi"; a garbled first name fits none well enough
    assert resolver.resolve("Abu Ibraheem al-Hashimi") is None
    assert resolver.resolve("Abdul Karim") is None  # not Abdul Kabir, not Bilal Karimi


@pytest.mark.parametrize("name", [
    "Hassan", "Mohammad", "Abdul", "Haqqani", "Sinwar", "Mujahid", "Omar",
    "Mohammad Karimi", "Hassan Ali", "Abdul Hakim Haqqani", "Abdul Salam Hanafi", "Mahmoud Abbas",
    "Hossein Dehghan", "Ismail Khan", "Hekmat Karzai", "Hamidullah Akhundzada", "Zabihullah Ahmadi",
])
def test_names_of_people_not_in_the_knowledge_base_resolve_to_nothing(resolver, name):
    assert resolver.resolve(name) is None


# --- methods, scores, kinds ------------------------------------------------------------------


def test_each_stage_reports_its_method_and_score(resolver):
    assert resolver.resolve("ذبيح الله مجاهد") == Resolution(
        "zabihullah-mujahid", "Zabihullah Mujahid", "person", 1.0, "exact")
    assert resolver.resolve("Zabihulla Mujahid") == Resolution(
        "zabihullah-mujahid", "Zabihullah Mujahid", "person", 0.9, "translit")
    fuzzy = resolver.resolve("Zabihullah Mujahi")
    assert (fuzzy.key, fuzzy.method) == ("zabihullah-mujahid", "fuzzy")
    assert 0.74 < fuzzy.score < 0.85


def test_titles_before_a_name_are_dropped_when_the_name_alone_is_known(resolver):
    assert key_of(resolver, "Haji Sirajuddin Haqqani") == "sirajuddin-haqqani"
    assert key_of(resolver, "سرلشکر حسین سلامی") == "hossein-salami"
    assert key_of(resolver, "الشيخ حسن نصر الله") == "hassan-nasrallah"
    assert key_of(resolver, "جنرل عاصم منیر") == "asim-munir"


def test_the_kind_asked_for_limits_the_answer(resolver):
    assert key_of(resolver, "Kabul", "place") == "kabul"
    assert key_of(resolver, "Kabul", "person") is None
    assert key_of(resolver, "Tehran", "state") == "tehran"  # a place may stand for its state
    assert key_of(resolver, "Taliban", "organization") == "taliban"
    assert key_of(resolver, "Tasnim", "organization") == "tasnim"


def test_an_unknown_kind_is_bad_input(resolver):
    with pytest.raises(BadInput, match="unknown actor kind 'militia'"):
        resolver.resolve("Taliban", "militia")


def test_a_name_marked_ambiguous_resolves_only_with_a_kind_that_settles_it():
    actors = [
        NS(key="nrf", canonical="National Resistance Front", kind="group",
           aliases=[NS(name="جبهه مقاومت", lang="prs", script="Arab", ambiguous=True)]),
        NS(key="fars-province", canonical="Fars Province", kind="place",
           aliases=[NS(name="Fars", lang="en", script="Latn", ambiguous=True)]),
        NS(key="fars-news", canonical="Fars News Agency", kind="outlet",
           aliases=[NS(name="Fars", lang="en", script="Latn", ambiguous=True)]),
        NS(key="axis", canonical="Axis of Resistance", kind="group",
           aliases=[NS(name="جبهه مقاومت", lang="fa", script="Arab", ambiguous=True)]),
    ]
    resolver = Resolver(actors)
    assert resolver.resolve("جبهه مقاومت") is None
    assert resolver.resolve("جبهه مقاومت", "group") is None
    assert resolver.resolve("Fars") is None
    assert key_of(resolver, "Fars", "outlet") == "fars-news"
    assert key_of(resolver, "Fars", "place") == "fars-province"


def test_records_from_the_database_resolve_like_starter_actors():
    records = [NS(id=1, key="zabihullah-mujahid", canonical="Zabiullah Mujahid", kind="person",
                  aliases=[("ذبیح‌الله مجاهد", "fa", "Arab"), ("Zabihullah Mojahed", "", "")])]
    resolver = Resolver(records)
    assert key_of(resolver, "ذبيح الله مجاهد") == "zabihullah-mujahid"
    assert key_of(resolver, "Zabihullah Mujahid") == "zabihullah-mujahid"


def test_candidates_list_the_closest_actors_best_first(resolver):
    assert [c.key for c in resolver.candidates("Abdul Karim", limit=2)] == ["bilal-karimi", "abdul-kabir"]


# --- keys and skeletons ----------------------------------------------------------------------


def test_alias_keys_cover_zwnj_and_joinable_name_parts():
    assert alias_keys("ذبیح‌الله مجاهد") == ["ذبیحالله مجاهد", "ذبیح الله مجاهد"]
    assert alias_keys("عبدالکبیر") == ["عبدالکبیر", "عبد الکبیر"]
    assert alias_keys("امیر خان متقی") == ["امیر خان متقی", "امیرخان متقی"]
    assert alias_keys("Abdul Kabir") == ["abdul kabir", "abdulkabir"]


@pytest.mark.parametrize("names,expected", [
    (["Zabihullah Mujahid", "Zabiullah Mujahed", "Zabihullah Mojahed", "ذبیح‌الله مجاهد", "ذبيح الله مجاهد",
      "ذبیح اللہ مجاہد"], "zblmjhd"),
    (["Sirajuddin Haqqani", "Siraj ud-Din Haqqani", "سراج‌الدین حقانی", "سراج الدين حقاني"], "srjdnhkn"),
    (["Abdul Kabir", "Mawlawi Abdulkabir", "عبدالکبیر", "عبد الكبير"], "bdkbr"),
    (["Abdul-Malik al-Houthi", "عبد الملك الحوثي", "عبدالملک الحوثی"], "bdmlkhs"),
    (["Esmail Qaani", "Ismail Ghaani", "اسماعیل قاآنی"], "smlkn"),
    (["Hibatullah Akhundzada", "هبت‌الله آخوندزاده", "ہیبت اللہ اخوندزادہ"], "hbtlXndzd"),
    (["Suhail Shaheen", "سهیل شاهین"], "shlShn"),
    (["Abu Bakr al-Baghdadi", "أبو بكر البغدادي", "ابوبکر بغدادی"], "bbkrbkd"),
])
def test_spellings_of_one_name_share_a_skeleton(names, expected):
    assert {n: skeleton(n).replace(" ", "") for n in names} == {n: expected for n in names}


def test_skeletons_keep_what_tells_names_apart():
    assert skeleton("Hamas") == "hms"  # h stays, except at the end of a word and before -ullah
    assert skeleton("Yahya Sinwar") == "h snr"
    assert skeleton("Haniyeh") == skeleton("هنية") == "hn"
    assert skeleton("Abdul Kabir") != skeleton("Abdul Qahar")


# --- speed (measured, not asserted) ------------------------------------------------------------


def test_resolution_speed_is_measured(resolver, capsys):
    names = [n for spellings in SPELLINGS.values() for n in spellings] + ["Abdul Karim", "Hassan Ali", "Omar"]
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for name in names:
            resolver.resolve(name)
    per_name = (time.perf_counter() - started) / (rounds * len(names))
    with capsys.disabled():
        print(f"\n[kb] resolve: {per_name * 1e6:.0f} us per name over {len(resolver)} actors")
