from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pyreact_asgi import PyReactError
from pyreact_django.conf import AppSettingError, load_app


class Command(BaseCommand):  # type: ignore[misc]  # Django has no type hints
    help = (
        "Builds the frontend bundle of the PyApp named by settings.PYREACT_APP, so that servers can start "
        'with Config(build="never"). Builds only when the pages changed, unless --force.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Rebuild even when the bundle is current.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ui = load_app()
        except AppSettingError as exc:
            raise CommandError(f"{exc} {exc.hint}") from exc
        try:
            bundle = ui.build("always" if options["force"] else "auto")
        except PyReactError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(len(asset.body) for asset in bundle.assets.values())
        done = "Built" if bundle.built else "Already current:"
        self.stdout.write(
            self.style.SUCCESS(f"{done} {ui!r} in {ui.build_dir} ({len(bundle.assets)} files, {size} bytes).")
        )
