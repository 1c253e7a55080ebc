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
from dataclasses import dataclass

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from . import schema
from .disclosure import parties
from .model import CaseAnalysis
from .patterns import compile_patterns, fold
from .errors import CaseError
from .resources import data_path, load_yaml, lexicon

METHODS = ("words", "chars", "facts", "anchors", "cross_lingual")
ALL_PAIRS_LIMIT = 200  # up to this many documents (parties), every pair is reported
TOP_K = 5  # above it, each one's nearest neighbours per method
ECHO_MIN_SCORE = 0.2
ECHO_MIN_WORDS = 4
BLOCK_CELLS = 4_000_000  # cells of one block of a chunked product: ~50 MB even when dense
_SNOWBALL = {"fr": "french", "en": "english", "de": "german", "es": "spanish", "it": "italian", "nl": "dutch",
             "pt": "portuguese", "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish",
             "ro": "romanian", "hu": "hungarian", "ru": "russian"}
_TOKEN = re.compile(r"\w\w+")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][\w\-]{2,}")
_ANCHOR_VALUE = re.compile(r"\d")
# Columns from analyzer/schema.py (the pipeline adds case_id in front).
SIMILARITY_COLUMNS = schema.columns("similarity")[1:]
ECHO_COLUMNS = schema.columns("echoes")[1:]
FRAMING_COLUMNS = schema.columns("framing")[1:]
_CLAUSE_END = re.compile(r"[.;:!?]")
_NEGATION_WORDS = 3  # "no data theft", "aucune fuite de": the negation sits within three words


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


def _cosine_pairs(matrix: sparse.csr_matrix, chunk: int | None = None) -> dict[tuple[int, int], float]:
    """Cosine scores of row pairs (i < j): all pairs for small inputs, top-k neighbours otherwise."""
    rows = normalize(matrix.tocsr().astype(np.float64))
    return _pairs_from_products(rows, lambda block, start: block @ rows.T, chunk)


def _jaccard_pairs(matrix: sparse.csr_matrix, chunk: int | None = None) -> dict[tuple[int, int], float]:
    """Jaccard scores of binary row pairs (i < j), with the same pair selection as cosine."""
    binary = (matrix.tocsr() > 0).astype(np.float64)
    sizes = np.asarray(binary.sum(axis=1)).ravel()

    def product(block, start):
        inter = (block @ binary.T).tocoo()
        union = sizes[inter.row + start] + sizes[inter.col] - inter.data
        return sparse.csr_matrix((np.divide(inter.data, union, out=np.zeros_like(inter.data), where=union > 0),
                                  (inter.row, inter.col)), shape=inter.shape)
    return _pairs_from_products(binary, product, chunk)


def _pairs_from_products(rows: sparse.csr_matrix, product, chunk: int | None) -> dict[tuple[int, int], float]:
    """Score pairs from a product by row blocks, keeping all pairs (small n) or each row's top-k."""
    n = rows.shape[0]
    keep_all = n <= ALL_PAIRS_LIMIT
    pairs: dict[tuple[int, int], float] = {}
    step = _chunk_rows(n, chunk)
    for start in range(0, n, step):
        scores = product(rows[start:start + step], start).tocsr()
        for offset in range(scores.shape[0]):
            i = start + offset
            lo, hi = scores.indptr[offset], scores.indptr[offset + 1]
            columns, values = scores.indices[lo:hi], np.clip(np.round(scores.data[lo:hi], 6), 0.0, 1.0)
            others = columns != i
            columns, values = columns[others], values[others]
            if not keep_all:  # best first, ties to the lower index
                best = np.lexsort((columns, -values))[:TOP_K]
                columns, values = columns[best], values[best]
            for j, score in zip(columns.tolist(), values.tolist()):
                pairs[(min(i, j), max(i, j))] = score
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


