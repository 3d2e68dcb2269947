"""The knowledge pages' forms: the list's filters, an article (new and edit, with the version
it was read at), its confidence and audience, a flag and its resolution, a coach's review,
licences, linking an article to an incident and choosing two versions to compare."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.incidents.models import IncidentCategory
from steward.knowledge.choices import (
    Audience,
    Confidence,
    FlagReason,
    FlagStatus,
    LicenceLevel,
    QualityCriterion,
    Recommendation,
)
from steward.knowledge.lists import QUEUES
from steward.people.choices import IT_ROLES
from steward.people.models import Organization, User
from steward.services.models import CIClass, Service

NUMBER = r"^[A-Za-z]{2,3}\d{1,12}$"
TEXT_MAX = 20_000

#: The list's sorts (``lists.SORTS`` keys), newest first by default.
SORTS = [
    ("-updated", _("Recently updated")),
    ("-created", _("Recently created")),
    ("title", _("Title")),
    ("-citations", _("Most cited")),
]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


def it_staff():
    """Who may own an article or hold a licence: active IT staff."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role_rows__role__in=sorted(IT_ROLES)))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _services(user):
    return Service.objects.for_user(user, "view").order_by("name")


def _categories():
    return IncidentCategory.objects.filter(is_active=True).order_by("name")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    queue = forms.ChoiceField(label=_("Queue"), required=False, choices=list(QUEUES.items()))
    confidence = forms.ChoiceField(
        label=_("Confidence"), required=False, choices=[("", _("Any")), *Confidence.choices]
    )
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("Any")), *Audience.choices]
    )
    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.none(), empty_label=_("Any")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=IncidentCategory.objects.none(),
        empty_label=_("Any"),
    )
    language = forms.RegexField(
        label=_("Language"), required=False, regex=r"^[a-z]{2,3}$", max_length=3
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = _services(user)
        self.fields["category"].queryset = _categories()

    def filters(self) -> dict:
        if not self.is_valid():
            return {"queue": "all", "sort": "-updated"}
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "queue": data.get("queue") or "all",
            "confidence": data.get("confidence") or None,
            "audience": data.get("audience") or None,
            "service": data["service"].pk if data.get("service") else None,
            "category": data["category"].pk if data.get("category") else None,
            "language": data.get("language") or None,
            "sort": data.get("sort") or "-updated",
        }


def _text(label, help_text="", rows=4, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ArticleForm(forms.Form):
    """The KCS structure: the issue in the customer's words first, then where it happens, what
    solves it and why it happens."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("The issue as the customer would say it."),
    )
    issue = _text(
        _("Issue"), _("What the customer experiences, in their words."), rows=4, required=True
    )
    environment = _text(
        _("Environment"), _("Products, versions, configurations where it happens."), rows=3
    )
    resolution = _text(_("Resolution"), _("The steps that solve it, in order."), rows=6)
    cause = _text(_("Cause"), _("Why it happens, when known."), rows=3)
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=300,
        help_text=_("Other words people use for it, separated by spaces or commas."),
    )
    language = forms.RegexField(
        label=_("Language"),
        regex=r"^[a-z]{2,3}$",
        max_length=3,
        initial="en",
        help_text=_("A language code such as en or nl."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), required=False, queryset=Service.objects.none()
    )
    ci_classes = forms.ModelMultipleChoiceField(
        label=_("CI classes"), required=False, queryset=CIClass.objects.none()
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=IncidentCategory.objects.none(),
        empty_label=_("None"),
    )
    owner = PersonChoice(
        label=_("Owner"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Me"),
        help_text=_("Receives the flags readers raise."),
    )
    summary = forms.CharField(
        label=_("What did you change?"),
        required=False,
        max_length=200,
        help_text=_("Shown in the article's versions."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = _services(user)
        self.fields["ci_classes"].queryset = CIClass.objects.order_by("name")
        self.fields["category"].queryset = _categories()
        self.fields["owner"].queryset = it_staff()
        if article is None:
            del self.fields["summary"]
        else:
            self.fields["owner"].required = True
            self.fields["owner"].empty_label = None

    @classmethod
    def initial_for(cls, article) -> dict:
        return {
            "title": article.title,
            "issue": article.issue,
            "environment": article.environment,
            "resolution": article.resolution,
            "cause": article.cause,
            "keywords": article.keywords,
            "language": article.language,
            "services": [s.pk for s in article.services.all()],
            "ci_classes": [c.pk for c in article.ci_classes.all()],
            "category": article.category_id,
            "owner": article.owner_id,
            "version": article.version,
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("version", "seen"):
            data.pop(name, None)
        data["services"] = list(data.get("services") or [])
        data["ci_classes"] = list(data.get("ci_classes") or [])
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class ConfidenceForm(forms.Form):
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Who reads it"), choices=Audience.choices, widget=forms.RadioSelect
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Customer organisations"),
        required=False,
        queryset=Organization.objects.none(),
        help_text=_("For the audience 'customers': who reads it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = Organization.objects.order_by("name")


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong with it?"), choices=FlagReason.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should change, so that the owner can fix it."),
    )


class ResolveFlagForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(FlagStatus.FIXED, _("Fixed")), (FlagStatus.DISMISSED, _("Dismissed"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    """The coach's checklist: tick what the article fails (the Article Quality Index counts
    these defects)."""

    defects = forms.MultipleChoiceField(
        label=_("What the article fails"),
        required=False,
        choices=QualityCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each criterion the article does not meet."),
    )
    comment = forms.CharField(
        label=_("Comment for the author"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, initial=Recommendation.KEEP
    )


class LicenceForm(forms.Form):
    user = PersonChoice(label=_("Person"), queryset=User.objects.none())
    level = forms.ChoiceField(label=_("Licence"), choices=LicenceLevel.choices)
    service = forms.ModelChoiceField(
        label=_("Service"),
        required=False,
        queryset=Service.objects.none(),
        empty_label=_("—"),
        help_text=_("The domain: a service, a category, or neither for every domain."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=IncidentCategory.objects.none(),
        empty_label=_("—"),
    )
    coach = forms.BooleanField(
        label=_("Coach"), required=False, help_text=_("Reviews Candidates' articles in the domain.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = it_staff()
        self.fields["service"].queryset = _services(user)
        self.fields["category"].queryset = _categories()

    def clean(self):
        data = super().clean()
        if data.get("service") and data.get("category"):
            self.add_error("category", _("Choose a service or a category, not both."))
        return data


class LicenceChangeForm(forms.Form):
    level = forms.ChoiceField(label=_("Licence"), choices=LicenceLevel.choices)
    coach = forms.BooleanField(label=_("Coach"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionOnlyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class LinkForm(forms.Form):
    article = forms.CharField(
        label=_("Article"),
        max_length=200,
        help_text=_("Its number (KB…) or words from its title."),
    )


class DiffForm(forms.Form):
    a = forms.IntegerField(label=_("From version"), min_value=1)
    b = forms.IntegerField(label=_("To version"), min_value=1)
    mode = forms.ChoiceField(
        label=_("Compare"),
        required=False,
        choices=[("words", _("Word by word")), ("lines", _("Line by line"))],
    )
