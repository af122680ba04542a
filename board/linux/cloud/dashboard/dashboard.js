// The weft dashboard: lays out each device's widgets from the project (GET /api/dashboard), follows every
// change live (Server-Sent Events, GET /api/stream), writes widget changes through the REST API as the phone
// app would, and shows and drives the simulated board through its control channel (POST /api/board/TOKEN).
// Plain browser JavaScript, no library. Served by weft-cloud (board/linux/cloud/dashboard.hpp).
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const CHART_WINDOW_MS = 120000;  // the chart shows up to the last two minutes
const BOARD_POLL_MS = 300;

// ---- The admin key: from the URL weft-cloud printed (#key=...), kept for this tab only ----
function takeKey() {
  const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('weft-key', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname);  // the key leaves the address bar
  }
  return sessionStorage.getItem('weft-key') || '';
}
let key = takeKey();

async function api(path, options = {}) {
  const headers = Object.assign({Authorization: 'Bearer ' + key}, options.headers || {});
  const r = await fetch(path, Object.assign({}, options, {headers, cache: 'no-store'}));
  if (r.status === 401 || r.status === 403) throw Object.assign(new Error((await r.text()).trim()), {auth: true});
  if (!r.ok) throw new Error((await r.text()).trim() || r.statusText);
  return r;
}

// ---- Small DOM helpers ----
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}
function svg(tag, attrs = {}) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
const num = (v, fallback = 0) => { const n = parseFloat(v); return Number.isFinite(n) ? n : fallback; };
const clamp01 = (x) => Math.max(0, Math.min(1, x));

// ---- The phone app's side: writes go through the legacy REST API ----
function write(token, pin, values) {
  const q = (Array.isArray(values) ? values : [values]).map((v) => 'value=' + encodeURIComponent(v)).join('&');
  return api(`/${token}/update/${pin}?${q}`).catch((e) => showError(e));
}

