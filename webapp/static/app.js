/* Niceties on top of pages that work without JavaScript:
   copy buttons, "/" to focus the search box, and filters that apply on change. */
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

  function setUpAutoSubmit() {
    var controls = document.querySelectorAll("[data-autosubmit]");
    Array.prototype.forEach.call(controls, function (control) {
      control.addEventListener("change", function () {
        var form = control.form;
        if (!form) { return; }
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
  }

  function collapseFiltersOnPhones() {
    // On a narrow screen the results come first; the filters open on demand.
    if (!window.matchMedia || !window.matchMedia("(max-width: 50rem)").matches) { return; }
    var panels = document.querySelectorAll("details[data-collapse-narrow]");
    Array.prototype.forEach.call(panels, function (panel) { panel.open = false; });
  }

  function start() {
    collapseFiltersOnPhones();
    document.documentElement.classList.add("js");
    setUpCopyButtons();
    setUpShortcut();
    setUpAutoSubmit();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
