"""Proposing aliases from clarifications ("X (i.e., Y)", "X یعنی Y", "X المعروف بـ Y" ...)."""

from __future__ import annotations

import pytest

from rasad.kb.aliases import LearnedAlias, learn_aliases


def pairs(text: str) -> list[tuple[str, str]]:
    found = learn_aliases(text)
    for item in found:
        assert text[item.start:item.end] == item.evidence
    return [(a.name, a.alias) for a in found]


def test_a_translators_bracketed_clarification_proposes_an_alias():
    text = "Mujahid said the Emirate [i.e., the Taliban government] would not allow it."
    assert learn_aliases(text) == [LearnedAlias(
        name="the Emirate", alias="the Taliban government",
        evidence="the Emirate [i.e., the Taliban government]", start=13, end=55)]


@pytest.mark.parametrize("text,expected", [
    ("the group (i.e. Daesh) said", [("the group", "Daesh")]),
    ("Hibatullah Akhundzada (aka Amir al-Mu'minin) ordered", [("Hibatullah Akhundzada", "Amir al-Mu'minin")]),
    ("ISKP, also known as ISIS-K, claimed the attack", [("ISKP", "ISIS-K")]),
    ("ISKP, also known as ISIS-K claimed the attack", [("ISKP", "ISIS-K")]),
    ("Islamic State Khorasan Province (ISKP), also known as ISIS-K, said",
     [("Islamic State Khorasan Province", "ISIS-K")]),
    ("Ahmed al-Sharaa, known as Abu Mohammad al-Jolani, spoke", [("Ahmed al-Sharaa", "Abu Mohammad al-Jolani")]),
    ("Tehrik-i-Taliban Pakistan, a.k.a. TTP, denied it", [("Tehrik-i-Taliban Pakistan", "TTP")]),
])
def test_english_clarifications(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("ذبیح‌الله مجاهد سخنگوی امارت اسلامی یعنی طالبان گفت که ...", [("امارت اسلامی", "طالبان")]),
    ("گروه داعش خراسان (یعنی شاخه خراسان داعش) مسئولیت را پذیرفت", [("گروه داعش خراسان", "شاخه خراسان داعش")]),
    ("ابوبکر بغدادی موسوم به خلیفه داعش کشته شد", [("ابوبکر بغدادی", "خلیفه داعش")]),
    ("احمد الشرع معروف به ابومحمد جولانی گفت", [("احمد الشرع", "ابومحمد جولانی")]),
])
def test_persian_clarifications(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("قال إن تنظيم الدولة، أي داعش، تبنى الهجوم", [("تنظيم الدولة", "داعش")]),
    ("أعلن تنظيم الدولة (أي داعش) مسؤوليته", [("تنظيم الدولة", "داعش")]),
    ("تنظيم الدولة الإسلامية المعروف بداعش تبنى الهجوم", [("تنظيم الدولة الإسلامية", "داعش")]),
    ("تنظيم الدولة الإسلامية المعروف بـ داعش تبنى الهجوم", [("تنظيم الدولة الإسلامية", "داعش")]),
    ("أحمد الشرع المعروف باسم أبو محمد الجولاني قال", [("أحمد الشرع", "أبو محمد الجولاني")]),
])
def test_arabic_clarifications(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("اسلامي امارت یعنې طالبانو وویل", [("اسلامي امارت", "طالبانو")]),
    ("داعش خراسان چې د ولایت خراسان په نوم پېژندل کېږي برید وکړ", [("داعش خراسان", "ولایت خراسان")]),
])
def test_pashto_clarifications(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("تحریک طالبان پاکستان یعنی ٹی ٹی پی نے ذمہ داری قبول کی", [("تحریک طالبان پاکستان", "ٹی ٹی پی")]),
    ("ملا محمد عمر جسے ملا عمر بھی کہا جاتا ہے، طالبان کے بانی تھے", [("ملا محمد عمر", "ملا عمر")]),
])
def test_urdu_clarifications(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text", [
    "He was known as a moderate, officials said.",  # "known as" without a name
    "في أي وقت قال الناطق",  # Arabic أي meaning "any"
    "این یعنی جنگ است",  # "this means war": X is a pronoun
    "The ministry (i.e., the one that issued the decree on Tuesday after a long meeting) said",  # too long
    "Kabul [i.e., Kabul] said",  # the same name twice
    "",
])
def test_sentences_that_are_not_clarifications_propose_nothing(text):
    assert learn_aliases(text) == []


def test_several_clarifications_in_one_text_come_in_order():
    text = "the Emirate [i.e., the Taliban] and the Khawarij [i.e., the TTP] clashed"
    assert pairs(text) == [("the Emirate", "the Taliban"), ("the Khawarij", "the TTP")]
