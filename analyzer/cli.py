"""The `transparency` command: analyse cases, write tables and reports, open the dashboard.

Only the standard library is imported here: the pipeline (NLTK, pandas, scikit-learn) is
imported inside the command that needs it, so `--help`, `--version` and usage errors
answer at once.

Exit statuses (also in `--help` and the README): 0 done; 1 some cases failed and the
others were written (`--keep-going`); 2 the analyzer refused the data (a case, a document or
an output folder: one line on stderr says which, see `CaseError`); 64 the command line is
wrong; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""
from __future__ import annotations

import argparse
import difflib
import signal
import sys
import threading
from pathlib import Path

from . import __version__

EXIT_OK = 0
EXIT_FAILED = 1  # --keep-going: some cases failed, the others are written
EXIT_DATA = 2  # a CaseError: the data (or an output folder) was refused, in one line
EXIT_USAGE = 64  # a wrong command line (sysexits' EX_USAGE; argparse's own 2 would read as refused data)
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143, as a shell reports a process ended by SIGTERM
DEFAULT_OUT = Path("out")
"""`analyze` without --out writes to out/<case_id>/ (one case) or out/ (a folder of cases), in the current folder."""

COMMANDS = {"analyze": ("analyse",), "report": (), "dashboard": ()}
"""Command -> its aliases."""

EPILOG = """\
exit status:
  0    done
  1    some cases failed, the others were written (analyze --keep-going)
  2    the analyzer refused the data: a case.yaml, a document or an output folder
       (one line on stderr names the file and what to do; nothing is written)
  64   the command line is wrong (unknown command or option, missing argument)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)

examples:
  transparency analyze corpora/mma-2020               # tables in out/mma-2020/
  transparency analyze CASES_DIR --out OUT --jobs 2   # every case of a folder: OUT/<case_id>/
  transparency report corpora/mma-2020                # a summary per party
  transparency report corpora/mma-2020 --out report.md
  transparency dashboard
