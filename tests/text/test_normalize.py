"""The search-key normaliser: folding decisions, offsets, speed-independent invariants."""

import random

from rasad.text.normalize import fold_letters, normalize, normalize_with_offsets, tokenize

SAMPLES = [
    # Persian (Iran), with ZWNJ, Persian digits and guillemets
    "سخنگوی وزارت امور خارجه روز ۱۲ فروردین ۱۴۰۳ گفت: «تهران به تعهدات خود پایبند است.»",
    # Persian typed on an Arabic keyboard
    "وزير كشور گفت كه امنيت مرزهاي شرقي برقرار است؛ نيروهاي انتظامي آماده‌اند.",
    # Dari
    "ذبیح‌الله مجاهد، سخنگوی امارت اسلامی، در ولسوالی چهاردره ولایت کندز گفت که پوهنتون باز است.",
    # Pashto
    "د ننګرهار والي وویل چې د سیلابونو له امله سلګونه کورونه ویجاړ شوي دي؟ زیانمنو کورنیو ته بیړنۍ مرستې ورسول شوې.",
    # Arabic with harakat, tatweel, hamza forms and Arabic-Indic digits
    "قَالَ المُتَحَدِّثُ إنَّ القـــوات أحبطت هجوماً على نقطة عسكرية، وأسفرت الاشتباكات عن مقتل ٣ مسلحين.",
    # Urdu with its full stop, heh goal, do-chashmi heh and yeh barree
    "پاکستان کے وزیر داخلہ نے کہا ہے کہ کارروائی جاری رہے گی۔ انہوں نے یہ بات اسلام آباد میں کہی۔",
    # English with typographic quotes, accents and a dash
    "The “Islamic Emirate” – as the Taliban call it – said: Café, naïve, STRAẞE, İstanbul.",
    # invisible and odd characters
    "\ufeff\u200fمی\u200cگوید\u200e \u202bمتن\u202c \u2067داخل\u2069 soft\u00adhyphen \u200dzwj",
    "ﻻ إله إلا ﷲ ﷺ ﭖ ﮒ",
    "tabs\tand\nnew\r\nlines\u00a0nbsp\u2003em\u3000ideographic",
    "emoji 🔴 فوری | انفجار 🇮🇷 ✅ ٪۵۰ ٫ ٬ — ... ",
    "",
    "   ",
]

# every kind of character the folding tables treat specially, plus ordinary ones
_ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيىكةۀەہھأإآٱؤئءٸٶٵ"
    "ټډړښږځڅۍېڼګٹڈڑںےۓۂۃڤ"
    "\u064b\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u06d6\u06e1\u06ed\u0640"
    "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u2066\u2069\u00ad\ufeff\u2060\ufe0f"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789"
    "،؛؟«»۔٪٫٬.,;:!?\"'()[]{}-–—…/\\|@#%&*+=<>~`^_"
    " \t\n\r\u00a0\u2003\u3000\u2028"
    "abcxyzABCXYZéÉçßẞİıñØæœĳﬁﬂ\u0301\u0308"
    "йёЖЯαΩά中文한국"
    "ﷲﷺﻻﭖﮒ﷽"
    "😀🔴🇮🇷✅\x00\x01\x1f\x7f\x85\ud800"
)


def _random_texts(n: int = 300) -> list[str]:
    rng = random.Random(20240208)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(n)]


def test_persian_query_with_arabic_yeh_and_kaf_matches_persian_text():
    assert normalize("وزير كشور") == normalize("وزیر کشور") == "وزیر کشور"
    assert normalize("ى") == normalize("ي") == normalize("ی") == "ی"


def test_zwnj_joins_a_word_and_a_real_space_separates_it():
    assert normalize("می‌گوید") == normalize("میگوید") == "میگوید"
    assert normalize("می گوید") == "می گوید"
    assert tokenize("کشور‌های همسایه") == ["کشورهای", "همسایه"]


def test_harakat_tatweel_and_quranic_marks_are_removed():
    assert normalize("مُحَمَّدٌ") == "محمد"
    assert normalize("الســـلام") == "السلام"
    assert normalize("موسیٰ") == "موسی"
    assert normalize("الرَّحِيمِ ۝") == "الرحیم"


def test_alef_hamza_and_madda_forms_fold_to_bare_alef():
    assert normalize("أحمد إبراهيم آمر ٱلله") == "احمد ابراهیم امر الله"
    assert normalize("مؤسسه") == "موسسه"
    assert normalize("رئیس") == normalize("رييس") == "رییس"


def test_teh_marbuta_and_heh_variants_fold_to_heh():
    assert normalize("دولة") == normalize("دوله") == "دوله"
    assert normalize("خانۀ") == normalize("خانهٔ") == "خانه"
    assert normalize("ە") == "ه"


def test_urdu_heh_goal_and_do_chashmi_heh_fold_to_heh():
    # Urdu writers type ھ for ہ ("ھے" for "ہے"); both must meet
    assert normalize("ہے") == normalize("ھے") == normalize("هے") == "هے"
    assert normalize("کہا") == "کها"


def test_urdu_yeh_barree_and_noon_ghunna_stay_distinct():
    assert normalize("کے") != normalize("کی")
    assert normalize("ۓ") == "ے"
    assert normalize("میں") == "میں"


def test_pashto_gaf_meets_persian_gaf():
    assert normalize("ننګرهار") == normalize("ننگرهار") == "ننگرهار"


def test_pashto_and_urdu_retroflexes_meet_but_stay_apart_from_dentals():
    assert normalize("ټانک") == normalize("ٹانک") == "ٹانک"
    assert normalize("ډیره") == normalize("ڈیرہ") == "ڈیره"
    assert normalize("ړ") == normalize("ڑ")
    assert normalize("ٹانک") != normalize("تانک")


