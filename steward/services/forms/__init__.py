"""Forms of the service and CMDB pages: the portfolio (``portfolio.py``), the CMDB
(``cmdb.py``) and the CI attribute form generated from a class's JSON Schema
(``attributes.py``)."""

from steward.services.forms.attributes import AttributeForm, attribute_form_class
from steward.services.forms.cmdb import (
    CIClassForm,
    CIEditForm,
    CIFilterForm,
    CIForm,
    CsvImportForm,
    RelationshipForm,
    resolve_ci,
)
from steward.services.forms.portfolio import (
    LifecycleForm,
    LinkCIForm,
    ProposeOwnerForm,
    ServiceCreateForm,
    ServiceEditForm,
    ServiceFilterForm,
)

__all__ = [
    "AttributeForm",
    "CIClassForm",
    "CIEditForm",
    "CIFilterForm",
    "CIForm",
    "CsvImportForm",
    "LifecycleForm",
    "LinkCIForm",
    "ProposeOwnerForm",
    "RelationshipForm",
    "ServiceCreateForm",
    "ServiceEditForm",
    "ServiceFilterForm",
    "attribute_form_class",
    "resolve_ci",
]
