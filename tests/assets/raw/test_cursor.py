from assets.raw.cursor import Batch, BatchState, IngestCursor, batch_state

OK, FAIL, RUN = BatchState.SUCCEEDED, BatchState.FAILED, BatchState.RUNNING


def _cursor() -> IngestCursor:
    c = IngestCursor(stored=10)
    c.add(Batch("a", 20))
    c.add(Batch("b", 30))
    c.add(Batch("c", 40))
    return c


def test_stored_advances_only_through_succeeded_prefix():
    c = _cursor()
    c.settle({"a": OK, "b": RUN, "c": OK})
    assert c.stored == 20 and [b.batch_id for b in c.inflight] == ["b", "c"]
    assert c.requested == 40
    c.settle({"b": OK, "c": OK})
    assert c.stored == 40 and not c.inflight


def test_failed_batch_rewinds_the_scan_to_the_failure():
    c = _cursor()
    c.settle({"a": OK, "b": FAIL, "c": OK})
    assert c.stored == 20
    assert c.inflight == [] and c.requested == 20  # b's and c's calls are found again


def test_unordered_batches_settle_independently():
    c = IngestCursor()
    c.add(Batch("x", refs=["k1"]))
    c.add(Batch("y", refs=["k2"]))
    c.settle({"x": FAIL, "y": RUN}, ordered=False)
    assert c.inflight_refs == {"k2"}  # k1 is eligible again


def test_round_trip_through_text():
    c = _cursor()
    c.inflight[0].refs = ["r"]
    again = IngestCursor.loads(c.dumps())
    assert again == c
    assert IngestCursor.loads(None) == IngestCursor()


def test_batch_state_from_runs():
    assert batch_state([True, True], 2, 1.0, 600) is OK
    assert batch_state([True], 2, 1.0, 600) is RUN
    assert batch_state([True, False], 2, 1.0, 600) is FAIL
    assert batch_state([None], 1, 1.0, 600) is RUN
    assert batch_state([], 1, 1.0, 600) is RUN
    assert batch_state([], 1, 601.0, 600) is FAIL  # a request that never became a run
