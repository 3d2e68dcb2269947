from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "steward.people"
    label = "people"
    verbose_name = "People"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, HomePanel, NavEntry, SearchProvider
        from steward.people import demo
        from steward.people import registrations as r

        journal.describe(r.JOURNAL_WORDS)

        register_practice(
            Practice(
                key="people",
                name=_("People and groups"),
                description=_("Users, roles, support groups, organizations, API tokens, sign-in."),
                switchable=False,
                order=10,
                nav=[
                    NavEntry("groups", _("Groups"), "people:group_list", order=80, visible=r.is_it),
                    NavEntry(
                        "organizations",
                        _("Organizations"),
                        "people:organization_list",
                        order=85,
                        visible=r.is_it,
                    ),
                    NavEntry(
                        "administration",
                        _("Administration"),
                        "people:administration",
                        order=200,
                        visible=r.is_admin,
                    ),
                ],
                admin=[
                    NavEntry(
                        "users", _("People"), "people:user_list", order=10, visible=r.is_admin
                    ),
                    NavEntry(
                        "groups",
                        _("Support groups"),
                        "people:group_list",
                        order=20,
                        visible=r.is_admin,
                    ),
                    NavEntry(
                        "organizations",
                        _("Organizations"),
                        "people:organization_list",
                        order=30,
                        visible=r.is_admin,
                    ),
                ],
                account=[
                    NavEntry("profile", _("Profile"), "people:profile", order=10),
                    NavEntry("tokens", _("API tokens"), "people:tokens", order=20),
                ],
                search=[
                    SearchProvider("groups", _("Support groups"), r.search_groups, order=50),
                    SearchProvider("users", _("People"), r.search_users, order=60),
                ],
                home_panels=[
                    HomePanel(
                        "my_groups",
                        _("My groups"),
                        r.my_groups,
                        order=20,
                        more_url="people:group_list",
                        empty=_("You are not in any support group."),
                        visible=r.is_it,
                    )
                ],
                demo=[DemoStep("people", demo.load, order=10)],
            )
        )
