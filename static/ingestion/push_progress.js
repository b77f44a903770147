// Keeps the push progress page current by polling its small JSON endpoint until the
// push is finished. Everything from the server is written with textContent: never HTML.
(function () {
  "use strict";

  var FAST = 1500; // while candidates are being sent
  var SLOW = 15000; // while they only wait for a retry or their scheduled time
  var MAX_ERRORS = 20;

  function byId(id) {
    return document.getElementById(id);
  }

  function render(data) {
    if (byId("push-progress").dataset.queueing === "true" && !data.queueing) {
      // Queued at last: the page itself says how many, and which were left out.
      window.location.reload();
      return;
    }
    Object.keys(data.counts).forEach(function (state) {
      var cell = byId("progress-count-" + state);
      if (cell) cell.textContent = String(data.counts[state]);
    });
    var bar = byId("push-progress-bar");
    bar.max = data.total;
    bar.value = data.done;
    bar.textContent = data.done + " / " + data.total;

    var status = byId("push-status");
    status.textContent = data.status;
    status.dataset.finished = String(data.finished);
    status.dataset.problems = String(Boolean(data.counts.failed || data.counts.unconfirmed));
    byId("push-progress").dataset.finished = String(data.finished);

    var waiting = byId("push-waiting");
    waiting.hidden = !data.waiting || data.finished;
    byId("push-waiting-count").textContent = String(data.waiting);
    var next = byId("push-next-attempt");
    next.textContent = data.next_attempt_at ? new Date(data.next_attempt_at).toLocaleString() : "";
    next.setAttribute("datetime", data.next_attempt_at || "");

    var list = byId("push-problems");
    list.replaceChildren();
    data.problems.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = problem.url;
      link.textContent = problem.candidate;
      var message = document.createElement("span");
      message.className = "problem-message";
      message.textContent = problem.message;
      item.append(link, ": ", message);
      list.append(item);
    });
    byId("push-problems-box").hidden = data.problems.length === 0;
  }

  function start() {
    var root = byId("push-progress");
    if (!root || root.dataset.finished === "true") return;
    var url = root.dataset.statusUrl;
    var errors = 0;

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          errors = 0;
          render(data);
          if (data.finished) return;
          var onlyWaiting = data.counts.sending === 0 && data.waiting >= data.counts.queued;
          window.setTimeout(poll, onlyWaiting ? SLOW : FAST);
        })
        .catch(function () {
          errors += 1;
          if (errors < MAX_ERRORS) window.setTimeout(poll, SLOW);
        });
    }

    window.setTimeout(poll, FAST);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
