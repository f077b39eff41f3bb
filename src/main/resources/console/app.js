// The console's pages: jobs (live), submit, job detail, dead letters, media. Hash routes;
// every page calls the same RPC API as any client (api.js). Text from the service is always
// set as text, never parsed as HTML.
import { call, credentials, signIn, signOut, ApiError, ACCESS_CODES } from './api.js';

const page = document.getElementById('page');
const STATUSES = ['PENDING', 'PROCESSING', 'SUCCESS', 'FAIL', 'CANCELED'];
let refreshTimer = null;

/** An element with attributes (on* as listeners) and children (strings become text). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.substring(2), value);
    else if (name === 'className') element.className = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function bytes(n) {
  if (n === undefined || n === null || n === '') return '';
  n = Number(n);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) { n /= 1000; u++; }
  return (u === 0 ? n : n.toFixed(1)) + ' ' + units[u];
}

function seconds(s) {
  if (!isFinite(s) || s < 0) return '';
  s = Math.round(s);
  return s >= 3600 ? Math.floor(s / 3600) + 'h ' + Math.floor(s % 3600 / 60) + 'm'
      : s >= 60 ? Math.floor(s / 60) + 'm ' + (s % 60) + 's' : s + 's';
}

function status(line) {
  document.getElementById('status-line').textContent = line;
}

function show(...children) {
  page.replaceChildren(...children);
}

/** Runs an API call; an access refusal leads to the sign-in page, any other error is shown. */
async function api(action, parameters) {
  try {
    return await call(action, parameters);
  } catch (e) {
    if (e instanceof ApiError && ACCESS_CODES.has(e.code) && (e.code !== 'MissingParameter' || !credentials())) {
      location.hash = '#/signin';
      throw e;
    }
    status((e.code ? e.code + ': ' : '') + e.message);
    throw e;
  }
}

// ------------------------------------------------------------------ jobs

const rates = new Map(); // JobId -> {bytes, at}: the previous look, for rate and ETA
const selected = new Set();

function progressCell(job) {
  if (job.Status !== 'PROCESSING') return h('td');
  const done = Number(job.BytesDone || 0);
  const total = job.BytesTotal ? Number(job.BytesTotal) : null;
  const now = performance.now();
  const before = rates.get(job.JobId);
  let rate = before && now > before.at ? (done - before.bytes) / ((now - before.at) / 1000) : NaN;
  if (before && !(rate > 0)) rate = before.rate;
  rates.set(job.JobId, { bytes: done, at: now, rate });
  const bar = total ? h('progress', { value: done, max: total, 'aria-label': 'downloaded' })
      : h('progress', { 'aria-label': 'downloaded' });
  const parts = [bytes(done) + (total ? ' of ' + bytes(total) : '')];
  if (job.SegmentsTotal) parts.push(job.SegmentsDone + '/' + job.SegmentsTotal + ' segments');
  if (rate > 0) parts.push(bytes(rate) + '/s');
  if (rate > 0 && total) parts.push('ETA ' + seconds((total - done) / rate));
  if (job.WaitingFor) parts.push('waiting for ' + job.WaitingFor);
  return h('td', { className: 'progress' }, bar, h('span', { className: 'progress-text' }, parts.join(' · ')));
}

function jobRow(job) {
  const box = h('input', { type: 'checkbox', className: 'select', 'aria-label': 'select ' + job.JobId,
    checked: selected.has(job.JobId),
    onchange: e => e.target.checked ? selected.add(job.JobId) : selected.delete(job.JobId) });
  return h('tr', { 'data-job-id': job.JobId },
      h('td', {}, box),
      h('td', { className: 'mono' }, h('a', { href: '#/job/' + job.JobId }, job.JobId)),
      h('td', { className: 'url', title: job.UploadURL }, job.UploadURL),
      h('td', { className: 'status ' + job.Status }, job.Status),
      progressCell(job),
      h('td', { className: 'error' }, job.ErrorCode ? job.ErrorCode + ': ' + (job.ErrorMessage || '') : ''),
      h('td', { className: 'mono' }, (job.CreationTime || '').replace('T', ' ').replace('Z', '')));
}

