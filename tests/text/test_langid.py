"""Language, dialect and script detection on news-style texts in Rasad's languages."""

import random

import py3langid
import pytest

from rasad.model import LanguageGuess
from rasad.text import langid
from rasad.text.langid import detect, dialect_scores
from rasad.text.script import dominant_script, script_counts

# Persian from Iran: news, a statement, a one-line item, one typed with Arabic ي/ك
FA = [
    "سخنگوی وزارت امور خارجه ایران روز دوشنبه در نشست خبری هفتگی گفت که تهران به تعهدات خود پایبند است. وی افزود مذاکرات با کشورهای اروپایی ادامه خواهد داشت و هیچ تصمیمی بدون هماهنگی با مجلس شورای اسلامی گرفته نمی\u200cشود.",
    "به گزارش خبرگزاری مهر، فرمانده سپاه استان سیستان و بلوچستان از دستگیری یک تیم تروریستی در شهرستان سراوان خبر داد. این افراد قصد داشتند در روزهای پایانی اسفند به مراکز انتظامی حمله کنند.",
    "رئیس\u200cجمهور روز ۱۲ فروردین ۱۴۰۳ از نمایشگاه صنایع دفاعی بازدید کرد.",
    "وزير كشور در جلسه امروز گفت كه امنيت مرزهاي شرقي كشور به طور كامل برقرار است. او تاكيد كرد كه نيروهاي انتظامي در حال آماده باش هستند.",
    "شهرداری تهران اعلام کرد که از هفته آینده ساعت کار مترو تا نیمه\u200cشب تمدید می\u200cشود. به گفته مسئولان، این تصمیم برای کاهش ترافیک و استفاده کمتر از خودروهای شخصی گرفته شده است. دانشجویان دانشگاه تهران از این طرح استقبال کردند.",
    "پلیس راهور از افزایش تصادفات در جاده\u200cهای شمالی کشور در تعطیلات تابستانی خبر داد.",
    "خبرگزاری تسنیم نوشت: نیروی دریایی سپاه پاسداران یک نفتکش خارجی را در خلیج فارس توقیف کرد. به گفته این رسانه، نفتکش حامل سوخت قاچاق بوده است.",
]

# Dari (Persian from Afghanistan)
PRS = [
    "ذبیح\u200cالله مجاهد، سخنگوی امارت اسلامی، روز سه\u200cشنبه ۲۵ حمل ۱۴۰۳ در کابل گفت که نیروهای امنیتی یک گروه مسلح را در ولسوالی چهاردره ولایت کندز بازداشت کردند. وی افزود که در این عملیات به افراد ملکی آسیبی نرسیده است.",
    "ریاست معارف ولایت هرات اعلام کرد که مکتب\u200cها و لیسه\u200cهای دخترانه همچنان مسدود می\u200cباشند. شماری از متعلمین و والدین آنان از این تصمیم انتقاد کردند.",
    "شاروالی کابل از آغاز کار سرک\u200cسازی در ناحیه دهم شهر خبر داد.",
    "محصلان پوهنتون کابل می\u200cگویند که امتحانات سمستر بهاری به دلیل کمبود استادان به تعویق افتاده است. مسئولان پوهنځی حقوق وعده داده\u200cاند که مشکل تا ماه ثور حل شود.",
    "قوماندانی امنیه ولایت بلخ گفت که یک موتر حامل مواد انفجاری در شهر مزار شریف کشف و ضبط شد. پولیس دو تن را در این رابطه بازداشت کرده است.",
    "وزارت صحت عامه از ثبت ده\u200cها واقعه جدید اسهال حاد در شفاخانه\u200cهای ننگرهار و لغمان خبر داد. داکتران از مردم خواستند که آب آشامیدنی را جوش دهند.",
    "سره\u200cمیاشت افغانستان به بیجاشدگان زلزله در ولسوالی زنده\u200cجان کمک رساند.",
]

