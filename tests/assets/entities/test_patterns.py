"""Each entity type, as dispatchers say it and as speech recognizers write it (the ASR
forms below were produced by tiny.en on synthesized radio lines)."""

from __future__ import annotations

import pytest

from assets.entities.extract import EntityExtractor


def found(extractor: EntityExtractor, text: str, label: str) -> list[tuple[str, str]]:
    return [(e.text, e.normalized) for e in extractor.extract(text) if e.label == label]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("respond to twelve twenty Oak Street", ("twelve twenty Oak Street", "1220 OAK ST")),
        ("respond to 1220 Oak Street for a fire", ("1220 Oak Street", "1220 OAK ST")),
        (
            "respond to 1,220 Oak, smoke showing",
            ("1,220 Oak", "1220 OAK ST"),
        ),  # suffix from the gazetteer
        ("respond to 12 20 Oak Street", ("12 20 Oak Street", "1220 OAK ST")),  # ASR-split
        ("respond to 12-20 Oak Street", ("12-20 Oak Street", "1220 OAK ST")),
        (
            "domestic at 4.56 Maple Avenue",
            ("4.56 Maple Avenue", "456 MAPLE AVE"),
        ),  # ASR's "four fifty six"
        (
            "alarm activation 21.05 North Elm Street, 1076.",
            ("21.05 North Elm Street", "2105 N ELM ST"),
        ),
        (
            "one two two zero Washington Avenue",
            ("one two two zero Washington Avenue", "1220 WASHINGTON AVE"),
        ),
        ("twelve oh five Maple Avenue", ("twelve oh five Maple Avenue", "1205 MAPLE AVE")),
        (
            "one thousand two hundred twenty Oak Street",
            ("one thousand two hundred twenty Oak Street", "1220 OAK ST"),
        ),
        ("the 1200 block of Maple Avenue", ("1200 block of Maple Avenue", "1200 MAPLE AVE")),
        (
            "twenty one forty County Road forty",
            ("twenty one forty County Road forty", "2140 COUNTY ROAD 40"),
        ),
        ("at 14 Martin Luther King", ("14 Martin Luther King", "14 MARTIN LUTHER KING JR BLVD")),
        ("1220 Oke Street", ("1220 Oke Street", "1220 OAK ST")),  # misheard: the county's spelling
        # As recognizers write them: joined, split by commas, misspelled.
        ("Respond to 158-7th Street for", ("158-7th Street", "158 7TH ST")),
        ("Respond to 958 County, Route 40, fill", ("958 County, Route 40", "958 COUNTY ROAD 40")),
        ("Respond to 309, Elm Street, Autoguville", ("309, Elm Street", "309 N ELM ST")),
        ("Respond to 1, 6, 0, Pine Street, Bill", ("1, 6, 0, Pine Street", "160 PINE ST")),
        ("Respond to 188, Calhound Street, fall", ("188, Calhound Street", "188 CALHOUN ST")),
    ],
)
def test_address(extractor: EntityExtractor, text: str, expected: tuple[str, str]) -> None:
    assert found(extractor, text, "ADDRESS") == [expected]


def test_address_town_and_unit_number(extractor: EntityExtractor) -> None:
    [address] = [
        e
        for e in extractor.extract("Engine 12 1220 Oak Street, Autaugaville, for a fire")
        if e.label == "ADDRESS"
    ]
    assert (address.normalized, address.detail) == ("1220 OAK ST", "AUTAUGAVILLE")
    assert found(extractor, "Engine 12 1220 Oak Street", "UNIT") == [("Engine 12", "Engine 12")]


def test_a_street_the_county_does_not_have_is_no_address(
    extractor: EntityExtractor, bare_extractor: EntityExtractor
) -> None:
    # with a gazetteer, "Zebra Street" is a name misheard past matching: not asserted
    assert found(extractor, "respond to 1220 Zebra Street", "ADDRESS") == []
    assert found(bare_extractor, "respond to 1220 Zebra Street", "ADDRESS") == [
        ("1220 Zebra Street", "1220 ZEBRA ST")
    ]


