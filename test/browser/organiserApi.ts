/** The organiser's side of a spawned Podium for browser tests: sign in, then call the JSON API. */
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_USER } from '../support/podium-server.ts';

/** Sign the test organiser in on the server at `url`; its bearer token. */
export async function signInOrganiser(url: string): Promise<string> {
  const signIn = await fetch(`${url}/api/auth/organiser`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: TEST_ADMIN_USER, password: TEST_ADMIN_PASSWORD }),
  });
  return ((await signIn.json()) as { token: string }).token;
}

/**
 * A JSON client of the organiser API; `url` and `token` are read at each call (tests set them in
 * beforeAll). A non-2xx answer throws with its status and message.
 */
export function organiserApi(
  url: () => string,
  token: () => string,
): <T>(method: string, path: string, body?: unknown) => Promise<T> {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url()}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as T & { ok: boolean; message?: string };
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.message ?? ''}`);
    return json;
  };
}
