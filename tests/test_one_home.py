"""Issue 13: each rule has one home, and the layers' arrows point one way.

Read from the source (ast), so a second copy of a rule or an import the wrong
way fails here before review: the rating formula lives in content/rating.py,
file serving in content/serving.py, id paging in content/selectors/paging.py,
and so on; no site view imports the API, and no selector builds forms.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("accounts", "content", "enablement")


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(), filename=str(path))


MODULES = list(_modules())


def _imports(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _defined(name: str) -> list[str]:
    return [
        str(path.relative_to(ROOT))
        for path, tree in MODULES
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name
    ]


# (name, its one home)
RULES = [
    ("bayesian_score", "content/rating.py"),
    ("bayesian_average", "content/rating.py"),
    ("bayesian_rating", "content/rating.py"),
    ("serve_file", "content/serving.py"),
    ("safe_next", "content/views/redirects.py"),
    ("querystring_without_page", "content/views/common.py"),
    ("paginate", "content/views/common.py"),
    ("page_of", "content/selectors/paging.py"),
    ("IdPages", "content/selectors/paging.py"),
    ("add_service_error", "content/forms/errors.py"),
    ("daily_stats_rebuild", "content/services/events.py"),
]


@pytest.mark.parametrize(("name", "home"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_is_written_once(name, home):
    assert _defined(name) == [home]


def test_files_are_served_in_one_module():
    serving = [
        str(path.relative_to(ROOT))
        for path, tree in MODULES
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "FileResponse"
    ]
    assert serving and set(serving) == {"content/serving.py"}


def test_every_id_paged_list_is_on_the_one_base():
    bases = {
        node.name: [getattr(b, "id", getattr(b, "attr", "")) for b in node.bases]
        for _path, tree in MODULES
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and node.name in {"KindGroupedAssets", "SearchResults", "RankedAssets"}
    }
    assert bases == {
        "KindGroupedAssets": ["IdPages"],
        "SearchResults": ["IdPages"],
        "RankedAssets": ["IdPages"],
    }


def test_no_site_view_imports_the_api():
    wrong = [
        str(path.relative_to(ROOT))
        for path, tree in MODULES
        if "content/views" in str(path)
        and any(name.startswith("content.api") for name in _imports(tree))
    ]
    assert not wrong


def test_no_selector_builds_forms():
    wrong = [
        str(path.relative_to(ROOT))
        for path, tree in MODULES
        if "content/selectors" in str(path)
        and any(
            name.startswith(("content.forms", "django.forms"))
            for name in _imports(tree)
        )
    ]
    assert not wrong
