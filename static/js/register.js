// Sign-up form: show only the city or the organisation field, and suggest cities as
// the member types. The form works without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[action$='/auth/register']");
  if (!form) { return; }

  var choices = form.querySelectorAll("[data-affiliation-choice]");
  var panels = form.querySelectorAll("[data-affiliation]");
  function showChosenPanel() {
    var chosen = form.querySelector("[data-affiliation-choice]:checked");
    panels.forEach(function (panel) {
      panel.hidden = chosen && panel.getAttribute("data-affiliation") !== chosen.value;
    });
  }
  choices.forEach(function (choice) { choice.addEventListener("change", showChosenPanel); });
  showChosenPanel();

  var input = form.querySelector("input[data-suggest-url]");
  var list = document.getElementById("city-options");
  if (!input || !list) { return; }
  var timer = null;
  var lastQuery = "";
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var query = input.value.split(",")[0].trim();
      if (query.length < 2 || query === lastQuery) { return; }
      lastQuery = query;
      fetch(input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query),
            { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (cities) {
          list.replaceChildren.apply(list, cities.map(function (city) {
            var option = document.createElement("option");
            option.value = city.label;
            return option;
          }));
        })
        .catch(function () { /* suggestions are a convenience; typing still works */ });
    }, 150);
  });
}());
