"""The server-side data table in a real browser at a deep mount path: 100 000 rows sorted, filtered, paged,
selected and exported on the server."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.apps import starlette_host
from tests.e2e.browsing import NewTab
from tests.e2e.table_app import FORMULA, make_table_app
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

MOUNT = "/a/b/c"


@pytest.fixture(scope="module")
def server(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve(starlette_host(make_table_app(shared_build_dir), MOUNT)) as live:
        yield live


@pytest.fixture
def page(new_tab: NewTab, server: LiveServer) -> Page:
    page = new_tab().page
    page.goto(f"{server.url}{MOUNT}/")
    expect(page.get_by_role("status")).to_have_text(_shown("1", "25", "100,000"))
    return page


def _shown(first: str, last: str, total: str) -> str:
    return f"{first}\u2013{last} of {total}"  # an en dash, as the table writes ranges


def _ids(page: Page) -> list[str]:
    keys: list[str] = page.locator("#orders tbody tr").evaluate_all("rows => rows.map(r => r.dataset.key)")
    return keys


def test_table_shows_the_first_page_of_100000_rows_with_typed_cells(page: Page) -> None:
    assert _ids(page) == [str(i) for i in range(1, 26)]
    table = page.get_by_role("table", name="Orders")
    expect(table.locator("thead th").nth(1)).to_have_css("position", "sticky")
    row = page.locator('#orders tr[data-key="2"]')
    expect(row.locator("td").nth(1)).to_have_class("pr-dt-num")
    expect(row.locator(".pr-dt-badge")).to_have_text("refunded")
    expect(row.get_by_role("link")).to_have_attribute("href", "https://example.com/orders/2")
    # A javascript: URL in the data is shown as text, never as a link.
    hostile = page.locator('#orders tr[data-key="3"]')
    expect(hostile).to_contain_text("javascript:alert(1)")
    assert hostile.get_by_role("link").count() == 0
    expect(page.get_by_text("Page 1 of 4,000")).to_be_visible()


def test_table_sorts_filters_and_pages_on_the_server(page: Page) -> None:
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_role("status")).to_have_text(_shown("26", "50", "100,000"))
    page.get_by_role("button", name="Last page").click()
    expect(page.get_by_role("status")).to_have_text(_shown("99,976", "100,000", "100,000"))
    header = page.get_by_role("columnheader", name="Total")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(page.get_by_role("status")).to_have_text(_shown("1", "25", "100,000"))
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    totals = page.locator("#orders tbody tr td:nth-child(6)").all_inner_texts()
    assert "999" in totals[0]
    page.get_by_label("Filter rows").fill("customer 00002")
    expect(page.get_by_role("status")).to_have_text(_shown("1", "10", "10"))
    assert sorted(_ids(page), key=int) == [str(i) for i in range(20, 30)]
    page.get_by_label("Filter rows").fill("no such customer")
    expect(page.locator(".pr-dt-empty")).to_have_text("No rows match.")
    page.get_by_label("Rows per page").select_option("100")
    page.get_by_label("Filter rows").fill("")
    expect(page.get_by_role("status")).to_have_text(_shown("1", "100", "100,000"))


def test_table_selects_rows_on_the_server(page: Page) -> None:
    # The boxes show the server's selection: each click is an event, and the box changes when the reply comes.
    page.get_by_label("Select row 2", exact=True).click()
    expect(page.get_by_label("Select row 2", exact=True)).to_be_checked()
    page.get_by_label("Select row 5", exact=True).click()
    expect(page.locator("#selected")).to_have_text("Selected: 2,5")
    expect(page.locator("#selected-count")).to_have_text("2 selected")
    expect(page.locator('#orders tr[data-key="5"]')).to_have_attribute("aria-selected", "true")
    page.get_by_label("Select row 2", exact=True).click()
    expect(page.locator("#selected")).to_have_text("Selected: 5")
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#selected")).to_have_text("Selected:")


def test_table_exports_the_filtered_rows_as_csv(page: Page) -> None:
    page.get_by_label("Filter rows").fill("customer 00000")
    expect(page.get_by_role("status")).to_have_text(_shown("1", "8", "8"))  # row 7's customer is a formula
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename == "orders.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert [row[0] for row in rows] == ["Order", *(str(i) for i in (1, 2, 3, 4, 5, 6, 8, 9))]
    page.get_by_label("Filter rows").fill("hyperlink")
    expect(page.get_by_role("status")).to_have_text(_shown("1", "1", "1"))
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))
    assert rows[1][:2] == ["7", "'" + FORMULA], "a spreadsheet shows the formula as text instead of running it"
