"""Assertions shared by the server tests (``from tests.helpers import assert_error_shape``)."""

from __future__ import annotations

import json


def assert_error_shape(response, status: int) -> dict:
    """Assert the server's one error shape and return its ``error`` object.

    Works with a Flask test response and with a ``requests`` response: the status is
    ``status``, the body is JSON ``{"error": {"status", "title", "message"[, "hint"]}}`` with
    the same status, a non-empty title and message, and no other keys.
    """
    code = getattr(response, "status_code", None)
    assert code == status, f"expected {status}, got {code}: {_text(response)[:500]}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), f"error body is {content_type}, not JSON"
    body = json.loads(_text(response))
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= {"status", "title", "message", "hint"}, error
    assert {"status", "title", "message"} <= set(error), error
    assert error["status"] == status, error
    assert isinstance(error["title"], str) and error["title"], error
    assert isinstance(error["message"], str) and error["message"], error
    if "hint" in error:
        assert isinstance(error["hint"], str) and error["hint"], error
    return error


def _text(response) -> str:
    if hasattr(response, "get_data"):
        return response.get_data(as_text=True)
    return response.text
