"""Template helpers of the ownership pages."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``mapping|get:key`` — a dictionary lookup with a variable key."""
    return mapping.get(key, ()) if hasattr(mapping, "get") else ()
