"""The workspace itself: login, language, home page and global search."""

from django.urls import path

from guichet.ui.views import auth, home, search, substitutions

urlpatterns = [
    path("", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("language/", auth.language_set, name="language"),
    path("home/", home.home, name="home"),
    path("search/", search.search_view, name="search"),
    path("home/substitute/", substitutions.substitution_page, name="substitution"),
]