# Pashto; the last one typed on a Persian keyboard without Pashto letters
PS = [
    "د اسلامي امارت ویاند ذبیح الله مجاهد ویلي چې په کابل کې امنیتي وضعیت ښه دی. هغه زیاته کړه چې د بهرنیو هېوادونو سفارتونه باید بیرته پرانیستل شي.",
    "د ننګرهار والي په یوه غونډه کې وویل چې د سیلابونو له امله سلګونه کورونه ویجاړ شوي دي. زیانمنو کورنیو ته بیړنۍ مرستې ورسول شوې.",
    "طالبانو وویل چې برید کوونکي وژل شوي دي.",
    "پاکستاني ځواکونو د تیرې شپې په ترڅ کې په خیبر پښتونخوا کې پر یوه پټنځای برید وکړ. پوځ ادعا کړې چې په دې عملیات کې اووه وسله وال وژل شوي دي.",
    "د پوهنې وزارت اعلان وکړ چې د ښوونځیو نوی تعلیمي کال به د وري په لومړۍ نېټه پیل شي.",
    "د روغتیا وزارت ویاند وویل چې په تېره اونۍ کې د شري ناروغۍ نوې پېښې ثبت شوې دي. ماشومانو ته د واکسین ورکولو کمپاین به راتلونکې میاشت پیل شي.",
    "طالبانو وویل چی په کابل کی یو برید شوی دی او دوه تنه پکی وژل شوی دی.",
]

# Arabic; one quotes a Persian name in Persian letters, one in Egyptian spelling (final ى)
AR = [
    "قال المتحدث باسم الجيش إن القوات تمكنت من إحباط هجوم على نقطة عسكرية قرب الحدود. وأضاف أن الاشتباكات أسفرت عن مقتل ثلاثة من المسلحين وإصابة جنديين.",
    "أعلنت حركة حماس في بيان صدر مساء الخميس أنها ترفض أي مقترح لا يتضمن وقفا دائما لإطلاق النار. وأكدت الحركة أن المفاوضات متوقفة حتى إشعار آخر.",
    "أدان الأمين العام للأمم المتحدة الهجوم الذي استهدف سوقا شعبيا في المدينة.",
    "نقلت وكالة فارس عن قائد الحرس الثوري قوله إن ايران لن تتراجع عن مواقفها. وجاء ذلك خلال مراسم في مدينة مشهد حضرها مسؤولون من «سپاه پاسداران» وعدد من علماء الدين.",
    "ذكرت مصادر محلية أن طائرة مسيرة قصفت سيارة تقل عناصر من الجماعة في محافظة مأرب. ولم تعلن أي جهة مسؤوليتها عن الغارة حتى الآن.",
    "قال وزير الخارجية فى مؤتمر صحفى إن بلاده تدعم الحل السياسى للأزمة. وأشار إلى أن الاتصالات مستمرة مع جميع الأطراف.",
    "بث حزب الله شريطا مصورا يظهر عملية استهداف موقع عسكري إسرائيلي. وقال الحزب في بيانه إن العملية جاءت ردا على اغتيال أحد قادته.",
]

# Urdu; one typed with Arabic heh instead of ہ/ھ
UR = [
    "پاکستان کے وزیر داخلہ نے کہا ہے کہ دہشت گردوں کے خلاف کارروائی جاری رہے گی۔ انہوں نے یہ بات اسلام آباد میں ایک پریس کانفرنس کے دوران کہی۔",
    "خیبر پختونخوا کے ضلع بنوں میں پولیس چوکی پر حملے میں دو اہلکار شہید ہو گئے۔ حکام کے مطابق حملہ آور فرار ہونے میں کامیاب ہو گئے اور علاقے میں سرچ آپریشن شروع کر دیا گیا ہے۔",
    "کالعدم تنظیم نے حملے کی ذمہ داری قبول کر لی ہے۔",
    "وزیر اعظم نے افغان حکومت پر زور دیا کہ وہ اپنی سرزمین کو پاکستان کے خلاف استعمال ہونے سے روکے۔ ان کا کہنا تھا کہ ہمسایہ ممالک کے ساتھ اچھے تعلقات ہماری ترجیح ہیں۔",
    "محکمہ موسمیات نے آئندہ چوبیس گھنٹوں کے دوران ملک کے بیشتر علاقوں میں شدید بارش کی پیش گوئی کی ہے۔ شہریوں کو غیر ضروری سفر سے گریز کرنے کی ہدایت کی گئی ہے۔",
    "حکومت نے کها هے که مذاکرات کا اگلا دور اگلے هفتے هو گا۔",
    "فوج کے ترجمان نے بتایا کہ شمالی وزیرستان میں ٹھکانوں پر چھاپے کے دوران بھاری اسلحہ برآمد ہوا۔",
]

