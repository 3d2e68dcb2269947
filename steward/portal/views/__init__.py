"""The portal's pages, by subject: home and search, reporting a problem, my requests and
incidents, one incident, one requested item, the catalog, approvals."""
