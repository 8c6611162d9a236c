import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../../../libs/contracts/src/index.js';
import { AuthLimiter, AuthService, TooManyFailures, type Principal } from '../../../../libs/core/src/index.js';
import { bearerToken, PUBLIC_KEY, ROLES_KEY } from './roles.js';

/** Checks the API key on every HTTP route against the roles the route declares. Fails closed. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly limiter: AuthLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets are authenticated once, when they connect (see DebateGateway).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new ForbiddenException('this route declares no roles');
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; ip?: string; principal?: Principal }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('missing API key: send "Authorization: Bearer <key>"');
    const source = request.ip ?? 'unknown';
    try {
      this.limiter.check(source);
    } catch (error) {
      if (error instanceof TooManyFailures)
        context
          .switchToHttp()
          .getResponse<{ setHeader(n: string, v: string): void }>()
          .setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    const principal = await this.auth.authenticate(token);
    if (!principal) {
      this.limiter.fail(source);
      throw new UnauthorizedException('invalid or revoked API key');
    }
    if (!roles.includes(principal.role)) {
      throw new ForbiddenException(`role ${principal.role} may not call this route; allowed: ${roles.join(', ')}`);
    }
    request.principal = principal;
    return true;
  }
}