# English; one with a Persian name in Persian script
EN = [
    "The Taliban spokesman said on Tuesday that the group would not allow foreign fighters to use Afghan soil. He added that the government was committed to the Doha agreement.",
    "Iranian state television reported that the Revolutionary Guards had seized a tanker in the Strait of Hormuz. The vessel was accused of smuggling fuel.",
    "Officials confirmed that three soldiers were killed in the attack.",
    "In a statement posted on Telegram, the group claimed responsibility for the bombing and threatened further attacks on government buildings. Security forces have increased patrols across the province.",
    "Pakistan's foreign ministry summoned the Afghan charge d'affaires to protest against cross-border attacks.",
    "Zabihullah Mujahid (ذبیح\u200cالله مجاهد) told reporters in Kabul that the Islamic Emirate wants good relations with its neighbours.",
    "Hezbollah's media office released a video showing the launch of drones toward northern Israel. The footage could not be independently verified.",
]

# one-sentence items and headlines: a second set, first run after the rules were tuned on the first
FA_SHORT = [
    "قیمت دلار در بازار آزاد امروز کاهش یافت.",
    "آیت\u200cالله خامنه\u200cای در دیدار با فرماندهان نیروی هوایی ارتش گفت دشمن از توان دفاعی کشور هراس دارد.",
    "ایران و عربستان توافق کردند سفارتخانه\u200cهای خود را دوباره بازگشایی کنند. این توافق با میانجیگری چین حاصل شد.",
    "هواشناسی برای روزهای پنجشنبه و جمعه در استان\u200cهای شمالی هشدار سطح نارنجی صادر کرد.",
    "🔴 فوری | انفجار در نزدیکی پالایشگاه آبادان؛ جزئیات هنوز منتشر نشده است",
]

PRS_SHORT = [
    "وزارت امور خارجه امارت اسلامی از سفر هیئت چینی به کابل خبر داد.",
    "در نتیجه حمله هوایی بر یک خانه در ولسوالی خوگیانی ولایت ننگرهار، پنج تن از یک خانواده کشته شدند.",
    "نرخ مواد خوراکی در بازارهای کابل بالا رفته و مردم از نبود کار شکایت دارند. یک دوکاندار در کارته\u200cنو گفت که قیمت آرد در یک هفته دو برابر شده است.",
    "مسئولان محلی در ولایت غور می\u200cگویند که برف\u200cباری شدید راه\u200cهای مواصلاتی چندین ولسوالی را مسدود کرده است.",
    "اداره ملی احصائیه و معلومات گزارش داد که نفوس کشور به ۳۴ میلیون نفر رسیده است.",
]

PS_SHORT = [
    "د کابل ښاروالۍ ویلي چې د ښار سړکونه به ورغول شي.",
    "ملګرو ملتونو خبرداری ورکړی چې په افغانستان کې لوږه زیاتېږي.",
    "د طالبانو حکومت د نجونو پر زده کړو بندیز لا هم نه دی لرې کړی.",
    "پولیسو ته خبر ورکړل شو او هغوی پېښې ځای ته ورسېدل.",
    "په هلمند کې د کوکنارو کښت کم شوی دی، خو بزګران وايي چې بل بدیل نه لري.",
]

