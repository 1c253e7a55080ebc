"""Text similarity: who echoes whom, and whose framing of the attack the press adopts.

Methods, each a score in [0, 1] between two documents (or two parties' statements):

- words: TF-IDF cosine on Snowball-stemmed words without the lexicon's stop words — within
  one language only (different languages share few words by accident, not by meaning);
- chars: TF-IDF cosine on character 3-5-grams, within one language. The n-grams are those
  of scikit-learn's ``char_wb`` analyzer (each lowercased, whitespace-separated word padded
  with one space on each side). Above ALL_PAIRS_LIMIT items (where only each one's TOP_K
  neighbours are reported), one n-gram in 2 ** CHAR_SAMPLE_BITS is kept: those whose 64-bit
  hash (a polynomial of the code points, then Fibonacci hashing: `_char_ngrams`) starts with
  CHAR_SAMPLE_BITS zero bits. The sample is the same for every text and every case; it
  bounds the cost of comparing thousands of documents (18 s → 4 s for 5,000), at the price
  of some sampling noise in the score (a few hundredths for a page);
- facts: cosine of the vectors counting mentions per (fact, polarity): language-neutral;
- anchors: Jaccard overlap of language-neutral anchors — figures, dates and durations from
  the mentions' values, and proper names (capitalised words, case party names);
- cross_lingual = 0.5 × facts + 0.5 × anchors: a French and an English article on the same
  facts score higher than two same-language articles on different incidents.

Echoes (`echoes_table`) use the words method over all statements.

Scale. Identical texts are analysed once. Documents are cut into pieces after every
sentence that ends with . ; : ! or ? followed by whitespace: no word, name or framing phrase
crosses such a cut and no negation reaches across it, so identical pieces (wire copies,
boilerplate) are tokenised once, and so are identical statements. No dense n × n matrix is
ever built: up to ALL_PAIRS_LIMIT items (per language for words and chars) every pair is
scored from a sparse product; above it, row blocks of at most BLOCK_CELLS cells are screened
in single precision (features used by more than one row in DENSE_SHARE multiplied densely,
the others sparsely), and each item's TOP_K best candidates are then scored exactly.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from nltk.stem.snowball import SnowballStemmer
from scipy import sparse
from sklearn.preprocessing import normalize

from . import schema
from .disclosure import parties
from .errors import CaseError
from .model import CaseAnalysis, DocumentAnalysis
from .patterns import compile_patterns, finditer_from, first_words, fold
from .resources import data_path, lexicon, load_yaml

METHODS = ("words", "chars", "facts", "anchors", "cross_lingual")
ALL_PAIRS_LIMIT = 200  # up to this many documents (parties), every pair is reported
TOP_K = 5  # above it, each one's nearest neighbours per method
CHAR_SAMPLE_BITS = 3  # chars keeps one character n-gram in 2 ** 3 (see the module docstring)
ECHO_MIN_SCORE = 0.2
ECHO_MIN_WORDS = 4
ECHO_MAX_DF = 1000  # a word (pair of words) in more distinct statements does not make them echo candidates
BLOCK_CELLS = 4_000_000  # cells of one block of a chunked product: ~50 MB even when dense
DENSE_SHARE = 8  # in a screened product, features of more than 1 row in 8 are multiplied densely
SCREEN_MARGIN = 1e-3  # far above the single-precision error of a screened score
SCREEN_GROUPS = 64  # column groups whose maxima bound a row's k-th largest screened score
_SNOWBALL = {"fr": "french", "en": "english", "de": "german", "es": "spanish", "it": "italian", "nl": "dutch",
             "pt": "portuguese", "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish",
             "ro": "romanian", "hu": "hungarian", "ru": "russian"}
_TOKEN = re.compile(r"\w\w+")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][\w\-]{2,}")
_NAME_CONTEXT = 2  # characters before a position that decide whether _NAME may match there
_ANCHOR_VALUE = re.compile(r"\d")
# Columns from analyzer/schema.py (the pipeline adds case_id in front).
SIMILARITY_COLUMNS = schema.columns("similarity")[1:]
ECHO_COLUMNS = schema.columns("echoes")[1:]
FRAMING_COLUMNS = schema.columns("framing")[1:]
_CLAUSE_END = re.compile(r"[.;:!?]")
_CLAUSE_ENDS = frozenset(".;:!?")
_NEGATION_WORDS = 3  # "no data theft", "aucune fuite de": the negation sits within three words
_HASH_BASE = np.uint64(1_000_003)
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)  # 2 ** 64 / golden ratio: spreads the polynomial hash


# --- Words and character n-grams -------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _analyzer(language: str):
    """A tokenizer for one lowercased text: words without stop words, Snowball stems when available."""
    lex = lexicon(language)
    stop = lex.stopwords if lex else frozenset()
    stem = (functools.lru_cache(maxsize=1 << 17)(SnowballStemmer(_SNOWBALL[language]).stem)
            if language in _SNOWBALL else None)

    def analyze(text: str) -> list[str]:
        words = (w for w in _TOKEN.findall(text.lower()) if w not in stop)
        return [stem(w) for w in words] if stem else list(words)
    return analyze


def _word_ids(texts: list[str], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(text, word id) of every lowercased whitespace-separated word of the texts; `index` numbers new words.

    A text's ``\\w\\w+`` tokens and its ``char_wb`` n-grams never cross whitespace, so both
    are computed once per distinct word (`_stem_matrix`, `_char_matrix`).
    """
    lengths, ids = [], []
    for text in texts:
        words = text.lower().split()
        lengths.append(len(words))
        ids.extend([index.setdefault(word, len(index)) for word in words])
    return np.repeat(np.arange(len(texts)), lengths), np.array(ids, dtype=np.int64)


