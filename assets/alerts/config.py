"""The alerts YAML: keyword groups, their filters, channels and subscriptions.

The same file is read by the pipeline, the app and notebooks (``load_config(path)``); its
path is the ``notifier`` resource's ``config_path`` (``SCANLAKE_ALERTS_CONFIG``). See
``alerts.example.yaml`` beside this module for every key. Unknown keys are errors, so a
typo never silently turns a filter off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from assets.alerts.geofence import Area, Circle, Geofence, check_lat_lon
from assets.alerts.matching import Term
from resources.notify.channels import ChannelSpec

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TOP = {
    "version",
    "snippet_words",
    "incident_labels",
    "timezone",
    "channels",
    "keyword_groups",
    "incident_rules",
    "subscriptions",
}
_FILTER_KEYS = {"talkgroups", "incident_types", "geofence"}
_GROUP_KEYS = {
    "words",
    "phrases",
    "regexes",
    "not",
    "not_regexes",
    "veto",
    "veto_regexes",
    "tones",
} | _FILTER_KEYS
_SUB_KEYS = {"name", "groups", "channels"} | _FILTER_KEYS
_INCIDENT_RULE_KEYS = {"incident_types", "geofence"}
_CHANNEL_KEYS = {"url_env", "signing_secret_env", "resend_in_doubt"}


class BadAlertConfig(ValueError):
    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"alerts config {where}: {detail}")
        self.where = where
        self.detail = detail


@dataclass(frozen=True)
class Filters:
    """Conditions on the call; every one that is set must hold."""

    talkgroups: tuple[re.Pattern[str], ...] = ()  # searched in "talkgroup@system"
    incident_types: frozenset[str] = frozenset()
    geofence: Geofence | None = None


@dataclass(frozen=True)
class KeywordGroup:
    name: str
    terms: tuple[Term, ...]
    negations: tuple[Term, ...] = ()
    vetoes: tuple[Term, ...] = ()
    filters: Filters = field(default_factory=Filters)
    # tone-outs: station names of the tones layer's station plan; paging one is a match
    tones: frozenset[str] = frozenset()


@dataclass(frozen=True)
class IncidentRule:
    """"A new incident of one of these types inside this geofence": matched once per
    incident, on the day of its first call. Subscriptions name it like a keyword group."""

    name: str
    incident_types: frozenset[str] = frozenset()  # canonical: lower case, "_" for spaces
    geofence: Geofence | None = None


def incident_type_key(value: str) -> str:
    return "_".join(value.strip().lower().replace("-", " ").split())


@dataclass(frozen=True)
class Subscription:
    name: str
    groups: tuple[str, ...]
    channels: tuple[str, ...]
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True)
class AlertConfig:
    groups: Mapping[str, KeywordGroup] = field(default_factory=dict)
    subscriptions: tuple[Subscription, ...] = ()
    channels: Mapping[str, ChannelSpec] = field(default_factory=dict)
    snippet_words: int = 12
    incident_labels: frozenset[str] = frozenset({"INCIDENT_TYPE"})
    timezone: str = "UTC"
    incident_rules: Mapping[str, IncidentRule] = field(default_factory=dict)


def default_url_env(channel: str) -> str:
    return "SCANLAKE_NOTIFY_" + re.sub(r"[^A-Z0-9]+", "_", channel.upper()).strip("_")


def load_config(path: str | Path) -> AlertConfig:
    """Read the YAML; a missing file is an empty configuration (no alerts)."""
    path = Path(path)
    if not path.exists():
        return AlertConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BadAlertConfig(str(path), f"not valid YAML: {exc}") from exc
    return parse_config(data or {}, str(path))


def parse_config(data: Any, where: str = "<config>") -> AlertConfig:
    top = _mapping(data, where, _TOP)
    if top.get("version", 1) != 1:
        raise BadAlertConfig(where, f"unknown version {top['version']!r}")
    channels = {
        name: _channel(name, spec, f"{where}: channels.{name}")
        for name, spec in _mapping(top.get("channels") or {}, f"{where}: channels").items()
    }
    groups = {
        name: _group(name, spec, f"{where}: keyword_groups.{name}")
        for name, spec in _mapping(
            top.get("keyword_groups") or {}, f"{where}: keyword_groups"
        ).items()
    }
    rules = {
        name: _incident_rule(name, spec, f"{where}: incident_rules.{name}")
        for name, spec in _mapping(
            top.get("incident_rules") or {}, f"{where}: incident_rules"
        ).items()
    }
    if clash := sorted(set(rules) & set(groups)):
        raise BadAlertConfig(where, f"{clash} is both a keyword group and an incident rule")
    subs = tuple(
        _subscription(spec, f"{where}: subscriptions[{i}]", {**groups, **rules}, channels)
        for i, spec in enumerate(_list(top.get("subscriptions") or [], f"{where}: subscriptions"))
    )
    snippet_words = top.get("snippet_words", 12)
    if not isinstance(snippet_words, int) or not 0 <= snippet_words <= 200:
        raise BadAlertConfig(where, "snippet_words must be an integer from 0 to 200")
    timezone = str(top.get("timezone", "UTC"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadAlertConfig(where, f"unknown timezone {timezone!r}") from exc
    labels = _strings(top.get("incident_labels", ["INCIDENT_TYPE"]), f"{where}: incident_labels")
    return AlertConfig(
        groups, subs, channels, snippet_words, frozenset(labels), timezone, rules
    )


def _channel(name: str, spec: Any, where: str) -> ChannelSpec:
    _check_name(name, where)
    spec = _mapping(spec or {}, where, _CHANNEL_KEYS)
    url_env = str(spec.get("url_env") or default_url_env(name))
    secret_env = spec.get("signing_secret_env")
    resend = spec.get("resend_in_doubt", False)
    if not isinstance(resend, bool):
        raise BadAlertConfig(where, "resend_in_doubt must be true or false")
    return ChannelSpec(name, url_env, str(secret_env) if secret_env else None, resend)


def _group(name: str, spec: Any, where: str) -> KeywordGroup:
    _check_name(name, where)
    spec = _mapping(spec, where, _GROUP_KEYS)
    try:
        terms = tuple(Term.phrase(t) for t in _strings(spec.get("words", []), where))
        terms += tuple(Term.phrase(t) for t in _strings(spec.get("phrases", []), where))
        terms += tuple(Term.pattern(t) for t in _strings(spec.get("regexes", []), where))
        negations = tuple(Term.phrase(t) for t in _strings(spec.get("not", []), where))
        negations += tuple(Term.pattern(t) for t in _strings(spec.get("not_regexes", []), where))
        vetoes = tuple(Term.phrase(t) for t in _strings(spec.get("veto", []), where))
        vetoes += tuple(Term.pattern(t) for t in _strings(spec.get("veto_regexes", []), where))
    except ValueError as exc:
        raise BadAlertConfig(where, str(exc)) from exc
    stations = frozenset(_strings(spec.get("tones", []), where))
    if not terms and not stations:
        raise BadAlertConfig(
            where, "a keyword group needs at least one word, phrase, regex or tone station"
        )
    return KeywordGroup(name, terms, negations, vetoes, _filters(spec, where), stations)


def _incident_rule(name: str, spec: Any, where: str) -> IncidentRule:
    _check_name(name, where)
    spec = _mapping(spec or {}, where, _INCIDENT_RULE_KEYS)
    types = frozenset(incident_type_key(t) for t in _strings(spec.get("incident_types", []), where))
    fence = spec.get("geofence")
    if not types and not fence:
        raise BadAlertConfig(where, "an incident rule needs incident_types, a geofence or both")
    return IncidentRule(name, types, _geofence(fence, f"{where}.geofence") if fence else None)


def _subscription(
    spec: Any,
    where: str,
    groups: Mapping[str, KeywordGroup | IncidentRule],
    channels: Mapping[str, ChannelSpec],
) -> Subscription:
    spec = _mapping(spec, where, _SUB_KEYS)
    name = str(spec.get("name") or where)
    sub_groups = _strings(spec.get("groups", []), where)
    sub_channels = _strings(spec.get("channels", []), where)
    if not sub_groups or not sub_channels:
        raise BadAlertConfig(where, "a subscription needs groups and channels")
    for g in sub_groups:
        if g not in groups:
            raise BadAlertConfig(where, f"unknown keyword group or incident rule {g!r}")
    for c in sub_channels:
        if c not in channels:
            raise BadAlertConfig(where, f"unknown channel {c!r} (declare it under channels:)")
    return Subscription(name, tuple(sub_groups), tuple(sub_channels), _filters(spec, where))


def _filters(spec: Mapping[str, Any], where: str) -> Filters:
    talkgroups = []
    for pattern in _strings(spec.get("talkgroups", []), where):
        try:
            talkgroups.append(re.compile(pattern))
        except re.error as exc:
            raise BadAlertConfig(where, f"bad talkgroup regex {pattern!r}: {exc}") from exc
    incidents = frozenset(
        s.strip().lower() for s in _strings(spec.get("incident_types", []), where)
    )
    fence = spec.get("geofence")
    return Filters(
        tuple(talkgroups), incidents, _geofence(fence, f"{where}.geofence") if fence else None
    )


def _geofence(spec: Any, where: str) -> Geofence:
    spec = _mapping(spec, where, {"center", "radius_m", "polygon"})
    try:
        if "polygon" in spec:
            if "center" in spec or "radius_m" in spec:
                raise ValueError("give either polygon or center and radius_m, not both")
            vertices = tuple(_lat_lon(v) for v in _list(spec["polygon"], where))
            return Area(vertices)
        lat, lon = _lat_lon(spec.get("center"))
        radius = spec.get("radius_m")
        if not isinstance(radius, int | float) or radius <= 0:
            raise ValueError("radius_m must be a positive number of metres")
        return Circle(lat, lon, float(radius))
    except (ValueError, TypeError) as exc:
        raise BadAlertConfig(where, str(exc)) from exc


def _lat_lon(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"{value!r} is not a [lat, lon] pair")
    lat, lon = float(value[0]), float(value[1])
    check_lat_lon(lat, lon)
    return lat, lon


def _mapping(value: Any, where: str, allowed: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadAlertConfig(where, "expected a mapping")
    if allowed is not None and (unknown := set(map(str, value)) - allowed):
        raise BadAlertConfig(where, f"unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
    return {str(k): v for k, v in value.items()}


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise BadAlertConfig(where, "expected a list")
    return value


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    items = _list(value, where)
    if not all(isinstance(v, str | int | float) for v in items):
        raise BadAlertConfig(where, "expected a list of strings")
    return [str(v) for v in items]


def _check_name(name: str, where: str) -> None:
    if not _NAME.match(str(name)):
        raise BadAlertConfig(where, f"name {name!r} must be letters, digits, '.', '_' or '-'")
