// Live updates for server-rendered pages (there is no interactive Blazor here: its script cannot be restored).
//
// An element marked  data-live="/ui/fragments/..."  data-live-topic="resources"  is re-fetched from that URL and its
// contents replaced whenever the server publishes one of its topics on the Server-Sent Events stream /ui/events.
// Why SSE and not polling: a change shows up within milliseconds, an idle page costs no requests, and EventSource
// reconnects by itself. Each time the stream opens (first connect included) all live elements are refreshed once,
// covering changes made between rendering the page and subscribing, or while disconnected.
// Only topics travel on the stream; the fragments carry the HTML, rendered by the same components as the page.
//
// Extras:  data-live-tail  keeps the element scrolled to the bottom while the user is at the bottom (log tails);
//          <input data-live-param="filter" data-live-for="id">  rewrites that query parameter of element #id's
//          fragment URL (and of the page URL) as the user types, then refreshes it.
//          <form data-confirm="text">  asks the user to confirm before it is submitted (commands with a confirmation).
(() => {
  'use strict';
  const state = new WeakMap(); // element -> { busy, dirty }

  const liveElements = () => Array.from(document.querySelectorAll('[data-live]'));
  const topicsOf = el => (el.dataset.liveTopic || '').split(' ').filter(Boolean);

  async function refresh(el) {
    const s = state.get(el) || { busy: false, dirty: false };
    state.set(el, s);
    if (s.busy) { s.dirty = true; return; } // one fetch per element at a time; coalesce bursts into one more
    s.busy = true;
    try {
      const response = await fetch(el.dataset.live, { headers: { 'X-Live-Fragment': '1' }, cache: 'no-store' });
      if (response.status === 401) { location.reload(); return; } // cookie gone: the page load goes to /login
      if (!response.ok) return;
      const html = await response.text();
      const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
      el.innerHTML = html;
      if (el.hasAttribute('data-live-tail') && atBottom) el.scrollTop = el.scrollHeight;
      el.dispatchEvent(new CustomEvent('live:updated', { bubbles: true }));
    } catch (e) {
      // Network hiccup: the next event or reconnect refreshes again.
    } finally {
      s.busy = false;
      if (s.dirty) { s.dirty = false; refresh(el); }
    }
  }

  function connect() {
    const source = new EventSource('/ui/events');
    source.onopen = () => liveElements().forEach(refresh);
    source.onmessage = event => {
      for (const el of liveElements()) {
        if (topicsOf(el).includes(event.data)) refresh(el);
      }
    };
  }

  function bindParameterInputs() {
    for (const input of document.querySelectorAll('input[data-live-param]')) {
      const target = document.getElementById(input.dataset.liveFor);
      if (!target) continue;
      let timer;
      input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const name = input.dataset.liveParam;
          const fragment = new URL(target.dataset.live, location.origin);
          const page = new URL(location.href);
          for (const url of [fragment, page]) {
            if (input.value) url.searchParams.set(name, input.value); else url.searchParams.delete(name);
          }
          target.dataset.live = fragment.pathname + fragment.search;
          history.replaceState(null, '', page);
          refresh(target);
        }, 200);
      });
    }
  }

  function scrollTailsToBottom() {
    for (const el of document.querySelectorAll('[data-live-tail]')) el.scrollTop = el.scrollHeight;
  }

  // Delegated, so forms inside refreshed fragments are covered too.
  document.addEventListener('submit', event => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !confirm(message)) event.preventDefault();
  });

  document.addEventListener('DOMContentLoaded', () => {
    scrollTailsToBottom();
    bindParameterInputs();
    if (liveElements().length > 0) connect();
  });
})();
