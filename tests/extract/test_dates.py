"""Date extraction: Gregorian, Solar Hijri and lunar Hijri dates and relative dates in
Persian (Iran), Dari, Pashto, Arabic, Urdu and English, with offsets into the original text.

Every sentence here was written for these tests. Expected Gregorian days were checked
against jdatetime and hijridate (Umm al-Qura) separately, and against well-known days:
1 Farvardin 1403 is Nowruz, 20 March 2024; 1 Ramadan 1445 is 11 March 2024; 27 Rajab 1445
(Isra and Mi'raj) is 8 February 2024, the same day as 19 Bahman 1402.
"""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from rasad.errors import ConfigError
from rasad.extract.dates import extract_dates, load_lexicon
from rasad.model import DateMatch

SATURDAY = date(2024, 2, 10)  # the publication date of most texts below (a Saturday)
WEDNESDAY = date(2024, 2, 7)


def _dates(text: str, language: str | None, published: date | None = SATURDAY) -> list[DateMatch]:
    found = extract_dates(text, published, language)
    for match in found:
        assert text[match.start:match.end] == match.text
        assert match.calendar in ("gregorian", "solar_hijri", "lunar_hijri")
        assert match.precision in ("day", "month", "year")
        date.fromisoformat(match.iso)
    assert [m.start for m in found] == sorted(m.start for m in found)
    return found


def _summary(text: str, language: str | None, published: date | None = SATURDAY) -> list[tuple]:
    return [(m.text, m.calendar, m.iso) for m in _dates(text, language, published)]


def _one(text: str, language: str | None, published: date | None = SATURDAY) -> DateMatch:
    found = _dates(text, language, published)
    assert len(found) == 1, found
    return found[0]


# --- Persian (Iran) ---------------------------------------------------------------------------


def test_iranian_bahman_date_with_persian_digits():
    text = "سخنگوی دولت در ۱۹ بهمن ۱۴۰۲ در نشست خبری از طرح تازه خبر داد."
    match = _one(text, "fa")
    assert (match.text, match.calendar, match.iso, match.precision) == (
        "۱۹ بهمن ۱۴۰۲", "solar_hijri", "2024-02-08", "day")
    assert (match.start, match.end) == (15, 27)
    assert match.relative is False


def test_persian_weekday_and_era_marker_belong_to_the_date():
    text = "این بیانیه پنجشنبه ۱۹ بهمن ۱۴۰۲ هجری شمسی منتشر شد."
    assert _summary(text, "fa") == [("پنجشنبه ۱۹ بهمن ۱۴۰۲ هجری شمسی", "solar_hijri", "2024-02-08")]


def test_persian_arabic_keyboard_letters_zwnj_and_diacritics_still_match():
    text = "نشست اول ۱۲ ارديبهشت ۱۴۰۳، نشست دوم ۱۲ اردیبهشت‌ماه ۱۴۰۳ و نشست سوم ۱۲ اُردیبهشت ۱۴۰۳ بود."
    assert _summary(text, "fa") == [
        ("۱۲ ارديبهشت ۱۴۰۳", "solar_hijri", "2024-05-01"),
        ("۱۲ اردیبهشت\u200cماه ۱۴۰۳", "solar_hijri", "2024-05-01"),
        ("۱۲ اُردیبهشت ۱۴۰۳", "solar_hijri", "2024-05-01"),
    ]


def test_persian_month_and_year_without_day_is_month_precision_on_the_first():
    match = _one("تحریم‌ها از بهمن ۱۴۰۲ اجرا می‌شود.", "fa")
    assert (match.text, match.iso, match.precision) == ("بهمن ۱۴۰۲", "2024-01-21", "month")


def test_persian_sal_with_year_is_year_precision_on_nowruz():
    match = _one("بودجه سال ۱۴۰۳ به مجلس رفت.", "fa")
    assert (match.text, match.calendar, match.iso, match.precision) == (
        "سال ۱۴۰۳", "solar_hijri", "2024-03-20", "year")


def test_persian_day_and_month_take_the_year_nearest_the_publication_date():
    text = "رزمایش از ۱۹ بهمن آغاز شد."
    assert _summary(text, "fa") == [("۱۹ بهمن", "solar_hijri", "2024-02-08")]
    assert _summary(text, "fa", published=date(2024, 12, 1)) == [("۱۹ بهمن", "solar_hijri", "2025-02-07")]
    assert _dates(text, "fa", published=None) == []


