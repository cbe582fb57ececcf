"""Relations between actors: every relation type in English, Persian (Iran), Dari, Pashto,
Arabic and Urdu; who is source and who is target; speakers of quotations; negation,
passives, self-relations; the document-level reading of opinion pieces.

Every sentence here was written for these tests. Entities are built by hand (offsets found
with ``text.index``), so the tests do not depend on the gazetteer.
"""

from __future__ import annotations

import pytest

from rasad.errors import ConfigError
from rasad.extract.relations import LANGUAGES, RELATION_TYPES, extract_relations, load_lexicon
from rasad.model import EntityMatch, RelationMatch, StatementMatch

Spec = tuple[str, str, str]  # surface, canonical, kind


def _entities(text: str, *specs: Spec) -> list[EntityMatch]:
    """One entity per spec, each at the next occurrence of its surface form."""
    found: list[EntityMatch] = []
    after: dict[str, int] = {}
    for surface, canonical, kind in specs:
        start = text.index(surface, after.get(surface, 0))
        while any(e.start < start + len(surface) and start < e.end for e in found):
            start = text.index(surface, start + 1)  # not inside a name already taken
        after[surface] = start + len(surface)
        found.append(EntityMatch(surface, canonical, kind, start, start + len(surface)))
    return found


def _statement(text: str, quote: str, speaker: str | None, kind: str = "direct") -> StatementMatch:
    start = text.index(quote)
    return StatementMatch(speaker, "", quote, kind, None, None, start, start + len(quote))


def _relations(text: str, language: str, *specs: Spec, statements: tuple[StatementMatch, ...] = (),
               **kwargs: str) -> list[RelationMatch]:
    relations = extract_relations(text, language, _entities(text, *specs), statements, **kwargs)
    for r in relations:
        assert r.type in RELATION_TYPES
        assert 0.0 < r.confidence <= 1.0 and round(r.confidence, 2) == r.confidence
        assert r.source != r.target
        assert r.evidence in text or r.evidence == kwargs.get("title", "").strip()
    return relations


def _triples(text: str, language: str, *specs: Spec, **kwargs) -> list[tuple[str, str, str]]:
    return [(r.source, r.type, r.target) for r in _relations(text, language, *specs, **kwargs)]


# --- shared actors ------------------------------------------------------------------------
TALIBAN = "Taliban"
PAKISTAN = "Pakistan"
MUJAHID = "Zabihullah Mujahid"
IRAN = "Iran"
ISRAEL = "Israel"
HAMAS = "Hamas"
HEZBOLLAH = "Hezbollah"
HOUTHIS = "Houthis"
UN = "United Nations"
US = "United States"
RUSSIA = "Russia"
QATAR = "Qatar"
QAEDA = "al-Qaeda"
TTP = "Tehrik-i-Taliban Pakistan"
IRAN_MFA = "Ministry of Foreign Affairs of Iran"
PAK_MFA = "Ministry of Foreign Affairs of Pakistan"


