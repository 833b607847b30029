import { BadRequestException, Param, type PipeTransform } from '@nestjs/common';
import type { ErrorResponse } from '../http/error-response';
import { STOCK_TAKE_ID_PATTERN } from './stock-taking.stream';

class StockTakeIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!STOCK_TAKE_ID_PATTERN.test(value)) {
      const body: ErrorResponse = {
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: 'Invalid path parameter stockTakeId',
        fields: [{ field: 'stockTakeId', problems: ['must be a stock-take id such as ST-2026-0001'] }],
      };
      throw new BadRequestException(body);
    }
    return value;
  }
}

/** `@StockTakeIdParam()` — the `:stockTakeId` path parameter (400 unless it is a stock-take id). */
export const StockTakeIdParam = (): ParameterDecorator => Param('stockTakeId', new StockTakeIdPipe());

export const STOCK_TAKE_ID_PARAM = {
  name: 'stockTakeId',
  example: 'ST-2026-0001',
  description: '清点编号',
} as const;
