/* Guichet's own behaviour, without inline scripts (the CSP forbids them).
 *
 * - "/" or Alt+K puts the focus in the global search field. "/" is ignored while
 *   the agent types in another field, so it never steals a keystroke.
 * - In the search field: Down arrow goes to the first result, Enter opens the
 *   first result once the results for what is typed have arrived (otherwise the
 *   form is sent and the full results page opens), Escape clears the results.
 * - In the results: Up and Down arrows move between them, Escape goes back.
 * - Every htmx request carries the page's CSRF token in the X-CSRFToken header,
 *   read from <meta name="csrf-token"> (the cookie is HttpOnly).
 * Without JavaScript, the search field is a form and the results page a list of links.
 */
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
  });

  function searchField() {
    return document.getElementById("global-search");
  }

  function hits() {
    var panel = document.getElementById("search-suggestions");
    return panel ? Array.prototype.slice.call(panel.querySelectorAll("a[data-hit]")) : [];
  }

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function resultsAreCurrent(field) {
    var panel = document.querySelector("#search-suggestions .suggestions-panel");
    if (!panel) return false;
    var typed = field.value.replace(/\s+/g, " ").trim();
    return panel.getAttribute("data-query") === typed;
  }

  function clearResults() {
    var panel = document.getElementById("search-suggestions");
    if (panel) panel.textContent = "";
  }

  document.addEventListener("keydown", function (event) {
    var field = searchField();
    if (!field) return;
    var shortcut = (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) ||
      (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === "k" || event.key === "K"));
    if (shortcut) {
      event.preventDefault();
      field.focus();
      field.select();
      return;
    }
    if (event.target === field) {
      var list = hits();
      if (event.key === "ArrowDown" && list.length) {
        event.preventDefault();
        list[0].focus();
      } else if (event.key === "Enter" && list.length && resultsAreCurrent(field)) {
        event.preventDefault();
        window.location.assign(list[0].href);
      } else if (event.key === "Escape") {
        clearResults();
      }
      return;
    }
    var items = hits();
    var index = items.indexOf(event.target);
    if (index < 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      items[Math.min(index + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index === 0) field.focus(); else items[index - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      field.focus();
      clearResults();
    }
  });

  // Close the results when the focus leaves the search (click elsewhere, Tab out).
  document.addEventListener("focusin", function (event) {
    var form = document.getElementById("global-search-form");
    if (form && !form.contains(event.target)) clearResults();
  });
})();
