"""The mention finder: longest match, word boundaries, compounds, false friends and leaders' terms."""
import dataclasses
import datetime

import pytest

from pipeline.extract.mentions import Gazetteer, Mention
from pipeline.reference.load import actor_rows

D = datetime.date


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def found(gazetteer: Gazetteer, text: str, published: datetime.date | None = None) -> list[tuple[str, str]]:
    mentions = gazetteer.find(text, published)
    assert all(text[m.start:m.end] == m.surface for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:])), "sorted and non-overlapping"
    return [(m.surface, m.actor_code) for m in mentions]


def test_names_demonyms_capitals_metonyms_and_organisations(gazetteer):
    text = "The Kremlin said Moscow and Beijing, with Iranian help, would brief NATO and the SCO in Russia."
    assert [(m.surface, m.actor_code, m.via) for m in gazetteer.find(text)] == [
        ("Kremlin", "RUS", "metonym"), ("Moscow", "RUS", "capital"), ("Beijing", "CHN", "capital"),
        ("Iranian", "IRN", "demonym"), ("NATO", "NATO", "organization"), ("SCO", "SCO", "organization"),
        ("Russia", "RUS", "name")]


def test_every_actor_is_found_by_its_display_name(gazetteer):
    for row in actor_rows():
        assert [m.actor_code for m in gazetteer.find(row["name"])] == [row["actor_code"]], row["name"]


@pytest.mark.parametrize("text, surface, code, suffix", [
    ("Iran-made drones", "Iran-made", "IRN", "made"),
    ("Iranian-made drones", "Iranian-made", "IRN", "made"),
    ("Russian-built tanks", "Russian-built", "RUS", "built"),
    ("U.S.-supplied rockets", "U.S.-supplied", "USA", "supplied"),
    ("Turkish-manufactured drones", "Turkish-manufactured", "TUR", "manufactured"),
    ("the US-led coalition", "US-led", "USA", "led"),
    ("Chinese-produced shells", "Chinese-produced", "CHN", "produced"),
    ("Soviet-era tanks", "Soviet-era", "SUN", "era"),
    ("Kremlin-backed forces", "Kremlin-backed", "RUS", "backed"),
    ("Iranian-Made Drones Hit City", "Iranian-Made", "IRN", "made"),
    ("Russia\u2011made shells", "Russia\u2011made", "RUS", "made"),  # non-breaking hyphen
])
def test_compounds_are_one_mention_with_a_suffix(gazetteer, text, surface, code, suffix):
    [m] = gazetteer.find(text)
    assert (m.surface, m.actor_code, m.suffix, m.start) == (surface, code, suffix, text.index(surface))


def test_a_dangling_hyphen_shares_the_compound_suffix(gazetteer):
    mentions = gazetteer.find("It fired Russian- and Iranian-made drones.")
    assert [(m.surface, m.actor_code, m.suffix) for m in mentions] == [
        ("Russian-", "RUS", "made"), ("Iranian-made", "IRN", "made")]


def test_a_surface_running_into_a_longer_word_gives_way_to_shorter_ones(gazetteer):
    assert found(gazetteer, "Washington stated that Washington state would not.") == [("Washington", "USA")]


def test_hyphenated_pairs_are_two_plain_mentions(gazetteer):
    mentions = gazetteer.find("Russia-Ukraine talks and Sino-Russian drills")
    assert [(m.actor_code, m.suffix) for m in mentions] == [("RUS", ""), ("UKR", ""), ("CHN", ""), ("RUS", "")]
    assert found(gazetteer, "Sino is not a word here.") == []


@pytest.mark.parametrize("text", [
    "pro-Russian separatists", "Pro-Russian separatists", "anti-American protests", "ex-Soviet republics",
    "post-Soviet space", "a non-NATO ally", "an anti-Putin rally",
])
def test_negating_prefixes_emit_nothing(gazetteer, text):
    assert found(gazetteer, text, D(2024, 1, 1)) == []


