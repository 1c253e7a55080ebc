"""The garbage collector's pace while cases are read, analysed and assembled.

The analyzer allocates millions of small objects that live as long as their case (YAML
nodes, sentences, statements, mentions, table rows) and makes almost no reference cycles.
With Python's default pace, a young-generation collection every 700 allocations and full
collections over everything alive, the collector took a tenth of the engine's time, half of
reading a 5,000-document case.yaml and half of unpickling a case analysed by workers.
Nothing is left uncollected: the collector only runs less often, and fully at the end.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG_THRESHOLD = 100_000  # allocations between two young-generation collections (Python's default: 700)


@contextlib.contextmanager
def sparse() -> Iterator[None]:
    """Collect rarely inside the block (every YOUNG_THRESHOLD allocations); the pace is restored after."""
    previous = gc.get_threshold()
    gc.set_threshold(max(YOUNG_THRESHOLD, previous[0]), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """The objects that exist now (an analysed case) live through the block: the collector leaves
    them out of its scans until it ends (`gc.freeze`), and collects rarely meanwhile (`sparse`)."""
    gc.freeze()
    try:
        with sparse():
            yield
    finally:
        gc.unfreeze()
