"""The fulfilment staff pages (IT staff): the requested-items queue and an item, a request,
the task queue and a task, the catalog administration and the recurring requests. The
requester's pages are the portal's. Thin: read through ``for_user`` and ``lists``, ask
``rules`` which actions to show, call an operation, show its refusal beside its field."""
