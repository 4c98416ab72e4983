"""The micro-batch interval is read in one place: the sensors and the dashboards agree."""

from dashboards.settings import refresh_interval_s
from resources.micro_batch import DEFAULT_SENSOR_INTERVAL_S, SENSOR_INTERVAL_ENV, sensor_interval_s


def test_sensors_and_dashboards_read_one_interval(monkeypatch):
    monkeypatch.delenv(SENSOR_INTERVAL_ENV, raising=False)
    assert sensor_interval_s() == DEFAULT_SENSOR_INTERVAL_S == 5
    assert refresh_interval_s() == 5.0
    monkeypatch.setenv(SENSOR_INTERVAL_ENV, "7")
    assert sensor_interval_s() == 7
    assert refresh_interval_s() == 7.0
