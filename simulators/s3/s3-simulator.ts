import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, listen, readBody, type RunningServer } from '../../lib/http/http-server.js';

export interface S3SimulatorOptions {
  /** 0: any free port (read it from `url`). @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The clock stamped on stored objects as their LastModified. @default the wall clock */
  now?: () => Date;
  /**
   * Most keys one ListObjectsV2 page holds, whatever `max-keys` asks: a small
   * value lets a test see a client follow continuation tokens without storing
   * a thousand objects. @default 1000 (S3's own cap)
   */
  pageSize?: number;
  /** Largest object body accepted; a larger PUT gets S3's EntityTooLarge. @default 268435456 (256 MiB) */
  maxObjectBytes?: number;
}

export interface StoredObject {
  body: Buffer;
  lastModified: Date;
}

export interface RunningS3Simulator extends RunningServer {
  /**
   * Every stored object, keyed `<bucket>/<key>`. Live: a test may add objects
   * or age them by editing `lastModified`.
   */
  objects: Map<string, StoredObject>;
}

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** S3 refuses a DeleteObjects naming more keys than this (MalformedXML). */
const DELETE_LIMIT = 1000;

interface Answer {
  status: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * An S3-compatible server for tests and local runs: path-style addressing
 * (`/<bucket>/<key>`) and only the calls the archive store makes: PutObject,
 * GetObject, ListObjectsV2 and DeleteObjects. Any bucket exists; signatures
 * are not checked (any credentials do). Objects live in memory.
 */
export async function startS3Simulator(options: S3SimulatorOptions = {}): Promise<RunningS3Simulator> {
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 1000;
  const maxObjectBytes = options.maxObjectBytes ?? 256 * 1024 * 1024;
  const objects = new Map<string, StoredObject>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://s3');
    const requestId = randomUUID();
    let answer: Answer;
    try {
      answer = await route(req, url);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      answer = error(400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${maxObjectBytes} bytes.`);
      // The rest of the body was never read: this connection cannot carry another request.
      answer.headers = { ...answer.headers, connection: 'close' };
    }
    const body = answer.body ?? '';
    res.writeHead(answer.status, {
      'x-amz-request-id': requestId,
      'content-length': Buffer.byteLength(body),
      ...answer.headers,
    });
    res.end(body);
  };

  const route = async (req: IncomingMessage, url: URL): Promise<Answer> => {
    const [, bucket = '', ...rest] = url.pathname.split('/');
    // Keys may hold `/`: everything after the bucket is the key, each segment URL-encoded.
    const key = rest.map(decodeURIComponent).join('/');
    const q = url.searchParams;
    if (bucket === '') return error(501, 'NotImplemented', 'ListBuckets is not simulated.');
    if (key === '') {
      if (req.method === 'GET' && q.get('list-type') === '2') return listObjects(bucket, q);
      if (req.method === 'POST' && q.has('delete')) return deleteObjects(req, bucket);
    } else {
      if (req.method === 'PUT' && !q.has('uploadId') && req.headers['x-amz-copy-source'] === undefined) return putObject(req, bucket, key);
      if (req.method === 'GET') return getObject(bucket, key);
    }
    return error(501, 'NotImplemented', `${req.method} ${url.pathname}${url.search} is not simulated.`);
  };

  const putObject = async (req: IncomingMessage, bucket: string, key: string): Promise<Answer> => {
    // Room for aws-chunked framing (about 90 bytes a 64 KiB chunk); the decoded size is checked below.
    const raw = await readBody(req, Math.ceil(maxObjectBytes * 1.01) + 4096);
    // An SDK streaming a body with a trailing checksum frames it in aws-chunked encoding.
    const body = isAwsChunked(req) ? decodeAwsChunked(raw) : raw;
    if (body === undefined) return error(400, 'IncompleteBody', 'The aws-chunked body is malformed.');
    if (body.length > maxObjectBytes) throw new BodyTooLargeError(maxObjectBytes);
    objects.set(`${bucket}/${key}`, { body, lastModified: now() });
    return { status: 200, headers: { etag: etagOf(body) } };
  };

  const getObject = (bucket: string, key: string): Answer => {
    const found = objects.get(`${bucket}/${key}`);
    if (!found) return error(404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${xml(key)}</Key>`);
    return {
      status: 200,
      body: found.body,
      headers: {
        'content-type': 'application/octet-stream',
        etag: etagOf(found.body),
        'last-modified': found.lastModified.toUTCString(),
      },
    };
  };

  const listObjects = (bucket: string, q: URLSearchParams): Answer => {
    if (q.has('delimiter')) return error(501, 'NotImplemented', 'ListObjectsV2 with a delimiter is not simulated.');
    const prefix = q.get('prefix') ?? '';
    const token = q.get('continuation-token');
    const askedMax = q.has('max-keys') ? Number(q.get('max-keys')) : 1000;
    if (!Number.isInteger(askedMax) || askedMax < 0) return error(400, 'InvalidArgument', 'max-keys must be a non-negative integer.');
    // The token is the last key already listed (opaque to clients, as S3's are), so keys deleted
    // between pages do not shift the next one.
    let after = q.get('start-after') ?? '';
    if (token !== null) {
      after = Buffer.from(token, 'base64url').toString('utf8');
    }
    const bucketPrefix = `${bucket}/`;
    const keys = [...objects.keys()]
      .filter((k) => k.startsWith(bucketPrefix))
      .map((k) => k.slice(bucketPrefix.length))
      .filter((k) => k.startsWith(prefix) && compareKeys(k, after) > 0)
      .sort(compareKeys);
    const page = keys.slice(0, Math.min(askedMax, pageSize));
    const truncated = page.length < keys.length;
    const urlEncoded = q.get('encoding-type') === 'url';
    const shown = (s: string) => xml(urlEncoded ? encodeURIComponent(s).replaceAll('%2F', '/') : s);
    const contents = page.map((k) => {
      const o = objects.get(`${bucketPrefix}${k}`) as StoredObject;
      return (
        `<Contents><Key>${shown(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified>` +
        `<ETag>${xml(etagOf(o.body))}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
      );
    });
    const last = page.at(-1);
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_NS}">` +
      `<Name>${xml(bucket)}</Name><Prefix>${shown(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
      `<MaxKeys>${askedMax}</MaxKeys>${urlEncoded ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>${truncated}</IsTruncated>` +
      (token !== null ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : '') +
      (truncated && last !== undefined ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>` : '') +
      `${contents.join('')}</ListBucketResult>`;
    return xmlAnswer(200, body);
  };

  const deleteObjects = async (req: IncomingMessage, bucket: string): Promise<Answer> => {
    // S3 insists on an integrity check of this body, in whichever form the client chose.
    const checked =
      req.headers['content-md5'] !== undefined ||
      Object.keys(req.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm');
    if (!checked) return error(400, 'InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
    const raw = await readBody(req);
    const text = (isAwsChunked(req) ? decodeAwsChunked(raw) : raw)?.toString('utf8');
    const objectBlocks = text === undefined || !/<Delete[\s>]/.test(text) ? undefined : [...text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)];
    if (objectBlocks === undefined || objectBlocks.length === 0 || objectBlocks.length > DELETE_LIMIT) {
      return error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
    }
    const keys: string[] = [];
    for (const [, inner] of objectBlocks) {
      const key = /<Key>([\s\S]*?)<\/Key>/.exec(inner as string)?.[1];
      if (key === undefined) return error(400, 'MalformedXML', 'An Object has no Key.');
      keys.push(unxml(key));
    }
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(text as string);
    // As S3 does, a key that was not there counts as deleted.
    for (const key of keys) objects.delete(`${bucket}/${key}`);
    const deleted = quiet ? '' : keys.map((k) => `<Deleted><Key>${xml(k)}</Key></Deleted>`).join('');
    return xmlAnswer(200, `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="${S3_NS}">${deleted}</DeleteResult>`);
  };

  const server = await listen(handle, options.port ?? 0, options.host ?? '127.0.0.1');
  return { ...server, objects };
}

function xmlAnswer(status: number, body: string): Answer {
  return { status, body, headers: { 'content-type': 'application/xml' } };
}

function error(status: number, code: string, message: string, extra = ''): Answer {
  return xmlAnswer(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>${extra}<RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

const etagOf = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;

/** S3 lists keys in UTF-8 byte order, which differs from JS string order past the BMP. */
const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function isAwsChunked(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'] ?? '';
  const sha = req.headers['x-amz-content-sha256'];
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || (typeof sha === 'string' && sha.startsWith('STREAMING-'));
}

/**
 * The payload inside aws-chunked framing (`<hex size>[;chunk-signature=…]\r\n<bytes>\r\n`…,
 * a zero-size chunk, then trailing headers such as the checksum); undefined if malformed.
 */
function decodeAwsChunked(raw: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0] as string, 16);
    if (!Number.isInteger(size) || size < 0) return undefined;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (start + size + 2 > raw.length) return undefined;
    parts.push(raw.subarray(start, start + size));
    at = start + size + 2;
  }
}

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' })[c]};`);
}

function unxml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[entity] as string;
  });
}
