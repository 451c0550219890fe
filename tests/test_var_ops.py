"""Every Var operation, compiled to JavaScript and run in Node, gives what Python gives for the same inputs."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi._codec import decode, js_literal
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import CompileError
from pyreact_asgi.vars import Var, expand_markers

OPS_JS = Path(__file__).parent.parent / "frontend" / "src" / "ops.js"


class Nums(pr.State):
    a: Any = 0
    b: Any = 0


Op = Callable[[Any, Any], Any]


def _day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


# name, Python's operation on values, the same on Vars (when it is spelt differently), inputs (a, b)
CASES: list[tuple[str, Op, Op | None, list[tuple[Any, Any]]]] = [
    ("add", lambda a, b: a + b, None, [(2, 3), (1.5, 2), ("ab", "cd"), ([1], [2, 3])]),
    ("radd", lambda a, b: 10 + a, None, [(2, 0), (-4.5, 0)]),
    ("sub", lambda a, b: a - b, None, [(2, 3), (0.5, 0.25)]),
    ("rsub", lambda a, b: 10 - a, None, [(3, 0)]),
    ("mul", lambda a, b: a * b, None, [(4, 3), ("ab", 3), ([1, 2], 2), ("x", 0), ("x", -1)]),
    ("truediv", lambda a, b: a / b, None, [(7, 2), (-1, 4)]),
    ("floordiv", lambda a, b: a // b, None, [(7, 2), (-7, 2), (7, -2), (7.5, 2)]),
    ("mod", lambda a, b: a % b, None, [(7, 3), (-7, 3), (7, -3), (7.5, 2), (-0.5, 2)]),
    ("pow", lambda a, b: a**b, None, [(2, 10), (9, 0.5), (2, -1)]),
    ("neg", lambda a, b: -a, None, [(3, 0), (-2.5, 0)]),
    (
        "eq",
        lambda a, b: a == b,
        None,
        [(1, 1), (1, 2), ("x", "x"), ([1, [2]], [1, [2]]), ([1], [2]), ({"k": [1]}, {"k": [1]}), ({"k": 1}, {"j": 1})],
    ),
    ("ne", lambda a, b: a != b, None, [([1, 2], [1, 2]), ("a", "b")]),
    ("lt", lambda a, b: a < b, None, [(1, 2), (2, 1), ("a", "b")]),
    ("le", lambda a, b: a <= b, None, [(2, 2), (3, 2)]),
    ("gt", lambda a, b: a > b, None, [(3, 2), ("b", "a")]),
    ("ge", lambda a, b: a >= b, None, [(2, 2), (1, 2)]),
    ("and", lambda a, b: bool(a) and bool(b), lambda a, b: a & b, [([1], "x"), ([], "x"), ({}, 1), (0, 1)]),
    ("or", lambda a, b: bool(a) or bool(b), lambda a, b: a | b, [([], ""), ([], 0.5), (None, {"k": 1})]),
    ("not", lambda a, b: not a, lambda a, b: ~a, [([], 0), ([0], 0), ("", 0), ({}, 0), (None, 0), (0.0, 0)]),
    ("length", lambda a, b: len(a), lambda a, b: a.length(), [("héllo", 0), ([1, 2, 3], 0), ({"a": 1, "b": 2}, 0)]),
    (
        "contains",
        lambda a, b: b in a,
        lambda a, b: a.contains(b),
        [("hello", "ell"), ("hello", "z"), ([1, [2]], [2]), ({"k": 1}, "k"), ({"k": 1}, "j")],
    ),
    ("upper", lambda a, b: a.upper(), lambda a, b: a.upper(), [("MiXed", 0)]),
    ("lower", lambda a, b: a.lower(), lambda a, b: a.lower(), [("MiXed", 0)]),
    ("strip", lambda a, b: a.strip(), lambda a, b: a.strip(), [("  pad \n", 0)]),
    ("startswith", lambda a, b: a.startswith(b), lambda a, b: a.startswith(b), [("report.csv", "rep"), ("x", "y")]),
    ("endswith", lambda a, b: a.endswith(b), lambda a, b: a.endswith(b), [("report.csv", ".csv"), ("x", "y")]),
    ("split", lambda a, b: a.split(b), lambda a, b: a.split(b), [("a,b,,c", ","), ("one two", " ")]),
    ("join", lambda a, b: b.join(a), None, [(["x", "y", "z"], ", ")]),
    ("replace", lambda a, b: a.replace("o", b), lambda a, b: a.replace("o", b), [("foo boo", "0")]),
    ("index", lambda a, b: a[1], lambda a, b: a[1], [([10, 20, 30], 0), ("abc", 0)]),
    ("negative index", lambda a, b: a[-1], lambda a, b: a[-1], [([10, 20, 30], 0), ("abc", 0)]),
    ("var index", lambda a, b: a[b], lambda a, b: a[b], [([10, 20, 30], 2), ([10, 20, 30], -2), ({"k": "v"}, "k")]),
    ("slice", lambda a, b: a[1:], lambda a, b: a[1:], [("hello", 0), ([1, 2, 3], 0)]),
    ("slice to negative", lambda a, b: a[:-1], lambda a, b: a[:-1], [("hello", 0), ([1, 2, 3], 0)]),
    ("slice negative", lambda a, b: a[-3:], lambda a, b: a[-3:], [("hello", 0), ([1, 2], 0)]),
    ("slice by var", lambda a, b: a[b:], lambda a, b: a[b:], [("hello", 2), ("hello", -2)]),
    ("to_string", lambda a, b: str(a), lambda a, b: a.to_string(), [(True, 0), (None, 0), (3, 0), (1.5, 0), ("s", 0)]),
    ("f-string", lambda a, b: f"{a} of {b}!", None, [(3, "ten"), (True, None), ("x", 2.5)]),
    # Node's default locale is en-US, the same as these Python spellings.
    ("format_number", lambda a, b: f"{a:,.2f}", lambda a, b: a.format_number(2), [(1234.5, 0), (-0.126, 0), (7, 0)]),
    ("format_number plain", lambda a, b: f"{a}", lambda a, b: a.format_number(grouping=False), [(1234, 0)]),
    (
        "format_date",
        lambda a, b: f"{_day(a):%b} {_day(a).day}, {_day(a).year}",
        lambda a, b: a.format_date("medium"),
        [("2026-11-22", 0), ("2026-01-02", 0)],
    ),
    ("precedence", lambda a, b: (a + b) * 2 - a // b, None, [(7, 2), (-7, 3)]),
]


def _js_of(case: tuple[str, Op, Op | None, list[tuple[Any, Any]]]) -> str:
    _, py, on_vars, _ = case
    result = (on_vars or py)(Nums.a, Nums.b)
    if isinstance(result, str):  # an f-string with Vars in it
        return expand_markers(result)[0]
    assert isinstance(result, Var), result
    return result.js


@pytest.fixture(scope="module")
def node_results() -> dict[str, list[Any]]:
    node = shutil.which("node")
    if node is None or not OPS_JS.is_file():
        pytest.skip("needs node and the frontend sources")
    cases = [{"name": c[0], "js": _js_of(c), "inputs": c[3]} for c in CASES]
    script = (
        f"import {{ ops }} from {js_literal(OPS_JS.as_uri())};\n"
        f"const cases = {js_literal(cases)};\n"
        "const out = {};\n"
        "for (const c of cases) {\n"
        '  const f = new Function("v", "ops", "return " + c.js);\n'
        "  out[c.name] = c.inputs.map(([a, b]) => { const r = f({ nums: { a, b } }, ops); return r === undefined ? null : r; });\n"
        "}\n"
        "console.log(JSON.stringify(out));\n"
    )
    done = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    results: dict[str, list[Any]] = decode(done.stdout)
    return results


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_var_operation_in_node_matches_python(
    node_results: dict[str, list[Any]], case: tuple[str, Op, Op | None, list[tuple[Any, Any]]]
) -> None:
    name, py, _, inputs = case
    expected = [py(a, b) for a, b in inputs]
    got = node_results[name]
    assert got == pytest.approx(expected) if all(isinstance(x, float) for x in expected) else got == expected


def test_var_operations_compile_into_a_page_and_name_it_when_they_cannot() -> None:
    module = compile_app({"/": lambda: pr.text(f"{Nums.a} items", id="t")}).module("rt.js")
    assert 'ops.str(v.nums.a) + " items"' in module
    assert "import { React, emit, start, ops, useVars }" in module
    with pytest.raises(CompileError, match=r"cannot be combined with a Var .* \(in page '/'\)"):
        compile_app({"/": lambda: pr.text(Nums.a + object())})


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: len(Nums.a), r"use \.length\(\) instead"),
        (lambda: Nums.a[::2], r"sliced without a step only"),
        (lambda: f"{Nums.a:>5}", r"takes no format spec"),
        (lambda: {Nums.a: 1}, r"unhashable type"),
        (lambda: Nums.a.format_number(-1), r"Expected decimals as a count of digits"),
        (lambda: Nums.a.format_date("tiny"), r'Expected date style "short"'),
    ],
)
def test_var_misuse_is_refused(build: Callable[[], Any], message: str) -> None:
    with pytest.raises((CompileError, TypeError), match=message):
        build()
