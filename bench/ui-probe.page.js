/* global window, document, MutationObserver, KeyboardEvent */
// (performance, setTimeout, clearTimeout, Event and PerformanceObserver are globals in Node's list too.)
// Injected into the page by bench/ui.ts (page.addInitScript): timings taken on the UI thread itself.
window.__planterProbe = {
  /** Types `q` into the open picker a character at a time; ms from each input event to its results in the DOM. */
  async typeQuery(q) {
    const input = document.querySelector('input[aria-label="Search labels"]');
    const list = document.getElementById('picker-list');
    const setAndWait = (value) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const done = () => {
          if (list.getAttribute('data-query') !== value) return false;
          resolve(performance.now() - t0);
          return true;
        };
        const obs = new MutationObserver(() => done() && obs.disconnect());
        obs.observe(list, { attributes: true, attributeFilter: ['data-query'] });
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        if (done()) obs.disconnect();
      });
    await setAndWait('');
    const times = [];
    for (let i = 1; i <= q.length; i++) {
      times.push(await setAndWait(q.slice(0, i)));
      await new Promise((r) => setTimeout(r, 40)); // a fast typist's pace
    }
    return times;
  },

  /**
   * Runs `act` and resolves with the ms until another document and its suggestions are in the DOM
   * (NaN after 20 s: the bench reports how many never arrived instead of hanging).
   */
  untilDocumentShown(act) {
    return new Promise((resolve) => {
      const section = document.querySelector('section.annotate');
      const before = section.dataset.doc;
      const t0 = performance.now();
      const timer = setTimeout(() => {
        obs.disconnect();
        resolve(NaN);
      }, 20000);
      const obs = new MutationObserver(() => {
        if (section.dataset.doc !== before && section.dataset.suggestionsFor === section.dataset.doc) {
          obs.disconnect();
          clearTimeout(timer);
          resolve(performance.now() - t0);
        }
      });
      obs.observe(section, { attributes: true });
      act();
    });
  },

  nextDocument() {
    return this.untilDocumentShown(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true })));
  },

  openQueueItem(index) {
    const buttons = document.querySelectorAll('ol.queue-list li button');
    const button = buttons[Math.min(index, buttons.length - 1)];
    if (button.classList.contains('active')) return Promise.resolve(0);
    return this.untilDocumentShown(() => button.click());
  },

  startStallMonitor() {
    const state = { longest: 0, count: 0, maxLag: 0, running: true, observer: null };
    state.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        state.count++;
        state.longest = Math.max(state.longest, e.duration);
      }
    });
    state.observer.observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      state.maxLag = Math.max(state.maxLag, now - last - 10);
      last = now;
      if (state.running) setTimeout(tick, 10);
    };
    setTimeout(tick, 10);
    this.stall = state;
  },

  stopStallMonitor() {
    const s = this.stall;
    s.running = false;
    s.observer.disconnect();
    return { longestTaskMs: s.longest, longTasks: s.count, maxTimerLagMs: Math.max(0, s.maxLag) };
  },
};