def test_esfand_30_exists_only_in_a_leap_year():
    assert _dates("در ۳۰ اسفند ۱۴۰۲ اعلام شد.", "fa") == []
    assert _summary("در ۳۰ اسفند ۱۴۰۳ اعلام شد.", "fa") == [("۳۰ اسفند ۱۴۰۳", "solar_hijri", "2025-03-20")]


def test_persian_gregorian_and_lunar_dates_and_numeric_solar_date():
    text = "در ۸ فوریه ۲۰۲۴، برابر با ۱۴۰۲/۱۱/۱۹ و ۲۷ رجب ۱۴۴۵، مراسم برگزار شد."
    assert _summary(text, "fa") == [
        ("۸ فوریه ۲۰۲۴", "gregorian", "2024-02-08"),
        ("۱۴۰۲/۱۱/۱۹", "solar_hijri", "2024-02-08"),
        ("۲۷ رجب ۱۴۴۵", "lunar_hijri", "2024-02-08"),
    ]


def test_persian_ordinal_day_zwnj_lunar_month_and_miladi_era():
    text = "جشن در ۱۲ ربیع‌الاول ۱۴۴۶ بود؛ حکم ۱۹ام بهمن ۱۴۰۲ برابر با ۸ فوریه ۲۰۲۴ میلادی صادر شد."
    assert _summary(text, "fa") == [
        ("۱۲ ربیع\u200cالاول ۱۴۴۶", "lunar_hijri", "2024-09-15"),
        ("۱۹ام بهمن ۱۴۰۲", "solar_hijri", "2024-02-08"),
        ("۸ فوریه ۲۰۲۴ میلادی", "gregorian", "2024-02-08"),
    ]


def test_persian_lunar_year_with_hijri_qamari_is_year_precision():
    match = _one("این کتاب در ۱۴۴۵ هجری قمری چاپ شد.", "fa")
    assert (match.text, match.calendar, match.iso, match.precision) == (
        "۱۴۴۵ هجری قمری", "lunar_hijri", "2023-07-19", "year")


def test_relative_days_in_persian_resolve_against_publication():
    text = "پریروز جلسه بود، دیروز بیانیه آمد، امروز تظاهرات است و فردا مذاکره."
    found = _dates(text, "fa")
    assert [(m.text, m.iso, m.relative) for m in found] == [
        ("پریروز", "2024-02-08", True),
        ("دیروز", "2024-02-09", True),
        ("امروز", "2024-02-10", True),
        ("فردا", "2024-02-11", True),
    ]
    assert {m.calendar for m in found} == {"gregorian"}


def test_persian_weekday_phrases_and_days_ago():
    text = "وزیر روز چهارشنبه گفت؛ چهارشنبه گذشته حمله شد و دو روز پیش آتش‌بس اعلام شد."
    assert _summary(text, "fa") == [
        ("روز چهارشنبه", "gregorian", "2024-02-07"),
        ("چهارشنبه گذشته", "gregorian", "2024-02-07"),
        ("دو روز پیش", "gregorian", "2024-02-08"),
    ]


def test_relative_dates_are_left_out_without_a_publication_date():
    assert _dates("دیروز و روز چهارشنبه و دو روز پیش", "fa", published=None) == []


def test_mehr_as_seal_and_affection_is_not_a_date():
    text = "نامه با مهر وزارتخانه رسید و از مهر مادری سخن گفت؛ به گزارش خبرگزاری مهر ۱۴۰۰ نفر آمدند."
    assert _dates(text, "fa") == []


def test_tir_as_bullet_and_dey_as_a_word_are_not_dates():
    assert _dates("یک تیر به سمت خودرو شلیک شد و دی‌جی برنامه را اجرا کرد.", "fa") == []
    assert _summary("این قانون از تیر ۱۴۰۳ اجرا می‌شود.", "fa") == [("تیر ۱۴۰۳", "solar_hijri", "2024-06-21")]


