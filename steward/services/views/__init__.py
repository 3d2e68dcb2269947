"""The services app's pages: the portfolio (``portfolio.py``) and the CMDB (``cmdb.py``)."""
