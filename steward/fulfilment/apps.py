from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "steward.fulfilment"
    label = "fulfilment"
    verbose_name = "Request fulfilment"

    def ready(self):
        from steward.approvals.registry import ApprovalSubject
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, HomePanel, NavEntry, SearchProvider
        from steward.fulfilment import approval, demo, jobs, kpis, rules, sla  # noqa: F401 (jobs)
        from steward.fulfilment import registrations as r
        from steward.fulfilment.choices import ItemStatus, TaskStatus

        journal.describe({k: v for k, v in r.JOURNAL_WORDS.items() if journal.words_for(k) is None})
        journal.describe_choices("fulfilment.requesteditem", status=ItemStatus.choices)
        journal.describe_choices("fulfilment.fulfilmenttask", status=TaskStatus.choices)

        def is_it(user):
            return user.is_authenticated and user.is_it

        register_practice(
            Practice(
                key="fulfilment",
                name=_("Requests"),
                description=_(
                    "Service requests from the catalog: order forms, approvals, fulfilment "
                    "tasks for the groups that deliver, recurring requests, and delivery "
                    "against its target."
                ),
                brings=[
                    _("The service catalog with order forms, approval flows and task templates"),
                    _("Requests and requested items with their approvals and fulfilment tasks"),
                    _("Recurring requests raised on a schedule"),
                ],
                process_key="request_fulfilment",
                on_by_default=True,
                order=76,
                nav=[NavEntry("requests", _("Requests"), "requests:list", order=6, visible=is_it)],
                admin=[
                    NavEntry(
                        "request_catalog",
                        _("Request catalog"),
                        "requests:catalog_admin",
                        order=60,
                        visible=lambda user: user.is_authenticated and rules.may_keep_catalog(user),
                    )
                ],
                search=[SearchProvider("requests", _("Requests"), r.search_requests, order=6)],
                home_panels=[
                    HomePanel(
                        "fulfilment_my_tasks",
                        _("My fulfilment tasks"),
                        r.my_tasks,
                        order=7,
                        more_url="requests:tasks",
                        more_query="queue=my_groups",
                        empty=_("No fulfilment task waits for you or your groups."),
                        visible=is_it,
                    )
                ],
                gaps=r.GAP_PROVIDERS,
                kpis=kpis.KPIS,
                demo=[DemoStep("fulfilment", demo.load, order=66)],
                tracked_types=[sla.tracked_type()],
                approval_subjects=[
                    ApprovalSubject(
                        type=approval.SUBJECT_TYPE,
                        instance=approval.instance,
                        label=approval.label,
                        link=approval.link,
                        excluded=approval.excluded,
                        on_complete=approval.on_complete,
                        portal_link=approval.portal_link,
                    )
                ],
            )
        )
