"""CPU time per document of each engine stage: reading, sentence splitting, attribution, facts.

Runs the stages of `analyzer.pipeline.analyze_document` one by one over the first N documents
of a case, twice (the second pass is reported: caches warm, as in a long run), timed with
process_time so that other processes on the machine disturb the figures little.

    python benchmarks/synthetic.py /tmp/syn --docs 5000
    python benchmarks/stages.py /tmp/syn/case-0001 --docs 1000
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analyzer.attribute import attribute  # noqa: E402
from analyzer.case import read_case, read_document  # noqa: E402
from analyzer.facts import detect_facts  # noqa: E402
from analyzer.pipeline import warm_up  # noqa: E402
from analyzer.segment import split_sentences  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", help="a case folder")
    parser.add_argument("--docs", type=int, default=1000, help="documents to time (default 1000)")
    args = parser.parse_args()
    warm_up()
    case = read_case(args.case)
    metas = case.documents[:args.docs]
    clock = time.process_time
    for _ in range(2):
        spent = dict.fromkeys(("read", "segment", "attribute", "facts"), 0.0)
        for meta in metas:
            a = clock()
            document = read_document(meta)
            b = clock()
            sentences = split_sentences(document)
            c = clock()
            statements = attribute(document, sentences, case)
            d = clock()
            detect_facts(document, sentences, statements, case)
            e = clock()
            for stage, seconds in zip(spent, (b - a, c - b, d - c, e - d)):
                spent[stage] += seconds
    per_document = {stage: 1000 * seconds / len(metas) for stage, seconds in spent.items()}
    print(" ".join(f"{stage}={ms:.3f}" for stage, ms in per_document.items()),
          f"total={sum(per_document.values()):.3f} ms/document over {len(metas)} documents")


if __name__ == "__main__":
    main()
