"""Analysing a folder of cases in parallel: a local process pool, or dask.distributed.

Each case's tables go to ``OUT/<case_id>/`` as soon as the case is done (the folder is
written aside and renamed into place, so it is complete or absent; `tables.write_folder`
replaces only a folder the analyzer wrote); the combined tables
``OUT/*.csv`` are written at the end, in case order. A case that is large and a large
share of the batch is split into chunks of documents analysed in parallel, then assembled
in two halves at once: most tables (`main_files`; by the parent with the local engine) and
the OFFLOADED ones (`offloaded_files`, by a worker).
Outputs are byte-identical for any number of jobs and either engine: every document is
analysed on its own, and the tables of a case are built from its documents in case order.

Errors: all the case.yaml files are read first. Without ``keep_going`` the first failure
(a malformed case.yaml, or a case whose analysis fails) stops the run with one line on
stderr and exit status 2; what finished before stays on disk. With ``keep_going`` each
failing case is reported (one line) and skipped, and the exit status is 1 at the end.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from . import collector
from .case import read_case
from .errors import CaseError
from .model import Case, CaseAnalysis, DocumentMeta
from .pipeline import (SIMILARITY_TABLES, analyze, analyze_document, result_of, scored_tables,
                       similarity_tables, warm_up)
from .schema import TABLES, datapackage_json
from .tables import (atomic_writer, check_output, check_replaceable, is_our_package, prepare_output, render_files,
                     write_folder, write_text_atomic)

__all__ = ["CaseOutput", "CaseFailure", "run_batch", "analyze_one", "analyze_case_output", "analyze_documents",
           "main_files", "offloaded_files", "combined", "assemble", "chunks_of"]

EXIT_FAILED = 1  # --keep-going: some cases failed, the others are written
EXIT_STOPPED = 2  # the first failure stopped the run
SPLIT_DOCUMENTS = 64  # a case with more documents is analysed in chunks of documents
# Of a case analysed in chunks, the tables a worker builds while the parent builds the others
# (about half the work each, for thousands of documents).
OFFLOADED = ("similarity", "framing")
ENGINES = ("local", "dask")
Progress = Callable[[int], object]  # told how many more documents have been analysed


class CaseFailure(Exception):
    """A case that could not be analysed, as one line (picklable, to cross process boundaries)."""


@dataclass(frozen=True)
class CaseOutput:
    """A case's tables, rendered as CSV text, ready to be written."""

    case_id: str
    tables: dict[str, str]  # file name (NAME.csv, datapackage.json) -> text
    warnings: tuple[str, ...]
    n_documents: int
    n_mentions: int = 0


def _output(analysis: CaseAnalysis) -> CaseOutput:
    """The CSV texts of an analysed case."""
    with collector.paused():
        result = result_of(analysis)
        return CaseOutput(analysis.case.id, render_files(result.tables, analysis.case.id),
                          result.warnings, len(analysis.documents), len(result.mentions))


def _one_line(error: BaseException) -> str:
    """An exception as one line: a CaseError as written, anything else with its type."""
    text = str(error) if isinstance(error, (CaseError, CaseFailure)) else f"{type(error).__name__}: {error}"
    return " ".join(text.split())


def analyze_case_output(case: Case, progress: Progress | None = None) -> CaseOutput:
    """Analyse a whole case in this process (a task of the batch); `progress` is told of each document."""
    try:
        return _output(analyze(case, progress))
    except Exception as error:
        raise CaseFailure(_one_line(error)) from None


def analyze_documents(case: Case, metas: tuple[DocumentMeta, ...]) -> bytes:
    """Analyse some documents of a case (a task of the batch, for a large case).

    Returns:
        The DocumentAnalysis tuple, pickled: the parent passes it on to the similarity task
        as it came, and unpickles it once for itself.
    """
    try:
        with collector.paused():
            return pickle.dumps(tuple(analyze_document(meta, case) for meta in metas), pickle.HIGHEST_PROTOCOL)
    except Exception as error:
        raise CaseFailure(_one_line(error)) from None


