"""The search form: words plus filters by source, language and publication dates (all GET, no CSRF needed)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from newsloom.sources.models import Source
from newsloom.web.templatetags.newsloom_extras import language_name

SEARCH_PAGE_SIZE = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=300,
                        widget=forms.SearchInput(attrs={"placeholder": _("Words, \"a phrase\", -without")}))
    source = forms.ChoiceField(label=_("Source"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, max_value=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = list(Source.objects.order_by("name").values_list("slug", "name", "language"))
        self.fields["source"].choices = [("", _("All sources")), *((slug, name) for slug, name, _l in rows)]
        languages = sorted({lang for _s, _n, lang in rows if lang})
        self.fields["language"].choices = [("", _("All languages")),
                                           *((code, language_name(code)) for code in languages)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def query_string(self) -> str:
        """The filters as a query string without the page, for the pager's links."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        pairs = [(k, str(v)) for k, v in data.items() if k != "page" and v not in (None, "")]
        return urlencode(pairs)
