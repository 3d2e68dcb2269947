"""URL converters. ``<id:pk>`` is a row id that fits a 64-bit column: a longer run of digits
does not match, so a page answers 404 instead of the database refusing the number (a 500)."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[1-9][0-9]{0,17}"  # up to 10^18 - 1, inside a signed 64-bit integer

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