def _chunked_analysis(case: Case, chunks: list[bytes]) -> CaseAnalysis:
    """A case analysed in chunks of documents (`analyze_documents`' results, in case order)."""
    with collector.paused():
        documents = tuple(document for chunk in chunks for document in pickle.loads(chunk))
    return CaseAnalysis(case, documents, tuple(w for d in documents for w in d.document.warnings))


def offloaded_files(case: Case, chunks: list[bytes]) -> dict[str, str]:
    """The OFFLOADED tables' CSV texts of a case analysed in chunks (a task of the batch)."""
    try:
        analysis = _chunked_analysis(case, chunks)
        with collector.paused():
            return render_files(similarity_tables(analysis, OFFLOADED), package=False)
    except Exception as error:
        raise CaseFailure(_one_line(error)) from None


def main_files(case: Case, chunks: list[bytes]) -> CaseOutput:
    """The tables of a case analysed in chunks but the OFFLOADED ones (a task of the batch)."""
    try:
        analysis = _chunked_analysis(case, chunks)
        others = [name for name in SIMILARITY_TABLES if name not in OFFLOADED]
        with collector.paused():
            tables = scored_tables(analysis) | similarity_tables(analysis, others)
            files = render_files(tables, package=False)
        return CaseOutput(case.id, files, analysis.warnings, len(analysis.documents), len(tables["mentions"]))
    except Exception as error:
        raise CaseFailure(_one_line(error)) from None


def combined(main: CaseOutput, offloaded: dict[str, str]) -> CaseOutput:
    """A case's output from `main_files` and `offloaded_files`: every table in export order, and its data package."""
    files = main.tables | offloaded
    names = [name for name in TABLES if f"{name}.csv" in files]
    ordered = {f"{name}.csv": files[f"{name}.csv"] for name in names}
    ordered["datapackage.json"] = datapackage_json(names, main.case_id)
    return CaseOutput(main.case_id, ordered, main.warnings, main.n_documents, main.n_mentions)


def assemble(case: Case, chunks: list[bytes], offloaded: Future) -> CaseOutput:
    """The tables of a case analysed in chunks of documents, given in case order.

    Args:
        case: the case.
        chunks: `analyze_documents`' results, in case order.
        offloaded: a task computing `offloaded_files` for the same chunks.
    """
    try:
        return combined(main_files(case, chunks), offloaded.result())
    except Exception as error:
        raise CaseFailure(_one_line(error)) from None


def _chunk_case(case: Case) -> Case:
    """The case as a chunk's task needs it: parties and metadata without the document list.

    Every task carries its case; unpickling 5,000 documents' metadata took a worker a quarter
    of a second per chunk.
    """
    return replace(case, documents=(), first_year=case.earliest_year())


