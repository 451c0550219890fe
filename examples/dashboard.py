"""An internal-tool dashboard: a table with filtering and sorting, a form in a dialog, several pages with
client-side navigation, a detail page per person (a dynamic route), and a dark mode toggle.

Run:  uvicorn examples.dashboard:app   then open http://127.0.0.1:8000/tools/ui/
"""

from __future__ import annotations

import msgspec
from fastapi import FastAPI

import pyreact_asgi as pr


class Person(msgspec.Struct):
    name: str
    team: str
    role: str
    salary: int


SEED = [
    Person("Ada Lovelace", "Engines", "Analyst", 5200),
    Person("Grace Hopper", "Compilers", "Admiral", 6100),
    Person("Alan Turing", "Codes", "Mathematician", 5800),
    Person("Katherine Johnson", "Orbits", "Engineer", 5500),
    Person("Edsger Dijkstra", "Compilers", "Professor", 5900),
    Person("Barbara Liskov", "Codes", "Professor", 6000),
]
COLUMNS = ("name", "team", "role", "salary")


class Directory(pr.State):
    people: list[Person] = SEED
    query: str = pr.field("", setter=True)
    sort_by: str = "name"
    descending: bool = False
    dialog_open: bool = pr.field(False, setter=True)

    @pr.computed
    def rows(self) -> list[dict[str, str]]:
        """The people the table shows: filtered by the query, sorted by the chosen column."""
        needle = self.query.strip().lower()
        shown = [p for p in self.people if needle in p.name.lower() or needle in p.team.lower()]
        shown.sort(key=lambda p: getattr(p, self.sort_by), reverse=self.descending)
        return [{"name": p.name, "team": p.team, "role": p.role, "salary": f"{p.salary:,}"} for p in shown]

    @pr.computed
    def summary(self) -> str:
        return f"{len(self.rows)} of {len(self.people)} people"

    @pr.computed
    def teams(self) -> list[dict[str, str]]:
        counts: dict[str, int] = {}
        for person in self.people:
            counts[person.team] = counts.get(person.team, 0) + 1
        return [{"team": team, "people": str(n)} for team, n in sorted(counts.items())]

    @pr.event
    def sort(self, column: str) -> None:
        if column not in COLUMNS:
            return
        self.descending = not self.descending if column == self.sort_by else False
        self.sort_by = column

    @pr.event
    def add(self, form: dict[str, str]) -> list[pr.Action]:
        name, team = form.get("name", "").strip(), form.get("team", "").strip()
        try:
            salary = int(form.get("salary", "") or 0)
        except ValueError:
            salary = -1
        if not name or not team or salary < 0:
            return [pr.toast("Name, team and a whole-number salary, please", level="warning")]
        self.people.append(Person(name, team, form.get("role", "").strip() or "Member", salary))
        self.dialog_open = False
        return [pr.toast(f"Added {name}", level="success")]


class Profile(pr.State):
    """The person a /people/[name] page shows, loaded by its on_load handler from the route."""

    name: str = ""
    team: str = ""
    role: str = ""
    found: bool = False

    @pr.event
    async def load(self) -> None:
        directory = await self.get_state(Directory)
        wanted = self.router.params.get("name", "").replace("-", " ").lower()
        match = next((p for p in directory.people if p.name.lower() == wanted), None)
        self.found = match is not None
        self.name, self.team, self.role = (match.name, match.team, match.role) if match else ("", "", "")


def shell(*content: pr.Component) -> pr.Component:
    return pr.container(
        pr.hstack(
            pr.heading("People ops", level=3),
            pr.link("Directory", href="/", id="nav-directory"),
            pr.link("Teams", href="/teams", id="nav-teams"),
            pr.spacer(),
            pr.color_mode_toggle(id="mode"),
            width="100%",
            padding_block=".5rem",
        ),
        pr.divider(),
        *content,
        display="flex",
        flex_direction="column",
        gap="1rem",
    )


def header(column: str, label: str) -> tuple[str, pr.Component]:
    return column, pr.button(label, on_click=Directory.sort(column), variant="ghost", id=f"sort-{column}")


def directory_page() -> pr.Component:
    add_form = pr.form(
        pr.input(name="name", placeholder="Name", id="new-name"),
        pr.input(name="team", placeholder="Team", id="new-team"),
        pr.input(name="role", placeholder="Role", id="new-role"),
        pr.number_input(name="salary", placeholder="Salary", id="new-salary"),
        pr.button("Add", type="submit", id="submit-person"),
        on_submit=Directory.add,
        display="flex",
        flex_direction="column",
        gap=".75rem",
    )
    return shell(
        pr.hstack(
            pr.input(
                value=Directory.query, on_change=Directory.set_query, placeholder="Filter by name or team", id="filter"
            ),
            pr.spacer(),
            pr.dialog(
                add_form,
                trigger=pr.button("Add person", id="open-add"),
                title="Add a person",
                open=Directory.dialog_open,
                on_close=Directory.set_dialog_open(False),
                id="add-dialog",
            ),
            width="100%",
        ),
        pr.table(Directory.rows, columns=[header(c, c.capitalize()) for c in COLUMNS], id="people", width="100%"),
        pr.text(Directory.summary, id="summary", color="var(--pr-muted)"),
        pr.hstack(pr.text("Profiles:"), pr.link("Ada Lovelace", href="/people/ada-lovelace", id="to-ada")),
    )


def teams_page() -> pr.Component:
    return shell(
        pr.heading("Teams", level=2),
        pr.table(Directory.teams, columns=[("team", "Team"), ("people", "People")], id="teams"),
    )


def profile_page() -> pr.Component:
    return shell(
        pr.cond(
            Profile.found,
            pr.vstack(
                pr.heading(Profile.name, level=2, id="profile-name"), pr.text(Profile.role, " in ", Profile.team)
            ),
            pr.callout("No such person.", status="warning", id="profile-missing"),
        ),
    )


ui = pr.PyApp(
    pages={
        "/": pr.page(directory_page, title="Directory", description="Everyone in the company"),
        "/teams": pr.page(teams_page, title="Teams"),
        "/people/[name]": pr.page(profile_page, title="Profile", on_load=Profile.load),
    },
    config=pr.Config(title="People ops", theme=pr.Theme(accent="#0f766e")),
)

app = FastAPI(lifespan=ui.lifespan)
app.mount("/tools/ui", ui)
