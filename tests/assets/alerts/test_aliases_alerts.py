"""Alerts name their call with the imported aliases: the talkgroup's alias in the title
and the units heard, each beside its id, in the message and the webhook payload."""

import datetime as dt

from assets.alerts import message
from assets.alerts.config import parse_config
from assets.alerts.evaluate import evaluate, read_inputs
from assets.aliases.imports import import_files, write
from lake.tables import TALKGROUP_ALIASES, UNIT_ALIASES
from resources.aliases import AliasFile
from tests.assets.alerts.rows import Call
from tests.assets.alerts.rows import write as write_calls

NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
T0 = dt.datetime(2024, 6, 1, 11, 59, tzinfo=dt.UTC)
CONFIG = parse_config({"channels": {"hook": {}}, "keyword_groups": {"fire": {"words": ["fire"]}},
                       "subscriptions": [{"groups": ["fire"], "channels": ["hook"]}]})
UNITS = [
    {"unit_id": 911000, "tag": None, "pos_s": 0.0, "emergency": False},
    {"unit_id": 1410201, "tag": "E-20", "pos_s": 2.0, "emergency": False},
    {"unit_id": 555, "tag": "Car 5", "pos_s": 3.0, "emergency": False},
    {"unit_id": 911000, "tag": None, "pos_s": 4.0, "emergency": False},
]
FILES = {
    "units.csv": "911000,Dispatch\n1[1245]10([0-9]{2})[127],Engine $1\n",
    "tgs.csv": "Decimal,Hex,Alpha Tag,Mode,Description,Tag,Category\n1201,4b1,Metro FD Disp,D,Fire Dispatch,Fire Dispatch,Metro\n",
}


def test_alerts_carry_aliases_into_rows_messages_and_payloads(lake):
    call = Call("working fire on oak street", start=T0, units=UNITS)
    write_calls(lake, [call])
    # before any import: the recorder's own tags, ids beside them
    (before,) = evaluate(read_inputs(lake, call.day), CONFIG, NOW).to_pylist()
    assert before["talkgroup_tag"] == "Metro Fire Disp"
    assert before["units"] == ["911000", "E-20 (1410201)", "Car 5 (555)"]

    for spec, name in ((UNIT_ALIASES, "units.csv"), (TALKGROUP_ALIASES, "tgs.csv")):
        write(lake, import_files(spec, [AliasFile("metro", name)], NOW, read=FILES.__getitem__))
    (alert,) = evaluate(read_inputs(lake, call.day), CONFIG, NOW).to_pylist()
    assert alert["talkgroup_tag"] == "Metro FD Disp"
    assert alert["units"] == ["Dispatch (911000)", "Engine 20 (1410201)", "Car 5 (555)"]

    note = message.notification(alert, None)
    assert note.title == "[fire] Metro FD Disp (1201@metro)"
    assert "Units: Dispatch (911000), Engine 20 (1410201), Car 5 (555)" in note.body.splitlines()
    assert note.payload["units"] == alert["units"] and note.payload["talkgroup_tag"] == "Metro FD Disp"
