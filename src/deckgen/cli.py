"""The `deckgen` command: a thin layer over the pipeline.

Exit status: 0 clean, 1 content errors (reported as path:line:col), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .diagnostics import DeckgenFailure, Diagnostic, plural, still_shipped

if TYPE_CHECKING:  # the stages pull in genanki, jinja2 and yaml: each command imports what it needs
    from .package import Built

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
EXIT_BROKEN_PIPE = 128 + 13  # as a program stopped by SIGPIPE, which Python ignores


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if getattr(args, "json", False):  # stdout is one JSON object; no progress bar on stderr either
        from . import progress

        progress.quiet()
    if args.run is _init and args.project is not None:  # it would be ignored: DIR is the new project
        parser.error("init makes the project in DIR (relative to the current folder): give the folder as DIR, "
                     "without --project")
    root = Path(args.project or ".")
    if not root.is_dir():
        parser.error(f"project folder '{root}' does not exist")
    if args.project is None:
        try:
            here = Path.cwd()
        except OSError:  # deleted under the shell
            parser.error("the current folder no longer exists: " + (
                "cd into a folder that does" if args.run is _init else "cd into the project, or pass --project DIR"))
        if args.run is not _init:  # init makes its project in DIR: none is looked for
            root = _project_around(here)
    try:
        from .timelimit import template_time_limit

        with template_time_limit(root):  # a template call that runs too long is stopped (`preview`'s too)
            return args.run(root, args)
    except DeckgenFailure as failure:
        _report_failure(failure.diagnostics, args)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`deckgen coverage | head`): nothing is wrong here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is quiet too
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug in deckgen, not in the author's input
        if os.environ.get("DECKGEN_DEBUG"):
            raise
        print(f"deckgen: internal error: {type(exc).__name__}: {exc}\n"
              f"    hint: this is a bug in deckgen; rerun with DECKGEN_DEBUG=1 for details", file=sys.stderr)
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deckgen", description="Compile source-grounded YAML flashcards into an Anki deck.")
    parser.add_argument("--project", help=PROJECT_HELP)
    parser.add_argument("--version", action=_Version, nargs=0, help="print deckgen's version and exit")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Callable, help_text: str, json_flag: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run, json=False)
        if run is not _init:  # before or after the command alike ("deckgen build --project DIR")
            sub.add_argument("--project", default=argparse.SUPPRESS, help=PROJECT_HELP)
        if json_flag:
            sub.add_argument("--json", action="store_true", help="print one JSON object (see README)")
        return sub

    build = command("build", _build, "check everything, then write build/<output> and update deck.lock")
    build.add_argument("--drop-retired", action="store_true",
                       help="stop emitting cards deleted from the YAML (tagged deckgen::retired)")
    build.add_argument("--fresh", action="store_true",
                       help="use nothing recorded in build/ by earlier builds: read, check and render everything")
    command("check", _check, "check everything, write nothing")
    status = command("status", _status, "show what the next build changes against deck.lock")
    status.add_argument("--drop-retired", action="store_true",
                        help="show what 'build --drop-retired' would change: the retired cards it stops emitting")
    command("coverage", _coverage, "show which source sentences no card cites yet")
    preview = command("preview", _preview, "write build/preview/index.html with every card", json_flag=False)
    preview.add_argument("--screenshots", action="store_true",
                         help="also write PNGs (headless Chromium): of a sample of 4 cards, unless --card, --subdeck "
                              "or --all say which")
    preview.add_argument("--card", action="append", default=[], metavar="ID",
                         help="with --screenshots: shoot this card (repeatable)")
    preview.add_argument("--subdeck", action="append", default=[], metavar="NAME",
                         help="with --screenshots: shoot every card of this subdeck, e.g. '1 Types' (repeatable)")
    preview.add_argument("--all", action="store_true", help="with --screenshots: shoot every card")
    command("watch", _watch, "rebuild whenever cards/, sources/ or templates/ change", json_flag=False)
    init = command("init", _init, "make a new project in DIR that builds at once (an example source and two cards)",
                   json_flag=False)
    init.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    init.add_argument("--title", help="the deck's title (default: the folder's name)")
    pull = command("pull", _pull, "report learners' edits and struggling cards from an Anki export")
    pull.add_argument("export", type=Path, help="a .colpkg, or an .apkg exported with scheduling information")
    pull.add_argument("--apply", action="store_true", help="write the edits that pass the gate into cards/")
    return parser


class _Version(argparse.Action):
    """--version: the installed package's version, looked up only when asked (importlib.metadata costs
    every other command its import time)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from importlib import metadata

        try:
            version = metadata.version("deckgen")
        except metadata.PackageNotFoundError:  # run from a source tree that was never installed
            version = "(not installed)"
        print(f"deckgen {version}")
        parser.exit()


