"""Every Var operation, compiled to JavaScript and run in Node, gives what Python gives for the same inputs."""

from __future__ import annotations

import datetime
import math
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
from pyreact_asgi.state.vars import Var, expand_markers

OPS_JS = Path(__file__).parents[2] / "frontend" / "src" / "ops.js"


class Nums(pr.State):
    a: Any = 0
    b: Any = 0


Op = Callable[[Any, Any], Any]


def _day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


# name, Python's operation on values, the same on Vars (when it is spelt differently), inputs (a, b)
CASES: list[tuple[str, Op, Op | None, list[tuple[Any, Any]]]] = [
    # arithmetic
    ("add", lambda a, b: a + b, None, [(2, 3), (1.5, 2), ("ab", "cd"), ([1], [2, 3]), (True, 1)]),
    ("radd", lambda a, b: 10 + a, None, [(2, 0), (-4.5, 0)]),
    ("sub", lambda a, b: a - b, None, [(2, 3), (0.5, 0.25), (1, -1)]),
    ("rsub", lambda a, b: 10 - a, None, [(3, 0)]),
    ("sub negative literal", lambda a, b: a - -1, None, [(3, 0)]),
    ("mul", lambda a, b: a * b, None, [(4, 3), ("ab", 3), ([1, 2], 2), ("x", 0), ("x", -1), (3, "ab")]),
    ("truediv", lambda a, b: a / b, None, [(7, 2), (-1, 4)]),
    ("rtruediv", lambda a, b: 1 / a, None, [(4, 0)]),
    ("floordiv", lambda a, b: a // b, None, [(7, 2), (-7, 2), (7, -2), (7.5, 2), (-0.5, 1)]),
    ("rfloordiv", lambda a, b: -7 // a, None, [(2, 0)]),
    ("mod", lambda a, b: a % b, None, [(7, 3), (-7, 3), (7, -3), (-7, -3), (7.5, 2), (-0.5, 2), (0, 5)]),
    ("rmod", lambda a, b: -7 % a, None, [(3, 0)]),
    ("pow", lambda a, b: a**b, None, [(2, 10), (9, 0.5), (2, -1), (-2, 3)]),
    ("rpow negative literal", lambda a, b: (-2) ** a, None, [(3, 0), (2, 0)]),
    ("neg", lambda a, b: -a, None, [(3, 0), (-2.5, 0)]),
    ("neg twice", lambda a, b: -(a * -1), None, [(3, 0)]),
    ("neg pow", lambda a, b: (-a) ** 2, None, [(3, 0)]),
    ("pos", lambda a, b: +a, None, [(-3, 0)]),
    ("abs", lambda a, b: abs(a), None, [(-3, 0), (2.5, 0)]),
    ("round", lambda a, b: round(a), None, [(2.5, 0), (3.5, 0), (-2.5, 0), (2.4, 0), (-0.6, 0), (7, 0)]),
    ("round digits", lambda a, b: round(a, 2), None, [(2.675, 0), (0.125, 0), (-0.125, 0), (1.005, 0), (3.14159, 0)]),
    ("round tens", lambda a, b: round(a, -1), None, [(25, 0), (35, 0), (1234, 0)]),
    ("floor", lambda a, b: math.floor(a), None, [(2.5, 0), (-2.5, 0)]),
    ("ceil", lambda a, b: math.ceil(a), None, [(2.5, 0), (-2.5, 0)]),
    ("trunc", lambda a, b: math.trunc(a), None, [(2.5, 0), (-2.5, 0)]),
    ("precedence", lambda a, b: (a + b) * 2 - a // b, None, [(7, 2), (-7, 3)]),
    # comparison
    (
        "eq",
        lambda a, b: a == b,
        None,
        [
            (1, 1),
            (1, 2),
            ("x", "x"),
            ([1, [2]], [1, [2]]),
            ([1], [2]),
            ({"k": [1]}, {"k": [1]}),
            ({"k": 1}, {"j": 1}),
            ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
            (True, 1),
            ([False], [0]),
            (None, None),
            ("1", 1),
        ],
    ),
    ("eq built list", lambda a, b: a == [b, 1], None, [([2, 1], 2), ([2, 1], 3)]),
    ("ne", lambda a, b: a != b, None, [([1, 2], [1, 2]), ("a", "b"), (1, True)]),
    ("lt", lambda a, b: a < b, None, [(1, 2), (2, 1), ("a", "b"), ([1, 10], [1, 9]), ([1, 2], [1, 2, 3]), ("B", "a")]),
    ("le", lambda a, b: a <= b, None, [(2, 2), (3, 2), ([1, 2], [1, 2]), ("ab", "a")]),
    ("gt", lambda a, b: a > b, None, [(3, 2), ("b", "a"), ("\U0001f600", "\uffff"), ([[1, 2]], [[1, 10]])]),
    ("ge", lambda a, b: a >= b, None, [(2, 2), (1, 2), ([3], [2, 9])]),
    ("compare with literal", lambda a, b: 3 < a, None, [(2, 0), (4, 0)]),
    # and, or, not: Python's truth and results
    ("and", lambda a, b: a and b, lambda a, b: a & b, [([1], "x"), ([], "x"), ({}, 1), (0, 1), (2, 0)]),
    ("or", lambda a, b: a or b, lambda a, b: a | b, [([], ""), ([], 0.5), (None, {"k": 1}), ("x", "y")]),
    ("or default", lambda a, b: a or "anonymous", lambda a, b: a | "anonymous", [("", 0), ("Bo", 0), (None, 0)]),
    ("rand", lambda a, b: 1 and a, lambda a, b: 1 & a, [(0, 0), ("x", 0)]),
    ("ror", lambda a, b: 0 or a, lambda a, b: 0 | a, [(0, 0), ("x", 0)]),
    ("not", lambda a, b: not a, lambda a, b: ~a, [([], 0), ([0], 0), ("", 0), ({}, 0), (None, 0), (0.0, 0), ("0", 0)]),
    (
        "and of comparisons",
        lambda a, b: (a > 1) and (b < 5),
        lambda a, b: (a > 1) & (b < 5),
        [(2, 3), (0, 3), (2, 9)],
    ),
    # lengths and containers
    (
        "length",
        lambda a, b: len(a),
        lambda a, b: a.length(),
        [("héllo", 0), ([1, 2, 3], 0), ({"a": 1, "b": 2}, 0), ("a\U0001f44db", 0), ("", 0)],
    ),
    (
        "contains",
        lambda a, b: b in a,
        lambda a, b: a.contains(b),
        [("hello", "ell"), ("hello", "z"), ([1, [2]], [2]), ([1, 2], True), ({"k": 1}, "k"), ({"k": 1}, "j")],
    ),
    ("contains built list", lambda a, b: [b] in a, lambda a, b: a.contains([b]), [([[1], [2]], 2), ([[1]], 3)]),
    ("keys", lambda a, b: list(a.keys()), lambda a, b: a.keys(), [({"x": 1, "y": 2}, 0), ({}, 0)]),
    (
        "get",
        lambda a, b: a.get(b, "none"),
        lambda a, b: a.get(b, "none"),
        [({"x": 1, "y": [2]}, "y"), ({"x": 1}, "z"), ({"x": 0}, "x"), ({"x": ""}, "x")],
    ),
    ("values", lambda a, b: list(a.values()), lambda a, b: a.values(), [({"x": 1, "y": [2]}, 0)]),
    ("items", lambda a, b: [list(p) for p in a.items()], lambda a, b: a.items(), [({"x": 1, "y": 2}, 0)]),
    # indexing and slicing
    ("index", lambda a, b: a[1], lambda a, b: a[1], [([10, 20, 30], 0), ("abc", 0), ("\U0001f44dxy", 0)]),
    ("negative index", lambda a, b: a[-1], lambda a, b: a[-1], [([10, 20, 30], 0), ("abc", 0), ("ab\U0001f44d", 0)]),
    ("var index", lambda a, b: a[b], lambda a, b: a[b], [([10, 20, 30], 2), ([10, 20, 30], -2), ({"k": "v"}, "k")]),
    ("key", lambda a, b: a["k"], lambda a, b: a["k"], [({"k": [1]}, 0)]),
    ("slice", lambda a, b: a[1:], lambda a, b: a[1:], [("hello", 0), ([1, 2, 3], 0), ("\U0001f44dab", 0)]),
    ("slice to negative", lambda a, b: a[:-1], lambda a, b: a[:-1], [("hello", 0), ([1, 2, 3], 0)]),
    ("slice negative", lambda a, b: a[-3:], lambda a, b: a[-3:], [("hello", 0), ([1, 2], 0), ("x\U0001f44dyz", 0)]),
    ("slice out of range", lambda a, b: a[-10:10], lambda a, b: a[-10:10], [("hello", 0)]),
    ("slice by var", lambda a, b: a[b:], lambda a, b: a[b:], [("hello", 2), ("hello", -2), ("hello", None)]),
    ("slice to var", lambda a, b: a[:b], lambda a, b: a[:b], [("hello", 2), ("hello", None)]),
    (
        "reverse",
        lambda a, b: a[::-1],
        lambda a, b: a[::-1],
        [("hello", 0), ([1, 2, 3], 0), ("a\U0001f44d", 0), ("", 0)],
    ),
    ("step", lambda a, b: a[::2], lambda a, b: a[::2], [("abcdefg", 0), ([1, 2, 3, 4], 0)]),
    ("step back", lambda a, b: a[-1:0:-2], lambda a, b: a[-1:0:-2], [("abcdefg", 0), ([1, 2, 3, 4], 0)]),
    ("step back from", lambda a, b: a[1::-1], lambda a, b: a[1::-1], [("abcdefg", 0)]),
    ("step back out of range", lambda a, b: a[10:-10:-3], lambda a, b: a[10:-10:-3], [("abcdefg", 0)]),
    ("step by var", lambda a, b: a[::b], lambda a, b: a[::b], [("abcdefg", 3), ("abcdefg", -2)]),
    # strings
    ("upper", lambda a, b: a.upper(), lambda a, b: a.upper(), [("MiXed", 0), ("straße", 0)]),
    ("lower", lambda a, b: a.lower(), lambda a, b: a.lower(), [("MiXed", 0)]),
    ("strip", lambda a, b: a.strip(), lambda a, b: a.strip(), [("  pad \n", 0)]),
    ("startswith", lambda a, b: a.startswith(b), lambda a, b: a.startswith(b), [("report.csv", "rep"), ("x", "y")]),
    ("endswith", lambda a, b: a.endswith(b), lambda a, b: a.endswith(b), [("report.csv", ".csv"), ("x", "y")]),
    ("split", lambda a, b: a.split(b), lambda a, b: a.split(b), [("a,b,,c", ","), ("one  two", " "), ("x", "--")]),
    (
        "split whitespace",
        lambda a, b: a.split(),
        lambda a, b: a.split(),
        [("  one  two\n three ", 0), ("", 0), (" ", 0)],
    ),
    ("join", lambda a, b: b.join(a), None, [(["x", "y", "z"], ", "), ([], "-"), ("abc", "-")]),
    ("join list var", lambda a, b: b.join(a), lambda a, b: a.join(b), [(["x", "y"], " / "), ([], ",")]),
    ("join literal", lambda a, b: ", ".join(a), lambda a, b: a.join(", "), [(["x", "y"], 0)]),
    (
        "replace",
        lambda a, b: a.replace("o", b),
        lambda a, b: a.replace("o", b),
        [("foo boo", "0"), ("o", "$&$&"), ("no", "$1")],
    ),
    ("replace empty", lambda a, b: a.replace("", b), lambda a, b: a.replace("", b), [("abc", "-")]),
    # text
    (
        "to_string",
        lambda a, b: str(a),
        lambda a, b: a.to_string(),
        [
            (True, 0),
            (None, 0),
            (3, 0),
            (1.5, 0),
            ("s", 0),
            (0.1 + 0.2, 0),
            (1e-05, 0),
            (-0.00012, 0),
            (0.0001, 0),
            (10**22, 0),
            ([1, "a", None, True, [2.5]], 0),
            ({"k": ["it's", 'say "hi"', "both ' \""]}, 0),
            ("tab\tnew\nline", 0),
            (["tab\tback\\slash"], 0),
        ],
    ),
    ("f-string", lambda a, b: f"{a} of {b}!", None, [(3, "ten"), (True, None), ("x", 2.5), ([1, "x"], {"k": None})]),
    ("f-string only a var", lambda a, b: f"{a}", None, [(3, 0), ("", 0)]),
    ("str concatenated", lambda a, b: "n = " + str(a) + "; " + str(b), None, [(3, [1]), (None, "x")]),
    # Python refuses "n = " + 1; the browser shows what an f-string would.
    ("str plus var", lambda a, b: f"n = {a}{b}", lambda a, b: "n = " + a + b, [(3, "!"), (None, "?")]),
    ("var plus str", lambda a, b: f"{a} items", lambda a, b: a + " items", [(3, 0), (True, 0)]),
    # Node's default locale is en-US, the same as these Python spellings.
    ("format_number", lambda a, b: f"{a:,.2f}", lambda a, b: a.format_number(2), [(1234.5, 0), (-0.126, 0), (7, 0)]),
    ("format_number plain", lambda a, b: f"{a}", lambda a, b: a.format_number(grouping=False), [(1234, 0)]),
    (
        "format_number ties",
        # Intl rounds a tie away from zero, where Python's format rounds to even (documented).
        lambda a, b: f"{math.copysign(math.floor(abs(a) * 100 + 0.5) / 100, a):,.2f}",
        lambda a, b: a.format_number(2),
        [(-0.125, 0), (0.125, 0), (2.5, 0)],
    ),
    (
        "format_date",
        lambda a, b: f"{_day(a):%b} {_day(a).day}, {_day(a).year}",
        lambda a, b: a.format_date("medium"),
        [("2026-11-22", 0), ("2026-01-02", 0)],
    ),
    (
        "format_date long",
        lambda a, b: f"{_day(a):%B} {_day(a).day}, {_day(a).year}",
        lambda a, b: a.format_date("long"),
        [("2026-11-22", 0)],
    ),
    # choosing
    ("cond", lambda a, b: "yes" if a else "no", lambda a, b: pr.cond(a, "yes", "no"), [([], 0), ([0], 0), ("", 0)]),
    (
        "match",
        lambda a, b: {1: "one", "x": "ex", (2, 3): "pair"}.get(tuple(a) if isinstance(a, list) else a, "other"),
        lambda a, b: pr.match(a, (1, "one"), ("x", "ex"), ([2, 3], "pair"), default="other"),
        [(1, 0), ("x", 0), ([2, 3], 0), (5, 0), (True, 0)],
    ),
    (
        "match var result",
        lambda a, b: b if a == 0 else -b,
        lambda a, b: pr.match(a, (0, b), default=-b),
        [(0, 4), (1, 4)],
    ),
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


class Secret(pr.State):
    shown: str = ""
    _hidden: str = ""


def test_var_operations_compile_into_a_page_and_name_it_when_they_cannot() -> None:
    module = compile_app({"/": lambda: pr.text(f"{Nums.a} items", id="t")}).module("rt.js")
    assert 'ops.str(v.nums.a) + " items"' in module
    assert "import { React, emit, start, ops, useVars }" in module
    with pytest.raises(CompileError, match=r"cannot be combined with a Var .* \(in page '/'\)"):
        compile_app({"/": lambda: pr.text(Nums.a + object())})


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (lambda: pr.text(Nums.a + object()), r"<object object at .*> has no value in the browser"),
        (lambda: pr.text(Nums.a.length() + len(Nums.b)), r"len\(\) of a Var \(v.nums.b\) .* use \.length\(\)"),
        (lambda: pr.text("yes" if Nums.a > 1 else "no"), r"cannot be used in `if`"),
        (lambda: pr.text(pr.cond(0 < Nums.a < 5, "in", "out")), r"chained comparison"),
        (lambda: pr.text(sorted(Nums.a)), r"cannot be iterated; use pr.foreach"),  # type: ignore[arg-type]
        (lambda: pr.text(", ".join(Nums.a)), r"cannot be iterated; .*\.join"),
        (lambda: pr.text(pr.cond(1 in Nums.a, "y", "n")), r"use \.contains\(\)"),
        (lambda: pr.text(int(Nums.a)), r"int\(\) of a Var"),
        (lambda: pr.text(float(Nums.a)), r"float\(\) of a Var"),
        (lambda: pr.text("abc"[Nums.a]), r"cannot index a Python object"),
        (lambda: pr.text(f"{Nums.a:.2f}"), r"takes no format spec \('.2f'\); use \.format_number"),
        (lambda: pr.text(Nums.a[::0]), r"step 0"),
        (lambda: pr.text(Nums.a.split("")), r"empty separator"),
        (lambda: pr.text(round(Nums.a, 1.5)), r"whole number of digits"),  # type: ignore[call-overload]
        (lambda: pr.text(Nums.a.format_number(-1)), r"Expected decimals as a count of digits"),
        (lambda: pr.text(Nums.a.format_date("tiny")), r'Expected date style "short"'),
        (lambda: pr.text({Nums.a: 1}), r"Vars cannot be dict keys"),  # type: ignore[arg-type]
        (lambda: pr.text(Secret._hidden.upper()), r'"Secret._hidden" is backend-only'),
        (lambda: pr.text(Secret.shown + Secret._hidden), r'"Secret._hidden" is backend-only'),
        (lambda: pr.text(f"{Secret._hidden}"), r'"Secret._hidden" is backend-only'),
        (lambda: pr.text(pr.match(Secret.shown, (Secret._hidden, "x"))), r'"Secret._hidden" is backend-only'),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_what_cannot_run_in_the_browser_raises_naming_the_page(page: Callable[[], pr.Component], message: str) -> None:
    with pytest.raises(CompileError, match=message + r".*\(in page '/reports'\)"):
        compile_app({"/": lambda: pr.text("fine"), "/reports": page})


def test_an_f_string_with_a_var_where_only_fixed_text_goes_names_the_page() -> None:
    with pytest.raises(CompileError, match=r"page title to be fixed text.*\(in page '/'\)"):
        compile_app({"/": pr.page(lambda: pr.text("x"), title=f"{Nums.a} items")})


def test_formatting_a_var_again_reuses_its_marker() -> None:
    assert f"{Nums.a}" == f"{Nums.a}" == str(Nums.a)
    assert f"{Nums.a}" != f"{Nums.b}"
    assert expand_markers(f"{Nums.a + 1}")[1] == frozenset({Nums})
