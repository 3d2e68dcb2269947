"""Sentences said in the reader's language.

A notification to a group is one row that twenty people read, each in their own language, and
an e-mail is written for a person whose language is not the actor's. So the code that causes
them does not render the sentence: it hands over a :class:`Text`, a msgid marked for
extraction with ``gettext_noop`` and its parameters, and each reader renders it::

    Text(gettext_noop("New incident %(number)s for %(group)s: %(title)s"),
         number=incident.number, group=group.name, title=incident.title)

Placeholders are ``%(name)s`` (``makemessages`` flags them python-format and ``msgfmt --check``
refuses a translation that drops or renames one). Parameters are data (numbers, names, titles);
a parameter that is itself words (a metric, a state: "breached") is a Text of its own and is
said in the same language as the sentence::

    Text(gettext_noop("%(label)s: the %(metric)s target is %(state)s."),
         label=ticket.number, metric=Text(gettext_noop("resolution")),
         state=Text(gettext_noop("breached")))

A point in time is a :class:`Moment`: said in the reader's time zone as well as language (an
e-mail to a person in Amsterdam says 14:00 where one to London says 13:00)::

    Text(gettext_noop("The link works until %(until)s."), until=Moment(expires_at, "date"))

A Text is stored as JSON (:meth:`as_json`) and rebuilt with :meth:`from_json`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone, translation


class Moment:
    """A point in time in a sentence, said in the time zone and language active when it is
    rendered (``Text.render`` sets both for the reader). ``style``: ``"datetime"`` or
    ``"date"``."""

    __slots__ = ("at", "style")
    FORMATS = {"datetime": "DATETIME_FORMAT", "date": "DATE_FORMAT"}

    def __init__(self, at: dt.datetime, style: str = "datetime"):
        if style not in self.FORMATS:
            raise ValueError(f"style must be one of {sorted(self.FORMATS)}")
        self.at = at if timezone.is_aware(at) else timezone.make_aware(at, dt.UTC)
        self.style = style

    def render(self, language: str | None = None, tz: str | None = None) -> str:
        zone = zoneinfo.ZoneInfo(tz) if tz else timezone.get_current_timezone()
        with translation.override(language or translation.get_language()), timezone.override(zone):
            return formats.date_format(timezone.localtime(self.at), self.FORMATS[self.style])

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other) -> bool:
        return isinstance(other, Moment) and (self.at, self.style) == (other.at, other.style)

    def __hash__(self) -> int:
        return hash((self.at, self.style))

    def __repr__(self) -> str:
        return f"Moment({self.at.isoformat()!r}, {self.style!r})"

    def as_json(self) -> dict:
        return {"moment": self.at.isoformat(), "style": self.style}

    @classmethod
    def from_json(cls, data: dict) -> Moment:
        return cls(dt.datetime.fromisoformat(data["moment"]), data.get("style", "datetime"))


class Text:
    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params):
        self.msgid = msgid
        self.params = {
            k: v if isinstance(v, int | float | Text | Moment) else str(v)
            for k, v in params.items()
        }

    def render(self, language: str | None = None, tz: str | None = None) -> str:
        """The sentence in ``language`` (or the active language when None), its moments in the
        time zone ``tz`` (or the active one)."""
        if tz is not None:
            with timezone.override(zoneinfo.ZoneInfo(tz)):
                return self.render(language)
        if language is None:
            return self._format(translation.gettext(self.msgid))
        with translation.override(language):
            return self._format(translation.gettext(self.msgid))

    def said_params(self) -> dict[str, str | int | float]:
        """The parameters as the active language and time zone say them (the words a mail
        template's ``{{ name }}`` stands for)."""
        return {
            k: v.render() if isinstance(v, Text | Moment) else v for k, v in self.params.items()
        }

    def _format(self, template: str) -> str:
        # nested Texts and Moments are said in the language and time zone active here
        params = self.said_params()
        try:
            return template % params if params else template
        except (KeyError, ValueError, TypeError):  # a broken translation: say it in English
            return self.msgid % params if params else self.msgid

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other) -> bool:
        return isinstance(other, Text) and (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted((k, str(v)) for k, v in self.params.items()))))

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, **{self.params!r})"

    def as_json(self) -> dict:
        return {
            "msgid": self.msgid,
            "params": {
                k: v.as_json() if isinstance(v, Text | Moment) else v
                for k, v in self.params.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Text:
        params = {k: _param_from_json(v) for k, v in data.get("params", {}).items()}
        return cls(data["msgid"], **params)


def _param_from_json(value):
    if isinstance(value, dict) and "msgid" in value:
        return Text.from_json(value)
    if isinstance(value, dict) and "moment" in value:
        return Moment.from_json(value)
    return value


def render(value, language: str | None = None, tz: str | None = None) -> str:
    """A plain string as it is; a :class:`Text` in ``language`` and time zone ``tz``."""
    return value.render(language, tz) if isinstance(value, Text) else str(value)


def stored(value) -> dict | None:
    """What a column keeps of ``value`` to say it again later: a Text's JSON, else None."""
    return value.as_json() if isinstance(value, Text) else None


def default_language() -> str:
    return settings.LANGUAGE_CODE
