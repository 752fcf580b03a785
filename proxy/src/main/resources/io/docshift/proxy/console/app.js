// DocShift operator console: session, GraphQL calls, routing and polling. The views are in
// views.js. The page keeps the CSRF token in memory only (never in storage or URLs); the
// session itself is an HttpOnly cookie this script cannot read.
'use strict';
(function () {
  const V = window.DocShiftViews;
  const POLL_MILLIS = 3000;
  const session = { csrf: null, operator: null };
  const schema = { types: new Map(), mutations: new Set() };
  let timer = null;
  let rendering = false;
  let pending = null;

  function params() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (!V.views[p.get('view')]) p.set('view', 'traffic');
    return p;
  }

  // Page state lives in the fragment: it survives a reload and never reaches a server log.
  function setParams(changes, replace) {
    const p = params();
    Object.entries(changes).forEach(([k, v]) => (v === null || v === '' ? p.delete(k) : p.set(k, v)));
    const hash = '#' + p.toString();
    if (replace) history.replaceState(null, '', hash);
    else if (location.hash !== hash) location.hash = hash;
  }

  async function gql(query, variables) {
    const response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf || '' },
      body: JSON.stringify({ query, variables: variables || {} }),
    });
    if (response.status === 401) {
      signedOut('Your session ended; sign in again.');
      throw new Error('signed out');
    }
    const body = await response.json();
    if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    if (!response.ok) throw new Error(body.error || 'HTTP ' + response.status);
    return body.data;
  }

  async function loadSchema() {
    // One __Type.fields in the query: graphql-java refuses more as bad-faith introspection.
    const data = await gql(`{ __schema { mutationType { name }
      types { name kind fields { name args { name type { kind } }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`);
    schema.types = new Map(data.__schema.types.map((t) => [t.name, t]));
    const mutation = schema.types.get(data.__schema.mutationType.name);
    schema.mutations = new Set(mutation.fields.map((f) => f.name));
  }

  function say(text) {
    document.getElementById('status').textContent = text;
  }

  function confirmChange(title, lines) {
    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-title').textContent = title;
    const body = document.getElementById('confirm-body');
    body.replaceChildren(V.h('ul', {}, ...lines.map((l) => V.h('li', {}, l))));
    dialog.showModal();
    document.getElementById('confirm-no').focus();
    return new Promise((resolve) => {
      const done = (answer) => () => {
        dialog.close();
        resolve(answer);
      };
      document.getElementById('confirm-yes').onclick = done(true);
      document.getElementById('confirm-no').onclick = done(false);
      dialog.oncancel = done(false);
    });
  }

  const ctx = { gql, schema, params, setParams, say, confirmChange, refresh: () => render(false) };

  // One render at a time; a navigation during a poll runs right after it.
  async function render(fresh) {
    if (!session.csrf) return;
    if (rendering) {
      pending = pending || fresh;
      return;
    }
    rendering = true;
    const p = params();
    const view = p.get('view');
    document.querySelectorAll('nav a').forEach((a) =>
      a.dataset.view === view ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current'));
    try {
      await V.banner(ctx, document.getElementById('revert-banner'));
      await V.views[view](ctx, document.getElementById('view'), p, fresh);
      if (fresh) document.title = 'DocShift console: ' + view;
    } catch (e) {
      if (e.message !== 'signed out') say('Could not load: ' + e.message);
    } finally {
      rendering = false;
      if (pending !== null) {
        const again = pending;
        pending = null;
        render(again);
      }
    }
  }

  function signedIn(body) {
    session.csrf = body.csrf;
    session.operator = body.operator;
    document.getElementById('operator').textContent = body.operator;
    document.getElementById('who').hidden = false;
    document.getElementById('nav').hidden = false;
    document.getElementById('view').hidden = false;
    document.getElementById('sign-in').hidden = true;
    loadSchema()
      .then(() => render(true))
      .catch((e) => say('Could not load the schema: ' + e.message));
    clearInterval(timer);
    timer = setInterval(() => document.hidden || render(false), POLL_MILLIS);
  }

  function signedOut(message) {
    session.csrf = null;
    clearInterval(timer);
    document.getElementById('who').hidden = true;
    document.getElementById('nav').hidden = true;
    document.getElementById('view').hidden = true;
    document.getElementById('revert-banner').hidden = true;
    document.getElementById('sign-in').hidden = false;
    say(message || '');
  }

  async function signIn(event) {
    event.preventDefault();
    const input = document.getElementById('token');
    const response = await fetch('/console/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: input.value }),
    });
    input.value = '';
    const body = await response.json();
    if (response.ok) {
      say('');
      signedIn(body);
    } else {
      say('Sign-in refused: ' + (body.error || response.status));
      input.focus();
    }
  }

  async function signOut() {
    await fetch('/console/session', {
      method: 'DELETE',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': session.csrf || '' },
    });
    signedOut('Signed out.');
  }

  async function boot() {
    document.getElementById('sign-in-form').addEventListener('submit', signIn);
    document.getElementById('sign-out').addEventListener('click', signOut);
    window.addEventListener('hashchange', () => render(true));
    const response = await fetch('/console/session', { credentials: 'same-origin' });
    if (response.ok) signedIn(await response.json());
    else signedOut();
  }

  boot();
})();
