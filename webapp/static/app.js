/* Niceties on top of pages that work without JavaScript: copy buttons, "/" to
   focus the search box, filters that apply on change (focus coming back to the
   ticked filter after the reload), and a filters panel that stays open on phones. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("announcer");
    if (region) {
      region.textContent = "";
      window.setTimeout(function () { region.textContent = text; }, 50);
    }
  }

  function copyWithSelection(text) {
    // Fallback for browsers without the asynchronous clipboard (or plain http).
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyWithSelection(text); });
    }
    return copyWithSelection(text);
  }

  function setUpCopyButtons() {
    var buttons = document.querySelectorAll("button.copy[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy");
        copy(text).then(function () {
          button.textContent = "Copied";
          button.classList.add("done");
          announce("Copied: " + text);
          window.setTimeout(function () {
            button.textContent = "Copy";
            button.classList.remove("done");
          }, 1500);
        }, function () {
          announce("Could not copy; select the citation and copy it by hand.");
        });
      });
    });
  }

  // Inputs "/" is typed into; on a checkbox or a button it is the shortcut.
  var TYPED_INPUTS = /^(text|search|number|email|url|tel|password|date|month|week|time|datetime-local)$/;
  // Where a facet's page remembers, across the reload it causes, what to focus.
  var REFOCUS_KEY = "mea-refocus";
  // Where the filters panel's open or closed state is kept on a phone.
  var FILTERS_OPEN_KEY = "mea-filters-open";

  function isTyping(target) {
    if (!target) { return false; }
    var tag = target.tagName;
    if (tag === "INPUT") { return TYPED_INPUTS.test(target.type || "text"); }
    return tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function setUpShortcut() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (isTyping(event.target)) { return; }
      var box = document.getElementById("q");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    });
  }

  // sessionStorage may be refused (private windows, storage off): then the page
  // simply forgets, as it does without JavaScript.
  function remember(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* forget */ }
  }

  function recall(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }

  function forget(key) {
    try { window.sessionStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  function controlKey(control) {
    // A checkbox is one value of its name; a select is its name.
    var value = control.type === "checkbox" ? control.value : "";
    return JSON.stringify([window.location.pathname, control.name, value]);
  }

  function setUpAutoSubmit() {
    var controls = document.querySelectorAll("[data-autosubmit]");
    Array.prototype.forEach.call(controls, function (control) {
      control.addEventListener("change", function () {
        var form = control.form;
        if (!form) { return; }
        // The reload would put focus back at the top: bring it back to this control.
        remember(REFOCUS_KEY, controlKey(control));
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
  }

  function restoreFocus() {
    var wanted = recall(REFOCUS_KEY);
    if (!wanted) { return; }
    forget(REFOCUS_KEY);
    var controls = document.querySelectorAll("[data-autosubmit]");
    for (var i = 0; i < controls.length; i += 1) {
      if (controlKey(controls[i]) === wanted) {
        // A value listed under "N more" sits in a folded <details>: unfold it first.
        for (var up = controls[i].parentElement; up; up = up.parentElement) {
          if (up.tagName === "DETAILS") { up.open = true; }
        }
        controls[i].focus();
        return;
      }
    }
  }

  function collapseFiltersOnPhones() {
    // On a narrow screen the results come first; the filters open on demand, and
    // once opened stay open across the reloads that ticking a filter makes.
    if (!window.matchMedia || !window.matchMedia("(max-width: 50rem)").matches) { return; }
    var panels = document.querySelectorAll("details.filters-panel");
    Array.prototype.forEach.call(panels, function (panel) {
      var summary = panel.querySelector("summary");
      if (summary) {
        // The click toggles the panel after this handler runs: keep what it becomes.
        summary.addEventListener("click", function () { remember(FILTERS_OPEN_KEY, panel.open ? "0" : "1"); });
      }
      if (panel.hasAttribute("data-collapse-narrow") && recall(FILTERS_OPEN_KEY) !== "1") { panel.open = false; }
    });
  }

  function start() {
    collapseFiltersOnPhones();
    document.documentElement.classList.add("js");
    setUpCopyButtons();
    setUpShortcut();
    setUpAutoSubmit();
    restoreFocus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
