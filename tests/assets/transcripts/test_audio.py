import io

import numpy as np
import pytest
import soundfile as sf

from assets.transcripts.audio import UnreadableAudio, read_call_audio


def encoded(samples: np.ndarray, rate: int = 16000, fmt: str = "FLAC") -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, rate, format=fmt)
    return buf.getvalue()


def test_flac_reads_back_as_float32_mono():
    tone = (0.5 * np.sin(np.linspace(0, 200, 16000))).astype(np.float32)
    out = read_call_audio(encoded(tone))
    assert out.dtype == np.float32 and out.shape == (16000,)
    assert np.allclose(out, tone, atol=1e-4)


def test_stereo_is_mixed_down():
    stereo = np.stack([np.full(800, 0.5), np.full(800, -0.25)], axis=1).astype(np.float32)
    assert np.allclose(read_call_audio(encoded(stereo, fmt="WAV")), 0.125, atol=1e-4)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"not audio at all" * 10, "undecodable"),
        (encoded(np.zeros(800, np.float32), rate=8000), "sample_rate"),
    ],
)
def test_bad_audio_is_a_typed_error(data, reason):
    with pytest.raises(UnreadableAudio) as err:
        read_call_audio(data)
    assert err.value.reason == reason
