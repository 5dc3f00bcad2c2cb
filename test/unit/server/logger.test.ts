/** What the process log shows: error codes an operator needs, never a secret. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger.ts';

/** Log one line through a logger writing to memory; the parsed JSON line. */
function logged(fields: object, message = 'x'): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  logger.warn(fields, message);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

describe('logger redaction', () => {
  it("keeps an error's code (regression: ECONNREFUSED was logged as [redacted])", () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    expect(logged({ err })).toMatchObject({ err: { code: 'ECONNREFUSED' } });
    expect(logged({ code: 'EADDRINUSE' })).toMatchObject({ code: 'EADDRINUSE' });
  });

  it('still hides tokens, passwords, access codes and auth headers', () => {
    const line = JSON.stringify(
      logged({
        token: 't-secret',
        password: 'p-secret',
        accessCode: 'a-secret',
        session: { token: 't2-secret' },
        req: { headers: { authorization: 'Bearer h-secret', cookie: 'c-secret' } },
        handshake: { auth: { token: 'hs-secret' } },
      }),
    );
    expect(line).not.toMatch(/secret/);
  });
});
