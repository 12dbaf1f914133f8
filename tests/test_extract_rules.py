"""Event rules on sentences written for these tests: roles, stages, relations, and what must not fire."""

from datetime import date

import pytest

from pipeline.extract.events import extract_article


def arms(text, published=date(2024, 6, 1)):
    rows = extract_article("t", text, published).arms_transfers
    return {(r["supplier"], r["recipient"], r["status"]) for r in rows}, rows


def links(text, published=date(2024, 6, 1)):
    return {(r["actor_a"], r["actor_b"], r["relation"]) for r in extract_article("t", text, published).alliances}


@pytest.mark.parametrize("text,expected", [
    # supplier as subject, recipient after "to"
    ("Germany delivered four Leopard 2 tanks to Ukraine on Tuesday.", {("DEU", "UKR", "delivered")}),
    # recipient as subject, supplier after "from"
    ("Poland signed a contract to buy 180 K2 tanks from South Korea.", {("KOR", "POL", "agreed")}),
    # passive voice with the supplier as agent
    ("Storm Shadow missiles were supplied to Ukraine by Britain last year.", {("GBR", "UKR", "delivered")}),
    # coordination: two suppliers, two transfers
    ("The Netherlands and Denmark will send F-16 jets to Ukraine.", {("NLD", "UKR", "planned"), ("DNK", "UKR", "planned")}),
    # the recipient uses weapons made by the supplier
    ("Russia is using Iranian-made Shahed drones against Ukrainian cities.", {("IRN", "RUS", "used")}),
    # an official denial
    ("Iran denied supplying drones to Russia for the war.", {("IRN", "RUS", "denied")}),
    # supplier as indirect object ("supplied X with Y")
    ("Turkey has supplied Ukraine with Bayraktar TB2 drones.", {("TUR", "UKR", "delivered")}),
    # a demonym before the weapon names the source of a purchase
    ("Egypt received a French Gowind corvette last month.", {("FRA", "EGY", "delivered")}),
    # a sale approval is agreed
    ("The State Department approved a possible sale of F-16 jets to Turkey.", {("USA", "TUR", "agreed")}),
])
def test_arms_roles_and_stages(text, expected):
    assert arms(text)[0] == expected


@pytest.mark.parametrize("text", [
    "Germany has no plans to send Taurus missiles to Ukraine.",            # negated
    "Israel refused to sell Iron Dome systems to Ukraine.",                # refusal
    "Seoul could send artillery shells to Poland if asked.",               # speculative
    "China's GDP grew 5 percent while Germany exported more cars to France.",  # no weapon
    "Russia launched Iskander missiles at Kharkiv overnight.",             # own production, no transfer
])
def test_arms_rules_stay_silent(text):
    assert arms(text)[0] == set()


def test_arms_details_quantity_reporter_origin_and_place_of_use():
    _, rows = arms("According to US intelligence, North Korea has shipped millions of artillery shells to Russia.")
    (row,) = rows
    assert (row["supplier"], row["recipient"], row["weapon_category"]) == ("PRK", "RUS", "ammunition")
    assert row["quantity_min"] == 2_000_000 and row["reported_by"] == "US intelligence"
    _, rows = arms("Ukraine fired US-made HIMARS rockets in Kherson region, Ukraine, on Monday.")
    assert {(r["supplier"], r["recipient"], r["origin"]) for r in rows} == {("USA", "UKR", "USA")}


@pytest.mark.parametrize("text,expected", [
    ("Russia and North Korea signed a mutual defence treaty in Pyongyang on June 19.", {("PRK", "RUS", "defence_pact")}),
    ("Iran and Russia signed a comprehensive strategic partnership treaty in Moscow.", {("IRN", "RUS", "partnership")}),
    ("Finland joined NATO on April 4, becoming the alliance's 31st member.", {("FIN", "NATO", "membership")}),
    ("Putin met Chinese President Xi Jinping and Iranian President Ebrahim Raisi in Samarkand.",
     {("CHN", "RUS", "meeting"), ("IRN", "RUS", "meeting")}),
    ("China and Russia held joint naval exercises in the Sea of Japan.", {("CHN", "RUS", "exercise")}),
    ("Kim Jong Un expressed his full support for Russia in its war.", set()),  # hostile context stays silent
    ("North Korea voiced firm support for Russia, state media said.", {("PRK", "RUS", "support")}),
    ("Nicaragua broke diplomatic ties with Taiwan on Thursday.", {("NIC", "TWN", "rupture")}),
    ("Mali, Burkina Faso and Niger said they were leaving ECOWAS.",
     {("ECOWAS", "MLI", "rupture"), ("BFA", "ECOWAS", "rupture"), ("ECOWAS", "NER", "rupture")}),  # symmetric: sorted
    ("Russia backed Iran's bid to join the Shanghai Cooperation Organisation.", {("IRN", "SCO", "membership")}),
])
def test_alliance_relations(text, expected):
    assert links(text, date(2023, 9, 20)) == expected


