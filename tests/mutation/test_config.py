"""The mutation-testing configuration stays runnable: every rule module names
files that exist and tests that exist, and the summary counts the way the docs say."""

from pathlib import Path

import pytest

from tests.mutation.run_mutation import ROOT, ModuleResult, load_settings, summary

MODULES = load_settings()["rule_modules"]


@pytest.mark.parametrize("name", list(MODULES))
def test_each_rule_module_mutates_existing_files_with_existing_tests(name):
    module = MODULES[name]
    for pattern in module["mutate"]:
        assert list(Path(ROOT).glob(pattern)), f"{name}: nothing matches {pattern}"
    for test in module["tests"]:
        path = test.split("::")[0]
        assert (ROOT / path).exists(), f"{name}: no test file {path}"


def test_the_score_counts_timeouts_as_detected_and_untested_mutants_as_missed():
    result = ModuleResult(
        name="example",
        counts={"killed": 6, "timeout": 1, "survived": 2, "no tests": 1},
        survivors=[("m.x_f__mutmut_1", "-a\n+b")],
        not_run=["m.x_g__mutmut_1"],
    )
    assert result.score == pytest.approx(70.0)
    report = summary([result], fail_under=90)
    assert "example" in report and "70.0%  < fail_under" in report
    assert "-- m.x_f__mutmut_1\n-a\n+b" in report
    assert "m.x_g__mutmut_1" in report
