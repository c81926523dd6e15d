/*
 * zorgwerk — small progressive enhancement. Every page works without this file.
 * (a) focus the error summary, (b) confirm forms with data-confirm, (c) copy buttons for
 * data-copy, (d) auto-submit selects with data-autosubmit, (e) the current item of a sideways-scrolling
 * strip (menu, tabs) in view, (f) a table box is a tab stop only while it scrolls. No network calls, no
 * inline styles.
 */
(function () {
  'use strict';

  var nl = (document.documentElement.lang || '').slice(0, 2) === 'nl';
  var text = nl
    ? { copy: 'Kopiëren', copied: 'Gekopieerd', failed: 'Kopiëren lukte niet; selecteer de tekst en kopieer zelf' }
    : { copy: 'Copy', copied: 'Copied', failed: 'Copying failed; select the text and copy it yourself' };

  /* (a) Error summary: move focus there so screen readers and keyboard users start at the problem. */
  var summary = document.querySelector('.errors[role="alert"]');
  if (summary) {
    if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
    summary.focus();
  }

  /* (b) Ask before submitting forms that carry data-confirm (e.g. deactivate, delete). */
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var submitter = ev.submitter;
    var msg = (submitter && submitter.getAttribute('data-confirm')) ||
              (form && form.getAttribute && form.getAttribute('data-confirm'));
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  /* (c) Copy buttons after every element with data-copy. The value copied is the attribute's
   * value when it has one, otherwise the element's text (or the value of an input). */
  function valueOf(el) {
    var v = el.getAttribute('data-copy');
    if (v) return v;
    if ('value' in el && el.tagName !== 'BUTTON' && el.tagName !== 'LI') return el.value;
    return (el.innerText || el.textContent || '').trim();
  }

  function fallbackCopy(value) {
    var ta = document.createElement('textarea');
    ta.value = value;
    ta.setAttribute('readonly', '');
    ta.className = 'visually-hidden';
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }

  function selectText(el) {
    if (el.select) { el.select(); return; }
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function report(button, status, ok, el) {
    button.textContent = ok ? text.copied : text.copy;
    if (ok) button.setAttribute('data-copied', ''); else selectText(el);
    status.textContent = ok ? text.copied : text.failed;
    window.clearTimeout(button._zwTimer);
    button._zwTimer = window.setTimeout(function () {
      button.textContent = text.copy;
      button.removeAttribute('data-copied');
      status.textContent = '';
    }, 4000);
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (el) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = text.copy;
    var status = document.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    button.addEventListener('click', function () {
      var value = valueOf(el);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(value).then(
          function () { report(button, status, true, el); },
          function () { report(button, status, fallbackCopy(value), el); });
      } else {
        report(button, status, fallbackCopy(value), el);
      }
    });
    el.insertAdjacentElement('afterend', button);
    button.insertAdjacentElement('afterend', status);
  });

  /* (d) Submit the form when a select with data-autosubmit changes (the form keeps its own
   * submit button for people without JavaScript). */
  document.addEventListener('change', function (ev) {
    var el = ev.target;
    if (el && el.matches && el.matches('select[data-autosubmit]') && el.form) {
      if (el.form.requestSubmit) el.form.requestSubmit(); else el.form.submit();
    }
  });

  /* (e) On a phone the menu and the trajectory tabs are strips that scroll sideways (style.css): show the
   * current item, which may be past the right edge. */
  Array.prototype.forEach.call(document.querySelectorAll('.nav, .subnav, .chips'), function (strip) {
    var cur = strip.querySelector('[aria-current]');
    if (!cur || strip.scrollWidth <= strip.clientWidth) return;
    var left = cur.offsetLeft - strip.offsetLeft;
    if (left + cur.offsetWidth > strip.clientWidth) strip.scrollLeft = left - 16;
  });

  /* (f) Table boxes (frame.c, table_begin) are served with tabindex="0" so that keyboard users can scroll
   * them; a box that does not scroll at the current width need not be a tab stop. */
  function tableStops() {
    Array.prototype.forEach.call(document.querySelectorAll('.table-wrap[role="region"]'), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute('tabindex', '0');
      else box.removeAttribute('tabindex');
    });
  }
  tableStops();
  window.addEventListener('resize', tableStops);
})();
