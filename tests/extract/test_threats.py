"""Threat detection: categories, modes (call, threat, praise, report, denial), negation,
scores and offsets in English, Persian (Iran), Dari, Pashto, Arabic and Urdu.

Every sentence here was written for these tests.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from rasad.errors import ConfigError
from rasad.extract.threats import CATEGORIES, MODES, detect_threats, load_lexicon
from rasad.model import ThreatMatch


def _by_category(text: str, language: str) -> dict[str, ThreatMatch]:
    matches = detect_threats(text, language)
    for match in matches:
        assert text[match.start:match.end] == match.evidence
        assert match.category in CATEGORIES
        assert match.mode in MODES
        assert 0.0 <= match.score <= 1.0
        assert round(match.score, 2) == match.score
    keys = [(m.start, m.category) for m in matches]
    assert len(keys) == len(set(keys)), "one match per sentence and category"
    return {m.category: m for m in matches}


def _score(text: str, language: str, category: str = "suicide_attack") -> float:
    return _by_category(text, language)[category].score


# --- English ------------------------------------------------------------------------------


def test_english_call_for_martyrdom_operations_is_call_mode_with_target():
    found = _by_category(
        "Brothers, it is your duty to carry out martyrdom operations against the crusaders!", "en"
    )
    match = found["suicide_attack"]
    assert (match.score, match.mode, match.negated) == (0.93, "call", False)
    assert match.target == "crusaders"


def test_english_imperative_kill_them_is_a_full_strength_call_to_violence():
    found = _by_category("Kill them wherever you find them.", "en")
    assert list(found) == ["call_to_violence"]
    assert (found["call_to_violence"].score, found["call_to_violence"].mode) == (1.0, "call")


def test_english_first_person_future_strike_is_threat_with_actor_and_target():
    match = _by_category("The Islamic State will strike the Americans again.", "en")["threat_of_attack"]
    assert (match.score, match.mode) == (0.63, "threat")
    assert (match.actor, match.target) == ("Islamic State", "Americans")


def test_english_praise_of_heroic_martyrdom_operation_is_praise_in_two_categories():
    found = _by_category(
        "We congratulate the lions on the heroic martyrdom operation in Kabul, may Allah accept them.", "en"
    )
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("praise", 0.7)
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.7)


def test_english_news_report_of_suicide_bombing_is_low_score_report_without_target():
    match = _by_category("A suicide bomber killed 12 people in Kabul on Tuesday, police said.", "en")[
        "suicide_attack"
    ]
    assert (match.score, match.mode, match.target) == (0.3, "report", None)


def test_english_denial_of_involvement_is_negated_denial():
    match = _by_category("The Taliban denied any involvement in the suicide bombing.", "en")["suicide_attack"]
    assert (match.score, match.mode, match.negated, match.actor) == (0.1, "denial", True, "Taliban")


def test_english_negated_threat_scores_below_report():
    match = _by_category("We will not carry out martyrdom operations against civilians.", "en")[
        "suicide_attack"
    ]
    assert (match.mode, match.negated, match.score) == ("threat", True, 0.22)
    assert match.score < _score("A martyrdom operation killed five soldiers, officials said.", "en")


def test_english_will_never_stop_is_a_threat_not_a_negation():
    match = _by_category("We will never stop our martyrdom operations.", "en")["suicide_attack"]
    assert (match.mode, match.negated) == ("threat", False)


def test_english_condemnation_makes_a_report():
    match = _by_category("The Security Council condemned the suicide attack in Kabul.", "en")["suicide_attack"]
    assert (match.mode, match.score) == ("report", 0.3)


@pytest.mark.parametrize(
    "text",
    [
        "The coach said the team will attack from the first minute of Saturday's match.",
        "The newspaper published a bombshell report on the minister's finances.",
        "A storm will hit the coast tomorrow, forecasters said.",
        "Pilgrims marked the anniversary of the martyrdom of Imam Hussein in Karbala.",
        "He was taken to hospital after a heart attack.",
        "Join our channel for the latest football news.",
    ],
)
def test_english_sports_weather_and_religious_texts_yield_nothing(text):
    assert detect_threats(text, "en") == []


def test_english_official_call_to_stop_suicide_bombings_is_a_report_not_a_call():
    match = _by_category("The government must do more to stop suicide bombings in the capital.", "en")[
        "suicide_attack"
    ]
    assert (match.mode, match.score) == ("report", 0.3)


def test_english_heroic_rescue_operation_is_not_praise_of_attack():
    text = "The president praised the army for its heroic operation to rescue flood victims."
    assert detect_threats(text, "en") == []


def test_english_same_cue_ranks_call_threat_praise_report():
    call = _score("It is your duty to carry out martyrdom operations.", "en")
    threat = _score("We will carry out martyrdom operations.", "en")
    praise = _score("The martyrdom operation was heroic.", "en")
    report = _score("A martyrdom operation killed five soldiers, officials said.", "en")
    assert (call, threat, praise, report) == (0.93, 0.72, 0.7, 0.3)


def test_english_donate_counts_as_financing_only_with_militant_context():
    assert detect_threats("Donate to the flood relief fund today.", "en") == []
    match = _by_category("Donate to the mujahideen so they can buy weapons.", "en")["financing"]
    assert match.score == 0.4


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("The movement said the assassination of its leader will not go unanswered.", 0.81),
        ("We will respond at the time and place of our choosing.", 0.9),
        ("The minister warned that the militants would pay a heavy price.", 0.72),
        ("Pakistan would not hesitate to strike the hideouts across the border.", 0.81),
    ],
)
def test_english_retaliation_formulas_are_unnegated_threats(text, score):
    found = _by_category(text, "en")
    assert list(found) == ["threat_of_attack"]
    match = found["threat_of_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", False, score)


def test_english_praise_of_attacks_but_not_of_the_police_who_stopped_one():
    found = _by_category("The group's leader praised the attacks on the convoy.", "en")
    assert list(found) == ["praise_of_attack"]
    assert detect_threats("The governor praised the police for stopping the attack.", "en") == []


def test_english_hawala_is_financing_only_with_militant_context():
    match = _by_category("ISIS cells moved money through hawala brokers.", "en")["financing"]
    assert (match.mode, match.score, match.actor) == ("report", 0.24, "ISIS")
    assert detect_threats("Afghan families receive remittances through hawala brokers.", "en") == []


def test_english_arms_smuggling_is_weapons_but_taking_up_or_laying_down_arms_is_not():
    found = _by_category("Officials said the militia smuggled arms across the border.", "en")
    assert list(found) == ["weapons"]
    assert detect_threats("The rebels laid down their arms.", "en") == []
    assert list(_by_category("Brothers, take up arms!", "en")) == ["call_to_violence"]


# --- Persian (Iran) -----------------------------------------------------------------------


def test_persian_call_for_martyrdom_operation_scores_above_report():
    call = _by_category(
        "ای جوانان مسلمان، بر همه واجب است که عملیات استشهادی علیه اشغالگران را آغاز کنید!", "fa"
    )["suicide_attack"]
    report = _by_category(
        "به گزارش خبرگزاری‌ها، در یک عملیات استشهادی در شمال سوریه دست‌کم هشت نفر کشته شدند.", "fa"
    )["suicide_attack"]
    assert (call.mode, call.score, call.target) == ("call", 0.93, "اشغالگران")
    assert (report.mode, report.score) == ("report", 0.3)


def test_persian_first_person_future_targeting_is_threat_with_target():
    found = _by_category(
        "ما عملیات استشهادی علیه نیروهای آمریکایی را ادامه خواهیم داد و پایگاه‌هایشان را هدف قرار خواهیم داد.",
        "fa",
    )
    assert (found["threat_of_attack"].mode, found["threat_of_attack"].score) == ("threat", 0.9)
    assert found["suicide_attack"].target == "نیروهای آمریکایی"


def test_persian_congratulation_on_heroic_operation_is_praise():
    found = _by_category(
        "به برادران شهادت‌طلب برای این عملیات استشهادی قهرمانانه تبریک می‌گوییم؛ خداوند قبول کند.", "fa"
    )
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.59)
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("praise", 0.7)


def test_persian_denial_by_irgc_is_negated_with_actor():
    match = _by_category("سپاه پاسداران هرگونه دخالت در این حمله انتحاری را تکذیب کرد.", "fa")["suicide_attack"]
    assert (match.mode, match.negated, match.score, match.actor) == ("denial", True, 0.1, "سپاه پاسداران")


def test_persian_never_will_we_is_a_negated_threat():
    match = _by_category("ما هرگز علیه غیرنظامیان عملیات انتحاری انجام نخواهیم داد.", "fa")["suicide_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", True, 0.22)


@pytest.mark.parametrize(
    "text",
    [
        "مراسم سالروز شهادت امام جعفر صادق در مشهد با حضور هزاران نفر برگزار شد.",
        "تیم ملی در نیمه دوم با تمام قوا حمله خواهد کرد و مربی از بازیکنان خواست آرام باشند.",
        "فردا طوفان شدیدی سواحل جنوبی را در بر خواهد گرفت و هواشناسی هشدار داد.",
        "این مصاحبه یک بمب خبری در فضای سیاسی تهران بود.",
        "لطفاً قبل از ورود به جلسه سیگار بکشید و به ما زنگ بزنید.",
    ],
)
def test_persian_religious_sports_and_weather_texts_yield_nothing(text):
    assert detect_threats(text, "fa") == []


def test_persian_same_cue_ranks_call_threat_praise_report():
    call = _score("بر همه واجب است که عملیات استشهادی انجام دهید.", "fa")
    threat = _score("ما عملیات استشهادی انجام خواهیم داد.", "fa")
    praise = _score("این عملیات استشهادی دلاورانه بود.", "fa")
    report = _score("به گزارش خبرگزاری‌ها، یک عملیات استشهادی در بغداد رخ داد.", "fa")
    assert (call, threat, praise, report) == (0.93, 0.72, 0.7, 0.3)


def test_persian_arabic_keyboard_spelling_matches_the_same_cue():
    persian = _score("بر همه واجب است که عملیات استشهادی انجام دهید.", "fa")
    arabic_keys = _score("بر همه واجب است كه عمليات استشهادي انجام دهيد.", "fa")
    assert persian == arabic_keys == 0.93


def test_persian_call_for_funding_the_mujahideen_is_financing_call():
    match = _by_category("از همه مسلمانان می‌خواهیم برای تجهیز مجاهدین کمک مالی کنند و اعانه بفرستند.", "fa")[
        "financing"
    ]
    assert (match.mode, match.score) == ("call", 0.93)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("سخنگوی سپاه گفت این جنایت بی‌پاسخ نخواهد ماند.", 0.81),
        ("عاملان این حمله به سزای اعمال خود خواهند رسید.", 0.72),
    ],
)
def test_persian_retaliation_formulas_are_unnegated_threats(text, score):
    found = _by_category(text, "fa")
    assert list(found) == ["threat_of_attack"]
    match = found["threat_of_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", False, score)


def test_persian_will_continue_is_a_threat_only_with_militant_context():
    assert detect_threats("تحقیقات درباره این حمله ادامه خواهد یافت.", "fa") == []
    match = _by_category("عملیات استشهادی مجاهدین تا پیروزی ادامه خواهد یافت.", "fa")["threat_of_attack"]
    assert (match.mode, match.score) == ("threat", 0.54)


def test_persian_foreign_national_attacker_is_foreign_fighter_but_a_foreign_worker_is_not():
    found = _by_category("یکی از عاملان انتحاری تبعه تاجیکستان بود.", "fa")
    assert sorted(found) == ["foreign_fighters", "suicide_attack"]
    assert found["foreign_fighters"].score == 0.2
    assert detect_threats("دو تبعه افغان در بازار تهران کار می‌کنند.", "fa") == []


def test_persian_laying_down_arms_is_not_weapons():
    assert detect_threats("فرمانده به جنگجویان گفت سلاح را زمین بگذارید.", "fa") == []


# --- Dari ---------------------------------------------------------------------------------


def test_dari_call_to_fidayi_attacks_is_call_mode():
    found = _by_category(
        "ای برادران مجاهد، وظیفه شرعی شماست که با حملات فدایی بر مراکز اشغالگران حمله کنید.", "prs"
    )
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("call", 1.0)
    assert (found["call_to_violence"].mode, found["call_to_violence"].score) == ("call", 0.9)


def test_dari_threat_against_foreign_forces_is_threat_with_dari_target():
    match = _by_category("ما حملات فدایی خود را بر قوای خارجی ادامه خواهیم داد.", "prs")["suicide_attack"]
    assert (match.mode, match.score, match.target) == ("threat", 0.9, "قوای خارجی")


def test_dari_congratulation_on_victorious_fidayi_attack_is_praise():
    found = _by_category("حمله فدایی فاتحانه مجاهدین بر قرارگاه دشمن را به تمام ملت مبارکباد می‌گوییم.", "prs")
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("praise", 0.7)
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.59)


def test_dari_police_report_with_afghan_verbs_is_low_score_report():
    match = _by_category(
        "قوماندانی امنیه کابل معلومات داد که در اثر یک حمله انتحاری در ولسوالی پغمان پنج تن کشته گردیدند.",
        "prs",
    )["suicide_attack"]
    assert (match.mode, match.score) == ("report", 0.3)


def test_dari_spokesman_rejecting_involvement_is_denial():
    match = _by_category("ذبیح‌الله مجاهد دست داشتن مجاهدین در حمله انتحاری بر مسجد را رد کرد.", "prs")[
        "suicide_attack"
    ]
    assert (match.mode, match.negated, match.score) == ("denial", True, 0.1)


def test_dari_roadside_mine_is_a_weapons_report():
    found = _by_category("ماین کنار جاده در ولسوالی چهاردره منفجر شد و سه تن زخمی گردیدند.", "prs")
    assert list(found) == ["weapons"]
    assert (found["weapons"].mode, found["weapons"].score) == ("report", 0.27)


def test_dari_recruitment_term_counts_with_militant_context_only():
    found = _by_category("گروه داعش به جلب و جذب جوانان برای جهاد در ولایت ننگرهار ادامه می‌دهد.", "prs")
    assert (found["recruitment"].score, found["recruitment"].actor) == (0.3, "داعش")
    assert detect_threats("وزارت معارف به جلب و جذب استادان جوان ادامه می‌دهد.", "prs") == []


@pytest.mark.parametrize(
    "text",
    [
        "هفته شهید و سالروز شهادت قهرمان ملی در پنجشیر گرامی داشته شد.",
        "تیم ملی کرکت افغانستان در مسابقه فردا از همان آغاز حمله خواهد کرد.",
        "باران‌های شدید و طوفان در ولایت بدخشان خانه‌های زیادی را تخریب کرد.",
    ],
)
def test_dari_martyrs_week_sports_and_weather_yield_nothing(text):
    assert detect_threats(text, "prs") == []


def test_dari_is_read_with_the_persian_lexicon_under_every_code():
    text = "ما حملات فدایی خود را بر قوای خارجی ادامه خواهیم داد."
    assert detect_threats(text, "prs") == detect_threats(text, "fa") == detect_threats(text, "fa-AF")


def test_dari_no_post_will_be_safe_from_our_strikes_is_threat():
    found = _by_category("مقاومت ما ادامه خواهد یافت و هیچ مرکز دشمن از ضربات ما در امان نخواهد بود.", "prs")
    assert list(found) == ["threat_of_attack"]
    assert (found["threat_of_attack"].mode, found["threat_of_attack"].score) == ("threat", 0.81)


def test_dari_ruling_that_killing_is_obligatory_is_a_call_not_recruitment():
    found = _by_category("کسی که بیعت را بشکند، قتلش واجب است.", "prs")
    assert list(found) == ["call_to_violence"]
    assert (found["call_to_violence"].mode, found["call_to_violence"].score) == ("call", 0.71)


# --- Pashto -------------------------------------------------------------------------------


def test_pashto_imperative_call_to_suicide_attacks_is_call():
    found = _by_category("پر کافرانو ځانمرګي بریدونه وکړئ او هغوی ووژنئ.", "ps")
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("call", 1.0)
    assert (found["call_to_violence"].mode, found["call_to_violence"].target) == ("call", "کافرانو")


def test_pashto_we_will_attack_is_threat_with_target():
    found = _by_category("موږ به پر امریکایي ځواکونو فدایي بریدونه وکړو او هغوی به په نښه کړو.", "ps")
    match = found["suicide_attack"]
    assert (match.mode, match.score, match.target) == ("threat", 0.72, "امریکایي ځواکونو")


def test_pashto_heroic_fidayi_attack_congratulation_is_praise():
    found = _by_category("د کابل په اتلولي فدایي برید ټولو مجاهدینو ته مبارکي وایو، الله دې قبول کړي.", "ps")
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("praise", 0.7)
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.63)


def test_pashto_ministry_report_of_suicide_attack_is_low_score_report():
    match = _by_category(
        "د کورنیو چارو وزارت د ویاند په وینا، په ننګرهار کې د یوه ځانمرګي برید له امله اووه کسان ووژل شول.", "ps"
    )["suicide_attack"]
    assert (match.mode, match.score) == ("report", 0.3)


def test_pashto_denial_is_negated():
    rejected = _by_category("طالبانو په کابل کې د ځانمرګي برید سره هر ډول ښکیلتیا رد کړه.", "ps")["suicide_attack"]
    denied = _by_category("اسلامي امارت د دغه ځانمرګي برید په اړه خپرو شویو خبرونو تردید وکړ.", "ps")[
        "suicide_attack"
    ]
    assert (rejected.mode, rejected.negated, rejected.actor) == ("denial", True, "طالبانو")
    assert (denied.mode, denied.negated, denied.score, denied.actor) == ("denial", True, 0.1, "اسلامي امارت")


def test_pashto_never_will_we_is_a_negated_threat():
    match = _by_category("موږ به هیڅکله پر ملکي وګړو ځانمرګي بریدونه ونه کړو.", "ps")["suicide_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", True, 0.22)


def test_pashto_third_person_future_is_a_threat_not_an_order():
    found = _by_category("طالبان به په راتلونکو ورځو کې پر پوځیانو برید وکړي.", "ps")
    assert list(found) == ["threat_of_attack"]
    assert (found["threat_of_attack"].mode, found["threat_of_attack"].score) == ("threat", 0.32)
    assert (found["threat_of_attack"].actor, found["threat_of_attack"].target) == ("طالبان", "پوځیانو")


@pytest.mark.parametrize(
    "text",
    [
        "زموږ لوبډله به په دویمه نیمایي کې پرله پسې برید وکړي او روزونکی ډاډه دی.",
        "د احمدشاه مسعود د شهادت کلیزه په کابل کې ونمانځل شوه.",
        "توپان او درنو بارانونو په کونړ کې ډېر کورونه ویجاړ کړل.",
    ],
)
def test_pashto_sports_anniversary_and_weather_yield_nothing(text):
    assert detect_threats(text, "ps") == []


def test_pashto_same_cue_ranks_call_threat_praise_report():
    call = _score("پر هر مسلمان فرض دی چې ځانمرګي بریدونه تیار کړي.", "ps")
    threat = _score("موږ به ځانمرګي بریدونه وکړو.", "ps")
    praise = _score("دا ځانمرګی برید یو اتلولي کار و.", "ps")
    report = _score("د پولیسو د ویاند په وینا په ځانمرګي برید کې پنځه کسان ووژل شول.", "ps")
    assert (call, threat, praise, report) == (0.86, 0.72, 0.7, 0.3)


def test_pashto_will_not_remain_unanswered_is_an_unnegated_threat():
    match = _by_category("د ملي دفاع وزارت وویل چې دا تېری به بې ځوابه نه پاتې کېږي.", "ps")["threat_of_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", False, 0.81)


def test_pashto_third_person_order_with_de_is_a_call():
    found = _by_category("ټول مجاهدین د دښمن پر پوستو دې بریدونه وکړي.", "ps")
    assert (found["call_to_violence"].mode, found["call_to_violence"].score) == ("call", 0.9)


def test_pashto_blessed_raid_that_cooled_the_hearts_is_praise():
    found = _by_category("دې مبارکې غزا د مسلمانانو زړونه یخ کړل.", "ps")
    assert list(found) == ["praise_of_attack"]
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.7)


def test_pashto_taking_up_arms_for_jihad_is_not_weapons():
    assert detect_threats("هغه د جهاد لپاره وسله پورته کړه.", "ps") == []


# --- Arabic -------------------------------------------------------------------------------


def test_arabic_call_to_kill_and_martyrdom_operations_is_call():
    found = _by_category(
        "يا أيها المسلمون، انفروا وأعدوا العمليات الاستشهادية ضد الصليبيين واقتلوهم حيث وجدتموهم.", "ar"
    )
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("call", 1.0)
    assert (found["call_to_violence"].mode, found["call_to_violence"].score) == ("call", 1.0)
    assert found["call_to_violence"].target == "الصليبيين"


def test_arabic_future_targeting_of_us_bases_is_threat_not_negated():
    found = _by_category(
        "سنستهدف القواعد الأمريكية في المنطقة بعمليات استشهادية لن تتوقف حتى خروج آخر جندي.", "ar"
    )
    match = found["suicide_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", False, 0.9)
    assert found["threat_of_attack"].target == "القواعد الأمريكية"


def test_arabic_blessing_of_heroic_operation_is_praise():
    found = _by_category("نبارك للأمة العملية الاستشهادية البطولية التي نفذها أخونا في بغداد، تقبله الله.", "ar")
    assert (found["suicide_attack"].mode, found["suicide_attack"].score) == ("praise", 0.7)
    assert found["praise_of_attack"].mode == "praise"


def test_arabic_report_of_attack_is_low_score_report_mode():
    match = _by_category(
        "قُتل اثنا عشر شخصاً في هجوم انتحاري استهدف سوقاً شعبياً، وفق ما أفادت مصادر أمنية.", "ar"
    )["suicide_attack"]
    assert (match.mode, match.score, match.negated) == ("report", 0.3, False)


def test_arabic_denial_of_any_link_is_negated():
    match = _by_category("نفت الحركة في بيان أي علاقة لها بالهجوم الانتحاري الذي وقع أمس.", "ar")[
        "suicide_attack"
    ]
    assert (match.mode, match.negated, match.score) == ("denial", True, 0.1)


def test_arabic_we_will_not_is_a_negated_threat():
    match = _by_category("لن ننفذ أي عملية استشهادية ضد المدنيين.", "ar")["suicide_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", True, 0.2)


def test_arabic_condemnation_by_security_council_is_report():
    match = _by_category("أدان مجلس الأمن بشدة التفجير الانتحاري في كابل.", "ar")["suicide_attack"]
    assert (match.mode, match.score) == ("report", 0.3)


def test_arabic_call_to_donate_for_equipping_fighters_is_financing_call():
    match = _by_category("تبرعوا لتجهيز المجاهدين في الثغور فالجهاد بالمال فرض على القادر.", "ar")["financing"]
    assert (match.mode, match.score) == ("call", 1.0)


@pytest.mark.parametrize(
    "text",
    [
        "أحيا الآلاف ذكرى استشهاد الإمام الحسين في كربلاء بمسيرات حاشدة.",
        "شن الفريق هجوماً خاطفاً في الدقيقة الأخيرة من المباراة وسجل هدف الفوز.",
        "تتوقع الأرصاد عاصفة رملية قوية تضرب المناطق الشرقية غداً.",
        "دعت النقابة العمال إلى أن اضربوا عن الطعام احتجاجاً على الأجور.",
    ],
)
def test_arabic_commemoration_sports_weather_and_hunger_strike_yield_nothing(text):
    assert detect_threats(text, "ar") == []


def test_arabic_same_cue_ranks_call_threat_praise_report():
    call = _score("يجب على كل مسلم تنفيذ عملية استشهادية.", "ar")
    threat = _score("سوف ننفذ عملية استشهادية.", "ar")
    praise = _score("كانت عملية استشهادية بطولية.", "ar")
    report = _score("وقعت عملية استشهادية في بغداد بحسب مصادر أمنية.", "ar")
    assert (call, threat, praise, report) == (0.86, 0.72, 0.7, 0.3)


def test_arabic_clitics_and_harakat_do_not_hide_a_cue():
    plain = _score("يجب على كل مسلم تنفيذ العملية الاستشهادية.", "ar")
    decorated = _score("يَجِبُ عَلَى كُلِّ مُسْلِمٍ تَنْفِيذُ والعمليّة الاستشهاديّة.", "ar")
    assert plain == decorated == 0.86


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("أكد المتحدث العسكري أن هذا العدوان لن يمر دون رد.", 0.81),
        ("وستكون قواعدهم كلها في دائرة النار.", 0.72),
    ],
)
def test_arabic_retaliation_formulas_are_unnegated_threats(text, score):
    found = _by_category(text, "ar")
    assert list(found) == ["threat_of_attack"]
    match = found["threat_of_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", False, score)


def test_arabic_praise_of_the_operations_but_not_of_the_police_who_foiled_one():
    found = _by_category("وأشاد القيادي بالعمليات البطولية ضد الاحتلال.", "ar")
    assert list(found) == ["praise_of_attack"]
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.7)
    assert detect_threats("أشاد الوزير بالقوات الأمنية التي أحبطت الهجوم.", "ar") == []


def test_arabic_jihad_with_wealth_and_hijra_to_the_group():
    assert list(_by_category("ومن عجز عن القتال فليجاهد بماله.", "ar")) == ["financing"]
    assert list(_by_category("يا من تاقت نفسه إلى الجهاد، الهجرة إلينا مفتوحة.", "ar")) == ["recruitment"]
    assert detect_threats("فتحت الحكومة أبواب الهجرة أمام العمال المهرة.", "ar") == []


# --- Urdu ---------------------------------------------------------------------------------


def test_urdu_imperative_to_kill_is_call_with_target():
    found = _by_category("کافروں کے خلاف فدائی حملے کرو اور انہیں قتل کرو۔", "ur")
    assert (found["call_to_violence"].mode, found["call_to_violence"].score) == ("call", 1.0)
    assert found["suicide_attack"].target == "کافروں"


def test_urdu_we_will_take_revenge_is_threat_with_target():
    found = _by_category("ہم امریکی افواج پر خودکش حملے کریں گے اور ان سے خون کا بدلہ لیں گے۔", "ur")
    match = found["threat_of_attack"]
    assert (match.mode, match.score, match.target) == ("threat", 0.9, "امریکی افواج")


def test_urdu_congratulation_on_brave_operation_is_praise():
    found = _by_category("مجاہدین کی بہادرانہ کارروائی پر مبارکباد، اللہ قبول فرمائے۔", "ur")
    assert list(found) == ["praise_of_attack"]
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.7)


def test_urdu_police_report_of_suicide_attack_is_low_score_report():
    match = _by_category("پولیس کے مطابق پشاور میں ایک خود کش حملے میں دس افراد جاں بحق ہو گئے۔", "ur")[
        "suicide_attack"
    ]
    assert (match.mode, match.score) == ("report", 0.3)


def test_urdu_denial_of_involvement_is_negated_with_actor():
    match = _by_category("تحریک طالبان پاکستان نے خودکش دھماکے میں ملوث ہونے سے انکار کیا۔", "ur")[
        "suicide_attack"
    ]
    assert (match.mode, match.negated, match.score) == ("denial", True, 0.1)
    assert match.actor == "تحریک طالبان پاکستان"


def test_urdu_never_will_we_is_a_negated_threat():
    match = _by_category("ہم عام شہریوں پر کبھی فدائی حملے نہیں کریں گے۔", "ur")["suicide_attack"]
    assert (match.mode, match.negated, match.score) == ("threat", True, 0.2)


@pytest.mark.parametrize(
    "text",
    [
        "یوم شہادت امام حسین پر ملک بھر میں جلوس نکالے گئے۔",
        "پاکستانی ٹیم کل کے میچ میں شروع سے حملہ کرے گی، کوچ نے کہا۔",
        "محکمہ موسمیات کے مطابق کل ساحلی علاقوں میں طوفان آئے گا۔",
    ],
)
def test_urdu_religious_sports_and_weather_texts_yield_nothing(text):
    assert detect_threats(text, "ur") == []


def test_urdu_same_cue_ranks_call_threat_praise_report():
    call = _score("ہر مسلمان پر فرض ہے کہ فدائی حملے کی تیاری کرے۔", "ur")
    threat = _score("ہم فدائی حملے جاری رکھیں گے۔", "ur")
    praise = _score("یہ فدائی حملہ ایک بہادرانہ قدم تھا۔", "ur")
    report = _score("پولیس کے مطابق فدائی حملے میں چھ افراد ہلاک ہو گئے۔", "ur")
    assert (call, threat, praise, report) == (0.86, 0.9, 0.7, 0.3)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("ترجمان نے کہا کہ کسی بھی جارحیت کا منہ توڑ جواب دیا جائے گا۔", 0.86),
        ("دہشت گردوں کو ان کے انجام تک پہنچایا جائے گا۔", 0.63),
    ],
)
def test_urdu_retaliation_formulas_are_threats(text, score):
    found = _by_category(text, "ur")
    assert list(found) == ["threat_of_attack"]
    assert (found["threat_of_attack"].mode, found["threat_of_attack"].score) == ("threat", score)


def test_urdu_order_to_target_is_a_call_but_condemning_targeting_is_not():
    found = _by_category("ہم مجاہدین کو ہدایت کرتے ہیں کہ وہ دشمن کی چوکیوں کو نشانہ بنائیں۔", "ur")
    assert (found["call_to_violence"].mode, found["call_to_violence"].score) == ("call", 0.8)
    assert detect_threats("شہریوں کو نشانہ بنانا بزدلانہ فعل ہے۔", "ur") == []


def test_urdu_al_aqsa_flood_is_an_operation_not_weather():
    found = _by_category("القسام کے مجاہدین کو طوفان الاقصیٰ کی کامیابی پر مبارکباد، یہ ایک مبارک حملہ تھا۔", "ur")
    assert list(found) == ["praise_of_attack"]
    assert (found["praise_of_attack"].mode, found["praise_of_attack"].score) == ("praise", 0.7)


def test_urdu_extortion_by_a_banned_group_is_financing():
    match = _by_category("کالعدم تنظیم تاجروں سے بھتہ وصول کرتی ہے۔", "ur")["financing"]
    assert (match.mode, match.score) == ("report", 0.24)


# --- sentences, offsets, languages, lexicon files ----------------------------------------


def test_each_sentence_gets_its_own_match_with_exact_offsets():
    text = (
        "Officials said a suicide bomber struck the market.\n"
        "Kill them wherever you find them! "
        "U.S. officials said 3.5 tons of explosives were seized; we will strike again."
    )
    matches = detect_threats(text, "en")
    assert [(m.category, m.mode, m.evidence) for m in matches] == [
        ("suicide_attack", "report", "Officials said a suicide bomber struck the market."),
        ("call_to_violence", "call", "Kill them wherever you find them!"),
        ("weapons", "report", "U.S. officials said 3.5 tons of explosives were seized"),
        ("threat_of_attack", "threat", "we will strike again."),
    ]
    for match in matches:
        assert text[match.start:match.end] == match.evidence


def test_a_quoted_call_after_a_line_break_keeps_its_opening_quote():
    text = 'The preacher told the crowd:\n"Kill them wherever you find them!" Police said.'
    match = detect_threats(text, "en")[0]
    assert (match.evidence, match.mode) == ('"Kill them wherever you find them!"', "call")
    assert text[match.start:match.end] == match.evidence


def test_offsets_point_into_text_with_zwnj_harakat_and_urdu_full_stop():
    text = "خبر اول۔ يَجِبُ تنفيذ عمليةٍ استشهاديةٍ\u200c الآن؟ متن\u200cپایانی"
    match = detect_threats(text, "ar")[0]
    assert match.evidence == "يَجِبُ تنفيذ عمليةٍ استشهاديةٍ\u200c الآن؟"
    assert (match.start, match.end) == (9, 46)
    assert text[match.start:match.end] == match.evidence


def test_languages_without_a_lexicon_and_empty_text_yield_nothing():
    assert detect_threats("Kill them wherever you find them.", "de") == []
    assert detect_threats("Kill them wherever you find them.", "und") == []
    assert detect_threats("", "en") == []
    assert detect_threats(" \n\u200c ", "fa") == []


def test_language_codes_with_regions_and_three_letters_are_accepted():
    text = "Kill them wherever you find them."
    assert detect_threats(text, "EN-us") == detect_threats(text, "eng") == detect_threats(text, "en")
    assert detect_threats("اقتلوهم", "ara")[0].category == "call_to_violence"


def test_an_analyst_file_adds_cues_to_the_packaged_lexicon(tmp_path):
    extra = tmp_path / "en.yaml"
    extra.write_text(
        "categories:\n  weapons:\n    - {cue: ghost gun*, weight: 0.9}\n", encoding="utf-8"
    )
    text = "Brothers, you must buy ghost guns now."
    assert detect_threats(text, "en") == []
    found = detect_threats(text, "en", lexicon=load_lexicon("en", extra))
    assert [(m.category, m.mode, m.score) for m in found] == [("weapons", "call", 0.58)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("categories:\n  suicide_atack: [x]\n", "unknown category 'suicide_atack'"),
        ("categories:\n  weapons:\n    - {cue: gun, weight: 2}\n", "weight must be a number from 0 to 1"),
        ("negation: [no]\n", "put the cue in quotes"),
        ("modes:\n  praise:\n    - {cue: hero, mood: x}\n", "unknown key(s) mood"),
        ("language: ar\n", "does not match 'en'"),
        ("categories: [x]\n", "expected a mapping"),
        ("suffixes: [s\n", "not valid YAML"),
    ],
)
def test_lexicon_errors_name_file_and_entry(tmp_path, body, message):
    extra = tmp_path / "mine.yaml"
    extra.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_lexicon("en", extra)
    assert message in str(caught.value)
    assert "mine.yaml" in str(caught.value)


def test_unknown_language_lexicon_is_a_config_error():
    with pytest.raises(ConfigError, match="no threat lexicon for language 'de'"):
        load_lexicon("de")


@pytest.mark.parametrize("language", ["en", "fa", "ps", "ar", "ur"])
def test_every_packaged_lexicon_loads_and_covers_every_category_and_mode(language):
    source = resources.files("rasad.extract").joinpath("lexicons", "threats", f"{language}.yaml")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert set(data["categories"]) == set(CATEGORIES)
    assert set(data["modes"]) == set(MODES)
    assert load_lexicon(language).cue_count > 250
