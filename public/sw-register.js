// Registers the site's service worker (dist/sw.js, written at build time by scripts/build-sw.mjs) so the chapters and
// their demos work offline after one visit, and says so in the footer once the worker is active. A file, not an
// inline script, so a Content Security Policy needs no exception for it.
(() => {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const note = document.querySelector('[data-offline-status]');
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // No service worker (a private window, a blocked scope): the site works online as before, and says nothing.
  });
  navigator.serviceWorker.ready.then(() => {
    if (!note) return;
    note.textContent = 'Available offline: this site\u2019s chapters and demos are stored in this browser; so is the pretrained model; the pets images are kept once a demo has loaded them.';
    note.hidden = false;
  });
})();