# --- every type in every language ---------------------------------------------------------
# (language, text, entities, expected triples in text order)
CASES = [
    # English
    ("en", "The Taliban strongly condemned Pakistan on Tuesday.",
     [("Taliban", TALIBAN, "group"), ("Pakistan", PAKISTAN, "state")],
     [(TALIBAN, "criticize", PAKISTAN)]),
    ("en", "Hamas praised Hezbollah for its solidarity.",
     [("Hamas", HAMAS, "group"), ("Hezbollah", HEZBOLLAH, "group")],
     [(HAMAS, "praise", HEZBOLLAH)]),
    ("en", "The Houthis threatened the United States with new attacks in the Red Sea.",
     [("Houthis", HOUTHIS, "group"), ("United States", US, "state")],
     [(HOUTHIS, "threaten", US)]),
    ("en", "For years Iran has armed and funded the Houthis.",
     [("Iran", IRAN, "state"), ("Houthis", HOUTHIS, "group")],
     [(IRAN, "support", HOUTHIS)]),
    ("en", "Hamas formed an alliance with Islamic Jihad last year.",
     [("Hamas", HAMAS, "group"), ("Islamic Jihad", "Palestinian Islamic Jihad", "group")],
     [(HAMAS, "ally", "Palestinian Islamic Jihad")]),
    ("en", "Pakistan called on the Taliban to act against the TTP.",
     [("Pakistan", PAKISTAN, "state"), ("Taliban", TALIBAN, "group"), ("TTP", TTP, "group")],
     [(PAKISTAN, "appeal", TALIBAN)]),
    ("en", "The Taliban denied Pakistan's allegations of sheltering militants.",
     [("Taliban", TALIBAN, "group"), ("Pakistan", PAKISTAN, "state")],
     [(TALIBAN, "deny", PAKISTAN)]),
    ("en", "Pakistan's foreign ministry declined to comment on the Taliban statement.",
     [("Pakistan's foreign ministry", PAK_MFA, "organization"), ("Taliban", TALIBAN, "group")],
     [(PAK_MFA, "refuse_comment", TALIBAN)]),
    # Persian (Iran)
    ("fa", "وزارت امور خارجه ایران حمله اسرائیل به لبنان را به شدت محکوم کرد.",
     [("وزارت امور خارجه ایران", IRAN_MFA, "organization"), ("اسرائیل", ISRAEL, "state"),
      ("لبنان", "Lebanon", "state")],
     [(IRAN_MFA, "criticize", ISRAEL)]),
    ("fa", "رهبر حزب‌الله از ایستادگی حماس در غزه تقدیر کرد.",
     [("حزب‌الله", HEZBOLLAH, "group"), ("حماس", HAMAS, "group"), ("غزه", "Gaza", "place")],
     [(HEZBOLLAH, "praise", HAMAS)]),
    ("fa", "سپاه پاسداران آمریکا را به پاسخی سخت تهدید کرد.",
     [("سپاه پاسداران", "Islamic Revolutionary Guard Corps", "organization"), ("آمریکا", US, "state")],
     [("Islamic Revolutionary Guard Corps", "threaten", US)]),
    ("fa", "ایران از انصارالله یمن حمایت می‌کند.",
     [("ایران", IRAN, "state"), ("انصارالله", HOUTHIS, "group")],
     [(IRAN, "support", HOUTHIS)]),
    ("fa", "ایران و روسیه توافق‌نامه همکاری راهبردی امضا کردند.",
     [("ایران", IRAN, "state"), ("روسیه", RUSSIA, "state")],
     [(IRAN, "ally", RUSSIA)]),
    ("fa", "ایران از سازمان ملل خواست که به تجاوز اسرائیل پایان دهد.",
     [("ایران", IRAN, "state"), ("سازمان ملل", UN, "organization"), ("اسرائیل", ISRAEL, "state")],
     [(IRAN, "appeal", UN)]),
    ("fa", "وزارت خارجه ایران ادعای آمریکا درباره ارسال سلاح به انصارالله را تکذیب کرد.",
     [("وزارت خارجه ایران", IRAN_MFA, "organization"), ("آمریکا", US, "state"),
      ("انصارالله", HOUTHIS, "group")],
     [(IRAN_MFA, "deny", US)]),
    ("fa", "وزارت خارجه پاکستان از اظهار نظر درباره ادعای طالبان خودداری کرد.",
     [("وزارت خارجه پاکستان", PAK_MFA, "organization"), ("طالبان", TALIBAN, "group")],
     [(PAK_MFA, "refuse_comment", TALIBAN)]),
    # Dari
    ("prs", "ذبیح‌الله مجاهد سخنگوی امارت اسلامی حملات هوایی پاکستان بر ولایت خوست را تقبیح نمود.",
     [("ذبیح‌الله مجاهد", MUJAHID, "person"), ("امارت اسلامی", TALIBAN, "group"),
      ("پاکستان", PAKISTAN, "state"), ("خوست", "Khost", "place")],
     [(MUJAHID, "criticize", PAKISTAN)]),
    ("prs", "امارت اسلامی از نقش قطر در گفتگوهای صلح قدردانی نمود.",
     [("امارت اسلامی", TALIBAN, "group"), ("قطر", QATAR, "state")],
     [(TALIBAN, "praise", QATAR)]),
    ("prs", "تحریک طالبان پاکستان به حکومت پاکستان هشدار داد.",
     [("تحریک طالبان پاکستان", TTP, "group"), ("پاکستان", PAKISTAN, "state")],
     [(TTP, "threaten", PAKISTAN)]),
    ("prs", "امارت اسلامی گفت که از مردم فلسطین و حماس حمایت میکند.",
     [("امارت اسلامی", TALIBAN, "group"), ("حماس", HAMAS, "group")],
     [(TALIBAN, "support", HAMAS)]),
    ("prs", "تحریک طالبان پاکستان با القاعده بیعت نموده است.",
     [("تحریک طالبان پاکستان", TTP, "group"), ("القاعده", QAEDA, "group")],
     [(TTP, "ally", QAEDA)]),
    ("prs", "امارت اسلامی از ایالات متحده امریکا خواست تا دارایی‌های افغانستان را آزاد سازد.",
     [("امارت اسلامی", TALIBAN, "group"), ("ایالات متحده امریکا", US, "state"),
      ("افغانستان", "Afghanistan", "state")],
     [(TALIBAN, "appeal", US)]),
    ("prs", "مجاهد ادعای پاکستان را بی‌پایه خواند و آن را رد کرد.",
     [("مجاهد", MUJAHID, "person"), ("پاکستان", PAKISTAN, "state")],
     [(MUJAHID, "deny", PAKISTAN)]),
    ("prs", "حکومت پاکستان از تبصره پیرامون اظهارات مجاهد خودداری ورزید.",
     [("پاکستان", PAKISTAN, "state"), ("مجاهد", MUJAHID, "person")],
     [(PAKISTAN, "refuse_comment", MUJAHID)]),
    # Pashto
    ("ps", "پاکستان د طالبانو غندنه وکړه.",
     [("پاکستان", PAKISTAN, "state"), ("طالبانو", TALIBAN, "group")],
     [(PAKISTAN, "criticize", TALIBAN)]),
    ("ps", "اسلامي امارت د قطر له هڅو مننه وکړه.",
     [("اسلامي امارت", TALIBAN, "group"), ("قطر", QATAR, "state")],
     [(TALIBAN, "praise", QATAR)]),
    ("ps", "تحریک طالبان پاکستان پاکستاني پوځ ته ګواښ وکړ.",
     [("تحریک طالبان پاکستان", TTP, "group"), ("پاکستاني پوځ", "Pakistan Army", "organization")],
     [(TTP, "threaten", "Pakistan Army")]),
    ("ps", "ایران د حوثیانو ملاتړ کوي.",
     [("ایران", IRAN, "state"), ("حوثیانو", HOUTHIS, "group")],
     [(IRAN, "support", HOUTHIS)]),
    ("ps", "طالبانو له القاعدې سره تړون لاسلیک کړ.",
     [("طالبانو", TALIBAN, "group"), ("القاعدې", QAEDA, "group")],
     [(TALIBAN, "ally", QAEDA)]),
    ("ps", "طالبانو له ملګرو ملتونو وغوښتل چې بندیزونه لرې کړي.",
     [("طالبانو", TALIBAN, "group"), ("ملګرو ملتونو", UN, "organization")],
     [(TALIBAN, "appeal", UN)]),
    ("ps", "ذبیح الله مجاهد د پاکستان ادعاوې رد کړې.",
     [("ذبیح الله مجاهد", MUJAHID, "person"), ("پاکستان", PAKISTAN, "state")],
     [(MUJAHID, "deny", PAKISTAN)]),
    ("ps", "د پاکستان د بهرنیو چارو وزارت د طالبانو د ادعا په اړه له تبصرې ډډه وکړه.",
     [("د پاکستان د بهرنیو چارو وزارت", PAK_MFA, "organization"), ("طالبانو", TALIBAN, "group")],
     [(PAK_MFA, "refuse_comment", TALIBAN)]),
    # Arabic
    ("ar", "وأدانت حركة حماس بشدة إسرائيل وحملتها مسؤولية التصعيد.",
     [("حركة حماس", HAMAS, "group"), ("إسرائيل", ISRAEL, "state")],
     [(HAMAS, "criticize", ISRAEL)]),
    ("ar", "أشادت حماس بحزب الله.",
     [("حماس", HAMAS, "group"), ("حزب الله", HEZBOLLAH, "group")],
     [(HAMAS, "praise", HEZBOLLAH)]),
    ("ar", "فهدد حزب الله إسرائيل برد قاس.",
     [("حزب الله", HEZBOLLAH, "group"), ("إسرائيل", ISRAEL, "state")],
     [(HEZBOLLAH, "threaten", ISRAEL)]),
    ("ar", "وتدعم إيران الحوثيين بالسلاح والمال منذ سنوات.",
     [("إيران", IRAN, "state"), ("الحوثيين", HOUTHIS, "group")],
     [(IRAN, "support", HOUTHIS)]),
    ("ar", "ووقعت إيران وروسيا اتفاقية تعاون استراتيجي.",
     [("إيران", IRAN, "state"), ("روسيا", RUSSIA, "state")],
     [(IRAN, "ally", RUSSIA)]),
    ("ar", "دعت إيران الأمم المتحدة إلى التدخل.",
     [("إيران", IRAN, "state"), ("الأمم المتحدة", UN, "organization")],
     [(IRAN, "appeal", UN)]),
    ("ar", "ونفت حركة طالبان اتهامات باكستان.",
     [("حركة طالبان", TALIBAN, "group"), ("باكستان", PAKISTAN, "state")],
     [(TALIBAN, "deny", PAKISTAN)]),
    ("ar", "وامتنعت وزارة الخارجية الباكستانية عن التعليق على اتهامات طالبان.",
     [("وزارة الخارجية الباكستانية", PAK_MFA, "organization"), ("طالبان", TALIBAN, "group")],
     [(PAK_MFA, "refuse_comment", TALIBAN)]),
    # Urdu
    ("ur", "پاکستان نے افغان طالبان کی مذمت کی۔",
     [("پاکستان", PAKISTAN, "state"), ("افغان طالبان", TALIBAN, "group")],
     [(PAKISTAN, "criticize", TALIBAN)]),
    ("ur", "حماس نے حزب اللہ کو خراج تحسین پیش کیا۔",
     [("حماس", HAMAS, "group"), ("حزب اللہ", HEZBOLLAH, "group")],
     [(HAMAS, "praise", HEZBOLLAH)]),
    ("ur", "تحریک طالبان پاکستان نے پاکستانی فوج کو سنگین نتائج کی دھمکی دی۔",
     [("تحریک طالبان پاکستان", TTP, "group"), ("پاکستانی فوج", "Pakistan Army", "organization")],
     [(TTP, "threaten", "Pakistan Army")]),
    ("ur", "ایران حماس کی حمایت کرتا ہے۔",
     [("ایران", IRAN, "state"), ("حماس", HAMAS, "group")],
     [(IRAN, "support", HAMAS)]),
    ("ur", "ایران اور روس نے دفاعی معاہدے پر دستخط کیے۔",
     [("ایران", IRAN, "state"), ("روس", RUSSIA, "state")],
     [(IRAN, "ally", RUSSIA)]),
    ("ur", "پاکستان نے اقوام متحدہ سے مطالبہ کیا کہ وہ کارروائی کرے۔",
     [("پاکستان", PAKISTAN, "state"), ("اقوام متحدہ", UN, "organization")],
     [(PAKISTAN, "appeal", UN)]),
    ("ur", "ذبیح اللہ مجاہد نے پاکستان کے الزامات کی تردید کی۔",
     [("ذبیح اللہ مجاہد", MUJAHID, "person"), ("پاکستان", PAKISTAN, "state")],
     [(MUJAHID, "deny", PAKISTAN)]),
    ("ur", "پاکستان کی وزارت خارجہ نے طالبان کے الزامات پر تبصرہ کرنے سے گریز کیا۔",
     [("پاکستان", PAKISTAN, "state"), ("طالبان", TALIBAN, "group")],
     [(PAKISTAN, "refuse_comment", TALIBAN)]),
]


