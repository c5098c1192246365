import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors';
import { HTTP_STATUS, httpStatusOf } from './api';

describe('HTTP status of a reply', () => {
  it('is 200 for an answer', () => {
    expect(httpStatusOf({ ok: true, value: null })).toBe(200);
  });

  it('is 500 for a bug, 404 for what does not exist, 403 for what the network may not do, 400 for the rest', () => {
    const expected: Record<string, number> = { internal: 500, 'not-found': 404, 'unknown-method': 404, unauthorized: 403 };
    for (const code of ErrorCode.options) {
      expect(httpStatusOf({ ok: false, error: { code, message: 'x' } }), code).toBe(expected[code] ?? 400);
    }
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ErrorCode.options].sort());
  });
});
