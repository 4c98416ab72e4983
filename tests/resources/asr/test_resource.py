from resources.asr.engine import DecodeOptions
from resources.asr.models import ModelSpec
from resources.asr.packing import PackingOptions
from resources.asr.resource import TranscriberResource


def test_defaults_are_the_pure_codes_defaults():
    r = TranscriberResource()
    assert r.spec() == ModelSpec()
    assert r.decode_options() == DecodeOptions()
    assert r.packing() == PackingOptions()
    assert r.model_id == "base"  # the default tier, known without joining or loading it


def test_settings_reach_the_model_spec_and_the_id():
    r = TranscriberResource(
        model="small.en", device="cuda", vad_method="pyannote", align_model="default"
    )
    spec = r.spec()
    assert (spec.model, spec.device, spec.vad_method, spec.resolved_compute_type) == (
        "small.en",
        "cuda",
        "pyannote",
        "float16",
    )
    assert r.model_id == "small.en+align-default"
    assert r.decode_options() == DecodeOptions()


def test_vocabulary_from_the_gazetteer_and_terms(tmp_path):
    csv = tmp_path / "gazetteer.csv"
    csv.write_text("LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE\n1,2,3,OAK AVE,,,,,\n")
    terms = tmp_path / "terms.json"
    terms.write_text('{"101": ["Station 3"]}')
    r = TranscriberResource(
        gazetteer_csv=str(csv), vocabulary_terms=["County General"], talkgroup_terms_json=str(terms)
    )
    vocab = r.vocabulary()
    assert vocab.streets == ("Oak Ave",) and vocab.terms == ("County General",)
    assert vocab.talkgroup_terms == {"101": ("Station 3",)}
    assert TranscriberResource(domain_prompt=False).vocabulary() is None


def test_the_sparse_re_decode_can_be_turned_off():
    assert TranscriberResource().packing().retry_sparse
    packing = TranscriberResource(retry_sparse_calls=False).packing()
    assert packing == PackingOptions(retry_sparse=False)


def test_lone_windows_can_be_given_a_short_encoder_input():
    assert TranscriberResource().decode_options().lone_min_encode_s == 0.0  # off: 30 s
    options = TranscriberResource(lone_min_encode_s=10.0).decode_options()
    assert options == DecodeOptions(lone_min_encode_s=10.0)
