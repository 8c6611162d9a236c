import type { Readable } from 'node:stream';
import type { Response } from 'express';

/** How long a streamed response may wait on a reader that takes nothing before it is cut (what it holds, a database connection, is freed). */
export const STALLED_READER_MS = 60_000;

/** Resolves when the response can take more, or has closed. */
function writable(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * Writes a stream to the response as it comes, with back-pressure: a slow reader slows the source (and
 * through it the database), not the server's memory. A reader that goes away, or takes nothing for
 * `stalledReaderMs`, ends the response and destroys the source, freeing what it holds. A source
 * that fails before its first byte is answered as an error (thrown to the caller); after it, the
 * response is cut short, so that the reader sees it incomplete, and the error is thrown too.
 */
export async function streamTo(response: Response, source: Readable, stalledReaderMs = STALLED_READER_MS): Promise<void> {
  const readerGone = () => source.destroy();
  if (response.destroyed) {
    readerGone();
    return;
  }
  response.once('close', readerGone);
  response.setTimeout(stalledReaderMs, () => response.destroy());
  try {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      if (!response.write(chunk)) await writable(response);
      // Leaving the loop destroys the source.
      if (response.destroyed) return;
    }
    response.end();
  } catch (error) {
    // The reader went away: its close destroyed the source, and there is no one to answer.
    if (response.destroyed) return;
    if (response.headersSent) response.destroy(error as Error);
    throw error;
  } finally {
    response.off('close', readerGone);
  }
}