async function jobsPage() {
  const filters = { Status: '', ErrorCode: '', SourceURLPrefix: '' };
  const counts = h('div', { className: 'counts', id: 'counts' });
  const body = h('tbody');
  const statusSelect = h('select', { id: 'filter-status', onchange: e => { filters.Status = e.target.value; refresh(); } },
      h('option', { value: '' }, 'All statuses'), ...STATUSES.map(s => h('option', { value: s }, s)));
  const errorInput = h('input', { id: 'filter-error', placeholder: 'Error code',
    onchange: e => { filters.ErrorCode = e.target.value.trim(); refresh(); } });
  const prefixInput = h('input', { id: 'filter-url', placeholder: 'Source URL starts with', size: 32,
    onchange: e => { filters.SourceURLPrefix = e.target.value.trim(); refresh(); } });
  const act = async (action, button) => {
    if (selected.size === 0) return;
    button.disabled = true;
    try {
      const reply = await api(action, { JobIds: [...selected].join(',') });
      status(action + ': ' + JSON.stringify(reply.CanceledJobs || reply.RetriedJobs || []));
      selected.clear();
      await refresh();
    } finally {
      button.disabled = false;
    }
  };
  const cancel = h('button', { id: 'cancel-selected', onclick: e => act('CancelUrlUploadJobs', e.target) }, 'Cancel selected');
  const retry = h('button', { id: 'retry-selected', className: 'secondary',
    onclick: e => act('RetryUrlUploadJobs', e.target) }, 'Retry selected');
  show(h('h2', {}, 'Jobs'), counts,
      h('div', { className: 'toolbar' }, statusSelect, errorInput, prefixInput, cancel, retry),
      h('table', { id: 'jobs' },
          h('thead', {}, h('tr', {}, ...['', 'Job', 'Source', 'Status', 'Progress', 'Error', 'Created'].map(t => h('th', {}, t)))),
          body));
  async function refresh() {
    const reply = await api('ListUrlUploadJobs', { MaxResults: 100, ...filters });
    counts.replaceChildren(...Object.entries(reply.StatusCounts || {}).map(([s, n]) =>
        h('div', { className: 'count', 'data-status': s }, h('b', {}, n), h('span', { className: 'status ' + s }, s))));
    body.replaceChildren(...(reply.Jobs || []).map(jobRow));
    status('Updated ' + new Date().toLocaleTimeString());
  }
  await refresh();
  refreshTimer = setInterval(() => refresh().catch(() => {}), 1500);
}

// ------------------------------------------------------------------ submit

/** One URL per line, or "URL,Title" lines (a CSV). */
function parseLines(text) {
  return text.split(/\r?\n/).map(l => l.trim()).filter(l => l && !l.startsWith('#')).map(line => {
    const comma = line.search(/,(?=[^,]*$)/);
    const url = comma > 0 && !/^https?:\/\/[^,]*$/.test(line) ? line.substring(0, comma).trim() : line;
    const title = url === line ? null : line.substring(comma + 1).trim();
    return { url, title };
  });
}

