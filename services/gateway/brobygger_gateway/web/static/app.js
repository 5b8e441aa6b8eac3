// Brobygger's few lines of script (no inline script anywhere: the Content-Security-Policy forbids it).
// A page that comes back with errors moves focus to its error summary or message, so keyboard and
// screen-reader users land on what went wrong.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector("[data-focus-on-load]");
  if (target) target.focus();
});
