import { contractRecord } from '../../../test/support/record-fixtures';
import { isRetentionExpired, retentionExpiresOn } from '../record.state';

describe('retention expiry — R1', () => {
  it('R1: a D10 record formed in 2024 expires on 2035-01-01', () => {
    expect(retentionExpiresOn({ dateFormed: '2024-03-15', retentionClass: 'D10' })).toBe('2035-01-01');
  });

  it('R1: a D30 record formed on the last day of 2024 still counts from 1 January 2025', () => {
    expect(retentionExpiresOn({ dateFormed: '2024-12-31', retentionClass: 'D30' })).toBe('2055-01-01');
    expect(retentionExpiresOn({ dateFormed: '2024-01-01', retentionClass: 'D30' })).toBe('2055-01-01');
  });

  it('R1/R3: a PERMANENT record never expires', () => {
    expect(retentionExpiresOn({ dateFormed: '1950-01-01', retentionClass: 'PERMANENT' })).toBeUndefined();
    expect(
      isRetentionExpired(
        { dateFormed: '1950-01-01', retentionClass: 'PERMANENT' },
        new Date('2999-12-31T00:00:00Z'),
      ),
    ).toBe(false);
  });

  it('R1: retention has expired from the first moment of its expiry date, not before', () => {
    const record = { dateFormed: '2024-03-15', retentionClass: 'D10' as const };
    expect(isRetentionExpired(record, new Date('2034-12-31T23:59:59.999Z'))).toBe(false);
    expect(isRetentionExpired(record, new Date('2035-01-01T00:00:00.000Z'))).toBe(true);
    expect(isRetentionExpired(record, new Date('2040-06-01T00:00:00.000Z'))).toBe(true);
  });

  it('R1: the fixture contract record (D30, formed 2024-03-15) is kept until 2055', () => {
    expect(retentionExpiresOn(contractRecord)).toBe('2055-01-01');
    expect(isRetentionExpired(contractRecord, new Date('2026-03-01T09:00:00Z'))).toBe(false);
  });
});