// ---- Widgets: each returns {element, set(values, change)} ----
const widgets = {
  button(w, dev) {
    const b = el('button', {class: 'switch', type: 'button'});
    let on = false;
    const props = () => (dev.properties[w.pin] || {});
    const paint = () => {
      b.classList.toggle('on', on);
      b.textContent = on ? ((props().onLabel || [])[0] || 'ON') : ((props().offLabel || [])[0] || 'OFF');
    };
    if (w.push) {
      const press = (v) => (e) => { e.preventDefault(); on = v === 1; paint(); write(dev.token, w.pin, v); };
      b.addEventListener('pointerdown', press(1));
      b.addEventListener('pointerup', press(0));
    } else {
      b.addEventListener('click', () => { on = !on; paint(); write(dev.token, w.pin, on ? 1 : 0); });
    }
    paint();
    return {element: b, set(v) { on = num(v[0]) !== 0; paint(); }, repaint: paint};
  },
  slider(w, dev) {
    const out = el('span', {class: 'value'}, '–');
    const r = el('input', {type: 'range', min: w.min, max: w.max, step: 1});
    r.addEventListener('input', () => { out.textContent = r.value; });
    r.addEventListener('change', () => write(dev.token, w.pin, r.value));
    return {element: el('div', {}, out, r), set(v) { r.value = num(v[0]); out.textContent = v[0]; }};
  },
  gauge(w) {
    const s = svg('svg', {viewBox: '0 0 120 74', width: 150});
    const arc = 'M10,66 A50,50 0 0 1 110,66';
    const len = Math.PI * 50;
    s.append(svg('path', {d: arc, fill: 'none', stroke: '#2e343c', 'stroke-width': 10}));
    const bar = svg('path', {d: arc, fill: 'none', stroke: '#23c48e', 'stroke-width': 10,
      'stroke-dasharray': `0 ${len}`});
    const t = svg('text', {x: 60, y: 62, 'text-anchor': 'middle', 'font-size': 18});
    t.textContent = '–';
    s.append(bar, t);
    return {element: s, set(v) {
      const f = clamp01((num(v[0]) - w.min) / (w.max - w.min));
      bar.setAttribute('stroke-dasharray', `${f * len} ${len}`);
      t.textContent = v[0];
    }};
  },
  display() {
    const v = el('span', {class: 'value'}, '–');
    return {element: v, set(values) { v.textContent = values.join(' '); }};
  },
  led(w) {
    const s = svg('svg', {viewBox: '0 0 40 40', width: 40});
    const c = svg('circle', {cx: 20, cy: 20, r: 15, fill: '#ffcf3f', stroke: '#2e343c', 'stroke-width': 2});
    s.append(c);
    const set = (v) => { c.setAttribute('fill-opacity', 0.08 + 0.92 * clamp01((num(v[0]) - w.min) / (w.max - w.min))); };
    set(['0']);
    return {element: s, set};
  },
  lcd() {
    const rows = [' '.repeat(16), ' '.repeat(16)];
    const screen = el('div', {class: 'lcd'});
    const paint = () => { screen.textContent = rows.join('\n'); };
    paint();
    return {element: screen, set(v) {
      if (v[0] === 'clr') { rows[0] = rows[1] = ' '.repeat(16); }
      else if (v[0] === 'p' && v.length >= 4) {
        const x = Math.max(0, Math.min(15, num(v[1]))), y = num(v[2]) ? 1 : 0;
        rows[y] = (rows[y].slice(0, x) + v.slice(3).join(' ') + ' '.repeat(16)).slice(0, 16);
      } else { rows[0] = (v.join(' ') + ' '.repeat(16)).slice(0, 16); }
      paint();
    }};
  },
  terminal(w, dev) {
    const screen = el('pre', {});
    const input = el('input', {type: 'text', placeholder: 'type, then Enter', autocomplete: 'off'});
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !input.value) return;
      write(dev.token, w.pin, input.value);
      input.value = '';
    });
    return {element: el('div', {class: 'terminal'}, screen, input), set(v) {
      if (v[0] === 'clr') { screen.textContent = ''; return; }
      const text = v.join(' ');
      screen.textContent += text.endsWith('\n') ? text : text + '\n';
      screen.scrollTop = screen.scrollHeight;
    }};
  },
  chart(w, dev, entry) {
    const points = (entry.history[w.pin] || []).map(([t, v]) => [t, num(v[0])]);
    const s = svg('svg', {viewBox: '0 0 340 100', width: '100%', preserveAspectRatio: 'none'});
    s.append(svg('rect', {x: 0, y: 0, width: 340, height: 100, fill: '#14161a'}));
    const line = svg('polyline', {fill: 'none', stroke: '#23c48e', 'stroke-width': 2});
    const top = svg('text', {x: 4, y: 12, 'font-size': 10}), bottom = svg('text', {x: 4, y: 96, 'font-size': 10});
    top.textContent = w.max; bottom.textContent = w.min;
    s.append(line, top, bottom);
    const paint = () => {
      const now = Date.now();
      while (points.length > 2 && points[1][0] < now - CHART_WINDOW_MS) points.shift();
      // The time axis spans the history there is, up to CHART_WINDOW_MS; each value holds until the next.
      const span = Math.max(5000, Math.min(CHART_WINDOW_MS, points.length ? now - points[0][0] : 0));
      const x = (t) => (340 * clamp01(1 - (now - t) / span)).toFixed(1);
      const y = (v) => (98 - 96 * clamp01((v - w.min) / (w.max - w.min))).toFixed(1);
      const xy = [];
      points.forEach(([t, v], i) => {
        if (i > 0) xy.push(`${x(t)},${y(points[i - 1][1])}`);
        xy.push(`${x(t)},${y(v)}`);
      });
      if (points.length) xy.push(`340,${y(points[points.length - 1][1])}`);
      line.setAttribute('points', xy.join(' '));
    };
    setInterval(paint, 1000);
    paint();
    return {element: s, wide: true, set(v, change) {
      if (change) points.push([change.unix_ms || Date.now(), num(v[0])]);
      paint();
    }};
  },
};
widgets.value = widgets.labeled_value = widgets.display;
widgets.switch = widgets.button;

// ---- Devices ----
const devices = new Map();  // token -> {dev, byPin: Map(pin -> [widget]), stateBadge, board}