@pytest.mark.parametrize(("language", "text", "specs", "expected"), CASES,
                         ids=[f"{c[0]}-{c[3][0][1]}" for c in CASES])
def test_every_relation_type_in_every_language(language, text, specs, expected):
    assert _triples(text, language, *specs) == expected


def test_the_cases_cover_every_type_in_every_language_and_dari():
    covered = {(language, triple[1]) for language, _, _, triples in CASES for triple in triples}
    for language in ("en", "fa", "prs", "ps", "ar", "ur"):
        assert {t for lang, t in covered if lang == language} == set(RELATION_TYPES), language


# --- source and target --------------------------------------------------------------------


def test_english_subject_is_source_and_object_is_target_both_ways():
    specs = [("Pakistan", PAKISTAN, "state"), ("Taliban", TALIBAN, "group")]
    assert _triples("Pakistan criticised the Taliban.", "en", *specs) == [(PAKISTAN, "criticize", TALIBAN)]
    text = "The Taliban criticised Pakistan."
    assert _triples(text, "en", *reversed(specs)) == [(TALIBAN, "criticize", PAKISTAN)]


def test_persian_object_marked_with_ra_is_target_in_either_order():
    one = "طالبان پاکستان را محکوم کرد."
    two = "پاکستان طالبان را محکوم کرد."
    t, p = ("طالبان", TALIBAN, "group"), ("پاکستان", PAKISTAN, "state")
    assert _triples(one, "fa", t, p) == [(TALIBAN, "criticize", PAKISTAN)]
    assert _triples(two, "fa", p, t) == [(PAKISTAN, "criticize", TALIBAN)]


