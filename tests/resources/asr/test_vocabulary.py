import json

import pytest

from resources.asr.vocabulary import (
    TalkgroupInfo,
    Vocabulary,
    VocabularyError,
    gazetteer_streets,
    load_talkgroup_terms,
    service_of,
    top_units,
)

OPENADDRESSES_HEADER = "LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE\n"


def test_streets_come_from_the_gazetteer_most_addresses_first(tmp_path):
    csv = tmp_path / "addresses.csv"
    rows = [
        "-93.1,44.9,450,MAPLE ST,,Elm Grove,Dakota,MN,55001",
        "-93.1,44.9,452,MAPLE ST,,Elm Grove,Dakota,MN,55001",
        "-93.1,44.9,12,OAK AVE,,Elm Grove,Dakota,MN,55001",
        "-93.1,44.9,7,  maple   st ,,Elm Grove,Dakota,MN,55001",
        "-93.1,44.9,1,,,Elm Grove,Dakota,MN,55001",
    ]
    csv.write_text(OPENADDRESSES_HEADER + "\n".join(rows) + "\n")
    assert gazetteer_streets(csv) == ("Maple St", "Oak Ave")
    assert gazetteer_streets(csv, limit=1) == ("Maple St",)


def test_a_csv_without_streets_is_refused(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("lon,lat,name\n1,2,x\n")
    with pytest.raises(VocabularyError):
        gazetteer_streets(csv)
    with pytest.raises(VocabularyError):
        gazetteer_streets(tmp_path / "missing.csv")


def test_streets_are_read_by_the_geocoders_reader(tmp_path):
    # one reader for the gazetteer: TIGER ranges give the prompt streets too, and an address
    # the geocoder drops (no coordinates) gives the prompt none
    tiger = tmp_path / "ranges.csv"
    tiger.write_text(
        "FULLNAME,LFROMHN,LTOHN,RFROMHN,RTOHN,WKT\n"
        'CEDAR LN,1,99,2,98,"LINESTRING (-93.1 44.9, -93.11 44.91)"\n'
        'CEDAR LN,101,199,102,198,"LINESTRING (-93.11 44.91, -93.12 44.92)"\n'
        'ELM ST,1,9,2,8,"LINESTRING (-93.2 44.9, -93.21 44.91)"\n'
    )
    assert gazetteer_streets(tiger) == ("Cedar Ln", "Elm St")
    points = tmp_path / "points.csv"
    rows = ["-93.1,44.9,1,OAK AVE,,,,,", ",,2,MAPLE ST,,,,,", ",,3,MAPLE ST,,,,,"]
    points.write_text(OPENADDRESSES_HEADER + "\n".join(rows) + "\n")
    assert gazetteer_streets(points) == ("Oak Ave",)


def test_service_is_read_from_the_talkgroup():
    assert service_of(TalkgroupInfo(group="Fire Dispatch")) == "fire"
    assert service_of(TalkgroupInfo(tag="County EMS")) == "ems"
    assert service_of(TalkgroupInfo(description="Sheriff Patrol North")) == "police"
    assert service_of(TalkgroupInfo(tag="Public Works")) is None


def test_prompt_puts_the_talkgroups_own_words_first():
    vocab = Vocabulary(
        streets=("Maple Street", "Oak Avenue"),
        terms=("County General",),
        talkgroup_terms={"101": ("Station 3",)},
    )
    info = TalkgroupInfo(
        talkgroup=101, tag="Fire Dispatch", group="Fire", units=("Engine 12", "Ladder 7")
    )
    prompt = vocab.prompt(info)
    assert prompt.startswith("Station 3, Engine 12, Ladder 7, County General, Engine, Ladder")
    assert "10-4" in prompt and prompt.endswith("Maple Street, Oak Avenue.")
    assert "Medic" not in prompt  # another service's jargon stays out
    police = vocab.prompt(TalkgroupInfo(talkgroup=200, tag="PD Main"))
    assert "Alpha" in police and "Station 3" not in police


def test_ten_codes_make_a_prompt_even_for_an_unknown_talkgroup():
    assert Vocabulary().prompt(TalkgroupInfo()) == "10-4, 10-8, 10-7, 10-20, 10-23, 10-97."


def test_units_most_heard_first():
    assert top_units(["Engine 12", None, "Medic 4", "Engine 12", " "]) == ("Engine 12", "Medic 4")


def test_talkgroup_terms_file(tmp_path):
    path = tmp_path / "terms.json"
    path.write_text(json.dumps({"101": ["Station 3"], "PD Main": ["Car 54"]}))
    assert load_talkgroup_terms(path) == {"101": ("Station 3",), "PD Main": ("Car 54",)}
    path.write_text(json.dumps({"101": "Station 3"}))
    with pytest.raises(VocabularyError):
        load_talkgroup_terms(path)
