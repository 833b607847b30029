import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { FieldProblem } from '../domain-kernel/domain-error';
import type { ErrorResponse } from './error-response';
import { findJsonBodyProblem } from './json-body-checks';

/** Flatten class-validator's nested errors into `[{ field: 'a.b[0].c', problems }]`. */
export function fieldProblems(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    // A missing field gets one plain problem instead of every rule its absent value fails.
    const missing = error.value === undefined || error.value === null;
    const own = error.constraints
      ? [{ field, problems: missing ? [`${field} is required`] : Object.values(error.constraints).reverse() }]
      : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/**
 * DTO validation for every route: unknown fields are refused (not silently dropped), types are
 * converted only where declared, and the 400 names each offending field.
 */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Values are read to tell "missing" from "wrong"; they are never echoed back.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fields = fieldProblems(errors);
      const body: ErrorResponse = {
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: `Invalid request: ${fields.map((f) => f.field).join(', ')}`,
        fields,
      };
      return new BadRequestException(body);
    },
  });
}

/** A JSON body must be an object before its fields can be checked. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw badBody('The request body must be a JSON object', {
          field: 'body',
          problems: ['must be a JSON object'],
        });
      }
      const problem = findJsonBodyProblem(value);
      if (problem) throw badBody(`Invalid request: ${problem.field}`, problem);
      // A DTO without fields (a command that takes none) accepts `{}` and names any field sent;
      // class-validator would refuse even `{}` as an "unknown value" with no field to name.
      if (declaresNoFields(metadata.metatype)) {
        const names = Object.keys(value);
        if (names.length === 0) return value;
        throw new BadRequestException({
          statusCode: 400,
          error: 'VALIDATION_FAILED',
          message: `Invalid request: ${names.join(', ')}. This request takes no fields`,
          fields: names.map((name) => ({ field: name, problems: [`property ${name} should not exist`] })),
        } satisfies ErrorResponse);
      }
    }
    return super.transform(value, metadata);
  }
}

const NOT_VALIDATED: readonly unknown[] = [String, Boolean, Number, Array, Object, Buffer, Date];

/** A DTO class with no validated property at all. */
function declaresNoFields(metatype: ArgumentMetadata['metatype']): boolean {
  if (typeof metatype !== 'function' || NOT_VALIDATED.includes(metatype)) return false;
  return getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).length === 0;
}

function badBody(message: string, problem: FieldProblem): BadRequestException {
  const body: ErrorResponse = { statusCode: 400, error: 'VALIDATION_FAILED', message, fields: [problem] };
  return new BadRequestException(body);
}