def test_role_apposition_makes_the_person_the_source():
    text = "Zabihullah Mujahid, the Taliban spokesman, urged Pakistan to stop the airstrikes."
    specs = [("Zabihullah Mujahid", MUJAHID, "person"), ("Taliban", TALIBAN, "group"),
             ("Pakistan", PAKISTAN, "state")]
    assert _triples(text, "en", *specs) == [(MUJAHID, "appeal", PAKISTAN)]
    text = "Taliban spokesman Zabihullah Mujahid criticised Pakistan."
    assert _triples(text, "en", *specs) == [(MUJAHID, "criticize", PAKISTAN)]


def test_coordinated_subjects_each_get_the_relation():
    text = "Iran and Pakistan condemned Israel."
    specs = [("Iran", IRAN, "state"), ("Pakistan", PAKISTAN, "state"), ("Israel", ISRAEL, "state")]
    assert _triples(text, "en", *specs) == [(IRAN, "criticize", ISRAEL), (PAKISTAN, "criticize", ISRAEL)]


def test_two_joined_verbs_share_their_subject_in_english_persian_and_arabic():
    text = "The Taliban condemned Pakistan and praised Qatar for its mediation."
    specs = [("Taliban", TALIBAN, "group"), ("Pakistan", PAKISTAN, "state"), ("Qatar", QATAR, "state")]
    assert _triples(text, "en", *specs) == [(TALIBAN, "criticize", PAKISTAN), (TALIBAN, "praise", QATAR)]
    text = "ایران اسرائیل را محکوم کرد و از حزب الله تقدیر کرد."
    specs = [("ایران", IRAN, "state"), ("اسرائیل", ISRAEL, "state"), ("حزب الله", HEZBOLLAH, "group")]
    assert _triples(text, "fa", *specs) == [(IRAN, "criticize", ISRAEL), (IRAN, "praise", HEZBOLLAH)]
    text = "حماس تدين إسرائيل وتشيد بحزب الله."
    specs = [("حماس", HAMAS, "group"), ("إسرائيل", ISRAEL, "state"), ("حزب الله", HEZBOLLAH, "group")]
    assert _triples(text, "ar", *specs) == [(HAMAS, "criticize", ISRAEL), (HAMAS, "praise", HEZBOLLAH)]


def test_persian_new_subject_after_and_is_not_shared():
    text = "ایران اسرائیل را محکوم کرد و پاکستان از حماس حمایت کرد."
    specs = [("ایران", IRAN, "state"), ("اسرائیل", ISRAEL, "state"), ("پاکستان", PAKISTAN, "state"),
             ("حماس", HAMAS, "group")]
    assert _triples(text, "fa", *specs) == [(IRAN, "criticize", ISRAEL), (PAKISTAN, "support", HAMAS)]


def test_victim_of_a_condemned_attack_is_not_the_target():
    text = "Iran condemned the strike on Lebanon."
    assert _triples(text, "en", ("Iran", IRAN, "state"), ("Lebanon", "Lebanon", "state")) == []
    text = "وأدانت حركة حماس العدوان الإسرائيلي على لبنان."
    assert _triples(text, "ar", ("حركة حماس", HAMAS, "group"), ("لبنان", "Lebanon", "state")) == []


def test_persian_genitive_of_the_condemned_act_is_the_target():
    text = "«ما حمایت امریکا از اسرائیل را محکوم می‌کنیم»، ذبیح‌الله مجاهد گفت."
    specs = [("امریکا", US, "state"), ("اسرائیل", ISRAEL, "state"), ("ذبیح‌الله مجاهد", MUJAHID, "person")]
    quote = _statement(text, "ما حمایت امریکا از اسرائیل را محکوم می‌کنیم", MUJAHID)
    assert _triples(text, "fa", *specs, statements=(quote,)) == [(MUJAHID, "criticize", US)]


def test_cue_word_inside_an_actor_name_is_ignored():
    text = "طالبان از سازمان ملل متحد خواستند که تحریم‌ها را لغو کند."
    specs = [("طالبان", TALIBAN, "group"), ("سازمان ملل متحد", UN, "organization")]
    assert _triples(text, "fa", *specs) == [(TALIBAN, "appeal", UN)]


# --- speakers -----------------------------------------------------------------------------


def test_english_speaker_denies_inside_indirect_statement():
    text = "Taliban spokesman Zabihullah Mujahid said Pakistan's claims were baseless."
    specs = [("Taliban", TALIBAN, "group"), ("Zabihullah Mujahid", MUJAHID, "person"),
             ("Pakistan", PAKISTAN, "state")]
    quote = _statement(text, "Pakistan's claims were baseless", MUJAHID, "indirect")
    relations = _relations(text, "en", *specs, statements=(quote,))
    assert relations == [RelationMatch(MUJAHID, "deny", PAKISTAN, text, 0.63)]


def test_english_reporting_clause_subject_is_source_without_statements():
    text = "Mujahid said Pakistan's claims were baseless."
    specs = [("Mujahid", MUJAHID, "person"), ("Pakistan", PAKISTAN, "state")]
    assert _triples(text, "en", *specs) == [(MUJAHID, "deny", PAKISTAN)]


def test_persian_direct_quote_with_pronoun_belongs_to_its_speaker():
    text = "«ما حمله پاکستان به خوست را محکوم می‌کنیم»، ذبیح‌الله مجاهد گفت."
    specs = [("پاکستان", PAKISTAN, "state"), ("خوست", "Khost", "place"),
             ("ذبیح‌الله مجاهد", MUJAHID, "person")]
    quote = _statement(text, "ما حمله پاکستان به خوست را محکوم می‌کنیم", MUJAHID)
    relations = _relations(text, "fa", *specs, statements=(quote,))
    assert [(r.source, r.type, r.target, r.confidence) for r in relations] == [
        (MUJAHID, "criticize", PAKISTAN, 0.72)]


