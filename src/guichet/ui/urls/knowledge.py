"""The knowledge base: search, articles, proposals, review, feedback."""

from django.urls import path

from guichet.ui.views import knowledge

urlpatterns = [
    path("knowledge/", knowledge.knowledge_search, name="knowledge_search"),
    path("knowledge/new/", knowledge.article_create, name="article_create"),
    path("knowledge/review/", knowledge.review_queue, name="review_queue"),
    path(
        "knowledge/proposals/<uuid:proposal_id>/decide/",
        knowledge.proposal_decide,
        name="proposal_decide",
    ),
    path("knowledge/feedback/", knowledge.feedback_list, name="feedback_list"),
    path("knowledge/feedback/new/", knowledge.feedback_new, name="feedback_new"),
    path(
        "knowledge/feedback/<uuid:feedback_id>/decide/",
        knowledge.feedback_decide,
        name="feedback_decide",
    ),
    path(
        "knowledge/<uuid:article_id>/", knowledge.article_detail, name="article_detail"
    ),
    path(
        "knowledge/<uuid:article_id>/edit/", knowledge.article_edit, name="article_edit"
    ),
    path(
        "knowledge/<uuid:article_id>/move/", knowledge.article_move, name="article_move"
    ),
    path(
        "knowledge/<uuid:article_id>/propose/",
        knowledge.article_propose,
        name="article_propose",
    ),
    path(
        "knowledge/<uuid:article_id>/history/",
        knowledge.article_history,
        name="article_history",
    ),
    path(
        "knowledge/<uuid:article_id>/places/",
        knowledge.article_place_add,
        name="article_place_add",
    ),
    path(
        "knowledge/<uuid:article_id>/places/<uuid:place_id>/remove/",
        knowledge.article_place_remove,
        name="article_place_remove",
    ),
    path(
        "knowledge/<uuid:article_id>/restore/",
        knowledge.article_restore,
        name="article_restore",
    ),
]
