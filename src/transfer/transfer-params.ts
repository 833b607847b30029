import { BadRequestException, Param, type PipeTransform } from '@nestjs/common';
import type { ErrorResponse } from '../http/error-response';
import { TRANSFER_ID_PATTERN } from './transfer.stream';

class TransferIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!TRANSFER_ID_PATTERN.test(value)) {
      const body: ErrorResponse = {
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Invalid path parameter transferId',
        fields: [{ field: 'transferId', problems: ['must be a transfer list id such as TR-2026-0001'] }],
      };
      throw new BadRequestException(body);
    }
    return value;
  }
}

/** `@TransferIdParam()` — the `:transferId` path parameter (400 unless it is a transfer list id). */
export const TransferIdParam = (): ParameterDecorator => Param('transferId', new TransferIdPipe());

export const TRANSFER_ID_PARAM = {
  name: 'transferId',
  example: 'TR-2026-0001',
  description: '移交清册编号',
} as const;
