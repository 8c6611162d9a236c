import type { IncomingHttpHeaders } from 'node:http';
import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Application, Express, Request } from 'express';
import type { Role } from '#tribunal/contracts';
import type { Principal } from '#tribunal/core';

export const ROLES_KEY = 'tribunal:roles';
export const PUBLIC_KEY = 'tribunal:public';
export const METRICS_TOKEN_KEY = 'tribunal:metrics-token';

/**
 * The roles allowed to call a route. Every route declares them (or is `@Public()`): the guard refuses
 * a route that declares neither, and the OpenAPI document lists them as `x-roles`.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiExtension('x-roles', roles),
    ApiUnauthorizedResponse({ description: 'missing or invalid API key' }),
    ApiForbiddenResponse({ description: `allowed roles: ${roles.join(', ')}` }),
  );

export const Public = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-roles', []));

/** The route also accepts the metrics scraper's token (TRIBUNAL_METRICS_TOKEN), besides its roles' keys. */
export const AcceptsMetricsToken = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(METRICS_TOKEN_KEY, true), ApiExtension('x-metrics-token', true));

/** The authenticated caller, set by the guard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The client's address, as Express defines it (`req.ip`): the connection's peer or, behind the
 * proxies `trust proxy` names (TRIBUNAL_TRUST_PROXY), the X-Forwarded-For entry added by the nearest
 * hop that is not one of them. HTTP requests and socket handshakes both ask here, so a client's
 * failed authentications count against one address whichever way it comes in.
 */
export function clientAddress(app: Application, peer: string | undefined, headers: IncomingHttpHeaders): string {
  // A request of the app holding only what `ip` reads: Express's own getter, with the app's compiled trust.
  // (Every app has its `request`; the types declare it on the top-level app only.)
  const prototype = (app as Express).request;
  const request = Object.create(prototype, { headers: { value: headers }, socket: { value: { remoteAddress: peer } } }) as Request;
  return request.ip ?? 'unknown';
}
