"""The garbage collector stays out of the way while cases are read, analysed and assembled.

The analyzer allocates millions of small objects that live as long as their case (YAML
nodes, sentences, statements, mentions, table rows) and makes almost no reference cycles
(98 objects for a whole 300-document case). Python's collector, run every 700 new objects,
scans the young ones again and again, and everything alive at each full collection: it took
a tenth of the engine's time, half of reading a 5,000-document case.yaml and a third of
unpickling a case analysed by workers. So it is paused while that work runs; it resumes
after, and collects the few cycles then.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (nested blocks too); the collector resumes after it.

    Also a decorator: ``@collector.paused()`` pauses it during each call.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
