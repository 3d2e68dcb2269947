/* Order forms: show a question only when its condition holds (fulfilment/forms_runtime.py).
   A field carries data-visible-if='{"field": "model", "equals": "power"}' or
   '{"field": "model", "in": ["a", "b"]}'. A hidden question is disabled (not sent) and its
   wrapper (.field) hidden; a question that depends on a hidden one is hidden too. The server
   checks the same conditions whatever the browser did. */
(function () {
  "use strict";

  function valuesOf(form, name) {
    var out = [];
    var elements = form.querySelectorAll('[name="' + name.replace(/"/g, "") + '"]');
    var shown = false;
    elements.forEach(function (el) {
      if (el.disabled) { return; }
      shown = true;
      if (el.type === "checkbox") {
        if (elements.length === 1) { out.push(el.checked ? "true" : "false"); }
        else if (el.checked) { out.push(el.value); }
      } else if (el.type === "radio") {
        if (el.checked) { out.push(el.value); }
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { out.push(o.value); });
      } else if (el.value !== "") {
        out.push(el.value);
      }
    });
    return shown ? out : null;
  }

  function norm(v) {
    if (v === true || v === false) { return String(v); }
    if (typeof v === "number") { return String(v); }
    var n = Number(v);
    return v !== "" && !isNaN(n) && String(v).trim() !== "" ? String(n) : String(v);
  }

  function holds(form, condition) {
    var values = valuesOf(form, condition.field);
    if (values === null) { return false; }
    var wanted = Object.prototype.hasOwnProperty.call(condition, "in") ? condition["in"] : [condition.equals];
    wanted = wanted.map(norm);
    return values.some(function (v) { return wanted.indexOf(norm(v)) !== -1; });
  }

  function wrapperOf(el) {
    return el.closest(".field") || el.parentElement;
  }

  function refresh(form) {
    var seen = [];
    form.querySelectorAll("[data-visible-if]").forEach(function (el) {
      var wrapper = wrapperOf(el);
      if (seen.indexOf(wrapper) !== -1) { return; }
      seen.push(wrapper);
      var condition;
      try { condition = JSON.parse(el.getAttribute("data-visible-if")); } catch (e) { return; }
      var show = holds(form, condition);
      wrapper.hidden = !show;
      wrapper.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !show;
      });
    });
  }

  function init() {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-visible-if]")) { return; }
      refresh(form);
      form.addEventListener("change", function () { refresh(form); });
      form.addEventListener("input", function () { refresh(form); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
