// DocShift operator console: the views. Each view builds its form once (so polling never wipes
// what an operator is typing) and refreshes only its live part. Pages are built with DOM calls,
// never innerHTML, so nothing from a store or the ledger is ever parsed as markup.
'use strict';
window.DocShiftViews = (function () {
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === false || v === null || v === undefined) return;
      if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    });
    children.flat().forEach((c) => el.append(c instanceof Node ? c : String(c)));
    return el;
  }

  // Nested values read as text: lists joined by commas, objects as "key value" pairs.
  function show(v) {
    if (v === null || v === undefined || v === '') return '—';
    if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : 'none';
    if (typeof v === 'object') return Object.values(v).map(show).join(' ');
    return String(v);
  }
  const fmt = (n) => (typeof n === 'number' ? n.toLocaleString('en') : show(n));

  function table(caption, heads, rows, id) {
    return h('table', { id },
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => (c instanceof Node ? h('td', {}, c) : h('td', { class: typeof c === 'number' ? 'num' : null, text: fmt(c) })))))));
  }

  function pairs(caption, object, id) {
    const rows = Object.entries(object || {}).map(([k, v]) => h('tr', {}, h('th', { scope: 'row', text: k }), h('td', { text: show(v) })));
    return h('table', { id }, h('caption', { text: caption }), h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { text: 'none' }))));
  }

  // Any value from fields this page does not know by name: lists become tables.
  function generic(caption, value, id) {
    if (value && value.edges) value = value.edges.map((e) => e.node);
    if (Array.isArray(value)) {
      const keys = [...new Set(value.flatMap((o) => (o && typeof o === 'object' ? Object.keys(o) : ['value'])))];
      const rows = value.map((o) => keys.map((k) => (o && typeof o === 'object' ? show(o[k]) : show(o))));
      return rows.length ? table(caption, keys, rows, id) : h('p', { id, text: caption + ': none' });
    }
    if (value && typeof value === 'object') return pairs(caption, value, id);
    return h('p', { id }, h('strong', { text: caption + ': ' }), show(value));
  }

  function leaf(t) {
    while (t.ofType) t = t.ofType;
    return t;
  }

  // A selection of every field of a type the server has, so the page follows the schema it is
  // served with: fields with required arguments are left out, connections get (first: 20).
  function selection(schema, typeName, depth, skip) {
    const type = schema.types.get(typeName);
    if (!type || !type.fields) return null;
    const parts = [];
    type.fields.forEach((f) => {
      if ((skip || []).includes(f.name)) return;
      const names = f.args.map((a) => a.name);
      if (f.args.some((a) => a.type.kind === 'NON_NULL' && a.name !== 'first')) return;
      const args = names.includes('first') ? '(first: 20)' : '';
      const t = leaf(f.type);
      if (t.kind === 'SCALAR' || t.kind === 'ENUM') parts.push(f.name + args);
      else if (t.kind === 'OBJECT' && depth > 0) {
        const sub = selection(schema, t.name, depth - 1, []);
        if (sub) parts.push(f.name + args + ' ' + sub);
      }
    });
    return parts.length ? '{ ' + parts.join(' ') + ' }' : null;
  }

  function extras(schema, typeName, known) {
    const type = schema.types.get(typeName);
    return type ? type.fields.map((f) => f.name).filter((n) => !known.includes(n)) : [];
  }

  function once(el, name, build) {
    if (el.dataset.view !== name) {
      el.dataset.view = name;
      el.replaceChildren(...build());
      return true;
    }
    return false;
  }

  function field(label, id, control) {
    control.id = id;
    return [h('label', { for: id, text: label }), control];
  }

  // ---- auto-revert banner, on every view ----
  let bannerKey = null;
  async function banner(ctx, el) {
    const data = await ctx.gql(`{ traffic { autoRevert { enabled dryRun tripped reason windowSeconds
      failureRatePercent minimumVolume p99Millis consecutiveFailures } } }`);
    const ar = data.traffic.autoRevert;
    const key = ar.tripped ? ar.reason : null;
    if (key === bannerKey) return;
    bannerKey = key;
    el.hidden = !ar.tripped;
    if (!ar.tripped) return el.replaceChildren();
    const at = (ar.reason || '').indexOf(': ');
    const rule = at < 0 ? ar.reason : ar.reason.slice(0, at);
    const window = at < 0 ? '' : ar.reason.slice(at + 2);
    const reason = h('input', { type: 'text', required: true, 'aria-required': 'true' });
    const form = h('form', { class: 'inline', id: 'resume-form' },
      field('Reason for resuming', 'resume-reason', reason),
      h('button', { type: 'submit', id: 'resume', class: 'primary', text: 'Resume' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!reason.value.trim()) return ctx.say('A reason is required.');
      if (!(await ctx.confirmChange('Resume S3 reads?', ['Clears the auto-revert latch and restores the dials as set.', 'Reason: ' + reason.value]))) return;
      await ctx.gql('mutation($r: String) { resumeTraffic(reason: $r) { s3ReadPercent } }', { r: reason.value });
      ctx.say('Resumed.');
      bannerKey = undefined;
      ctx.refresh();
    });
    el.replaceChildren(
      h('h2', { text: 'Auto-revert tripped: reads went back to Cloudinary' }),
      h('p', { id: 'revert-rule' }, h('strong', { text: 'Rule: ' }), rule),
      h('p', { id: 'revert-window' }, h('strong', { text: 'Window: ' }), window || '—'),
      h('p', { id: 'revert-thresholds', text: thresholds(ar) }),
      form);
  }

  // A rule set to 0 is off: say so rather than "over 0 ms".
  function thresholds(ar) {
    const rules = [
      ar.failureRatePercent ? `${ar.failureRatePercent} % failures over at least ${ar.minimumVolume} calls` : null,
      ar.p99Millis ? `p99 over ${ar.p99Millis} ms` : null,
      ar.consecutiveFailures ? `${ar.consecutiveFailures} failures in a row` : null,
    ].filter(Boolean);
    return `Thresholds (${ar.windowSeconds} s window): ${rules.join('; ') || 'none'}.`;
  }

  // ---- traffic ----
  const TRAFFIC = `{ traffic { s3ReadPercent writeMode shadowPercent revision
    effective { s3ReadPercent writeMode shadowPercent }
    autoRevert { enabled dryRun tripped reason windowSeconds failureRatePercent minimumVolume p99Millis consecutiveFailures } } }`;
  const MODES = ['CLOUDINARY_ONLY', 'DUAL_CLOUDINARY_PRIMARY', 'DUAL_S3_PRIMARY', 'S3_ONLY'];

  async function traffic(ctx, el, p, fresh) {
    const t = (await ctx.gql(TRAFFIC)).traffic;
    const built = once(el, 'traffic', () => trafficForm(ctx)) || fresh;
    if (built) {
      el.querySelector('#s3-read-percent').value = t.s3ReadPercent;
      el.querySelector('#shadow-percent').value = t.shadowPercent;
      el.querySelector('#write-mode').value = t.writeMode;
    }
    el.querySelector('#traffic-live').replaceChildren(
      table('Dials', ['dial', 'as set', 'in effect'], [
        ['S3 read weight (%)', t.s3ReadPercent, t.effective.s3ReadPercent],
        ['Shadow reads (%)', t.shadowPercent, t.effective.shadowPercent],
        ['Write mode', t.writeMode, t.effective.writeMode],
      ], 'dials'),
      h('p', { id: 'auto-revert' },
        h('strong', { text: 'Auto-revert: ' }),
        t.autoRevert.enabled ? 'on' : 'off', ' ',
        t.autoRevert.dryRun ? h('span', { class: 'badge', id: 'dry-run', text: 'dry run: trips are logged, not applied' }) : '',
        t.autoRevert.tripped ? h('span', { class: 'bad', text: ' tripped' }) : h('span', { class: 'good', text: ' armed' }),
        ` · revision ${t.revision}`));
  }

  function trafficForm(ctx) {
    const weight = h('input', { type: 'number', min: 0, max: 100, step: 1, required: true });
    const shadow = h('input', { type: 'number', min: 0, max: 100, step: 1, required: true });
    const mode = h('select', {}, MODES.map((m) => h('option', { value: m, text: m })));
    const reason = h('textarea', { rows: 2, required: true, 'aria-required': 'true' });
    const form = h('form', { class: 'grid', id: 'traffic-form' },
      field('S3 read weight (%)', 's3-read-percent', weight),
      field('Shadow reads (%)', 'shadow-percent', shadow),
      field('Write mode', 'write-mode', mode),
      field('Reason (required)', 'change-reason', reason),
      h('span'), h('button', { type: 'submit', class: 'primary', id: 'apply', text: 'Review and apply' }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      applyTraffic(ctx, { weight, shadow, mode, reason });
    });
    return [h('h2', { text: 'Traffic' }), h('div', { id: 'traffic-live' }), h('h3', { text: 'Change the dials' }), form];
  }

  async function applyTraffic(ctx, f) {
    if (!f.reason.value.trim()) return ctx.say('A reason is required.');
    const now = (await ctx.gql(TRAFFIC)).traffic;
    const input = {};
    const lines = [];
    const diff = (key, label, value) => {
      if (String(now[key]) !== String(value)) {
        input[key] = typeof now[key] === 'number' ? Number(value) : value;
        lines.push(`${label}: ${now[key]} → ${value}`);
      }
    };
    diff('s3ReadPercent', 'S3 read weight (%)', f.weight.value);
    diff('shadowPercent', 'Shadow reads (%)', f.shadow.value);
    diff('writeMode', 'Write mode', f.mode.value);
    if (!lines.length) return ctx.say('Nothing to change.');
    input.reason = f.reason.value;
    if (!(await ctx.confirmChange('Apply this change?', [...lines, 'Reason: ' + input.reason]))) return ctx.say('Not applied.');
    try {
      await ctx.gql('mutation($i: SetTrafficInput!) { setTraffic(input: $i) { revision } }', { i: input });
      f.reason.value = '';
      ctx.say('Applied: ' + lines.join('; '));
    } catch (e) {
      ctx.say('Refused: ' + e.message);
    }
    ctx.refresh();
  }

  // ---- progress ----
  const MIGRATION_KNOWN = ['total', 'verifiedPercent', 'byState', 'outboxDepth', 'outboxOldestAgeSeconds'];
  const samples = [];

  async function progress(ctx, el) {
    const more = extras(ctx.schema, 'Migration', MIGRATION_KNOWN);
    const sel = more.length ? selection(ctx.schema, 'Migration', 2, [...MIGRATION_KNOWN, 'history']) || '' : '';
    const history = more.includes('history') ? 'history(hours: 6) { at verified }' : '';
    const ops = OPS.filter((o) => hasQuery(ctx, o.field));
    const data = await ctx.gql(`{ migration { total verifiedPercent byState { state count }
      outboxDepth outboxOldestAgeSeconds ${sel.slice(1, -1)} ${history} } ${ops.map((o) => o.query).join(' ')} }`);
    const m = data.migration;
    once(el, 'progress', () => [h('h2', { text: 'Progress' }), h('div', { id: 'progress-live' })]);
    const verified = (m.byState.find((s) => s.state === 'VERIFIED') || { count: 0 }).count;
    samples.push([Date.now(), verified]);
    if (samples.length > 1200) samples.shift();
    el.querySelector('#progress-live').replaceChildren(
      h('p', { id: 'summary' }, `${fmt(m.total)} documents in the ledger, ${m.verifiedPercent.toFixed(1)} % verified in S3.`),
      h('table', { id: 'by-state' }, h('caption', { text: 'Documents by ledger state' }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'state' }), h('th', { scope: 'col', text: 'documents' }))),
        h('tbody', {}, m.byState.map((s) => h('tr', {}, h('th', { scope: 'row', text: s.state }), h('td', { class: 'num', id: 'state-' + s.state, text: String(s.count) }))))),
      pairs('Repair outbox', { pending: m.outboxDepth, 'oldest (s)': m.outboxOldestAgeSeconds }, 'outbox'),
      ...pace(m),
      ...more.filter((n) => !PACE.includes(n)).map((name) => generic(name, m[name], 'migration-' + name)),
      m.history ? chart(m.history.map((p) => [Date.parse(p.at), p.verified]), 'over the last six hours (stored minute snapshots)', 'history-chart')
        : chart(samples, 'while this page was open', 'session-chart'),
      ...ops.map((o) => o.show(data[o.field])));
  }

  const hasQuery = (ctx, name) => ctx.schema.types.get('Query').fields.some((f) => f.name === name);

  // Panels from Query fields a server may or may not have; each shows only when it has.
  const OPS = [{
    field: 'workers',
    query: 'workers { owner documents since nextExpiry lastExpiry }',
    show: (ws) => (ws.length
      ? table('Workers holding leases', ['worker', 'documents', 'since', 'first lease lapses', 'last lease lapses'],
        ws.map((w) => [w.owner, w.documents, w.since, w.nextExpiry, w.lastExpiry]), 'workers')
      : h('p', { id: 'workers', text: 'No worker holds a lease now.' })),
  }];

  // The ledger's pace and per-folder progress, when the server has them.
  const PACE = ['bytes', 'bytesVerified', 'ratePerSecond', 'eta', 'etaSeconds', 'byFolder', 'history'];
  const mib = (b) => (b / 1048576).toFixed(1) + ' MiB';

  function pace(m) {
    const parts = [];
    if (m.ratePerSecond !== undefined) {
      parts.push(pairs('Pace', {
        'bytes verified': m.bytes === undefined ? '—' : `${mib(m.bytesVerified)} of ${mib(m.bytes)}`,
        'verified per second (last 5 min)': m.ratePerSecond.toFixed(2),
        'done at this rate': m.eta || 'nothing left or no progress',
      }, 'pace'));
    }
    if (m.byFolder) {
      parts.push(table('Progress per folder', ['folder', 'documents', 'verified', 'verified %', 'size'],
        m.byFolder.map((f) => [f.folder || '(root)', f.total, f.verified, f.verifiedPercent.toFixed(1), mib(f.bytes)]), 'by-folder'));
    }
    return parts;
  }

  // A line of verified documents over time; points are [epoch millis, count].
  function chart(points, when, id) {
    if (!points.length) return h('p', { id, text: `Verified documents ${when}: no snapshot yet (one is taken every minute).` });
    const w = 480, hgt = 80;
    const first = points[0][0], last = points[points.length - 1][0];
    const top = Math.max(1, ...points.map((s) => s[1]));
    const line = points.map(([t, v]) => `${last === first ? w : ((t - first) / (last - first)) * w},${hgt - (v / top) * (hgt - 4) - 2}`).join(' ');
    const label = `Verified documents ${when}: from ${fmt(points[0][1])} to ${fmt(points[points.length - 1][1])}.`;
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
    svg.setAttribute('width', w);
    svg.setAttribute('height', hgt);
    svg.setAttribute('class', 'chart');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    const polyline = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    polyline.setAttribute('points', line);
    svg.append(polyline);
    return h('figure', { id }, svg, h('figcaption', { text: label }));
  }

  // ---- problems ----
  const RECENT = 'recentOutcomes(minutes: 60) { kind outcome count instances lastMinute }';

  async function problems(ctx, el) {
    const recent = hasQuery(ctx, 'recentOutcomes');
    const data = await ctx.gql(`{ migration { outboxDepth outboxOldestAgeSeconds }
      mismatches(first: 50) { edges { node { id detectedAt publicId resourceType type source reason cloudinaryMd5 s3Md5 } } }
      ${recent ? RECENT : ''} }`);
    once(el, 'problems', () => [h('h2', { text: 'Problems' }), h('div', { id: 'problems-live' })]);
    const rows = data.mismatches.edges.map(({ node: m }) => [
      m.detectedAt,
      h('a', { href: '#' + new URLSearchParams({ view: 'lookup', publicId: m.publicId, resourceType: m.resourceType, type: m.type }), text: m.publicId }),
      `${m.resourceType}/${m.type}`, m.source, m.reason, m.cloudinaryMd5, m.s3Md5]);
    el.querySelector('#problems-live').replaceChildren(
      pairs('Repair outbox', { pending: data.migration.outboxDepth, 'oldest (s)': data.migration.outboxOldestAgeSeconds }, 'problems-outbox'),
      rows.length
        ? table('Mismatches, newest first', ['detected', 'document', 'kind', 'found by', 'reason', 'Cloudinary MD5', 'S3 MD5'], rows, 'mismatches')
        : h('p', { id: 'mismatches', text: 'No mismatches recorded.' }),
      recent ? recentOutcomes(data.recentOutcomes) : '');
  }

  function recentOutcomes(rows) {
    return rows.length
      ? table('Fallbacks and shadow outcomes, last hour, every instance', ['kind', 'outcome', 'count', 'instances', 'last seen (minute)'],
        rows.map((r) => [r.kind, r.outcome, r.count, r.instances, r.lastMinute]), 'recent-outcomes')
      : h('p', { id: 'recent-outcomes', text: 'No fallback or shadow read in the last hour.' });
  }

  // ---- document lookup ----
  const DOC_KNOWN = ['publicId', 'resourceType', 'type', 'state', 'ledger', 'cloudinary', 's3', 'consistent', 'servedFrom'];

  async function lookup(ctx, el, p, fresh) {
    if (once(el, 'lookup', () => lookupForm(ctx)) || fresh) {
      el.querySelector('#lookup-public-id').value = p.get('publicId') || '';
      el.querySelector('#lookup-resource-type').value = p.get('resourceType') || 'image';
      el.querySelector('#lookup-type').value = p.get('type') || 'upload';
    }
    const live = el.querySelector('#lookup-live');
    if (!p.get('publicId')) return live.replaceChildren(h('p', { text: 'Enter a public id.' }));
    const ref = { publicId: p.get('publicId'), resourceType: p.get('resourceType') || 'image', type: p.get('type') || 'upload' };
    const more = extras(ctx.schema, 'Document', DOC_KNOWN);
    const sel = selection(ctx.schema, 'Document', 2, ['publicId', 'resourceType', 'type']);
    const d = (await ctx.gql(`query($p: String!, $r: String, $t: String) { document(publicId: $p, resourceType: $r, type: $t) ${sel} }`,
      { p: ref.publicId, r: ref.resourceType, t: ref.type })).document;
    if (!d) return live.replaceChildren(h('p', { id: 'verdict', text: 'No such document in the ledger or either store.' }));
    live.replaceChildren(
      h('p', { id: 'verdict', class: d.consistent.consistent ? 'good' : 'bad' },
        d.consistent.consistent ? 'Consistent' : 'Inconsistent: ' + show(d.consistent.reason)),
      h('p', {}, h('strong', { text: 'Ledger state: ' }), h('span', { id: 'doc-state', text: show(d.state) }),
        h('strong', { text: ' · Served from at the current weight: ' }), h('span', { id: 'served-from', text: d.servedFrom })),
      pairs('Ledger', d.ledger, 'doc-ledger'),
      pairs('Cloudinary', d.cloudinary, 'doc-cloudinary'),
      pairs('S3', d.s3, 'doc-s3'),
      ...more.map((name) => generic(name, d[name], 'doc-' + name)),
      actions(ctx, ref));
  }

  function lookupForm(ctx) {
    const id = h('input', { type: 'text', required: true, autocomplete: 'off' });
    const rtype = h('select', {}, ['image', 'raw', 'video'].map((v) => h('option', { value: v, text: v })));
    const dtype = h('select', {}, ['upload', 'private', 'authenticated'].map((v) => h('option', { value: v, text: v })));
    const form = h('form', { class: 'inline', id: 'lookup-form', role: 'search' },
      field('Public id', 'lookup-public-id', id),
      field('Resource type', 'lookup-resource-type', rtype),
      field('Type', 'lookup-type', dtype),
      h('button', { type: 'submit', class: 'primary', text: 'Look up' }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      ctx.setParams({ publicId: id.value.trim(), resourceType: rtype.value, type: dtype.value });
    });
    return [h('h2', { text: 'Document lookup' }), form, h('div', { id: 'lookup-live' })];
  }

  function actions(ctx, ref) {
    const button = (name, label) => {
      const supported = ctx.schema.mutations.has(name);
      const b = h('button', { type: 'button', id: name, disabled: !supported, text: label });
      b.addEventListener('click', () => act(ctx, name, ref));
      return b;
    };
    const missing = ['reverify', 'repair'].filter((m) => !ctx.schema.mutations.has(m));
    return h('div', { class: 'inline' }, button('reverify', 'Re-verify'), ' ', button('repair', 'Repair'),
      missing.length ? h('p', { class: 'hint', text: 'This server has no ' + missing.join(' or ') + ' mutation.' }) : '');
  }

  async function act(ctx, name, ref) {
    const type = ctx.schema.types.get('Mutation').fields.find((f) => f.name === name).type;
    const t = leaf(type);
    const sel = t.kind === 'OBJECT' ? selection(ctx.schema, t.name, 1, []) || '{ __typename }' : '';
    try {
      const data = await ctx.gql(`mutation($d: [DocumentRef!]!) { ${name}(documents: $d) ${sel} }`, { d: [ref] });
      ctx.say(`${name === 'repair' ? 'Repair' : 'Re-verify'} done: ${show(data[name])}`);
    } catch (e) {
      ctx.say(`${name} refused: ${e.message}`);
    }
    ctx.refresh();
  }

  // ---- audit ----
  const AUDIT_NODE = '{ edges { node { id occurredAt actor action before after reason } } }';

  // The server filters when it can (actor, action prefix), so older events match too; the
  // choices come from the latest 100 events.
  async function audit(ctx, el, p) {
    const actor = p.get('actor') || '';
    const kind = p.get('kind') || '';
    const args = ctx.schema.types.get('Query').fields.find((f) => f.name === 'audit').args.map((a) => a.name);
    const server = args.includes('actor') && args.includes('action') && (actor || kind);
    const data = server
      ? await ctx.gql(`query($a: String, $k: String) { latest: audit(first: 100) ${AUDIT_NODE}
          filtered: audit(first: 100, actor: $a, action: $k) ${AUDIT_NODE} }`, { a: actor || null, k: kind || null })
      : await ctx.gql(`{ latest: audit(first: 100) ${AUDIT_NODE} }`);
    const events = data.latest.edges.map((e) => e.node);
    once(el, 'audit', () => auditForm(ctx));
    options(el.querySelector('#audit-actor'), events.map((e) => e.actor), actor);
    options(el.querySelector('#audit-kind'), events.map((e) => e.action), kind);
    const pool = server ? data.filtered.edges.map((e) => e.node) : events;
    const shown = pool.filter((e) => (!actor || e.actor === actor) && (!kind || e.action === kind));
    el.querySelector('#audit-live').replaceChildren(shown.length
      ? table(`Audit events, newest first (${shown.length}${server ? '' : ' of the latest ' + events.length})`,
        ['when', 'actor', 'kind', 'reason', 'before', 'after'],
        shown.map((e) => [e.occurredAt, e.actor, e.action, e.reason, e.before, e.after]), 'audit-table')
      : h('p', { id: 'audit-table', text: 'No audit events match.' }));
  }

  function options(select, values, chosen) {
    const all = ['', ...new Set([...values, chosen].filter(Boolean))].sort();
    const now = [...select.options].map((o) => o.value).join('\n');
    if (now !== all.join('\n')) select.replaceChildren(...all.map((v) => h('option', { value: v, text: v || 'all' })));
    select.value = chosen;
  }

  function auditForm(ctx) {
    const actor = h('select', {});
    const kind = h('select', {});
    const changed = () => ctx.setParams({ actor: actor.value, kind: kind.value });
    actor.addEventListener('change', changed);
    kind.addEventListener('change', changed);
    return [h('h2', { text: 'Audit' }),
      h('form', { class: 'inline', id: 'audit-filter' }, field('Actor', 'audit-actor', actor), field('Kind', 'audit-kind', kind)),
      h('div', { id: 'audit-live' })];
  }

  return { h, banner, views: { traffic, progress, problems, lookup, audit } };
})();
