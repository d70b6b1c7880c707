import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { JSON_MEDIA_TYPE, mediaTypeOf, type RequestWithText } from './body.middleware.js';
import { notAnObjectProblem } from './body-checks.js';
import { PROBLEM, ProblemException } from './problem.js';

const OPTIONAL_BODY = 'body:optional';

/** The route's body may be left out (then it is `{}`); a body that is sent is held to the contract all the same. */
export const OptionalBody = () => SetMetadata(OPTIONAL_BODY, true);

/**
 * The contract of every route that takes a `@Body()`: a JSON object, sent as application/json.
 * Another content type is a 415 and anything but an object a 400, instead of the body being
 * dropped and the route running on defaults. Runs after the guard, so only permitted callers
 * learn what a route takes.
 */
@Injectable()
export class BodyContractInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http' && takesBody(context)) {
      const request = context.switchToHttp().getRequest<RequestWithText>();
      const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_BODY, [context.getHandler(), context.getClass()]) ?? false;
      request.body = checkedBody(request, optional);
    }
    return next.handle();
  }
}

function takesBody(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}

function checkedBody(request: RequestWithText, optional: boolean): unknown {
  const sent = (request.rawText ?? '').length > 0;
  if (!sent) {
    if (optional) return {};
    throw notAnObject('the request needs a body: a JSON object');
  }
  const mediaType = mediaTypeOf(request.headers['content-type']);
  if (mediaType !== JSON_MEDIA_TYPE) {
    throw new ProblemException({
      type: PROBLEM.unsupportedMediaType,
      title: 'Unsupported Media Type',
      status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      detail: `send the body as ${JSON_MEDIA_TYPE} (got '${mediaType || 'no Content-Type'}')`,
      accepted: [JSON_MEDIA_TYPE],
    });
  }
  const body: unknown = request.body;
  const problem = notAnObjectProblem(body);
  if (problem) throw notAnObject(problem.message);
  return body as object;
}

const notAnObject = (message: string) => ProblemException.validation([{ path: '', message }], message);
