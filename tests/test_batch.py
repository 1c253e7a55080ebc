"""The batch: a folder of cases analysed in parallel, deterministic and failure-tolerant."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from analyzer import batch
from analyzer.batch import run_batch
from analyzer.case import find_cases
from analyzer.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import build_corpus  # noqa: E402


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Path:
    """Three small cases, one of them large enough to be split into chunks with 2 jobs."""
    root = tmp_path_factory.mktemp("cases")
    build_corpus(root / "small", 12, 2, seed=1)
    big = build_corpus(root / "big", batch.SPLIT_DOCUMENTS + 6, 1, seed=2)[0]
    big.rename(root / "small" / "case-0003")
    (root / "small" / "case-0003" / "case.yaml").write_text(
        (root / "small" / "case-0003" / "case.yaml").read_text().replace("synthetic-0001", "synthetic-big"))
    return root / "small"


@pytest.fixture(scope="module")
def reference(cases, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("jobs1")
    assert run_batch(find_cases(cases), out, jobs=1, quiet=True) == 0
    return out


def test_writes_each_case_and_the_combined_tables(reference):
    names = {"documents.csv", "statements.csv", "mentions.csv", "disclosures.csv"}
    assert names <= {p.name for p in reference.iterdir() if p.is_file()}
    for case_id in ("synthetic-0001", "synthetic-0002", "synthetic-big"):
        assert names <= {p.name for p in (reference / case_id).iterdir()}
    combined = (reference / "documents.csv").read_text().splitlines()
    per_case = [(reference / c / "documents.csv").read_text().splitlines()
                for c in ("synthetic-0001", "synthetic-0002", "synthetic-big")]
    assert combined == per_case[0] + [line for lines in per_case[1:] for line in lines[1:]]
    assert len(combined) == 1 + 12 + batch.SPLIT_DOCUMENTS + 6


def test_the_big_case_is_split_with_two_jobs(cases):
    from analyzer.case import read_case
    big = read_case(cases / "case-0003")
    assert batch.chunks_of(big, 1) is None
    chunks = batch.chunks_of(big, 2)
    assert chunks and len(chunks) > 1 and tuple(m for c in chunks for m in c) == big.documents
    # Among many cases of its size, a case is one task: the cases keep the workers busy.
    assert batch.chunks_of(big, 2, batch_documents=100 * len(big.documents)) is None


@pytest.mark.slow
def test_two_jobs_give_byte_identical_outputs(cases, reference, tmp_path):
    assert run_batch(find_cases(cases), tmp_path, jobs=2, quiet=True) == 0
    assert _files(tmp_path) == _files(reference)


def test_cli_runs_the_batch_for_a_folder(cases, reference, tmp_path, capsys):
    assert main(["analyze", str(cases), "--out", str(tmp_path), "--quiet"]) == 0
    assert _files(tmp_path) == _files(reference)
    assert capsys.readouterr().err == ""  # --quiet: no progress bar, no summary


def test_progress_bar_goes_to_stderr(cases, tmp_path, capsys):
    small = [cases / "case-0001"]
    assert main(["analyze", str(cases / "case-0001"), "--out", str(tmp_path / "single")]) == 0
    assert run_batch(small, tmp_path / "batch", jobs=1, quiet=False) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "documents" in captured.err and "1 of 1 cases" in captured.err


def _broken_copy(cases: Path, target: Path) -> Path:
    """The cases, with a second case whose case.yaml is broken and a third that fails when analysed."""
    import shutil
    shutil.copytree(cases, target)
    (target / "case-0002" / "case.yaml").write_text("id: broken\ntitle: Broken\ndocuments: [\n")
    return target


@pytest.mark.parametrize("jobs", [1, 2])
def test_keep_going_reports_the_broken_case_and_writes_the_others(cases, tmp_path, capsys, jobs):
    folder = _broken_copy(cases, tmp_path / "cases")
    out = tmp_path / "out"
    status = main(["analyze", str(folder), "--out", str(out), "--keep-going", "--quiet", "--jobs", str(jobs)])
    assert status == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: ") and "case-0002" in errors[0]
    assert (out / "synthetic-0001" / "mentions.csv").exists() and (out / "synthetic-big" / "mentions.csv").exists()
    assert not (out / "broken").exists()
    assert (out / "documents.csv").read_text().count("synthetic-0002") == 0


def test_without_keep_going_a_broken_case_stops_the_run(cases, tmp_path, capsys):
    folder = _broken_copy(cases, tmp_path / "cases")
    assert main(["analyze", str(folder), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and "case-0002" in errors[0]


def _failing_assemble(case, chunks, offloaded=None):
    """`batch.assemble`, failing (after a while) for the big case."""
    import time
    if case.id == "synthetic-big":
        time.sleep(1)
        raise RuntimeError("disk on fire")
    return _ASSEMBLE(case, chunks, offloaded)


def _failing_analyze(case, progress=None):
    if case.id == "synthetic-big":
        _failing_assemble(case, [])
    return _ANALYZE(case, progress)


_ASSEMBLE, _ANALYZE = batch.assemble, batch.analyze


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_later_failure_keeps_the_cases_already_written(cases, reference, tmp_path, monkeypatch, capsys, jobs):
    """A case failing during its analysis stops the run; the folders written before stay whole."""
    # Workers are forked on Linux, so they see the patched functions too.
    monkeypatch.setattr(batch, "assemble", _failing_assemble)
    monkeypatch.setattr(batch, "analyze", _failing_analyze)
    out = tmp_path / "out"
    status = main(["analyze", str(cases), "--out", str(out), "--quiet", "--jobs", str(jobs)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and err == [f"error: {cases / 'case-0003'}: RuntimeError: disk on fire"]
    for case_id in ("synthetic-0001", "synthetic-0002"):
        assert _files(out / case_id) == _files(reference / case_id)
    assert not (out / "synthetic-big").exists() and not (out / "documents.csv").exists()
    assert not any(p.name.startswith(".") for p in out.iterdir())  # no staging folder left behind


def test_a_rerun_replaces_a_case_folder_whole(cases, reference, tmp_path):
    out = tmp_path / "out"
    (out / "synthetic-0001").mkdir(parents=True)
    (out / "synthetic-0001" / "stale.csv").write_text("old")
    shutil.copy(reference / "synthetic-0001" / "datapackage.json", out / "synthetic-0001")  # a folder of ours
    assert run_batch(find_cases(cases), out, jobs=1, quiet=True) == 0
    assert _files(out) == _files(reference)


@pytest.mark.parametrize("first, second, combined", [
    ("a,b\n1,2\n", "a,b\n3,4\n", "a,b\n1,2\n3,4\n"),
    ("a,b\n", "a,b\n3,4\n", "a,b\n3,4\n"),  # a case without rows adds nothing but is no error
])
def test_combined_tables_are_the_cases_one_after_the_other(tmp_path, first, second, combined):
    for case_id, text in (("one", first), ("two", second)):
        (tmp_path / case_id).mkdir()
        (tmp_path / case_id / "documents.csv").write_text(text)
    batch._write_combined(tmp_path, ["one", "two"], ["documents.csv"])
    assert (tmp_path / "documents.csv").read_text() == combined


def test_combined_tables_with_different_columns_fail_and_write_nothing(tmp_path):
    for case_id, text in (("one", "a,b\n1,2\n"), ("two", "a,c\n3,4\n")):
        (tmp_path / case_id).mkdir()
        (tmp_path / case_id / "documents.csv").write_text(text)
    with pytest.raises(batch.CaseFailure, match="columns differ"):
        batch._write_combined(tmp_path, ["one", "two"], ["documents.csv"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["datapackage.json", "one", "two"]


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_one_large_case_with_two_jobs_gives_the_files_of_one_job(cases, tmp_path, monkeypatch, engine):
    """`analyze CASE --jobs 2` analyses the case's documents in parallel; the files are those of --jobs 1."""
    if engine == "dask":
        pytest.importorskip("distributed")
    engines = []
    monkeypatch.setattr(batch, "analyze_one", lambda *args: engines.append(args[1:]) or _ANALYZE_ONE(*args))
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["analyze", str(cases / "case-0003"), "--out", str(one), "--quiet"]) == 0
    assert main(["analyze", str(cases / "case-0003"), "--out", str(two), "--quiet", "--jobs", "2",
                 "--engine", engine]) == 0
    assert engines == [(1, "local", None, True), (2, engine, None, True)]
    assert _files(two) == _files(one) and "mentions.csv" in _files(one)


