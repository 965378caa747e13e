import { apiFetch } from './http.js';

/** `GET /api/`: the service's name and versions, shown in the footer. */
export interface ServiceInfo {
  readonly name: string;
  readonly version: string;
  readonly engine_version?: string;
  readonly status?: string;
}

export async function fetchServiceInfo(apiKey: string, signal?: AbortSignal): Promise<ServiceInfo> {
  const response = await apiFetch('/', { apiKey, signal }, { headers: { Accept: 'application/json' } });
  return (await response.json()) as ServiceInfo;
}
