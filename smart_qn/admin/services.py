"""Service links in the admin: the list of the user's organizations' links, the editing form, and the
publish, unpublish and delete buttons.

The views only translate between pages and smart_qn.content.service_editing, which checks access,
validates and writes the audit rows: AccessDenied answers 404 or 403 (saving a published link without the
right to publish keeps the form and says to ask an approver), IllegalTransition 409, a stale save 409
with what changed, invalid content 422 with the messages beside the fields. What was typed is always
shown again.
"""

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from smart_qn.accounts.organizations import Organization
from smart_qn.accounts.users import User
from smart_qn.admin import bp
from smart_qn.admin.guard import signed_in_user
from smart_qn.content import service_editing
from smart_qn.content.access import AccessDenied, Action, can, editable, require
from smart_qn.content.categories import Category
from smart_qn.content.lifecycle import IllegalTransition, InvalidContent
from smart_qn.content.services import ServiceLevel, ServiceLink, ServiceTier
from smart_qn.extensions import db
from smart_qn.i18n import current_language
from smart_qn.text import fold_vi

PAGE_SIZE = 25
_WORD = re.compile(r"[^\W_]+")

LEVEL_LABELS = {ServiceLevel.FULL: _l("Fully online"), ServiceLevel.PARTIAL: _l("Partly online")}
TIER_LABELS = {
    ServiceTier.PROVINCE: _l("Province level"),
    ServiceTier.DISTRICT: _l("District level"),
    ServiceTier.COMMUNE: _l("Commune level"),
}
# A link is published or not; one that is not is a draft until first published, then "unpublished".
STATUS_LABELS = {"published": _l("Published"), "draft": _l("Draft"), "unpublished": _l("Unpublished")}
FIELD_LABELS = {
    "name_vi": _l("Name (Vietnamese)"),
    "name_en": _l("Name (English)"),
    "procedure_code": _l("National procedure code"),
    "field": _l("Field (lĩnh vực)"),
    "level": _l("How much is online"),
    "tier": _l("Carried out by"),
    "agency_name": _l("Receiving agency"),
    "category_id": _l("Category"),
    "url": _l("Address of the online service"),
    "fee": _l("Fee"),
    "processing_time": _l("Processing time"),
    "tags": _l("Tags"),
    "featured": _l("Featured on the app's first screen"),
    "published": _l("Published"),
}


def status_of(link: ServiceLink) -> str:
    if link.published:
        return "published"
    return "draft" if link.never_published else "unpublished"


STATUS_CONDITIONS = {
    "published": ServiceLink.published.is_(True),
    "draft": ServiceLink.published.is_(False) & ServiceLink.first_published_at.is_(None),
    "unpublished": ServiceLink.published.is_(False) & ServiceLink.first_published_at.is_not(None),
}


