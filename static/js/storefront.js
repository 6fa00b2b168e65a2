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

// On a product page whose Variants differ in two ways (size and colour), one selector per way
// replaces the list of every combination; the list stays the form's field underneath.
(function () {
  "use strict";

  var axes = document.querySelector("[data-variant-axes]");
  var list = document.querySelector("[data-variant-list]");
  if (!axes || !list) {
    return;
  }
  var variants = Array.prototype.slice.call(list.querySelectorAll("input[name='variant_id']"));
  var unavailable = axes.querySelector("[data-variant-unavailable]");
  var axisInputs = Array.prototype.slice.call(axes.querySelectorAll("input[data-axis]"));

  var chosenValues = function () {
    var chosen = {};
    axisInputs.forEach(function (input) {
      if (input.checked) {
        chosen[input.dataset.axis] = input.value;
      }
    });
    return chosen;
  };
  var matches = function (variant, chosen) {
    return Object.keys(chosen).every(function (axis) {
      return variant.dataset[axis] === chosen[axis];
    });
  };
  var choose = function () {
    var chosen = chosenValues();
    var variant = variants.filter(function (v) { return !v.disabled && matches(v, chosen); })[0];
    variants.forEach(function (v) { v.checked = v === variant; });
    unavailable.hidden = Boolean(variant);
    if (variant) {
      variant.dispatchEvent(new Event("change", { bubbles: true }));
    }
    // A value is offered only while some Variant in stock has it with the other choices.
    axisInputs.forEach(function (input) {
      var others = Object.assign({}, chosen);
      others[input.dataset.axis] = input.value;
      input.closest(".swatch").classList.toggle("swatch--unavailable",
        !variants.some(function (v) { return !v.disabled && matches(v, others); }));
    });
  };

  var start = variants.filter(function (v) { return v.checked; })[0];
  axisInputs.forEach(function (input) {
    input.checked = Boolean(start) && start.dataset[input.dataset.axis] === input.value;
    input.addEventListener("change", choose);
  });
  axes.hidden = false;
  list.hidden = true;
  choose();
})();

// A thumbnail opens its picture in the page; choosing a colour shows that colour's picture.
(function () {
  "use strict";

  var frame = document.querySelector("[data-product-picture] img");
  var thumbnails = Array.prototype.slice.call(document.querySelectorAll("[data-picture-src]"));
  if (!frame || !thumbnails.length) {
    return;
  }
  var show = function (link) {
    frame.src = link.dataset.pictureSrc;
    frame.alt = link.dataset.pictureAlt;
    thumbnails.forEach(function (other) {
      if (other === link) {
        other.setAttribute("aria-current", "true");
      } else {
        other.removeAttribute("aria-current");
      }
    });
  };
  thumbnails.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(link);
    });
  });
  document.querySelectorAll("input[name='variant_id']").forEach(function (input) {
    input.addEventListener("change", function () {
      var picture = thumbnails.filter(function (link) {
        return input.checked && input.dataset.colour && link.dataset.pictureColour === input.dataset.colour;
      })[0];
      if (picture) {
        show(picture);
      }
    });
  });
})();
