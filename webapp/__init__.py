"""The web app drafters keep open while drafting: search, paragraphs, documents, compare.

The last step of the flow: search results (plain dataclasses from
``indexer.search.service``) -> HTML pages (``views``) or JSON (``api``), both over the
same service calls. ``create_app`` builds an app; nothing is opened at import.

Settings, in the order they are applied (later wins):

1. the defaults in ``SETTINGS`` below;
2. ``instance/config.py`` (the Flask instance folder), when present;
3. environment variables: ``INDEX_DIR``, and ``MEA_<NAME>`` for any other setting.

``test_config`` replaces steps 2 and 3, so tests never depend on the machine.
An unknown setting in any of them stops the app at startup.

Every response carries the security headers in ``SECURITY_HEADERS``: the
Content-Security-Policy allows scripts and styles from the app's own static
files only (no inline script, style or handler in any template), and no page
may be framed.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Config, Flask

from indexer.search import MAX_QUERY_LENGTH
from werkzeug.routing import PathConverter

# Setting -> (default, meaning). Declared once; also documented in the README.
SETTINGS = {
    "INDEX_DIR": ("instance/index", "index directory written by `python -m indexer index`"),
    "PER_PAGE": (10, "results per page when the URL does not say"),
    "EXPORT_LIMIT": (1000, "most rows a CSV or Markdown export holds"),
    "MAX_QUERY_LENGTH": (MAX_QUERY_LENGTH, "longest query accepted, in characters"),
    "BASE_URL": ("", "public address of the app (https://host/prefix) for canonical links; "
                     "empty: canonical links are paths, never built from the request's Host"),
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
ENV_PREFIX = "MEA_"


class AnyPath(PathConverter):
    """A path segment as the index has it: any characters, a newline included (a
    document named after a file whose name holds one must still open)."""

    regex = "[^/](?s:.)*?"


class SettingError(ValueError):
    """A setting the app does not know, or a value of the wrong kind."""


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: settings, the one search service, blueprints and error pages."""
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.url_map.converters["path"] = AnyPath
    flask_keys = set(app.config)
    app.config.from_mapping({name: default for name, (default, _) in SETTINGS.items()})
    if test_config is None:
        _apply(app, _instance_settings(app), flask_keys, "instance/config.py")
        _apply(app, _environment_settings(), flask_keys, "the environment")
    else:
        _apply(app, test_config, flask_keys, "test_config")
    app.config["INDEX_DIR"] = str(Path(app.config["INDEX_DIR"]))

    # One service per app, reused across requests; it opens the index lazily
    # on the first call and follows newly published generations by itself.
    from indexer.search import SearchService

    # Readers keep being answered from the old generation while a new one loads.
    app.extensions["search_service"] = SearchService(app.config["INDEX_DIR"], switch="background")

    from webapp import api, errors, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    views.register_template_helpers(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _instance_settings(app: Flask) -> dict:
    found = Config(app.instance_path)
    found.from_pyfile("config.py", silent=True)
    return dict(found)


def _environment_settings() -> dict:
    found = {}
    if os.environ.get("INDEX_DIR"):
        found["INDEX_DIR"] = os.environ["INDEX_DIR"]
    for key, value in os.environ.items():
        if key.startswith(ENV_PREFIX):
            found[key[len(ENV_PREFIX):]] = value
    return found


def _apply(app: Flask, values: dict, flask_keys: set[str], origin: str) -> None:
    for name, value in values.items():
        if name in SETTINGS:
            app.config[name] = _coerce(name, value, origin)
        elif name in flask_keys:
            app.config[name] = value
        else:
            known = ", ".join(sorted(SETTINGS))
            raise SettingError(f"unknown setting {name!r} in {origin}; known settings: {known}")


def _coerce(name: str, value, origin: str):
    default = SETTINGS[name][0]
    if name == "BASE_URL":
        text = str(value or "").strip().rstrip("/")
        address = urlsplit(text)
        if text and (address.scheme not in ("http", "https") or not address.netloc or address.query or address.fragment):
            raise SettingError(
                f"setting BASE_URL in {origin} must be an http(s) address such as https://example.org, got {value!r}"
            )
        return text
    if isinstance(default, int):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise SettingError(f"setting {name} in {origin} must be a whole number, got {value!r}") from None
        if number < 1:
            raise SettingError(f"setting {name} in {origin} must be 1 or more, got {number}")
        return number
    return str(value)
