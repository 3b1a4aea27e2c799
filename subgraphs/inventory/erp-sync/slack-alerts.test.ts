import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../lib/logger.js';
import { formatAlert, slackAlerts } from './slack-alerts.js';
import type { SyncAlert } from './sync-alert.js';
import { freePort } from '../../../test/support/free-port.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
interface Received {
  contentType: string | undefined;
  body: string;
}

const ALERTS: Record<SyncAlert['kind'], SyncAlert> = {
  failed: { kind: 'failed', jobId: '42', message: 'ERP answered HTTP 503\n    at fetchInventory' },
  'many-changes': { kind: 'many-changes', jobId: '42', itemsChanged: 12_345, threshold: 10_000 },
  slow: { kind: 'slow', jobId: '42', runtimeMs: 903_400, thresholdMs: 900_000 },
  overlap: { kind: 'overlap', runningJobId: '41', runningSince: new Date('2026-11-23T02:00:00.000Z') },
};

/** A pino logger whose lines the test reads back. */
function capturingLogger(): { logger: Logger; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('formatAlert', () => {
  it('says each kind of alert in one line', () => {
    expect(formatAlert(ALERTS.failed)).toBe(':rotating_light: ERP inventory sync 42 failed: ERP answered HTTP 503 at fetchInventory');
    expect(formatAlert(ALERTS['many-changes'])).toBe(':warning: ERP inventory sync 42 changed 12,345 items (alert above 10,000)');
    expect(formatAlert(ALERTS.slow)).toBe(':hourglass: ERP inventory sync 42 has been running 15 min 3 s (alert above 15 min)');
    expect(formatAlert(ALERTS.overlap)).toBe(
      ':no_entry: ERP inventory sync not started: sync 41 has been running since 2026-11-23T02:00:00.000Z',
    );
  });

  it('writes durations in whole hours, minutes and seconds and cuts a long message', () => {
    expect(formatAlert({ kind: 'slow', jobId: '7', runtimeMs: 3_602_000, thresholdMs: 500 })).toBe(
      ':hourglass: ERP inventory sync 7 has been running 1 h 2 s (alert above 0 s)',
    );
    const text = formatAlert({ kind: 'failed', jobId: '7', message: 'x'.repeat(2_000) });
    expect(text.endsWith('x…')).toBe(true);
    expect(text.length).toBeLessThan(600);
  });
});

describe('slackAlerts', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  let received: Received[];
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ contentType: req.headers['content-type'], body });
        handler(req, body, res);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/services/T000/B000/secret-token`;
  });
  beforeEach(() => {
    received = [];
    handler = (_req, _body, res) => res.end('ok');
  });
  afterEach(() => held.splice(0).forEach((res) => res.destroy()));
  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  it('posts each kind of alert as JSON with its text and the channel, and logs it', async () => {
    const { logger, lines } = capturingLogger();
    const alerts = slackAlerts({ webhookUrl: url, logger });
    // send() resolves once Slack has answered, so the server has seen the POST by then.
    for (const alert of Object.values(ALERTS)) await alerts.send(alert);

    expect(received.map((r) => r.contentType)).toEqual(Array(4).fill('application/json'));
    expect(received.map((r) => JSON.parse(r.body))).toEqual(Object.values(ALERTS).map((a) => ({ channel: '#ops-inventory', text: formatAlert(a) })));
    expect(lines.map((l) => [l.level, l.msg])).toEqual(Object.values(ALERTS).map((a) => [a.kind === 'failed' ? 50 : 40, formatAlert(a)]));
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it("escapes what Slack would read as a link or a mention, and leaves the channel out when it is ''", async () => {
    const alerts = slackAlerts({ webhookUrl: url, channel: '', logger: capturingLogger().logger });
    await alerts.send({ kind: 'failed', jobId: '9', message: 'bad row <!channel> & <http://x|y>' });
    expect(JSON.parse(received[0].body)).toEqual({
      text: ':rotating_light: ERP inventory sync 9 failed: bad row &lt;!channel&gt; &amp; &lt;http://x|y&gt;',
    });
  });

  it('logs an error answer once and resolves (never retried)', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 500;
      res.end('rollup_error');
    };
    const { logger, lines } = capturingLogger();
    await expect(slackAlerts({ webhookUrl: url, logger }).send(ALERTS['many-changes'])).resolves.toBeUndefined();
    expect(received).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ level: 50, status: 500, answer: 'rollup_error', alertKind: 'many-changes' });
  });

  it('gives up on a webhook that never answers after timeoutMs, and resolves (never retried)', async () => {
    handler = (_req, _body, res) => void held.push(res);
    const { logger, lines } = capturingLogger();
    await expect(slackAlerts({ webhookUrl: url, timeoutMs: 50, logger }).send(ALERTS.slow)).resolves.toBeUndefined();
    expect(received).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ level: 50, timedOut: true, alertKind: 'slow' });
  });

  it('resolves when nothing listens at the URL', async () => {
    const port = await freePort();
    const { logger, lines } = capturingLogger();
    await expect(slackAlerts({ webhookUrl: `http://127.0.0.1:${port}/hook`, logger }).send(ALERTS.failed)).resolves.toBeUndefined();
    expect(lines.at(-1)).toMatchObject({ level: 50, timedOut: false, alertKind: 'failed' });
  });

  it('only logs without a webhook URL', async () => {
    const { logger, lines } = capturingLogger();
    await slackAlerts({ logger }).send(ALERTS.overlap);
    expect(received).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: formatAlert(ALERTS.overlap), alert: { kind: 'overlap', runningJobId: '41' } });
  });
});
