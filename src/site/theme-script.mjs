// The theme script, run before the first paint so the page never flashes the wrong theme: the stored choice wins;
// without one the system preference decides. Kept as text here so the Content Security Policy (./csp.mjs) can list
// its hash: Astro hashes the scripts it bundles, not an is:inline one.
export const THEME_SCRIPT = `(function () {
  var stored = null;
  try { stored = localStorage.getItem('theme'); } catch (e) {}
  var dark = stored ? stored === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();`;