def test_english_direct_quote_without_subject_belongs_to_its_speaker():
    text = '"We strongly condemn the airstrikes by Pakistan," Mujahid said.'
    specs = [("Pakistan", PAKISTAN, "state"), ("Mujahid", MUJAHID, "person")]
    quote = _statement(text, "We strongly condemn the airstrikes by Pakistan,", MUJAHID)
    assert _triples(text, "en", *specs, statements=(quote,)) == [(MUJAHID, "criticize", PAKISTAN)]


def test_subject_named_inside_the_quote_beats_the_speaker():
    text = "وقال محمد عبد السلام إن إيران تدعم الحوثيين."
    specs = [("محمد عبد السلام", "Mohammed Abdulsalam", "person"), ("إيران", IRAN, "state"),
             ("الحوثيين", HOUTHIS, "group")]
    quote = _statement(text, "إيران تدعم الحوثيين", "Mohammed Abdulsalam", "indirect")
    assert _triples(text, "ar", *specs, statements=(quote,)) == [(IRAN, "support", HOUTHIS)]


def test_arabic_unnamed_speaker_falls_back_to_the_reporting_clause():
    text = "قال المتحدث باسم حزب الله إن الحزب يدعم اليمن."
    specs = [("حزب الله", HEZBOLLAH, "group"), ("اليمن", "Yemen", "state")]
    quote = _statement(text, "الحزب يدعم اليمن", None, "indirect")
    relations = _relations(text, "ar", *specs, statements=(quote,))
    assert [(r.source, r.type, r.target, r.confidence) for r in relations] == [
        (HEZBOLLAH, "support", "Yemen", 0.6)]


def test_pronoun_subject_is_the_paragraphs_last_speaker():
    text = ("مجاهد زیاته کړه چې اسلامي امارت له ګاونډیانو سره ښې اړیکې لري. "
            "هغه همدارنګه له پاکستان څخه د کډوالو د ایستلو نیوکه وکړه.")
    specs = [("مجاهد", MUJAHID, "person"), ("اسلامي امارت", TALIBAN, "group"), ("پاکستان", PAKISTAN, "state")]
    quote = _statement(text, "اسلامي امارت له ګاونډیانو سره ښې اړیکې لري", MUJAHID, "indirect")
    relations = _relations(text, "ps", *specs, statements=(quote,))
    assert [(r.source, r.type, r.target, r.confidence) for r in relations] == [
        (MUJAHID, "criticize", PAKISTAN, 0.56)]


def test_pronoun_after_but_is_not_the_subject_of_the_first_clause():
    text = "Kabul Now contacted the ministry, but it declined to comment on the Taliban decree."
    specs = [("Kabul Now", "KabulNow", "outlet"), ("Taliban", TALIBAN, "group")]
    assert _triples(text, "en", *specs) == []
    text = "دیدبان با سخنگوی وزارت تماس گرفت، اما او از اظهار نظر درباره فرمان طالبان خودداری کرد."
    specs = [("دیدبان", "Didban", "outlet"), ("طالبان", TALIBAN, "group")]
    assert _triples(text, "fa", *specs) == []


def test_target_is_not_taken_from_a_reported_clause_and_a_denied_claim_is_no_relation():
    text = "Iran denied that it had sent weapons to the Houthis."
    assert _triples(text, "en", ("Iran", IRAN, "state"), ("Houthis", HOUTHIS, "group")) == []
    text = "Iran warned that Israel would pay a heavy price."
    assert _triples(text, "en", ("Iran", IRAN, "state"), ("Israel", ISRAEL, "state")) == [
        (IRAN, "threaten", ISRAEL)]


def test_english_target_search_stops_before_the_next_verbs_subject():
    text = "The ministry did not respond to a request for comment, and Hamas declined to comment on Israel."
    specs = [("Hamas", HAMAS, "group"), ("Israel", ISRAEL, "state")]
    assert _triples(text, "en", *specs) == [(HAMAS, "refuse_comment", ISRAEL)]


def test_arabic_verb_opening_a_comma_segment_takes_the_following_subject():
    text = "وعندما سئل عن رسائل بين طهران وواشنطن، رفض بقائي التعليق على تصريحات إسرائيل."
    specs = [("طهران", "Tehran", "place"), ("واشنطن", "Washington", "place"),
             ("بقائي", "Esmaeil Baghaei", "person"), ("إسرائيل", ISRAEL, "state")]
    assert _triples(text, "ar", *specs) == [("Esmaeil Baghaei", "refuse_comment", ISRAEL)]


def test_arabic_verb_with_one_name_after_it_and_a_known_speaker_takes_it_as_object():
    text = ("وقال نعيم قاسم إن المقاومة ستواصل القتال. "
            "كما شكر الجمهورية الإسلامية على دعمها الدائم.")
    specs = [("نعيم قاسم", "Naim Qassem", "person"), ("الجمهورية الإسلامية", IRAN, "state")]
    quote = _statement(text, "المقاومة ستواصل القتال", "Naim Qassem", "indirect")
    assert _triples(text, "ar", *specs, statements=(quote,)) == [("Naim Qassem", "praise", IRAN)]


def test_arabic_participle_shares_the_sentence_subject():
    text = "وأدان حزب الله الغارات على لبنان، داعيا الأمم المتحدة إلى التحرك."
    specs = [("حزب الله", HEZBOLLAH, "group"), ("لبنان", "Lebanon", "state"), ("الأمم المتحدة", UN, "organization")]
    assert _triples(text, "ar", *specs) == [(HEZBOLLAH, "appeal", UN)]


def test_appeal_needs_the_nearest_marked_phrase_to_be_a_name():
    text = "هغه وویل چې د افغانستان قوانین کورنۍ مسئله ده او له نړیوالو سازمانونو یې وغوښتل چې درناوی وکړي."
    specs = [("افغانستان", "Afghanistan", "state")]
    assert _triples(text, "ps", *specs) == []