"""


class _UsageParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors exit with EXIT_USAGE."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class _Parser(_UsageParser):
    """The command's parser: it also suggests the command meant when one is misspelt."""

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        args = sys.argv[1:] if args is None else list(args)
        command = next((arg for arg in args if not arg.startswith("-")), None)
        names = [name for name, aliases in COMMANDS.items() for name in (name, *aliases)]
        if command is not None and command not in names:
            close = difflib.get_close_matches(command, names, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f"; use one of {', '.join(COMMANDS)}"
            self.error(f"unknown command '{command}'{hint}")
        return super().parse_args(args, namespace)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="transparency",
        description="Who said what, when, and what each side left out, in a corporate crisis.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_UsageParser)

    analyze = commands.add_parser(
        "analyze", aliases=list(COMMANDS["analyze"]), epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        help="analyse a case (or a folder of cases) and write CSV tables",
        description="Analyse a case (or every case of a folder) and write its CSV tables and datapackage.json.")
    source = analyze.add_argument_group("Input")
    source.add_argument("case_dir", metavar="CASE_DIR",
                        help="a case folder with case.yaml, or a folder of such folders")
    output = analyze.add_argument_group("Output")
    output.add_argument("--out", metavar="OUT_DIR",
                        help="where to write the CSV files (default: out/<case_id> in the current folder; "
                             "for a folder of cases out/, one sub-folder per case)")
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

    report = commands.add_parser(
        "report", help="print a summary of a case: who disclosed what",
        description="A summary of a case per party: what it disclosed, left out, told staff only, "
                    "contradictions, timeline, framing.")
    report.add_argument("case_dir", metavar="CASE_DIR", help="a case folder with case.yaml")
    report.add_argument("--out", metavar="FILE", help="write the report to FILE instead of standard output")
    report.add_argument("--format", choices=("markdown", "text"), default=None,
                        help="markdown, or plain text (default: text on a terminal, markdown otherwise)")
    report.set_defaults(run=_report)

    dashboard = commands.add_parser("dashboard", help="open the Streamlit dashboard")
    dashboard.add_argument("case_dir", metavar="CASE_DIR", nargs="?", default=None,
                           help="the case to open (default: the bundled MMA case)")
    dashboard.add_argument("--port", type=_positive, default=8501, help="HTTP port (default 8501)")
    dashboard.add_argument("--address", default="127.0.0.1",
                           help="interface to listen on (default 127.0.0.1, this machine; 0.0.0.0 for the network)")
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


def report_format(requested: str | None, out: str | None, stdout_is_terminal: bool) -> str:
    """markdown or text: as requested, else text for a terminal and markdown for a file or a pipe."""
    if requested:
        return requested
    return "text" if out is None and stdout_is_terminal else "markdown"


def _report(args: argparse.Namespace) -> int:
    """Print (or write) the report of a case."""
    from .errors import CaseError
    from .pipeline import analyze_case
    from .report import render_report
    from .tables import write_text_atomic

    result = analyze_case(args.case_dir)
    text = render_report(result, report_format(args.format, args.out, sys.stdout.isatty()))
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
    return EXIT_OK


def _dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard (blocks until the server stops)."""
    from .serve import run_dashboard

    return run_dashboard(args.case_dir, args.port, args.address)


def _warn(messages: tuple[str, ...], quiet: bool) -> None:
    for message in messages:
        if not quiet:
            print(f"warning: {message}", file=sys.stderr)


def _missing_folders(path: Path) -> list[Path]:
    """`path` and those of its parents that do not exist yet, deepest first."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            break
        missing.append(folder)
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    """Remove the folders a failed run created (deepest first), as long as they are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except FileNotFoundError:
            continue  # not made yet
        except OSError:
            return  # not empty: something was written there


def _analyze(args: argparse.Namespace) -> int:
    """Analyse one case, or every case of a folder (see `analyzer.batch`), and write their tables.

    A run that fails leaves nothing behind: no case folder (they are written whole, see
    `tables.write_folder`) and none of the output's parent folders it created.
    """
    from .case import find_cases, read_case

    cases = find_cases(args.case_dir)
    single = len(cases) == 1 and (Path(args.case_dir) / "case.yaml").exists() or Path(args.case_dir).is_file()
    if args.out is not None:
        out = Path(args.out)
    else:
        out = DEFAULT_OUT / read_case(cases[0]).id if single else DEFAULT_OUT
    created = _missing_folders(out.absolute())
    status = EXIT_DATA
    try:
        status = _analyze_one(args, cases[0], out) if single else _analyze_many(args, cases, out)
        return status
    finally:
        if status not in (EXIT_OK, EXIT_FAILED):
            _remove_if_empty(created)


def _analyze_one(args: argparse.Namespace, case: Path, out: Path) -> int:
    """One case: its tables straight in `out`."""
    from .batch import CaseFailure, analyze_one  # one engine for any --jobs: the same files
    from .tables import check_output, check_replaceable, prepare_output, write_folder

    # Documents always lie inside their case folder (read_case refuses others), so an output
    # outside every case folder cannot overwrite an input.
    check_output(out, [case if case.is_dir() else case.parent])
    prepare_output(out.resolve().parent)
    check_replaceable(out)
    try:
        output = analyze_one(case, args.jobs, args.engine, args.scheduler, args.quiet)
    except CaseFailure as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_DATA
    _warn(output.warnings, args.quiet)
    write_folder(out, output.tables)  # all rendered before any write; the folder appears whole
    if not args.quiet:
        print(f"{output.case_id}: {output.n_documents} documents, {output.n_mentions} mentions -> {out}",
              file=sys.stderr)
    return EXIT_OK


def _analyze_many(args: argparse.Namespace, cases: list[Path], out: Path) -> int:
    """Every case of a folder: OUT/<case_id>/ each, and the combined tables in OUT."""
    from .batch import EXIT_STOPPED, run_batch
    from .tables import check_output

    check_output(out, [path if path.is_dir() else path.parent for path in cases])
    status = run_batch(cases, out, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler,
                       keep_going=args.keep_going, quiet=args.quiet)
    return EXIT_DATA if status == EXIT_STOPPED else status


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (argparse exits with 2 on a wrong command line).

    Without a command, the help is printed (exit status 0).
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    from .errors import CaseError

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return args.run(args)
    except CaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: object) -> None:
    """The SIGTERM handler: workers stopped, writes in progress undone, exit 143, at once.

    It does not unwind the main thread like Ctrl-C: an exception raised wherever the signal
    lands (inside the process pool's locks) could leave the pool's shutdown waiting forever.
    """
    import multiprocessing
    import os

    from .tables import remove_live_staging

    for child in multiprocessing.active_children():
        child.kill()
    remove_live_staging()
    print("terminated", file=sys.stderr, flush=True)
    os._exit(EXIT_TERMINATED)
