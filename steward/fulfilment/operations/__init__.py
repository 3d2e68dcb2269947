"""The only code that writes fulfilment records (journaled). One module per topic,
re-exported here so callers write ``ops.order(...)``."""

from steward.fulfilment.operations.catalog import (
    create_catalog_item,
    create_category,
    update_catalog_item,
    update_category,
)
from steward.fulfilment.operations.items import (
    add_attachment,
    add_comment,
    assign_item,
    cancel_item,
    close_fulfilled,
    close_item,
    upload_for_order,
)
from steward.fulfilment.operations.ordering import clean_answers, order
from steward.fulfilment.operations.recurring import (
    create_recurring,
    next_run_after,
    run_recurring,
    update_recurring,
)
from steward.fulfilment.operations.tasks import assign, assign_task, close_task, start_task

__all__ = [
    "add_attachment",
    "add_comment",
    "assign",
    "assign_item",
    "assign_task",
    "cancel_item",
    "clean_answers",
    "close_fulfilled",
    "close_item",
    "close_task",
    "create_catalog_item",
    "create_category",
    "create_recurring",
    "next_run_after",
    "order",
    "run_recurring",
    "start_task",
    "update_catalog_item",
    "update_category",
    "update_recurring",
    "upload_for_order",
]
