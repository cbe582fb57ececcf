"""The starter YAML: the shipped data loads cleanly, and bad data is refused with one line
that names the file and the entry."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rasad.kb.starter import (
    KINDS,
    RULE_FILES,
    Actor,
    AliasName,
    StarterDataError,
    load_starter,
    starter_paths,
    validate_starter,
)


@pytest.fixture(scope="module")
def actors() -> list[Actor]:
    return load_starter()


@pytest.fixture(scope="module")
def by_key(actors) -> dict[str, Actor]:
    return {a.key: a for a in actors}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(*paths: Path) -> list[str]:
    return validate_starter(paths)[1]


# --- the shipped data ---------------------------------------------------------------------


def test_shipped_starter_data_has_no_problems():
    actors, problems = validate_starter()
    assert problems == []
    assert len(actors) >= 170


def test_shipped_data_covers_every_kind_and_language(actors):
    kinds = Counter(a.kind for a in actors)
    assert set(kinds) == set(KINDS)
    assert kinds["person"] >= 100 and kinds["place"] >= 60 and kinds["outlet"] >= 40
    langs = Counter(alias.lang for a in actors for alias in a.aliases)
    assert set(langs) == {"en", "fa", "prs", "ps", "ar", "ur"}
    assert min(langs[lang] for lang in ("fa", "ps", "ar", "ur")) >= 150


def test_rule_files_are_not_read_as_actor_files():
    names = [p.name for p in starter_paths()]
    assert not set(RULE_FILES) & set(names)
    assert "afghanistan.yaml" in names and "places.yaml" in names


def test_taliban_carry_their_state_name_in_every_language(by_key):
    names = {(a.name, a.lang) for a in by_key["taliban"].aliases}
    assert ("Islamic Emirate of Afghanistan", "en") in names
    assert ("امارت اسلامی افغانستان", "fa") in names
    assert ("د افغانستان اسلامي امارت", "ps") in names
    assert ("إمارة أفغانستان الإسلامية", "ar") in names
    assert ("امارت اسلامیہ افغانستان", "ur") in names
    assert by_key["taliban"].kind == "group"
    assert by_key["afghanistan"].kind == "state"


def test_person_roles_carry_years_and_local_titles(by_key):
    roles = by_key["zabihullah-mujahid"].roles
    assert [(r.title, r.start, r.end) for r in roles] == [
        ("Spokesman of the Taliban", "2007", "2021-08"),
        ("Chief spokesman of the Islamic Emirate", "2021-08", None),
        ("Deputy minister of information and culture", "2021-09", None),
    ]
    assert dict(roles[1].titles)["ps"] == "د اسلامي امارت ویاند"


def test_parents_point_at_actors(by_key):
    assert by_key["quds-force"].parent == "irgc"
    assert by_key["iskp"].parent == "islamic-state"
    assert by_key["sanaullah-ghafari"].parent == "iskp"
    assert by_key["al-quds-brigades"].parent == "palestinian-islamic-jihad"


def test_scripts_are_filled_in_from_the_letters(by_key):
    scripts = {(a.name, a.script) for a in by_key["zabihullah-mujahid"].aliases}
    assert ("Zabiullah Mujahed", "Latn") in scripts
    assert ("ذبیح اللہ مجاہد", "Arab") in scripts


def test_names_lists_the_canonical_first_and_each_key_once():
    actor = Actor("x", "Zabihullah Mujahid", "person", aliases=[
        AliasName("ذبیح‌الله مجاهد", "fa", "Arab"), AliasName("ذبیحالله مجاهد", "prs", "Arab"),
        AliasName("ZABIHULLAH MUJAHID", "en", "Latn")])
    assert [n.name for n in actor.names()] == ["Zabihullah Mujahid", "ذبیح‌الله مجاهد"]


# --- refusing bad data ---------------------------------------------------------------------

GOOD = """\
actors:
  - key: taliban
    canonical: Taliban
    kind: group
    country: AF
    aliases:
      - {name: طالبان, lang: fa}