def test_address_without_gazetteer(bare_extractor: EntityExtractor) -> None:
    assert found(bare_extractor, "respond to twelve twenty Oak Street", "ADDRESS") == [
        ("twelve twenty Oak Street", "1220 OAK ST")
    ]
    assert found(bare_extractor, "respond to 1220 Oak", "ADDRESS") == [("1220 Oak", "1220 OAK")]
    assert found(bare_extractor, "send 3 units now", "ADDRESS") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at Fifth and Washington", ("Fifth and Washington", "5TH ST & WASHINGTON AVE")),
        (
            "traffic stop at 5th in Washington.",
            ("5th in Washington", "5TH ST & WASHINGTON AVE"),
        ),  # ASR's "and"
        ("Maple Avenue and 3rd Street", ("Maple Avenue and 3rd Street", "MAPLE AVE & 3RD ST")),
        ("Maple Avenue & Third Street", ("Maple Avenue & Third Street", "MAPLE AVE & 3RD ST")),
        (
            "crash at Oak n Washington Avenue",
            ("Oak n Washington Avenue", "OAK ST & WASHINGTON AVE"),
        ),
        ("Respond to Mapel and 3rd Street,", ("Mapel and 3rd Street", "MAPLE AVE & 3RD ST")),
        (
            "Respond to Mole and Washington Avenue",
            ("Mole and Washington Avenue", "MAPLE AVE & WASHINGTON AVE"),
        ),
        (
            "Responded Jefferson Street, and Hamilton Street,",
            ("Jefferson Street, and Hamilton Street", "JEFFERSON ST & HAMILTON ST"),
        ),
        ("Respond to Pine and 7 for a", ("Pine and 7", "PINE ST & 7TH ST")),  # the ASR dropped "th"
    ],
)
def test_intersection(extractor: EntityExtractor, text: str, expected: tuple[str, str]) -> None:
    assert found(extractor, text, "INTERSECTION") == [expected]


def test_intersection_without_gazetteer(bare_extractor: EntityExtractor) -> None:
    assert found(bare_extractor, "at Fifth and Washington", "INTERSECTION") == [
        ("Fifth and Washington", "5TH & WASHINGTON")
    ]
    assert found(bare_extractor, "Maple Avenue and 3rd Street", "INTERSECTION") == [
        ("Maple Avenue and 3rd Street", "MAPLE AVE & 3RD ST")
    ]
    assert found(bare_extractor, "John and Mary are on scene", "INTERSECTION") == []
    assert found(bare_extractor, "Medic 4 and Engine 12 respond", "INTERSECTION") == []


def test_an_address_is_not_a_corner(extractor: EntityExtractor) -> None:
    ents = extractor.extract("Car 31, domestic at 4.56 Maple Avenue in 3rd Street.")
    assert [(e.label, e.normalized) for e in ents if e.label in ("ADDRESS", "INTERSECTION")] == [
        ("ADDRESS", "456 MAPLE AVE")
    ]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("Engine 12, Medic 4, respond", ["Engine 12", "Medic 4"]),
        ("Engine twelve, Medic four", ["Engine 12", "Medic 4"]),
        ("Ladder three, Battalion one", ["Ladder 3", "Battalion 1"]),
        ("Unit twenty three, Car 31", ["Unit 23", "Car 31"]),
        ("Engine 12. Metic 4. Respond", ["Engine 12", "Medic 4"]),  # ASR spellings by ear
        ("Latter 3, Battalion 1,", ["Ladder 3", "Battalion 1"]),
        ("Medics 7 respond", ["Medic 7"]),
    ],
)
def test_unit(extractor: EntityExtractor, text: str, units: list[str]) -> None:
    assert [n for _, n in found(extractor, text, "UNIT")] == units


def test_misheard_units_are_less_sure(extractor: EntityExtractor) -> None:
    sure, misheard = [e for e in extractor.extract("Medic 4, Metic 4") if e.label == "UNIT"]
    assert misheard.confidence < sure.confidence


@pytest.mark.parametrize(
    ("text", "code", "meaning"),
    [
        ("Unit 23, 10-4.", "10-4", "Acknowledged"),
        ("ten four", "10-4", "Acknowledged"),
        ("Engine 5 ten twenty three", "10-23", "Arrived on scene"),
        ("show me 10 - 8", "10-8", "In service"),
        ("North Elm Street, 1076.", "10-76", "En route"),  # ASR ran the code together
        ("10-50 two vehicle", "10-50", "Vehicle accident"),
        ("Car 58, N-8 Car 58", "10-8", "In service"),  # "ten" clipped to "N"
        ("counterparty pigs, N-23, Car 46", "10-23", "Arrived on scene"),
        ("Unit 69, and 23, One Trapped", "10-23", "Arrived on scene"),  # "ten" as "and"
    ],
)
def test_ten_code(extractor: EntityExtractor, text: str, code: str, meaning: str) -> None:
    [entity] = [e for e in extractor.extract(text) if e.label == "TEN_CODE"]
    assert (entity.normalized, entity.detail) == (code, meaning)


def test_run_together_number_that_is_no_code(extractor: EntityExtractor) -> None:
    assert found(extractor, "we have 1003 gallons", "TEN_CODE") == []