AR_SHORT = [
    "الحوثيون يعلنون استهداف سفينة تجارية في البحر الأحمر.",
    "أكد الرئيس أن بلاده لن تسمح بأي تدخل خارجي في شؤونها الداخلية.",
    "وأفاد مراسلنا بأن الطيران الحربي شن عدة غارات على أطراف المدينة منذ ساعات الفجر، فيما لم ترد أنباء عن إصابات.",
    "تنظيم الدولة الإسلامية يتبنى الهجوم على حاجز للجيش العراقي",
    "قالت وزارة الصحة إن عدد الضحايا ارتفع إلى ٤٥ شخصا.",
]

UR_SHORT = [
    "عمران خان کی رہائی کے لیے تحریک انصاف کا احتجاج جاری ہے۔",
    "کراچی میں فائرنگ سے دو افراد جاں بحق ہو گئے۔",
    "سیکیورٹی فورسز نے خفیہ اطلاع پر کارروائی کرتے ہوئے تین دہشت گردوں کو ہلاک کر دیا۔",
    "وزیر خارجہ نے کہا کہ افغانستان سے ہونے والے حملے ناقابل قبول ہیں۔",
    "آج ملک بھر میں یوم دفاع عقیدت و احترام سے منایا جا رہا ہے۔",
]

EN_SHORT = [
    "Explosion reported near Kabul airport.",
    "The ministry did not respond to a request for comment.",
    "Militants attacked a checkpoint in North Waziristan overnight, killing two soldiers, the army said.",
    "Iran's foreign minister arrived in Beirut on Friday.",
    "UN envoy calls for restraint.",
]

LONG_CASES = (
    [(text, "fa", "fa") for text in FA]
    + [(text, "fa", "prs") for text in PRS]
    + [(text, "ps", None) for text in PS]
    + [(text, "ar", None) for text in AR]
    + [(text, "ur", None) for text in UR]
    + [(text, "en", None) for text in EN]
)
SHORT_CASES = (
    [(text, "fa", "fa") for text in FA_SHORT]
    + [(text, "fa", "prs") for text in PRS_SHORT]
    + [(text, "ps", None) for text in PS_SHORT]
    + [(text, "ar", None) for text in AR_SHORT]
    + [(text, "ur", None) for text in UR_SHORT]
    + [(text, "en", None) for text in EN_SHORT]
)


@pytest.mark.parametrize(("text", "language", "dialect"), LONG_CASES)
def test_news_sample_gets_its_language_and_dialect(text, language, dialect):
    guess = detect(text)
    assert (guess.language, guess.dialect) == (language, dialect)
    assert guess.script == ("Latn" if language == "en" else "Arab")
    assert guess.confidence >= langid.MIN_CONFIDENCE


@pytest.mark.parametrize(("text", "language", "dialect"), SHORT_CASES)
def test_short_item_gets_its_language_and_never_the_wrong_dialect(text, language, dialect):
    guess = detect(text)
    assert guess.language == language
    # one sentence often carries no dialect marker: unknown is fine, the other dialect is not
    assert guess.dialect in ({dialect, None} if language == "fa" else {None})


def test_persian_typed_with_arabic_yeh_and_kaf_is_persian():
    text = FA[3]
    assert "ي" in text and "ك" in text and "ی" not in text
    assert detect(text).language == "fa"


def test_persian_headline_on_an_arabic_keyboard_is_never_taken_for_arabic():
    assert detect("يك كشته در حمله به پاسگاه مرزي").language == "fa"
    assert detect("رئيس جمهور در سفر به استان خوزستان").language == "fa"
    # no Persian function word but است: the model says Arabic, the missing article disagrees
    assert detect("وزير كشور: امنيت مرزها برقرار است").language in {"fa", "und"}


def test_arabic_headline_without_function_words_is_arabic_by_its_articles():
    assert detect("الحرس الثوري الإيراني").language == "ar"
    assert detect("عاجل: انفجار في كابل").language == "ar"


def test_arabic_quoting_a_persian_name_in_persian_letters_is_arabic():
    assert "سپاه پاسداران" in AR[3]
    assert detect(AR[3]).language == "ar"