def _counts(rows, columns, shape: tuple[int, int]) -> sparse.csr_matrix:
    """A count matrix from (row, column) occurrences."""
    return sparse.csr_matrix((np.ones(len(rows)), (np.asarray(rows, dtype=np.int64),
                                                   np.asarray(columns, dtype=np.int64))), shape=shape)


def _stem_matrix(words: list[str], used: np.ndarray, language: str, stems: dict[str, int]) -> sparse.csr_matrix:
    """Words × stems of one language (only the `used` words): what the words method counts."""
    analyze = _analyzer(language)
    rows, columns = [], []
    for w in used.tolist():
        for stem in analyze(words[w]):
            rows.append(w)
            columns.append(stems.setdefault(stem, len(stems)))
    return _counts(rows, columns, (len(words), max(len(stems), 1)))


class _NGrams(NamedTuple):
    """Character n-grams of padded words: one entry per occurrence."""

    word: np.ndarray  # the word's index
    start: np.ndarray  # offset in the padded word " word "
    size: np.ndarray  # 3, 4 or 5
    feature: np.ndarray  # equal for equal n-grams
    sampled: np.ndarray  # in the fixed sample of chars


def _char_ngrams(words: list[str]) -> _NGrams:
    """Every character 3-5-gram of each word padded with a space on both sides (sklearn's ``char_wb``).

    N-grams are numbered exactly (an n-gram's id is that of its (n-1)-prefix and last character,
    by `np.unique`); the sample is decided by a hash that depends only on the characters.
    """
    if not words:
        empty = np.zeros(0, dtype=np.int64)
        return _NGrams(empty, empty, empty, empty, np.zeros(0, dtype=bool))
    padded = "".join(f" {word} " for word in words)
    points = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter((len(word) + 2 for word in words), dtype=np.int64, count=len(words))
    word = np.repeat(np.arange(len(words)), lengths)
    ends = np.cumsum(lengths)
    room = ends[word] - np.arange(len(points))  # characters left in the padded word
    codes = np.unique(points, return_inverse=True)[1].ravel()
    alphabet = int(codes.max()) + 1
    ids, hashes = codes.copy(), points.astype(np.uint64)
    parts, offset = [], 0
    for size in range(2, 6):
        at = np.flatnonzero(room >= size)
        last = at + size - 1
        ids[at] = np.unique(ids[at] * alphabet + codes[last], return_inverse=True)[1].ravel()
        hashes[at] = hashes[at] * _HASH_BASE + points[last].astype(np.uint64)
        if size >= 3:
            sampled = (hashes[at] * _FIBONACCI) >> np.uint64(64 - CHAR_SAMPLE_BITS) == 0
            starts = at - (ends[word[at]] - lengths[word[at]])
            parts.append((word[at], starts, np.full(len(at), size), ids[at] + offset, sampled))
            offset += int(ids[at].max()) + 1 if len(at) else 0
    return _NGrams(*(np.concatenate(column) for column in zip(*parts)))


def _char_matrix(words: list[str], sample: bool) -> sparse.csr_matrix:
    """Words × character n-grams (all of them, or the fixed sample): what the chars method counts."""
    grams = _char_ngrams(words)
    keep = grams.sampled if sample else np.ones(len(grams.feature), dtype=bool)
    features = np.unique(grams.feature[keep], return_inverse=True)[1].ravel()
    return _counts(grams.word[keep], features, (len(words), max(int(features.max()) + 1 if len(features) else 0, 1)))


