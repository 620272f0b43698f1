'use strict';
// The Onair web page: lists live streams from /api/streams and plays one with mpegts.js (HTTP-FLV), hls.js (HLS) or
// dash.js (MPEG-DASH).
(function () {
  const video = document.getElementById('video');
  const tbody = document.querySelector('#streams tbody');
  const empty = document.getElementById('empty');
  const nowPlaying = document.getElementById('now-playing');
  const status = document.getElementById('status');
  const renditions = document.getElementById('renditions');
  const rendition = document.getElementById('rendition');
  document.querySelectorAll('.host').forEach(e => { e.textContent = location.hostname; });
  let player = null;
  let playing = null;
  const errors = [];

  function stop() {
    renditions.hidden = true;
    rendition.textContent = '';
    if (player) {
      try { player.destroy(); } catch (e) { console.warn(e); }
      player = null;
    }
    video.removeAttribute('src');
    video.load();
  }

  function playFlv(stream, overWebSocket) {
    if (!window.mpegts || !mpegts.isSupported()) {
      nowPlaying.textContent = 'This browser cannot play HTTP-FLV (no Media Source Extensions).';
      return;
    }
    const url = new URL(stream.flv, location.href);
    if (overWebSocket) { url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'; }
    player = mpegts.createPlayer({ type: 'flv', isLive: true, url: url.href },
      { enableStashBuffer: false, liveBufferLatencyChasing: true, lazyLoad: false });
    player.on(mpegts.Events.ERROR, (type, detail) => { nowPlaying.textContent = 'FLV error: ' + type + ' ' + detail; });
    player.attachMediaElement(video);
    player.load();
    const started = player.play();
    if (started && started.catch) { started.catch(e => console.warn(e)); }
  }

  function playHls(stream) {
    const url = new URL(stream.hls, location.href).href;
    if (window.Hls && Hls.isSupported()) {
      player = new Hls({ lowLatencyMode: true });
      player.on(Hls.Events.ERROR, (event, data) => {
        if (data.fatal) {
          nowPlaying.textContent = 'HLS error: ' + data.details;
          errors.push({ code: data.type, message: data.details + ' ' + (data.frag ? data.frag.url : data.url || '')
            + (data.response ? ' (' + data.response.code + ')' : '') });
        }
      });
      player.on(Hls.Events.MANIFEST_PARSED, (event, data) => offerRenditions(player, data.levels));
      player.loadSource(url);
      player.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url;
    } else {
      nowPlaying.textContent = 'This browser cannot play HLS.';
      return;
    }
    const started = video.play();
    if (started && started.catch) { started.catch(e => console.warn(e)); }
  }

  // A multi-variant HLS stream (the renditions of a multitrack publish): Auto lets hls.js switch by bandwidth, or one
  // rendition is picked.
  function offerRenditions(hls, levels) {
    if (levels.length < 2) { return; }
    const auto = document.createElement('option');
    auto.value = '-1';
    auto.textContent = 'Auto';
    rendition.appendChild(auto);
    levels.forEach((level, i) => {
      const option = document.createElement('option');
      option.value = String(i);
      option.textContent = (level.height ? level.width + 'x' + level.height + ' ' : '')
        + Math.round(level.bitrate / 1000) + ' kbit/s';
      rendition.appendChild(option);
    });
    rendition.value = '-1';
    rendition.onchange = () => { hls.currentLevel = Number(rendition.value); };
    renditions.hidden = false;
  }

  function playDash(stream) {
    if (!window.dashjs || !dashjs.supportsMediaSource()) {
      nowPlaying.textContent = 'This browser cannot play DASH (no Media Source Extensions).';
      return;
    }
    player = dashjs.MediaPlayer().create();
    player.on(dashjs.MediaPlayer.events.ERROR, e => {
      const error = e.error || {};
      errors.push({ code: error.code, message: error.message });
      nowPlaying.textContent = 'DASH error: ' + (error.message || error.code);
    });
    player.initialize(video, new URL(stream.dash, location.href).href, true);
  }

  function play(stream, kind) {
    stop();
    playing = { app: stream.app, name: stream.name, kind: kind };
    video.dataset.stream = stream.app + '/' + stream.name;
    video.dataset.kind = kind;
    if (kind === 'hls') {
      playHls(stream);
    } else if (kind === 'dash') {
      playDash(stream);
    } else {
      playFlv(stream, kind === 'ws-flv');
    }
    describe(stream);
  }

  function describe(stream) {
    if (!playing) { return; }
    nowPlaying.textContent = 'Playing ' + playing.app + '/' + playing.name + ' via ' + playing.kind.toUpperCase()
      + (stream ? ' — ' + stream.viewers + ' viewer(s), ' + stream.bitrate + ' kbit/s' : '');
  }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  // "v0 H264 1280x720", "a1 AAC": a track's kind and id, codec and, for video, its picture size when known.
  function trackLabel(t) {
    return t.kind.charAt(0) + t.id + ' ' + t.codec + (t.width ? ' ' + t.width + 'x' + t.height : '');
  }

  function button(td, label, kind, stream) {
    const b = document.createElement('button');
    b.textContent = label;
    b.dataset.kind = kind;
    b.dataset.stream = stream.app + '/' + stream.name;
    b.addEventListener('click', () => play(stream, kind));
    td.appendChild(b);
  }

  function render(streams) {
    tbody.textContent = '';
    empty.hidden = streams.length > 0;
    for (const s of streams) {
      const row = document.createElement('tr');
      cell(row, s.app);
      cell(row, s.name);
      cell(row, s.live ? 'yes' : 'no');
      cell(row, String(s.viewers));
      cell(row, s.bitrate + ' kbit/s');
      cell(row, [s.video, s.audio].filter(Boolean).join(' / '));
      const tracks = cell(row, (s.tracks || []).map(trackLabel).join(', '));
      tracks.className = 'tracks';
      tracks.title = (s.tracks || []).map(t => t.kind + ' track ' + t.id + ': ' + (t.codecs || t.codec)).join('\n');
      const running = (s.exec || []).filter(c => c.state === 'running').length;
      const exec = cell(row, (s.exec || []).length ? running + ' running' : '');
      exec.className = 'exec';
      exec.title = (s.exec || []).map(c => c.kind + ' pid ' + c.pid + ' ' + c.state + ', ' + c.restarts
        + ' restarts: ' + c.command).join('\n');
      const relays = s.relays || [];
      const relay = cell(row, relays.length ? relays.filter(r => r.state === 'live').length + '/' + relays.length
        + ' live' : '');
      relay.className = 'relays';
      relay.title = relays.map(r => r.direction + ' ' + r.url + ': ' + r.state
        + (r.last_error ? ' (' + r.last_error + ')' : '') + ', ' + r.reconnects + ' reconnects').join('\n');
      const td = cell(row, '');
      if (s.flv) { button(td, 'HTTP-FLV', 'flv', s); button(td, 'WS-FLV', 'ws-flv', s); }
      if (s.hls) { button(td, 'HLS', 'hls', s); }
      if (s.dash) { button(td, 'DASH', 'dash', s); }
      tbody.appendChild(row);
      if (playing && playing.app === s.app && playing.name === s.name) { describe(s); }
    }
  }

  async function poll() {
    try {
      const response = await fetch('/api/streams', { cache: 'no-store' });
      render(await response.json());
      status.textContent = '';
    } catch (e) {
      status.textContent = 'server unreachable';
    }
  }

  window.onair = { play: play, stop: stop, errors: errors };
  poll();
  setInterval(poll, 2000);
})();
