from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from pyreact_asgi.discovery.html import not_found_page, render_shell, url_prefix


class _Tags(HTMLParser):
    """Collects every start tag with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _parse(html: bytes) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html.decode())
    return parser.tags


def _shell(mount: str, title: str = "App") -> bytes:
    return render_shell(mount=mount, title=title, entry="app.1234.js", runtime="runtime.abcd.js")


def _meta_mount(html: bytes) -> str | None:
    metas = [attrs for tag, attrs in _parse(html) if tag == "meta" and attrs.get("name") == "pyreact-mount"]
    assert len(metas) == 1
    return metas[0]["content"]


@pytest.mark.parametrize(
    ("mount", "content"),
    [("/ui", "/ui"), ("/a/b/c", "/a/b/c"), ("", ""), ("/my ui", "/my%20ui"), ("/caf\u00e9", "/caf%C3%A9")],
    ids=["mount", "nested", "root", "space", "utf8"],
)
def test_render_shell_meta_holds_the_url_encoded_mount(mount: str, content: str) -> None:
    assert _meta_mount(_shell(mount)) == content


@pytest.mark.parametrize(
    "mount",
    ['/a"><script>alert(1)</script>', "/a'b", "/<b>", "/a&b", '/x" onload="alert(1)'],
    ids=["quote-script", "apostrophe", "angle", "ampersand", "attribute"],
)
def test_render_shell_mount_cannot_break_out_of_the_attribute(mount: str) -> None:
    html = _shell(mount)
    tags = _parse(html)
    assert [tag for tag, _ in tags] == [
        "html",
        "head",
        "meta",
        "meta",
        "meta",
        "title",
        "link",
        "link",
        "script",
        "body",
        "div",
        "noscript",
    ]
    assert b"<script>" not in html
    assert _meta_mount(html) == url_prefix(mount)
    meta = next(attrs for tag, attrs in tags if tag == "meta" and attrs.get("name") == "pyreact-mount")
    assert set(meta) == {"name", "content"}


def test_render_shell_hostile_mount_is_percent_encoded() -> None:
    assert _meta_mount(_shell('/a"b<c>d')) == "/a%22b%3Cc%3Ed"


@pytest.mark.parametrize(
    ("mount", "prefix"), [("/ui", "/ui"), ("", ""), ("/my ui", "/my%20ui")], ids=["mount", "root", "space"]
)
def test_render_shell_asset_urls_are_under_the_mount(mount: str, prefix: str) -> None:
    tags = _parse(_shell(mount))
    preloads = [attrs for tag, attrs in tags if tag == "link" and attrs.get("rel") == "modulepreload"]
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert preloads == [{"rel": "modulepreload", "href": f"{prefix}/_static/runtime.abcd.js"}]
    assert scripts == [{"type": "module", "src": f"{prefix}/_static/app.1234.js"}]


def test_render_shell_has_root_element_and_escaped_title() -> None:
    html = _shell("/ui", title="Tom & <Jerry>").decode()
    assert "<title>Tom &amp; &lt;Jerry&gt;</title>" in html
    assert '<div id="pyreact-root"></div>' in html
    assert html.startswith("<!doctype html>\n")


def test_render_shell_asks_for_no_favicon_from_the_host() -> None:
    icons = [attrs for tag, attrs in _parse(_shell("/ui")) if tag == "link" and attrs.get("rel") == "icon"]
    assert icons == [{"rel": "icon", "href": "data:,"}]


def test_not_found_page_escapes_title() -> None:
    html = not_found_page("<b>App</b>").decode()
    assert "<title>&lt;b&gt;App&lt;/b&gt;</title>" in html
    assert re.search(r"<h1>404: Not Found</h1>", html)


def test_url_prefix_keeps_path_characters() -> None:
    assert url_prefix("/a/b-c_d.e~f") == "/a/b-c_d.e~f"
    assert url_prefix("/a?b#c") == "/a%3Fb%23c"
