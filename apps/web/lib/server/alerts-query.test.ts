import { describe, expect, it } from 'vitest';
import { alertsQuerySchema } from './alerts.ts';

describe('GET /api/alerts query', () => {
  it('defaults to 100 and accepts 1..1000', () => {
    expect(alertsQuerySchema.parse({})).toEqual({ limit: 100 });
    expect(alertsQuerySchema.parse({ limit: '1' })).toEqual({ limit: 1 });
    expect(alertsQuerySchema.parse({ limit: '1000' })).toEqual({ limit: 1000 });
  });

  it('rejects what is not an integer in range', () => {
    for (const limit of ['0', '1001', '-5', '2.5', 'ten', '']) {
      const r = alertsQuerySchema.safeParse({ limit });
      expect(r.success, limit).toBe(false);
    }
  });
});
