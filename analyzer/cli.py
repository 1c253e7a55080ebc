"""The `transparency` command: analyse cases, write tables and reports, open the dashboard.

Every user mistake ends as one line on stderr and exit status 2 (see `CaseError`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .case import find_cases
from .errors import CaseError
from .pipeline import analyze_case, write_result
from .tables import prepare_output, write_tables

EXIT_USAGE = 2


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
    analyze.set_defaults(run=_analyze)
    return parser


def _warn(messages: tuple[str, ...], quiet: bool) -> None:
    for message in messages:
        if not quiet:
            print(f"warning: {message}", file=sys.stderr)


def _analyze(args: argparse.Namespace) -> int:
    """Analyse one case, or every case of a folder, and write their tables."""
    cases = find_cases(args.case_dir)
    out = prepare_output(args.out)
    if len(cases) == 1 and (Path(args.case_dir) / "case.yaml").exists() or Path(args.case_dir).is_file():
        result = analyze_case(cases[0])
        _warn(result.warnings, args.quiet)
        write_result(result, out)
        if not args.quiet:
            print(f"{result.case.id}: {len(result.documents)} documents, {len(result.mentions)} mentions -> {out}",
                  file=sys.stderr)
        return 0
    combined: dict[str, list] = {}
    for path in tqdm(cases, desc="cases", unit="case", disable=args.quiet or None, file=sys.stderr):
        result = analyze_case(path)
        _warn(result.warnings, args.quiet)
        write_result(result, out / result.case.id)
        for name, frame in result.tables.items():
            combined.setdefault(name, []).append(frame)
    import pandas as pd
    write_tables({name: pd.concat(frames, ignore_index=True) for name, frames in combined.items()}, out)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except CaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
