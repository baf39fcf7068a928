// Live parts of the console: an element with data-live="URL" is replaced by a fresh
// copy of its fragment every data-every ms (default 1000). A fragment that answers
// with the sign-in page (the session ended) reloads the page, which then asks to
// sign in. No library: this is the only script the console has.
(function () {
  function poll(el) {
    var url = el.getAttribute("data-live");
    var every = parseInt(el.getAttribute("data-every") || "1000", 10);
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { "X-Console-Live": "1" } })
        .then(function (r) {
          if (r.redirected || r.status === 401 || r.status === 403) { location.reload(); return null; }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html !== null && html !== el.getAttribute("data-last")) {
            el.innerHTML = html;
            el.setAttribute("data-last", html);
            el.setAttribute("data-updated", String(Date.now()));
          }
        })
        .catch(function () { /* offline for a moment: try again next tick */ })
        .then(function () { busy = false; });
    }, every);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(poll);
    // A map cell click fills the compartment fields of the door forms.
    document.addEventListener("click", function (ev) {
      var cell = ev.target.closest ? ev.target.closest("[data-compartment]") : null;
      if (!cell) { return; }
      document.querySelectorAll("input[name=compartment_id]").forEach(function (input) {
        input.value = cell.getAttribute("data-compartment");
      });
    });
  });
})();
