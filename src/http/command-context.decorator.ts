import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain-kernel/actor';
import type { CommandContext } from '../command-shell/command-shell';
import type { ErrorResponse } from './error-response';

const KEY_PATTERN = /^[\x21-\x2b\x2d-\x7e]{1,200}$/;

/**
 * Builds the command context from the request: the actor from the verified token (never from the
 * body), correlation from `X-Correlation-Id` (or the request id), and the optional `Idempotency-Key`.
 */
export const CommandContextFrom = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Omit<CommandContext, 'reason'> => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    if (!request.actor) throw new Error('CommandContextFrom used on a route without an authenticated actor');
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const problems: { field: string; problems: string[] }[] = [];
    const idempotencyKey = header('idempotency-key');
    if (idempotencyKey !== undefined && !KEY_PATTERN.test(idempotencyKey)) {
      problems.push({
        field: 'Idempotency-Key',
        problems: ['must be sent once, as 1 to 200 visible ASCII characters without commas'],
      });
    }
    const correlationId = header('x-correlation-id');
    if (correlationId !== undefined && !KEY_PATTERN.test(correlationId)) {
      problems.push({
        field: 'X-Correlation-Id',
        problems: ['must be sent once, as 1 to 200 visible ASCII characters without commas'],
      });
    }
    if (problems.length > 0) {
      const body: ErrorResponse = {
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Invalid request headers',
        fields: problems,
      };
      throw new BadRequestException(body);
    }
    return {
      actor: request.actor,
      correlationId: correlationId ?? String(request.id),
      causationId: String(request.id),
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    };
  },
);
