/**
 * The API token lives in this browser's localStorage so the playground asks for
 * it once. Storage can be unavailable (private modes, blocked cookies): then the
 * token only lasts for the page.
 */
const KEY = 'adsmith.playground.token';

export function loadToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    localStorage.setItem(KEY, token);
  } catch {
    // Storage refused: the token stays in memory for this page only.
  }
}

export function forgetToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
