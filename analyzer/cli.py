"""The `transparency` command: analyse cases, write tables and reports, open the dashboard.

Every user mistake ends as one line on stderr and exit status 2 (see `CaseError`).
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .case import find_cases
from .errors import CaseError
from .pipeline import analyze_case
from .tables import check_output, check_replaceable, prepare_output, write_folder, write_text_atomic

EXIT_USAGE = 2
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143, as a shell reports a process ended by SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt for SIGINT: cleanup runs, then exit 143."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transparency",
        description="Who said what, when, and what each side left out, in a corporate crisis.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    analyze = commands.add_parser("analyze", help="analyse a case (or a folder of cases) and write CSV tables")
    source = analyze.add_argument_group("Input")
    source.add_argument("case_dir", metavar="CASE_DIR",
                        help="a case folder with case.yaml, or a folder of such folders")
    output = analyze.add_argument_group("Output")
    output.add_argument("--out", required=True, metavar="OUT_DIR",
                        help="where to write the CSV files (one sub-folder per case for a folder of cases)")
    output.add_argument("--quiet", action="store_true", help="no progress bar, no warnings")
    batch = analyze.add_argument_group("Parallel runs")
    batch.add_argument("--jobs", type=_positive, default=1, metavar="N",
                       help="worker processes (default 1): cases, and a large case's documents, are analysed "
                            "in parallel; results are identical for any N")
    batch.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local process pool, or dask.distributed (default local)")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="a dask scheduler address; without it a LocalCluster is started")
    batch.add_argument("--keep-going", action="store_true",
                       help="report a failing case and go on with the others (exit status 1 at the end)")
    analyze.set_defaults(run=_analyze)

    report = commands.add_parser("report", help="print a Markdown summary of a case: who disclosed what")
    report.add_argument("case_dir", metavar="CASE_DIR", help="a case folder with case.yaml")
    report.add_argument("--out", metavar="FILE", help="write the report to FILE instead of standard output")
    report.set_defaults(run=_report)

    dashboard = commands.add_parser("dashboard", help="open the Streamlit dashboard")
    dashboard.add_argument("case_dir", metavar="CASE_DIR", nargs="?", default=None,
                           help="the case to open (default: the bundled MMA case)")
    dashboard.add_argument("--port", type=_positive, default=8501, help="HTTP port (default 8501)")
    dashboard.set_defaults(run=_dashboard)
    return parser


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _report(args: argparse.Namespace) -> int:
    """Print (or write) the Markdown report of a case."""
    from .report import render_report

    result = analyze_case(args.case_dir)
    text = render_report(result)
    if args.out:
        target = Path(args.out)
        if target.is_dir():
            raise CaseError(target, "the report path is a folder", "give a file name with --out")
        inputs = {path.resolve() for path in (result.case.root / "case.yaml", *(d.path for d in result.case.documents))}
        if target.resolve() in inputs:
            raise CaseError(target, "is an input of the case", "give the report another file name")
        if not target.parent.is_dir():
            raise CaseError(target, f"the folder {target.parent} does not exist", "create it or give another path")
        write_text_atomic(target, text)
    else:
        sys.stdout.write(text)
    return 0


def _dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard (blocks until the server stops)."""
    from .serve import run_dashboard

    return run_dashboard(args.case_dir, args.port)


def _warn(messages: tuple[str, ...], quiet: bool) -> None:
    for message in messages:
        if not quiet:
            print(f"warning: {message}", file=sys.stderr)


def _analyze(args: argparse.Namespace) -> int:
    """Analyse one case, or every case of a folder (see `analyzer.batch`), and write their tables."""
    cases = find_cases(args.case_dir)
    # Documents always lie inside their case folder (read_case refuses others), so an output
    # outside every case folder cannot overwrite an input.
    check_output(Path(args.out), [path if path.is_dir() else path.parent for path in cases])
    if len(cases) == 1 and (Path(args.case_dir) / "case.yaml").exists() or Path(args.case_dir).is_file():
        out = Path(args.out)
        prepare_output(out.resolve().parent)
        check_replaceable(out)
        from .batch import CaseFailure, analyze_one  # one engine for any --jobs: the same files
        try:
            output = analyze_one(cases[0], args.jobs, args.engine, args.scheduler, args.quiet)
        except CaseFailure as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_USAGE
        _warn(output.warnings, args.quiet)
        write_folder(out, output.tables)  # all rendered before any write; the folder appears whole
        if not args.quiet:
            print(f"{output.case_id}: {output.n_documents} documents, {output.n_mentions} mentions -> {out}",
                  file=sys.stderr)
        return 0
    from .batch import run_batch

    return run_batch(cases, Path(args.out), jobs=args.jobs, engine=args.engine, scheduler=args.scheduler,
                     keep_going=args.keep_going, quiet=args.quiet)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args)
    except CaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return EXIT_TERMINATED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: object) -> None:
    """The SIGTERM handler: unwind like Ctrl-C (workers stopped, staging folders removed)."""
    raise Terminated()
