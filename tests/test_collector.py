import gc

import pytest

from llmkb.collector import cycle_collection_paused


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("enabled_before", [True, False])
def test_paused_inside_and_as_it_was_after(collector_state, enabled_before):
    (gc.enable if enabled_before else gc.disable)()
    with cycle_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled_before


def test_back_on_after_an_error(collector_state):
    gc.enable()
    with pytest.raises(RuntimeError), cycle_collection_paused():
        raise RuntimeError("stage failed")
    assert gc.isenabled()