def test_price_in_toman_and_phone_number_are_not_dates():
    text = "قیمت هر کیلو ۱۴۰۰ تومان است و شماره تماس ۰۹۱۲۳۴۵۶۷۸۹ یا 021-88776655 است."
    assert _dates(text, "fa") == []


def test_quran_verse_number_is_not_a_date():
    assert _dates("او به آیه ۱۹۱ سوره بقره و آیه ۵ سوره توبه استناد کرد.", "fa") == []


def test_past_n_days_is_not_yesterday():
    assert _dates("در ۱۰ روز گذشته سه حمله رخ داد.", "fa") == []


# --- Dari ------------------------------------------------------------------------------------


def test_dari_month_names_resolve_to_gregorian():
    text = "حکومت در ۲۵ حمل ۱۴۰۳ فرمان داد و جلسه در ۱۹ دلو ۱۴۰۲ و ۱ جدی ۱۴۰۲ برگزار شد."
    assert _summary(text, "prs") == [
        ("۲۵ حمل ۱۴۰۳", "solar_hijri", "2024-04-13"),
        ("۱۹ دلو ۱۴۰۲", "solar_hijri", "2024-02-08"),
        ("۱ جدی ۱۴۰۲", "solar_hijri", "2023-12-22"),
    ]


AFGHAN_AND_IRANIAN_MONTHS = [
    ("حمل", "فروردین", "2024-03-20"),
    ("ثور", "اردیبهشت", "2024-04-20"),
    ("جوزا", "خرداد", "2024-05-21"),
    ("سرطان", "تیر", "2024-06-21"),
    ("اسد", "مرداد", "2024-07-22"),
    ("سنبله", "شهریور", "2024-08-22"),
    ("میزان", "مهر", "2024-09-22"),
    ("عقرب", "آبان", "2024-10-22"),
    ("قوس", "آذر", "2024-11-21"),
    ("جدی", "دی", "2024-12-21"),
    ("دلو", "بهمن", "2025-01-20"),
    ("حوت", "اسفند", "2025-02-19"),
]


@pytest.mark.parametrize(("afghan", "iranian", "iso"), AFGHAN_AND_IRANIAN_MONTHS)
def test_every_afghan_month_is_its_iranian_twin(afghan, iranian, iso):
    assert _one(f"تاریخ ۱ {afghan} ۱۴۰۳", "prs").iso == iso
    assert _one(f"تاریخ ۱ {iranian} ۱۴۰۳", "fa").iso == iso


def test_dari_spelling_of_february_with_alef_maksura():
    text = "وزارت خارجه به تاریخ ۸ فبرورى ۲۰۲۴ اعلامیه نشر کرد."
    assert _summary(text, "prs") == [("۸ فبرورى ۲۰۲۴", "gregorian", "2024-02-08")]


def test_dari_weekday_date_with_hijri_shamsi():
    text = "امارت اسلامی روز پنجشنبه ۱۹ دلو ۱۴۰۲ هجری شمسی اعلام کرد."
    assert _summary(text, "prs") == [("روز پنجشنبه ۱۹ دلو ۱۴۰۲ هجری شمسی", "solar_hijri", "2024-02-08")]


def test_dari_month_and_year_is_month_precision():
    match = _one("نظام جمهوری در اسد ۱۴۰۰ سقوط کرد.", "prs")
    assert (match.text, match.iso, match.precision) == ("اسد ۱۴۰۰", "2021-07-23", "month")


def test_dari_everyday_words_asad_mizan_saratan_haml_next_to_numbers_are_not_dates():
    text = ("مالیات به میزان ۳۰ فیصد بلند رفت، بشار اسد ۲۴ سال حکومت کرد، "
            "بیماری سرطان ۱۲ نفر را کشت و حمل ۲۰ تن گندم ممنوع شد.")
    assert _dates(text, "prs") == []


def test_dari_relative_dates():
    text = "سخنگو دیروز گفت که روز گذشته دو نفر بازداشت شدند و سه روز قبل هم حادثه‌ای رخ داد."
    assert _summary(text, "prs") == [
        ("دیروز", "gregorian", "2024-02-09"),
        ("روز گذشته", "gregorian", "2024-02-09"),
        ("سه روز قبل", "gregorian", "2024-02-07"),
    ]