PROJECT_HELP = ("project folder (default: the current folder, or the nearest folder above it that holds "
                "cards/deck.yaml)")


def _project_around(here: Path) -> Path:
    """The project a command run in `here` without --project is about: `here`, unless it has no cards/, no
    sources/ and no deck.lock while a folder above it has cards/deck.yaml (run from cards/, say), as git finds
    its repository. Diagnostics name files relative to the project, so a project found above is named first.
    A folder with deck.lock is a project whose cards/ is missing: its own problem, not a build of another."""
    # os.path's tests: a folder above that this user may not read is no project (Path's raise PermissionError)
    if os.path.isdir(here / "cards") or os.path.isdir(here / "sources") or os.path.lexists(here / "deck.lock"):
        return Path(".")
    for folder in here.parents:
        if os.path.isfile(folder / "cards" / "deck.yaml"):
            print(f"deckgen: the project is {folder} (the paths below are relative to it)", file=sys.stderr)
            return folder
    return Path(".")


# --- commands ---------------------------------------------------------------------------------
def _init(root: Path, args: argparse.Namespace) -> int:
    """DIR is relative to the current folder (--project does not apply: there is no project yet)."""
    from .init import EXAMPLE_FILES, InitError, make_project

    try:
        made = make_project(args.dir, args.title)
    except InitError as error:
        print(error.diagnostic.render(), file=sys.stderr)
        print("deckgen: nothing was written", file=sys.stderr)
        return error.status
    print(f"made {made.root}: the deck '{made.title}' (namespace {made.namespace}), {len(made.files)} files:")
    for name in made.files:
        print(f"  {name}")
    import shlex

    here = made.root.resolve() == Path.cwd().resolve()
    go_there = "" if here else f"cd {shlex.quote(str(made.root))} && "
    print(f"next: {go_there}deckgen build   # writes build/{made.output}")
    print(f"then: replace the example ({', '.join(EXAMPLE_FILES)}) with your own cards and sources,\n"
          "      'deckgen check', and build with 'deckgen build --drop-retired' once,\n"
          "      so that the example's cards do not stay in the deck as removed cards")
    return EXIT_OK


def _check(root: Path, args: argparse.Namespace) -> int:
    from . import pipeline

    checked = pipeline.check(root)
    pipeline.plan(root, checked, int(time.time()))  # deck.lock too: check refuses what build refuses
    cards = checked.anki_card_count()
    if args.json:
        _print_json({"ok": True, "command": "check", "notes": len(checked.notes), "cards": cards, "diagnostics": []})
    else:
        print(f"ok: {plural(len(checked.notes), 'note')} ({plural(cards, 'card')} in Anki) checked, "
              f"every answer traced to its source")
    return EXIT_OK


def _build(root: Path, args: argparse.Namespace) -> int:
    from . import fastpath

    if args.fresh:
        summary, inputs = None, fastpath.snapshot(root)
    else:  # nothing changed: no pipeline
        summary, inputs = fastpath.probe(root, drop_retired=args.drop_retired)
    if summary is None:
        from . import delta

        from .trust import reads_recorded

        fastpath.forget(root)
        with reads_recorded() as read:  # the bytes each input was read as, for the stamp
            built = delta.build(root, drop_retired=args.drop_retired, fresh=args.fresh, inputs=inputs)
        summary = build_summary(built)
        fastpath.record(root, inputs, summary, drop_retired=args.drop_retired, read=read, after=built.held)
    if args.json:
        _print_json({"ok": True, "command": "build", **summary, "diagnostics": []})
    else:
        print(format_summary(summary))
    return EXIT_OK


def _status(root: Path, args: argparse.Namespace) -> int:
    from . import pipeline
    from .status import describe_plan, format_status

    checked = pipeline.check(root)
    settings = checked.project.settings
    lock = pipeline.read_project_lock(root, settings)  # read once, for the plan and the comparison with build/
    plan = pipeline.plan(root, checked, int(time.time()), drop_retired=args.drop_retired, refuse_silent_renames=False,
                         lock=lock)
    status = describe_plan(plan, settings.removed_deck)
    matches = pipeline.deck_matches_lock(root, settings, lock)  # False: a build stopped between its two renames
    if args.json:
        _print_json({"ok": True, "command": "status", **status, "deck_matches_lock": matches, "diagnostics": []})
    else:
        if matches is False:
            print(f"! build/{settings.output} does not match deck.lock (a build stopped between writing the deck "
                  f"and writing deck.lock, or the deck was replaced): run deckgen build to write both again")
        print(format_status(status))
    return EXIT_OK


def _coverage(root: Path, args: argparse.Namespace) -> int:
    from . import pipeline
    from .coverage import coverage, format_coverage

    report = coverage(pipeline.check(root))
    if args.json:
        _print_json({"ok": True, "command": "coverage", "documents": report, "diagnostics": []})
    else:
        print(format_coverage(report))
    return EXIT_OK


