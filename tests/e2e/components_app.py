"""A page of every interactive component, for the real-browser component tests and a screenshot."""

from __future__ import annotations

from pathlib import Path

import pyreact_asgi as pr


class Kit(pr.State):
    saved: dict[str, str] = {}  # noqa: RUF012
    query: str = ""
    changes: int = 0
    keys: list[str] = []  # noqa: RUF012
    tab: str = ""
    menu: str = ""
    rows: list[dict[str, str]] = [  # noqa: RUF012
        {"name": "Ada", "role": "Engineer"},
        {"name": "Grace", "role": "Admiral"},
    ]
    agree: bool = False
    volume: int = 30

    @pr.computed
    def saved_items(self) -> list[str]:
        return [f"{k}={v}" for k, v in sorted(self.saved.items())]

    @pr.event
    def save(self, form: dict[str, str]) -> None:
        self.saved = form

    @pr.event
    def search(self, text: str) -> None:
        self.query = text
        self.changes += 1

    @pr.event
    def key(self, key: str) -> None:
        self.keys.append(key)

    @pr.event
    def pick_tab(self, label: str) -> None:
        self.tab = label

    @pr.event
    def pick(self, what: str) -> None:
        self.menu = what

    @pr.event
    def add_row(self) -> None:
        self.rows.append({"name": "Linus", "role": "Kernel"})


def kit_page() -> pr.Component:
    return pr.container(
        pr.hstack(pr.heading("Components", level=2), pr.spacer(), pr.color_mode_toggle(id="mode"), width="100%"),
        pr.callout("Everything on this page is built in.", title="Component kit", status="info"),
        pr.grid(
            pr.form(
                pr.input(name="email", placeholder="E-mail", id="email"),
                pr.textarea(name="bio", placeholder="About you", rows=3),
                pr.select(["viewer", "editor"], name="role", value="editor"),
                pr.radio_group(["small", "large"], name="size", value="small"),
                pr.checkbox("Subscribe", name="subscribe"),
                pr.switch("Beta", name="beta", checked=True),
                pr.date_input(name="start"),
                pr.number_input(name="count", value="3"),
                pr.slider(name="volume", value=Kit.volume),
                pr.button("Save", type="submit", id="save"),
                on_submit=Kit.save,
                id="profile",
            ),
            pr.vstack(
                pr.input(value=Kit.query, on_change=Kit.search, on_key_down=Kit.key, placeholder="Search", id="search"),
                pr.text("Changes: ", Kit.changes, id="changes"),
                pr.text("Query: ", Kit.query, id="query"),
                pr.hstack(pr.foreach(Kit.keys, lambda k: pr.badge(k, color="gray")), id="keys"),
                pr.text("Saved: ", pr.foreach(Kit.saved_items, lambda kv: pr.code(kv)), id="saved"),
                pr.hstack(
                    pr.badge("New"),
                    pr.badge("Done", color="green"),
                    pr.avatar(name="Ada Lovelace"),
                    pr.icon("check", label="ok"),
                    pr.spinner(),
                ),
                pr.progress(60),
                pr.divider(),
                pr.markdown("Some **bold** text, `code` and a [link](/docs)."),
            ),
            columns=[1, 2],
            width="100%",
        ),
        pr.tabs(
            ("Overview", pr.text("Overview panel", id="overview")),
            ("Details", pr.text("Details panel", id="details")),
            on_change=Kit.pick_tab,
            id="tabs",
        ),
        pr.text("Tab: ", Kit.tab, id="tab"),
        pr.accordion(
            ("What is it?", pr.text("A kit", id="answer1")), ("Why?", pr.text("Tests", id="answer2")), id="faq"
        ),
        pr.table(Kit.rows, columns=[("name", "Name"), ("role", "Role")], id="people"),
        pr.button("Add row", on_click=Kit.add_row, id="add-row", variant="outline"),
        pr.hstack(
            pr.dialog(
                pr.text("Inside the dialog", id="dialog-text"),
                pr.form(
                    pr.input(name="note", id="note"), pr.button("Send", type="submit", id="send"), on_submit=Kit.save
                ),
                trigger=pr.button("Open dialog", id="open-dialog"),
                title="Edit",
                id="dialog",
            ),
            pr.dropdown_menu(
                pr.button("Actions", id="actions", variant="ghost"),
                pr.menu_item("Rename", on_click=Kit.pick("rename"), id="rename"),
                pr.menu_item("Delete", on_click=Kit.pick("delete"), id="delete"),
            ),
            pr.popover(pr.button("More", id="more", variant="outline"), pr.text("Popover body", id="popover-body")),
            pr.tooltip(pr.button("Hover me", id="hover", variant="ghost"), content="A tooltip"),
        ),
        pr.text("Menu: ", Kit.menu, id="menu"),
        gap="1.25rem",
        display="flex",
        flex_direction="column",
        padding_block="1rem",
        align_items="flex-start",
    )


def make_kit(build_dir: Path, **config: object) -> pr.PyApp:
    return pr.PyApp(pages={"/": kit_page}, config=pr.Config(build_dir=build_dir / "kit", title="Kit", **config))  # type: ignore[arg-type]
