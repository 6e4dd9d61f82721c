/**
 * The two static files of the reconciliation page, served by the API (no build step, no inline code, so a strict
 * content security policy holds). The script starts a run from the list page and repairs from a day page: after the
 * repair's resyncs are read and the flow's queue is empty, it reconciles the day again and opens the new result.
 */
export const RECONCILE_JS = `'use strict';
(function () {
  var statusEl = document.getElementById('status');
  function say(text) { if (statusEl) statusEl.textContent = text; }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function api(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) throw new Error(json.message || ('HTTP ' + res.status));
        return json;
      });
    });
  }
  function dayUrl(id, flow, day) { return '/reconcile/' + encodeURIComponent(id) + '/' + encodeURIComponent(flow) + '/' + day; }
  async function waitRun(id) {
    for (;;) {
      var run = await api('GET', '/reconciliations/' + encodeURIComponent(id));
      if (run.state === 'done' || run.state === 'failed') return run;
      say('对账进行中… ' + run.progress.flowsDone + '/' + run.progress.flowsTotal + ' ' + (run.progress.step || ''));
      await sleep(1000);
    }
  }
  async function openResult(run) {
    if (run.state === 'failed') { say('对账失败: ' + (run.error || '')); return; }
    location.href = run.days.length === 1 ? dayUrl(run.id, run.days[0].flow, run.days[0].day) : '/reconcile';
  }
  var form = document.getElementById('start-form');
  if (form) form.addEventListener('submit', async function (e) {
    e.preventDefault();
    var data = new FormData(form);
    var body = { from: data.get('from'), to: data.get('to') };
    if (data.get('flow')) body.flow = data.get('flow');
    try {
      say('已提交…');
      var started = await api('POST', '/reconciliations', body);
      await openResult(await waitRun(started.id));
    } catch (err) { say('出错: ' + err.message); }
  });
  var repair = document.getElementById('repair');
  if (repair) repair.addEventListener('click', async function () {
    var b = document.body.dataset;
    repair.disabled = true;
    try {
      var out = await api('POST', '/reconciliations/' + encodeURIComponent(b.run) + '/repair');
      var ids = out.resyncs.reduce(function (n, r) { return n + r.docIds.length; }, 0);
      say('已重新同步 ' + ids + ' 张单据, ' + out.forPeople.length + ' 项需人工处理; 等待写入金蝶…');
      for (var i = 0; i < out.resyncs.length; i++) {
        for (;;) {
          var rs = await api('GET', '/resync/' + encodeURIComponent(out.resyncs[i].resyncId));
          if (rs.state === 'completed' || rs.state === 'failed') break;
          await sleep(1000);
        }
      }
      for (;;) {
        var flows = await api('GET', '/flows');
        var f = flows.flows.filter(function (x) { return x.name === b.flow; })[0];
        var c = f ? f.counts : {};
        if (!f || ((c.waiting || 0) + (c.active || 0) + (c.delayed || 0) + (c.prioritized || 0)) === 0) break;
        await sleep(1000);
      }
      say('重新对账…');
      var started = await api('POST', '/reconciliations', { flow: b.flow, from: b.day, to: b.day });
      await openResult(await waitRun(started.id));
    } catch (err) { say('出错: ' + err.message); repair.disabled = false; }
  });
})();
`;

export const RECONCILE_CSS = `body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
header { display: flex; justify-content: space-between; padding: 10px 20px; background: #24292f; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 16px 20px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
table { border-collapse: collapse; background: #fff; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 6px 10px; text-align: left; vertical-align: top; font-size: 14px; }
th small, td small { display: block; color: #57606a; font-size: 12px; font-weight: normal; }
td.ok, span.ok, a.ok { background: #dafbe1; color: #116329; }
td.bad, span.bad, a.bad, li.bad { background: #ffebe9; color: #a40e26; }
td.ok a, td.bad a { color: inherit; font-weight: 600; }
td.none { color: #8c959f; }
#verdict { padding: 2px 10px; border-radius: 4px; }
.hint { color: #57606a; font-size: 13px; }
.counts { list-style: none; display: flex; gap: 12px; padding: 0; }
.counts li { background: #fff; border: 1px solid #d0d7de; border-radius: 4px; padding: 4px 10px; }
.lines { margin: 4px 0 0 16px; padding: 0; }
form { display: flex; gap: 12px; align-items: center; margin: 8px 0 16px; flex-wrap: wrap; }
button { background: #1f883d; color: #fff; border: 0; border-radius: 6px; padding: 6px 16px; font-size: 14px; cursor: pointer; }
button:disabled { background: #94d3a2; cursor: wait; }
#status { color: #0969da; }
`;