function submitPage() {
  const result = h('ul', { id: 'submitted' });
  const form = h('form', { className: 'panel', id: 'submit-form', onsubmit: async e => {
    e.preventDefault();
    const button = document.getElementById('submit-button');
    button.disabled = true;
    result.replaceChildren();
    try {
      const entries = parseLines(document.getElementById('urls').value);
      const title = document.getElementById('title').value.trim();
      const tags = document.getElementById('tags').value.trim();
      const callback = document.getElementById('callback').value.trim();
      const workflow = document.getElementById('workflow').value.trim();
      for (let i = 0; i < entries.length; i += 20) {
        const batch = entries.slice(i, i + 20);
        const meta = batch.map((entry, n) => {
          const m = { SourceURL: entry.url, Title: entry.title || (title ? (batch.length > 1 || entries.length > 1 ? title + ' ' + (i + n + 1) : title)
              : decodeURIComponent(entry.url.split('/').pop().split('?')[0]).replace(/\.[^.]*$/, '') || 'media') };
          if (tags) m.Tags = tags;
          if (workflow) m.WorkflowId = workflow;
          return m;
        });
        const reply = await api('UploadMediaByURL', {
          UploadURLs: batch.map(e => encodeURIComponent(e.url)).join(','),
          MediaMetaData: JSON.stringify(meta),
          UserData: callback ? JSON.stringify({ MessageCallback: { CallbackURL: callback } }) : undefined
        });
        for (const job of reply.UploadJobs) {
          result.append(h('li', {}, h('a', { className: 'job-id mono', href: '#/job/' + job.JobId }, job.JobId), ' ',
              job.SourceURL));
        }
      }
      status('Submitted ' + entries.length + ' URL(s)');
    } catch (error) {
      result.append(h('li', { className: 'error', id: 'submit-error' }, (error.code || '') + ' ' + error.message));
    } finally {
      button.disabled = false;
    }
  } },
      h('label', { for: 'urls' }, 'URLs: one per line, or URL,Title'),
      h('textarea', { id: 'urls', required: true, placeholder: 'https://cdn.example.com/a.mp4\nhttps://cdn.example.com/b.mp4,Episode 2' }),
      h('label', { for: 'title' }, 'Title (optional; else the file name)'), h('input', { id: 'title', size: 40 }),
      h('label', { for: 'tags' }, 'Tags (comma-separated)'), h('input', { id: 'tags', size: 40 }),
      h('label', { for: 'callback' }, 'Callback URL (optional)'), h('input', { id: 'callback', size: 60, type: 'url' }),
      h('label', { for: 'workflow' }, 'Workflow (optional, e.g. snapshot)'), h('input', { id: 'workflow', size: 24 }),
      h('p', {}, h('button', { id: 'submit-button', type: 'submit' }, 'Submit')));
  show(h('h2', {}, 'Submit URLs'), form, h('h2', {}, 'Submitted jobs'), result);
}

// ------------------------------------------------------------------ job detail and events

function eventRows(events, onResend) {
  return events.map(e => h('tr', { 'data-event-id': e.EventId },
      h('td', { className: 'mono' }, e.EventId), h('td', {}, e.EventType), h('td', { className: 'mono' }, e.JobId || ''),
      h('td', { className: 'url', title: e.CallbackURL || '' }, e.CallbackURL || ''),
      h('td', { className: 'event-status ' + e.Status }, e.Status), h('td', {}, e.Attempts),
      h('td', { className: 'error' }, e.LastError || ''),
      h('td', {}, ['DEAD', 'GONE', 'PENDING'].includes(e.Status) && e.CallbackURL
          ? h('button', { className: 'resend secondary', onclick: async ev => {
            ev.target.disabled = true;
            await api('RetryCallbackEvents', { EventIds: e.EventId });
            await onResend();
          } }, 'Re-send') : '')));
}

function eventsTable(id) {
  return h('table', { id },
      h('thead', {}, h('tr', {}, ...['Event', 'Type', 'Job', 'Receiver', 'State', 'Attempts', 'Last error', ''].map(t => h('th', {}, t)))),
      h('tbody'));
}

