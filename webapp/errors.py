"""Error answers: one JSON shape under /api, one HTML page elsewhere.

Every JSON error is ``{"error": {"status": 400, "message": "..."}}``. Bad
parameters are 400s naming the parameter, an unknown paragraph or document is
a 404, a missing index is a 503 that says how to build one; a 500 means a bug,
never a user's input.
"""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from indexer.search import QueryError
from indexer.search import IndexMissing

BUILD_HINT = "Build it with `make index` (or `python -m indexer index`), then reload."
TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    500: "Something went wrong",
    503: "No index yet",
}


def wants_json() -> bool:
    """JSON for the API and the health check; HTML for pages."""
    path = request.path
    return path == "/api" or path.startswith("/api/") or path == "/healthz"


def error_response(status: int, message: str, headers=None, hint: str | None = None):
    """The one error shape: JSON under /api, the error page elsewhere."""
    if wants_json():
        response = jsonify({"error": {"status": status, "message": message}})
    else:
        response = render_template(
            "error.html", status=status, title=TITLES.get(status, "Error"),
            message=message, hint=hint,
        )
    return response, status, headers or {}


def register(app: Flask) -> None:
    """Attach the error handlers to the app."""

    @app.errorhandler(QueryError)
    def bad_parameter(error: QueryError):
        message = error.message
        if error.parameter not in message:
            message = f"{error.parameter}: {message}"
        return error_response(400, message)

    @app.errorhandler(IndexMissing)
    def no_index(error: IndexMissing):
        app.logger.warning("no index: %s", error)
        return error_response(
            503, f"The search index is not ready: {error}. {BUILD_HINT}",
            hint="make index    # or: python -m indexer index",
            headers={"Retry-After": "60"},
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        headers = {}
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(sorted(error.valid_methods))
        status = error.code or 500
        message = error.description or TITLES.get(status, "Error")
        return error_response(status, message, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return error_response(500, "An unexpected error occurred; it has been logged.")
