import { computed, signal } from '@preact/signals';
import { AuthError, clientFor, type Adsmith } from './api.js';
import { forgetToken, loadToken, saveToken } from './token.js';

/** The token in use (null: the first-run prompt shows). */
export const token = signal<string | null>(loadToken());
/** Why the token prompt is showing again (a refused token), for the prompt to say. */
export const tokenProblem = signal<string | null>(null);

export const client = computed<Adsmith | null>(() => (token.value ? clientFor(token.value) : null));

/** Checks a token against the server (GET /v1/org) and keeps it when accepted; answers the problem otherwise. */
export async function connect(candidate: string): Promise<string | null> {
  const value = candidate.trim();
  if (!value) return 'Paste the API token first.';
  try {
    await clientFor(value).org();
    saveToken(value);
    tokenProblem.value = null;
    token.value = value;
    return null;
  } catch (err) {
    if (err instanceof AuthError) return 'This server does not know that token (401). Copy the whole token from the terminal where npm start runs, or make a new one as shown below.';
    return `Could not check the token: ${(err as Error).message}`;
  }
}

/** Forgets the stored token and shows the prompt again; `problem` says why (a token the server refused). */
export function disconnect(problem: string | null = null): void {
  forgetToken();
  tokenProblem.value = problem;
  token.value = null;
}
