"""The survey e-mail in an administrator's words: the one-click link and its last day."""

from __future__ import annotations

from steward.notifications.models import OutboundEmail
from steward.notifications.operations import mail_templates


def test_the_survey_mail_says_the_template_with_its_link(sat, offered):
    admin, caller = sat["people"]["admin"], sat["people"]["requester"]
    mail_templates.save_template(
        admin,
        "survey.offered",
        "en",
        subject="Rate {{ label }}",
        body="{{ recipient }}, rate us: {{ url }} (until {{ until }})",
    )
    survey, token = offered()
    mail = OutboundEmail.objects.get(recipient=caller, subject__startswith="Rate ")
    assert mail.subject == f"Rate {survey.record_label}"
    assert mail.body.startswith(f"{caller.display_name}, rate us: http")
    assert token in mail.body and "(until " in mail.body