async function jobPage(jobId) {
  const detail = h('dl', { id: 'job-detail' });
  const events = eventsTable('job-events');
  show(h('h2', {}, 'Job ', h('span', { className: 'mono' }, jobId)), h('div', { className: 'panel' }, detail),
      h('h2', {}, 'Callback events'), events);
  async function refresh() {
    const reply = await api('ListUrlUploadJobs', { JobId: jobId, MaxResults: 1 });
    const job = (reply.Jobs || [])[0];
    if (!job) {
      detail.replaceChildren(h('dt', {}, 'Job'), h('dd', { className: 'error' }, 'No such job'));
      return;
    }
    const rows = [['Status', h('span', { className: 'status ' + job.Status }, job.Status)], ['Source', job.UploadURL],
      ['Media', job.MediaId ? h('a', { href: '#/media/' + job.MediaId }, job.MediaId) : ''], ['Attempts', job.Attempts],
      ['Size', bytes(job.FileSize)], ['Error', job.ErrorCode ? job.ErrorCode + ': ' + job.ErrorMessage : ''],
      ['Created', job.CreationTime], ['Completed', job.CompleteTime || ''], ['AppId', job.AppId || ''],
      ['Storage location', job.StorageLocation || ''], ['User data', job.UserData || ''],
      ['Metadata', job.MediaMetaData || ''], ['Workflow', job.PostProcessConfig || ''], ['API', job.ApiFamily]];
    detail.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    const list = await api('ListCallbackEvents', { JobId: jobId, MaxResults: 100 });
    events.querySelector('tbody').replaceChildren(...eventRows(list.CallbackEvents || [], refresh));
  }
  await refresh();
  refreshTimer = setInterval(() => refresh().catch(() => {}), 2000);
}

async function deadLettersPage() {
  const table = eventsTable('dead-letters');
  show(h('h2', {}, 'Callback dead letters'), h('p', {}, 'Events whose receiver refused every attempt.'), table);
  async function refresh() {
    const list = await api('ListCallbackEvents', { Status: 'DEAD', MaxResults: 100 });
    table.querySelector('tbody').replaceChildren(...eventRows(list.CallbackEvents || [], refresh));
  }
  await refresh();
  refreshTimer = setInterval(() => refresh().catch(() => {}), 2000);
}

// ------------------------------------------------------------------ media

function duration(file) {
  const d = Number(file && file.FileBasicInfo && file.FileBasicInfo.Duration);
  return d > 0 ? seconds(d) : '';
}

async function mediaPage() {
  const grid = h('div', { className: 'grid', id: 'media-grid' });
  show(h('h2', {}, 'Media'), grid);
  const reply = await api('ListMediaBasicInfos', { MaxResults: 100, IncludeFileBasicInfo: 'true' });
  grid.replaceChildren(...(reply.MediaInfos || []).map(m => {
    const b = m.MediaBasicInfo;
    const file = (m.FileInfoList || [])[0];
    return h('a', { className: 'media-card', href: '#/media/' + m.MediaId, 'data-media-id': m.MediaId },
        b.CoverURL ? h('img', { className: 'cover', src: b.CoverURL, alt: 'cover of ' + (b.Title || m.MediaId) })
            : h('div', { className: 'no-cover' }, b.MediaType || 'media'),
        h('div', { className: 'meta' }, h('div', { className: 'title' }, b.Title || m.MediaId),
            h('div', { className: 'muted' }, [duration(file), bytes(file && file.FileBasicInfo.FileSize)].filter(x => x).join(' · '))));
  }));
  if (!grid.children.length) grid.append(h('p', {}, 'No media yet.'));
}

