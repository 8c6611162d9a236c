import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '#tribunal/contracts';
import { errorReply } from '#tribunal/core';

/**
 * Domain refusals, and the database's refusals that are the caller's doing, answered as `errorReply`
 * says (the socket acknowledgements answer alike): `{ statusCode, message }`, with `problems` for
 * invalid input. Any other database failure is a 500 "internal error", logged. Nest's own HTTP
 * exceptions (the guard's 401 and 403, a body too large) keep Nest's answers.
 */
@Catch(DomainError, QueryFailedError)
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: DomainError | QueryFailedError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, ...body } = errorReply(error, (fault) => this.logger.error(fault));
    response.status(status).json({ statusCode: status, ...body });
  }
}
