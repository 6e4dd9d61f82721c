/**
 * Alert channels: DingTalk, WeCom (企业微信) and Feishu (飞书) group-robot webhooks, and a plain JSON webhook.
 * Each robot gets its documented text message shape; the plain webhook gets the structured alert.
 */

export type ChannelKind = 'dingtalk' | 'wecom' | 'feishu' | 'webhook';

export interface AlertChannel {
  kind: ChannelKind;
  /** The robot's webhook address (it carries the robot's token: never logged). */
  url: string;
}

/** One alert message: a short title and the lines of its body, plus machine-readable facts for the JSON webhook. */
export interface Alert {
  /** `dead-letters`, `flow-stalled`, `auth-failures`, `reversals`. */
  type: string;
  title: string;
  lines: string[];
  facts: Record<string, unknown>;
}

/** The request body for `kind`. Pure. */
export function alertPayload(kind: ChannelKind, alert: Alert): Record<string, unknown> {
  const text = [`【${alert.title}】`, ...alert.lines].join('\n');
  switch (kind) {
    case 'dingtalk':
      return { msgtype: 'text', text: { content: text } };
    case 'wecom':
      return { msgtype: 'text', text: { content: text } };
    case 'feishu':
      return { msg_type: 'text', content: { text } };
    case 'webhook':
      return { source: 'jst-kingdee-sync', type: alert.type, title: alert.title, text, facts: alert.facts };
  }
}

/** The channels configured in env (an unset URL = channel off). */
export function alertChannelsFromEnv(env: {
  ALERT_DINGTALK_URL?: string;
  ALERT_WECOM_URL?: string;
  ALERT_FEISHU_URL?: string;
  ALERT_WEBHOOK_URL?: string;
}): AlertChannel[] {
  const out: AlertChannel[] = [];
  if (env.ALERT_DINGTALK_URL) out.push({ kind: 'dingtalk', url: env.ALERT_DINGTALK_URL });
  if (env.ALERT_WECOM_URL) out.push({ kind: 'wecom', url: env.ALERT_WECOM_URL });
  if (env.ALERT_FEISHU_URL) out.push({ kind: 'feishu', url: env.ALERT_FEISHU_URL });
  if (env.ALERT_WEBHOOK_URL) out.push({ kind: 'webhook', url: env.ALERT_WEBHOOK_URL });
  return out;
}

/** Sends `alert` to one channel (POST JSON, 10 s timeout). Throws on a network error or a non-2xx answer. */
export async function sendAlert(channel: AlertChannel, alert: Alert, fetchImpl: typeof fetch = fetch): Promise<void> {
  const res = await fetchImpl(channel.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(alertPayload(channel.kind, alert)),
    signal: AbortSignal.timeout(10_000),
  });
  // Drain the body so the connection is released.
  await res.text().catch(() => '');
  if (!res.ok) throw new Error(`${channel.kind} webhook answered HTTP ${res.status}`);
}
