import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import type { Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { streamTo } from '../../apps/api/src/http/stream-response.js';

/** A source that never ends: 64 KiB chunks for as long as it is read. */
const endless = () =>
  new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024, 'x'));
    },
  });

describe('streaming a response (streamTo)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /**
   * Serves one request by streaming `source()` through streamTo (answering 500 itself when streamTo
   * throws before the first byte); `served` resolves with the source and what streamTo did.
   */
  async function serve(source: () => Readable, stalledReaderMs?: number) {
    let began!: (value: { source: Readable; outcome: Promise<unknown> }) => void;
    const served = new Promise<{ source: Readable; outcome: Promise<unknown> }>((resolve) => (began = resolve));
    server = createServer((_request, response: ServerResponse) => {
      const readable = source();
      const outcome = streamTo(response as Response, readable, stalledReaderMs).then(
        () => 'returned',
        (error: Error) => {
          if (!response.headersSent) response.writeHead(500).end('failed before the first byte');
          return error;
        },
      );
      began({ source: readable, outcome });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, served };
  }

  it('cuts a reader that takes nothing for the stall time, destroying the source', async () => {
    const { url, served } = await serve(endless, 300);
    const began = Date.now();
    // The reader takes the headers and nothing more, and does not look at its socket again.
    const request = get(url, { agent: false }, (response) => response.pause());
    request.on('error', () => undefined);
    const { source, outcome } = await served;
    expect(await outcome).toBe('returned');
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    expect(source.destroyed).toBe(true);
    request.destroy();
  });

  it('destroys the source when the reader goes away', async () => {
    const { url, served } = await serve(endless);
    await new Promise<void>((resolve) => {
      const request = get(url, { agent: false }, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', () => undefined);
    });
    const { source, outcome } = await served;
    expect(await outcome).toBe('returned');
    expect(source.destroyed).toBe(true);
  });

  it('throws a failure before the first byte, leaving the answer to the caller; after it, cuts the response short', async () => {
    const early = await serve(
      () =>
        new Readable({
          read() {
            this.destroy(new Error('no database'));
          },
        }),
    );
    const answered = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      get(early.url, { agent: false }, async (response) => {
        let body = '';
        for await (const chunk of response as AsyncIterable<Buffer>) body += chunk.toString();
        resolve({ status: response.statusCode, body });
      }).on('error', reject);
    });
    expect(answered).toEqual({ status: 500, body: 'failed before the first byte' });
    expect(String(await (await early.served).outcome)).toContain('no database');
    await new Promise((resolve) => server!.close(resolve));

    // Three lines go out; then the source fails.
    const late = await serve(() => {
      const lines = new PassThrough();
      for (let i = 0; i < 3; i++) lines.write('{"seq":"1"}\n');
      setTimeout(() => lines.destroy(new Error('the connection was lost')), 200);
      return lines;
    });
    const cut = await new Promise<{ body: string; complete: boolean }>((resolve) => {
      get(late.url, { agent: false }, (response: IncomingMessage) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('close', () => resolve({ body, complete: response.complete }));
        response.on('error', () => undefined);
      }).on('error', () => undefined);
    });
    expect(cut.complete).toBe(false);
    expect(cut.body).toBe('{"seq":"1"}\n'.repeat(3));
    expect(String(await (await late.served).outcome)).toContain('the connection was lost');
  });
});
