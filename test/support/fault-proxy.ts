import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to one call instead of passing it through. */
export type Fault = 'throttle' | 'error500' | 'timeout';

export interface FaultProxyOptions {
  /** Where calls go, e.g. DynamoDB Local's `http://127.0.0.1:8000`. */
  target: string;
  /** Share of calls (0..1) that fail; 0 makes a pure pass-through proxy. */
  failureRate?: number;
  /** Which faults to draw from (equally likely); default all three. */
  faults?: Fault[];
  /** Deterministic runs: a seed for the fault draws. */
  seed?: number;
}

export interface CallRecord {
  /** DynamoDB's `X-Amz-Target` operation (e.g. `TransactWriteItems`) or SES's `Action` (e.g. `SendRawEmail`). */
  operation: string;
  fault?: Fault;
  status?: number;
}

export interface FaultProxy {
  url: string;
  calls: CallRecord[];
  /** Change the failure rate while running (e.g. 0 to let a run settle). */
  setFailureRate(rate: number): void;
  /** How many calls of `operation` passed / failed so far. */
  count(operation?: string): { passed: number; failed: number };
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded generator, so a failing fault run can be repeated exactly. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function operationOf(req: IncomingMessage, body: Buffer): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const action = /(?:^|&)Action=([^&]+)/.exec(body.toString('utf8'))?.[1];
  return action ? decodeURIComponent(action) : `${req.method} ${req.url?.split('?')[0]}`;
}

/**
 * A pass-through HTTP proxy in front of DynamoDB (Local) or SES that fails a share of the calls the
 * way AWS does: 400 ThrottlingException, 500 InternalFailure, or a timeout — the call is passed on and
 * takes effect, but its answer never arrives (the connection is cut), the case that tests idempotency.
 * Services under test get its `url` as DYNAMODB_ENDPOINT / SES_ENDPOINT.
 */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const random = seeded(opts.seed ?? 1);
  const faults = opts.faults ?? ['throttle', 'error500', 'timeout'];
  let failureRate = opts.failureRate ?? 0;
  const calls: CallRecord[] = [];
  const isJson = (req: IncomingMessage) => typeof req.headers['x-amz-target'] === 'string';

  const fail = (req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string) => {
    // DynamoDB speaks JSON 1.0, SES the query protocol (XML).
    if (isJson(req)) {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': code });
      res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message }));
    } else {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(`<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`);
    }
  };

  const pass = (req: IncomingMessage, body: Buffer, onAnswer: (status: number, headers: IncomingMessage['headers'], data: Buffer) => void, onError: (err: Error) => void) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => onAnswer(answer.statusCode ?? 502, answer.headers, Buffer.concat(chunks)));
        answer.on('error', onError);
      },
    );
    upstream.on('error', onError);
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record: CallRecord = { operation: operationOf(req, body) };
      calls.push(record);
      const fault = random() < failureRate ? faults[Math.floor(random() * faults.length)] : undefined;
      record.fault = fault;
      if (fault === 'throttle') return fail(req, res, 400, 'ThrottlingException', 'Rate exceeded (fault proxy)');
      if (fault === 'error500') return fail(req, res, 500, 'InternalFailure', 'Internal failure (fault proxy)');
      pass(
        req,
        body,
        (status, headers, data) => {
          record.status = status;
          // A timeout: the call took effect upstream, but the caller never hears back.
          if (fault === 'timeout') return res.socket?.destroy();
          res.writeHead(status, headers);
          res.end(data);
        },
        () => res.socket?.destroy(),
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setFailureRate: (rate) => {
      failureRate = rate;
    },
    count(operation) {
      const of = calls.filter((c) => operation === undefined || c.operation === operation);
      return { passed: of.filter((c) => !c.fault).length, failed: of.filter((c) => c.fault).length };
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
