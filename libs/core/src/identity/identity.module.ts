import { Module } from '@nestjs/common';
import { AuthService } from './auth.service.js';
import { AuthLimiter } from './auth-limiter.js';

/**
 * Users, API keys and the limit on failed authentications. It builds no live events: the API's gateway
 * has revocations disconnect sockets (`AuthService.onKeysRevoked`).
 */
@Module({ providers: [AuthService, AuthLimiter], exports: [AuthService, AuthLimiter] })
export class IdentityModule {}