def test_urdu_not_mistaken_for_persian():
    for text in UR + UR_SHORT:
        assert detect(text).language == "ur", text
    assert detect("حکومت نے کها هے که مذاکرات کا اگلا دور اگلے هفتے هو گا۔").language == "ur"


def test_pashto_not_mistaken_for_persian_even_without_pashto_letters():
    for text in PS + PS_SHORT:
        assert detect(text).language == "ps", text
    assert detect(PS[-1]).language == "ps"
    assert not set("ټډړښږځڅۍېڼګ") & set(PS[-1])


def test_dari_news_with_afghan_month_detected_as_prs():
    text = "مجلس عزاداری روز ۲۵ حمل ۱۴۰۳ در مسجد جامع برگزار شد."
    assert dialect_scores(text) == {"prs": 3.0, "fa": 0.0}
    assert detect(text).dialect == "prs"


def test_iranian_news_with_iranian_month_detected_as_fa():
    text = "مراسم روز ۱۵ خرداد ۱۴۰۳ با حضور مسئولان برگزار شد."
    assert dialect_scores(text) == {"prs": 0.0, "fa": 3.0}
    assert detect(text).dialect == "fa"
    assert dialect_scores("جلسه در دی‌ماه برگزار می‌شود و تا ماه مهر ادامه دارد.") == {"prs": 0.0, "fa": 6.0}


def test_month_names_that_are_everyday_words_are_no_dialect_evidence():
    text = (
        "میزان تورم جدی است و هزینه حمل و نقل بالا رفت. بشار اسد از قوس انتقادها گفت "
        "و در تیر اندازی یک نفر زخمی شد. این موضوع در سال 1402 مطرح شد."
    )
    assert dialect_scores(text) == {"prs": 0.0, "fa": 0.0}
    assert detect(text).dialect is None


def test_persian_without_markers_has_no_dialect():
    guess = detect("قیمت دلار در بازار آزاد امروز کاهش یافت و خریداران منتظر ماندند.")
    assert (guess.language, guess.dialect) == ("fa", None)


def test_dari_vocabulary_counts_in_every_spelling():
    # ZWNJ, space or nothing inside a compound; plural endings
    assert dialect_scores("سره‌میاشت") == dialect_scores("سره میاشت") == dialect_scores("سرهمیاشت")
    assert dialect_scores("پوهنتون‌ها")["prs"] == dialect_scores("پوهنتون")["prs"] == 3.0
    assert dialect_scores("موترهای")["prs"] == 2.5


def test_one_marker_counts_at_most_three_times():
    assert dialect_scores("ولسوالی " * 10)["prs"] == 9.0


def test_a_longer_marker_wins_over_the_word_inside_it():
    # "ولایت فقیه" is Iranian; its first word alone would be weak Dari evidence
    assert dialect_scores("ولایت فقیه") == {"prs": 0.0, "fa": 2.0}


def test_hint_prs_gives_dari_when_the_text_has_no_markers():
    text = "قیمت آرد در بازارها دو برابر شده است و مردم نگران هستند."
    assert detect(text).dialect is None
    assert detect(text, hint="prs") == LanguageGuess("fa", "prs", "Arab", detect(text, hint="prs").confidence)
    assert detect(text, hint="fa-AF").dialect == "prs"
    assert detect(text, hint="fa-IR").dialect == "fa"
    assert detect(text, hint="fa").dialect is None  # "fa" names the language, not the country


def test_hint_never_overrides_clear_evidence():
    assert detect(PS[0], hint="prs").language == "ps"
    assert detect(AR[0], hint="fa").language == "ar"
    assert detect(FA[1], hint="prs").dialect == "fa"
    assert detect(EN[0], hint="fa").language == "en"


def test_hint_decides_a_text_too_short_to_judge():
    assert detect("طالبان").language == "und"
    assert detect("طالبان", hint="ps") == LanguageGuess("ps", None, "Arab", langid.MIN_CONFIDENCE)
    assert detect("طالبان", hint="prs") == LanguageGuess("fa", "prs", "Arab", langid.MIN_CONFIDENCE)
    assert detect("Kabul attack").language == "und"
    assert detect("Kabul attack", hint="en").language == "en"


