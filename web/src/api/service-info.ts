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

/** The limits the service enforces, as `GET /api/health` reports them. */
export interface ServiceSettings {
  readonly max_upload_size?: number;
  readonly max_image_dimension?: number;
}

export async function fetchServiceSettings(apiKey: string, signal?: AbortSignal): Promise<ServiceSettings> {
  const response = await apiFetch('/health', { apiKey, signal }, { headers: { Accept: 'application/json' } });
  const body = (await response.json()) as { settings?: ServiceSettings };
  return body.settings ?? {};
}