def test_dari_tuesday_with_space_zwnj_or_joined():
    for weekday in ("سه شنبه", "سه\u200cشنبه", "سهشنبه"):
        assert _one(f"والی روز {weekday} به ولسوالی رفت.", "prs").iso == "2024-02-06"


def test_dari_numeric_solar_date_and_year_with_era():
    text = "فرمان ۱۴۰۳/۱/۲۵ صادر شد؛ این ولسوالی در سال ۱۳۵۷ هجری شمسی ساخته شد."
    assert _summary(text, "prs") == [
        ("۱۴۰۳/۱/۲۵", "solar_hijri", "2024-04-13"),
        ("سال ۱۳۵۷ هجری شمسی", "solar_hijri", "1978-03-21"),
    ]


def test_dari_language_code_aliases_choose_persian_phrases():
    for code in ("prs", "fa-AF", "fa"):
        assert _one("پریروز", code).iso == "2024-02-08"


# --- Pashto ----------------------------------------------------------------------------------


def test_pashto_year_kal_month_day_form_includes_the_genitive():
    text = "ویاند وویل چې د ۱۴۰۳ کال د وري ۲۵مه به غونډه وي."
    match = _one(text, "ps")
    assert (match.text, match.calendar, match.iso) == ("د ۱۴۰۳ کال د وري ۲۵مه", "solar_hijri", "2024-04-13")


def test_pashto_gregorian_date_in_the_kal_form():
    text = "دا پرېکړه د ۲۰۲۴ کال د فبرورۍ ۸مه اعلان شوه."
    assert _summary(text, "ps") == [("د ۲۰۲۴ کال د فبرورۍ ۸مه", "gregorian", "2024-02-08")]


PASHTO_MONTHS = [
    ("وري", "2024-03-20"), ("غويي", "2024-04-20"), ("غبرګولي", "2024-05-21"),
    ("چنګاښ", "2024-06-21"), ("زمري", "2024-07-22"), ("وږي", "2024-08-22"),
    ("تلې", "2024-09-22"), ("لړم", "2024-10-22"), ("لیندۍ", "2024-11-21"),
    ("مرغومي", "2024-12-21"), ("سلواغې", "2025-01-20"), ("کب", "2025-02-19"),
]


@pytest.mark.parametrize(("month", "iso"), PASHTO_MONTHS)
def test_every_pashto_month_name_resolves(month, iso):
    assert _one(f"د ۱۴۰۳ کال د {month} ۱مه", "ps").iso == iso


def test_pashto_month_and_ordinal_day_without_year_and_with_par():
    text = "د سلواغې ۱۹مه او د وري پر ۲۵مه"
    assert _summary(text, "ps") == [
        ("د سلواغې ۱۹مه", "solar_hijri", "2024-02-08"),
        ("د وري پر ۲۵مه", "solar_hijri", "2024-04-13"),
    ]


def test_relative_yesterday_in_pashto_resolves_against_publication():
    text = "پرون په کابل کې چاودنه وشوه، نن غونډه ده او سبا به خبرې وي."
    assert _summary(text, "ps") == [
        ("پرون", "gregorian", "2024-02-09"),
        ("نن", "gregorian", "2024-02-10"),
        ("سبا", "gregorian", "2024-02-11"),
    ]


def test_pashto_weekday_phrases_and_days_ago():
    text = "تېره ورځ یې وویل چې د چهارشنبې په ورځ برید شوی و او دوه ورځې وړاندې یې ګواښ کړی و."
    assert _summary(text, "ps") == [
        ("تېره ورځ", "gregorian", "2024-02-09"),
        ("د چهارشنبې په ورځ", "gregorian", "2024-02-07"),
        ("دوه ورځې وړاندې", "gregorian", "2024-02-08"),
    ]


def test_pashto_typed_on_a_persian_keyboard_still_matches():
    assert _summary("د چهارشنبی په ورځ", "ps") == [("د چهارشنبی په ورځ", "gregorian", "2024-02-07")]


def test_pashto_di_as_verb_is_not_a_date_but_with_a_year_it_is():
    assert _dates("د مړو شمېر ۱۴ دی او د ټپیانو شمېر ۳۰ دی.", "ps") == []
    assert _summary("د ۱۴ دی ۱۴۰۲ غونډه", "ps") == [("۱۴ دی ۱۴۰۲", "solar_hijri", "2024-01-04")]


