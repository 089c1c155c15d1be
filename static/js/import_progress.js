// The import job's page: its progress bar follows the job (the status view's JSON), and the
// page reloads to show the report when the job has finished. Without script, <noscript>'s
// meta refresh reloads the page instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-import-text]");

  function show(status) {
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
    }
    text.textContent = status.text;
  }

  function poll() {
    fetch(box.getAttribute("data-import-status"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }

  window.setTimeout(poll, 500);
})();
