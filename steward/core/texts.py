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

A Text is stored as JSON (:meth:`as_json`) and rebuilt with :meth:`from_json`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class Text:
    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params):
        self.msgid = msgid
        self.params = {
            k: v if isinstance(v, int | float | Text) else str(v) for k, v in params.items()
        }

    def render(self, language: str | None = None) -> str:
        """The sentence in ``language`` (or the active language when None)."""
        if language is None:
            return self._format(translation.gettext(self.msgid))
        with translation.override(language):
            return self._format(translation.gettext(self.msgid))

    def _format(self, template: str) -> str:
        # nested Texts are said in the language active here (render() has set it)
        params = {k: v.render() if isinstance(v, Text) else v for k, v in self.params.items()}
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
                k: v.as_json() if isinstance(v, Text) else v for k, v in self.params.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> Text:
        params = {
            k: cls.from_json(v) if isinstance(v, dict) and "msgid" in v else v
            for k, v in data.get("params", {}).items()
        }
        return cls(data["msgid"], **params)


def render(value, language: str | None = None) -> str:
    """A plain string as it is; a :class:`Text` in ``language``."""
    return value.render(language) if isinstance(value, Text) else str(value)


def stored(value) -> dict | None:
    """What a column keeps of ``value`` to say it again later: a Text's JSON, else None."""
    return value.as_json() if isinstance(value, Text) else None


def default_language() -> str:
    return settings.LANGUAGE_CODE
