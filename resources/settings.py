"""Resources configured from the environment.

Each resource names its own variables in an ``ENV`` mapping (field -> variable) beside the
fields that hold their defaults, so a setting's name and default have one home.
``env_config`` turns the variables that are set into Dagster ``EnvVar`` arguments (the UI
shows where each value came from, and no secret sits in code); unset ones keep the
resource's default. ``orchestration/resources.py`` only assembles the results.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Mapping
from typing import Any

import dagster as dg

# Read by two resources: the gazetteer feeds the geocoder and the ASR vocabulary alike.
GAZETTEER_CSV_ENV = "SCANLAKE_GAZETTEER_CSV"


def _kind(annotation: object) -> type | None:
    """int, float, list or None (text) for a field's annotation, ``X | None`` unwrapped."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if annotation in (int, float):
        return annotation
    if typing.get_origin(annotation) is list:
        return list
    return None


def env_config(
    resource: type[dg.ConfigurableResource], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Keyword arguments of ``resource`` for each of its ``ENV`` variables that is set:
    an ``EnvVar`` (``EnvVar.int`` for an integer field), or for a list field the
    variable's ``os.pathsep``-separated parts (a list cannot come from one EnvVar)."""
    env = os.environ if environ is None else environ
    names: Mapping[str, str] = getattr(resource, "ENV", {})
    kwargs: dict[str, Any] = {}
    for field, var in names.items():
        if not env.get(var):
            continue
        kind = _kind(resource.model_fields[field].annotation)
        if kind is list:
            kwargs[field] = [p for p in env[var].split(os.pathsep) if p]
        elif kind is int:
            kwargs[field] = dg.EnvVar.int(var)
        elif kind is float:
            # an EnvVar holds only text or an integer; a float setting is never a secret
            kwargs[field] = float(env[var])
        else:
            kwargs[field] = dg.EnvVar(var)
    return kwargs


def from_env(resource: type[dg.ConfigurableResource], environ: Mapping[str, str] | None = None) -> Any:
    """``resource`` configured from its ``ENV`` variables (see ``env_config``)."""
    return resource(**env_config(resource, environ))
