import { describe, expect, it } from 'vitest';
import { dueSchedules } from '../../src';

const at = (iso: string) => Date.parse(iso);

describe('the one every-minute Cron Trigger', () => {
  it('runs the weekly send on Monday 07:00 UTC, besides the every-minute and hourly jobs', () => {
    expect(dueSchedules('* * * * *', at('2026-11-30T07:00:00.000Z')).sort()).toEqual([
      '* * * * *',
      '*/5 * * * *',
      '0 * * * *',
      '0 7 * * MON',
    ]);
  });

  it('runs the local-hour newsletter job at the start of every hour', () => {
    expect(dueSchedules('* * * * *', at('2026-12-02T13:00:01.000Z')).sort()).toEqual([
      '* * * * *',
      '*/5 * * * *',
      '0 * * * *',
    ]);
    expect(dueSchedules('* * * * *', at('2026-12-02T13:30:00.000Z'))).not.toContain('0 * * * *');
  });

  it('runs the daily retention at 03:30 UTC, even when the trigger fires a few seconds late', () => {
    expect(dueSchedules('* * * * *', at('2026-12-02T03:30:04.250Z')).sort()).toEqual([
      '* * * * *',
      '*/5 * * * *',
      '30 3 * * *',
    ]);
  });

  it('runs only the every-minute job in any other minute', () => {
    expect(dueSchedules('* * * * *', at('2026-11-30T07:01:00.000Z'))).toEqual(['* * * * *']);
    expect(dueSchedules('* * * * *', at('2026-12-01T07:04:00.000Z'))).toEqual(['* * * * *']);
  });

  it('runs the review email every fifth minute, and the weekly send on Mondays only', () => {
    expect(dueSchedules('* * * * *', at('2026-12-01T07:00:00.000Z')).sort()).toEqual([
      '* * * * *',
      '*/5 * * * *',
      '0 * * * *',
    ]);
  });

  it('runs just the named schedule when one is triggered by name, and nothing for an unknown one', () => {
    expect(dueSchedules('0 7 * * MON', at('2026-12-02T12:34:00.000Z'))).toEqual(['0 7 * * MON']);
    expect(dueSchedules('0 8 * * *', at('2026-12-02T08:00:00.000Z'))).toEqual([]);
  });
});
