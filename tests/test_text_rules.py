"""Sentence splitting, date resolution and weapon terms: the text rules under the event extractors."""

from datetime import date

import pytest

from pipeline.extract.dates import find_date
from pipeline.extract.sentences import split_sentences
from pipeline.extract.weapons import find_quantity, find_weapons, main_category


def test_sentences_keep_offsets_and_respect_abbreviations():
    text = "The U.S. sent tanks to the U.K. The next day, Gen. Smith spoke on Jan. 5.\n\nHeadline without stop\nNew line."
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["The U.S. sent tanks to the U.K.", "The next day, Gen. Smith spoke on Jan. 5.",
                                       "Headline without stop", "New line."]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert [s.idx for s in sents] == [0, 1, 2, 3]


@pytest.mark.parametrize("sentence,expected", [
    ("The leaders met on August 15 in Vladivostok.", (date(2023, 8, 15), "day")),
    ("Nicaragua on Thursday (Dec 9) cut ties.", (date(2022, 12, 9), "day")),
    ("The deal was signed in March 2023.", (date(2023, 3, 1), "month")),
    ("The two armies held drills in 2021.", (date(2021, 1, 1), "year")),
    ("The minister said on Tuesday that talks went well.", (date(2023, 9, 12), "day")),
    ("We will meet again.", (None, None)),
    ("Deliveries are due in May 2025.", (None, None)),  # after publication: not an event date
])
def test_dates_resolve_against_publication(sentence, expected):
    assert find_date(sentence, date(2023, 9, 14)) == expected


def test_dates_without_publication_need_a_year():
    assert find_date("They met on August 15.", None) == (None, None)
    assert find_date("They met on 15 August 2022.", None) == (date(2022, 8, 15), "day")


@pytest.mark.parametrize("sentence,category,quantity", [
    ("Qatar will buy 24 Typhoon fighters.", "aircraft", 24),
    ("Germany sent a dozen Leopard 2 tanks.", "armoured_vehicles", 12),
    ("It ordered several hundred artillery shells.", "ammunition", 300),
    ("The US approved Patriot missile batteries.", "air_defence", None),
    ("Russia bought “millions” of rounds.", "ammunition", 2_000_000),
    ("Iran sent Shahed-136 drones.", "drones", None),
    ("It received two frigates in 2024.", "naval", 2),
])
def test_weapon_category_and_quantity(sentence, category, quantity):
    terms = find_weapons(sentence)
    assert main_category(terms) == category
    assert find_quantity(sentence, terms[0])[1] == quantity


def test_non_weapons_are_not_weapons():
    assert find_weapons("They discussed the arms race, oil tankers and a think tank.") == []
