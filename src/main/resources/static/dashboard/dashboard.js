// cvd-planner dashboard: plain JavaScript over the service's own HTTP API, charts by Apache ECharts.
// Text from the API only ever goes through textContent: nothing it returns is interpreted as HTML.
'use strict';

const KEY_STORAGE = 'cvd-planner.apiKey';
const THEME_STORAGE = 'cvd-planner.theme';
const PHASES = [['phase2H', '2H'], ['phase1T', '1T'], ['phaseDefect', 'defect']];
const GASES = [['s2', 'S2'], ['h2', 'H2'], ['h2s', 'H2S']];
// fixed colours per quantity so that 2H is the same blue in every chart and theme
const COLOURS = { '2H': '#2f6fde', '1T': '#e0822b', defect: '#8a93a3', T: '#c0392b', S2: '#2ca58d', H2: '#8e5cd9', H2S: '#c94f7c' };
const PALETTE = ['#2f6fde', '#e0822b', '#2ca58d', '#c94f7c', '#8e5cd9', '#b58900', '#16a2b8', '#7a8292'];

// ---------------------------------------------------------------- small helpers
const $ = id => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = text; if (cls) e.className = cls; return e; };
const short = id => String(id).slice(0, 8);
const num = (v, d = 3) => v === null || v === undefined || Number.isNaN(Number(v)) ? '–' : Number(v).toFixed(d);
const when = t => t ? new Date(t).toLocaleString() : '';
const td = (content, cls) => { const c = el('td', typeof content === 'string' ? content : undefined, cls); if (content instanceof Node) c.append(content); return c; };
const tile = (k, v) => { const t = el('div', undefined, 'tile'); t.append(el('span', k, 'k'), el('span', v, 'v')); return t; };

function apiKey() { return sessionStorage.getItem(KEY_STORAGE) || ''; }

class ApiError extends Error {
  constructor(status, problem) { super(problem.detail || problem.title || ('HTTP ' + status)); this.status = status; this.problem = problem; }
}

// Every request goes through here: it adds the API key (when one was entered) as a bearer token.
async function request(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const key = apiKey();
  if (key) headers.set('Authorization', 'Bearer ' + key);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json, application/problem+json');
  const response = await fetch(path, { ...options, headers });
  if (!response.ok) {
    let problem;
    try { problem = await response.json(); } catch (e) { problem = { title: response.statusText || 'Request failed' }; }
    problem.status = problem.status || response.status;
    if (response.status === 401 || response.status === 403) {
      notice(response.status === 401 ? 'The service asks for an API key: enter one above.' : 'This API key may not do that.');
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}
async function api(path, options) { const r = await request(path, options); return r.status === 204 ? null : r.json(); }
const post = (path, body) => api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) });

function notice(text) { $('notice').textContent = text || ''; }

// A problem detail (RFC 9457) as readable text: title, detail, and every rejected item it lists.
function problemBox(error) {
  const p = error.problem || { title: String(error.message || error) };
  const box = el('div', undefined, 'problem');
  box.setAttribute('role', 'alert');
  box.append(el('h4', `${p.title || 'Error'}${p.status ? ' (' + p.status + ')' : ''}`));
  if (p.detail) box.append(el('div', p.detail));
  const facts = ['field', 'profile', 'step', 'rejectedCount'].filter(k => p[k] !== undefined && p[k] !== null)
    .map(k => `${k}: ${p[k]}`);
  if (facts.length) box.append(el('div', facts.join(' · '), 'mono'));
  const items = p.rejected || p.errors || [];
  if (items.length) {
    const ul = el('ul');
    items.slice(0, 12).forEach(r => ul.append(el('li', [r.profile !== undefined ? `profile ${r.profile}` : null,
      r.step !== undefined && r.step !== null ? `step ${r.step}` : null, r.field, r.reason || r.message]
      .filter(Boolean).join(' · '))));
    if (items.length > 12) ul.append(el('li', `… and ${items.length - 12} more`));
    box.append(ul);
  }
  return box;
}

// Downloads go through fetch so that they carry the API key too.
async function download(path, filename) {
  try {
    const blob = await (await request(path, { headers: { Accept: '*/*' } })).blob();
    const a = el('a'); a.href = URL.createObjectURL(blob); a.download = filename;
    document.body.append(a); a.click(); a.remove(); setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (e) { notice(`Download of ${filename} failed: ${e.message}`); }
}

function fillTable(tableId, rows, render, selectedId) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren();
  if (!rows || rows.length === 0) {
    const tr = el('tr'); const c = el('td', 'none yet', 'empty'); c.colSpan = 12; tr.append(c); body.append(tr); return;
  }
  rows.forEach(row => {
    const tr = el('tr');
    tr.dataset.id = row.id;
    if (selectedId !== undefined && String(row.id) === String(selectedId)) tr.className = 'selected';
    render(row).forEach(c => tr.append(c instanceof HTMLTableCellElement ? c : td(c)));
    body.append(tr);
  });
}
const selectButton = (text, href, label) => { const a = el('a', text, 'mono'); a.href = href; if (label) a.setAttribute('aria-label', label); return a; };