def _optional_id(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


class ServiceForm(FlaskForm):
    # The rules live in smart_qn.content.service_editing, whose messages are put beside the fields: the
    # form only carries what was typed.
    name_vi = StringField(FIELD_LABELS["name_vi"])
    name_en = StringField(FIELD_LABELS["name_en"])
    procedure_code = StringField(
        FIELD_LABELS["procedure_code"], description=_l("As in the national catalogue, e.g. 1.001193.")
    )
    field = StringField(FIELD_LABELS["field"], render_kw={"list": "service-fields"})
    level = RadioField(
        FIELD_LABELS["level"],
        choices=[SelectChoice(level.value, label) for level, label in LEVEL_LABELS.items()],
        validate_choice=False,
    )
    tier = SelectField(
        FIELD_LABELS["tier"],
        choices=[
            SelectChoice("", _l("Choose…")),
            *(SelectChoice(tier.value, label) for tier, label in TIER_LABELS.items()),
        ],
        validate_choice=False,
    )
    agency_name = StringField(FIELD_LABELS["agency_name"])
    category_id = SelectField(FIELD_LABELS["category_id"], coerce=_optional_id)
    url = URLField(FIELD_LABELS["url"])
    fee = StringField(FIELD_LABELS["fee"])
    processing_time = StringField(FIELD_LABELS["processing_time"])
    tags = StringField(FIELD_LABELS["tags"], description=_l("Separated by commas."))
    featured = BooleanField(FIELD_LABELS["featured"])
    # The link's version the editor loaded: a save from an older one is refused (service_editing.StaleEdit).
    version = HiddenField()

    def content_fields(self) -> dict[str, Any]:
        """The form's values as service_editing takes them (which trims them and checks them)."""
        return {
            "name_vi": self.name_vi.data or "",
            "name_en": self.name_en.data,
            "procedure_code": self.procedure_code.data,
            "field": self.field.data or "",
            "level": self.level.data or None,
            "tier": self.tier.data or None,
            "agency_name": self.agency_name.data,
            "category_id": self.category_id.data,
            "url": self.url.data or "",
            "fee": self.fee.data,
            "processing_time": self.processing_time.data,
            "tags": (self.tags.data or "").split(","),
            "featured": self.featured.data,
        }

    def show_errors(self, errors: dict[str, Any]) -> None:
        """Put service_editing's messages beside the fields they are about."""
        for name, message in errors.items():
            field = getattr(self, name, None) if name in FIELD_LABELS else None
            (field.errors if field is not None else self.form_errors).append(str(message))


class NewServiceForm(ServiceForm):
    organization_id = SelectField(_l("Organization"), coerce=int, validators=[InputRequired()])


def form_values(link: ServiceLink) -> dict[str, Any]:
    content = service_editing.content_of(link)
    return content | {"tags": ", ".join(content["tags"]), "version": link.version}


def _is_english() -> bool:
    return current_language() == "en"


def organization_name(organization: Organization) -> str:
    return organization.name_en if _is_english() and organization.name_en else organization.name_vi


def organizations_for(user: User, action: Action) -> list[Organization]:
    query = select(Organization).order_by(Organization.name_vi)
    if not user.is_admin:
        query = query.where(Organization.id.in_(user.organization_ids))
    return [organization for organization in db.session.scalars(query) if can(user, action, organization.id)]


def category_choices() -> list[SelectChoice]:
    english = _is_english()
    return [
        SelectChoice("", _l("None")),
        *(
            SelectChoice(category.id, category.name_en if english else category.name_vi)
            for category in db.session.scalars(select(Category).order_by(Category.position, Category.id))
        ),
    ]


def known_fields(user: User) -> list[str]:
    """The fields (lĩnh vực) of the links the user sees, for the filter and as suggestions when typing."""
    return list(
        db.session.scalars(
            select(ServiceLink.field)
            .where(editable(user, ServiceLink))
            .distinct()
            .order_by(ServiceLink.field)
        )
    )


def link_or_404(service_id: int) -> ServiceLink:
    return db.session.get(ServiceLink, service_id) or abort(404)


def name_matches(text: str):
    """Every word typed is found in the link's Vietnamese or English name, accents and case aside."""
    names = func.lower(ServiceLink.search_title_folded)
    return [names.contains(word, autoescape=True) for word in _WORD.findall(fold_vi(text))]


def listed_services(user: User, args) -> tuple[Select, dict[str, Any]]:
    """The links the list shows for the request's filters, and the filters as understood."""
    query = select(ServiceLink).where(editable(user, ServiceLink))
    filters = {
        "q": (args.get("q") or "").strip(),
        "organization": args.get("organization", type=int),
        "status": args.get("status") or "",
        "level": args.get("level") or "",
        "field": args.get("field") or "",
    }
    if filters["organization"] is not None:
        query = query.where(ServiceLink.organization_id == filters["organization"])
    if (condition := STATUS_CONDITIONS.get(filters["status"])) is not None:
        query = query.where(condition)
    if filters["level"] in {level.value for level in ServiceLevel}:
        query = query.where(ServiceLink.level == filters["level"])
    if filters["field"]:
        query = query.where(ServiceLink.field == filters["field"])
    if filters["q"]:
        query = query.where(*name_matches(filters["q"]))
    return query.order_by(ServiceLink.name_vi, ServiceLink.id), filters


@bp.route("/services")
def services():
    user = signed_in_user()
    page = max(request.args.get("page", 1, type=int), 1)
    query, filters = listed_services(user, request.args)
    rows = db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return render_template(
        "admin/services.html",
        links=rows[:PAGE_SIZE],
        total=total,
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        filters=filters,
        organizations=organizations_for(user, Action.VIEW),
        fields=known_fields(user),
        may_create=bool(organizations_for(user, Action.EDIT)),
        **_page_helpers(),
    )


@bp.route("/services/new", methods=["GET", "POST"])
def new_service():
    user = signed_in_user()
    organizations = organizations_for(user, Action.EDIT)
    if not organizations:
        abort(403)
    form = NewServiceForm(data={"organization_id": request.args.get("organization", type=int)})
    form.organization_id.choices = [
        SelectChoice(organization.id, organization_name(organization)) for organization in organizations
    ]
    form.category_id.choices = category_choices()
    if form.validate_on_submit():
        organization = db.session.get(Organization, form.organization_id.data)
        try:
            link = service_editing.create_draft(organization, form.content_fields(), by=user)
        except InvalidContent as invalid:
            db.session.rollback()
            form.show_errors(invalid.errors)
        else:
            db.session.commit()
            flash(_("The draft has been saved. Residents see it once it is published."), "info")
            return redirect(url_for("admin.edit_service", service_id=link.id))
    return render_template(
        "admin/service_form.html", form=form, link=None, fields=known_fields(user), **_page_helpers()
    ), 422 if form.errors else 200


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
def edit_service(service_id: int):
    user = signed_in_user()
    link = link_or_404(service_id)
    _allow(link, Action.VIEW)
    form = ServiceForm(data=form_values(link))
    form.category_id.choices = category_choices()
    status, conflict = 200, None
    if form.validate_on_submit():
        try:
            changes = service_editing.save(link, form.content_fields(), _version(form), by=user)
        except AccessDenied as denied:
            db.session.rollback()
            if denied.status != 403:
                abort(denied.status)
            # The link is published (perhaps since the form was loaded): the page says whom to ask.
            status = 403
        except service_editing.StaleEdit as stale:
            db.session.rollback()
            status, conflict = 409, stale
            # The next save is made knowing what changed: it is compared with the version shown now.
            form.version.data = stale.current_version
        except InvalidContent as invalid:
            db.session.rollback()
            form.show_errors(invalid.errors)
            status = 422
        else:
            db.session.commit()
            if not changes:
                flash(_("Nothing had changed: nothing was saved."), "info")
            elif link.published:
                flash(_("The link has been saved: residents see the change now."), "info")
            else:
                flash(_("The link has been saved."), "info")
            return redirect(url_for("admin.edit_service", service_id=link.id))
    elif form.errors:
        status = 422
    return render_template(
        "admin/service_form.html",
        form=form,
        link=link,
        conflict=conflict,
        fields=known_fields(user),
        **_link_page_context(link),
        **_page_helpers(),
    ), status


STEPS = {
    "publish": (service_editing.publish, _l("The link has been published: residents see it now.")),
    "unpublish": (
        service_editing.unpublish,
        _l("The link has been unpublished: residents no longer see it."),
    ),
    "delete": (service_editing.delete_draft, _l("The draft has been deleted.")),
}


@bp.route("/services/<int:service_id>/<any(publish, unpublish, delete):step>", methods=["POST"])
def service_step(service_id: int, step: str):
    operation, done = STEPS[step]
    link = link_or_404(service_id)
    try:
        operation(link, by=signed_in_user())
    except AccessDenied as denied:
        db.session.rollback()
        abort(denied.status)
    except IllegalTransition as illegal:
        db.session.rollback()
        return render_template(
            "admin/service_refused.html",
            link=link,
            reason=str(illegal),
            **_link_page_context(link),
            **_page_helpers(),
        ), 409
    db.session.commit()
    flash(str(done), "info")
    if step == "delete":
        return redirect(url_for("admin.services"))
    return redirect(url_for("admin.edit_service", service_id=link.id))


def _allow(link: ServiceLink, action: Action) -> None:
    try:
        require(signed_in_user(), action, link)
    except AccessDenied as denied:
        abort(denied.status)


def _version(form: ServiceForm) -> int:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return 0  # no version a link has: the save is refused as stale, with the link as it is now


def _cannot_save_message(link: ServiceLink) -> str:
    return _(
        "This link is published, so a change shows to residents at once: only an approver of "
        "%(organization)s can make it. Ask one to make this change, or to unpublish the link so that you "
        "can edit it.",
        organization=organization_name(link.organization),
    )


def _link_page_context(link: ServiceLink) -> dict[str, Any]:
    user = signed_in_user()
    may = {action.value: can(user, action, link) for action in Action}
    may_save = may["edit"] and (not link.published or may["publish"])
    return {
        "status": status_of(link),
        "may": may,
        "cannot_save": None if may_save else _cannot_save_message(link),
    }


def _page_helpers() -> dict[str, Any]:
    return {
        "status_of": status_of,
        "status_labels": STATUS_LABELS,
        "level_labels": LEVEL_LABELS,
        "field_labels": FIELD_LABELS,
        "organization_name": organization_name,
        "describe": describe_value,
    }


def describe_value(field: str, value: Any) -> str:
    """A stored value as a reader wants to see it: labels and names rather than codes and ids."""
    if field in ("featured", "published"):
        return _("Yes") if value else _("No")
    if value is None or value == "" or value == []:
        return "—"
    if field == "level":
        return str(LEVEL_LABELS.get(value, value))
    if field == "tier":
        return str(TIER_LABELS.get(value, value))
    if field == "category_id":
        category = db.session.get(Category, value)
        return (category.name_en if _is_english() else category.name_vi) if category else f"#{value}"
    if field == "tags":
        return ", ".join(value)
    return str(value)