def _tfidf(counts: sparse.csr_matrix, weights: np.ndarray | None = None) -> sparse.csr_matrix:
    """scikit-learn's TF-IDF of a count matrix, rows l2-normalised; `weights`: how many texts each row stands for.

    idf = ln((1 + n) / (1 + df)) + 1, n and df counting every text (a row of weight 3 is three
    identical texts), as TfidfVectorizer(smooth_idf=True) computes it over the full list.
    """
    counts = counts.tocsr().astype(np.float64)
    weights = np.ones(counts.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    df = np.bincount(counts.indices, weights=np.repeat(weights, np.diff(counts.indptr)), minlength=counts.shape[1])
    idf = np.log((1.0 + weights.sum()) / (1.0 + df)) + 1.0
    counts.data *= idf[counts.indices]
    return normalize(counts)


# --- Pairs: every pair for small inputs, screened top-k for large ones -------------------------

def _cosine_pairs(matrix: sparse.csr_matrix, chunk: int | None = None) -> dict[tuple[int, int], float]:
    """Cosine scores of row pairs (i < j): all pairs for small inputs, top-k neighbours otherwise."""
    rows = normalize(matrix.tocsr().astype(np.float64))
    if rows.shape[0] > ALL_PAIRS_LIMIT:
        return _top_k_pairs(rows, False, chunk)
    return _pairs_from_products(rows, lambda block, start: block @ rows.T, chunk)


def _jaccard_pairs(matrix: sparse.csr_matrix, chunk: int | None = None) -> dict[tuple[int, int], float]:
    """Jaccard scores of binary row pairs (i < j), with the same pair selection as cosine."""
    binary = (matrix.tocsr() > 0).astype(np.float64)
    if binary.shape[0] > ALL_PAIRS_LIMIT:
        return _top_k_pairs(binary, True, chunk)
    sizes = np.asarray(binary.sum(axis=1)).ravel()

    def product(block, start):
        inter = (block @ binary.T).tocoo()
        union = sizes[inter.row + start] + sizes[inter.col] - inter.data
        return sparse.csr_matrix((np.divide(inter.data, union, out=np.zeros_like(inter.data), where=union > 0),
                                  (inter.row, inter.col)), shape=inter.shape)
    return _pairs_from_products(binary, product, chunk)


def _pairs_from_products(rows: sparse.csr_matrix, product, chunk: int | None) -> dict[tuple[int, int], float]:
    """Every pair's score from a sparse product by row blocks; pairs that share nothing score 0."""
    n = rows.shape[0]
    pairs: dict[tuple[int, int], float] = {}
    step = _chunk_rows(n, chunk)
    for start in range(0, n, step):
        scores = product(rows[start:start + step], start).tocoo()
        values = np.clip(np.round(scores.data, 6), 0.0, 1.0)
        for i, j, score in zip((scores.row + start).tolist(), scores.col.tolist(), values.tolist()):
            if i != j:
                pairs[(min(i, j), max(i, j))] = score
    for i in range(n):
        for j in range(i + 1, n):
            pairs.setdefault((i, j), 0.0)
    return pairs


def _top_k_pairs(rows: sparse.csr_matrix, jaccard: bool, chunk: int | None) -> dict[tuple[int, int], float]:
    """Each row's TOP_K best other rows (ties to the lower index): screened by blocks, then scored exactly.

    A block's scores are computed in single precision; a row keeps as candidates the columns
    within SCREEN_MARGIN of its TOP_K-th best, which contain its exact top TOP_K.
    """
    n = rows.shape[0]
    dense, rest = _split_columns(rows)
    sizes = np.asarray(rows.sum(axis=1), dtype=np.float32).ravel()
    found_i, found_j = [], []
    step = _chunk_rows(n, chunk)
    for start in range(0, n, step):
        stop = min(n, start + step)
        block = dense[start:stop] @ dense.T
        if rest.nnz:
            extra = (rest[start:stop] @ rest.T).tocoo()
            block[extra.row, extra.col] += extra.data
        if jaccard:
            union = sizes[start:stop, None] + sizes[None, :] - block
            block = np.divide(block, union, out=np.zeros_like(block), where=union > 0)
        block[np.arange(stop - start), np.arange(start, stop)] = -1.0
        i, j = _screen(block, TOP_K)
        found_i.append(i + start)
        found_j.append(j)
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    scores = _pair_dots(rows, i, j)
    if jaccard:  # binary rows: the dot product is the intersection
        sizes = np.asarray(rows.sum(axis=1)).ravel()
        scores = scores / (sizes[i] + sizes[j] - scores)
    scores = np.clip(np.round(scores, 6), 0.0, 1.0)
    order = np.lexsort((j, -scores, i))
    i, j, scores = i[order], j[order], scores[order]
    first = np.r_[0, np.flatnonzero(np.diff(i)) + 1]
    rank = np.arange(len(i)) - np.repeat(first, np.diff(np.r_[first, len(i)]))
    keep = rank < TOP_K
    return {(min(a, b), max(a, b)): score
            for a, b, score in zip(i[keep].tolist(), j[keep].tolist(), scores[keep].tolist())}


def _split_columns(rows: sparse.csr_matrix) -> tuple[np.ndarray, sparse.csr_matrix]:
    """The rows in single precision: frequent columns as a dense array (at most BLOCK_CELLS cells), the rest sparse."""
    n, width = rows.shape
    df = np.bincount(rows.indices, minlength=width)
    frequent = np.flatnonzero(df * DENSE_SHARE > n)
    frequent = np.sort(frequent[np.argsort(-df[frequent], kind="stable")[:BLOCK_CELLS // max(n, 1)]])
    other = np.setdiff1d(np.arange(width), frequent)
    return (rows[:, frequent].toarray().astype(np.float32),
            sparse.csr_matrix(rows[:, other], dtype=np.float32))


def _screen(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the positive cells within SCREEN_MARGIN of a lower bound of their row's k-th largest.

    The bound is the k-th largest of the maxima of SCREEN_GROUPS groups of columns: k distinct
    cells reach it, so the row's k-th largest cell is at least as large. It lets through a few
    more candidates than the exact k-th largest would, at a tenth of the cost of finding it.
    """
    width = block.shape[1]
    floor = np.full(block.shape[0], np.finfo(np.float32).tiny, dtype=np.float32)
    if width > k:
        groups = min(width, max(SCREEN_GROUPS, k))
        maxima = np.maximum.reduceat(block, np.arange(groups) * width // groups, axis=1)
        kth = np.partition(maxima, groups - k, axis=1)[:, groups - k]
        floor = np.maximum(floor, kth - np.float32(SCREEN_MARGIN))
    return np.nonzero(block >= floor[:, None])


def _pair_dots(rows: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Exact dot products of the row pairs (i[k], j[k]), by chunks of bounded size."""
    out = np.zeros(len(i))
    per_row = max(1, rows.nnz // max(rows.shape[0], 1))
    step = max(1, BLOCK_CELLS // per_row)
    for start in range(0, len(i), step):
        a, b = i[start:start + step], j[start:start + step]
        out[start:start + step] = np.asarray(rows[a].multiply(rows[b]).sum(axis=1)).ravel()
    return out


def _chunk_rows(n: int, chunk_size: int | None) -> int:
    """Rows per block of an n-column product: at most BLOCK_CELLS cells (a dense block's bound)."""
    return chunk_size if chunk_size else max(1, BLOCK_CELLS // max(n, 1))


# --- Documents and parties as units of comparison ----------------------------------------------

def _cuts(d: DocumentAnalysis) -> list[int]:
    """Offsets where the document can be cut: after a sentence ending with . ; : ! or ? and whitespace."""
    text, cuts = d.document.text, [0]
    for before, after in zip(d.sentences, d.sentences[1:]):
        if (after.start > cuts[-1] and text[before.end - 1:before.end] in _CLAUSE_ENDS
                and text[before.end:after.start].isspace()):
            cuts.append(after.start)
    return cuts


def _pieces(text: str, cuts: list[int]) -> list[str]:
    """The text cut at `cuts` (their concatenation is the text)."""
    bounds = cuts + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


@dataclass
class _Units:
    """The compared items of one level, each a sequence of texts (pieces, statements) with its facts."""

    names: list[str]
    languages: list[tuple[str, ...]]  # the languages it speaks, in order of use
    texts: list[str]  # the distinct texts
    members: list[dict[str, list[int]]]  # per item, per language: the ids of its texts, in order
    joiner: str  # what separates the texts of one item: "" for pieces of a document, " " for statements
    facts: list[Counter]
    values: list[list[str]]


def _document_units(analysis: CaseAnalysis) -> _Units:
    """Documents in case order, each its sequence of pieces."""
    index: dict[str, int] = {}
    members = []
    for d in analysis.documents:
        pieces = _pieces(d.document.text, _cuts(d))
        members.append({d.document.language: [index.setdefault(piece, len(index)) for piece in pieces]})
    return _Units([d.document.meta.id for d in analysis.documents],
                  [(d.document.language,) for d in analysis.documents], list(index), members, "",
                  [Counter((m.fact, m.polarity) for m in d.mentions) for d in analysis.documents],
                  [[m.value for m in d.mentions] for d in analysis.documents])


def _party_units(analysis: CaseAnalysis) -> _Units:
    """Parties that speak, in party order, each its statements per language."""
    index: dict[str, int] = {}
    spoken: dict[str, dict[str, list[int]]] = {}
    facts: dict[str, Counter] = {}
    values: dict[str, list[str]] = {}
    for d in analysis.documents:
        for s in d.statements:
            spoken.setdefault(s.source_name, {}).setdefault(d.document.language, []).append(
                index.setdefault(s.text, len(index)))
        for m in d.mentions:
            facts.setdefault(m.source_name, Counter())[(m.fact, m.polarity)] += 1
            values.setdefault(m.source_name, []).append(m.value)
    names = [party.name for party in parties(analysis) if party.name in spoken]
    return _Units(names, [tuple(spoken[name]) for name in names], list(index), [spoken[name] for name in names], " ",
                  [facts.get(name, Counter()) for name in names], [values.get(name, []) for name in names])


def _lexical(units: _Units) -> dict[str, dict[tuple[int, int], float]]:
    """Words and chars scores: within-language TF-IDF cosine, for every language units share."""
    index: dict[str, int] = {}
    text_rows, word_ids = _word_ids(units.texts, index)
    words = list(index)
    text_words = _counts(text_rows, word_ids, (len(units.texts), max(len(words), 1)))
    chars = _char_matrix(words, sample=len(units.names) > ALL_PAIRS_LIMIT)
    scores: dict[str, dict[tuple[int, int], float]] = {"words": {}, "chars": {}}
    languages = sorted({language for spoken in units.members for language in spoken})
    for language in languages:
        members = [i for i, spoken in enumerate(units.members)
                   if any(units.texts[t].strip() for t in spoken.get(language, ()))]
        if len(members) < 2:
            continue
        incidence = _counts([row for row, i in enumerate(members) for _ in units.members[i][language]],
                            [t for i in members for t in units.members[i][language]],
                            (len(members), len(units.texts)))
        unit_words = (incidence @ text_words).tocsr()
        stems = _stem_matrix(words, np.unique(unit_words.indices), language, {})
        for method, counts in (("words", unit_words @ stems), ("chars", unit_words @ chars)):
            if not counts.nnz:  # nothing but stop words
                continue
            for (i, j), score in _cosine_pairs(_tfidf(counts)).items():
                key = (members[i], members[j])
                scores[method][key] = max(score, scores[method].get(key, 0.0))
    return scores


def _anchor_sets(units: _Units, names: set[str]) -> list[set[str]]:
    """Each unit's language-neutral anchors: figures, dates, durations and proper names."""
    value_parts: dict[str, tuple[str, ...]] = {}
    folded = [fold(text) for text in units.texts]
    found: dict[tuple[str, int], frozenset[str]] = {}  # (context, text) -> folded _NAME matches
    sets = []
    for spoken, values in zip(units.members, units.values):
        anchors: set[str] = set()
        for value in values:
            if value not in value_parts:
                value_parts[value] = tuple(part.strip() for part in value.split("; ") if _ANCHOR_VALUE.search(part))
            anchors.update(value_parts[value])
        for ids in spoken.values():
            whole = units.joiner.join(folded[t] for t in ids)  # fold keeps one character for one
            anchors |= {name for name in names if name in whole}
            context = ""
            for t in ids:
                if (context, t) not in found:
                    text = context + units.texts[t]
                    found[(context, t)] = frozenset(fold(m.group()) for m in _NAME.finditer(text, len(context)))
                anchors |= found[(context, t)]
                context = (context + units.texts[t] + units.joiner)[-_NAME_CONTEXT:]
        sets.append(anchors)
    return sets


def _level_rows(analysis: CaseAnalysis, level: str) -> pd.DataFrame:
    """The similarity rows of one level."""
    units = _document_units(analysis) if level == "document" else _party_units(analysis)
    n = len(units.names)
    if n < 2:
        return pd.DataFrame(columns=SIMILARITY_COLUMNS)
    names = {fold(alias) for party in analysis.case.parties for alias in (party.name, *party.aliases)}
    keys = {key: k for k, key in enumerate(sorted({key for facts in units.facts for key in facts}))}
    fact_matrix = sparse.csr_matrix(
        ([count for facts in units.facts for count in facts.values()],
         ([i for i, facts in enumerate(units.facts) for _ in facts], [keys[key] for facts in units.facts for key in facts])),
        shape=(n, max(len(keys), 1)))
    anchor_sets = [sorted(s) for s in _anchor_sets(units, names)]
    vocabulary = {a: k for k, a in enumerate(sorted(set().union(*anchor_sets)))}
    anchor_matrix = _counts([i for i, s in enumerate(anchor_sets) for _ in s], [vocabulary[a] for s in anchor_sets for a in s],
                            (n, max(len(vocabulary), 1)))
    by_method = {**_lexical(units), "facts": _cosine_pairs(fact_matrix), "anchors": _jaccard_pairs(anchor_matrix)}
    cross = set(by_method["facts"]) | set(by_method["anchors"])
    by_method["cross_lingual"] = {pair: round(0.5 * by_method["facts"].get(pair, 0.0)
                                              + 0.5 * by_method["anchors"].get(pair, 0.0), 6) for pair in cross}
    a, b, method, score = [], [], [], []
    for m, name in enumerate(METHODS):
        pairs = by_method[name]
        a.extend(i for i, _ in pairs)
        b.extend(j for _, j in pairs)
        method.extend([m] * len(pairs))
        score.extend(pairs.values())
    a, b, method = (np.array(column, dtype=np.int64) for column in (a, b, method))
    score = np.array(score, dtype=np.float64)
    order = np.lexsort((method, b, a))  # pairs in case order, methods in METHODS order
    a, b, method, score = a[order], b[order], method[order], score[order]
    spoken = [set(languages) for languages in units.languages]
    names_array = np.array(units.names, dtype=object)
    return pd.DataFrame({"level": level, "a": names_array[a], "b": names_array[b],
                         "method": np.array(METHODS, dtype=object)[method], "score": score,
                         "same_language": [bool(spoken[i] & spoken[j]) for i, j in zip(a.tolist(), b.tolist())]},
                        columns=SIMILARITY_COLUMNS)


def similarity_table(analysis: CaseAnalysis) -> pd.DataFrame:
    """Pairs of documents, then of parties, one row per method (see the module docstring).

    Args:
        analysis: the analysed case.

    Returns:
        Columns level, a, b, method, score, same_language; pairs (a before b) in case order.
    """
    frames = [frame for frame in (_level_rows(analysis, "document"), _level_rows(analysis, "party")) if len(frame)]
    if not frames:
        return pd.DataFrame(columns=SIMILARITY_COLUMNS)
    return pd.concat(frames, ignore_index=True)


# --- Echoes ------------------------------------------------------------------------------------

def _order_keys(analysis: CaseAnalysis) -> dict[str, tuple]:
    """When each document speaks: dated documents by date (partial dates as their first day),
    then undated ones; ties and undated documents in case order."""
    keys = {}
    for position, d in enumerate(analysis.documents):
        date = d.document.meta.date
        padded = {4: f"{date}-01-01", 7: f"{date}-01"}.get(len(date), date)
        keys[d.document.meta.id] = (0 if date else 1, padded, position)
    return keys


def _echo_vectors(texts: list[tuple[str, str]], copies: np.ndarray) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """TF-IDF rows of distinct (language, text) standing for `copies` statements each, and their echo keys.

    Echo keys are the stems and pairs of consecutive stems that at most ECHO_MAX_DF distinct
    texts use; when there are no more texts than that, every stem is a key.
    """
    stems: dict[str, int] = {}
    bigrams: dict[tuple[int, int], int] = {}
    word_stems: dict[tuple[str, str], list[int]] = {}
    stem_rows, stem_ids, pair_rows, pair_ids = [], [], [], []
    for row, (language, text) in enumerate(texts):
        sequence = []
        for word in text.lower().split():
            key = (language, word)
            if key not in word_stems:
                word_stems[key] = [stems.setdefault(stem, len(stems)) for stem in _analyzer(language)(word)]
            sequence.extend(word_stems[key])
        stem_rows.extend([row] * len(sequence))
        stem_ids.extend(sequence)
        for pair in set(zip(sequence, sequence[1:])):
            pair_rows.append(row)
            pair_ids.append(bigrams.setdefault(pair, len(bigrams)))
    counts = _counts(stem_rows, stem_ids, (len(texts), max(len(stems), 1)))
    vectors = _tfidf(counts, copies)
    present = (counts > 0).astype(np.float64).tocsr()
    if len(texts) <= ECHO_MAX_DF:
        return vectors, present
    pairs = _counts(pair_rows, pair_ids, (len(texts), max(len(bigrams), 1)))
    pairs.data[:] = 1.0
    keys = sparse.hstack([present, pairs.tocsr()]).tocsr()
    rare = np.flatnonzero(np.bincount(keys.indices, minlength=keys.shape[1]) <= ECHO_MAX_DF)
    return vectors, keys[:, rare].tocsr()


def _echo_candidates(vectors, keys, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, candidate, score) for the given text rows: texts sharing an echo key, and the text itself,
    with their cosine rounded to 6 decimals, when at least ECHO_MIN_SCORE."""
    pattern = (keys[rows] @ keys.T).tocoo()
    r = np.concatenate([rows[pattern.row], rows])
    c = np.concatenate([pattern.col, rows]).astype(np.int64)
    unique = np.unique(r * vectors.shape[0] + c)
    r, c = unique // vectors.shape[0], unique % vectors.shape[0]
    scores = np.round(_pair_dots(vectors, r, c), 6)
    keep = scores >= ECHO_MIN_SCORE
    return r[keep], c[keep], np.minimum(scores[keep], 1.0)


def echoes_table(analysis: CaseAnalysis, top_k: int = 1, chunk_size: int | None = None) -> pd.DataFrame:
    """For each statement, the most similar earlier statement of another party or document.

    Earlier: an earlier document (see `_order_keys`: by date, undated ones after the dated
    ones in case order), or an earlier statement of the same document by another source.
    Similar: the words method (TF-IDF cosine on stems, idf over all statements of at least
    ECHO_MIN_WORDS words). Identical texts are scored once. Candidates are the statements
    sharing with it a stem, or a pair of consecutive stems, that at most ECHO_MAX_DF distinct
    statement texts use (every stem, when there are no more texts than that): a very common
    word still counts in the score, but alone it points to the case, not to an echo.

    Args:
        analysis: the analysed case.
        top_k: how many echoes to keep per statement.
        chunk_size: distinct texts whose candidates are computed at once; default: as many as
            fit in BLOCK_CELLS cells.

    Returns:
        One row per (statement, echo) with score >= ECHO_MIN_SCORE, in reading order; ties
        go to the earliest statement.
    """
    keys = _order_keys(analysis)
    long_enough: dict[str, bool] = {}
    statements = []
    for d in analysis.documents:
        for s in d.statements:
            if s.text not in long_enough:
                long_enough[s.text] = len(_TOKEN.findall(s.text)) >= ECHO_MIN_WORDS
            if long_enough[s.text]:
                statements.append((keys[s.doc_id] + (s.id,), s, d.document.language))
    if len(statements) < 2:
        return pd.DataFrame(columns=ECHO_COLUMNS)
    n = len(statements)
    text_index: dict[tuple[str, str], int] = {}
    text = np.array([text_index.setdefault((language, s.text), len(text_index)) for _, s, language in statements])
    texts = list(text_index)
    rank = np.empty(n, dtype=np.int64)  # position in time order
    rank[sorted(range(n), key=lambda i: statements[i][0])] = np.arange(n)
    speaker = _codes([(s.doc_id, s.source_name) for _, s, _ in statements])  # one source within one document
    # Co-attributed clauses repeat the same text in the same place: one clause, not an echo.
    clause = _codes([(s.doc_id, s.sentence_ids, s.text) for _, s, _ in statements])
    by_time = np.lexsort((rank, text))  # each text's statements, earliest first
    first = np.r_[0, np.flatnonzero(np.diff(text[by_time])) + 1]
    earliest = by_time[first]  # per text: its earliest statement
    vectors, echo_keys = _echo_vectors(texts, np.bincount(text, minlength=len(texts)))

    def excluded(i: int, j: int) -> bool:  # both codes include the document
        return speaker[i] == speaker[j] or clause[i] == clause[j]

    # Per text, the candidates that are the earliest-speaking among all at least as similar:
    # a statement's echo is the first of these that spoke before it (unless it is excluded).
    front_text, front_other, front_score = [], [], []
    step = _chunk_rows(len(texts), chunk_size)
    for start in range(0, len(texts), step):
        r, c, score = _echo_candidates(vectors, echo_keys, np.arange(start, min(len(texts), start + step)))
        order = np.lexsort((rank[earliest[c]], -score, r))
        r, c, score = r[order], c[order], score[order]
        when = rank[earliest[c]] - r * (n + 1)  # shifted so that a running minimum restarts at each text
        front = np.minimum.accumulate(when) == when
        front_text.append(r[front])
        front_other.append(c[front])
        front_score.append(score[front])
    front_text, front_other, front_score = (np.concatenate(a) for a in (front_text, front_other, front_score))
    # Along a text's front, speaking times decrease: find the first one before each statement.
    position = np.searchsorted(front_text * (n + 1) + n - rank[earliest[front_other]], text * (n + 1) + n - rank,
                               side="right")
    found = position < len(front_text)
    found[found] = front_text[position[found]] == text[found]
    echoes: dict[int, list[tuple[float, int]]] = {}
    i = np.flatnonzero(found)
    j = earliest[front_other[position[i]]]
    simple = (speaker[i] != speaker[j]) & (clause[i] != clause[j])  # the front's first is not excluded
    if top_k == 1:
        echoes = {a: [(score, b)] for a, b, score in zip(i[simple].tolist(), j[simple].tolist(),
                                                          front_score[position[i[simple]]].tolist())}
    full: dict[int, list[tuple[int, float]]] = {}  # per text, its candidates by score, then speaking time
    for a in (i if top_k != 1 else i[~simple]).tolist():
        if text[a] not in full:
            r, c, score = _echo_candidates(vectors, echo_keys, np.array([text[a]]))
            order = np.lexsort((rank[earliest[c]], -score))
            full[text[a]] = list(zip(c[order].tolist(), score[order].tolist()))
        echoes[a] = _best_echoes(a, full[text[a]], by_time, first, rank, excluded, top_k)
    return _echo_frame([(statements[a][1], statements[b][1], score)
                        for a in sorted(echoes) for score, b in echoes[a]])


def _best_echoes(i: int, candidates: list[tuple[int, float]], by_time, first, rank, excluded, top_k: int):
    """Statement i's top_k (score, statement) among candidate texts sorted by score: earlier, not excluded."""
    found: list[tuple[float, int, int]] = []  # (-score, rank, statement)
    for other, score in candidates:
        if len(found) >= top_k and score < -sorted(found)[top_k - 1][0]:
            break
        taken = 0
        for j in by_time[first[other]:(first[other + 1] if other + 1 < len(first) else len(by_time))].tolist():
            if rank[j] >= rank[i] or taken == top_k:
                break
            if not excluded(i, j):
                found.append((-score, int(rank[j]), j))
                taken += 1
    return [(-negative, j) for negative, _, j in sorted(found)[:top_k]]


def _echo_frame(echoes: list) -> pd.DataFrame:
    """The echoes table from (statement, earlier statement, score) triples."""
    return pd.DataFrame({
        "doc_id": [s.doc_id for s, _, _ in echoes], "statement_id": [s.id for s, _, _ in echoes],
        "source_name": [s.source_name for s, _, _ in echoes], "source_role": [s.source_role for s, _, _ in echoes],
        "echo_doc_id": [o.doc_id for _, o, _ in echoes], "echo_statement_id": [o.id for _, o, _ in echoes],
        "echo_source_name": [o.source_name for _, o, _ in echoes],
        "echo_source_role": [o.source_role for _, o, _ in echoes],
        "score": [score for _, _, score in echoes], "method": ["words"] * len(echoes),
        "text": [s.text for s, _, _ in echoes], "echo_text": [o.text for _, o, _ in echoes]}, columns=ECHO_COLUMNS)


def _codes(items: list) -> np.ndarray:
    """An integer code per item, equal for equal items."""
    index: dict = {}
    return np.array([index.setdefault(item, len(index)) for item in items], dtype=np.int64)


# --- Framing -----------------------------------------------------------------------------------

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


@functools.lru_cache(maxsize=None)
def _framing_starts(language: str) -> tuple[tuple[str, ...] | None, tuple[tuple[str, ...] | None, ...], bool]:
    """For a language with framing words: what the vague and each concept's matches start with
    (`patterns.first_words`), and whether no pattern holds a literal . ; : ! or ?."""
    entry = load_yaml("framing.yaml")[language]
    specific = [patterns for _, patterns in sorted(entry.get("specific", {}).items())]
    everything = list(entry.get("vague") or []) + [p for patterns in specific for p in patterns]
    literal = re.compile(r"[.;:!]|(?<!\w)\?")  # "?" after a letter makes it optional
    clause_free = not any(literal.search(word) for p in everything for word in p.split() if word != "...")
    return first_words(entry["vague"]) if entry.get("vague") else (), tuple(map(first_words, specific)), clause_free


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
    vague_starts, specific_starts, _ = _framing_starts(language)
    lex = lexicon(language)
    folded = fold(text)

    def kept(match: re.Match) -> bool:
        return lex is None or not _negated(folded, match.start(), lex)
    vague = [text[m.start():m.end()] for m in finditer_from(words.vague, folded, vague_starts) if kept(m)]
    specific = sorted((m.start(), text[m.start():m.end()], concept)
                      for (concept, pattern), starts in zip(words.specific, specific_starts)
                      for m in finditer_from(pattern, folded, starts) if kept(m))
    return vague, [(term, concept) for _, term, concept in specific]


def _framing(n_vague: int, n_specific: int) -> str:
    """specific, vague, mixed (as many of each) or none."""
    if n_specific > n_vague:
        return "specific"
    if n_vague > n_specific:
        return "vague"
    return "mixed" if n_vague else "none"


def _document_terms(d: DocumentAnalysis, cache: dict) -> tuple[list[str], list[tuple[str, str]]]:
    """`framing_terms` of a document, piece by piece (see `_cuts`) when no pattern can cross a cut."""
    language = d.document.language
    if framing_words(language) is None or not _framing_starts(language)[2]:
        return framing_terms(d.document.text, language)
    vague: list[str] = []
    specific: list[tuple[str, str]] = []
    for piece in _pieces(d.document.text, _cuts(d)):
        if (language, piece) not in cache:
            cache[(language, piece)] = framing_terms(piece, language)
        vague.extend(cache[(language, piece)][0])
        specific.extend(cache[(language, piece)][1])
    return vague, specific


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
    cache: dict[tuple[str, str], tuple[list[str], list[tuple[str, str]]]] = {}
    by_party: dict[str, list[tuple[DocumentAnalysis, list[str], list[tuple[str, str]]]]] = {}
    for d in analysis.documents:
        language = d.document.language
        for s in d.statements:
            if (language, s.text) not in cache:
                cache[(language, s.text)] = framing_terms(s.text, language)
            vague, specific = cache[(language, s.text)]
            by_party.setdefault(s.source_name, []).append((d, vague, specific))
            for _, concept in specific:
                key = (keys[s.doc_id], s.id)
                if concept not in first_user or key < first_user[concept][0]:
                    first_user[concept] = (key, s.source_name)
    rows = []
    for d in analysis.documents:
        vague, specific = _document_terms(d, cache)
        rows.append(_framing_row("document", d.document.meta.id, d.document.meta.kind, d.document.language,
                                 vague, specific, first_user))
    for party in parties(analysis):
        own = by_party.get(party.name)
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
