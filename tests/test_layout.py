"""The layout of docs/ARCHITECTURE.md, held against the code: who may import whom, and sizes."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("recruiting", "ingestion")
MODULE_LINES_MAX = 400
FUNCTION_LINES_MAX = 40
HTTP_LIBRARIES = ("requests", "urllib3", "httpx", "http.client", "urllib.request")

# The domain never depends on the integration with InterviewFlowAI.
DOMAIN = (
    "recruiting.models",
    "recruiting.rules",
    "recruiting.locks",
    "recruiting.lookups",
    "recruiting.permissions",
    "recruiting.services",
    "recruiting.reading",
    "recruiting.workbook_guard",
    "recruiting.spreadsheets",
    "recruiting.uploads",
    "recruiting.wording",
    "recruiting.imports",
    "recruiting.index_migrations",
    "recruiting.json_keys",
    "recruiting.id_lists",
)
# Pages, actions and workers sit above delivery: delivery never imports them.
ABOVE_DELIVERY = (
    "ingestion.tasks",
    "ingestion.dispatch",
    "ingestion.admin",
    "ingestion.ats_admin",
    "ingestion.candidate_actions",
    "ingestion.forms",
    "ingestion.views",
    "ingestion.resources",
    "ingestion.webhooks",
    "ingestion.inbox_admin",
    "ingestion.interviewflow_page",
    "recruiting.admin",
    "recruiting.spreadsheet_admin",
    "recruiting.column_mapping_admin",
    "recruiting.import_forms",
    "recruiting.action_pages",
    "recruiting.notices",
    "recruiting.forms",
    "recruiting.typed_fields",
    "recruiting.candidate_display",
    "recruiting.spreadsheet_export",
    "recruiting.change_lists",
    "ingestion.templatetags",
)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


@cache
def tree(name: str) -> ast.Module:
    module = ast.parse(modules()[name].read_text())
    for node in ast.walk(module):
        # Imports only for type checkers never run.
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = [ast.Pass()]
    return module


def imported_names(name: str) -> set[str]:
    """Every module this one imports, at its top or inside a function."""
    names: set[str] = set()
    package = name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def project_imports(name: str) -> set[str]:
    return {imported for imported in imported_names(name) if imported in modules()} - {name}


def belongs(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_layout_finds_the_modules_it_checks():
    assert {"ingestion.client", "ingestion.delivery.sending", "recruiting.models"} <= set(modules())
    assert "ingestion.delivery.claims" in project_imports("ingestion.delivery.sending")


@pytest.mark.parametrize("name", [n for n in sorted(modules()) if belongs(n, DOMAIN)])
def test_the_domain_never_imports_the_integration(name):
    assert {i for i in imported_names(name) if belongs(i, ("ingestion",))} == set()


@pytest.mark.parametrize(
    "name", ["ingestion.client", "recruiting.wording", "ingestion.inbound.paths"]
)
def test_the_lowest_modules_import_nothing_of_the_project(name):
    assert {i for i in imported_names(name) if belongs(i, APPS)} == set()


@pytest.mark.parametrize(
    "name",
    [n for n in sorted(modules()) if belongs(n, ("ingestion.delivery", "ingestion.inbound"))],
)
def test_delivery_never_imports_pages_actions_or_workers(name):
    assert {i for i in project_imports(name) if belongs(i, ABOVE_DELIVERY)} == set()


def test_only_the_client_does_http():
    users = {
        name for name in modules() if any(belongs(i, HTTP_LIBRARIES) for i in imported_names(name))
    }
    assert users == {"ingestion.client"}


def test_no_module_imports_itself_back_through_others():
    graph = {name: project_imports(name) for name in modules()}
    circles = []
    for start in graph:
        seen, stack = set(), list(graph[start])
        while stack:
            current = stack.pop()
            if current == start:
                circles.append(start)
                break
            if current not in seen:
                seen.add(current)
                stack.extend(graph.get(current, ()))
    assert circles == []


def test_modules_stay_a_few_hundred_lines():
    sizes = {name: len(path.read_text().splitlines()) for name, path in modules().items()}
    assert {name: n for name, n in sizes.items() if n > MODULE_LINES_MAX} == {}


def test_functions_stay_short():
    long = {}
    for name in modules():
        for node in ast.walk(tree(name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LINES_MAX:
                    long[f"{name}.{node.name}"] = length
    assert long == {}
