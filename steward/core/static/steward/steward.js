// Steward's small progressive enhancements. The pages work without this file.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="#selector" hidden> appear only when the clipboard works.
  function setUpCopyButtons(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.querySelector(button.dataset.copy);
        if (!source) return;
        navigator.clipboard.writeText(source.value || source.textContent).then(function () {
          button.textContent = button.dataset.copied || "Copied";
        });
      });
    });
  }

  // The user menu (<details>) closes on Escape and when focus or a click leaves it.
  function setUpMenus() {
    document.querySelectorAll("details.user-menu").forEach(function (menu) {
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", function (event) {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
      menu.addEventListener("focusout", function (event) {
        if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
      });
    });
  }


  // Filter forms that htmx refreshes in place: a select filters as soon as it changes (the
  // search box already filters as you type), so their Filter button is hidden; without
  // JavaScript the form is a plain GET form with its button.
  function setUpLiveFilters() {
    if (!window.htmx) return;
    document.querySelectorAll("form.filters[hx-get]").forEach(function (form) {
      form.querySelectorAll(".filters__buttons button[type=submit]").forEach(function (button) {
        button.hidden = true;
      });
      form.addEventListener("change", function (event) {
        if (event.target.tagName === "SELECT") window.htmx.trigger(form, "submit");
      });
    });
  }

  // Bulk selection on a queue: the "select every incident on this page" box appears with
  // JavaScript and ticks the page's boxes (listened on the document: the rows are swapped in).
  function setUpPickAll() {
    function boxes() {
      return document.querySelectorAll('input[name="pick"][form="bulk-form"]');
    }
    function showPickAll() {
      document.querySelectorAll("[data-pick-all]").forEach(function (box) { box.hidden = false; });
    }
    showPickAll();
    document.addEventListener("htmx:afterSettle", showPickAll);
    document.addEventListener("change", function (event) {
      if (!event.target.matches("[data-pick-all]")) return;
      boxes().forEach(function (box) { box.checked = event.target.checked; });
    });
  }

  // A conflict (409) answered to an htmx request carries what to show the person (the record
  // reloaded, with why their change was not saved): swap it in like a success.
  function setUpConflicts() {
    document.addEventListener("htmx:beforeSwap", function (event) {
      if (event.detail.xhr && event.detail.xhr.status === 409) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons(document);
    setUpMenus();
    setUpLiveFilters();
    setUpPickAll();
    setUpConflicts();
  });
})();