function renderDevice(entry) {
  const dev = entry.device;
  const badge = el('span', {class: 'state'});
  const card = el('section', {class: 'device', 'data-token': dev.token},
    el('div', {class: 'device-head'}, el('h2', {}, dev.name), badge));
  const grid = el('div', {class: 'grid'});
  card.append(grid);
  const d = {dev, byPin: new Map(), badge, timer: null};
  for (const w of dev.widgets) {
    const make = widgets[w.type];
    if (!make) continue;  // bridges and other widgets without a face
    const made = make(w, dev, entry);
    const box = el('div', {class: 'widget' + (made.wide ? ' wide' : ''), 'data-type': w.type, 'data-pin': w.pin},
      el('div', {class: 'head'}, el('span', {class: 'label'}, w.label || w.type), el('span', {class: 'pin'}, w.pin)),
      made.element);
    grid.append(box);
    if (!d.byPin.has(w.pin)) d.byPin.set(w.pin, []);
    d.byPin.get(w.pin).push(made);
    if (dev.pins[w.pin]) made.set(dev.pins[w.pin], null);
  }
  if (entry.board) d.timer = renderBoard(card, dev);
  devices.set(dev.token, d);
  setOnline(d, dev.online);
  return card;
}

function setOnline(d, online) {
  d.badge.textContent = online ? 'online' : 'offline';
  d.badge.className = 'state ' + (online ? 'online' : 'offline');
  d.badge.dataset.online = online;
}

// ---- The simulated board: pins, PWM as brightness, the ADC as a knob; inputs through the control channel ----
function renderBoard(card, dev) {
  const pins = el('div', {class: 'pins'});
  const status = el('span', {class: 'label'}, '');
  card.append(el('div', {class: 'board'}, el('h2', {}, 'Simulated ESP8266 ', status), pins));
  const board = (request) => api(`/api/board/${dev.token}`, {method: 'POST', body: JSON.stringify(request)})
    .then((r) => r.json());
  const tiles = new Map();
  let knob = null, busy = false, adcBusy = false;

  function tile(p) {
    const dot = el('div', {class: 'dot'});
    const info = el('div', {}, '');
    const t = el('div', {class: 'gpio', 'data-gpio': p.pin}, `GPIO${p.pin}` + (p.label ? ` ${p.label}` : ''), dot, info);
    if (p.mode === 'in') {  // a button to GND: held while the pointer is down
      const b = el('button', {type: 'button'}, 'press');
      const act = (op) => (e) => { e.preventDefault(); board({op, pin: p.pin}).then(poll); };
      b.addEventListener('pointerdown', act('press'));
      b.addEventListener('pointerup', act('release'));
      b.addEventListener('pointerleave', (e) => { if (e.buttons) act('release')(e); });
      t.append(b);
    }
    pins.append(t);
    return {t, dot, info};
  }
  function makeKnob() {
    const s = svg('svg', {viewBox: '0 0 60 60', width: 60});
    s.append(svg('circle', {cx: 30, cy: 30, r: 24, fill: '#2a3038', stroke: '#8a939e', 'stroke-width': 2}));
    const mark = svg('line', {x1: 30, y1: 30, x2: 30, y2: 10, stroke: '#23c48e', 'stroke-width': 4,
      'stroke-linecap': 'round'});
    s.append(mark);
    const r = el('input', {type: 'range', min: 0, max: 1023, step: 1, 'data-adc': ''});
    const out = el('div', {}, 'A0');
    const show = (v) => { mark.setAttribute('transform', `rotate(${-135 + 270 * v / 1023} 30 30)`); out.textContent = `A0 ${v}`; };
    const send = () => {
      if (adcBusy) return;
      adcBusy = true;
      board({op: 'adc', value: Number(r.value)}).finally(() => { adcBusy = false; });
    };
    r.addEventListener('input', () => { show(Number(r.value)); send(); });
    r.addEventListener('change', () => { adcBusy = false; send(); });
    // Turn the knob itself: drag up/right to raise.
    s.addEventListener('pointerdown', (e) => {
      s.setPointerCapture(e.pointerId);
      const y0 = e.clientY, v0 = Number(r.value);
      const move = (m) => { r.value = Math.max(0, Math.min(1023, v0 + (y0 - m.clientY) * 4)); r.dispatchEvent(new Event('input')); };
      s.addEventListener('pointermove', move);
      s.addEventListener('pointerup', () => { s.removeEventListener('pointermove', move); r.dispatchEvent(new Event('change')); }, {once: true});
    });
    pins.append(el('div', {class: 'adc'}, s, out, r));
    return {r, show};
  }
  function paint(state) {
    status.textContent = state.asleep ? '(asleep)' : state.running ? '' : '(off)';
    for (const p of state.pins) {
      if (!p.label) continue;  // GPIO1/3 are the UART
      if (!tiles.has(p.pin)) tiles.set(p.pin, tile(p));
      const {t, dot, info} = tiles.get(p.pin);
      const pwm = p.pwm_duty >= 0;
      const glow = pwm ? p.pwm_duty / 1023 : p.level;
      dot.style.background = glow > 0 ? `rgba(255, 207, 63, ${0.15 + 0.85 * glow})` : '#333';
      info.textContent = pwm ? `pwm ${p.pwm_duty}` : `${p.mode === 'unconfigured' ? '–' : p.mode} ${p.level ? 'high' : 'low'}`;
      t.dataset.level = p.level;
      t.dataset.pwm = p.pwm_duty;
    }
    if (!knob) knob = makeKnob();
    if (document.activeElement !== knob.r && !adcBusy) { knob.r.value = state.adc; knob.show(state.adc); }
  }
  function poll() {
    if (busy) return Promise.resolve();
    busy = true;
    return board({op: 'state'}).then((s) => { if (s.ok) paint(s); else status.textContent = s.error; })
      .catch((e) => { status.textContent = '(not answering: ' + e.message + ')'; })
      .finally(() => { busy = false; });
  }
  poll();
  return setInterval(poll, BOARD_POLL_MS);
}