def test_conjoined_place_names_share_a_setting():
    text = "مردم در میدان فلسطین تهران و شهرهای مشهد و اصفهان از حماس حمایت کردند."
    specs = [("فلسطین", "Palestine", "state"), ("تهران", "Tehran", "place"), ("مشهد", "Mashhad", "place"),
             ("اصفهان", "Isfahan", "place"), ("حماس", HAMAS, "group")]
    assert _triples(text, "fa", *specs) == []


def test_a_crushing_response_threatens_only_in_the_future():
    specs = [("سپاه", "Islamic Revolutionary Guard Corps", "organization"), ("اسرائیل", ISRAEL, "state")]
    text = "سپاه به اسرائیل پاسخ کوبنده خواهد داد."
    assert _triples(text, "fa", *specs) == [("Islamic Revolutionary Guard Corps", "threaten", ISRAEL)]
    text = "سپاه دیشب به اسرائیل پاسخ کوبنده داد."
    assert _triples(text, "fa", *specs) == []


def test_cooperation_between_two_names_makes_them_allies():
    text = "Qassem said the coordination between Hezbollah and Hamas was at its highest level."
    specs = [("Qassem", "Naim Qassem", "person"), ("Hezbollah", HEZBOLLAH, "group"), ("Hamas", HAMAS, "group")]
    assert _triples(text, "en", *specs) == [(HEZBOLLAH, "ally", HAMAS)]
    text = "پاکستان اور چین کے درمیان تعاون مزید بڑھے گا۔"
    specs = [("پاکستان", PAKISTAN, "state"), ("چین", "China", "state")]
    assert _triples(text, "ur", *specs) == [(PAKISTAN, "ally", "China")]


def test_a_role_alone_as_subject_is_the_last_speaker():
    text = ("ترجمان دفتر خارجہ ممتاز زہرہ بلوچ نے کہا کہ مذاکرات جاری ہیں۔ "
            "وزیر خارجہ نے بھارت پر دہشت گردوں کی سرپرستی کا الزام عائد کیا۔")
    specs = [("ممتاز زہرہ بلوچ", "Mumtaz Zahra Baloch", "person"), ("بھارت", "India", "state")]
    quote = _statement(text, "مذاکرات جاری ہیں", "Mumtaz Zahra Baloch", "indirect")
    assert _triples(text, "ur", *specs, statements=(quote,)) == [("Mumtaz Zahra Baloch", "criticize", "India")]


def test_english_participle_takes_the_subject_that_opens_the_sentence_or_none():
    text = "Pakistan recalled its envoy, accusing the Taliban of sheltering militants."
    specs = [("Pakistan", PAKISTAN, "state"), ("Taliban", TALIBAN, "group")]
    assert _triples(text, "en", *specs) == [(PAKISTAN, "criticize", TALIBAN)]
    text = "The Foreign Office in Islamabad summoned an Afghan diplomat, accusing the Taliban of sheltering militants."
    specs = [("Islamabad", "Islamabad", "place"), ("Taliban", TALIBAN, "group")]
    assert _triples(text, "en", *specs) == []


def test_what_an_appeal_asks_for_is_not_a_relation_of_the_speaker():
    text = "The envoy urged Pakistan to stop supporting the TTP."
    specs = [("Pakistan", PAKISTAN, "state"), ("TTP", TTP, "group")]
    assert _triples(text, "en", *specs) == []
    text = "مجاهد له ګاونډیو هېوادونو وغوښتل چې له اسلامي امارت سره همکاري وکړي."
    specs = [("مجاهد", MUJAHID, "person"), ("اسلامي امارت", TALIBAN, "group")]
    assert _triples(text, "ps", *specs) == []


def test_reporting_outlets_and_places_of_a_crime_are_not_actors():
    text = "به گزارش سپاه نیوز، سپاه پاسداران جنایت تروریستی کرمان را محکوم کرد."
    specs = [("سپاه نیوز", "Sepah News", "outlet"), ("سپاه پاسداران", "Islamic Revolutionary Guard Corps", "organization"),
             ("کرمان", "Kerman", "place")]
    assert _triples(text, "fa", *specs) == []
    text = "According to Tolo News, the Taliban condemned the Kabul bombing."
    specs = [("Tolo News", "TOLOnews", "outlet"), ("Taliban", TALIBAN, "group"), ("Kabul", "Kabul", "place")]
    assert _triples(text, "en", *specs) == []


def test_an_evaluative_word_needs_its_owner_close_by():
    text = "ترجمان نے کہا کہ امریکہ کی جانب سے پاکستان کے اداروں پر عائد کی گئی نئی پابندیاں جانبدارانہ ہیں۔"
    specs = [("امریکہ", US, "state"), ("پاکستان", PAKISTAN, "state")]
    assert _triples(text, "ur", *specs) == []
    text = "Mujahid said Pakistan's remarks were irresponsible."
    specs = [("Mujahid", MUJAHID, "person"), ("Pakistan", PAKISTAN, "state")]
    assert _triples(text, "en", *specs) == [(MUJAHID, "criticize", PAKISTAN)]


# --- negation, self-relations, passives ---------------------------------------------------


@pytest.mark.parametrize(("language", "text", "specs"), [
    ("en", "Pakistan did not criticise the Taliban.",
     [("Pakistan", PAKISTAN, "state"), ("Taliban", TALIBAN, "group")]),
    ("en", "Iran has never condemned Hamas.", [("Iran", IRAN, "state"), ("Hamas", HAMAS, "group")]),
    ("fa", "پاکستان از طالبان انتقاد نکرد.", [("پاکستان", PAKISTAN, "state"), ("طالبان", TALIBAN, "group")]),
    ("prs", "امارت اسلامی از پاکستان حمایت نمی‌کند.",
     [("امارت اسلامی", TALIBAN, "group"), ("پاکستان", PAKISTAN, "state")]),
    ("ps", "پاکستان د طالبانو غندنه ونه کړه.", [("پاکستان", PAKISTAN, "state"), ("طالبانو", TALIBAN, "group")]),
    ("ar", "لم تنتقد قطر حركة طالبان.", [("قطر", QATAR, "state"), ("حركة طالبان", TALIBAN, "group")]),
    ("ur", "پاکستان نے افغان طالبان کی مذمت نہیں کی۔",
     [("پاکستان", PAKISTAN, "state"), ("افغان طالبان", TALIBAN, "group")]),
])
def test_negated_cue_yields_no_relation(language, text, specs):
    assert _triples(text, language, *specs) == []


