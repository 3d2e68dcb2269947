"""Knowledge API: articles (list with queues, ``?q=`` search and ``?suggest_for=``
suggestions, create, read, change with a version, state transitions), their versions and
flags, the links between incidents and articles (the server says reuse or create), the
licences, and the measures (``metrics``). One router; each module adds its endpoints to it
when imported, in this order, which is the order of the OpenAPI document."""

# isort: off
from steward.knowledge.api.common import router
from steward.knowledge.api import articles  # noqa: F401 - imported for their endpoints
from steward.knowledge.api import activity  # noqa: F401
from steward.knowledge.api import licences  # noqa: F401
from steward.knowledge.api.metrics import router as metrics_router

# isort: on

router.add_router("", metrics_router)

__all__ = ["router"]