// ---------------------------------------------------------------- theme and charts
function theme() { return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'; }
function setTheme(t) {
  document.documentElement.dataset.theme = t;
  $('theme').textContent = t === 'dark' ? 'Light' : 'Dark';
  $('theme').setAttribute('aria-pressed', String(t === 'dark'));
  localStorage.setItem(THEME_STORAGE, t);
}

// Draws (or redraws) the chart in the element with this id. The instance stays reachable through
// echarts.getInstanceByDom, which is how the browser tests read series and points.
function chart(id, option) {
  const dom = $(id);
  dom.hidden = false;
  let c = echarts.getInstanceByDom(dom);
  if (c && c.__theme !== theme()) { c.dispose(); c = null; }
  if (!c) { c = echarts.init(dom, theme() === 'dark' ? 'dark' : null); c.__theme = theme(); }
  const base = {
    backgroundColor: 'transparent', animation: false, aria: { enabled: true },
    color: PALETTE,
    grid: { left: 62, right: option.yAxis && Array.isArray(option.yAxis) && option.yAxis.length > 1 ? 62 : 22, top: 52, bottom: 46 },
    tooltip: { trigger: 'axis', valueFormatter: v => typeof v === 'number' ? +v.toPrecision(4) : v },
    legend: { top: 22, type: 'scroll' },
    title: { text: option.titleText, left: 'center', textStyle: { fontSize: 13 } },
  };
  c.setOption({ ...base, ...option, title: base.title }, { notMerge: true });
  return c;
}
window.addEventListener('resize', () => document.querySelectorAll('.chart').forEach(d => { const c = echarts.getInstanceByDom(d); if (c) c.resize(); }));

const valueAxis = (name, extra = {}) => ({ type: 'value', name, nameLocation: 'middle', nameGap: 42, scale: true, ...extra });
const line = (name, points, extra = {}) => ({ name, type: 'line', data: points, showSymbol: points.length <= 40, symbolSize: 5, color: COLOURS[name], ...extra });
const stepLine = (name, points, extra = {}) => line(name, points, { step: 'end', ...extra });
// A p5–p95 band: the lower edge (invisible) with the band's width stacked on it. ECharts stacks
// by data index, so charts with bands use a category time axis and plain value arrays.
function band(name, colour, lo, hi) {
  const stack = 'band ' + name;
  return [
    { name: name + ' p5', type: 'line', stack, data: lo, symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false }, legendHoverLink: false, silent: true, color: colour },
    { name: name + ' p5–p95', type: 'line', stack, data: hi.map((h, i) => h - lo[i]), symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: colour, opacity: 0.18 }, tooltip: { show: false }, silent: true, color: colour },
  ];
}
const timeAxis = (name = 'time (ns)') => ({ type: 'value', name, nameLocation: 'middle', nameGap: 28, min: 'dataMin', max: 'dataMax' });
const categoryTime = (xs, name = 'time (ns)') => ({ type: 'category', data: xs.map(String), boundaryGap: false, name, nameLocation: 'middle', nameGap: 28 });
const bandLegend = names => ({ top: 22, type: 'scroll', data: names });

