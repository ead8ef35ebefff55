import { describe, expect, it } from 'vitest';
import { createDatabentoSource, parseSchemas } from './create-databento-source.ts';

describe('createDatabentoSource', () => {
  it('parses DATABENTO_SCHEMAS lists and rejects unknown schemas', () => {
    expect(parseSchemas('mbp-1, status,mbp-1')).toEqual(['mbp-1', 'status']);
    expect(() => parseSchemas('mbp-1,quotes')).toThrow(/unknown Databento schema "quotes"/);
    expect(() => parseSchemas(' , ')).toThrow(/no schema/);
  });

  it('builds a databento source, and refuses a bad gateway override before connecting', () => {
    const src = createDatabentoSource({ apiKey: 'db-unittestapikey1234567890FFFFF', schemas: ['trades'] });
    expect(src.kind).toBe('databento');
    expect(() =>
      createDatabentoSource({
        apiKey: 'db-unittestapikey1234567890FFFFF',
        schemas: ['trades'],
        gateway: 'nope',
      }),
    ).toThrow(/host:port/);
  });

  it('never puts the API key in its errors', () => {
    const key = 'db-secret secretsecretsecret1ABCDE';
    expect(() => createDatabentoSource({ apiKey: key, schemas: ['trades'] })).toThrow(/…ABCDE\)/);
    try {
      createDatabentoSource({ apiKey: key, schemas: ['trades'] });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
  });
});