def test_clipped_code_only_when_the_table_knows_it(extractor: EntityExtractor) -> None:
    assert found(extractor, "Unit 4, N-312, Unit 4, 10-4", "TEN_CODE") == [("10-4", "10-4")]
    # a callsign's "and" before a number is "ten" only right after it, and for a known code
    assert found(extractor, "Engine 3, and Ladder 23, respond", "TEN_CODE") == []
    assert found(extractor, "Unit 6, and 5, on scene", "TEN_CODE") == []  # one digit: a list
    assert found(extractor, "Unit 6, and 23 units", "TEN_CODE") == []
    [clipped] = [e for e in extractor.extract("Car 5, N-8") if e.label == "TEN_CODE"]
    [whole] = [e for e in extractor.extract("Car 5, 10-8") if e.label == "TEN_CODE"]
    assert clipped.confidence < whole.confidence


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("for a structure fire", "STRUCTURE_FIRE"),
        ("Motor Vehicle Accident, Interstate 65", "MVA"),
        ("two vehicle wreck", "MVA"),
        ("domestic disturbance at", "DOMESTIC"),
        ("commercial fire alarm", "FIRE_ALARM"),
        ("alarm activation", "ALARM"),
        ("possible overdose", "OVERDOSE"),
    ],
)
def test_incident_type(extractor: EntityExtractor, text: str, code: str) -> None:
    assert [n for _, n in found(extractor, text, "INCIDENT_TYPE")] == [code]


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("plate Adam Boy Charles 1 2 3", "ABC123"),
        ("Alabama tag Adam Boy Charles one two three.", "ABC123"),
        ("Play Adam Boy Charles 1-2-3.", "ABC123"),  # ASR's "plate"
        ("tag Xray Young Zebra 4 5 6 7", "XYZ4567"),
        ("tag X-ray Nora Ocean 9 9 0", "XNO990"),
        ("comes back Alpha Bravo Charlie 1 2 3 valid", "ABC123"),  # NATO, no cue word
        ("registration Tom Henry twenty three", "TH23"),
    ],
)
def test_plate(extractor: EntityExtractor, text: str, plate: str) -> None:
    assert [n for _, n in found(extractor, text, "PLATE")] == [plate]


def test_names_are_not_plates(extractor: EntityExtractor) -> None:
    assert found(extractor, "Paul said King Street is closed", "PLATE") == []
    assert found(extractor, "Mary and John on scene", "PLATE") == []


@pytest.mark.parametrize(
    ("text", "highway"),
    [
        ("Interstate 65 northbound", "I-65"),
        ("I sixty five southbound", "I-65"),
        ("I-65 at the bridge", "I-65"),
        ("U S eighty two", "US-82"),
        ("US 82 eastbound", "US-82"),
        ("Highway 82", "US-82"),  # the county's road 82 is a US route
        ("Alabama fourteen westbound", "AL-14"),
        ("State Route 9", "SR-9"),
    ],
)
def test_highway(extractor: EntityExtractor, text: str, highway: str) -> None:
    assert [n for _, n in found(extractor, text, "HIGHWAY")] == [highway]


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("at mile marker 42", "42"),
        ("at Mile Marker one seventy six", "176"),
        ("mile marker forty two point five", "42.5"),
        ("mile marker 42.5, one lane blocked", "42.5"),
        ("milepost 180", "180"),
        ("Eastbound at Mallmarker 149, one lane", "149"),  # ASR's one-word "mile marker"
        ("2 e-spound at Maumarker 152, 1 lane", "152"),  # "mile" run in, its L lost
        ("Westbound at Maumarca 131, Call a report", "131"),
        ("a 65 southbound at Mount Marker 181, and", "181"),  # "mile" heard as a word
    ],
)
def test_mile_marker(extractor: EntityExtractor, text: str, marker: str) -> None:
    assert [n for _, n in found(extractor, text, "MILE_MARKER")] == [marker]


@pytest.mark.parametrize(
    "text",
    [
        "meet me at the market 12 minutes",  # no "marker"
        "Engine 5, Marker 12, on scene",  # "marker" alone says no mile
        "Medic 3, my remarks 14",  # not one word for "mile marker"
    ],
)
def test_no_mile_marker(extractor: EntityExtractor, text: str) -> None:
    assert found(extractor, text, "MILE_MARKER") == []


