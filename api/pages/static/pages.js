// Moves the keyboard focus to the first field with an error (or the form's error
// banner) when a form comes back refused, so a keyboard or screen-reader user lands on
// what needs fixing. Nothing else: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector("[aria-invalid=true], #e-form, .has-error input");
  if (target) {
    target.focus();
  }
});