def test_refused_to_comment_is_not_read_as_a_negation():
    text = "The Taliban did not comment on Pakistan's accusations."
    specs = [("Taliban", TALIBAN, "group"), ("Pakistan", PAKISTAN, "state")]
    assert _triples(text, "en", *specs) == [(TALIBAN, "refuse_comment", PAKISTAN)]


def test_relation_of_an_actor_with_itself_is_refused():
    text = "The Islamic Emirate praised the Taliban fighters."
    specs = [("Islamic Emirate", TALIBAN, "group"), ("Taliban", TALIBAN, "group")]
    assert _triples(text, "en", *specs) == []
    text = "امارت اسلامی از طالبان تقدیر کرد."
    specs = [("امارت اسلامی", TALIBAN, "group"), ("طالبان", TALIBAN, "group")]
    assert _triples(text, "fa", *specs) == []


def test_passive_with_agent_swaps_source_and_target():
    text = "The Taliban were condemned by Pakistan on Monday."
    specs = [("Taliban", TALIBAN, "group"), ("Pakistan", PAKISTAN, "state")]
    assert _triples(text, "en", *specs) == [(PAKISTAN, "criticize", TALIBAN)]
    text = "ایران توسط آمریکا تهدید شد."
    assert _triples(text, "fa", ("ایران", IRAN, "state"), ("آمریکا", US, "state")) == [(US, "threaten", IRAN)]
    text = "طالبان کی جانب سے پاکستان کی مذمت کی گئی۔"
    specs = [("طالبان", TALIBAN, "group"), ("پاکستان", PAKISTAN, "state")]
    assert _triples(text, "ur", *specs) == [(TALIBAN, "criticize", PAKISTAN)]
    text = "د طالبانو له خوا د پاکستان غندنه وشوه."
    specs = [("طالبانو", TALIBAN, "group"), ("پاکستان", PAKISTAN, "state")]
    assert _triples(text, "ps", *specs) == [(TALIBAN, "criticize", PAKISTAN)]


def test_passive_without_agent_yields_nothing():
    text = "Pakistan was criticised over its support for the TTP."
    assert _triples(text, "en", ("Pakistan", PAKISTAN, "state"), ("TTP", TTP, "group")) == []
    text = "ایران تهدید شد."
    assert _triples(text, "fa", ("ایران", IRAN, "state")) == []


def test_english_progressive_is_not_a_passive():
    text = "Iran is supporting the Houthis."
    specs = [("Iran", IRAN, "state"), ("Houthis", HOUTHIS, "group")]
    assert _triples(text, "en", *specs) == [(IRAN, "support", HOUTHIS)]


# --- spelling -----------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["حمایت می‌کند", "حمایت میکند", "حمایت می کند", "حمايت ميكند"])
def test_persian_zwnj_space_and_arabic_letters_do_not_matter(verb):
    text = f"ایران از حماس {verb}."
    assert _triples(text, "fa", ("ایران", IRAN, "state"), ("حماس", HAMAS, "group")) == [
        (IRAN, "support", HAMAS)]


@pytest.mark.parametrize("verb", ["أدانت", "وأدانت", "فأدانت", "أَدَانَتْ"])
def test_arabic_proclitics_and_harakat_on_verbs(verb):
    text = f"{verb} قطر إسرائيل."
    assert _triples(text, "ar", ("قطر", QATAR, "state"), ("إسرائيل", ISRAEL, "state")) == [
        (QATAR, "criticize", ISRAEL)]


def test_regional_language_tags_are_accepted_and_unknown_languages_yield_nothing():
    text = "پاکستان طالبان را محکوم کرد."
    specs = [("پاکستان", PAKISTAN, "state"), ("طالبان", TALIBAN, "group")]
    assert _triples(text, "fa-AF", *specs) == [(PAKISTAN, "criticize", TALIBAN)]
    assert _triples(text, "ku", *specs) == []


# --- evidence, deduplication, bad input ---------------------------------------------------


def test_evidence_is_the_sentence_and_the_best_reading_is_kept():
    text = ("Islamabad later said that, after long talks, Pakistan and several other states had "
            "in the end decided to criticise the Taliban. Pakistan condemned the Taliban.")
    specs = [("Pakistan", PAKISTAN, "state"), ("Taliban", TALIBAN, "group"),
             ("Pakistan", PAKISTAN, "state"), ("Taliban", TALIBAN, "group")]
    relations = _relations(text, "en", *specs)
    assert relations == [RelationMatch(PAKISTAN, "criticize", TALIBAN, "Pakistan condemned the Taliban.", 0.8)]
    start = text.index(relations[0].evidence)
    assert text[start:start + len(relations[0].evidence)] == relations[0].evidence


def test_distant_actors_lower_the_confidence():
    near = _relations("Iran condemned Israel.", "en", ("Iran", IRAN, "state"), ("Israel", ISRAEL, "state"))
    text = "Iran, in a long and unusually sharp statement issued late on Sunday evening, condemned Israel."
    far = _relations(text, "en", ("Iran", IRAN, "state"), ("Israel", ISRAEL, "state"))
    assert [r.confidence for r in near] == [0.8]
    assert [r.confidence for r in far] == [0.58]


@pytest.mark.parametrize("entities", [
    [EntityMatch("Iran", IRAN, "state", 50, 40)],
    [EntityMatch("Iran", IRAN, "state", -3, 4), EntityMatch("x", "x", "state", 0, 10_000)],
    [object(), None, "Iran"],
    [EntityMatch("Iran", IRAN, "weather", 0, 4)],
])
def test_bad_entities_are_skipped_without_error(entities):
    assert extract_relations("Iran condemned Israel.", "en", entities) == []


