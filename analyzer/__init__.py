"""Crisis communication transparency analyzer: who said what, when, and what each side left out.

    >>> import analyzer
    >>> result = analyzer.analyze_case("corpora/mma-2020")
    >>> result.disclosures.query("disclosed").groupby("party").fact.count()
"""
from .errors import CaseError
from .pipeline import CaseResult, analyze_case, write_result

__all__ = ["CaseError", "CaseResult", "analyze_case", "write_result"]
__version__ = "0.1.0"
