"""People: users (agents and end users), support groups, organizations, roles, API tokens."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.choices import IT_ROLES, LANGUAGE_CHOICES, ContactRole, Role, TokenScope


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise DjangoValidationError(
            _("%(value)s is not an IANA time zone") % {"value": repr(value)}
        )


class UserQuerySet(RestrictedQuerySet):
    def with_email(self, address: str):
        """The user whose address is ``address``, whatever its case: one lookup on the unique
        index of ``LOWER(email)`` (mail intake, sign-in by address, uniqueness checks)."""
        address = (address or "").strip().lower()
        if not address:
            return self.none()
        return self.annotate(email_key=Lower("email")).filter(email_key=address).exclude(email="")


class StewardUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class Organization(VersionedModel):
    """A customer business unit. End users belong to one; services list the ones they serve."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q()
            return Q(pk=user.organization_id) if user.organization_id else NOTHING
        return Q() if user.is_admin else NOTHING


class User(AbstractUser):
    """Anyone who signs in: agents, managers and end users (requesters).

    Roles live in :class:`UserRole`; ``is_staff``/``is_superuser`` follow the admin role and are
    only ever set by ``people.operations.create_user`` and ``update_user``.
    """

    email = models.EmailField(blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, default="en")
    line_manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text="The person's line manager (approves what they request, when a flow says so)",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = StewardUserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            # case-insensitive, and the index ``UserQuerySet.with_email`` looks up
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="people_user_email_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roles(self) -> frozenset[str]:
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            if self.pk is None:
                cached = frozenset()
            elif (
                hasattr(self, "_prefetched_objects_cache")
                and "role_rows" in self._prefetched_objects_cache
            ):
                cached = frozenset(r.role for r in self.role_rows.all())
            else:
                cached = frozenset(self.role_rows.values_list("role", flat=True))
            self._roles_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.roles or (self.is_superuser and role == Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.is_superuser or Role.ADMIN in self.roles)

    @property
    def is_it(self) -> bool:
        """Works inside IT (any role but requester): sees the whole organisation."""
        return self.is_active and (self.is_superuser or bool(self.roles & IT_ROLES))

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            if user.is_it:
                return Q()
            own = Q(pk=user.pk)
            return own | Q(organization_id=user.organization_id) if user.organization_id else own
        return Q() if user.is_admin else Q(pk=user.pk)


class UserRole(models.Model):
    """One role held by one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="people_userrole_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role}"


class SupportGroup(VersionedModel):
    """A team that owns work: a manager who answers for it, and members who do it."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True, help_text="Shared mailbox of the group")
    manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="managed_groups"
    )
    members = models.ManyToManyField(User, blank=True, related_name="support_groups")
    is_active = models.BooleanField(default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
        if user.is_admin:
            return Q()
        # A group's manager looks after its own group (what they may change there is
        # people.operations.GROUP_MANAGER_FIELDS).
        return Q(manager_id=user.pk) if user.is_it else NOTHING


class OrganizationContact(VersionedModel):
    """A person to talk to at a customer organization (not necessarily a Steward user): whom
    to tell when a major incident hits the organization, whom to escalate to."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=ContactRole.choices, default=ContactRole.PRIMARY)
    language = models.CharField(max_length=10, choices=LANGUAGE_CHOICES, default="en")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"], name="people_contact_email_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})" if self.organization_id else self.name

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
        return Q() if user.is_admin else NOTHING


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise the token")
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def permission_filter(cls, user, action):
        return Q(user=user)


class LoginFailure(models.Model):
    """A sign-in attempt that has not succeeded, kept to throttle guessing: recorded before the
    password is checked and cleared by a success (people.operations, "sign-in throttling").
    ``username`` is lower case, and empty for a bearer token that matched no token."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="people_loginfail_user_at"),
            models.Index(fields=["ip", "at"], name="people_loginfail_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip} at {self.at:%Y-%m-%d %H:%M}"
