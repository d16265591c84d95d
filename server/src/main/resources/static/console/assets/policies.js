// Wardfleet console, policies: the YAML editor's line numbers follow the text, and an error's "Line N" link puts the
// cursor on that line. Without this file the editor still works: the numbers are the server's, the links jump to them.
(function () {
  'use strict';

  function setUp() {
    var text = document.getElementById('document');
    if (!text) {
      return;
    }
    var editor = text.closest('.editor');
    var gutter = editor.querySelector('.gutter');

    function renumber() {
      var count = text.value.split('\n').length;
      text.rows = count + 1;
      while (gutter.children.length < count) {
        var item = document.createElement('li');
        item.textContent = String(gutter.children.length + 1);
        item.id = 'line-' + (gutter.children.length + 1);
        gutter.appendChild(item);
      }
      while (gutter.children.length > count) {
        gutter.removeChild(gutter.lastElementChild);
      }
    }

    text.addEventListener('input', function () {
      // the marks belong to the text as it was checked; once it changes they would point at the wrong lines
      editor.classList.add('edited');
      gutter.querySelectorAll('li.bad').forEach(function (li) { li.classList.remove('bad'); });
      renumber();
    });

    document.querySelectorAll('a.line-link[data-line]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        var line = parseInt(link.getAttribute('data-line'), 10);
        var lines = text.value.split('\n');
        var start = 0;
        for (var i = 0; i < line - 1 && i < lines.length; i++) {
          start += lines[i].length + 1;
        }
        var end = start + (lines[line - 1] || '').length;
        text.focus();
        text.setSelectionRange(start, end);
        var mark = document.getElementById('line-' + line);
        if (mark) {
          mark.scrollIntoView({ block: 'center' });
        }
      });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setUp);
  } else {
    setUp();
  }
})();
