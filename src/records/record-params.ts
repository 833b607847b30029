import { BadRequestException, Param, type PipeTransform } from '@nestjs/common';
import type { ErrorResponse } from '../http/error-response';
import { ARCHIVE_CODE_PATTERN, parseLoanId } from './archive-code';

function badParam(field: string, problem: string): BadRequestException {
  const body: ErrorResponse = {
    statusCode: 400,
    error: 'VALIDATION_FAILED',
    message: `Invalid path parameter ${field}`,
    fields: [{ field, problems: [problem] }],
  };
  return new BadRequestException(body);
}

class ArchiveCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ARCHIVE_CODE_PATTERN.test(value)) {
      throw badParam('code', 'must be an archive code such as Z001-WS-2024-D30-BGS-0007');
    }
    return value;
  }
}

/** A loan id from the path, with the archive code of the record it belongs to. */
export interface LoanRef {
  readonly loanId: string;
  readonly archiveCode: string;
}

class LoanIdPipe implements PipeTransform<string, LoanRef> {
  transform(value: string): LoanRef {
    const parsed = parseLoanId(value);
    if (!parsed) throw badParam('loanId', 'must be a loan id such as Z001-WS-2024-D30-BGS-0007.L1');
    return { loanId: value, archiveCode: parsed.archiveCode };
  }
}

/** `@ArchiveCodeParam()` — the `:code` path parameter, checked to be an archive code (400 otherwise). */
export const ArchiveCodeParam = (): ParameterDecorator => Param('code', new ArchiveCodePipe());

/** `@LoanParam()` — the `:loanId` path parameter, parsed into the loan and its record (400 when malformed). */
export const LoanParam = (): ParameterDecorator => Param('loanId', new LoanIdPipe());
