import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
application = get_wsgi_application()

# Load the URLconf now rather than on a visitor's first request: it builds the API and its
# schemas, about two seconds that each gunicorn worker would otherwise spend on someone's click.
from django.urls import get_resolver  # noqa: E402 - needs the app registry set up above

get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect
