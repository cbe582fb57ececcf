"""The document extractor: how the single extractors' findings are put together."""

from __future__ import annotations

from datetime import date

import pytest

from rasad.extract.document import Extractor
from rasad.kb.starter import load_starter


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_starter())


def said(extractor, text, language, **kw):
    found = extractor.run(text, language, **kw)
    assert all(text[s.start:s.end] == s.quote for s in found.statements)
    return [(s.speaker, s.quote) for s in found.statements]


def test_a_surname_after_the_full_name_is_the_same_person(extractor):
    text = ("Hezbollah leader Hassan Nasrullah said in a speech that the front would stay open.\n"
            "Nasrullah also addressed the killing of Saleh al-Arouri, stating that the response is coming.")
    assert said(extractor, text, "en") == [
        ("Hassan Nasrallah", "the front would stay open"), ("Hassan Nasrallah", "the response is coming")]


def test_an_unknown_person_named_in_full_then_by_surname(extractor):
    text = ("Farida Nazarova, a researcher in Dushanbe, said the group recruits online.\n"
            "Nazarova added that most recruits are migrant workers in Russia.")
    assert [s for s, _ in said(extractor, text, "en")] == ["Farida Nazarova", "Farida Nazarova"]


def test_a_speaker_named_by_a_role_title_is_its_current_holder(extractor):
    text = "امیرالمؤمنین په خپل پیغام کې وویل چې افغانان باید خپل یووالی وساتي."
    assert said(extractor, text, "ps") == [("Hibatullah Akhundzada", "افغانان باید خپل یووالی وساتي")]


def test_sentence_opening_attributions_in_persian_english_and_urdu(extractor):
    text = "ذبیح‌الله مجاهد گفت که جنگ تمام شد. به گفته وی، نیروهای امارت اسلامی در ولایت هلمند مستقر هستند."
    assert said(extractor, text, "fa")[1] == (
        "Zabihullah Mujahid", "نیروهای امارت اسلامی در ولایت هلمند مستقر هستند")
    assert said(extractor, "According to the Taliban, the attack killed twelve soldiers near the border.",
                "en") == [("Taliban", "the attack killed twelve soldiers near the border")]
    assert said(extractor, "آئی ایس پی آر کے مطابق، سیکیورٹی فورسز نے شمالی وزیرستان میں آپریشن کیا۔",
                "ur") == [("Inter-Services Public Relations", "سیکیورٹی فورسز نے شمالی وزیرستان میں آپریشن کیا")]


def test_an_attribution_to_someone_unknown_is_not_guessed(extractor):
    assert said(extractor, "According to people familiar with the talks, a deal is close at hand.", "en") == []


def test_interview_transcripts_but_not_a_headline(extractor):
    text = ("فرمانده بسیج استان، ناصر ناصری‌فر، به پرسش‌های ما پاسخ داد.\n"
            "ناصری‌فر: هنوز هیچ نیرویی اعزام نشده است و برنامه‌ای هم نداریم.\n"
            "ناصری‌فر: جوانان ما آماده‌اند اما تصمیم با فرماندهی کل قواست.")
    assert [s for s, _ in said(extractor, text, "fa")] == ["ناصر ناصری‌فر"] * 2
    headline = "Mujahid: the Emirate will not allow interference\nZabihullah Mujahid told reporters that the talks went well."
    assert [q for _, q in said(extractor, headline, "en")] == ["the talks went well"]


def test_titled_people_are_entities_and_speakers(extractor):
    text = "سخنگوی پلیس هرات، محمود رسولی، به خبرنگاران گفت که دو نفر بازداشت شدند."
    found = extractor.run(text, "fa", "fa", published=date(2024, 5, 1))
    assert [(s.speaker, s.speaker_role) for s in found.statements] == [("محمود رسولی", "سخنگوی پلیس هرات")]
    assert ("محمود رسولی", "person") in {(e.canonical, e.kind) for e in found.entities}


def test_a_role_names_the_holder_of_its_time_and_country(extractor):
    text = "سخنگوی وزارت امور خارجه در نشست خبری گفت که ایران به تعهدات خود پایبند است."
    def speaker(dialect, day):
        return extractor.run(text, "fa", dialect, published=day).statements[0].speaker
    assert speaker("fa", date(2023, 5, 1)) == "Nasser Kanaani"
    assert speaker("fa", date(2025, 5, 1)) == "Esmaeil Baghaei"
    assert speaker("prs", date(2025, 5, 1)) == "Abdul Qahar Balkhi"  # Kabul's spokesman, in Dari


def test_he_said_after_a_sentence_about_someone_else_means_that_person(extractor):
    text = ("ISPR said the operation had ended in North Waziristan.\n"
            "Prime Minister Shehbaz Sharif praised the troops. He said that the nation would never forget them.")
    assert [s for s, _ in said(extractor, text, "en")] == ["Inter-Services Public Relations", "Shehbaz Sharif"]


def test_a_group_noun_as_speaker_is_the_group_named_before(extractor):
    text = ("أعلنت حركة حماس موافقتها على المقترح. وقالت الحركة إن وفدها سيصل إلى القاهرة يوم الخميس.")
    assert [s for s, _ in said(extractor, text, "ar")] == ["Hamas"]


def test_analyst_translations_keep_brackets_and_ellipses_inside_quotes(extractor):
    text = ("On February 7, 2024, Taliban spokesman Zabihullah Mujahid said in an interview with the "
            "Pashto-language Shamshad TV (Afghanistan) that \"the Islamic Emirate [i.e., the Taliban government] "
            "will not allow anyone ... to use the soil of Afghanistan against other countries.\" He added: \"We "
            "want good relations with all neighbors, but we will not accept interference [in our internal affairs].\"")
    found = extractor.run(text, "en", published=date(2024, 2, 8))
    assert [(s.speaker, s.kind, s.date) for s in found.statements] == [
        ("Zabihullah Mujahid", "direct", "2024-02-07"), ("Zabihullah Mujahid", "direct", "2024-02-07")]
    assert found.statements[0].quote.startswith("the Islamic Emirate [i.e., the Taliban government] will not")
    assert found.statements[0].quote.endswith("against other countries.")
    assert found.statements[1].quote.endswith("interference [in our internal affairs].")
    assert found.statements[0].outlet == "Shamshad TV"


def test_nationality_adjectives_are_parties_to_relations_but_not_mentions(extractor):
    text = "Pakistani officials accused the Taliban of sheltering militants near the border."
    found = extractor.run(text, "en")
    assert "Pakistan" not in {e.canonical for e in found.entities}
    assert [(r.source, r.type, r.target) for r in found.relations] == [("Pakistan", "criticize", "Taliban")]
