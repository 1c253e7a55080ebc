"""Crisis communication transparency analyzer: who said what, when, and what each side left out.

    >>> import analyzer
    >>> result = analyzer.analyze_case("corpora/mma-2020")
    >>> result.disclosures.query("disclosed").groupby("party").fact.count()

The public names are imported on first use (PEP 562), so `import analyzer` and
`transparency --help` do not load NLTK, pandas or scikit-learn.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = ["CaseError", "CaseResult", "analyze_case", "write_result"]
__version__ = "0.1.0"

_PUBLIC = {"CaseError": "errors", "CaseResult": "pipeline", "analyze_case": "pipeline", "write_result": "pipeline"}

if TYPE_CHECKING:  # pragma: no cover
    from .errors import CaseError
    from .pipeline import CaseResult, analyze_case, write_result


def __getattr__(name: str) -> object:
    """A public name, imported from its module on first use."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'analyzer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
