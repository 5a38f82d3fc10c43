"""Mutation testing of the rule modules: `make mutation` (docs/testing.md).

Runs mutmut once per rule module listed in pyproject.toml under
`[tool.mutmut.rule_modules]`, each in a fresh `mutants/` copy of the project,
mutating only that module's files and running only that module's tests. Then
prints each module's score and the diff of every surviving mutant.

    python tests/mutation/run_mutation.py                  # every module
    python tests/mutation/run_mutation.py validators roles # some of them
    python tests/mutation/run_mutation.py --list           # the modules

Each module runs in a child process (`--child NAME`): mutmut keeps its
configuration and the mutated modules in process-wide state, so one process
per module keeps the runs apart. The child never imports project code itself:
mutmut must put `mutants/` first on the import path before anything does.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
REPORTS = MUTANTS / "_report"  # survives the wipe between modules

# mutmut's exit codes, grouped the way the score counts them.
DETECTED = {"killed", "timeout", "caught by type check", "segfault"}


@dataclasses.dataclass
class ModuleResult:
    name: str
    counts: dict[str, int]
    survivors: list[tuple[str, str]]  # (mutant name, diff)
    not_run: list[str]  # mutants no selected test reaches ("no tests")

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def detected(self) -> int:
        return sum(n for status, n in self.counts.items() if status in DETECTED)

    @property
    def score(self) -> float:
        return 100.0 * self.detected / self.total if self.total else 100.0


def load_settings(root: Path = ROOT) -> dict[str, Any]:
    with (root / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["mutmut"]


def rule_modules(settings: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    return settings["rule_modules"]


def say(text: str) -> None:
    print(text, flush=True)  # noqa: T201 - a script's output


# --- The child: one module, one mutmut run ----------------------------------------


def run_child(name: str, *, max_children: int, out: Path, again: bool) -> int:
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")
    from mutmut import configuration

    module = rule_modules(load_settings())[name]
    configuration._config = dataclasses.replace(
        configuration._load_config(),
        only_mutate=module["mutate"],
        pytest_add_cli_args_test_selection=module["tests"],
    )
    from mutmut.__main__ import _run

    if not os.environ.get("DATABASE_URL"):
        # One in-memory test database for the whole run (see the file).
        MUTANTS.mkdir(exist_ok=True)
        shutil.copy(
            ROOT / "tests" / "mutation" / "mutants_conftest.py", MUTANTS / "conftest.py"
        )
    if again:
        retest_open_mutants()
    _run([], max_children)
    out.write_text(json.dumps(dataclasses.asdict(collect_results(name))))
    return 0


def retest_open_mutants() -> None:
    """Forget the verdicts that new tests may change (survived, no tests), so
    mutmut, which only runs mutants without a verdict, tests them again."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for mutant, exit_code in data.exit_code_by_key.items():
            if status_by_exit_code[exit_code] in ("survived", "no tests"):
                data.exit_code_by_key[mutant] = None
        data.save()


def collect_results(name: str) -> ModuleResult:
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    counts: dict[str, int] = {}
    survivors, not_run = [], []
    for path in sorted(walk_mutatable_files()):
        data = SourceFileMutationData(path=path)
        data.load()
        for mutant, exit_code in sorted(data.exit_code_by_key.items()):
            status = status_by_exit_code[exit_code]
            counts[status] = counts.get(status, 0) + 1
            if status == "survived":
                survivors.append((mutant, get_diff_for_mutant(mutant, path=path)))
            elif status == "no tests":
                not_run.append(mutant)
    return ModuleResult(name=name, counts=counts, survivors=survivors, not_run=not_run)


# --- The parent: every module, then the summary -----------------------------------