def chunks_of(case: Case, jobs: int, batch_documents: int = 0) -> list[tuple[DocumentMeta, ...]] | None:
    """How to split a case's documents into tasks; None to analyse it as one task.

    A case is split when it is large (over SPLIT_DOCUMENTS documents) and holds a large share
    of the batch (`batch_documents`, 0: this case alone): many cases already keep the workers
    busy, and an unsplit case is assembled in its worker, in parallel with the others.
    """
    documents = case.documents
    if jobs < 2 or len(documents) <= SPLIT_DOCUMENTS or len(documents) * 2 * jobs < batch_documents:
        return None
    size = max(SPLIT_DOCUMENTS // 2, min(4 * SPLIT_DOCUMENTS, -(-len(documents) // (4 * jobs))))
    return [documents[i:i + size] for i in range(0, len(documents), size)]


@dataclass(frozen=True)
class _Unit:
    """One case to run: its position in the batch, the case, and its chunks (None: one task)."""

    index: int
    case: Case
    chunks: list[tuple[DocumentMeta, ...]] | None


# --- Engines: each yields (case index, CaseOutput or the exception), in completion order, ----
# --- and tells `progress` how many documents were analysed as each task ends --------------


def _inline(units: list[_Unit], progress: Progress) -> Iterator[tuple[int, CaseOutput | BaseException]]:
    """One job: everything in this process, in case order."""
    for unit in units:
        try:
            yield unit.index, analyze_case_output(unit.case, progress)
        except Exception as error:
            yield unit.index, error


def _init_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool, and end with it.

    On Linux the kernel sends a worker SIGTERM when the parent dies, even by SIGKILL: no
    worker outlives the run (re-parented to PID 1).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() == 1:  # the parent died before the call
                os._exit(1)
        except (OSError, AttributeError):
            pass


_PR_SET_PDEATHSIG = 1  # prctl(2)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now (an interrupted run must not leave them computing)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):  # no public way to reach them
        if process.is_alive():
            process.terminate()


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork on Linux (workers start at once, with the lexicons loaded); spawn elsewhere."""
    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _local(units: list[_Unit], jobs: int, progress: Progress) -> Iterator[tuple[int, CaseOutput | BaseException]]:
    """A process pool of `jobs` workers: a task per case, or per chunk of a large case (assembled here)."""
    if jobs == 1:
        yield from _inline(units, progress)
        return
    warm_up()  # before forking, so that workers inherit the compiled resources
    pool = ProcessPoolExecutor(jobs, mp_context=_pool_context(), initializer=_init_worker)
    interrupted = False
    try:
        pending: dict[Future, tuple[_Unit, int | None]] = {}
        parts: dict[int, list] = {}
        for unit in units:
            if unit.chunks is None:
                pending[pool.submit(analyze_case_output, unit.case)] = (unit, None)
            else:
                parts[unit.index] = [None] * len(unit.chunks)
                case = _chunk_case(unit.case)
                for number, chunk in enumerate(unit.chunks):
                    pending[pool.submit(analyze_documents, case, chunk)] = (unit, number)
        failed: set[int] = set()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f][0].index):
                unit, number = pending.pop(future)
                if unit.index in failed:
                    continue
                error = future.exception()
                if error is not None:
                    failed.add(unit.index)
                    for other, (other_unit, _) in list(pending.items()):
                        if other_unit.index == unit.index:
                            other.cancel()
                            del pending[other]
                    yield unit.index, error
                elif number is None:
                    progress(len(unit.case.documents))
                    yield unit.index, future.result()
                else:
                    progress(len(unit.chunks[number]))
                    chunks = parts[unit.index]
                    chunks[number] = future.result()
                    if all(chunk is not None for chunk in chunks):
                        # Assembled here, the OFFLOADED tables by a worker meanwhile: the
                        # chunks reach it still pickled.
                        del parts[unit.index]
                        offloaded = pool.submit(offloaded_files, _chunk_case(unit.case), chunks)
                        try:
                            yield unit.index, assemble(unit.case, chunks, offloaded)
                        except Exception as error:  # as a worker's failure would come back
                            yield unit.index, error
    except BaseException:
        interrupted = True
        raise
    finally:
        if interrupted:
            _stop_workers(pool)
        pool.shutdown(wait=not interrupted, cancel_futures=True)


def _dask(units: list[_Unit], jobs: int, scheduler: str | None,
          progress: Progress) -> Iterator[tuple[int, CaseOutput | BaseException]]:
    """dask.distributed: a task per case, or per chunk plus the two halves of its assembly (`main_files`
    and `offloaded_files`, which depend on the chunks and run at once), combined here."""
    import logging

    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        # CRITICAL: a failing case is reported as one line, not as a worker's "Compute Failed" traceback.
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.CRITICAL)
    try:
        client = Client(scheduler or cluster)
    except OSError as error:
        if cluster is not None:
            cluster.close()
        raise CaseError("--scheduler", f"cannot reach the dask scheduler {scheduler} ({_one_line(error)})",
                        "check the address, or leave --scheduler out to start a local cluster") from None
    try:
        finals: dict = {}  # future -> (case index, None for a whole case, else "main" or "offloaded")
        chunks: dict = {}  # future of a chunk -> its number of documents (for the progress only)
        for unit in units:
            if unit.chunks is None:
                finals[client.submit(analyze_case_output, unit.case, pure=False)] = (unit.index, None)
                continue
            case = _chunk_case(unit.case)
            parts = [client.submit(analyze_documents, case, chunk, pure=False) for chunk in unit.chunks]
            chunks.update(zip(parts, map(len, unit.chunks)))
            finals[client.submit(main_files, unit.case, parts, pure=False)] = (unit.index, "main")
            finals[client.submit(offloaded_files, case, parts, pure=False)] = (unit.index, "offloaded")
        halves: dict[int, dict] = {}
        failed: set[int] = set()
        for future in as_completed([*chunks, *finals]):
            if future in chunks:  # its result stays on the workers; a failure comes back with its case's halves
                if future.status == "finished":
                    progress(chunks[future])
                future.release()
                continue
            index, half = finals[future]
            try:
                result = future.result()
            except Exception as error:
                if index not in failed:
                    failed.add(index)
                    yield index, error
                continue
            finally:
                future.release()
            if half is None:
                progress(result.n_documents)
                yield index, result
            elif index not in failed:
                halves.setdefault(index, {})[half] = result
                if len(halves[index]) == 2:
                    both = halves.pop(index)
                    yield index, combined(both["main"], both["offloaded"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- Writing -----------------------------------------------------------------------------


def _write_combined(out: Path, case_ids: list[str], names: list[str]) -> list[Path]:
    """OUT/NAME.csv: each case's NAME.csv one after the other in case order, under one header."""
    paths = []
    tables = [name[:-len(".csv")] for name in names if name.endswith(".csv")]
    write_text_atomic(out / "datapackage.json", datapackage_json(tables))
    for name in tables:
        sources = [out / case_id / f"{name}.csv" for case_id in case_ids]
        sources = [source for source in sources if source.exists()]
        if not sources:
            continue
        path = out / f"{name}.csv"
        header = None
        with atomic_writer(path) as stream:  # streamed case by case: memory is one case's table
            for source in sources:
                with open(source, encoding="utf-8", newline="") as table:
                    first = table.readline()
                    if header is None:
                        header = first
                        stream.write(first)
                    elif first != header:
                        raise CaseFailure(f"{source}: its columns differ from the other cases' {name}.csv")
                    shutil.copyfileobj(table, stream)
        paths.append(path)
    return paths


# --- The batch -----------------------------------------------------------------------------


def _read_cases(cases: list[Path], jobs: int) -> tuple[list[_Unit], list[tuple[int, BaseException]]]:
    """Read every case.yaml: the units to run, and the cases that cannot be read."""
    units, failures, seen = [], [], {}
    for index, path in enumerate(cases):
        try:
            case = read_case(path)
            if case.id in seen:
                raise CaseError(path, f"case id '{case.id}' is also the id of {cases[seen[case.id]]}",
                                "give each case its own id")
        except CaseError as error:
            failures.append((index, error))
            continue
        seen[case.id] = index
        units.append(_Unit(index, case, None))
    total = sum(len(unit.case.documents) for unit in units)
    return [_Unit(unit.index, unit.case, chunks_of(unit.case, jobs, total)) for unit in units], failures


def _check_engine(engine: str) -> None:
    """CaseError unless `engine` is one of ENGINES."""
    if engine not in ENGINES:
        raise CaseError("--engine", f"unknown engine '{engine}'", f"use one of {', '.join(ENGINES)}")


def _run(units: list[_Unit], jobs: int, engine: str, scheduler: str | None,
         progress: Progress) -> Iterator[tuple[int, CaseOutput | BaseException]]:
    """The results of an engine (see ENGINES), case by case in completion order."""
    return _dask(units, jobs, scheduler, progress) if engine == "dask" else _local(units, jobs, progress)


def _progress_bar(units: list[_Unit], quiet: bool) -> tqdm:
    """A bar of the documents analysed, on stderr; hidden when quiet or when stderr is not a terminal."""
    return tqdm(total=sum(len(unit.case.documents) for unit in units), desc="documents", unit="doc",
                disable=quiet or None, file=sys.stderr, dynamic_ncols=True)


def analyze_one(path: Path, jobs: int = 1, engine: str = "local", scheduler: str | None = None,
                quiet: bool = True) -> CaseOutput:
    """One case analysed by an engine (a large one in chunks of documents, in parallel), not yet written.

    A progress bar of its documents goes to stderr unless `quiet`.

    Raises:
        CaseError: its case.yaml is malformed.
        CaseFailure: its analysis failed (one line).
    """
    _check_engine(engine)
    units, failures = _read_cases([path], jobs)
    if failures:
        raise failures[0][1]
    bar = _progress_bar(units, quiet)
    outputs = _run(units, jobs, engine, scheduler, bar.update)
    try:
        for _, result in outputs:
            if isinstance(result, BaseException):
                raise CaseFailure(_one_line(result))
            return result
    finally:
        outputs.close()
        bar.close()
    raise CaseFailure(f"{path}: no output")  # an engine yields one result per case


def run_batch(cases: list[Path], out: Path, jobs: int = 1, engine: str = "local", scheduler: str | None = None,
              keep_going: bool = False, quiet: bool = False) -> int:
    """Analyse cases in parallel and write their tables.

    Args:
        cases: case folders (or case.yaml files), in the order of the combined tables.
        out: the output folder: OUT/<case_id>/*.csv per case, OUT/*.csv combined.
        jobs: worker processes (local engine) or workers of the LocalCluster (dask engine).
        engine: "local" (a process pool) or "dask" (dask.distributed).
        scheduler: a dask scheduler address; None starts a LocalCluster.
        keep_going: report a failing case and go on; otherwise the first failure stops the run.
        quiet: no progress bar and no warnings (errors are still printed).

    Returns:
        The exit status: 0 all written, 1 some cases failed (keep_going), 2 stopped by a failure.
    """
    _check_engine(engine)
    out = Path(out)
    check_output(out, [path if path.is_dir() else path.parent for path in cases])
    out = prepare_output(out)
    package = out / "datapackage.json"
    combined_files = [out / f"{name}.csv" for name in TABLES]  # OUT/NAME.csv, replaced at the end
    for path in [package, *combined_files]:
        if (path.exists() or path.is_symlink()) and not is_our_package(package):
            raise CaseError(path, "was not written by the analyzer (no datapackage.json of ours beside it)",
                            "choose another --out")
    units, failures = _read_cases(cases, jobs)
    check_output(out, [meta.path for unit in units for meta in unit.case.documents])
    ready = []
    for unit in units:  # refused before any analysis: a case folder whose output place holds files not ours
        try:
            check_replaceable(out / unit.case.id)
            ready.append(unit)
        except CaseError as error:
            failures.append((unit.index, error))
    units = ready
    for index, error in sorted(failures, key=lambda failure: failure[0]):
        print(f"error: {_one_line(error)}", file=sys.stderr)
        if not keep_going:
            return EXIT_STOPPED
    written: dict[int, CaseOutput] = {}
    roots = {unit.index: unit.case.root for unit in units}
    bar = _progress_bar(units, quiet)
    outputs = _run(units, jobs, engine, scheduler, bar.update)
    try:
        for index, result in outputs:
            if isinstance(result, BaseException):
                failures.append((index, result))
                bar.write(f"error: {roots[index]}: {_one_line(result)}", file=sys.stderr)
                if not keep_going:
                    return EXIT_STOPPED
                continue
            try:
                write_folder(out / result.case_id, result.tables)
            except CaseError as error:
                failures.append((index, error))
                bar.write(f"error: {_one_line(error)}", file=sys.stderr)
                if not keep_going:
                    return EXIT_STOPPED
                continue
            written[index] = CaseOutput(result.case_id, dict.fromkeys(result.tables, ""), (), result.n_documents)
            if not quiet:
                for warning in result.warnings:
                    bar.write(f"warning: {warning}", file=sys.stderr)
    finally:
        outputs.close()
        bar.close()
    ordered = [written[index] for index in sorted(written)]
    names = list(dict.fromkeys(name for output in ordered for name in output.tables))
    _write_combined(out, [output.case_id for output in ordered], names)
    if not quiet:
        print(f"{len(ordered)} of {len(cases)} cases, {sum(o.n_documents for o in ordered)} documents -> {out}",
              file=sys.stderr)
    return EXIT_FAILED if failures else 0
