import { Module } from '@nestjs/common';
import { LiveEventsModule } from '../live-events/live-events.module.js';
import { AuthService } from './auth.service.js';
import { AuthLimiter } from './auth-limiter.js';

/** Users, API keys and the limit on failed authentications. */
@Module({ imports: [LiveEventsModule], providers: [AuthService, AuthLimiter], exports: [AuthService, AuthLimiter] })
export class IdentityModule {}
