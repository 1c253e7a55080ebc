"""The garbage collector is paused while a case is analysed, and resumes after."""
from __future__ import annotations

import gc

import pytest

from analyzer import collector


def test_paused_resumes_the_collector_after_the_block_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector.paused():
            assert not gc.isenabled()
            raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_pauses_resume_only_at_the_outermost():
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator_it_pauses_each_call():
    @collector.paused()
    def enabled_inside() -> bool:
        return gc.isenabled()

    assert not enabled_inside() and not enabled_inside()
    assert gc.isenabled()
