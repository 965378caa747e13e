/**
 * The API key lives in this browser's localStorage and travels only in the
 * X-API-Key header, never in a URL (URLs end up in logs and histories).
 */
const STORAGE_KEY = 'image2svg.apiKey';

export function loadApiKey(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function storeApiKey(key: string): void {
  try {
    if (key === '') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage can be disabled (private mode, policies): the key then lasts for this page only.
  }
}
