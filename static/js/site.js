// Progressive enhancement only: every form also works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
});
