/** A running simulator, as far as its admin routes need: where it listens. */
interface Simulator {
  url: string;
}

/** Calls a simulator's admin route with its token; any answer but 2xx is an error. */
export async function adminCall(sim: Simulator, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Business requests a simulator served since its last reset (admin and health not counted). */
export function upstreamCalls(sim: Simulator, token: string): Promise<{ requests: number; byRoute: Record<string, number> }> {
  return adminCall(sim, token, 'GET', '/admin/stats');
}

export async function resetUpstreamCalls(sim: Simulator, token: string): Promise<void> {
  await adminCall(sim, token, 'POST', '/admin/stats/reset');
}

/** Changes some fault knobs (latencyMs, errorRate, garbageRate, outage); the others keep their values. */
export async function setFaults(sim: Simulator, token: string, faults: Record<string, unknown>): Promise<void> {
  await adminCall(sim, token, 'PUT', '/admin/faults', faults);
}