// ---------------------------------------------------------------- routing
// #/view/first/second: the view and what is selected in it, so every state has a link.
const views = { jobs: showJobs, datasets: showDatasets, models: showModels, agents: showAgents, compare: showCompare };
let current = { view: null, args: [] };
function route() {
  const [view, ...args] = (location.hash.replace(/^#\/?/, '') || 'jobs').split('/');
  const name = views[view] ? view : 'jobs';
  document.querySelectorAll('.view').forEach(s => { s.hidden = s.id !== 'view-' + name; });
  document.querySelectorAll('nav a').forEach(a => { if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current'); });
  if (current.view !== name) { stopFollowing(); stopListStreams(); }
  current = { view: name, args: args.map(decodeURIComponent) };
  document.title = `cvd-planner · ${name}`;
  notice('');
  views[name](...current.args).catch(e => { console.warn(e); notice(`Could not load ${name}: ${e.message}`); });
}
window.addEventListener('hashchange', route);

// ---------------------------------------------------------------- jobs
let jobsTimer = null;
let follow = null; // { id, controller, events, metrics: Map(name -> Map(step -> value)), job }

async function showJobs(jobId) {
  clearInterval(jobsTimer);
  await refreshJobs(jobId);
  jobsTimer = setInterval(() => { if (current.view === 'jobs') refreshJobs(current.args[0]).catch(e => console.warn(e)); else clearInterval(jobsTimer); }, 3000);
  if (jobId) await selectJob(jobId); else { stopFollowing(); $('job-detail').hidden = true; }
}

async function refreshJobs(selectedId) {
  const page = await api('/api/v1/jobs?limit=25');
  fillTable('jobs-table', page.items, j => {
    const p = j.progress || {};
    const live = follow && follow.id === j.id && follow.job ? follow.job : null;
    const cell = progressCell(live ? live.progress : p, live ? live.status : j.status);
    const cancel = el('td');
    if (j.status === 'QUEUED' || j.status === 'RUNNING') {
      const b = el('button', 'cancel'); b.setAttribute('aria-label', 'cancel job ' + short(j.id));
      b.onclick = () => post(`/api/v1/jobs/${j.id}/cancel`).then(() => refreshJobs(current.args[0])).catch(e => notice(e.message));
      cancel.append(b);
    }
    return [td(selectButton(short(j.id), '#/jobs/' + j.id, 'job ' + j.id)), j.type, td(live ? live.status : j.status, live ? live.status : j.status), cell,
      td(j.error || (j.result ? JSON.stringify(j.result).slice(0, 120) : ''), 'mono'), when(j.updatedAt), cancel];
  }, selectedId);
  watchListedJobs(page.items || []);
}

function progressCell(p, status) {
  p = p || {};
  const box = el('div', undefined, 'bar'); const fill = el('span'); box.append(fill);
  const fraction = p.fraction !== undefined && p.fraction !== null ? p.fraction : (status === 'SUCCEEDED' ? 1 : 0);
  fill.style.width = Math.round(100 * fraction) + '%';
  box.setAttribute('role', 'progressbar'); box.setAttribute('aria-valuenow', String(Math.round(100 * fraction)));
  box.setAttribute('aria-valuemin', '0'); box.setAttribute('aria-valuemax', '100');
  const c = el('td'); c.append(box, document.createTextNode(p.done !== undefined && p.done !== null ? `${p.done}/${p.total} ${p.unit || ''}` : ''));
  return c;
}

function stopFollowing() { if (follow && follow.controller) follow.controller.abort(); follow = null; }

async function selectJob(id) {
  if (follow && follow.id === id) { renderJob(); return; }
  stopFollowing();
  const job = await api('/api/v1/jobs/' + id);
  follow = { id, job, events: 0, metrics: new Map(), controller: null };
  Object.entries(job.metrics || {}).forEach(([name, points]) => points.forEach(pt => addMetric(name, pt.step, pt.value)));
  $('job-detail').hidden = false;
  renderJob();
  if (job.status === 'QUEUED' || job.status === 'RUNNING') followEvents(follow);
}

function addMetric(name, step, value) {
  if (!follow.metrics.has(name)) follow.metrics.set(name, new Map());
  follow.metrics.get(name).set(step, value);
}

// Which metrics make the job's curve: losses for NADE, objective and final 2H for the agent.
function curveMetrics(type, names) {
  const wanted = type === 'nade-training' ? ['trainNll', 'validationNll'] : type === 'agent-training' ? ['meanObjective', 'meanFinal2H'] : null;
  return wanted ? names.filter(n => wanted.some(w => n === w || n.endsWith('.' + w))) : names;
}

function renderJob() {
  const f = follow; const j = f.job;
  const detail = $('job-detail');
  detail.dataset.status = j.status; detail.dataset.events = String(f.events); detail.dataset.jobId = j.id;
  $('job-title').textContent = `Job ${short(j.id)} · ${j.type}`;
  const p = j.progress || {};
  $('job-tiles').replaceChildren(tile('status', j.status), tile('progress', p.done !== undefined && p.done !== null ? `${p.done} / ${p.total} ${p.unit || ''}` : '–'),
    tile('attempts', String(j.attempts ?? '–')), tile('live events', String(f.events)), tile('started', when(j.startedAt) || '–'));
  $('job-tiles').children[0].querySelector('.v').className = 'v ' + j.status;
  const names = curveMetrics(j.type, [...f.metrics.keys()]).sort();
  if (names.length === 0) { $('job-curve').hidden = true; return; }
  const unit = j.type === 'nade-training' ? 'epoch' : j.type === 'agent-training' ? 'episodes' : 'step';
  const twoAxes = j.type === 'agent-training';
  chart('job-curve', {
    titleText: j.type === 'nade-training' ? 'NLL per epoch (nats per profile)' : j.type === 'agent-training' ? 'Reward curve' : 'Metrics',
    xAxis: { ...timeAxis(unit), min: null, max: null, scale: true },
    yAxis: twoAxes ? [valueAxis('mean objective'), valueAxis('mean final 2H', { min: 0, max: 1, splitLine: { show: false } })] : valueAxis(j.type === 'nade-training' ? 'NLL' : 'value'),
    series: names.map(n => line(n, [...f.metrics.get(n).entries()].sort((a, b) => a[0] - b[0]), twoAxes && n.endsWith('meanFinal2H') ? { yAxisIndex: 1 } : {})),
  });
}

// Server-Sent Events through fetch rather than EventSource, because EventSource cannot send the
// Authorization header an API key needs. Calls onEvent(name, data) per event until the stream ends.
async function readEvents(path, signal, onEvent) {
  const response = await request(path, { headers: { Accept: 'text/event-stream' }, signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n/g, '\n');
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
      let name = 'message'; const data = [];
      block.split('\n').forEach(l => { if (l.startsWith('event:')) name = l.slice(6).trim(); else if (l.startsWith('data:')) data.push(l.slice(5).replace(/^ /, '')); });
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

async function followEvents(f) {
  f.controller = new AbortController();
  try {
    await readEvents(`/api/v1/jobs/${f.id}/events`, f.controller.signal, (name, data) => { if (follow === f) onJobEvent(f, name, data); });
  } catch (e) {
    if (e.name !== 'AbortError') console.warn('event stream', e);
  }
  // the stream ends after the terminal status: read the final state once
  if (follow === f) { f.job = await api('/api/v1/jobs/' + f.id); renderJob(); refreshJobs(f.id).catch(() => {}); }
}

// The list's queued and running jobs stream their progress too. Browsers allow six connections
// per host over HTTP/1.1 and every stream holds one, so at most three list streams are open.
const LIST_STREAMS = 3;
const listStreams = new Map(); // job id -> { controller, events, progress, status }

function watchListedJobs(jobs) {
  const active = new Set(jobs.filter(j => j.status === 'QUEUED' || j.status === 'RUNNING').map(j => j.id));
  for (const [id, st] of listStreams) if (!active.has(id)) { st.controller.abort(); listStreams.delete(id); }
  active.forEach(id => { if (!listStreams.has(id) && listStreams.size < LIST_STREAMS) streamListedJob(id); });
  listStreams.forEach((st, id) => updateJobRow(id, st));
}

function stopListStreams() { listStreams.forEach(st => st.controller.abort()); listStreams.clear(); }

async function streamListedJob(id) {
  const st = { controller: new AbortController(), events: 0, progress: null, status: null };
  listStreams.set(id, st);
  try {
    await readEvents(`/api/v1/jobs/${id}/events`, st.controller.signal, (name, data) => {
      st.events++;
      if (name === 'progress') st.progress = { done: data.done, total: data.total, unit: data.unit, fraction: data.fraction };
      else if (name === 'status') st.status = data.status;
      updateJobRow(id, st);
    });
  } catch (e) { if (e.name !== 'AbortError') console.warn('event stream', e); }
  if (listStreams.get(id) === st) { listStreams.delete(id); if (current.view === 'jobs') refreshJobs(current.args[0]).catch(() => {}); }
}

function updateJobRow(id, st) {
  const tr = document.querySelector(`#jobs-table tr[data-id="${id}"]`);
  if (!tr) return;
  tr.dataset.events = String(st.events);
  if (st.progress) tr.children[3].replaceWith(progressCell(st.progress, st.status));
  if (st.status) { tr.children[2].textContent = st.status; tr.children[2].className = st.status; }
  // a job that has ended can no longer be cancelled
  if (st.status && st.status !== 'QUEUED' && st.status !== 'RUNNING') tr.lastElementChild.replaceChildren();
}

function onJobEvent(f, name, data) {
  f.events++;
  if (name === 'progress') f.job.progress = { done: data.done, total: data.total, unit: data.unit, fraction: data.fraction };
  else if (name === 'metric') addMetric(data.name, data.step, data.value);
  else if (name === 'status') { f.job.status = data.status; f.job.attempts = data.attempts; if (data.result) f.job.result = data.result; if (data.error) f.job.error = data.error; }
  renderJob();
}

// ---------------------------------------------------------------- datasets
let datasetsCache = [];

async function showDatasets(datasetId, profileId) {
  const page = await api('/api/v1/datasets?limit=100');
  datasetsCache = page.items || [];
  const range = (d, k, digits) => d.conditionRanges ? `${num(d.conditionRanges.min[k], digits)} – ${num(d.conditionRanges.max[k], digits)}` : '–';
  fillTable('datasets-table', datasetsCache, d => {
    const exp = el('td');
    ['csv', 'json', 'ndjson'].forEach(fmt => { const b = el('button', fmt, 'link'); b.onclick = () => download(`/api/v1/datasets/${d.id}/profiles/export?format=${fmt}`, `dataset-${d.id}.${fmt}`); exp.append(b, document.createTextNode(' ')); });
    return [td(selectButton(String(d.id), '#/datasets/' + d.id, 'dataset ' + d.name)), d.name, d.source, td(String(d.profileCount), 'num'),
      range(d, 'temperatureK', 0), range(d, 's2', 0), range(d, 'h2', 0), range(d, 'h2s', 0), when(d.createdAt), exp];
  }, datasetId);
  const select = $('upload-dataset');
  const keep = datasetId || select.value;
  select.replaceChildren(...datasetsCache.map(d => { const o = el('option', `${d.id} · ${d.name}`); o.value = d.id; return o; }));
  if (keep) select.value = keep;
  const chosen = datasetsCache.find(d => String(d.id) === String(datasetId)) || datasetsCache.find(d => d.profileCount > 0);
  if (!chosen) { $('dataset-detail').hidden = true; return; }
  await showDataset(chosen, profileId);
}

async function showDataset(d, profileId) {
  $('dataset-detail').hidden = false;
  $('dataset-title').textContent = `Dataset ${d.id} · ${d.name} · ${d.profileCount} profiles of ${d.stepCount} steps`;
  if (d.profileCount === 0) { $('dataset-profiles').replaceChildren(el('span', 'no profiles yet', 'empty')); ['dataset-temperature', 'dataset-2h', 'dataset-conditions', 'dataset-phases'].forEach(id => { $(id).hidden = true; }); return; }
  const page = await api(`/api/v1/datasets/${d.id}/profiles?limit=6`);
  const profiles = page.items || [];
  const selected = profiles.find(p => p.externalId === profileId) || profiles[0];
  $('dataset-profiles').replaceChildren(...profiles.map(p => {
    const b = el('button', p.externalId); b.setAttribute('aria-pressed', String(p === selected));
    b.onclick = () => { location.hash = `#/datasets/${d.id}/${encodeURIComponent(p.externalId)}`; };
    return b;
  }));
  chart('dataset-temperature', {
    titleText: `Temperature of the first ${profiles.length} profiles`, xAxis: timeAxis('step'), yAxis: valueAxis('temperature (K)'),
    series: profiles.map(p => stepLine(p.externalId, p.steps.map(s => [s.t, s.temperatureK]), { color: undefined })),
  });
  chart('dataset-2h', {
    titleText: `2H fraction of the first ${profiles.length} profiles`, xAxis: timeAxis('step'), yAxis: valueAxis('2H fraction', { min: 0, max: 1, scale: false }),
    series: profiles.map(p => line(p.externalId, p.steps.map(s => [s.t, s.phase2H]), { color: undefined })),
  });
  chart('dataset-conditions', {
    titleText: `Conditions of ${selected.externalId}`, xAxis: timeAxis('step'),
    yAxis: [valueAxis('temperature (K)'), valueAxis('molecules', { splitLine: { show: false } })],
    series: [stepLine('T', selected.steps.map(s => [s.t, s.temperatureK])),
      ...GASES.map(([k, n]) => stepLine(n, selected.steps.map(s => [s.t, s[k]]), { yAxisIndex: 1 }))],
  });
  chart('dataset-phases', {
    titleText: `Phases of ${selected.externalId}`, xAxis: timeAxis('step'), yAxis: valueAxis('fraction of 288 Mo', { min: 0, max: 1, scale: false }),
    series: PHASES.map(([k, n]) => line(n, selected.steps.map(s => [s.t, s[k]]))),
  });
}

function uploadContentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'application/x-ndjson';
  return 'application/json';
}

async function upload(event) {
  event.preventDefault();
  const out = $('upload-result'); out.replaceChildren(el('span', 'uploading…', 'muted'));
  const file = $('upload-file').files[0]; const datasetId = $('upload-dataset').value;
  if (!file || !datasetId) { out.replaceChildren(problemBox({ problem: { title: 'Nothing to upload', detail: 'Pick a dataset and a file.' } })); return; }
  try {
    const unit = $('upload-unit').value;
    const report = await api(`/api/v1/datasets/${datasetId}/profiles${unit === 'COUNT' ? '?phaseUnit=COUNT' : ''}`,
      { method: 'POST', headers: { 'Content-Type': uploadContentType(file) }, body: file });
    const ok = el('div', `Stored ${report.created} new profiles of ${report.received} (${report.duplicates} already there).`, 'success');
    out.replaceChildren(ok);
    showDatasets(datasetId).catch(e => console.warn(e));
  } catch (e) { out.replaceChildren(problemBox(e)); }
}

async function createDataset(event) {
  event.preventDefault();
  const out = $('create-result');
  try {
    const d = await post('/api/v1/datasets', { name: $('create-name').value, description: $('create-description').value || null });
    out.replaceChildren(el('div', `Created dataset ${d.id}.`, 'success'));
    location.hash = '#/datasets/' + d.id;
  } catch (e) { out.replaceChildren(problemBox(e)); }
}

// ---------------------------------------------------------------- models
async function showModels(modelId) {
  const page = await api('/api/v1/models?limit=100');
  const models = page.models || page.items || [];
  fillTable('models-table', models, m => [td(selectButton(short(m.id), '#/models/' + m.id, 'model ' + m.id)), String(m.datasetId),
    td(`${m.epochsRun} (${m.bestEpoch})`, 'num'), td(num(m.validationNll, 1), 'num'), td(num(m.testNll, 1), 'num'), td(num(m.trainingSeconds, 0) + ' s', 'num'), m.isDefault ? 'default' : ''],
  modelId);
  const chosen = models.find(m => m.id === modelId) || models[0];
  if (!chosen) { $('model-detail').hidden = true; return; }
  const view = await api('/api/v1/models/' + chosen.id);
  const m = view.model; const metrics = view.metrics || {};
  $('model-detail').hidden = false;
  $('model-title').textContent = `Model ${short(m.id)} · dataset ${m.datasetId}${m.isDefault ? ' · default' : ''}`;
  const last = metrics.lastStep || {};
  const atoms = last.rmseAtoms || [];
  $('model-tiles').replaceChildren(tile('test NLL', num(m.testNll, 1)), tile('validation NLL', num(m.validationNll, 1)),
    tile('epochs (best)', `${m.epochsRun} (${m.bestEpoch})`), tile('training', num(m.trainingSeconds, 0) + ' s'),
    tile('last-step RMSE (atoms)', atoms.length ? atoms.map(a => num(a, 1)).join(' / ') : '–'),
    tile('90 % band coverage', (metrics.bandCoverage90 || []).map(c => num(c, 2)).join(' / ') || '–'),
    tile('test profiles', String(metrics.profiles ?? '–')));

  if (m.trainingJobId) {
    try {
      const job = await api('/api/v1/jobs/' + m.trainingJobId);
      const names = curveMetrics('nade-training', Object.keys(job.metrics || {})).sort();
      chart('model-training', {
        titleText: 'NLL per epoch (nats per profile)', xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 28, minInterval: 1 }, yAxis: valueAxis('NLL'),
        series: names.map(n => line(n, job.metrics[n].map(p => [p.step, p.value]))),
      });
    } catch (e) { $('model-training').hidden = true; }
  } else $('model-training').hidden = true;

  const perStep = metrics.rmsePerStepAtoms || [];
  chart('model-error', {
    titleText: 'RMSE per step and phase (atoms of 288), mean-fed rollouts', xAxis: timeAxis('step'), yAxis: valueAxis('RMSE (atoms)', { min: 0, scale: false }),
    series: PHASES.map(([, n], i) => line(n, perStep.map((row, t) => [t, row[i]]))),
  });
  const truth = last.truth || []; const predicted = last.predicted || [];
  chart('model-last-step', {
    titleText: `Predicted vs true at the last step (${truth.length} test profiles)`,
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: 'true fraction', nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
    yAxis: { type: 'value', name: 'predicted fraction', nameLocation: 'middle', nameGap: 42, min: 0, max: 1 },
    series: [...PHASES.map(([, n], i) => ({ name: n, type: 'scatter', symbolSize: 4, color: COLOURS[n], large: true,
      data: truth.map((row, k) => [row[i], predicted[k][i]]) })),
    { name: 'ideal', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { type: 'dashed', width: 1 }, color: '#888', silent: true }],
  });
  chart('model-coverage', {
    titleText: 'How often the truth falls in the 90 % band', tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: PHASES.map(([, n]) => n) }, yAxis: valueAxis('coverage', { min: 0, max: 1, scale: false }),
    series: [{ name: 'one step ahead', type: 'bar', data: metrics.oneStepCoverage90 || [], color: '#16a2b8' },
      { name: 'whole trajectory band', type: 'bar', data: metrics.bandCoverage90 || [], color: '#2f6fde',
        markLine: { symbol: 'none', data: [{ yAxis: 0.9, name: 'nominal 0.9' }], lineStyle: { type: 'dashed' }, label: { formatter: 'nominal 0.9', position: 'insideEndTop' } } }],
  });
}

// ---------------------------------------------------------------- agents and proposals
let agentsCache = [];
let proposalsCache = [];
const ticked = new Set();

async function showAgents(agentId, proposalId) {
  const page = await api('/api/v1/agents?limit=100');
  agentsCache = page.items || [];
  fillTable('agents-table', agentsCache, a => [td(selectButton(short(a.id), '#/agents/' + a.id, 'agent ' + a.id)), td(short(a.nadeModelId), 'mono'), a.objective,
    td(String(a.episodes), 'num'), td(num(a.finalMeanObjective), 'num'), td(num(a.trainingSeconds, 0) + ' s', 'num'), when(a.createdAt)], agentId);
  const chosen = agentsCache.find(a => a.id === agentId) || agentsCache[0];
  if (!chosen) { $('agent-detail').hidden = true; $('proposal-detail').hidden = true; return; }
  await showAgent(chosen.id);
  const shown = proposalsCache.find(p => p.id === proposalId) || proposalsCache[0];
  if (shown) await showProposal(shown); else $('proposal-detail').hidden = true;
}

async function showAgent(id) {
  const details = await api('/api/v1/agents/' + id);
  const a = details.agent; const b = details.baselines || {};
  $('agent-detail').hidden = false; $('agent-detail').dataset.agentId = id;
  $('agent-title').textContent = `Agent ${short(a.id)} · ${a.objective} · NADE model ${short(a.nadeModelId)}`;
  $('agent-tiles').replaceChildren(tile('episodes', String(a.episodes)), tile('final mean objective', num(a.finalMeanObjective)),
    tile('comparison won by', b.winner || '–'), tile('margin', num(b.margin)), tile('× random-walk mean', num(b.agentVsRandomWalk, 1)),
    tile('training', num(a.trainingSeconds, 0) + ' s'));
  $('agent-warnings').replaceChildren(...(b.warnings || []).map(w => el('li', w)));
  const curve = details.rewardCurve || [];
  chart('agent-reward', {
    titleText: 'Reward curve (mean over each training batch)', xAxis: { type: 'value', name: 'episodes', nameLocation: 'middle', nameGap: 28 },
    yAxis: [valueAxis('mean objective'), valueAxis('mean final 2H', { min: 0, max: 1, scale: false, splitLine: { show: false } })],
    series: [line('mean objective', curve.map(p => [p.episodes, p.meanObjective]), { color: '#2f6fde' }),
      line('mean final 2H', curve.map(p => [p.episodes, p.meanFinal2H]), { yAxisIndex: 1, color: '#2ca58d' })],
  });
  const methods = [['agent', 'agent'], ['agentRefined', 'agent + CEM'], ['crossEntropy', 'CEM'], ['randomWalk', 'random walk']].filter(([k]) => b[k]);
  const simulated = methods.some(([k]) => b[k].simulatedBestObjective !== null && b[k].simulatedBestObjective !== undefined);
  chart('agent-comparison', {
    titleText: `Agent vs random walk vs CEM (${b.objective || a.objective}, equal budgets)`,
    xAxis: { type: 'category', data: methods.map(([, n]) => n) }, yAxis: valueAxis('objective'),
    series: [{ name: 'NADE mean', type: 'bar', data: methods.map(([k]) => b[k].nadeMeanObjective), color: '#8a93a3' },
      { name: 'NADE best', type: 'bar', data: methods.map(([k]) => b[k].nadeBestObjective), color: '#2f6fde' },
      ...(simulated ? [{ name: 'simulator best', type: 'bar', data: methods.map(([k]) => b[k].simulatedBestObjective), color: '#e0822b' }] : [])],
  });
  $('initial-s2-run').onclick = () => initialS2(id);
  $('agent-initial-s2').hidden = true; $('initial-s2-summary').textContent = '';
  await loadProposals(id);
}

async function initialS2(agentId) {
  const button = $('initial-s2-run'); button.disabled = true; $('initial-s2-summary').textContent = 'computing…';
  try {
    const r = await api(`/api/v1/agents/${agentId}/analyses/initial-s2?count=800&seed=1`);
    const centres = r.binEdges.slice(0, -1).map((e, i) => (e + r.binEdges[i + 1]) / 2);
    chart('agent-initial-s2', {
      titleText: '2H over the last steps: low vs high initial S2', xAxis: { type: 'value', name: '2H fraction', nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
      yAxis: valueAxis('density', { min: 0, scale: false }),
      series: [r.low, r.high].map((g, k) => line(`${g.name} S2 (${num(g.initialS2From, 0)}–${num(g.initialS2To, 0)})`, centres.map((c, i) => [c, g.density[i]]),
        { color: k === 0 ? '#e0822b' : '#2f6fde', areaStyle: { opacity: 0.15 }, showSymbol: false })),
    });
    $('initial-s2-summary').textContent = `mean 2H ${num(r.low.mean2H)} (low) vs ${num(r.high.mean2H)} (high): difference ${num(r.mean2HDifference)}`;
  } catch (e) { $('initial-s2-summary').replaceChildren(problemBox(e)); }
  finally { button.disabled = false; }
}

async function loadProposals(agentId) {
  const page = await api(`/api/v1/agents/${agentId}/proposals?limit=50`);
  proposalsCache = page.items || [];
  const selectedId = current.view === 'agents' ? current.args[1] : undefined;
  fillTable('proposals-table', proposalsCache, p => {
    const box = el('input'); box.type = 'checkbox'; box.checked = ticked.has(p.id); box.setAttribute('aria-label', 'compare proposal ' + short(p.id));
    box.onchange = () => { if (box.checked) ticked.add(p.id); else ticked.delete(p.id); updateCompareLink(); };
    return [td(box), td(selectButton(short(p.id), `#/agents/${agentId}/${p.id}`, 'proposal ' + p.id)), p.method || 'agent',
      td(num(p.objectiveValue), 'num'), td(num(p.final2H), 'num'), td(p.validationIds && p.validationIds.length ? `${p.validationIds.length} run(s)` : '–'), when(p.createdAt)];
  }, selectedId || (proposalsCache[0] && proposalsCache[0].id));
  updateCompareLink();
}

function updateCompareLink() {
  const ids = [...ticked];
  $('compare-link').href = '#/compare/' + ids.join(',');
  $('compare-link').textContent = ids.length >= 2 ? `Compare the ${ids.length} ticked proposals` : 'Tick two or more proposals to compare them';
}

async function propose(event) {
  event.preventDefault();
  const agentId = $('agent-detail').dataset.agentId; const out = $('propose-result');
  out.replaceChildren(el('span', 'proposing…', 'muted'));
  try {
    const r = await post(`/api/v1/agents/${agentId}/proposals`, { count: Number($('propose-count').value), mode: $('propose-mode').value, seed: Date.now() % 100000 });
    out.replaceChildren(el('span', `${r.items.length} new proposals`, 'SUCCEEDED'));
    location.hash = `#/agents/${agentId}/${r.items[0].id}`;
  } catch (e) { out.replaceChildren(problemBox(e)); }
}

function scheduleChart(id, p, title) {
  const s = p.schedule; const end = s.length ? s[s.length - 1].timeNs + (s.length > 1 ? s[1].timeNs - s[0].timeNs : 1) : 0;
  // a step holds its conditions for its whole duration: repeat the last one at the schedule's end
  const pts = k => [...s.map(x => [x.timeNs, x[k]]), ...(s.length ? [[end, s[s.length - 1][k]]] : [])];
  return chart(id, {
    titleText: title, xAxis: timeAxis(), yAxis: [valueAxis('temperature (K)'), valueAxis('molecules', { splitLine: { show: false } })],
    series: [stepLine('T', pts('temperatureK'), { showSymbol: false, lineStyle: { width: 2.5 } }),
      ...GASES.map(([k, n]) => stepLine(n, pts(k), { yAxisIndex: 1, showSymbol: false }))],
  });
}

function trajectoryChart(id, p, title, compact) {
  const xs = p.predicted.map(s => s.timeNs);
  const series = [];
  PHASES.forEach(([k, n]) => {
    series.push(...band(n, COLOURS[n], p.predicted.map(s => s.p5[k]), p.predicted.map(s => s.p95[k])));
    series.push(line(n, p.predicted.map(s => s.mean[k]), { z: 3 }));
  });
  const horizon = p.horizon && p.horizon < p.predicted.length ? String(xs[p.horizon]) : null;
  if (horizon !== null) series[series.length - 1].markLine = { symbol: 'none', silent: true, data: [{ xAxis: horizon }], label: { formatter: 'extrapolated →' }, lineStyle: { type: 'dotted', color: '#888' } };
  return chart(id, {
    titleText: title, xAxis: categoryTime(xs), yAxis: valueAxis('fraction of 288 Mo', { min: 0, max: 1, scale: false }),
    legend: bandLegend(PHASES.map(([, n]) => n).concat(compact ? [] : PHASES.map(([, n]) => n + ' p5–p95'))), series,
  });
}

async function showProposal(p) {
  $('proposal-detail').hidden = false; $('proposal-detail').dataset.proposalId = p.id;
  $('proposal-title').textContent = `Proposal ${short(p.id)} · ${p.method || 'agent'} · ${p.mode}`;
  $('proposal-tiles').replaceChildren(tile(p.objective, num(p.objectiveValue)), tile('predicted final 2H', num(p.final2H)),
    tile('rollouts', String(p.rollouts)), tile('steps', String(p.schedule.length)), tile('seed', String(p.seed)));
  document.querySelectorAll('#proposal-detail [data-download]').forEach(b => {
    b.onclick = () => download(`/api/v1/proposals/${p.id}/${b.dataset.download}`, `proposal-${short(p.id)}-${b.dataset.download}`);
  });
  $('validate').onclick = () => validate(p);
  scheduleChart('proposal-schedule', p, 'Schedule: temperature and gases');
  trajectoryChart('proposal-trajectory', p, `Forecast 2H / 1T / defect with p5–p95 bands (${p.rollouts} rollouts)`);
  const [order, validations] = await Promise.all([api(`/api/v1/proposals/${p.id}/phase-order`), api(`/api/v1/proposals/${p.id}/validations`)]);
  const po = order.predicted;
  $('phase-order').textContent = `Phase order (forecast): 1T peaks at step ${po.oneTPeakStep} (${num(po.oneTPeak)}), 2H at step ${po.twoHPeakStep} (${num(po.twoHPeak)}) — `
    + (po.oneTPeaksBeforeTwoH ? '1T peaks before 2H, as in the paper.' : '1T does not peak before 2H.')
    + (order.simulated ? ` Simulator: ${order.simulated.oneTPeaksBeforeTwoH ? '1T peaks before 2H' : '1T does not peak before 2H'}.` : '')
    + (order.schedule && order.schedule.hotThenAnneal ? ' The schedule is hot-then-anneal.' : '');
  const latest = (validations.items || []).slice(-1)[0];
  if (latest) validationChart(p, latest); else $('proposal-validation').hidden = true;
}

function validationChart(p, v) {
  const xs = v.steps.map(s => s.t);
  const series = [];
  PHASES.forEach(([k, n]) => {
    series.push(...band('simulated ' + n, COLOURS[n], v.steps.map(s => s.simulatedP5[k]), v.steps.map(s => s.simulatedP95[k])));
    series.push(line('predicted ' + n, v.steps.map(s => s.predicted[k]), { color: COLOURS[n], lineStyle: { type: 'dashed' } }));
    series.push(line('simulated ' + n, v.steps.map(s => s.simulated[k]), { color: COLOURS[n] }));
  });
  chart('proposal-validation', {
    titleText: `Forecast (dashed) vs simulator (${v.replicas} replicas, p5–p95 shaded): final 2H ${num(v.predictedFinal2H)} vs ${num(v.simulatedFinal2H)}`,
    xAxis: categoryTime(xs, 'step'), yAxis: valueAxis('fraction of 288 Mo', { min: 0, max: 1, scale: false }),
    legend: bandLegend(PHASES.flatMap(([, n]) => ['predicted ' + n, 'simulated ' + n])), series,
  });
}

async function validate(p) {
  const b = $('validate'); b.disabled = true; b.textContent = 'Validating…';
  try {
    const v = await post(`/api/v1/proposals/${p.id}/validations`, { replicas: 16, seed: 5 });
    validationChart(p, v);
  } catch (e) { notice('Validation failed: ' + e.message); }
  finally { b.disabled = false; b.textContent = 'Validate on the simulator (16 replicas)'; }
}

// ---------------------------------------------------------------- compare
async function showCompare(idList) {
  const ids = (idList || [...ticked].join(',')).split(',').filter(Boolean);
  ids.forEach(id => ticked.add(id));
  // candidates: the proposals of the agent last shown, else of the newest agent
  if (!proposalsCache.length) {
    const agents = (await api('/api/v1/agents?limit=1')).items || [];
    if (agents.length) proposalsCache = (await api(`/api/v1/agents/${agents[0].id}/proposals?limit=50`)).items || [];
  }
  const chosen = await Promise.all(ids.map(id => proposalsCache.find(p => p.id === id) || api('/api/v1/proposals/' + id)));
  const known = new Map([...proposalsCache, ...chosen].map(p => [p.id, p]));
  $('compare-pick').replaceChildren(...[...known.values()].map(p => {
    const on = ids.includes(p.id);
    const b = el('button', `${short(p.id)} · ${num(p.objectiveValue)}`); b.setAttribute('aria-pressed', String(on));
    b.onclick = () => { const next = on ? ids.filter(x => x !== p.id) : [...ids, p.id]; if (on) ticked.delete(p.id); location.hash = '#/compare/' + next.join(','); };
    return b;
  }));
  if (chosen.length < 2) { $('compare-body').hidden = true; return; }
  $('compare-body').hidden = false;
  const label = p => short(p.id);
  const head = el('tr'); head.append(el('th', ''), ...chosen.map(p => el('th', label(p), 'num')));
  document.querySelector('#compare-table thead').replaceChildren(head);
  const rows = [['method', p => p.method || 'agent'], ['objective', p => p.objective], ['objective value', p => num(p.objectiveValue)],
    ['predicted final 2H', p => num(p.final2H)], ['peak temperature (K)', p => num(Math.max(...p.schedule.map(s => s.temperatureK)), 0)],
    ['mean S2', p => num(p.schedule.reduce((a, s) => a + s.s2, 0) / p.schedule.length, 1)], ['rollouts', p => String(p.rollouts)]];
  document.querySelector('#compare-table tbody').replaceChildren(...rows.map(([name, f]) => { const tr = el('tr'); tr.append(el('th', name), ...chosen.map(p => el('td', f(p), 'num'))); return tr; }));
  chart('compare-temperature', {
    titleText: 'Temperature schedules', xAxis: timeAxis(), yAxis: valueAxis('temperature (K)'),
    series: chosen.map((p, i) => stepLine(label(p), p.schedule.map(s => [s.timeNs, s.temperatureK]), { color: PALETTE[i % PALETTE.length] })),
  });
  chart('compare-2h', {
    titleText: 'Forecast 2H (mean)', xAxis: timeAxis(), yAxis: valueAxis('2H fraction', { min: 0, max: 1, scale: false }),
    series: chosen.map((p, i) => line(label(p), p.predicted.map(s => [s.timeNs, s.mean.phase2H]), { color: PALETTE[i % PALETTE.length] })),
  });
  const columns = $('compare-columns');
  columns.querySelectorAll('.chart').forEach(d => { const c = echarts.getInstanceByDom(d); if (c) c.dispose(); });
  columns.replaceChildren();
  chosen.forEach((p, i) => {
    const col = el('div', undefined, 'panel'); col.append(el('h3', `Proposal ${label(p)} · ${num(p.objectiveValue)}`));
    const s = el('div', undefined, 'chart'); s.id = 'compare-schedule-' + i; s.setAttribute('role', 'img'); s.setAttribute('aria-label', 'schedule of proposal ' + label(p));
    const t = el('div', undefined, 'chart'); t.id = 'compare-trajectory-' + i; t.setAttribute('role', 'img'); t.setAttribute('aria-label', 'forecast of proposal ' + label(p));
    col.append(s, t); columns.append(col);
    scheduleChart(s.id, p, 'Schedule'); trajectoryChart(t.id, p, 'Forecast with p5–p95 bands', true);
  });
}

// ---------------------------------------------------------------- start
function init() {
  setTheme(localStorage.getItem(THEME_STORAGE) || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  $('theme').onclick = () => { setTheme(theme() === 'dark' ? 'light' : 'dark'); route(); };
  $('api-key').value = apiKey();
  $('key-form').onsubmit = e => { e.preventDefault(); const k = $('api-key').value.trim(); if (k) sessionStorage.setItem(KEY_STORAGE, k); else sessionStorage.removeItem(KEY_STORAGE); stopFollowing(); route(); };
  $('key-clear').onclick = () => { sessionStorage.removeItem(KEY_STORAGE); $('api-key').value = ''; stopFollowing(); route(); };
  $('upload-form').onsubmit = upload;
  $('create-form').onsubmit = createDataset;
  $('propose-form').onsubmit = propose;
  route();
}
init();