def test_bad_input_yields_an_empty_list():
    entities = _entities("Iran condemned Israel.", ("Iran", IRAN, "state"), ("Israel", ISRAEL, "state"))
    assert extract_relations("", "en", entities) == []
    assert extract_relations(None, "en", entities) == []  # type: ignore[arg-type]
    assert extract_relations("Iran condemned Israel.", None, entities) == []  # type: ignore[arg-type]
    assert extract_relations("Iran condemned Israel.", "en", None) == []  # type: ignore[arg-type]
    bad_statement = StatementMatch(None, "", "", "direct", None, None, 90, 5)
    assert extract_relations("Iran condemned Israel.", "en", entities, [bad_statement]) == [
        RelationMatch(IRAN, "criticize", ISRAEL, "Iran condemned Israel.", 0.8)]


# --- document level -----------------------------------------------------------------------

OPINION_EN = (
    "For two decades the United States has practised hypocrisy, preaching freedom while arming tyrants.\n"
    "The failed policy of the United States in Afghanistan left a ruined country behind.\n"
    "Its meddling never brought peace to anyone.\n"
    "Now the United States wants to lecture others about human rights."
)


def test_opinion_piece_yields_outlet_criticism_of_the_most_named_state():
    specs = [("United States", US, "state"), ("United States", US, "state"),
             ("Afghanistan", "Afghanistan", "state"), ("United States", US, "state")]
    relations = _relations(OPINION_EN, "en", *specs, title="The hypocrisy of a failed superpower",
                           outlet="Al-Emarah")
    assert relations == [RelationMatch("Al-Emarah", "criticize", US, "The hypocrisy of a failed superpower", 0.35)]


def test_persian_opinion_piece_yields_author_criticism():
    text = ("سیاست‌های مخرب آمریکا در منطقه جز جنگ و ویرانی چیزی به بار نیاورده است.\n"
            "آمریکا با ریاکاری از حقوق بشر دم می‌زند در حالی که خود بزرگ‌ترین ناقض آن است.\n"
            "دخالت آمریکا در امور کشورهای منطقه ریشه همه ناامنی‌هاست.")
    specs = [("آمریکا", US, "state")] * 3
    relations = _relations(text, "fa", *specs, title="ریاکاری آمریکا و سیاست‌های شکست‌خورده",
                           author="Ali Rezaei")
    assert relations == [RelationMatch("Ali Rezaei", "criticize", US, "ریاکاری آمریکا و سیاست‌های شکست‌خورده", 0.4)]


def test_news_report_of_someone_elses_criticism_is_not_the_outlets():
    text = ("Iran's foreign ministry on Monday condemned what it called the destructive policies of the United States.\n"
            "Spokesman Nasser Kanaani said the United States was guilty of hypocrisy and meddling in the region.\n"
            "He said the United States had failed in Afghanistan.")
    specs = [("Iran's foreign ministry", IRAN_MFA, "organization"), ("United States", US, "state"),
             ("Nasser Kanaani", "Nasser Kanaani", "person"), ("United States", US, "state"),
             ("United States", US, "state"), ("Afghanistan", "Afghanistan", "state")]
    for title in ("Iran condemns US policies", "Washington's hypocrisy and failed policy"):
        assert _triples(text, "en", *specs, title=title, outlet="Tehran Times") == [
            (IRAN_MFA, "criticize", US)]


def test_opinion_needs_a_source_and_a_critical_title():
    specs = [("United States", US, "state"), ("United States", US, "state"),
             ("Afghanistan", "Afghanistan", "state"), ("United States", US, "state")]
    assert _triples(OPINION_EN, "en", *specs, title="The hypocrisy of a failed superpower") == []
    assert _triples(OPINION_EN, "en", *specs, title="Twenty years on", outlet="Al-Emarah") == []


def test_opinion_byline_outlet_is_the_source_when_none_is_given():
    text = OPINION_EN + "\nAl-Emarah"
    specs = [("United States", US, "state"), ("United States", US, "state"),
             ("Afghanistan", "Afghanistan", "state"), ("United States", US, "state"),
             ("Al-Emarah", "Al-Emarah", "outlet")]
    assert _triples(text, "en", *specs, title="The hypocrisy of a failed superpower") == [
        ("Al-Emarah", "criticize", US)]


# --- lexicons -----------------------------------------------------------------------------


def test_every_packaged_lexicon_loads_with_cues_for_every_type():
    for language in LANGUAGES:
        lexicon = load_lexicon(language)
        assert lexicon.cue_count >= 100, language
        assert min(lexicon.type_counts.values()) >= 7, (language, lexicon.type_counts)


def test_an_analysts_file_adds_cues(tmp_path):
    extra = tmp_path / "en.yaml"
    extra.write_text("language: en\nrelations:\n  criticize: [excoriated]\n", encoding="utf-8")
    lexicon = load_lexicon("en", extra)
    text = "Iran excoriated Israel."
    entities = _entities(text, ("Iran", IRAN, "state"), ("Israel", ISRAEL, "state"))
    assert extract_relations(text, "en", entities) == []
    assert [(r.source, r.type, r.target) for r in extract_relations(text, "en", entities, lexicon=lexicon)] == [
        (IRAN, "criticize", ISRAEL)]


@pytest.mark.parametrize(("content", "message"), [
    ("relations:\n  slander: [smeared]\n", "unknown relation type 'slander'"),
    ("markers:\n  target:\n    pre: [on]\n", "YAML reads this word as true/false"),
    ("relations:\n  deny:\n    - {cue: refuted, target: sideways}\n", "target must be one of"),
    ("colours: [red]\n", "unknown section(s) colours"),
    ("language: fa\n", "does not match 'en'"),
])
def test_broken_lexicon_files_name_the_problem(tmp_path, content, message):
    extra = tmp_path / "extra.yaml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_lexicon("en", extra)
