"""The one ``Definitions`` of scanlake: each layer's own definitions, merged, plus the
shared resources and the executor. ``dagster dev`` loads this through workspace.yaml."""

import dagster as dg

from assets.alerts import assets as alerts
from assets.aliases import assets as aliases
from assets.audio import assets as audio
from assets.duplicates import assets as duplicates
from assets.entities import assets as entities
from assets.geo import assets as geo
from assets.incidents import assets as incidents
from assets.maintenance import assets as maintenance
from assets.raw import assets as raw
from assets.tones import assets as tones
from assets.transcripts import assets as transcripts
from orchestration.executors import multiprocess
from orchestration.jobs import build_jobs
from orchestration.resources import build_resources

LAYERS = [
    raw.defs,
    audio.defs,
    duplicates.defs,
    tones.defs,
    transcripts.defs,
    entities.defs,
    geo.defs,
    incidents.defs,
    alerts.defs,
    maintenance.defs,
    aliases.defs,
]

defs = dg.Definitions.merge(
    *LAYERS,
    build_jobs(LAYERS),
    dg.Definitions(resources=build_resources(), executor=multiprocess),
)
