/* Stripe's Payment Element on the pay page. Everything it needs comes from data- attributes
   on #payment-form (no inline script, so the CSP stays strict). Stripe.js confirms the payment
   (3-D Secure included) and sends the customer to the return URL, where the server asks Stripe
   for the outcome: nothing here decides whether an Order is paid. */
(function () {
  "use strict";

  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var data = form.dataset;
  var stripe = window.Stripe(data.publishableKey, { locale: data.locale || "fr" });
  var submit = document.getElementById("payment-submit");
  var message = document.getElementById("payment-message");

  function showError(text) {
    message.textContent = text || data.errorMessage;
    message.hidden = false;
    submit.disabled = false;
    submit.removeAttribute("aria-busy");
  }

  function busy() {
    message.hidden = true;
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
  }

  if (data.requiresAction === "true") {
    // The bank asked for 3-D Secure and the customer left before answering: show it again.
    busy();
    stripe.handleNextAction({ clientSecret: data.clientSecret }).then(function (result) {
      if (result.error) {
        showError(result.error.message);
      } else {
        window.location.assign(data.returnUrl);
      }
    });
  }

  var elements = stripe.elements({ clientSecret: data.clientSecret, locale: data.locale || "fr" });
  elements.create("payment").mount("#payment-element");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    busy();
    stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: data.returnUrl }
    }).then(function (result) {
      // Only reached when Stripe could not redirect: a declined card, a typo, a closed window.
      showError(result.error && result.error.message);
    });
  });
})();
