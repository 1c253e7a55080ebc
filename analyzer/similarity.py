"""Text similarity: who echoes whom, and whose framing of the attack the press adopts.

Methods, each a score in [0, 1] between two documents (or two parties' statements):

- words: TF-IDF cosine on Snowball-stemmed words without the lexicon's stop words — within
  one language only (different languages share few words by accident, not by meaning);
- chars: TF-IDF cosine on character 3-5-grams (``char_wb``), within one language;
- facts: cosine of the vectors counting mentions per (fact, polarity): language-neutral;
- anchors: Jaccard overlap of language-neutral anchors — figures, dates and durations from
  the mentions' values, and proper names (capitalised words, case party names);
- cross_lingual = 0.5 × facts + 0.5 × anchors: a French and an English article on the same
  facts score higher than two same-language articles on different incidents.

Large cases never build a dense n × n matrix: products are sparse, computed by row chunks,
and above ALL_PAIRS_LIMIT items only each item's TOP_K nearest neighbours are kept.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .disclosure import parties
from .model import CaseAnalysis
from .patterns import compile_patterns, fold
from .resources import load_yaml, lexicon

METHODS = ("words", "chars", "facts", "anchors", "cross_lingual")
ALL_PAIRS_LIMIT = 200  # up to this many documents (parties), every pair is reported
TOP_K = 5  # above it, each one's nearest neighbours per method
ECHO_MIN_SCORE = 0.2
ECHO_MIN_WORDS = 4
_SNOWBALL = {"fr": "french", "en": "english", "de": "german", "es": "spanish", "it": "italian", "nl": "dutch",
             "pt": "portuguese", "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish",
             "ro": "romanian", "hu": "hungarian", "ru": "russian"}
_TOKEN = re.compile(r"\w\w+")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][\w\-]{2,}")
_ANCHOR_VALUE = re.compile(r"\d")
SIMILARITY_COLUMNS = ["level", "a", "b", "method", "score", "same_language"]
ECHO_COLUMNS = ["doc_id", "statement_id", "source_name", "source_role", "echo_doc_id", "echo_statement_id",
                "echo_source_name", "echo_source_role", "score", "method", "text", "echo_text"]
FRAMING_COLUMNS = ["level", "name", "role", "language", "n_vague", "n_specific", "vague_terms", "specific_terms",
                   "framing", "first_used_by"]


@functools.lru_cache(maxsize=None)
def _analyzer(language: str):
    """A tokenizer for TfidfVectorizer: lowercase words, no stop words, Snowball stems when available."""
    lex = lexicon(language)
    stop = lex.stopwords if lex else frozenset()
    stemmer = SnowballStemmer(_SNOWBALL[language]) if language in _SNOWBALL else None

    def analyze(text: str) -> list[str]:
        words = (w for w in _TOKEN.findall(text.lower()) if w not in stop)
        return [stemmer.stem(w) for w in words] if stemmer else list(words)
    return analyze


def _cosine_pairs(matrix: sparse.csr_matrix, chunk: int = 2000) -> dict[tuple[int, int], float]:
    """Cosine scores of row pairs (i < j): all pairs for small inputs, top-k neighbours otherwise."""
    rows = normalize(matrix.tocsr().astype(np.float64))
    return _pairs_from_products(rows, lambda block, start: block @ rows.T, chunk)


def _jaccard_pairs(matrix: sparse.csr_matrix, chunk: int = 2000) -> dict[tuple[int, int], float]:
    """Jaccard scores of binary row pairs (i < j), with the same pair selection as cosine."""
    binary = (matrix.tocsr() > 0).astype(np.float64)
    sizes = np.asarray(binary.sum(axis=1)).ravel()

    def product(block, start):
        inter = (block @ binary.T).tocoo()
        union = sizes[inter.row + start] + sizes[inter.col] - inter.data
        return sparse.csr_matrix((np.divide(inter.data, union, out=np.zeros_like(inter.data), where=union > 0),
                                  (inter.row, inter.col)), shape=inter.shape)
    return _pairs_from_products(binary, product, chunk)


def _pairs_from_products(rows: sparse.csr_matrix, product, chunk: int) -> dict[tuple[int, int], float]:
    """Score pairs from a chunked sparse product, keeping all or the top-k per row."""
    n = rows.shape[0]
    keep_all = n <= ALL_PAIRS_LIMIT
    pairs: dict[tuple[int, int], float] = {}
    for start in range(0, n, chunk):
        scores = product(rows[start:start + chunk], start).tocsr()
        for offset in range(scores.shape[0]):
            i = start + offset
            row = scores.getrow(offset)
            candidates = [(float(s), int(j)) for j, s in zip(row.indices, row.data) if j != i]
            if not keep_all:
                candidates = sorted(candidates, key=lambda c: (-c[0], c[1]))[:TOP_K]
            for score, j in candidates:
                pairs[(min(i, j), max(i, j))] = round(min(max(score, 0.0), 1.0), 6)
    if keep_all:  # pairs that share nothing score 0
        for i in range(n):
            for j in range(i + 1, n):
                pairs.setdefault((i, j), 0.0)
    return pairs


def _units(analysis: CaseAnalysis, level: str) -> list[dict]:
    """The compared items: documents in case order, or parties in party order, with their text and facts."""
    mentions = [m for d in analysis.documents for m in d.mentions]
    if level == "document":
        return [{"name": d.document.meta.id, "texts": {d.document.language: d.document.text},
                 "facts": Counter((m.fact, m.polarity) for m in d.mentions),
                 "values": [m.value for m in d.mentions]} for d in analysis.documents]
    units = []
    for party in parties(analysis):
        texts: dict[str, list[str]] = {}
        for d in analysis.documents:
            for s in d.statements:
                if s.source_name == party.name:
                    texts.setdefault(d.document.language, []).append(s.text)
        own = [m for m in mentions if m.source_name == party.name]
        if texts:
            units.append({"name": party.name, "texts": {k: " ".join(v) for k, v in texts.items()},
                          "facts": Counter((m.fact, m.polarity) for m in own), "values": [m.value for m in own]})
    return units


def _anchors(unit: dict, names: set[str]) -> set[str]:
    """Language-neutral anchors: figures, dates, durations and proper names."""
    anchors = {part.strip() for value in unit["values"] for part in value.split("; ") if _ANCHOR_VALUE.search(part)}
    for text in unit["texts"].values():
        folded = fold(text)
        anchors |= {name for name in names if name in folded}
        anchors |= {fold(match.group()) for match in _NAME.finditer(text)}
    return anchors


def _lexical(units: list[dict], method: str) -> dict[tuple[int, int], float]:
    """Within-language TF-IDF cosine for every language the units share."""
    scores: dict[tuple[int, int], float] = {}
    languages = sorted({language for unit in units for language in unit["texts"]})
    for language in languages:
        members = [i for i, unit in enumerate(units) if unit["texts"].get(language, "").strip()]
        if len(members) < 2:
            continue
        texts = [units[i]["texts"][language] for i in members]
        vectorizer = (TfidfVectorizer(analyzer=_analyzer(language)) if method == "words"
                      else TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True))
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # nothing but stop words
            continue
        for (i, j), score in _cosine_pairs(matrix).items():
            key = (members[i], members[j])
            scores[key] = max(score, scores.get(key, 0.0))
    return scores


def _level_rows(analysis: CaseAnalysis, level: str) -> list[dict]:
    """The similarity rows of one level."""
    units = _units(analysis, level)
    if len(units) < 2:
        return []
    names = {fold(alias) for party in analysis.case.parties for alias in (party.name, *party.aliases)}
    keys = sorted({key for unit in units for key in unit["facts"]})
    index = {key: k for k, key in enumerate(keys)}
    fact_matrix = sparse.csr_matrix(
        ([count for unit in units for count in unit["facts"].values()],
         ([i for i, unit in enumerate(units) for _ in unit["facts"]],
          [index[key] for unit in units for key in unit["facts"]])), shape=(len(units), max(len(keys), 1)))
    anchor_sets = [_anchors(unit, names) for unit in units]
    vocabulary = {a: k for k, a in enumerate(sorted(set().union(*anchor_sets)))}
    anchor_matrix = sparse.csr_matrix(
        ([1.0] * sum(map(len, anchor_sets)),
         ([i for i, s in enumerate(anchor_sets) for _ in s], [vocabulary[a] for s in anchor_sets for a in sorted(s)])),
        shape=(len(units), max(len(vocabulary), 1)))
    by_method = {"words": _lexical(units, "words"), "chars": _lexical(units, "chars"),
                 "facts": _cosine_pairs(fact_matrix), "anchors": _jaccard_pairs(anchor_matrix)}
    cross = set(by_method["facts"]) | set(by_method["anchors"])
    by_method["cross_lingual"] = {pair: round(0.5 * by_method["facts"].get(pair, 0.0)
                                              + 0.5 * by_method["anchors"].get(pair, 0.0), 6) for pair in cross}
    rows = []
    pairs = sorted(set().union(*map(set, by_method.values())))
    for i, j in pairs:
        same = bool(set(units[i]["texts"]) & set(units[j]["texts"]))
        for method in METHODS:
            if (i, j) in by_method[method]:
                rows.append({"level": level, "a": units[i]["name"], "b": units[j]["name"], "method": method,
                             "score": by_method[method][(i, j)], "same_language": same})
    return rows


def similarity_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """Pairs of documents, then of parties, one row per method (see the module docstring).

    Args:
        analysis: the analysed case.

    Returns:
        Columns level, a, b, method, score, same_language; pairs (a before b) in case order.
    """
    rows = _level_rows(analysis, "document") + _level_rows(analysis, "party")
    return pd.DataFrame(rows, columns=SIMILARITY_COLUMNS)


def _order_keys(analysis: CaseAnalysis) -> dict[str, tuple]:
    """When each document speaks: dated documents by date (partial dates as their first day),
    then undated ones; ties and undated documents in case order."""
    keys = {}
    for position, d in enumerate(analysis.documents):
        date = d.document.meta.date
        padded = {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)
        keys[d.document.meta.id] = (0 if date else 1, padded, position)
    return keys


def echoes_table(analysis: CaseAnalysis, top_k: int = 1, chunk_size: int = 2000) -> pd.DataFrame:
    """For each statement, the most similar earlier statement of another party or document.

    Earlier: an earlier document (see `_order_keys`), or an earlier statement of the same
    document. Character 3-5-gram TF-IDF cosine over all statements, sparse and by row chunks.

    Args:
        analysis: the analysed case.
        top_k: how many echoes to keep per statement.
        chunk_size: rows of the similarity product computed at once (memory bound).

    Returns:
        One row per (statement, echo) with score >= ECHO_MIN_SCORE, in reading order.
    """
    keys = _order_keys(analysis)
    statements = [(keys[s.doc_id] + (s.id,), s) for d in analysis.documents for s in d.statements
                  if len(_TOKEN.findall(s.text)) >= ECHO_MIN_WORDS]
    # Co-attributed clauses repeat the same text: compare each text once per source.
    if len(statements) < 2:
        return pd.DataFrame(columns=ECHO_COLUMNS)
    matrix = normalize(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(
        [s.text for _, s in statements]))
    order = [key for key, _ in statements]
    rows = []
    for start in range(0, len(statements), chunk_size):
        block = (matrix[start:start + chunk_size] @ matrix.T).tocsr()
        for offset in range(block.shape[0]):
            i = start + offset
            key, statement = statements[i]
            row = block.getrow(offset)
            candidates = []
            for j, score in zip(row.indices, row.data):
                other_key, other = statements[j]
                if other_key >= key or score < ECHO_MIN_SCORE:
                    continue
                if other.doc_id == statement.doc_id and other.source_name == statement.source_name:
                    continue
                if other.text == statement.text and other.sentence_ids == statement.sentence_ids \
                        and other.doc_id == statement.doc_id:
                    continue  # the same clause credited to two sources
                candidates.append((-round(float(score), 6), other_key, other))
            for negative, _, other in sorted(candidates, key=lambda c: (c[0], c[1]))[:top_k]:
                rows.append({"doc_id": statement.doc_id, "statement_id": statement.id,
                             "source_name": statement.source_name, "source_role": statement.source_role,
                             "echo_doc_id": other.doc_id, "echo_statement_id": other.id,
                             "echo_source_name": other.source_name, "echo_source_role": other.source_role,
                             "score": min(-negative, 1.0), "method": "chars", "text": statement.text,
                             "echo_text": other.text})
    return pd.DataFrame(rows, columns=ECHO_COLUMNS)


@functools.lru_cache(maxsize=None)
def _framing_patterns(language: str):
    """(vague regex, specific regex) for a language, or None when framing.yaml has none."""
    raw = load_yaml("framing.yaml") or {}
    entry = raw.get(language)
    if not entry:
        return None
    return compile_patterns(entry.get("vague") or []), compile_patterns(entry.get("specific") or [])


def _terms(text: str, language: str) -> tuple[list[str], list[str]]:
    """The vague and specific terms of a text, as written, in order of use."""
    patterns = _framing_patterns(language)
    if patterns is None:
        return [], []
    folded = fold(text)
    return ([text[m.start():m.end()] for m in patterns[0].finditer(folded)],
            [text[m.start():m.end()] for m in patterns[1].finditer(folded)])


def _framing(n_vague: int, n_specific: int) -> str:
    if n_specific > n_vague:
        return "specific"
    if n_vague > n_specific:
        return "vague"
    return "mixed" if n_vague else "none"


def framing_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """Which words each document and each party uses for the attack, and whose framing it adopts.

    `first_used_by` names the party whose statement used the unit's first specific term
    earliest in the case (by document order, see `_order_keys`).

    Returns:
        One row per document (case order), then per party that speaks (party order).
    """
    keys = _order_keys(analysis)
    first_user: dict[str, tuple] = {}
    per_statement = []
    for d in analysis.documents:
        for s in d.statements:
            vague, specific = _terms(s.text, d.document.language)
            per_statement.append((d, s, vague, specific))
            for term in specific:
                key = (keys[s.doc_id], s.id)
                if fold(term) not in first_user or key < first_user[fold(term)][0]:
                    first_user[fold(term)] = (key, s.source_name)
    rows = []
    for d in analysis.documents:
        vague, specific = _terms(d.document.text, d.document.language)
        rows.append(_framing_row("document", d.document.meta.id, d.document.meta.kind, d.document.language,
                                 vague, specific, first_user))
    for party in parties(analysis):
        own = [(d, v, sp) for d, s, v, sp in per_statement if s.source_name == party.name]
        if not own:
            continue
        languages = " | ".join(dict.fromkeys(d.document.language for d, _, _ in own))
        rows.append(_framing_row("party", party.name, party.role, languages,
                                 [t for _, v, _ in own for t in v], [t for _, _, sp in own for t in sp], first_user))
    return pd.DataFrame(rows, columns=FRAMING_COLUMNS)


def _framing_row(level, name, role, language, vague, specific, first_user) -> dict:
    """One framing row."""
    return {"level": level, "name": name, "role": role, "language": language, "n_vague": len(vague),
            "n_specific": len(specific), "vague_terms": " | ".join(dict.fromkeys(vague)),
            "specific_terms": " | ".join(dict.fromkeys(specific)), "framing": _framing(len(vague), len(specific)),
            "first_used_by": first_user[fold(specific[0])][1] if specific else ""}