@pytest.mark.parametrize("text, surface", [
    ("Russia's army", "Russia"), ("Russia\u2019s army", "Russia"), ("the Kremlin's line", "Kremlin"),
    ("Iran' said nothing", "Iran"),
])
def test_possessives_are_mentions_of_the_name(gazetteer, text, surface):
    [m] = gazetteer.find(text)
    assert m.surface == surface and m.end == len(surface) + text.index(surface)


def test_an_apostrophe_inside_a_word_is_not_a_possessive(gazetteer):
    assert found(gazetteer, "He flew to Xi'an.", D(2024, 1, 1)) == []
    assert found(gazetteer, "He met Xi in Xi\u2019an.", D(2024, 1, 1)) == [("Xi", "CHN")]


@pytest.mark.parametrize("text, expected", [
    ("Papua New Guinea", [("Papua New Guinea", "PNG")]),
    ("Guinea-Bissau and Guinea", [("Guinea-Bissau", "GNB"), ("Guinea", "GIN")]),
    ("Guinea\u2013Bissau", [("Guinea\u2013Bissau", "GNB")]),  # en dash
    ("Equatorial Guinea", [("Equatorial Guinea", "GNQ")]),
    ("South Sudan and Sudan", [("South Sudan", "SSD"), ("Sudan", "SDN")]),
    ("South Sudanese troops", [("South Sudanese", "SSD")]),
    ("the Dominican Republic and Dominica", [("Dominican Republic", "DOM"), ("Dominica", "DMA")]),
    ("Nigeria, Nigerian and Niger", [("Nigeria", "NGA"), ("Nigerian", "NGA"), ("Niger", "NER")]),
    ("Somali pirates off Mali", [("Somali", "SOM"), ("Mali", "MLI")]),
    ("Romania and Oman", [("Romania", "ROU"), ("Oman", "OMN")]),
    ("North Macedonia, once Macedonia", [("North Macedonia", "MKD"), ("Macedonia", "MKD")]),
    ("the People's Republic of China and the Republic of China", [
        ("People's Republic of China", "CHN"), ("Republic of China", "TWN")]),
    ("Chinese Taipei", [("Chinese Taipei", "TWN")]),
    ("North Korea and South Korea", [("North Korea", "PRK"), ("South Korea", "KOR")]),
    ("Côte d\u2019Ivoire", [("Côte d\u2019Ivoire", "CIV")]),
    ("Washington, D.C.", [("Washington, D.C.", "USA")]),
])
def test_longest_match_wins(gazetteer, text, expected):
    assert found(gazetteer, text) == expected


@pytest.mark.parametrize("text", [
    "Ships sailed the South China Sea.", "The Washington Post reported it.", "Washington state voted.",
    "George Washington slept here.", "a base in the Indian Ocean", "across the Indian subcontinent",
    "drills in the Philippine Sea", "the Korean War and Korea", "New Mexico and New Jersey", "the Niger Delta",
    "the Gulf of Mexico", "Latin America and South America", "Indiana and Omaha", "a new turkey recipe",
    "let us go", "the Taiwan Strait", "it cost US$5 billion", "Hunter Biden", "Lake Chad",
])
def test_false_friends_are_not_mentions(gazetteer, text):
    assert found(gazetteer, text, D(2024, 6, 1)) == []


