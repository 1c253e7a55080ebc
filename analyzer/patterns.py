"""The cue pattern language of the lexicons and the codebook, compiled to regular expressions.

A pattern is a few words, written as a researcher would say them:

    ``chiffrement*``            a word and any ending (chiffrement, chiffrements)
    ``ransom|rançon``           one of these words
    ``fuite* de données``       words that follow one another
    ``hors_service|offline``    ``_`` joins words inside an alternative
    ``serveurs?``               ``?`` makes the letter before it optional
    ``servers ... encrypted``   up to six other words in between, in the same clause
    ``d'heures``                an apostrophe or hyphen is a word separator

Matching ignores case and accents ("Covea" matches "Covéa"), because texts are often
typed without them. Text is folded with `fold`, which keeps one character for one
character, so match offsets point into the original text.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

GAP_WORDS = 6
# Between two pattern words: spaces, apostrophes, hyphens (d'heures, cyber-attaque).
_SEPARATOR = r"[\s'’\-]+"
# A gap: up to GAP_WORDS words, never across a clause boundary.
_GAP = r"(?:[^\w.;:!?]+\w+){0,%d}?[^\w.;:!?]+" % GAP_WORDS


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """The lowercase, accentless form of one character (one character long)."""
    lowered = char.lower()
    if len(lowered) != 1:  # "İ".lower() has two characters: keep offsets aligned
        return char
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if base.isalnum() or base.isspace() or not lowered.isalnum() else lowered


class _FoldTable(dict):
    """code point -> folded character, filled on first sight (for `str.translate`)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLD = _FoldTable()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CONTEXT_LOWERED = "\u03a3"  # capital sigma: its lowercase depends on the letters around it


def fold(text: str) -> str:
    """Lowercase and strip accents, one character for one character.

    Args:
        text: any text.

    Returns:
        A string of the same length, so offsets in it are offsets in `text`.
    """
    if text.isascii():
        return text.lower()
    # str.lower is C-fast, and the fold of a character is the fold of its lowercase (checked
    # over all of Unicode): only the non-ASCII characters left go through the table, where
    # `translate` would look up every character. Unless some letter lowercases to two
    # characters ("İ") or by context (Σ): then the table does all.
    lowered = text.lower()
    if len(lowered) != len(text) or _CONTEXT_LOWERED in text:
        return text.translate(_FOLD)
    return _NON_ASCII.sub(_fold_match, lowered)


def _fold_match(match: re.Match[str]) -> str:
    """The fold of a one-character match."""
    return _FOLD[ord(match.group())]


def _plain_word_regex(word: str) -> str:
    """The regex of one word: ``?`` makes the previous letter optional, ``*`` any ending."""
    wildcard = word.endswith("*")
    word = word.rstrip("*").strip("'’-")  # "d'" and "l'": the separator after them does the work
    pieces = []
    for char in word:
        if char == "?" and pieces:
            pieces[-1] += "?"
        elif char in "'’-":
            pieces.append(_SEPARATOR)
        else:
            pieces.append(re.escape(char))
    if not pieces:
        raise ValueError("empty word")
    return "".join(pieces) + (r"\w*" if wildcard else "")


def _word_regex(word: str) -> str:
    """The regex of one pattern word: alternatives (``|``), multi-word options (``_``)."""
    options = []
    for option in word.split("|"):
        words = [w for w in option.split("_") if w]
        if not words:
            raise ValueError(f"empty alternative in pattern word {word!r}")
        options.append(_SEPARATOR.join(_plain_word_regex(w) for w in words))
    return "(?:" + "|".join(options) + ")" if len(options) > 1 else options[0]


def pattern_regex(pattern: str) -> str:
    """Translate one cue pattern into a regex over folded text (see the module docstring).

    Args:
        pattern: e.g. ``"fuite* de|des données"``.

    Returns:
        The regex source, bounded by word boundaries on both sides.

    Raises:
        ValueError: the pattern is empty or malformed.
    """
    return _WORD_START + _pattern_body(pattern)


_WORD_START = r"(?<!\w)"


def _pattern_body(pattern: str) -> str:
    """The regex of a pattern without the look-behind that opens it (a plain sequence, no top-level ``|``)."""
    words = fold(pattern).split()
    if not words or words[0] == "..." or words[-1] == "...":
        raise ValueError(f"pattern {pattern!r} must start and end with a word")
    out: list[str] = []
    pending_separator = ""
    for word in words:
        if word == "...":
            pending_separator = _GAP
            continue
        separator = pending_separator or (_SEPARATOR if out else "")
        pending_separator = ""
        out.append(separator + _word_regex(word))
    return "".join(out) + r"(?!\w)"