async function mediaDetailPage(mediaId) {
  const reply = await api('GetMediaInfo', { MediaId: mediaId });
  const info = reply.MediaInfo;
  const b = info.MediaBasicInfo;
  const file = (info.FileInfoList || [])[0] || {};
  const f = file.FileBasicInfo || {};
  const figures = [['Title', b.Title], ['Type', b.MediaType], ['Status', b.Status], ['Duration', f.Duration ? f.Duration + ' s' : ''],
    ['Size', bytes(f.FileSize)], ['Format', f.FormatName], ['Width × height', f.Width ? f.Width + ' × ' + f.Height : ''],
    ['Bitrate', f.Bitrate ? bytes(Number(f.Bitrate) / 8) + '/s' : ''], ['Fps', f.Fps], ['MD5', f.Md5], ['SHA-256', f.Sha256],
    ['Tags', b.MediaTags], ['Workflow', b.WorkflowId ? b.WorkflowId + ' ' + (b.WorkflowStatus || '') : ''], ['Created', b.CreateTime]];
  const streams = [...(file.VideoStreamInfoList || []).map(s => ['video', s.CodecName, s.Width + '×' + s.Height, s.Fps, s.Bitrate]),
    ...(file.AudioStreamInfoList || []).map(s => ['audio', s.CodecName, s.SampleRate + ' Hz', s.Channels + ' ch', s.Bitrate])];
  const player = b.MediaType === 'audio' ? h('audio', { controls: true, src: f.FileUrl, id: 'player' })
      : h('video', { controls: true, src: f.FileUrl, id: 'player', poster: b.CoverURL || undefined, preload: 'metadata' });
  show(h('h2', {}, b.Title || mediaId),
      h('div', { className: 'panel', id: 'media-detail' },
          b.CoverURL ? h('img', { className: 'cover', src: b.CoverURL, alt: 'cover', style: 'max-width:320px;display:block;margin-bottom:12px' }) : '',
          player,
          h('p', {}, h('a', { id: 'download', href: f.FileUrl, download: f.FileName || '' }, 'Download the file (presigned link)')),
          h('dl', {}, ...figures.filter(([, v]) => v).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
      h('h2', {}, 'Streams'),
      h('table', { id: 'streams' }, h('thead', {}, h('tr', {}, ...['Kind', 'Codec', 'Size / rate', 'Fps / channels', 'Bitrate'].map(t => h('th', {}, t)))),
          h('tbody', {}, ...streams.map(row => h('tr', {}, ...row.map(v => h('td', {}, v ?? '')))))));
}

// ------------------------------------------------------------------ sign-in

function signInPage() {
  const error = h('p', { className: 'error', id: 'signin-error' });
  show(h('h2', {}, 'Sign in'),
      h('form', { className: 'panel signin', onsubmit: async e => {
        e.preventDefault();
        signIn(document.getElementById('access-key-id').value.trim(), document.getElementById('access-key-secret').value);
        try {
          await call('ListUrlUploadJobs', { MaxResults: 1 });
          showWho();
          location.hash = '#/jobs';
        } catch (failure) {
          signOut();
          showWho();
          error.textContent = (failure.code || '') + ': ' + failure.message;
        }
      } },
          h('p', {}, 'This service requires a signed call: give an AccessKey. The secret stays in this tab (session storage) and signs each call; it is never sent.'),
          h('label', { for: 'access-key-id' }, 'AccessKeyId'), h('input', { id: 'access-key-id', required: true, size: 32 }),
          h('label', { for: 'access-key-secret' }, 'AccessKeySecret'),
          h('input', { id: 'access-key-secret', type: 'password', required: true, size: 32 }),
          h('p', {}, h('button', { id: 'signin-button', type: 'submit' }, 'Sign in')), error));
}

function showWho() {
  const who = credentials();
  const slot = document.getElementById('signed-in-as');
  slot.replaceChildren(who ? h('span', {}, 'Signed in as ', h('b', {}, who.id), ' ',
      h('button', { className: 'secondary', id: 'signout', onclick: () => { signOut(); showWho(); location.hash = '#/signin'; } },
          'Sign out')) : '');
}

// ------------------------------------------------------------------ routing

async function route() {
  clearInterval(refreshTimer);
  refreshTimer = null;
  const [, name, id] = (location.hash || '#/jobs').match(/^#\/([a-z]+)\/?(.*)$/) || [null, 'jobs', ''];
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.id === 'nav-' + (name === 'job' ? 'jobs' : name));
  }
  try {
    if (name === 'submit') submitPage();
    else if (name === 'job' && id) await jobPage(decodeURIComponent(id));
    else if (name === 'dead') await deadLettersPage();
    else if (name === 'media' && id) await mediaDetailPage(decodeURIComponent(id));
    else if (name === 'media') await mediaPage();
    else if (name === 'signin') signInPage();
    else await jobsPage();
  } catch (e) {
    if (location.hash !== '#/signin') page.append(h('p', { className: 'error', id: 'page-error' }, (e.code || '') + ' ' + e.message));
  }
}

window.addEventListener('hashchange', route);
showWho();
route();
