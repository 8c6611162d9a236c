import { Catch, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';

/** Database refusals that are the caller's fault become 4xx with a plain message, not a 500. */
@Catch(QueryFailedError)
export class DatabaseErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: QueryFailedError & { driverError?: { code?: string; detail?: string } }, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const code = error.driverError?.code;
    const [status, message] =
      code === '23505'
        ? [HttpStatus.CONFLICT, `already exists: ${error.driverError?.detail ?? 'a unique value is taken'}`]
        : code === '23503'
          ? [HttpStatus.UNPROCESSABLE_ENTITY, `refers to something that does not exist: ${error.driverError?.detail ?? ''}`]
          : code?.startsWith('22')
            ? [HttpStatus.BAD_REQUEST, `invalid value: ${error.message}`]
            : [HttpStatus.INTERNAL_SERVER_ERROR, 'internal error'];
    if (status === HttpStatus.INTERNAL_SERVER_ERROR) this.logger.error(error);
    response.status(status).json({ statusCode: status, message });
  }
}
