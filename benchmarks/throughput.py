"""Throughput of the full analysis against a plain TF-IDF pass over the same text.

For each size, builds a synthetic corpus (benchmarks/synthetic.py), then times, in the
same run and as whole processes (interpreter start and imports included):

- ``python -m analyzer analyze CORPUS --out OUT --jobs J --quiet`` for each J of --jobs;
- ``TfidfVectorizer().fit_transform(texts)`` over the same documents' texts (read from
  the same files);
- optionally (``--tools ... spacy``) spaCy's fr_core_news_sm, the peer a researcher would
  otherwise reach for: ``spacy.load`` then ``nlp.pipe`` over the same texts with every
  component of the pipeline (tagger, parser, NER, lemmatizer), ``n_process`` = each --jobs
  value. The one French model reads the English documents too (the synthetic corpora
  alternate languages): the cost per character is what is compared, not the analysis.

Prints documents/s, MB/s, peak resident memory of the process (largest single process:
ru_maxrss of the children of a small timing wrapper) and the ratio to TF-IDF, and writes
the figures to benchmarks/results/throughput-<time>.json.

    python benchmarks/throughput.py --docs 1000 10000 --cases 10 100 --jobs 1 2
    python benchmarks/throughput.py --docs 5000 --tools tfidf spacy    # needs the bench extra
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from synthetic import build_corpus  # noqa: E402

# Runs a command and reports its wall time and the peak RSS of its process tree's largest process.
_TIMER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.run(sys.argv[1:]).returncode
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "status": status}))
"""

_TFIDF = """
import sys
from pathlib import Path
from sklearn.feature_extraction.text import TfidfVectorizer
texts = [Path(line).read_text(encoding="utf-8") for line in Path(sys.argv[1]).read_text().splitlines()]
matrix = TfidfVectorizer().fit_transform(texts)
print(matrix.shape, file=sys.stderr)
"""

_SPACY = """
import sys
from pathlib import Path
import spacy
nlp = spacy.load("fr_core_news_sm")
texts = [Path(line).read_text(encoding="utf-8") for line in Path(sys.argv[1]).read_text().splitlines()]
for _ in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])):
    pass
"""


def timed(command: list[str]) -> dict:
    """Wall time and peak memory of a command run as its own process."""
    completed = subprocess.run([sys.executable, "-c", _TIMER, *command], capture_output=True, text=True,
                               cwd=REPO)
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    if figures["status"] != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{completed.stderr[-2000:]}")
    return figures


def spacy_available() -> bool:
    """Whether spaCy and fr_core_news_sm are installed (an optional `bench` extra)."""
    check = "import spacy; spacy.load('fr_core_news_sm')"
    return subprocess.run([sys.executable, "-c", check], capture_output=True).returncode == 0


def measure(n_documents: int, n_cases: int, jobs: list[int], engine: str, tools: list[str],
            workdir: Path) -> list[dict]:
    """Every timing for one corpus size."""
    corpus = workdir / f"corpus-{n_documents}"
    cases = build_corpus(corpus, n_documents, n_cases)
    files = sorted(str(p) for case in cases for p in (case / "documents").glob("*.txt"))
    megabytes = sum(Path(f).stat().st_size for f in files) / 1e6
    listing = workdir / f"files-{n_documents}.txt"
    listing.write_text("\n".join(files))
    rows = []
    tfidf = timed([sys.executable, "-c", _TFIDF, str(listing)])
    rows.append({"tool": "tfidf", "jobs": 1, **tfidf})
    for n_jobs in jobs:
        if "analyze" in tools:
            out = workdir / f"out-{n_documents}-{n_jobs}"
            figures = timed([sys.executable, "-m", "analyzer", "analyze", str(corpus), "--out", str(out),
                             "--quiet", "--jobs", str(n_jobs), "--engine", engine])
            rows.append({"tool": f"analyze ({engine})", "jobs": n_jobs, **figures})
        if "spacy" in tools:
            rows.append({"tool": "spacy fr_core_news_sm", "jobs": n_jobs,
                         **timed([sys.executable, "-c", _SPACY, str(listing), str(n_jobs)])})
    for row in rows:
        row.update(documents=n_documents, cases=n_cases, megabytes=round(megabytes, 2),
                   docs_per_s=n_documents / row["seconds"], mb_per_s=megabytes / row["seconds"],
                   ratio_to_tfidf=row["seconds"] / tfidf["seconds"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (documents)")
    parser.add_argument("--cases", type=int, nargs="+", default=[1],
                        help="cases each corpus is split into: one value for all sizes, or one per size (default 1)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to time (default 1 2)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--tools", nargs="+", choices=("analyze", "spacy"), default=["analyze"],
                        help="what to time besides TF-IDF (default: analyze); spacy needs the bench extra")
    parser.add_argument("--workdir", help="where to build the corpora (default: a temporary folder)")
    args = parser.parse_args()
    cases = args.cases * len(args.docs) if len(args.cases) == 1 else args.cases
    if len(cases) != len(args.docs):
        parser.error("give one --cases value, or one per --docs value")
    if "spacy" in args.tools and not spacy_available():
        raise SystemExit("spaCy or fr_core_news_sm is not installed: pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        rows = [row for n, n_cases in zip(args.docs, cases)
                for row in measure(n, n_cases, args.jobs, args.engine, args.tools, Path(workdir))]
    header = f"{'docs':>7} {'cases':>5} {'tool':<22} {'jobs':>4} {'seconds':>8} {'docs/s':>8} {'MB/s':>6} " \
             f"{'peak MB':>8} {'×tfidf':>7}"
    print(header)
    for r in rows:
        print(f"{r['documents']:>7} {r['cases']:>5} {r['tool']:<22} {r['jobs']:>4} {r['seconds']:>8.1f} "
              f"{r['docs_per_s']:>8.0f} {r['mb_per_s']:>6.2f} {r['peak_mb']:>8.0f} {r['ratio_to_tfidf']:>7.1f}")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    target = results / f"throughput-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps(rows, indent=2))
    print(f"-> {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
