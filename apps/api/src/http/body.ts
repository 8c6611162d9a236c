import { BadRequestException, HttpException, HttpStatus, SetMetadata, UnsupportedMediaTypeException } from '@nestjs/common';
import express, { type Request, type Response } from 'express';
import { MAX_JSON_DEPTH } from '#tribunal/contracts';

/**
 * Request bodies are read by the guard, after the caller is authenticated and its role allowed
 * (see ApiKeyGuard), never before: an anonymous or unauthorised request is answered without its
 * body being read into memory or parsed. Most routes take small bodies; the few that take uploads
 * declare a larger limit with `@BodyLimit`, and since their roles are checked first, only callers
 * who may upload get it.
 */
export const BODY_LIMIT_KEY = 'tribunal:body-limit';
/** The limit of every route that declares none. */
export const DEFAULT_BODY_LIMIT = '1mb';
/** Dataset uploads, feature vectors and experiment results. */
export const UPLOAD_BODY_LIMIT = '64mb';

/** The body limit of a route (bytes as body-parser writes them: `1mb`, `64mb`). */
export const BodyLimit = (limit: string): MethodDecorator & ClassDecorator => SetMetadata(BODY_LIMIT_KEY, limit);

const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACE = 0x7d; // }
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether a JSON text nests arrays and objects deeper than `max`, scanned without parsing: brackets
 * inside strings do not count. A malformed text is left for the parser to name.
 */
export function nestsDeeperThan(text: Uint8Array, max: number): boolean {
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      // Jump to the closing quote (most of a body is strings): one not preceded by an odd run of backslashes.
      for (;;) {
        const end = bytes.indexOf(QUOTE, i + 1);
        if (end < 0) return false;
        let slashes = 0;
        while (bytes[end - 1 - slashes] === BACKSLASH) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}

class TooDeep extends Error {
  readonly type = 'entity.too.deep';
}

type Parser = (request: Request, response: Response, next: (error?: unknown) => void) => void;

const parsers = new Map<string, Parser[]>();

function parsersFor(limit: string): Parser[] {
  let found = parsers.get(limit);
  if (!found) {
    const verify = (_request: unknown, _response: unknown, buffer: Buffer) => {
      if (nestsDeeperThan(buffer, MAX_JSON_DEPTH)) throw new TooDeep();
    };
    found = [express.json({ limit, verify }), express.urlencoded({ limit, extended: false })];
    parsers.set(limit, found);
  }
  return found;
}

/** A body-parser error as the HTTP error the client sees, naming the problem. */
function refusal(error: unknown, limit: string): HttpException {
  const failure = error as { type?: string; message?: string; status?: number; charset?: string; encoding?: string };
  switch (failure.type) {
    case 'entity.too.large':
      return new HttpException(`request body too large: this route accepts at most ${limit}`, HttpStatus.PAYLOAD_TOO_LARGE);
    case 'entity.too.deep':
      return new BadRequestException(`JSON body nested too deeply: at most ${MAX_JSON_DEPTH} levels of arrays and objects`);
    case 'entity.parse.failed':
      return new BadRequestException(`malformed JSON body: ${failure.message ?? 'it does not parse'}`);
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException(`unsupported charset "${failure.charset ?? ''}": send UTF-8`);
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeException(`unsupported content encoding "${failure.encoding ?? ''}": send identity, gzip or deflate`);
    case 'request.aborted':
      return new BadRequestException('the request body was cut short');
    case undefined:
    default:
      return new HttpException(
        `could not read the request body: ${failure.message ?? 'unknown error'}`,
        failure.status && failure.status >= 400 && failure.status < 500 ? failure.status : HttpStatus.BAD_REQUEST,
      );
  }
}

/**
 * Reads and parses the body of an authorised request (JSON or URL-encoded; others are left unread),
 * refusing one larger than `limit` with 413 and one nested deeper than MAX_JSON_DEPTH with 400.
 */
export async function readBody(request: Request, response: Response, limit: string): Promise<void> {
  for (const parse of parsersFor(limit)) {
    await new Promise<void>((resolve, reject) => parse(request, response, (error) => (error ? reject(refusal(error, limit)) : resolve())));
  }
}
