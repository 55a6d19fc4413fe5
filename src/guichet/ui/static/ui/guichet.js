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
 * - On small screens the "Menu" button shows and hides the navigation (Escape
 *   closes it and gives the focus back to the button).
 * - Each data table is put in a box that scrolls sideways when the table is wider
 *   than the screen; that box is then a Tab stop, named after the table, so the
 *   keyboard can scroll it too.
 * Without JavaScript, the search field is a form and the results page a list of
 * links, the navigation is always shown, and a wide table widens the page.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function menu() {
    return document.querySelector(".menu-toggle");
  }

  function setMenu(open) {
    var button = menu();
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".menu-toggle");
    if (button) setMenu(button.getAttribute("aria-expanded") !== "true");
  });

  document.addEventListener("keydown", function (event) {
    var button = menu();
    if (event.key !== "Escape" || !button || button.getAttribute("aria-expanded") !== "true") return;
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (nav && (nav.contains(event.target) || event.target === button)) {
      setMenu(false);
      button.focus();
    }
  });

  function tableName(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var section = table.closest("section[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    return heading ? heading.textContent.trim() : "";
  }

  // Every box is a named Tab stop, whether it scrolls now or not: a box that only
  // became one while it scrolled raced the layout (a check run between a resize and
  // its observer saw a scrolling box nobody could reach by keyboard).
  function markBox(box) {
    box.setAttribute("tabindex", "0");
    var name = tableName(box.querySelector("table"));
    if (name) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
    }
  }

  function boxTables(root) {
    if (!root || !root.querySelectorAll) return;
    var tables = root.matches && root.matches("table.data") ? [root] : root.querySelectorAll("table.data");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.parentElement.classList.contains("table-scroll")) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
      markBox(box);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { boxTables(document.body); });
  } else {
    boxTables(document.body);
  }
  // Content that htmx brings in (a search, a calculation) gets the same boxes.
  document.addEventListener("htmx:load", function (event) { boxTables(event.target); });

  // A call answered (the telephony poll, docs/telephony.md) loads the caller's
  // record in place of the page; when the agent has typed in the page, that would
  // lose it: a banner offers the record instead.
  function selectChanged(select) {
    var options = select.options;
    if (select.multiple) {
      for (var i = 0; i < options.length; i++) {
        if (options[i].selected !== options[i].defaultSelected) return true;
      }
      return false;
    }
    var initial = 0;
    for (var j = 0; j < options.length; j++) {
      if (options[j].defaultSelected) { initial = j; break; }
    }
    return options.length > 0 && select.selectedIndex !== initial;
  }

  function pageHoldsInput() {
    var fields = document.querySelectorAll("main input, main textarea, main select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var type = (field.type || "").toLowerCase();
      if (type === "hidden" || type === "submit" || type === "button" || type === "file") continue;
      if (field.tagName.toLowerCase() === "select") {
        if (selectChanged(field)) return true;
      } else if (type === "checkbox" || type === "radio") {
        if (field.checked !== field.defaultChecked) return true;
      } else if (field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var poll = event.detail.elt;
    if (!poll || poll.id !== "telephony-poll") return;
    var location = event.detail.xhr.getResponseHeader("HX-Location");
    var template = document.getElementById("telephony-waiting");
    if (!location || !template || !pageHoldsInput()) return;
    event.preventDefault();
    var path = location.charAt(0) === "{" ? JSON.parse(location).path : location;
    var shown = document.querySelector("main .call-waiting");
    if (!shown) {
      shown = template.content.firstElementChild.cloneNode(true);
      var main = document.getElementById("main");
      main.insertBefore(shown, main.firstChild);
    }
    shown.querySelector("a").setAttribute("href", path);
  });

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