def test_pashto_everyday_month_words_and_non_naba_are_not_dates():
    assert _dates("۲۰ وږي ماشومان او ۳ زمري په ژوبڼ کې دي؛ نن سبا خلک خواشیني دي.", "ps") == []


def test_pashto_gregorian_kal_form_with_zezhdiz_era():
    text = "د ۲۰۲۴ زېږدیز کال د فبرورۍ ۸مه"
    assert _summary(text, "ps") == [(text, "gregorian", "2024-02-08")]


def test_pashto_year_with_lamriz_kal_is_year_precision():
    match = _one("د ۱۴۰۳ لمریز کال بودیجه", "ps")
    assert (match.text, match.calendar, match.iso, match.precision) == (
        "د ۱۴۰۳ لمریز کال", "solar_hijri", "2024-03-20", "year")


def test_pashto_lunar_date_in_the_kal_form():
    text = "د ۱۴۴۵ هـ ق کال د رمضان ۵مه"
    assert _summary(text, "ps") == [(text, "lunar_hijri", "2024-03-15")]


# --- Arabic ----------------------------------------------------------------------------------


def test_arabic_gregorian_date_with_standard_and_levantine_month_names():
    text = "صدر البيان في 8 فبراير 2024 وأعيد نشره في 8 شباط 2024م."
    assert _summary(text, "ar") == [
        ("8 فبراير 2024", "gregorian", "2024-02-08"),
        ("8 شباط 2024م", "gregorian", "2024-02-08"),
    ]


def test_lunar_hijri_ramadan_1445_to_gregorian():
    match = _one("يبدأ الصيام في 1 رمضان 1445هـ.", "ar")
    assert (match.text, match.calendar, match.iso) == ("1 رمضان 1445هـ", "lunar_hijri", "2024-03-11")


def test_arabic_double_dating_weekday_hijri_and_gregorian():
    text = "الخميس 27 رجب 1445هـ الموافق 8 فبراير 2024م"
    assert _summary(text, "ar") == [
        ("الخميس 27 رجب 1445هـ", "lunar_hijri", "2024-02-08"),
        ("8 فبراير 2024م", "gregorian", "2024-02-08"),
    ]


def test_arabic_indic_digits_and_year_with_heh_era():
    text = "في ٨ فبراير ٢٠٢٤ وفي عام ١٤٤٥ه"
    found = _dates(text, "ar")
    assert [(m.text, m.iso, m.precision) for m in found] == [
        ("٨ فبراير ٢٠٢٤", "2024-02-08", "day"),
        ("عام ١٤٤٥ه", "2023-07-19", "year"),
    ]


def test_arabic_month_name_variants_and_attached_conjunction():
    text = "ربيع الأول 1446 وربيع الآخر 1446 وربيع الثاني 1446 وجمادى الآخرة 1446 وذي الحجة 1445"
    assert _summary(text, "ar") == [
        ("ربيع الأول 1446", "lunar_hijri", "2024-09-04"),
        ("ربيع الآخر 1446", "lunar_hijri", "2024-10-04"),
        ("ربيع الثاني 1446", "lunar_hijri", "2024-10-04"),
        ("جمادى الآخرة 1446", "lunar_hijri", "2024-12-02"),
        ("ذي الحجة 1445", "lunar_hijri", "2024-06-07"),
    ]


def test_arabic_numeric_gregorian_and_hijri_dates():
    text = "السبت 14/9/2024م و5/9/1445هـ"
    assert _summary(text, "ar") == [
        ("السبت 14/9/2024م", "gregorian", "2024-09-14"),
        ("5/9/1445هـ", "lunar_hijri", "2024-03-15"),
    ]


def test_arabic_relative_dates():
    text = "قال أمس إن الاجتماع اليوم وسيعقد غداً، بعد هجوم الأربعاء الماضي ولقاء يوم الأربعاء الذي جرى قبل يومين."
    assert _summary(text, "ar") == [
        ("أمس", "gregorian", "2024-02-09"),
        ("اليوم", "gregorian", "2024-02-10"),
        ("غداً", "gregorian", "2024-02-11"),
        ("الأربعاء الماضي", "gregorian", "2024-02-07"),
        ("يوم الأربعاء", "gregorian", "2024-02-07"),
        ("قبل يومين", "gregorian", "2024-02-08"),
    ]


