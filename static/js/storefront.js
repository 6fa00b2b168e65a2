// Small comforts for the storefront; every page works the same without this file.
(function () {
  "use strict";

  // On a wide screen the filters sit in a side column: show them open from the start.
  var wide = window.matchMedia("(min-width: 60rem)");
  if (wide.matches) {
    document.querySelectorAll("details[data-open-on-wide]").forEach(function (details) {
      details.open = true;
    });
  }

  // On a product page, the big price follows the chosen Variant.
  var price = document.querySelector("[data-product-price]");
  if (price) {
    var showChosenPrice = function () {
      var chosen = document.querySelector("input[name='variant_id']:checked");
      if (chosen && chosen.dataset.price) {
        price.textContent = chosen.dataset.price;
      }
    };
    document.querySelectorAll("input[name='variant_id']").forEach(function (input) {
      input.addEventListener("change", showChosenPrice);
    });
    showChosenPrice();
  }
})();