@pytest.mark.parametrize("text, expected", [
    ("Michael Jordan met Jordan's king.", [("Jordan", "JOR")]),
    ("Jordan Peterson spoke in Jordan.", [("Jordan", "JOR")]),
    ("In Jordan, officials agreed.", [("Jordan", "JOR")]),
    ("Jordan Buys Fighter Jets", [("Jordan", "JOR")]),
    ("Chad Smith toured Chad.", [("Chad", "TCD")]),
    ("Chad's junta expelled French troops.", [("Chad", "TCD"), ("French", "FRA")]),
    ("Georgia applied to join NATO.", [("Georgia", "GEO"), ("NATO", "NATO")]),
    ("Tbilisi, Georgia", [("Tbilisi", "GEO"), ("Georgia", "GEO")]),
    ("Atlanta, Georgia", []),
    ("Georgia's governor signed the bill.", []),
    ("Georgia Tech won.", []),
    ("the U.S. state of Georgia", [("U.S.", "USA")]),
    ("Brussels warned Budapest.", [("Brussels", "EU"), ("Budapest", "HUN")]),
    ("Ministers met in Brussels.", []),
    ("In Brussels, ministers met.", []),
    ("Brussels [Belgium], June 24: the summit opened.", [("Belgium", "BEL")]),
    ("Congo and DR Congo", [("Congo", "COD"), ("DR Congo", "COD")]),
    ("Republic of the Congo and Brazzaville", [("Republic of the Congo", "COG"), ("Brazzaville", "COG")]),
    ("Kinshasa", [("Kinshasa", "COD")]),
    ("Delhi and New Delhi", [("Delhi", "IND"), ("New Delhi", "IND")]),
])
def test_ambiguous_names_in_context(gazetteer, text, expected):
    assert found(gazetteer, text) == expected


def test_names_are_case_sensitive_and_codes_work_in_caps(gazetteer):
    assert found(gazetteer, "us and them, russia and turkey") == []
    assert found(gazetteer, "US, UK, EU AND NATO") == [("US", "USA"), ("UK", "GBR"), ("EU", "EU"), ("NATO", "NATO")]


@pytest.mark.parametrize("published, expected", [
    (D(2023, 5, 1), [("Raisi", "IRN", "head_of_government")]),
    (D(2025, 5, 1), []),
    (datetime.datetime(2023, 5, 1, 12, 30), [("Raisi", "IRN", "head_of_government")]),
    (None, [("Raisi", "IRN", "head_of_government")]),
])
def test_a_leader_is_a_mention_only_in_office(gazetteer, published, expected):
    mentions = gazetteer.find("Raisi spoke.", published)
    assert [(m.surface, m.actor_code, m.role) for m in mentions] == expected
    assert all(m.via == "leader" for m in mentions)


@pytest.mark.parametrize("published, code", [(D(2019, 3, 1), "USA"), (D(2022, 3, 1), None), (D(2025, 3, 1), "USA")])
def test_trump_between_his_terms_is_no_mention(gazetteer, published, code):
    assert [m.actor_code for m in gazetteer.find("Trump said so.", published)] == ([code] if code else [])


def test_undated_leader_surfaces_must_agree_on_one_actor(gazetteer):
    assert found(gazetteer, "Tusk spoke.", D(2018, 1, 1)) == [("Tusk", "EU")]
    assert found(gazetteer, "Tusk spoke.", D(2024, 1, 1)) == [("Tusk", "POL")]
    assert found(gazetteer, "Tusk spoke.") == []  # POL and EU terms: undecidable without a date
    [putin] = gazetteer.find("Vladimir Putin spoke.")
    assert (putin.surface, putin.actor_code, putin.role) == ("Vladimir Putin", "RUS", "head_of_state")


def test_a_full_leader_name_beats_the_place_inside_it(gazetteer):
    assert found(gazetteer, "Wellington Koo visited Wellington.", D(2025, 1, 1)) == [
        ("Wellington Koo", "TWN"), ("Wellington", "NZL")]
    assert found(gazetteer, "Israel Katz", D(2025, 1, 1)) == [("Israel Katz", "ISR")]


def test_mentions_are_frozen_and_actor_rows_are_exposed(gazetteer):
    [m] = gazetteer.find("Iran")
    assert isinstance(m, Mention) and m.role is None and m.suffix == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.actor_code = "IRQ"  # type: ignore[misc]
    assert gazetteer.actor("NATO")["actor_type"] == "organization"
    assert gazetteer.actor("RUS")["cow_code"] == 365


def test_a_surface_listed_twice_is_rejected():
    aliases = [{"surface": "Ruritania", "actor_code": "RUR", "via": "name", "ambiguous": False}] * 2
    with pytest.raises(ValueError, match="Ruritania"):
        Gazetteer([], aliases, [])