def test_pashto_yeh_forms_fold_to_yeh():
    assert normalize("کې") == normalize("کی") == "کی"
    assert normalize("بیړنۍ") == "بیڑنی"


def test_pashto_letters_without_persian_counterpart_stay_distinct():
    assert normalize("ښار ځای څخه ږ ڼ") == "ښار ځای څخه ږ ڼ"
    assert normalize("ښ") != normalize("ش")


def test_lone_hamza_is_kept_as_a_letter():
    assert normalize("ماء") == "ماء"
    assert normalize("ماء") != normalize("ما")


def test_digits_of_every_kind_become_ascii():
    assert normalize("۱۴۰۲/۰۵/۱۲") == "1402 05 12"
    assert normalize("٢٠٢٤") == "2024"
    assert normalize("۱۴۰۳") == normalize("1403")


def test_punctuation_of_every_script_becomes_a_space():
    assert normalize("«سلام»،خوبی؟بله؛ نه") == "سلام خوبی بله نه"
    assert normalize("یہ بات ہے۔وہ") == "یه بات هے وه"
    assert normalize("٪۵۰") == "50"
    assert normalize("“deal” — (draft) [1]") == "deal draft 1"


def test_latin_is_casefolded_and_loses_its_accents():
    assert normalize("Café ÉCOLE naïve") == "cafe ecole naive"
    assert normalize("Straße STRAẞE") == "strasse strasse"
    assert normalize("İstanbul") == "istanbul"
    assert normalize("e\u0301") == normalize("é") == "e"
    assert normalize("ﬁnal Ⅻ ½") == "final xii 1 2"


def test_cyrillic_short_i_is_a_letter_of_its_own():
    assert normalize("Й") == "й"
    assert normalize("й") != normalize("и")


def test_bidi_controls_bom_and_soft_hyphen_vanish():
    assert normalize("\ufeff\u200fسلام\u200e") == "سلام"
    assert normalize("\u202bمتن\u202c \u2067داخل\u2069") == "متن داخل"
    assert normalize("soft\u00adhyphen") == "softhyphen"
    assert normalize("zw\u200dj") == "zwj"


def test_arabic_presentation_forms_and_ligatures_become_letters():
    assert normalize("ﻻ") == "لا"
    assert normalize("ﷲ") == "الله"
    assert normalize("ﷺ") == "صلی الله علیه وسلم"
    assert normalize("ﭖ ﮒ") == "پ گ"


def test_emoji_symbols_and_controls_separate_words():
    assert normalize("فوری🔴انفجار") == "فوری انفجار"
    assert normalize("a\x00b\x1fc") == "a b c"
    assert normalize("🇮🇷✅") == ""


def test_whitespace_of_every_kind_collapses_to_single_spaces():
    assert normalize("  a\t\tb\n\r\nc\u00a0d\u2003e\u3000f  ") == "a b c d e f"
    assert normalize("") == ""
    assert normalize(" \n\t ") == ""


def test_lone_surrogate_does_not_break_normalisation():
    assert normalize("a\ud800b") == "a b"


def test_tokenize_splits_the_key():
    assert tokenize("«ذبیح‌الله مجاهد» گفت.") == ["ذبیحالله", "مجاهد", "گفت"]
    assert tokenize("") == []


def test_normalize_is_idempotent():
    for text in SAMPLES + _random_texts():
        key = normalize(text)
        assert normalize(key) == key, repr(text)


def test_key_has_single_spaces_and_no_edges():
    for text in SAMPLES + _random_texts():
        key = normalize(text)
        assert "  " not in key and key == key.strip()
        assert not any(ch.isspace() and ch != " " for ch in key), repr(text)


def test_offsets_version_agrees_with_normalize():
    for text in SAMPLES + _random_texts():
        key, offsets = normalize_with_offsets(text)
        assert key == normalize(text), repr(text)
        assert len(offsets) == len(key)
        assert offsets == sorted(offsets)
        assert all(0 <= offset < len(text) for offset in offsets)


def test_every_key_character_comes_from_the_character_its_offset_names():
    for text in SAMPLES + _random_texts():
        key, offsets = normalize_with_offsets(text)
        for ch, offset in zip(key, offsets, strict=True):
            if ch != " ":
                assert ch in normalize(text[offset]), (repr(text), ch, offset)


def test_offsets_for_expanding_and_vanishing_characters():
    key, offsets = normalize_with_offsets("ﷲ\u200c\u200cé ß")
    assert key == "اللهe ss"  # the ZWNJs vanish and join
    assert offsets == [0, 0, 0, 0, 3, 4, 5, 5]


def test_offsets_highlight_a_match_in_the_original_text():
    original = "سخنگو گفت: «او می‌گوید که مذاكرات ادامه دارد»."
    key, offsets = normalize_with_offsets(original)
    match = normalize("میگوید که مذاکرات")
    start = key.index(match)
    end = start + len(match) - 1
    assert original[offsets[start]:offsets[end] + 1] == "می‌گوید که مذاكرات"


def test_fold_letters_keeps_case_punctuation_and_spacing():
    assert fold_letters("كتاب‌های «عربي» Café ۱۲") == "کتابهای «عربی» Café 12"
    assert fold_letters("ﷲ أكبر") == "الله اکبر"
    assert fold_letters("مُحَمَّد") == "محمد"


def test_fold_letters_agrees_with_normalize():
    for text in SAMPLES + _random_texts():
        assert normalize(fold_letters(text)) == normalize(text), repr(text)
