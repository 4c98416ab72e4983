"""Traffic placed to end at a given time (the demo ends its traffic at "now")."""

import datetime as dt

import pytest

from resources.simulator import traffic


@pytest.mark.parametrize("calls,seed", [(8, 11), (60, 7), (150, 3)])
def test_traffic_placed_to_end_by_a_time_ends_just_before_it(calls, seed):
    end = dt.datetime(2026, 12, 5, 4, 58, 12, tzinfo=dt.UTC)
    start = traffic.start_ending_at(calls, seed, end)
    planned = traffic.plan(calls, seed, start)
    last = traffic.last_call_end(planned)
    assert len(planned) == calls
    assert last is not None and last <= end
    # the last call ends within a couple of minutes of the asked end, not hours before it
    assert end - last < dt.timedelta(minutes=3)
    assert all(c.start_time >= start for c in planned)


def test_no_calls_end_at_the_asked_time():
    end = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
    assert traffic.start_ending_at(0, 1, end) == end