def test_a_whole_call(extractor: EntityExtractor) -> None:
    text = "Ladder three, Battalion one, MVA, I sixty five northbound at mile marker one seventy six, ten four."
    labels = [(e.label, e.normalized) for e in extractor.extract(text)]
    assert labels == [
        ("UNIT", "Ladder 3"),
        ("UNIT", "Battalion 1"),
        ("INCIDENT_TYPE", "MVA"),
        ("HIGHWAY", "I-65"),
        ("MILE_MARKER", "176"),
        ("TEN_CODE", "10-4"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tiny.en on the simulator's radio calls, with what the dispatcher said
        # "six seventy Fifth Street": the tens word fused into the ordinal
        ("Respond to 6-75th Street, Reference", ("6-75th Street", "670 5TH ST")),
        # "five eighty Seventh": no number needs confirming
        ("respond to 5-87th Street", ("5-87th Street", "580 7TH ST")),
        # "four ten Seventh Street": the ordinal written as a bare number
        ("Respond to 4, 10-7, Street, Possible", ("4, 10-7, Street", "410 7TH ST")),
        ("Respond to 410-7, Street, Possible", ("410-7, Street", "410 7TH ST")),
        # the whole number fused into the ordinal: "six thirty Fifth", "eight sixty Fifth"
        ("Respond to 635th Street, Medical Call", ("635th Street", "630 5TH ST")),
        ("Respond to 865th Street for a reported", ("865th Street", "860 5TH ST")),
        # "two ninety two Third Street": a tens group and its unit
        ("Respond to 290-2-3rd Street, Unresponsive", ("290-2-3rd Street", "292 3RD ST")),
        # "three twelve": digit by digit, joined by a comma and a hyphen at once
        ("Respond to 3, 1-2 Hamilton Street, Fall", ("3, 1-2 Hamilton Street", "312 HAMILTON ST")),
    ],
)
def test_address_number_and_numbered_street_read_apart(
    extractor: EntityExtractor, text: str, expected: tuple[str, str]
) -> None:
    assert found(extractor, text, "ADDRESS") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "three nineteen": 390 is not on Hickory Street, 319 is
        # 390 lies between Hickory's listed numbers: it may simply be unlisted, so it is kept
        # (the numbers module repairs a number beyond them)
        ("respond to 390 Hickory Street, reference", ("390 Hickory Street", "390 HICKORY ST")),
        ("respond to 391 Hickory Street", ("391 Hickory Street", "391 HICKORY ST")),  # listed
        ("respond to 395 Hickory Street", ("395 Hickory Street", "395 HICKORY ST")),  # no reading
        # "four ten Eighth Street", "eight sixty Eighth", "two oh two Fourth", as tiny.en
        # wrote them
        ("Respond to 4, 10-8, Street, Possible", ("4, 10-8, Street", "410 8TH ST")),
        ("Respond to 418 Street, Medical Call", ("418 Street", "410 8TH ST")),
        ("Respond to 2024th Street for a reported", ("2024th Street", "202 4TH ST")),
        # "four" heard as "for": "two seventy four", "four thirteen"
        ("Respond to 270 for Holly Street, Marbury", ("270 for Holly Street", "274 HOLLY ST")),
        ("Respondal 4, 1-3 Main Street, Fall", ("4, 1-3 Main Street", "413 MAIN ST")),
        # "six fourteen Ninth Street" fused ("forty ninth"); 640 lies between 9th Street's
        # listed numbers, so no teen/ty reading replaces it
        ("Respond to 6, 49th Street, Overdose", ("6, 49th Street", "640 9TH ST")),
        # "twelve twenty" is listed; "twelve fifty" is not, and its readings are neither
        ("respond to 12-20 Oak Street", ("12-20 Oak Street", "1220 OAK ST")),
        ("respond to 1250 Oak Street", ("1250 Oak Street", "1250 OAK ST")),
        # 1230 is not listed, but 1213 is not either: kept as heard
        ("respond to 1230 Oak Street", ("1230 Oak Street", "1230 OAK ST")),
    ],
)
def test_misheard_house_number_confirmed_by_the_address_file(
    numbered_extractor: EntityExtractor, text: str, expected: tuple[str, str]
) -> None:
    assert found(numbered_extractor, text, "ADDRESS") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Car 31, 10-8, Street closed at the bridge",  # a ten-code, not 10 8th Street
        "Engine 4, Street is blocked",
        "respond to 410 7 Avenue",  # the county has a 7th Street, no 7th Avenue
        "Car 42, respond to for 108 Street, reference alarm",  # no "one hundred Eighth"
        "Engine 12 respond to 12 for a structure fire",  # "for" before no street
    ],
)
def test_no_address_from_a_code_before_a_suffix(extractor: EntityExtractor, text: str) -> None:
    assert found(extractor, text, "ADDRESS") == []


def test_a_county_numbered_street_is_not_read_apart(numbered_extractor: EntityExtractor) -> None:
    # With no 22nd Street but a 2nd, "1220 22nd" still is not 12202 2nd: only a one- or
    # two-digit first pair takes a fused tens word; and a street the county does not have
    # is no address.
    assert found(numbered_extractor, "respond to 1220 22nd Street", "ADDRESS") == []
    # "seventieth" swallowed no tens word, so it is not read apart either
    assert found(numbered_extractor, "respond to 5-70th Street", "ADDRESS") == []
