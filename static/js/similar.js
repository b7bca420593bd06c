// Ask page: as the member types a title, show questions already asked with similar titles.
// Without this script the "Check for similar questions" button does the same.
(function () {
  "use strict";
  var input = document.querySelector("input[data-similar-url]");
  var results = document.querySelector("[data-similar-results]");
  var status = document.querySelector("[data-similar-status]");
  if (!input || !results || !status) { return; }

  var url = input.getAttribute("data-similar-url");
  var timer = null;
  var lastTitle = input.value.trim();
  var latest = 0;

  function announce(count) {
    if (count === 0) {
      status.textContent = "No similar questions found.";
    } else {
      status.textContent = count + (count === 1 ? " similar question" : " similar questions") +
        " found, listed below the title.";
    }
  }

  function look() {
    var title = input.value.trim();
    if (title === lastTitle) { return; }
    lastTitle = title;
    var asked = ++latest;
    fetch(url + "?title=" + encodeURIComponent(title), {
      headers: { "Accept": "text/html" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // An older answer arriving after a newer one is dropped.
        if (html === null || asked !== latest) { return; }
        var box = new DOMParser().parseFromString(html, "text/html").querySelector(".similar-questions");
        if (!box) { return; }
        var before = results.querySelector(".similar-questions");
        var hadList = before && before.querySelector("li");
        results.replaceChildren(document.importNode(box, true));
        var count = parseInt(box.getAttribute("data-similar-count") || "0", 10);
        // Say nothing while the title is too short to match anything.
        if (count > 0 || hadList || box.textContent.trim()) { announce(count); }
      })
      .catch(function () { /* the button still checks without the script */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(look, 400);
  });
}());
