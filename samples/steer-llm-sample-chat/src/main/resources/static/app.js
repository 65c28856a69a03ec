// The sample's page: starts a resumable stream (POST /streams), reads it with an
// EventSource (GET /streams/{id}), which reconnects by itself with Last-Event-ID when the
// connection drops; keeps what it got in sessionStorage so that a refresh resumes with
// ?lastEventId= where it was. Text is appended from delta events only, and a resumed
// stream starts after the last event id, so nothing is ever shown twice.
'use strict';

const STORAGE_KEY = 'steer.sample.stream';
const $ = (id) => document.getElementById(id);

let source = null;
let state = null;
// set when the page goes away (a refresh): the connection's end is then not the stream's
let leaving = false;

function save() {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
}

function setStatus(text) {
  $('status').textContent = text;
}

function render() {
  $('answer').textContent = state.answer;
  $('reasoning').textContent = state.reasoning;
  $('reasoning-box').hidden = state.reasoning === '';
  const tools = $('tools');
  tools.replaceChildren(...state.tools.filter(Boolean).map((call) => {
    const item = document.createElement('li');
    item.textContent = (call.name || 'tool') + '(' + call.arguments + ')';
    return item;
  }));
  $('tools-box').hidden = tools.children.length === 0;
  const panel = state.panel;
  $('usage').textContent = panel.usage || '—';
  $('cost').textContent = panel.cost || '—';
  $('ttft').textContent = panel.ttft || '—';
  $('chunks').textContent = panel.chunks || '—';
  $('send').disabled = !state.done;
  $('stop').disabled = state.done;
}

function describeUsage(usage) {
  if (!usage) {
    return null;
  }
  return usage.promptTokens + ' prompt + ' + usage.completionTokens + ' completion = ' + usage.totalTokens
    + ' tokens' + (usage.estimated ? ' (estimated)' : '');
}

function close() {
  if (source) {
    source.close();
    source = null;
  }
}

function connect(url) {
  close();
  setStatus('streaming…');
  const events = new EventSource(url);
  source = events;
  const on = (name, handle) => events.addEventListener(name, (event) => {
    if (event.lastEventId) {
      state.lastEventId = event.lastEventId;
    }
    handle(event.data ? JSON.parse(event.data) : {});
    save();
    render();
  });
  events.onopen = () => setStatus('streaming…');
  on('start', () => {});
  on('progress', () => {});
  on('delta', (delta) => {
    if (delta.kind === 'reasoning') {
      state.reasoning += delta.text;
    }
    else if (delta.kind === 'tool_call') {
      const index = delta.toolCall ? delta.toolCall.index : 0;
      const call = state.tools[index] || (state.tools[index] = { name: null, arguments: '' });
      call.name = call.name || (delta.toolCall && delta.toolCall.name);
      call.arguments += delta.text;
    }
    else {
      state.answer += delta.text;
    }
  });
  on('usage', (usage) => {
    state.panel.usage = describeUsage(usage);
  });
  on('complete', (complete) => {
    state.panel.usage = describeUsage(complete.usage) || state.panel.usage;
    state.panel.cost = (complete.costUsd != null) ? '$' + complete.costUsd.toFixed(6) + ' USD' : 'unknown';
    state.panel.ttft = (complete.ttftMs != null) ? Math.round(complete.ttftMs) + ' ms' : 'no token';
    state.panel.chunks = String(complete.chunks);
  });
  on('stopped', () => {
    state.ending = 'stopped';
  });
  on('done', () => {
    events.close();
    state.done = true;
    setStatus(state.ending || 'done');
  });
  // both the stream's own "error" events (with data) and the connection's errors (none)
  events.addEventListener('error', (event) => {
    if (event instanceof MessageEvent && event.data) {
      if (event.lastEventId) {
        state.lastEventId = event.lastEventId;
      }
      const error = JSON.parse(event.data);
      state.ending = 'error: ' + error.message;
      save();
      return;
    }
    if (state.done || leaving) {
      return;
    }
    if (events.readyState === EventSource.CLOSED) {
      // 204 (expired), 404 (unknown), another answer that is not a stream, or the page
      // going away (Chrome closes the connection before pagehide on a refresh): no retry;
      // not saved, so that a refresh tries once more where it was
      state.done = true;
      setStatus('error: the stream is no longer available');
      render();
    }
    else {
      setStatus('reconnecting…');
    }
  });
}

async function send(event) {
  event.preventDefault();
  close();
  const [model, api] = $('model').value.split('|');
  setStatus('starting…');
  $('send').disabled = true;
  let response;
  try {
    response = await fetch('/streams', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ prompt: $('prompt').value, model: model, api: api || null }),
    });
  }
  catch (ex) {
    setStatus('error: ' + ex.message);
    $('send').disabled = false;
    return;
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    setStatus('error: ' + (problem.detail || response.status));
    $('send').disabled = false;
    return;
  }
  const started = await response.json();
  state = {
    streamId: started.streamId, eventsUrl: started.eventsUrl, lastEventId: null,
    answer: '', reasoning: '', tools: [], panel: {}, done: false, ending: null,
  };
  save();
  render();
  connect(started.eventsUrl);
}

async function stop() {
  if (!state || state.done) {
    return;
  }
  $('stop').disabled = true;
  try {
    await fetch('/streams/' + encodeURIComponent(state.streamId) + '/stop', { method: 'POST' });
  }
  catch (ex) {
    setStatus('error: ' + ex.message);
  }
  // the status becomes "stopped" with the stream's stopped and done events
}

function resume() {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (!stored) {
    return;
  }
  state = JSON.parse(stored);
  render();
  if (state.done) {
    setStatus(state.ending || 'done');
    return;
  }
  const query = state.lastEventId ? '?lastEventId=' + encodeURIComponent(state.lastEventId) : '';
  connect(state.eventsUrl + query);
}

for (const leave of ['beforeunload', 'pagehide']) {
  window.addEventListener(leave, () => {
    leaving = true;
    close();
  });
}
$('ask').addEventListener('submit', send);
$('stop').addEventListener('click', stop);
resume();