def _chunk_rows(n: int, chunk_size: int | None) -> int:
    """Rows per block of an n-column product: at most BLOCK_CELLS cells (a dense block's bound)."""
    return chunk_size if chunk_size else max(1, BLOCK_CELLS // max(n, 1))


def echoes_table(analysis: CaseAnalysis, top_k: int = 1, chunk_size: int | None = None) -> pd.DataFrame:
    """For each statement, the most similar earlier statement of another party or document.

    Earlier: an earlier document (see `_order_keys`: by date, undated ones after the dated
    ones in case order), or an earlier statement of the same document by another source.
    Character 3-5-gram TF-IDF cosine over all statements, sparse and by row blocks, keeping
    only each statement's top_k: memory is one block plus O(n × top_k).

    Args:
        analysis: the analysed case.
        top_k: how many echoes to keep per statement.
        chunk_size: rows of the similarity product computed at once; default: as many as
            fit in BLOCK_CELLS cells.

    Returns:
        One row per (statement, echo) with score >= ECHO_MIN_SCORE, in reading order; ties
        go to the earliest statement.
    """
    keys = _order_keys(analysis)
    statements = [(keys[s.doc_id] + (s.id,), s) for d in analysis.documents for s in d.statements
                  if len(_TOKEN.findall(s.text)) >= ECHO_MIN_WORDS]
    if len(statements) < 2:
        return pd.DataFrame(columns=ECHO_COLUMNS)
    n = len(statements)
    matrix = normalize(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(
        [s.text for _, s in statements]))
    rank = np.empty(n, dtype=np.int64)  # position in time order
    rank[sorted(range(n), key=lambda i: statements[i][0])] = np.arange(n)
    speaker = _codes([(s.doc_id, s.source_name) for _, s in statements])  # one source within one document
    # Co-attributed clauses repeat the same text in the same place: one clause, not an echo.
    clause = _codes([(s.doc_id, s.sentence_ids, s.text) for _, s in statements])
    rows = []
    step = _chunk_rows(n, chunk_size)
    for start in range(0, n, step):
        block = (matrix[start:start + step] @ matrix.T).tocsr()
        for offset in range(block.shape[0]):
            i = start + offset
            lo, hi = block.indptr[offset], block.indptr[offset + 1]
            columns, scores = block.indices[lo:hi], np.round(block.data[lo:hi], 6)
            keep = ((rank[columns] < rank[i]) & (scores >= ECHO_MIN_SCORE)
                    & (speaker[columns] != speaker[i]) & (clause[columns] != clause[i]))
            columns, scores = columns[keep], scores[keep]
            statement = statements[i][1]
            for j in columns[np.lexsort((rank[columns], -scores))][:top_k]:
                other = statements[j][1]
                rows.append({"doc_id": statement.doc_id, "statement_id": statement.id,
                             "source_name": statement.source_name, "source_role": statement.source_role,
                             "echo_doc_id": other.doc_id, "echo_statement_id": other.id,
                             "echo_source_name": other.source_name, "echo_source_role": other.source_role,
                             "score": min(float(scores[columns == j][0]), 1.0), "method": "chars",
                             "text": statement.text, "echo_text": other.text})
    return pd.DataFrame(rows, columns=ECHO_COLUMNS)


def _codes(items: list) -> np.ndarray:
    """An integer code per item, equal for equal items."""
    index: dict = {}
    return np.array([index.setdefault(item, len(index)) for item in items], dtype=np.int64)


@dataclass(frozen=True)
class FramingWords:
    """One language's words for the attack (analyzer/data/framing.yaml), compiled."""

    vague: re.Pattern[str]
    specific: tuple[tuple[str, re.Pattern[str]], ...]  # (concept, pattern), concepts shared by languages


@functools.lru_cache(maxsize=None)
def framing_words(language: str) -> FramingWords | None:
    """The framing words of a language, or None when framing.yaml has none.

    Raises:
        CaseError: framing.yaml is malformed (the message names the language and the field).
    """
    where = str(data_path("framing.yaml"))
    entry = (load_yaml("framing.yaml") or {}).get(language)
    if not entry:
        return None
    specific = entry.get("specific") or {}
    if not isinstance(specific, dict) or not all(isinstance(v, list) and v for v in specific.values()):
        raise CaseError(where, f"{language}.specific must map concept ids to lists of patterns",
                        "write e.g. `ransom: [rançon|rançons]`")
    try:
        vague = compile_patterns(entry["vague"]) if entry.get("vague") else re.compile(r"(?!x)x")
        return FramingWords(vague, tuple((str(concept), compile_patterns(patterns))
                                  for concept, patterns in sorted(specific.items())))
    except (ValueError, re.error) as error:
        raise CaseError(where, f"{language}: bad pattern ({error})", "see analyzer/patterns.py") from None


def _negated(folded: str, start: int, lex) -> bool:
    """Whether a negation word stands just before `start`, in the same clause ("no data theft")."""
    window = _CLAUSE_END.split(folded[max(0, start - 40):start])[-1]
    window = lex.not_negation.sub(" ", window)  # "no doubt", "sans doute" negate nothing
    return bool(lex.negation.search(" ".join(window.split()[-_NEGATION_WORDS:])))


def framing_terms(text: str, language: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The vague terms and the (specific term, concept) pairs of a text, as written, in order of use.

    Terms right after a negation are left out: "no data theft has been observed" does not
    call the attack a data theft.

    Args:
        text: any text.
        language: its ISO 639-1 code.

    Returns:
        (vague terms, [(specific term, concept id)]); empty for a language without framing words.
    """
    words = framing_words(language)
    if words is None:
        return [], []
    lex = lexicon(language)
    folded = fold(text)

    def kept(match: re.Match) -> bool:
        return lex is None or not _negated(folded, match.start(), lex)
    vague = [text[m.start():m.end()] for m in words.vague.finditer(folded) if kept(m)]
    specific = sorted((m.start(), text[m.start():m.end()], concept) for concept, pattern in words.specific
                      for m in pattern.finditer(folded) if kept(m))
    return vague, [(term, concept) for _, term, concept in specific]


def _framing(n_vague: int, n_specific: int) -> str:
    """specific, vague, mixed (as many of each) or none."""
    if n_specific > n_vague:
        return "specific"
    if n_vague > n_specific:
        return "vague"
    return "mixed" if n_vague else "none"


def framing_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """Which words each document and each party uses for the attack, and whose framing it adopts.

    A specific concept (ransomware, ransom, encryption...; framing.yaml) is *first used* by
    the party whose statement used it earliest in the case (document order as in
    `_order_keys`, then statement order; across languages). For each document or party,
    `adopted_from` gives, over the distinct specific concepts it uses, the share first used
    by each party; `first_used_by` is the party with the largest share (ties: the earliest).

    Args:
        analysis: the analysed case.

    Returns:
        One row per document (case order), then per party that speaks (party order).
    """
    keys = _order_keys(analysis)
    first_user: dict[str, tuple] = {}
    per_statement = []
    for d in analysis.documents:
        for s in d.statements:
            vague, specific = framing_terms(s.text, d.document.language)
            per_statement.append((d, s, vague, specific))
            for _, concept in specific:
                key = (keys[s.doc_id], s.id)
                if concept not in first_user or key < first_user[concept][0]:
                    first_user[concept] = (key, s.source_name)
    rows = []
    for d in analysis.documents:
        vague, specific = framing_terms(d.document.text, d.document.language)
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


def _adoption(concepts: list[str], first_user: dict[str, tuple]) -> list[tuple[str, float]]:
    """(party, share of the concepts it used first), largest share first, ties by earliest use."""
    firsts = [first_user[c] for c in dict.fromkeys(concepts) if c in first_user]
    earliest: dict[str, tuple] = {}
    for key, party in firsts:
        earliest[party] = min(key, earliest.get(party, key))
    counts = Counter(party for _, party in firsts)
    return [(party, round(count / len(firsts), 6))
            for party, count in sorted(counts.items(), key=lambda pc: (-pc[1], earliest[pc[0]]))]


def _framing_row(level: str, name: str, role: str, language: str, vague: list[str],
                 specific: list[tuple[str, str]], first_user: dict[str, tuple]) -> dict:
    """One framing row."""
    adoption = _adoption([concept for _, concept in specific], first_user)
    return {"level": level, "name": name, "role": role, "language": language, "n_vague": len(vague),
            "n_specific": len(specific), "vague_terms": " | ".join(dict.fromkeys(vague)),
            "specific_terms": " | ".join(dict.fromkeys(term for term, _ in specific)),
            "concepts": " | ".join(dict.fromkeys(concept for _, concept in specific)),
            "framing": _framing(len(vague), len(specific)),
            "first_used_by": adoption[0][0] if adoption else "",
            "adopted_from": " | ".join(f"{party} {share:.6g}" for party, share in adoption)}