_ANALYZE_ONE = batch.analyze_one


@pytest.mark.parametrize(("engine", "jobs"), [("local", 1), ("local", 2), ("dask", 2)])
def test_progress_counts_the_documents_as_they_are_analysed(cases, engine, jobs):
    """The progress bar moves during a large case: per document in one process, per chunk with workers."""
    if engine == "dask":
        pytest.importorskip("distributed")
    units, _ = batch._read_cases([cases / "case-0003"], jobs)
    told: list[int] = []
    results = list(batch._run(units, jobs, engine, None, told.append))
    n_documents = len(units[0].case.documents)
    assert [type(result) for _, result in results] == [batch.CaseOutput]
    assert sum(told) == n_documents
    if jobs > 1:
        assert sorted(told) == sorted(map(len, units[0].chunks))
    else:
        assert told == [1] * n_documents


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_failing_case_is_one_line(cases, tmp_path, capfd, jobs):
    """One line on stderr, from this process or its workers (capfd reads the file descriptor)."""
    import shutil
    case = tmp_path / "case"
    shutil.copytree(cases / "case-0003", case)
    (case / "documents" / "doc-000001.pdf").write_bytes(b"not a pdf")  # accepted by read_case, fails on a worker
    (case / "case.yaml").write_text((case / "case.yaml").read_text().replace("doc-000001.txt", "doc-000001.pdf"))
    assert main(["analyze", str(case), "--out", str(tmp_path / "out"), "--quiet", "--jobs", jobs]) == 2
    errors = capfd.readouterr().err.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: ") and "doc-000001.pdf" in errors[0]
    assert not (tmp_path / "out" / "mentions.csv").exists()


def test_a_chunks_case_keeps_the_year_its_documents_start():
    # Facts read "In 2017, …" against the case's first year: a chunk's task, which carries no
    # document list, must read it the same, or --jobs 2 would differ from --jobs 1.
    from analyzer.batch import _chunk_case
    from analyzer.case import read_case
    from conftest import MMA

    case = read_case(MMA)
    chunk = _chunk_case(case)
    assert chunk.documents == () and chunk.earliest_year() == case.earliest_year() == 2020