def _preview(root: Path, args: argparse.Namespace) -> int:
    from .preview import Selection, write_preview

    if (args.card or args.subdeck or args.all) and not args.screenshots:
        print("deckgen preview: error: --card, --subdeck and --all choose what --screenshots shoots; "
              "add --screenshots", file=sys.stderr)
        return EXIT_USAGE
    selection = Selection(tuple(args.card), tuple(args.subdeck), args.all)
    written = write_preview(root, screenshots=args.screenshots, selection=selection)
    for path in written:
        print(path)
    return EXIT_OK


def _watch(root: Path, args: argparse.Namespace) -> int:
    from .watch import watch

    return watch(root, on_build=lambda built: print(format_summary(build_summary(built)), flush=True))


def _pull(root: Path, args: argparse.Namespace) -> int:
    from .pull import apply_edits, format_applied, format_report, pull, report_json

    report = pull(root, args.export)
    applied = format_applied(report, apply_edits(root, report)) if args.apply else ""
    if args.json:
        _print_json({"ok": True, "command": "pull", **report_json(report)})
    else:
        print(format_report(report))
    if applied:
        print(applied, file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


# --- output -----------------------------------------------------------------------------------
def build_summary(built: Built) -> dict:
    """The build's facts and, in the same shape as `deckgen status`, what it changed."""
    from .status import describe_plan

    return {
        "output": str(built.package.path),
        "bytes": built.package.size,
        "compressed": built.package.compressed,
        "seconds": round(built.seconds, 3),
        "notes": built.notes,
        "cards": built.anki_cards,
        "subdecks": built.subdecks,
        **describe_plan(built.plan, built.removed_deck),
        "lock_written": built.lock_written,
    }


def format_summary(summary: dict) -> str:
    lines = [f"built {plural(summary['notes'], 'note')} ({plural(summary['cards'], 'card')} in Anki) "
             f"in {plural(len(summary['subdecks']), 'subdeck')}"]
    width = max(len(name) for name in summary["subdecks"]) if summary["subdecks"] else 0
    for name, count in summary["subdecks"].items():
        lines.append(f"  {name:<{width}}  {count:>4} {'note' if count == 1 else 'notes'}")
    lines.append(f"  since last build: {len(summary['added']):,} added, {len(summary['changed']):,} changed, "
                 f"{len(summary['renamed']):,} renamed, {len(summary['retired']):,} retired, "
                 f"{len(summary['dropped']):,} dropped")
    if summary.get("revived"):
        lines.append(f"  brought back from retirement: {', '.join(r['id'] for r in summary['revived'])} (each "
                     f"learner's note returns with its reviews; a new fact wants a new id: see deckgen status)")
    if summary.get("notice_added"):
        lines.append(f"  {plural(len(summary['notice_added']), 'retired note')} given the removal notice")
    if summary.get("note_types_added"):
        lines.append(f"  note types added: {', '.join(summary['note_types_added'])}")
    if summary["changed"] or summary["renamed"] or summary.get("revived"):  # (never in a no-change build's)
        from .status import moved_note

        lines += [f"  {line}" for line in moved_note(summary)]
    if summary["note_types_changed"]:
        lines.append(f"  note types changed: {', '.join(summary['note_types_changed'])}")
    retired = len(summary["retired_in_deck"])
    if retired:
        lines.append(f"  {still_shipped(retired, 'retired note', summary['removed_deck'], '--drop-retired')}")
    stored = ("" if summary.get("compressed", True)  # (a stamp of an earlier deckgen has no key)
              else "; not compressed: 'deckgen build --fresh' compresses it, to share")
    lines.append(f"  {summary['output']} ({summary['bytes']:,} bytes) in {summary['seconds']:.2f} s{stored}")
    return "\n".join(lines)


def _report_failure(diagnostics: list[Diagnostic], args: argparse.Namespace) -> None:
    if getattr(args, "json", False):
        _print_json({"ok": False, "command": _command_name(args),
                     "diagnostics": [d.to_json() for d in diagnostics]})
    for diagnostic in diagnostics[:MAX_SHOWN]:
        print(diagnostic.render(), file=sys.stderr)
    if len(diagnostics) > MAX_SHOWN:  # the first ones are the ones to fix first; --json lists them all
        print(f"... {len(diagnostics) - MAX_SHOWN:,} more not shown (--json lists every one)", file=sys.stderr)
    print(f"deckgen: {plural(len(diagnostics), 'problem')}; nothing was written", file=sys.stderr)


MAX_SHOWN = 200  # problems printed on stderr


def _command_name(args: argparse.Namespace) -> str:
    return args.run.__name__.lstrip("_")


def _print_json(data: dict) -> None:
    print(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