def test_hint_for_another_script_is_ignored():
    assert detect("Kabul attack", hint="ps").language == "und"
    assert detect("طالبان", hint="en").language == "und"


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\t ", "1234", "۱۴۰۲/۰۵/۱۲", "٪۵۰ - ٢٠٢٤", "...!؟،", "😀🔥🇮🇷", "\x00\x01\x02", "ab", "د ",
     "\u200c\u200f\ufeff"],
)
def test_und_for_text_without_enough_letters(text):
    guess = detect(text)
    assert guess.language == "und" and guess.dialect is None
    assert guess.confidence == 0.0


def test_script_reported_for_und_text():
    assert detect("").script == "Zyyy"
    assert detect("۱۲۳ ٪").script == "Zyyy"
    assert detect("ab").script == "Latn"
    assert detect("سل").script == "Arab"


def test_und_for_mixed_text_with_no_dominant_script():
    text = "Taliban spokesman Zabihullah Mujahid said سخنگوی طالبان ذبیح‌الله مجاهد گفت"
    counts = script_counts(text)
    assert counts["Latn"] / sum(counts.values()) > 0.4
    guess = detect(text)
    assert guess.language == "und"


def test_persian_text_with_a_few_english_words_is_still_persian():
    text = FA[0] + " (Reuters, AFP)"
    assert detect(text).language == "fa"


def test_other_latin_languages_get_their_own_code():
    assert detect("L'attaque a été condamnée par le gouvernement, qui réclame une enquête.").language == "fr"
    assert detect("Der Anschlag in Kabul wurde von der Regierung scharf verurteilt.").language == "de"
    assert detect("Президент заявил, что переговоры продолжатся на следующей неделе.").language == "ru"


def test_confidence_is_a_probability():
    for text, _, _ in LONG_CASES + SHORT_CASES:
        assert 0.0 <= detect(text).confidence <= 1.0


def test_never_raises_on_odd_input():
    rng = random.Random(7)
    odd = [
        "\ud800\udfff\ud83d",
        "\x00" * 1000,
        "".join(chr(rng.randrange(0x110000)) for _ in range(5000)).encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
        "".join(chr(rng.randrange(0x110000)) for _ in range(5000)),
        (FA[0] + " " + EN[0] + " ") * 4000,  # about 1.5 MB of mixed Persian and English
        "ب" * 1_000_000,
        "a" * 1_000_000,
        "\u0640" * 100,
        "\u064b\u064c\u064d" * 100,
    ]
    for text in odd:
        guess = detect(text)
        assert isinstance(guess, LanguageGuess)
        assert 0.0 <= guess.confidence <= 1.0


def test_restricted_model_leaves_the_global_py3langid_identifier_alone():
    detect(FA[0])
    assert py3langid.classify("L'attaque a été condamnée par le gouvernement.")[0] == "fr"


def test_function_word_lists_load_and_stay_disjoint():
    features = langid._features()
    assert features.word_language["چې"] == "ps"
    assert features.word_language["ہے"] == "ur"
    assert features.word_language["هے"] == "ur"  # Urdu typed with Arabic heh
    assert features.word_language["اين"] == "fa"  # Persian typed with Arabic yeh
    assert features.word_language["في"] == "ar"
    assert features.word_language["الى"] == "ar"  # Arabic without hamza
    assert "که" not in {w for w, lang in features.word_language.items() if lang == "ur"}


def test_dominant_script_counts_letters_only():
    assert dominant_script("سلام Hi") == "Arab"
    assert dominant_script("Hi سلام") == "Arab"
    assert dominant_script("Hello سلام") == "Latn"
    assert dominant_script("Привет") == "Cyrl"
    assert dominant_script("中文") == "Hani"
    assert dominant_script("ＡＢＣ") == "Latn"
    assert dominant_script("ـــ ۱۲۳ ٪ ... 😀") == "Zyyy"
    assert dominant_script("") == "Zyyy"
    assert script_counts("ab سلام cd") == {"Latn": 4, "Arab": 4}
