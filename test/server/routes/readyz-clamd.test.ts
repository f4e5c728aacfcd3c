// /readyz with CLAMD_URL: clamd is one of the parts it lists, and its being down makes the process
// unready (uploads would be refused) unless CLAMD_OPTIONAL lets them through unscanned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClamd, type Clamd } from "../clamd";
import { startHarness, type Harness } from "../harness";

let clamd: Clamd;
let required: Harness;
let optional: Harness;

beforeAll(async () => {
  clamd = await startClamd();
  [required, optional] = await Promise.all([
    startHarness({ CLAMD_URL: clamd.socketUrl }),
    startHarness({ CLAMD_URL: clamd.tcpUrl, CLAMD_OPTIONAL: "1" }),
  ]);
});
afterAll(async () => {
  await Promise.all([required.stop(), optional.stop(), clamd.stop()]);
});

async function readiness(h: Harness): Promise<{ status: number; parts: Record<string, string> }> {
  const response = await fetch(`${h.url}/readyz`);
  return { status: response.status, parts: await response.json() };
}

describe("/readyz with CLAMD_URL", () => {
  it("is ready, listing clamd, while clamd answers; once it stops, unready unless CLAMD_OPTIONAL, and says so", async () => {
    for (const h of [required, optional])
      expect(await readiness(h)).toMatchObject({ status: 200, parts: { store: "up", clamd: "up" } });
    expect(required.server.deps.scanner).not.toBeNull();

    await clamd.stop();
    expect(await readiness(required)).toMatchObject({ status: 503, parts: { store: "up", clamd: "down" } });
    expect(await readiness(optional)).toMatchObject({ status: 200, parts: { store: "up", clamd: "down" } });
  });

  it("does not list clamd without CLAMD_URL", async () => {
    const h = await startHarness();
    try {
      expect(h.server.deps.scanner).toBeNull();
      expect((await readiness(h)).parts.clamd).toBeUndefined();
    } finally {
      await h.stop();
    }
  });
});
