from __future__ import annotations

from typing import Any

import pytest

from newsloom.articles.models import Article
from newsloom.community.actions import ensure_reader
from newsloom.stories.models import Story
from tests.web.factories import make_article, make_story


@pytest.fixture
def article(db: None) -> Article:
    return make_article("c" * 32, "Harbour wall repaired after storm")


@pytest.fixture
def other_article(db: None) -> Article:
    return make_article("d" * 32, "Ferry timetable changes", source="Coastal Times")


@pytest.fixture
def story(article: Article) -> Story:
    return make_story([article])


@pytest.fixture
def reader(db: None) -> Any:
    return ensure_reader("maren", first_name="Maren", last_name="Holt")


@pytest.fixture
def other_reader(db: None) -> Any:
    return ensure_reader("tobias")