def compile_patterns(patterns: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any of `patterns` (longest alternatives first).

    The look-behind every pattern opens with is written once, in front of the alternation:
    the same matches, and the regex engine can then test the alternatives' first letters at
    once (ten to twenty times faster than one look-behind per alternative).
    """
    ordered = sorted(set(patterns), key=lambda p: (-len(p), p))
    return re.compile(_WORD_START + "(?:" + "|".join(_pattern_body(p) for p in ordered) + ")")


def literal_regex(phrase: str) -> str:
    """A regex matching `phrase` word for word (a proper name), over folded text."""
    words = [w for w in re.split(r"[\s'’\-]+", fold(phrase)) if w]
    if not words:
        raise ValueError(f"empty phrase {phrase!r}")
    return r"(?<!\w)" + _SEPARATOR.join(re.escape(w) for w in words) + r"(?!\w)"


def _literal_prefix(word: str) -> str:
    """The letters every match of one pattern word starts with ('' when it may start otherwise)."""
    prefix = ""
    for char in word.rstrip("*").strip("'’-"):
        if char == "?":
            return prefix[:-1]
        if char in "'’-":
            return prefix
        prefix += char
    return prefix


def _word_prefixes(word: str, first: bool = True) -> tuple[str, ...]:
    """Literal text of each ``|`` option of a pattern word: its start, or (first=False) its longest piece."""
    if first:
        return tuple(_literal_prefix(next((w for w in option.split("_") if w), "")) for option in word.split("|"))
    return tuple(max((_literal_prefix(piece) for piece in re.split(r"[_'’\-]", option.rstrip("*"))), key=len)
                 for option in word.split("|"))


def first_words(patterns: list[str] | tuple[str, ...]) -> tuple[str, ...] | None:
    """Literal text every match of `compile_patterns(patterns)` starts with, one of these.

    A match of any of the patterns begins, right after a non-word character, with one of
    the returned strings; None when some pattern's first word has no literal prefix.
    Used to try a combined regex only where it can match (the regex engine has no fast
    scan for patterns that open with a look-behind).
    """
    prefixes: set[str] = set()
    for pattern in patterns:
        words = fold(pattern).split()
        options = _word_prefixes(words[0]) if words else ("",)
        if not all(options):
            return None
        prefixes.update(options)
    return tuple(sorted(prefixes))


def anchors(patterns: list[str] | tuple[str, ...]) -> tuple[str, ...] | None:
    """Literal text that any match of `compile_patterns(patterns)` contains, one of these.

    For each pattern, the word whose options have the longest shortest prefix is taken;
    a text containing none of the returned strings cannot match. None when some pattern
    has no literal word at all.
    """
    found: set[str] = set()
    for pattern in patterns:
        best: tuple[str, ...] = ()
        for word in fold(pattern).split():
            if word == "...":
                continue
            options = _word_prefixes(word, first=False)
            if all(options) and (not best or min(map(len, options)) > min(map(len, best))):
                best = options
        if not best:
            return None
        found.update(best)
    return tuple(sorted(found))


_WORD = re.compile(r"\w+")


def _by_word(string_sets) -> tuple[frozenset[int], "_LongestWordPrefix"]:
    """Patterns indexed by the word their strings (anchors, first words) begin with.

    Returns the patterns to try everywhere (strings None, or one not beginning with a word
    character), and the others by word ("lapsus$", "cybermalveillance.gouv.fr": the word the
    string begins with is looked for).
    """
    heads = [None if found is None else [_WORD.match(string) for string in found] for found in string_sets]
    everywhere = frozenset(i for i, found in enumerate(heads) if found is None or not all(found))
    by_word: dict[str, set[int]] = {}
    for i, found in enumerate(heads):
        if i not in everywhere:
            for match in found:
                by_word.setdefault(match.group(), set()).add(i)
    return everywhere, _LongestWordPrefix(by_word)


class Prefilter:
    """Which of many patterns may match a text, found from one look at the text's words.

    Every anchor of a pattern (see `anchors`) is made of word characters and, in any match,
    begins right after a non-word character: it is the start of one of the text's words.
    So a text none of whose words starts with one of a pattern's anchors cannot match it,
    and one pass over the words rules out most patterns at once, instead of one substring
    search per anchor per pattern.
    """

    def __init__(self, anchor_sets: list[tuple[str, ...] | None] | tuple[tuple[str, ...] | None, ...]):
        """`anchor_sets[i]` are pattern i's anchors; None: always try pattern i."""
        self._always, self._anchors = _by_word(anchor_sets)

    def hits(self, folded: str) -> set[int]:
        """The indices of the patterns that may match `folded` (a folded text), as a set."""
        found = set(self._always)
        found.update(*self._anchors.indices(folded))
        return found


class StartFinder:
    """Where each of many patterns may start in a text, found from one look at the text's words.

    A match of a pattern starts, right after a non-word character, with the literal text of
    one of its first words (see `first_words`): at the start of one of the text's words.
    Trying a pattern's regex at those positions only (`matches`) gives the matches of
    `finditer`, without the regex engine testing every character of the text.
    """

    def __init__(self, start_sets: list[tuple[str, ...] | None] | tuple[tuple[str, ...] | None, ...]):
        """`start_sets[i]` is `first_words` of pattern i; None: pattern i may start anywhere."""
        self.anywhere, self._starts = _by_word(start_sets)

    def matches(self, folded: str, regexes: dict[int, re.Pattern[str]]) -> dict[int, list[re.Match[str]]]:
        """The matches of `regexes[i]` (the regex of pattern i, not `anywhere`) in `folded`, as `finditer` gives them.

        One pass over the text's words: each regex is tried where its pattern may start
        (as `matches_at` does for one regex), from the end of its previous match on. A regex that
        matches nowhere has no entry.
        """
        found: dict[int, list[re.Match[str]]] = {}
        ends = dict.fromkeys(regexes, 0)  # where each regex's next match may start
        words = self._starts
        if words.regex is None:
            return found
        for word in words.regex.finditer(folded):
            position = word.start()
            for index in words.with_prefixes[word.group()]:
                end = ends.get(index)
                if end is None or position < end:
                    continue  # not wanted, or inside the regex's previous match
                match = regexes[index].match(folded, position)
                if match:
                    found.setdefault(index, []).append(match)
                    ends[index] = max(match.end(), position + 1)
        return found


class _LongestWordPrefix:
    """Reads, at each word start of a text, the longest of some words that the text's word starts with.

    One regex, a trie of the words, does it in C (instead of one dictionary look-up and a few
    startswith tests per word in Python). The words the text's word also starts with are the
    prefixes of that one, given with it.
    """

    def __init__(self, indices_by_word: dict[str, set[int]]):
        """`indices_by_word`: each word (of word characters) and the indices it stands for."""
        # word -> the indices of it and of its prefixes among the words
        self.with_prefixes = {word: frozenset(at_prefixes(word, indices_by_word)) for word in indices_by_word}
        # matches, at a word start, the longest of the words; None when there are no words
        self.regex = re.compile(_WORD_START + trie_regex(indices_by_word)) if indices_by_word else None

    def indices(self, folded: str) -> list[frozenset[int]]:
        """The indices of each distinct word of `folded` that starts with some of the words (no positions)."""
        if self.regex is None:
            return []
        # findall reads the words in C; each distinct one is looked up once.
        return [self.with_prefixes[word] for word in set(self.regex.findall(folded))]


def at_prefixes(string: str, table: dict[str, set[int]]) -> set[int]:
    """The union of `table[p]` over the prefixes p of `string` (itself included)."""
    return set().union(*(table.get(string[:length], ()) for length in range(1, len(string) + 1)))


def trie_regex(strings: Iterable[str], char_pattern: Callable[[str], str] = re.escape) -> str:
    """A regex matching the longest of `strings` that a text starts with, laid out as a trie.

    "ran", "rancon", "rance" give ``ran(?:c(?:e|on))?``: alternatives that share a prefix
    share its pattern, so the engine reads each letter once instead of trying hundreds of
    alternatives in turn; where a string ends, what follows is optional and greedy, so the
    longest string is read. `char_pattern` gives each character's pattern (itself, escaped).
    """
    trie: dict = {}
    for string in strings:
        node = trie
        for char in string:
            node = node.setdefault(char, {})
        node[""] = {}  # a string ends here
    return _trie_node_regex(trie, char_pattern)


def _trie_node_regex(node: dict, char_pattern: Callable[[str], str]) -> str:
    """The regex of the strings below one node of the trie built by `trie_regex`."""
    branches = [char_pattern(char) + _trie_node_regex(child, char_pattern)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def finditer_from(regex: re.Pattern[str], text: str, starts: tuple[str, ...] | None):
    """The matches of `regex.finditer(text)`, trying the regex only where one of `starts` occurs.

    `starts` comes from `first_words` of the patterns `regex` was compiled from (None: scan
    everywhere). Gives the same matches as `finditer`, much faster on long texts.
    """
    if starts is None:
        yield from regex.finditer(text)
        return
    positions: set[int] = set()
    for start in starts:
        position = text.find(start)
        while position != -1:
            positions.add(position)
            position = text.find(start, position + 1)
    yield from matches_at(regex, text, sorted(positions))


def matches_at(regex: re.Pattern[str], text: str, positions: list[int]):
    """The matches of `regex.finditer(text)`, when every match starts at one of `positions` (sorted).

    As `finditer` does, a match is looked for from the end of the previous one on.
    """
    end = 0
    for position in positions:
        if position < end:
            continue
        match = regex.match(text, position)
        if match:
            yield match
            end = max(match.end(), position + 1)