@pytest.mark.parametrize("text", [
    "Biden called Macron to congratulate him on his re-election.",               # courtesy call
    "Modi will visit Washington next month.",                                      # future meeting
    "The bloc includes Brazil, Russia, India, China and South Africa.",            # composition, not an event
    "Leaders met at a summit in Singapore, the prime minister of Japan said.",     # a venue is not a party
    "OPEC+ alliance members Saudi Arabia and Russia agreed to cut oil output.",    # economic cartel
    "The United States imposed sanctions on Iran and criticised China.",           # hostility
])
def test_alliance_rules_stay_silent(text):
    assert links(text, date(2023, 9, 20)) == set()


def test_the_two_leaders_refers_to_the_previous_pair():
    text = ("Putin and Kim Jong Un met at the Vostochny Cosmodrome on Wednesday. "
            "The two leaders agreed to deepen military cooperation.")
    assert links(text, date(2023, 9, 14)) == {("PRK", "RUS", "meeting"), ("PRK", "RUS", "partnership")}


def test_exercise_participants_named_in_a_later_sentence_pair_with_the_hosts():
    text = ("Australia and the United States opened the Talisman Sabre exercise on Friday. "
            "Troops from Japan and Germany are taking part.")
    assert links(text, date(2023, 7, 24)) >= {("AUS", "JPN", "exercise"), ("DEU", "USA", "exercise")}


def test_dates_and_evidence_offsets():
    text = "Intro line.\n\nNicaragua broke diplomatic ties with Taiwan on Thursday (Dec 9)."
    rows = extract_article("t", text, date(2021, 12, 10)).alliances
    (row,) = rows
    assert row["event_date"] == date(2021, 12, 9) and row["date_precision"] == "day"
    assert text[row["char_start"]:row["char_end"]] == row["evidence"]
    again = extract_article("t", text, date(2021, 12, 10)).alliances
    assert again[0]["event_id"] == row["event_id"]


def test_warnings_against_joining_are_not_accessions():
    assert links("Russia warned Finland that joining NATO would have consequences.") == set()
    assert links("Finland joined NATO on Tuesday despite Russian warnings.", date(2023, 4, 5)) == {("FIN", "NATO", "membership")}


@pytest.mark.parametrize("text,expected", [
    # an arms maker stands for its home state, and decides the direction of a deal
    ("Poland signed a contract with Hanwha Aerospace for 152 K9 howitzers.", {("KOR", "POL", "agreed")}),
    ("Lockheed Martin will deliver 32 F-35 jets to Poland.", {("USA", "POL", "planned")}),
    # a deal with a state whose weapon it is
    ("Greece signed an agreement with France on Tuesday for three Belharra frigates.", {("FRA", "GRC", "agreed")}),
    # airlines buying airliners are not arms transfers
    ("Qatar Airways ordered 25 Boeing 787 jets.", set()),
    # joint development without a transfer
    ("Germany signed an agreement with France on the future tank.", set()),
])
def test_companies_and_deals(text, expected):
    assert arms(text, date(2023, 1, 1))[0] == expected


def test_plural_pronoun_subjects_and_pair_anaphora_that_must_not_fire():
    assert links("Xi Jinping offered support to Vladimir Putin when they met in Beijing on February 4.",
                 date(2022, 2, 5)) >= {("CHN", "RUS", "meeting")}
    text = ("The United States and South Korea accused Pyongyang of supplying shells. "
            "Kim greeted Putin at the airport, and the two leaders later held talks.")
    assert ("KOR", "USA", "meeting") not in links(text, date(2024, 6, 19))


def test_a_leader_named_in_full_is_found_by_surname_later():
    text = ("Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a treaty that commits "
            "each side to assist the other if it comes under attack. Kim pledged his full support for Russia.")
    assert links(text, date(2024, 6, 19)) >= {("PRK", "RUS", "defence_pact"), ("PRK", "RUS", "support")}
