import { BadRequestException, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { describeValidationErrors } from '../../../libs/contracts/src/index.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { CONTROLLERS } from './http/controllers.js';
import { DatabaseErrorFilter } from './http/errors.filter.js';
import { DebateGateway } from './socket/debate.gateway.js';

/** The API role: HTTP routes, the OpenAPI document, and the socket.io gateway for judges. */
@Module({
  controllers: CONTROLLERS,
  providers: [
    DebateGateway,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_FILTER, useClass: DatabaseErrorFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        exceptionFactory: (errors) => new BadRequestException(describeValidationErrors(errors)),
      }),
    },
  ],
})
export class ApiModule {}
