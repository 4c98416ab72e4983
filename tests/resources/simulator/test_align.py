from resources.simulator.align import partition, share


def test_partition_follows_group_sizes():
    # "for a domestic": espeak-ng says "fɚɹə" (4) "dəmˈɛstɪk" (9); alone: 5, 1, 9
    assert partition([4, 9], [5, 1, 9]) in ([2, 1], [1, 2])
    assert partition([5, 1, 9], [5, 1, 9]) == [1, 1, 1]
    assert partition([3, 12], [3, 4, 8]) == [1, 2]
    assert partition([1, 2, 3], [3]) is None


def test_share_hands_out_whole_units_by_weight():
    assert share([0.0, 1.0, 2.0, 3.0, 4.0], [3, 1]) == [(0.0, 3.0), (3.0, 4.0)]
    assert share([0.0, 1.0], [1]) == [(0.0, 1.0)]
    # fewer units than words: time is split in proportion
    assert share([0.0, 3.0], [1, 2]) == [(0.0, 1.0), (1.0, 3.0)]
    # every word gets at least one unit
    spans = share([0.0, 1.0, 2.0, 3.0], [10, 1, 1])
    assert [b - a for a, b in spans] == [1.0, 1.0, 1.0]
