// Wardfleet console: the only script of our own (the Content-Security-Policy allows no inline script and no eval).
// It does three things: sends the CSRF token with every htmx request, prints on request, shows times in local time.
(function () {
  'use strict';

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute('content') : null;
  }

  // every htmx request that could change something carries the session's CSRF token (forms also carry it as _csrf)
  document.addEventListener('htmx:configRequest', function (event) {
    var token = meta('csrf-token');
    if (token) {
      event.detail.headers[meta('csrf-header') || 'X-CSRF-TOKEN'] = token;
    }
    // a live panel refreshing itself after the server said "changed" is not the person acting: it must not keep an
    // unattended session open (ConsoleSessions.BACKGROUND)
    var trigger = event.detail.triggeringEvent;
    if (trigger && typeof trigger.type === 'string' && trigger.type.indexOf('sse:') === 0) {
      event.detail.headers['X-Wardfleet-Background'] = '1';
    }
  });

  // <button data-print> prints the page (the print stylesheet shows only what is meant for paper)
  document.addEventListener('click', function (event) {
    var target = event.target.closest ? event.target.closest('[data-print]') : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });

  // <time datetime="..." data-local> is written in UTC by the server; show it in the reader's own time zone
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  function localTimes(root) {
    root.querySelectorAll('time[data-local]').forEach(function (element) {
      var when = new Date(element.getAttribute('datetime'));
      if (!isNaN(when.getTime())) {
        element.title = element.textContent.trim();
        element.textContent = format.format(when);
        element.removeAttribute('data-local');
      }
    });
  }
  document.addEventListener('DOMContentLoaded', function () { localTimes(document); });
  document.addEventListener('htmx:afterSettle', function (event) { localTimes(event.detail.elt || document); });
  document.addEventListener('htmx:sseMessage', function (event) { localTimes(event.detail.elt || document); });
})();
