// The widget's look from the owner's save to the visitor's verdict: what differs from the defaults
// reaches the config (with the text colour for the accent), and a bad field is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askVerdict, editPolicy, startHarness, type ConsoleClient, type Harness } from "../harness";

const LOOK_FIELDS = ["accent", "onAccent", "position", "offset", "label", "greeting", "teamName", "scheme"];

let h: Harness;
let owner: ConsoleClient;

beforeAll(async () => {
  h = await startHarness();
  owner = await h.login("acme", "owner@acme.test");
});
afterAll(() => h.stop());

async function configOf(route: "verdict" | "ticket" = "verdict") {
  const body = await (await askVerdict(h, { route })).json();
  expect(body.show).toBe(true);
  return body.config as Record<string, unknown>;
}

async function loadPolicy() {
  const response = await owner.fetch("/api/v1/console/policy");
  return { etag: response.headers.get("etag") ?? "", doc: await response.json() };
}

describe("the widget's look in the verdict", () => {
  it("carries a saved look to the widget, with the text colour chosen for the accent", async () => {
    await editPolicy(owner, (doc) => {
      doc.window = {
        away: "messages",
        accent: "#FFD600",
        position: "left",
        offset: [24, 40],
        label: "Questions?",
        greeting: "Hello!\nWe answer within minutes.",
        teamName: "Acme Support",
        scheme: "dark",
      };
    });
    const look = {
      accent: "#ffd600",
      onAccent: "#111111",
      position: "left",
      offset: [24, 40],
      label: "Questions?",
      greeting: "Hello!\nWe answer within minutes.",
      teamName: "Acme Support",
      scheme: "dark",
    };
    expect(await configOf()).toMatchObject(look);
    expect(await configOf("ticket")).toMatchObject(look);
    expect((await loadPolicy()).doc.window.accent).toBe("#ffd600");
  });

  it("leaves out what is at its default, so the config stays small", async () => {
    await editPolicy(owner, (doc) => {
      doc.window = { accent: "#0b57d0", position: "right", offset: [16, 16], label: null, scheme: "auto" };
    });
    const config = await configOf();
    for (const field of LOOK_FIELDS) expect(config, field).not.toHaveProperty(field);
  });

  it('refuses the accent "red" with 400 under the field, and changes neither the policy nor the verdict', async () => {
    await editPolicy(owner, (doc) => {
      doc.window = { accent: "#8e24aa", teamName: "Acme" };
    });
    const before = await loadPolicy();
    const configBefore = await configOf();
    const refused = await owner.fetch("/api/v1/console/policy", {
      method: "PUT",
      json: { ...before.doc, window: { accent: "red", teamName: "Acme Sales" } },
      headers: { "if-match": before.etag },
    });
    expect(refused.status).toBe(400);
    const { error } = await refused.json();
    expect(error.fields).toEqual({ "window.accent": "Accent colour is a hex colour like #0b57d0." });
    expect(await loadPolicy()).toEqual(before);
    const configAfter = await configOf();
    expect({ ...configAfter, visitor: null }).toEqual({ ...configBefore, visitor: null });
    expect(configAfter).toMatchObject({ accent: "#8e24aa", teamName: "Acme" });
  });
});
