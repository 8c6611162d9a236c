import type { Readable } from 'node:stream';
import type { Response } from 'express';

/** How long a streamed response may wait on a reader that takes nothing before it is cut (what it holds, a database connection, is freed). */
export const STALLED_READER_MS = 60_000;

/**
 * Writes a stream to the response as it comes, with back-pressure: a slow reader slows the source (and
 * through it the database), not the server's memory. A reader that goes away, or takes nothing for
 * `stalledReaderMs`, ends the response and destroys the source, freeing what it holds. A source
 * that fails before its first byte is answered as an error (thrown to the caller); after it, the
 * response is cut short, so that the reader sees it incomplete, and the error is thrown too.
 */
export function streamTo(response: Response, source: Readable, stalledReaderMs = STALLED_READER_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (response.destroyed) {
      source.destroy();
      resolve();
      return;
    }
    // Flowing, as pipe() does: each chunk is written as it comes, never gathered into a bigger one.
    const onData = (chunk: Buffer | string) => {
      if (!response.write(chunk)) source.pause();
    };
    const onDrain = () => source.resume();
    const onEnd = () => {
      response.end();
      settle();
    };
    // Kept after settling: a source may report an error again while being destroyed.
    const onError = (error: Error) => {
      if (settled) return;
      if (response.headersSent) response.destroy(error);
      settle(error);
    };
    // The reader went away (or was cut for stalling) before the end: there is no one to answer.
    const onClose = () => {
      source.destroy();
      settle();
    };
    let settled = false;
    const settle = (error?: Error) => {
      settled = true;
      source.off('data', onData).off('end', onEnd);
      response.off('drain', onDrain).off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    source.on('data', onData).once('end', onEnd).on('error', onError);
    response.on('drain', onDrain).once('close', onClose);
    response.setTimeout(stalledReaderMs, () => response.destroy());
  });
}