def fresh_mutants_dir() -> None:
    """Wipe the previous module's copy, keeping the reports."""
    MUTANTS.mkdir(exist_ok=True)
    for child in MUTANTS.iterdir():
        if child == REPORTS:
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def run_module(
    name: str, *, max_children: int, verbose: bool, keep: bool, again: bool
) -> ModuleResult | None:
    marker = REPORTS / "copy-of"  # which module the current mutants/ copy is for
    if again and not (marker.exists() and marker.read_text() == name):
        say(f"{name}: no kept copy of this module to re-test; run it with --keep")
        return None
    if not again:
        fresh_mutants_dir()
    REPORTS.mkdir(parents=True, exist_ok=True)
    marker.write_text(name)
    out, log = REPORTS / f"{name}.json", REPORTS / f"{name}.log"
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--max-children",
        str(max_children),
        "--out",
        str(out),
        *(["--again"] if again else []),
    ]
    started = time.monotonic()
    say(f"{name}: running mutmut (log: {log.relative_to(ROOT)})")
    with log.open("w") as log_file:
        stream = None if verbose else log_file
        code = subprocess.call(command, cwd=ROOT, stdout=stream, stderr=stream)  # noqa: S603
    if not keep:
        # A stale copy of the project must not linger where tools may find it.
        fresh_mutants_dir()
        marker.unlink(missing_ok=True)
    if code != 0 or not out.exists():
        say(f"{name}: mutmut failed (exit {code}); the end of its log:")
        if not verbose:
            say("".join(log.read_text(errors="replace").splitlines(True)[-40:]))
        return None
    result = ModuleResult(**json.loads(out.read_text()))
    result.survivors = [tuple(s) for s in result.survivors]
    say(f"{name}: {result.score:.1f}% in {time.monotonic() - started:.0f} s")
    return result


def summary(results: list[ModuleResult], *, fail_under: float) -> str:
    lines = [
        "",
        "Mutation score per rule module (detected = killed + timeout)",
        "",
        f"{'module':<14}{'mutants':>8}{'killed':>8}{'survived':>9}"
        f"{'no tests':>9}{'timeout':>8}{'score':>8}",
    ]
    for r in results:
        lines.append(
            f"{r.name:<14}{r.total:>8}{r.counts.get('killed', 0):>8}"
            f"{r.counts.get('survived', 0):>9}{r.counts.get('no tests', 0):>9}"
            f"{r.counts.get('timeout', 0):>8}{r.score:>7.1f}%"
            + ("  < fail_under" if r.score < fail_under else "")
        )
    for r in results:
        if not r.survivors and not r.not_run:
            continue
        lines += ["", f"== {r.name}: surviving mutants =="]
        for mutant, diff in r.survivors:
            lines += ["", f"-- {mutant}", diff]
        if r.not_run:
            lines += ["", f"== {r.name}: mutants no selected test reaches =="]
            lines += [f"   {mutant}" for mutant in r.not_run]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="rule modules to run (default all)")
    parser.add_argument("--list", action="store_true", help="list the rule modules")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="show mutmut's output")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the last module's mutants/ copy (for `mutmut show` or `browse`)",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="re-test only the survivors (and untested mutants) of a kept copy, "
        "after adding tests or pragmas",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        return run_child(
            args.child, max_children=args.max_children, out=args.out, again=args.again
        )

    settings = load_settings()
    modules = rule_modules(settings)
    if args.list:
        for name, module in modules.items():
            say(f"{name:<14}{' '.join(module['mutate'])}")
        return 0
    unknown = [name for name in args.modules if name not in modules]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; see --list")

    results, failed = [], []
    for name in args.modules or list(modules):
        result = run_module(
            name,
            max_children=args.max_children,
            verbose=args.verbose,
            keep=args.keep or args.again,
            again=args.again,
        )
        if result is None:
            failed.append(name)
        else:
            results.append(result)
    fail_under = float(settings.get("fail_under", 0))
    report = summary(results, fail_under=fail_under)
    say(report)
    (REPORTS / "summary.txt").write_text(report + "\n")
    if failed:
        say(f"\nmutmut failed on: {', '.join(failed)}")
    low = [r.name for r in results if r.score < fail_under]
    return 1 if failed or low else 0


if __name__ == "__main__":
    sys.exit(main())
