"""Unknown people found by their titles and roles, in every language."""

from __future__ import annotations

import pytest

from rasad.extract.entities import find_titled_people


def people(text: str, language: str) -> list[tuple[str, str]]:
    found = find_titled_people(text, language)
    assert all(text[e.start:e.end] == e.text for e in found)
    assert all(e.kind == "person" and e.entity_key is None for e in found)
    return [(e.text, e.role) for e in found]


def test_english_role_before_a_capitalised_name():
    text = "Taliban commander Qari Nasir Ahmad was killed in Kunar on Sunday."
    assert people(text, "en") == [("Qari Nasir Ahmad", "Taliban commander")]


def test_english_apposition_after_the_name_and_a_role_with_a_place():
    text = ("Abdul Rahman Haqqani, the group's spokesman, denied it. "
            "The governor of Helmand, Talib Akhund, said nothing.")
    assert people(text, "en") == [("Abdul Rahman Haqqani", "the group's spokesman"),
                                  ("Talib Akhund", "The governor of Helmand")]


def test_english_title_needs_a_capitalised_name():
    assert people("Mullah Abdul Hakim attended; the mullah said prayers.", "en") == [
        ("Mullah Abdul Hakim", "")]


def test_persian_role_in_commas_and_titles():
    text = ("سخنگوی پلیس هرات، محمود رسولی، گفت که مولوی عبدالرشید بازداشت شد. "
            "سردار حسین سلامی در مراسم حضور داشت.")
    assert people(text, "fa") == [("محمود رسولی", "سخنگوی پلیس هرات"), ("مولوی عبدالرشید", ""),
                                  ("سردار حسین سلامی", "")]


def test_dari_uses_the_persian_lexicon():
    text = "والی ولایت بلخ، مولوی محمد داوود مزمل، به خبرنگاران گفت."
    assert people(text, "prs") == [("مولوی محمد داوود مزمل", "")]  # closed by a comma: three words


def test_arabic_title_with_kunya_and_role_in_commas():
    text = "قال الشيخ أبو محمد العدناني في كلمة. وأكد المتحدث باسم الحركة، حازم قاسم، أن القصف مستمر."
    assert people(text, "ar") == [("الشيخ أبو محمد العدناني", ""), ("حازم قاسم", "المتحدث باسم الحركة")]


def test_pashto_title_after_a_role_clause():
    assert people("د ولایت والي، مولوي محمد قاسم، وویل چې امنیت ښه دی.", "ps") == [("مولوي محمد قاسم", "")]


def test_urdu_role_in_commas_and_a_title_before_a_noun():
    text = "ترجمان، عبدالکریم شاہ، نے کہا کہ مولانا فضل الرحمان جلسے سے خطاب کریں گے۔"
    assert people(text, "ur") == [("عبدالکریم شاہ", "ترجمان"), ("مولانا فضل الرحمان", "")]


@pytest.mark.parametrize("language", ["xx", "", "und"])
def test_languages_without_a_lexicon_give_nothing(language):
    assert find_titled_people("Mullah Abdul Hakim", language) == []


def test_bad_input_gives_nothing():
    assert find_titled_people("", "en") == [] and find_titled_people(None, "en") == []


def test_naming_phrases_introduce_a_person():
    assert people("وقال متحدث باسم أحد الفصائل، عرّف نفسه باسم أبو حيدر العامري، إن العمليات ستتصاعد.", "ar") == [
        ("أبو حيدر العامري", "")]
    assert people("A commander who identified himself as Qari Nasir Ahmad said the road was closed.", "en") == [
        ("Qari Nasir Ahmad", "")]
    assert people("سرکرده این شبکه، فردی موسوم به ملا عبدالرحمن ناروئی، جوانان را جذب می‌کرد.", "fa") == [
        ("ملا عبدالرحمن ناروئی", "")]


def test_english_organisations_by_their_head_word():
    text = ("The Afghanistan Freedom Front said its fighters attacked. Farida Nazarova of the Caspian "
            "Security Institute said the Army of Justice was behind it. The army said nothing.")
    found = [(e.text, e.kind) for e in find_titled_people(text, "en")]
    assert found == [("Afghanistan Freedom Front", "organization"), ("Caspian Security Institute", "organization"),
                     ("Army of Justice", "organization")]


def test_a_titled_name_is_canonical_without_its_title():
    [person] = find_titled_people("سردار حسین سلامی در مراسم حضور داشت.", "fa")
    assert (person.text, person.canonical) == ("سردار حسین سلامی", "حسین سلامی")
