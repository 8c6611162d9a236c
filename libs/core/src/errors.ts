import type { HttpException } from '@nestjs/common';

/** The message of a domain refusal, as one line, whether it holds one problem or several. */
export function httpErrorMessage(error: HttpException): string {
  const body = error.getResponse();
  const message = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : error.message;
  return Array.isArray(message) ? message.join('; ') : String(message);
}
