"""The dask engine gives the local engine's outputs, byte for byte."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from analyzer import batch
from analyzer.batch import run_batch
from analyzer.case import find_cases

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import build_corpus  # noqa: E402

distributed = pytest.importorskip("distributed")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    """One LocalCluster of two worker processes for the module, shut down at the end."""
    from dask.distributed import LocalCluster
    import logging
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as local:
        yield local
    assert local.status.name == "closed"


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> Path:
    """Two small cases and one split into chunks of documents."""
    root = tmp_path_factory.mktemp("cases")
    build_corpus(root, 10, 2, seed=3)
    big = build_corpus(tmp_path_factory.mktemp("big"), batch.SPLIT_DOCUMENTS + 4, 1, seed=4)[0]
    text = (big / "case.yaml").read_text().replace("synthetic-0001", "synthetic-big")
    big.rename(root / "case-0003")
    (root / "case-0003" / "case.yaml").write_text(text)
    return root


@pytest.mark.slow
def test_dask_output_equals_local_output(cluster, cases, tmp_path):
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert run_batch(find_cases(cases), local, jobs=1, quiet=True) == 0
    assert run_batch(find_cases(cases), dask, jobs=2, engine="dask", scheduler=cluster.scheduler_address,
                     quiet=True) == 0
    assert _files(dask) == _files(local)
    assert (dask / "synthetic-big" / "mentions.csv").exists()


@pytest.mark.slow
def test_dask_keep_going_reports_a_failing_case(cluster, cases, tmp_path, capsys):
    import shutil
    folder = tmp_path / "cases"
    shutil.copytree(cases, folder)
    (folder / "case-0001" / "documents" / "doc-000001.txt").unlink()
    (folder / "case-0001" / "documents" / "doc-000001.txt").mkdir()  # unreadable: fails on the worker?
    status = run_batch(find_cases(folder), tmp_path / "out", jobs=2, engine="dask",
                       scheduler=cluster.scheduler_address, keep_going=True, quiet=True)
    errors = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and len(errors) == 1 and "case-0001" in errors[0]
    assert (tmp_path / "out" / "synthetic-0002" / "mentions.csv").exists()


@pytest.mark.slow
def test_dask_reports_a_failing_split_case_once(cluster, cases, tmp_path, capsys):
    import shutil
    folder = tmp_path / "cases"
    shutil.copytree(cases, folder)
    # A PDF that is not one: read_case accepts it, its chunk's task fails, and both halves of
    # the case's assembly, which depend on that chunk, fail with it.
    (folder / "case-0003" / "documents" / "doc-000001.pdf").write_bytes(b"not a pdf")
    case_file = folder / "case-0003" / "case.yaml"
    case_file.write_text(case_file.read_text().replace("documents/doc-000001.txt", "documents/doc-000001.pdf"))
    status = run_batch(find_cases(folder), tmp_path / "out", jobs=2, engine="dask",
                       scheduler=cluster.scheduler_address, keep_going=True, quiet=True)
    errors = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and len(errors) == 1 and "case-0003" in errors[0]
    assert not (tmp_path / "out" / "synthetic-big").exists()
    assert (tmp_path / "out" / "synthetic-0002" / "mentions.csv").exists()