def test_arabic_days_ago_with_number_word():
    assert _summary("وقع الانفجار قبل ثلاثة أيام.", "ar") == [("قبل ثلاثة أيام", "gregorian", "2024-02-07")]


def test_arabic_next_day_verse_and_phone_are_not_dates():
    text = "وفي اليوم التالي تلا الآية 60 من سورة الأنفال، للتواصل: +970 599 123 456"
    assert _dates(text, "ar") == []


def test_arabic_impossible_hijri_day_is_skipped():
    assert _dates("في 30 محرم 1445", "ar") == []  # Muharram 1445 has 29 days (Umm al-Qura)


def test_arabic_typed_with_tatweel_and_shadda_keeps_original_offsets():
    text = "حلّ رمضـان ١٤٤٥هـ ثم شوّال 1445"
    found = _dates(text, "ar")
    assert [(m.text, m.iso) for m in found] == [("رمضـان ١٤٤٥هـ", "2024-03-11"), ("شوّال 1445", "2024-04-10")]
    assert (found[0].start, found[0].end) == (4, 17)


# --- Urdu ------------------------------------------------------------------------------------


def test_urdu_gregorian_date_with_era_and_weekday():
    text = "جمعرات 8 فروری 2024 کو انتخابات ہوئے اور نتائج 9 فروری 2024ء کو آئے۔"
    assert _summary(text, "ur") == [
        ("جمعرات 8 فروری 2024", "gregorian", "2024-02-08"),
        ("9 فروری 2024ء", "gregorian", "2024-02-09"),
    ]


def test_urdu_lunar_dates_with_heh_do_chashmi_era():
    text = "12 ربیع الاول 1446ھ کو جلوس نکلا اور رمضان المبارک 1445ھ میں روزے رکھے گئے۔"
    found = _dates(text, "ur")
    assert [(m.text, m.calendar, m.iso, m.precision) for m in found] == [
        ("12 ربیع الاول 1446ھ", "lunar_hijri", "2024-09-15", "day"),
        ("رمضان المبارک 1445ھ", "lunar_hijri", "2024-03-11", "month"),
    ]


def test_urdu_relative_dates():
    text = "آج ترجمان نے بتایا کہ بدھ کو حملہ ہوا، گزشتہ روز گرفتاریاں ہوئیں اور دو روز قبل دھمکی دی گئی۔"
    assert _summary(text, "ur") == [
        ("آج", "gregorian", "2024-02-10"),
        ("بدھ کو", "gregorian", "2024-02-07"),
        ("گزشتہ روز", "gregorian", "2024-02-09"),
        ("دو روز قبل", "gregorian", "2024-02-08"),
    ]


def test_urdu_kal_is_yesterday_in_a_past_sentence_and_tomorrow_before_a_future_verb():
    text = "وزیر داخلہ کل پشاور گئے۔ وزیر اعظم کل اسلام آباد جائیں گے۔"
    assert _summary(text, "ur") == [("کل", "gregorian", "2024-02-09"), ("کل", "gregorian", "2024-02-11")]


def test_urdu_aaj_kal_total_and_last_week_are_not_dates():
    text = "آج کل حالات خراب ہیں، کل تعداد 50 ہے، کل جماعتی کانفرنس ہوئی اور گزشتہ ہفتہ مشکل تھا۔"
    assert _dates(text, "ur") == []


def test_urdu_kal_is_not_read_when_the_language_is_unknown():
    assert _dates("وزیر داخلہ کل پشاور گئے۔", None) == []


def test_urdu_phone_and_price_are_not_dates():
    assert _dates("رابطہ 0300-1234567 اور قیمت 2024 روپے ہے۔", "ur") == []


def test_urdu_numeric_date_is_day_first():
    assert _summary("اجلاس 08/02/2024 کو ہوا۔", "ur") == [("08/02/2024", "gregorian", "2024-02-08")]


def test_urdu_year_with_san_and_hamza_era():
    match = _one("یہ قانون سن 2024ء میں بنا۔", "ur")
    assert (match.text, match.iso, match.precision) == ("سن 2024ء", "2024-01-01", "year")


