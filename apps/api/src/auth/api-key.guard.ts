import { timingSafeEqual } from 'node:crypto';
import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { TribunalConfig } from '#tribunal/config';
import type { Role } from '#tribunal/contracts';
import { AuthLimiter, AuthService, InjectConfig, type Principal } from '#tribunal/core';
import { BODY_LIMIT_KEY, DEFAULT_BODY_LIMIT, readBody } from '../http/body.js';
import { bearerToken, clientAddress, METRICS_TOKEN_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.js';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks the API key on every HTTP route against the roles the route declares, then reads the
 * request's body: nothing is read or parsed for a caller who is not let in. Fails closed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly limiter: AuthLimiter,
    @InjectConfig() private readonly config: TribunalConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets are authenticated once, when they connect (see DebateGateway).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) await this.authorize(context, request, response);
    await readBody(request, response, this.reflector.getAllAndOverride<string | undefined>(BODY_LIMIT_KEY, targets) ?? DEFAULT_BODY_LIMIT);
    return true;
  }

  private async authorize(context: ExecutionContext, request: Request & { principal?: Principal }, response: Response): Promise<void> {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new ForbiddenException('this route declares no roles');
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('missing API key: send "Authorization: Bearer <key>"');
    // The metrics scraper's token opens the routes that accept it, and nothing else.
    const metricsToken = this.config.metricsToken;
    if (metricsToken && this.reflector.getAllAndOverride<boolean>(METRICS_TOKEN_KEY, targets) && sameSecret(token, metricsToken)) return;
    const principal = await this.auth.authenticate(token);
    if (!principal) {
      // Behind a trusted proxy, the client's address comes from X-Forwarded-For (trust proxy); sockets count the same one.
      const refused = this.limiter.fail(clientAddress(request.app, request.socket.remoteAddress, request.headers));
      if (refused) {
        response.setHeader('Retry-After', String(refused.retryAfterSeconds));
        throw refused;
      }
      throw new UnauthorizedException('invalid or revoked API key');
    }
    if (!roles.includes(principal.role)) {
      throw new ForbiddenException(`role ${principal.role} may not call this route; allowed: ${roles.join(', ')}`);
    }
    request.principal = principal;
  }
}
