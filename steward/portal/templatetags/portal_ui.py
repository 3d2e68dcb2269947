"""The portal's small template pieces: a record's status in the requester's words."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from steward.portal import words

register = template.Library()


def _badge(word: words.StatusWord) -> str:
    return format_html(
        '<span class="status-word status-word--{}">{}</span>', word.tone, str(word.text)
    )


@register.simple_tag
def incident_status(incident) -> str:
    """The incident's status in words ("Being worked on", "Waiting for you")."""
    return _badge(words.incident_word(incident))


@register.simple_tag
def item_status(item) -> str:
    """The requested item's status in words ("Waiting for approval", "Delivered")."""
    return _badge(words.item_word(item))


@register.simple_tag
def step_status(step) -> str:
    """An approval step's state ("Pending", "Approved")."""
    return _badge(words.step_word(step))


@register.simple_tag
def task_status(task) -> str:
    """A fulfilment task's status ("Open", "Closed complete")."""
    return _badge(words.task_word(task))