// ---- Events and notifications ----
function addEvent(e) {
  const when = new Date(e.unix_ms).toLocaleTimeString();
  const li = el('li', {'data-kind': e.kind}, el('span', {class: 'when'}, when), el('span', {class: 'kind'}, e.kind),
    `${e.device}: ${e.text}` + (e.status && e.status !== 'ok' ? ` (${e.status})` : ''));
  document.getElementById('events').prepend(li);
}

// ---- The live link ----
let stream = null;
function apply(change) {
  const d = devices.get(change.token);
  if (change.kind === 'event' && change.event) addEvent(change.event);
  if (!d) return;
  if (change.kind === 'online' || change.kind === 'offline') setOnline(d, change.kind === 'online');
  if (change.kind === 'value') {
    d.dev.pins[change.pin] = change.value;
    for (const w of d.byPin.get(change.pin) || []) w.set(change.value, change);
  }
  if (change.kind === 'property') {
    (d.dev.properties[change.pin] ||= {})[change.name] = change.value;
    for (const w of d.byPin.get(change.pin) || []) if (w.repaint) w.repaint();
  }
}

function link(up, text) {
  const l = document.getElementById('link');
  l.className = 'link ' + (up ? 'up' : 'down');
  l.textContent = text;
}

function showError(e) {
  if (e.auth) { askKey(e.message); return; }
  link(false, e.message);
}

function askKey(message) {
  const form = document.getElementById('login');
  form.hidden = false;
  document.getElementById('login-error').textContent = key ? message : '';
  form.onsubmit = (ev) => {
    ev.preventDefault();
    key = document.getElementById('key').value.trim();
    sessionStorage.setItem('weft-key', key);
    form.hidden = true;
    start();
  };
}

async function start() {
  if (stream) stream.close();
  for (const d of devices.values()) clearInterval(d.timer);
  devices.clear();
  let snap;
  try {
    snap = await (await api('/api/dashboard')).json();
  } catch (e) {
    showError(e);
    if (!e.auth) setTimeout(start, 2000);
    return;
  }
  const main = document.getElementById('devices');
  main.replaceChildren(...snap.devices.map(renderDevice));
  document.getElementById('events').replaceChildren();
  for (const e of snap.events) addEvent(e);
  stream = new EventSource(`/api/stream?since=${snap.seq}&key=${encodeURIComponent(key)}`);
  stream.onopen = () => link(true, 'live');
  stream.onmessage = (m) => apply(JSON.parse(m.data));
  stream.addEventListener('reset', () => start());
  stream.onerror = () => { link(false, 'reconnecting…'); stream.close(); setTimeout(start, 1000); };
}

if (key) start(); else askKey('');
