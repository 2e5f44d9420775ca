import type { Context, MiddlewareHandler } from 'hono';

/**
 * Caps a request body at `maxBytes`, for a declared Content-Length and for a chunked body alike, and
 * answers `onTooLarge` (a 413) instead. Hono's own bodyLimit reads a chunked body with a reader it
 * keeps locked, so what is left of an over-long body could not be drained and the client saw a reset
 * or, through our drain, a 500. Here the same reader keeps reading (and dropping) up to `drainBytes`,
 * so the client receives the 413; past that bound the connection is simply closed.
 */
export function limitBody(opts: { maxBytes: number; drainBytes: number; onTooLarge: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      if (Number(declared) <= opts.maxBytes) return next();
      await drain(body.getReader(), 0, opts.drainBytes);
      return opts.onTooLarge(c);
    }
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > opts.maxBytes) {
        await drain(reader, size, opts.drainBytes);
        return opts.onTooLarge(c);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks, size) });
    return next();
  };
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number, limit: number) {
  let read = alreadyRead;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > limit) return void (await reader.cancel());
    }
  } catch {
    /* the client went away */
  }
}