"""


def test_a_minimal_file_loads(tmp_path):
    actors = load_starter([write(tmp_path, "a.yaml", GOOD)])
    assert [(a.key, a.canonical, a.kind, a.country, a.source) for a in actors] == [
        ("taliban", "Taliban", "group", "AF", str(tmp_path / "a.yaml"))]
    assert actors[0].aliases == [AliasName("طالبان", "fa", "Arab")]


def test_unknown_kind_names_file_and_entry(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace("kind: group", "kind: militia"))
    assert problems_of(path) == [
        f"{path}: actor 'taliban': unknown kind 'militia' "
        "(use one of person, organization, outlet, state, place, group)"]


def test_duplicate_key_across_files_is_refused(tmp_path):
    first, second = write(tmp_path, "a.yaml", GOOD), write(tmp_path, "b.yaml", GOOD)
    problems = problems_of(first, second)
    assert problems[0] == f"{second}: actor 'taliban': duplicate key (first defined in {first})"


def test_empty_alias_name_is_refused(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace("{name: طالبان, lang: fa}", "{name: '', lang: fa}"))
    assert problems_of(path) == [f"{path}: actor 'taliban': alias without a name: {{'name': '', 'lang': 'fa'}}"]


def test_alias_without_letters_is_refused(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace("{name: طالبان, lang: fa}", "{name: '«—»', lang: fa}"))
    assert problems_of(path) == [f"{path}: actor 'taliban': alias '«—»': has no letters or digits to match on"]


def test_unknown_language_and_wrong_script_are_refused(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace(
        "      - {name: طالبان, lang: fa}",
        "      - {name: طالبان, lang: pa}\n      - {name: Taleban, lang: fa}"))
    assert problems_of(path) == [
        f"{path}: actor 'taliban': alias 'طالبان': unknown lang 'pa' (use one of en, fa, prs, ps, ar, ur)",
        f"{path}: actor 'taliban': alias 'Taleban': lang 'fa' is not written in Latn",
    ]


def test_a_name_shared_by_two_actors_is_a_conflict(tmp_path):
    text = GOOD + """\
  - key: pakistani-taliban
    canonical: Pakistani Taliban
    kind: group
    aliases:
      - {name: طالبان, lang: ur}
"""
    path = write(tmp_path, "a.yaml", text)
    assert problems_of(path) == [
        f"{path}: actor 'taliban': the name 'طالبان' is given to 2 actors "
        f"({path}: 'taliban' as 'طالبان'; {path}: 'pakistani-taliban' as 'طالبان'); "
        "mark it `ambiguous: true` on each of them or remove it"]


def test_a_shared_name_marked_ambiguous_on_both_actors_is_allowed(tmp_path):
    text = GOOD.replace("{name: طالبان, lang: fa}", "{name: طالبان, lang: fa, ambiguous: true}") + """\
  - key: pakistani-taliban
    canonical: Pakistani Taliban
    kind: group
    aliases:
      - {name: طالبان, lang: ur, ambiguous: true}
"""
    assert problems_of(write(tmp_path, "a.yaml", text)) == []


def test_spelling_variants_count_as_the_same_name(tmp_path):
    text = GOOD + """\
  - key: other
    canonical: Other
    kind: group
    aliases:
      - {name: طالبان, lang: ar}
"""
    text = text.replace("{name: طالبان, lang: ar}", "{name: \"طالبان\u200c\", lang: ar}")
    problems = problems_of(write(tmp_path, "a.yaml", text))
    assert len(problems) == 1 and "is given to 2 actors" in problems[0]


def test_unknown_parent_and_unknown_field_are_reported(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace("    country: AF\n", "    country: AF\n    parent: emirate\n    colour: red\n"))
    assert problems_of(path) == [
        f"{path}: actor 'taliban': unknown field(s) colour (allowed: affiliation, aliases, canonical, "
        "country, description, key, kind, parent, roles)",
        f"{path}: actor 'taliban': parent 'emirate' is not an actor key",
    ]


def test_a_bad_key_and_country_are_reported(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace("key: taliban", "key: Taliban Group").replace("AF", "AFG"))
    assert problems_of(path) == [
        f"{path}: actor 'Taliban Group': key must be a lower-case ASCII slug like 'zabihullah-mujahid'",
        f"{path}: actor 'Taliban Group': country must be an ISO 3166 two-letter code like AF, got 'AFG'",
    ]


def test_role_dates_must_be_years_or_months(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD + "    roles:\n      - {title: Leader, from: last year}\n")
    assert problems_of(path) == [f"{path}: actor 'taliban': role 'Leader': from/to must be YYYY, YYYY-MM or YYYY-MM-DD"]


def test_a_repeated_yaml_key_is_refused_not_silently_overwritten(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace("    country: AF\n", "    country: AF\n    kind: state\n"))
    with pytest.raises(StarterDataError) as error:
        validate_starter([path])
    assert str(error.value) == f"{path}: line 6: YAML error: repeated key 'kind'"


def test_yaml_syntax_errors_name_the_line(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD + "  - key: [unclosed\n")
    with pytest.raises(StarterDataError) as error:
        load_starter([path])
    assert str(error.value).startswith(f"{path}: line ")
    assert "\n" not in str(error.value)


def test_load_starter_raises_the_first_problem_and_counts_the_rest(tmp_path):
    path = write(tmp_path, "a.yaml", GOOD.replace("kind: group", "kind: militia").replace("AF", "AFG"))
    with pytest.raises(StarterDataError) as error:
        load_starter([path])
    assert str(error.value) == (
        f"{path}: actor 'taliban': unknown kind 'militia' (use one of person, organization, outlet, "
        "state, place, group) (and 1 more problem(s))")
    assert error.value.exit_code == 2


def test_a_file_without_an_actors_list_is_refused(tmp_path):
    path = write(tmp_path, "a.yaml", "people: []\n")
    assert problems_of(path) == [f"{path}: expected a mapping with an 'actors:' list at the top level"]
