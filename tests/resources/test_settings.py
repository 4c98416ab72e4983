"""Settings names: each resource names its own variables, and the README lists them all."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import pytest

from resources.asr.resource import TranscriberResource
from resources.broadcastify.resource import BroadcastifyResource
from resources.geocoding.resource import GeocoderResource
from resources.lake import LakeResource
from resources.notify.resource import NotifierResource
from resources.retention import RetentionResource
from resources.settings import env_config, from_env
from resources.tones import ToneDetectorResource
from resources.trunk_recorder.resource import TrunkRecorderSource

RESOURCES = (
    LakeResource, BroadcastifyResource, TranscriberResource, GeocoderResource, NotifierResource,
    ToneDetectorResource, RetentionResource, TrunkRecorderSource,
)
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.__name__)
def test_every_variable_names_a_field_of_its_resource(resource: type[dg.ConfigurableResource]):
    assert resource.ENV and set(resource.ENV) <= set(resource.model_fields)


def test_the_readme_settings_table_lists_every_variable():
    table = README.read_text().split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    documented |= {f"SCANLAKE_RETENTION_{rule.upper()}_DAYS" for rule in RetentionResource().policy().days}
    names = {var for resource in RESOURCES for var in resource.ENV.values()}
    assert names - documented == set()


def test_set_variables_become_env_vars_and_unset_ones_keep_the_defaults():
    env = {"SCANLAKE_BCFY_API_KEY": "secret", "SCANLAKE_BCFY_SID": "7", "SCANLAKE_ASR_DEVICE": ""}
    kwargs = env_config(BroadcastifyResource, env)
    assert set(kwargs) == {"api_key_secret", "sid"}
    assert kwargs["api_key_secret"] == dg.EnvVar("SCANLAKE_BCFY_API_KEY")
    assert kwargs["sid"].env_var_name == "SCANLAKE_BCFY_SID"
    assert env_config(TranscriberResource, env) == {}  # set but empty: the default stands
    assert from_env(NotifierResource, {}).config_path == NotifierResource().config_path


def test_a_list_comes_from_a_path_separated_variable():
    env = {"SCANLAKE_TRUNK_RECORDER_DIRS": "/a:/b:", "SCANLAKE_GEOCODER_BACKENDS": "census:gazetteer"}
    assert from_env(TrunkRecorderSource, env).capture_dirs == ["/a", "/b"]
    assert env_config(GeocoderResource, env) == {"backends": ["census", "gazetteer"]}
