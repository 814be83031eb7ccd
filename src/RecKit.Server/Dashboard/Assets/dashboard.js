// RecKit dashboard: the admin key box, the buttons that call the API, and in-place refresh of live sections.
// The admin key stays in this tab's session storage and goes only into the X-Api-Key header of the calls it makes.
(() => {
  'use strict';
  const keyName = 'reckit-admin-key';
  const status = document.getElementById('action-status');

  function say(text, failed) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('failed', !!failed);
  }

  function showKeyState() {
    const state = document.getElementById('admin-key-state');
    if (state) state.textContent = sessionStorage.getItem(keyName) ? 'key set for this tab' : 'no key';
  }

  const form = document.getElementById('admin-key');
  if (form) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = document.getElementById('admin-key-input');
      if (input.value) sessionStorage.setItem(keyName, input.value);
      input.value = '';
      showKeyState();
    });
    document.getElementById('admin-key-forget').addEventListener('click', () => {
      sessionStorage.removeItem(keyName);
      showKeyState();
    });
    showKeyState();
  }

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-url]');
    if (!button) return;
    const key = sessionStorage.getItem(keyName);
    if (!key) {
      say('Give the admin key first (box at the top).', true);
      document.getElementById('admin-key-input')?.focus();
      return;
    }
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.url, { method: button.dataset.method, headers: { 'X-Api-Key': key } });
      if (response.ok) {
        say(button.dataset.done || 'Done.', false);
        setTimeout(() => location.reload(), 400);
        return;
      }
      let detail = response.status + ' ' + response.statusText;
      try {
        const problem = await response.json();
        detail = [problem.title, problem.detail].filter(Boolean).join(' ');
      } catch { /* not a problem document */ }
      say(detail, true);
    } catch (error) {
      say('The request failed: ' + error, true);
    }
    button.disabled = false;
  });

  // A section with data-live="ms" is fetched again from this page's address and swapped in place.
  for (const section of document.querySelectorAll('[data-live]')) {
    const every = Number(section.dataset.live) || 5000;
    setInterval(async () => {
      if (document.hidden) return;
      try {
        const response = await fetch(location.href, { headers: { 'Accept': 'text/html' } });
        if (!response.ok) return;
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = page.getElementById(section.id);
        if (fresh) section.innerHTML = fresh.innerHTML;
      } catch { /* the next tick tries again */ }
    }, every);
  }
})();
