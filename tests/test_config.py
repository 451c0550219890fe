from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

import pyreact_asgi as pr
from pyreact_asgi.exceptions import ConfigError


def test_config_defaults_work() -> None:
    config = pr.Config()
    assert config.build == "auto"
    assert config.build_dir is None
    assert config.event_path == "/_event"
    assert config.allowed_origins == ()


def test_config_accepts_valid_values(tmp_path: Path) -> None:
    config = pr.Config(
        title="Admin",
        build="never",
        build_dir=tmp_path,
        event_path="/ws-2",
        allowed_origins=("https://example.com", "http://localhost:8000"),
        max_event_bytes=1,
        state_ttl=0.5,
    )
    assert (config.build, config.build_dir, config.event_path) == ("never", tmp_path, "/ws-2")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"build": "sometimes"}, r'Expected build to be "auto", "always" or "never", but got \'sometimes\''),
        ({"event_path": "_event"}, r'Expected event_path like "/_event", but got \'_event\''),
        ({"event_path": "/a/b"}, r"Expected event_path like \"/_event\", but got '/a/b'"),
        ({"event_path": "/"}, r"Expected event_path like \"/_event\", but got '/'"),
        (
            {"allowed_origins": ("example.com",)},
            r'Expected each allowed origin as "scheme://host\[:port\]", but got \'example.com\'',
        ),
        ({"allowed_origins": ("https://example.com/",)}, r"but got 'https://example.com/'"),
        ({"allowed_origins": ("ftp://example.com",)}, r"but got 'ftp://example.com'"),
        ({"max_event_bytes": 0}, r"Expected max_event_bytes to be positive, but got 0"),
        ({"state_ttl": -1.0}, r"Expected state_ttl to be positive, but got -1.0"),
        ({"ping_interval": 0}, r"Expected ping_interval to be positive, but got 0"),
        ({"ping_timeout": -5}, r"Expected ping_timeout to be positive, but got -5"),
        ({"ping_interval": 0.5}, r"Expected ping_interval in whole seconds, but got 0.5"),
        ({"max_clients": 0}, r"Expected max_clients to be positive, but got 0"),
        ({"max_state_bytes": -1}, r"Expected max_state_bytes to be positive, but got -1"),
        ({"max_total_state_bytes": 0}, r"Expected max_total_state_bytes to be positive, but got 0"),
        ({"max_pending_events": 0}, r"Expected max_pending_events to be positive, but got 0"),
        ({"max_outgoing_bytes": 0}, r"Expected max_outgoing_bytes to be positive, but got 0"),
        ({"handler_timeout": 0}, r"Expected handler_timeout to be positive, but got 0"),
        ({"sweep_interval": -1.0}, r"Expected sweep_interval to be positive, but got -1.0"),
    ],
    ids=[
        "build",
        "event-path-no-slash",
        "event-path-nested",
        "event-path-root",
        "origin-no-scheme",
        "origin-trailing-slash",
        "origin-scheme",
        "max-event-bytes",
        "state-ttl",
        "ping-interval",
        "ping-timeout",
        "ping-interval-fraction",
        "max-clients",
        "max-state-bytes",
        "max-total-state-bytes",
        "max-pending-events",
        "max-outgoing-bytes",
        "handler-timeout",
        "sweep-interval",
    ],
)
def test_config_rejects_invalid_values(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        pr.Config(**kwargs)


def test_config_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="build"):
        pr.Config(build="fast")  # type: ignore[arg-type]


def test_config_unknown_field_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"Unexpected keyword argument 'titel'"):
        pr.Config(titel="typo")  # type: ignore[call-arg]


def test_config_is_keyword_only() -> None:
    with pytest.raises(TypeError, match=r"Extra positional arguments provided"):
        pr.Config("title")  # type: ignore[call-arg]


def test_config_is_frozen() -> None:
    config = pr.Config()
    with pytest.raises(AttributeError, match="immutable"):
        config.title = "x"  # type: ignore[misc]


def test_config_decoded_from_json_is_validated() -> None:
    assert msgspec.json.decode(b'{"title": "T", "build": "always"}', type=pr.Config).build == "always"
    with pytest.raises(msgspec.ValidationError, match=r"Expected max_event_bytes to be positive"):
        msgspec.json.decode(b'{"max_event_bytes": -1}', type=pr.Config)
    with pytest.raises(msgspec.ValidationError, match=r"Object contains unknown field `titel`"):
        msgspec.json.decode(b'{"titel": "T"}', type=pr.Config)


def test_config_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ConfigError, match=r"Expected trusted_proxies as addresses or networks .*proxy\.example"):
        pr.Config(trusted_proxies=("proxy.example",))
    assert pr.Config(trusted_proxies=("127.0.0.1", "10.0.0.0/8", "::1", "*")).trusted_proxies[0] == "127.0.0.1"


def test_config_build_dir_given_as_string_is_a_path(tmp_path: Path) -> None:
    config = pr.Config(build_dir=str(tmp_path))  # type: ignore[arg-type]
    assert config.build_dir == tmp_path
    assert pr.PyApp({"/": lambda: pr.text("hi")}, config=config).build_dir == tmp_path


def test_config_build_dir_of_wrong_type_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"Expected build_dir to be a path, but got 42"):
        pr.Config(build_dir=42)  # type: ignore[arg-type]
