"""Forms of the knowledge base. They only parse; the rules (who may, what is
valid) are `guichet.knowledge`'s, whose field errors come back through
`ui.errors.submit`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language
from guichet.knowledge.models import (
    ArticleKind,
    FeedbackKind,
    FeedbackStatus,
    PlaceKind,
)
from guichet.ui.errors import ServiceForm


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(label=_("Words to look for"), required=False, max_length=200)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Every language")), *Language.choices],
    )


class ArticleTextForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=20_000
    )
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)


class ArticleCreateForm(ArticleTextForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    topic = forms.ChoiceField(label=_("Topic"))


class ProposalForm(ServiceForm):
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, widget=forms.HiddenInput
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=20_000
    )
    reason = forms.CharField(
        label=_("Why this change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MoveForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    move = forms.CharField(widget=forms.HiddenInput, max_length=20)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class DecisionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class FeedbackForm(ServiceForm):
    kind = forms.ChoiceField(label=_("What is it?"), choices=FeedbackKind.choices)
    text = forms.CharField(
        label=_("Describe it"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    screen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    path = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    article = forms.UUIDField(widget=forms.HiddenInput, required=False)


class FeedbackDecisionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("New status"), choices=FeedbackStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class PlaceForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Show it at"), choices=PlaceKind.choices)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    case_type_code = forms.SlugField(
        label=_("Case type code"), required=False, max_length=60
    )
    status_code = forms.SlugField(label=_("Status code"), required=False, max_length=60)
    screen = forms.CharField(
        label=_("Screen"),
        required=False,
        max_length=100,
        help_text=_("The page's name, such as ui:cashbook."),
    )