def test_urdu_on_saturday_is_read_only_when_the_language_is_urdu():
    assert _summary("ہفتہ کو جلسہ ہوا۔", "ur") == [("ہفتہ کو", "gregorian", "2024-02-10")]
    assert _dates("ہفتہ کو جلسہ ہوا۔", None) == []


# --- English ---------------------------------------------------------------------------------


def test_english_day_month_year_and_month_day_year():
    text = "The statement of 8 February 2024 repeated the one of February 8, 2024 and 8th of February, 2024."
    assert _summary(text, "en") == [
        ("8 February 2024", "gregorian", "2024-02-08"),
        ("February 8, 2024", "gregorian", "2024-02-08"),
        ("8th of February, 2024", "gregorian", "2024-02-08"),
    ]


def test_english_abbreviated_month_without_year_uses_publication_year():
    assert _summary("Talks resumed on Feb. 8 in Doha.", "en") == [("Feb. 8", "gregorian", "2024-02-08")]
    assert _dates("Talks resumed on Feb. 8 in Doha.", "en", published=None) == []


def test_english_weekday_is_part_of_the_date():
    text = "Posted on Thursday, February 8, 2024 at noon."
    assert _summary(text, "en") == [("on Thursday, February 8, 2024", "gregorian", "2024-02-08")]


def test_iso_and_unambiguous_numeric_dates_only():
    text = "Logged 2024-02-08T10:00Z; forms dated 14/02/2024 and 2/14/2024, but not 08/02/2024."
    assert _summary(text, "en") == [
        ("2024-02-08", "gregorian", "2024-02-08"),
        ("14/02/2024", "gregorian", "2024-02-14"),
        ("2/14/2024", "gregorian", "2024-02-14"),
    ]


def test_a_weekday_decides_an_ambiguous_numeric_date():
    assert _summary("Posted Thursday 08/02/2024.", "en") == [("Thursday 08/02/2024", "gregorian", "2024-02-08")]
    assert _summary("Posted Friday 02/08/2024.", "en") == [("Friday 02/08/2024", "gregorian", "2024-08-02")]


def test_english_relative_dates():
    text = "Yesterday the group claimed an attack carried out last Wednesday; two days ago and 3 days ago it was silent; tomorrow it may speak."
    assert _summary(text, "en") == [
        ("Yesterday", "gregorian", "2024-02-09"),
        ("last Wednesday", "gregorian", "2024-02-07"),
        ("two days ago", "gregorian", "2024-02-08"),
        ("3 days ago", "gregorian", "2024-02-07"),
        ("tomorrow", "gregorian", "2024-02-11"),
    ]


def test_on_wednesday_is_the_same_day_but_last_wednesday_a_week_earlier_when_published_on_wednesday():
    text = "The envoy arrived on Wednesday; the raid was last Wednesday."
    assert _summary(text, "en", published=WEDNESDAY) == [
        ("on Wednesday", "gregorian", "2024-02-07"),
        ("last Wednesday", "gregorian", "2024-01-31"),
    ]


def test_lower_case_may_is_a_verb_not_a_month():
    assert _dates("Fighters may 2024 be a hard year, they said.", "en") == []
    assert _summary("Fighting resumed in May 2024.", "en") == [("May 2024", "gregorian", "2024-05-01")]


def test_english_transliterated_hijri_months_and_ah_era():
    text = "On 25 Hamal 1403 the emirate marked the end of Ramadan 1445 AH; the book is from 1445 AH."
    found = _dates(text, "en")
    assert [(m.text, m.calendar, m.iso, m.precision) for m in found] == [
        ("25 Hamal 1403", "solar_hijri", "2024-04-13", "day"),
        ("Ramadan 1445 AH", "lunar_hijri", "2024-03-11", "month"),
        ("1445 AH", "lunar_hijri", "2023-07-19", "year"),
    ]


def test_english_verse_price_phone_and_bare_number_are_not_dates():
    text = "Surah 2, verse 255; it cost $1400; call +93 799 123 456; 2024 people marched."
    assert _dates(text, "en") == []


def test_english_year_after_in_since_until_is_a_year():
    found = extract_dates("The group was founded in 1994 and has ruled since 2021.", None, "en")
    assert [(d.text, d.iso, d.precision) for d in found] == [
        ("in 1994", "1994-01-01", "year"), ("since 2021", "2021-01-01", "year")]


