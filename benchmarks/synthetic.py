"""Synthetic corpora for benchmarks and batch tests: the MMA case's sentences, resampled.

Each synthetic document takes 6 to 18 sentences drawn from the French or the English
article of corpora/mma-2020 (so French and English documents alternate as in the case),
with every figure's digits replaced and a random date, in paragraphs of 1 to 4 sentences.
Cases are real folders with a case.yaml, ready for `transparency analyze`.

    python benchmarks/synthetic.py OUT_DIR --docs 1000 --cases 4 [--seed 0]
"""
from __future__ import annotations

import argparse
import datetime
import random
import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "corpora" / "mma-2020"
_SENTENCE_END = re.compile(r"(?<=[.!?»”])\s+(?=[«“\"A-ZÀ-Ý0-9])")
_DIGIT = re.compile(r"\d")
KINDS = ("press",) * 6 + ("management", "union", "expert")
PARTIES = """parties:
  - {name: MMA / Covéa, role: management, aliases: [MMA, Covéa, Covea, COVEA, Mutuelles du Mans Assurances]}
  - {name: CGT Covéa, role: union, aliases: [CGT Covéa, Collectif CGT COVEA, CGT]}
  - {name: Zataz, role: expert, aliases: [Zataz, Zataz.com]}
"""


def source_sentences() -> dict[str, list[str]]:
    """The sentences of the MMA case's documents, by language."""
    by_language: dict[str, list[str]] = {"fr": [], "en": []}
    for path in sorted((SOURCE / "documents").glob("*.txt")):
        language = "en" if "geekynews" in path.name else "fr"
        for paragraph in path.read_text(encoding="utf-8").split("\n"):
            by_language[language] += [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]
    return by_language


def _document_text(rng: random.Random, sentences: list[str]) -> str:
    """A document: resampled sentences, digits shuffled, in short paragraphs."""
    chosen = [_DIGIT.sub(lambda _: str(rng.randrange(10)), rng.choice(sentences))
              for _ in range(rng.randint(6, 18))]
    paragraphs, position = [], 0
    while position < len(chosen):
        size = rng.randint(1, 4)
        paragraphs.append(" ".join(chosen[position:position + size]))
        position += size
    return "\n\n".join(paragraphs) + "\n"


def build_corpus(root: str | Path, n_documents: int, n_cases: int = 1, seed: int = 0) -> list[Path]:
    """Write `n_cases` case folders holding `n_documents` documents in all under `root`.

    Args:
        root: the folder to write into (created if missing).
        n_documents: documents in all, spread evenly over the cases.
        n_cases: how many case folders.
        seed: the random seed; the same arguments always give the same files.

    Returns:
        The case folders, in order (case-0001, case-0002, ...).
    """
    root = Path(root)
    rng = random.Random(seed)
    sentences = source_sentences()
    start = datetime.date(2020, 7, 1)
    cases = []
    for case_number in range(n_cases):
        folder = root / f"case-{case_number + 1:04d}"
        (folder / "documents").mkdir(parents=True, exist_ok=True)
        count = n_documents // n_cases + (1 if case_number < n_documents % n_cases else 0)
        entries = []
        for number in range(count):
            language = "fr" if number % 2 == 0 else "en"
            doc_id = f"doc-{number + 1:06d}"
            (folder / "documents" / f"{doc_id}.txt").write_text(
                _document_text(rng, sentences[language]), encoding="utf-8")
            kind = rng.choice(KINDS)
            date = start + datetime.timedelta(days=rng.randrange(365))
            entries.append(f"  - {{id: {doc_id}, file: documents/{doc_id}.txt, kind: {kind}, "
                           f"outlet: Outlet {rng.randrange(20)}, date: {date.isoformat()}, language: {language}}}\n")
        (folder / "case.yaml").write_text(
            f"id: synthetic-{case_number + 1:04d}\ntitle: Synthetic case {case_number + 1}\norganisation: MMA\n"
            + PARTIES + "documents:\n" + "".join(entries), encoding="utf-8")
        cases.append(folder)
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write the cases into")
    parser.add_argument("--docs", type=int, default=1000, help="documents in all (default 1000)")
    parser.add_argument("--cases", type=int, default=1, help="number of cases (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for folder in build_corpus(args.out, args.docs, args.cases, args.seed):
        print(folder)


if __name__ == "__main__":
    main()
