// Read-only endpoints for the editor on Node-RED's admin API (RED.httpAdmin), each
// behind a read permission (when the runtime has adminAuth, RED.auth checks it).
import type { NodeAPI } from './red';

export interface AdminResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
  /** Sets a response header (Express). */
  set(name: string, value: string): AdminResponse;
  send(body: string): void;
}

type Handler = (req: { params: Record<string, string> }, res: AdminResponse) => void;

interface AdminRuntime {
  httpAdmin?: { get(path: string, ...handlers: unknown[]): void };
  auth?: { needsPermission(permission: string): unknown };
}

/** GET `path` (relative to the editor's root), answered by `handler`, for users with `permission`. */
export function adminGet(RED: NodeAPI, path: string, permission: string, handler: Handler): void {
  const runtime = RED as unknown as AdminRuntime;
  if (!runtime.httpAdmin) return;
  const allowed = runtime.auth?.needsPermission ? runtime.auth.needsPermission(permission) : (_req: unknown, _res: unknown, next: () => void) => next();
  runtime.httpAdmin.get(path, allowed, handler);
}