def test_arabic_ordinal_day_words_and_paired_month_names():
    found = extract_dates("في السابع من أكتوبر 2023، وفي العاشر من آذار/مارس 2023، ثم 23 آذار/مارس 2019", None, "ar")
    assert [(d.text, d.iso) for d in found] == [
        ("السابع من أكتوبر 2023", "2023-10-07"), ("العاشر من آذار/مارس 2023", "2023-03-10"),
        ("23 آذار/مارس 2019", "2019-03-23")]


def test_impossible_dates_are_skipped_not_crashed_on():
    assert _dates("30 February 2024, 13/13/2024, 31 April 2024 and 2024-13-01", "en") == []


def test_year_word_makes_a_year():
    match = _one("In the year 2024 the movement split.", "en")
    assert (match.text, match.iso, match.precision) == ("year 2024", "2024-01-01", "year")


# --- across languages ------------------------------------------------------------------------


def test_offsets_point_into_the_original_text_despite_removed_and_expanded_characters():
    # ﻻ is one presentation-form character that folds to two letters; the ZWNJ, kasra and
    # tatweel fold to nothing: the offsets must still be those of the original text
    text = "ﻻ\u200cِ خبرِ ۱۹ بهمـن‌ماه ۱۴۰۲ و دیروز"
    found = _dates(text, "fa")
    assert [(m.text, m.start, m.end) for m in found] == [
        ("۱۹ بهمـن\u200cماه ۱۴۰۲", 9, 26),
        ("دیروز", 29, 34),
    ]


def test_published_may_be_a_datetime_and_language_may_be_unknown():
    found = extract_dates("Yesterday, 8 February 2024.", datetime(2024, 2, 10, 22, 30), "xx")
    assert [(m.text, m.iso) for m in found] == [("Yesterday", "2024-02-09"), ("8 February 2024", "2024-02-08")]


def test_never_raises_on_random_input():
    rng = random.Random(20240208)
    alphabet = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩ /-.,:،بهمنرمضاندیروزکال\u200c\u064e\u0640ﻻ😀\ud800ماهسالهـMayon"
    for i in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for language in (None, "fa", "ps", "ar", "ur", "en"):
            _dates(text, language, SATURDAY if i % 2 else None)
    assert extract_dates(None) == []  # type: ignore[arg-type]
    assert extract_dates("", SATURDAY) == []
    assert extract_dates("8 February 2024", "not a date", 42)[0].iso == "2024-02-08"  # type: ignore[arg-type]


def test_a_long_document_is_read_in_one_pass():
    paragraph = "سخنگو در ۱۹ بهمن ۱۴۰۲ گفت که دیروز حمله شد. " * 200
    found = _dates(paragraph, "fa")
    assert len(found) == 400
    assert found[-1].text == "دیروز"


def test_an_extra_lexicon_file_adds_a_spelling(tmp_path):
    extra = tmp_path / "more.yaml"
    extra.write_text(
        "calendars:\n  gregorian:\n    months:\n      2:\n        prs: [فبروارى]\n", encoding="utf-8"
    )
    lexicon = load_lexicon(extra)
    found = extract_dates("۸ فبروارى ۲۰۲۴", None, "prs", lexicon=lexicon)
    assert [(m.text, m.iso) for m in found] == [("۸ فبروارى ۲۰۲۴", "2024-02-08")]
    assert extract_dates("۸ فبروارى ۲۰۲۴", None, "prs") == []


def test_a_broken_lexicon_file_is_a_config_error(tmp_path):
    extra = tmp_path / "bad.yaml"
    extra.write_text("calendars:\n  julian:\n    years: [1, 2]\n    months: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown calendar 'julian'"):
        load_lexicon(extra)
    extra.write_text("eras:\n  gregorian: [yes]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="true/false"):
        load_lexicon(extra)


def test_pashto_month_then_la_and_an_oblique_ordinal_day():
    found = extract_dates("د ۲۰۲۱ کال د اګست له ۱۵مې وروسته", date(2024, 3, 1), "ps")
    assert [(d.text, d.iso) for d in found] == [("د ۲۰۲۱ کال د اګست له ۱۵مې", "2021-08-15")]
