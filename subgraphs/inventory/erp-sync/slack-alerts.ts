import { request } from 'undici';
import type { Logger } from '../../../lib/logger.js';
import type { SyncAlert, SyncAlerts } from './sync-alert.js';

export interface SlackAlertsOptions {
  /**
   * The Slack incoming-webhook URL alerts are POSTed to. It holds a secret, so
   * it is never logged. Without it, alerts are only logged.
   * @default undefined (log only)
   */
  webhookUrl?: string;
  /**
   * The channel named in each message. Webhooks of a Slack app always post to
   * the channel they were created for and ignore this; legacy webhooks honour
   * it. An empty string leaves it out of the message.
   * @default '#ops-inventory'
   */
  channel?: string;
  /** Deadline for one POST, answer body included. @default 5000 */
  timeoutMs?: number;
  /** Every alert is logged here (error for `failed`, warn otherwise), as are failures to deliver one. */
  logger: Logger;
}

/**
 * The ERP sync's alerts (spec 002) as Slack messages: one line each, POSTed as
 * JSON (`text`, plus `channel`) to an incoming webhook with a deadline of
 * `timeoutMs`. Never retried: a webhook POST is not idempotent, so a retry
 * after a timeout could post the alert twice; the log line is the fallback.
 * Every alert is logged whether or not it is sent, and `send` never rejects:
 * an error answer, a timeout or a network error is logged, not thrown.
 */
export function slackAlerts(options: SlackAlertsOptions): SyncAlerts {
  const { webhookUrl, logger } = options;
  const channel = options.channel ?? '#ops-inventory';
  const timeoutMs = options.timeoutMs ?? 5_000;

  async function post(url: string, alert: SyncAlert, text: string): Promise<void> {
    const body = JSON.stringify(channel ? { channel, text: slackEscape(text) } : { text: slackEscape(text) });
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read the body even when it is not needed, so the socket is freed; Slack names the problem in it.
      const answer = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        logger.error({ alertKind: alert.kind, status: response.statusCode, answer: answer.slice(0, 200) }, 'Slack did not accept the ERP sync alert (not retried)');
      }
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      logger.error({ err, alertKind: alert.kind, timedOut, timeoutMs }, 'Slack alert for the ERP sync not delivered (not retried)');
    }
  }

  return {
    async send(alert) {
      try {
        const text = formatAlert(alert);
        if (alert.kind === 'failed') logger.error({ alert }, text);
        else logger.warn({ alert }, text);
        if (webhookUrl) await post(webhookUrl, alert, text);
      } catch (err) {
        // Only a malformed alert (an invalid date) gets here; the sync must not fail for it.
        logger.error({ err, alertKind: alert.kind }, 'ERP sync alert could not be formatted');
      }
    },
  };
}

/** One alert as the one line Slack shows (before Slack's escaping). */
export function formatAlert(alert: SyncAlert): string {
  switch (alert.kind) {
    case 'failed':
      return `:rotating_light: ERP inventory sync ${alert.jobId} failed: ${oneLine(alert.message)}`;
    case 'many-changes':
      return `:warning: ERP inventory sync ${alert.jobId} changed ${count(alert.itemsChanged)} items (alert above ${count(alert.threshold)})`;
    case 'slow':
      return `:hourglass: ERP inventory sync ${alert.jobId} has been running ${duration(alert.runtimeMs)} (alert above ${duration(alert.thresholdMs)})`;
    case 'overlap':
      return `:no_entry: ERP inventory sync not started: sync ${alert.runningJobId} has been running since ${alert.runningSince.toISOString()}`;
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/** Whole hours, minutes and seconds, zeros left out: `15 min 3 s`, `1 h 2 s`, `0 s`. */
function duration(ms: number): string {
  const total = Math.floor(ms / 1_000);
  const parts = [
    [Math.floor(total / 3_600), 'h'],
    [Math.floor((total % 3_600) / 60), 'min'],
    [total % 60, 's'],
  ] as const;
  const said = parts.filter(([n]) => n !== 0).map(([n, unit]) => `${n} ${unit}`);
  return said.length ? said.join(' ') : '0 s';
}

// An error message may hold a stack or a whole response body; the alert stays one readable line.
function oneLine(s: string, max = 500): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

// Slack reads <…> as links and mentions (`<!channel>`), so an error message must not be taken for one.
const slackEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
