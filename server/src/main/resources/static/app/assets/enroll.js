/* The page every invitation link opens (/enroll#token=…). The token is in the fragment, which browsers never send to
   a server; this page only says whether there is one, then removes it from the address bar and history so it is not
   left on screen or in the browser's history for the next person at a shared computer. */
(() => {
  'use strict';
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('token');
  const valid = token && /^[A-Za-z0-9_-]{16,256}$/.test(token);
  document.getElementById(valid ? 'has-token' : 'no-token').hidden = false;
  if (window.location.hash) {
    history.replaceState(null, '', window.location.pathname);
  }
})();
