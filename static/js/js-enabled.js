// Marks the page as scripted before it is drawn (CSS shows script-only controls under .js).
// A file, not an inline script: the Content-Security-Policy allows no inline script.
document.documentElement.classList.add("js");
