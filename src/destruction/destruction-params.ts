import { BadRequestException, Param, type PipeTransform } from '@nestjs/common';
import type { ErrorResponse } from '../http/error-response';
import { LIST_ID_PATTERN } from './destruction-list.events';

class ListIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!LIST_ID_PATTERN.test(value)) {
      const body: ErrorResponse = {
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Invalid path parameter listId',
        fields: [
          { field: 'listId', problems: ['must be a destruction list id such as XH-20260301-4F2A9C01'] },
        ],
      };
      throw new BadRequestException(body);
    }
    return value;
  }
}

/** `@ListIdParam()` — the `:listId` path parameter, checked to be a destruction list id (400 otherwise). */
export const ListIdParam = (): ParameterDecorator => Param('listId', new ListIdPipe());

/** The `:listId` path parameter, as the OpenAPI document shows it. */
export const LIST_ID_PARAM = {
  name: 'listId',
  example: 'XH-20260301-4F2A9C01',
  description: '销毁清册编号',
} as const;

export const LIST_NOT_FOUND = 'DESTRUCTION_LIST_NOT_FOUND: no such destruction list';
