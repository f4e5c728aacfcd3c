// Harmful files under each preset of Live Chat Window → Files: the widget refuses, before any upload,
// what the preset does not allow (by the bytes, whatever the name says), and the server, called
// directly with the same bytes, refuses them too (415) while taking the allowed ones (201).
import { beforeAll, describe, expect, it } from "vitest";
import type { Page, Request } from "playwright-core";
import { DEMO_ACCOUNT } from "../../../demo/presets";
import { FILE_PRESETS, outcomeUnder, SAMPLE_FILES } from "../../../demo/sample-files";
import type { PresetName } from "../../../policy/file-category";
import { readFixture } from "../../fixtures/read";
import {
  chooseVisitor,
  expectChatShown,
  openConsolePage,
  useDemo,
  savePolicy,
  shot,
  signIn,
  startChat,
  visitHost,
} from "./demo-session";

/** The sample files a visitor tries, harmful ones first: PNG-named HTML, SVG with a script, ZIP, shell script, EXE-likes, and a real PNG. */
const TRIED = [
  "html-named-as.png",
  "svg-with-script.svg",
  "fixture.zip",
  "fixture.sh",
  "fixture.exe",
  "exe-named-as.pdf",
  "fixture.png",
] as const;
const FILES = TRIED.map((name) => ({
  name,
  category: SAMPLE_FILES.find((f) => f.name === name)!.category,
  bytes: Buffer.from(readFixture(name)),
}));
/** What the server says first of a refused file whose name claims another kind than its bytes. */
const DISGUISES: Partial<Record<(typeof TRIED)[number], string>> = {
  "html-named-as.png": "html-named-as.png is not an image: it contains a web page. ",
  "exe-named-as.pdf": "exe-named-as.pdf is not a document: it contains a program. ",
};
/** Per preset, one visitor address in the browser and one for the direct API calls: uploads are rate-limited per address. */
const ADDRESSES: Record<PresetName, [string, string]> = {
  safe: ["192.0.2.101", "192.0.2.102"],
  images: ["192.0.2.103", "192.0.2.104"],
  all: ["192.0.2.105", "192.0.2.106"],
};

/** The console's name for each preset (Live Chat Window → Files visitors may send). */
const CONSOLE_LABELS: Record<PresetName, string> = {
  safe: "No harmful files",
  images: "Images only",
  all: "All files",
};

const s = useDemo();
let owner: Page;

beforeAll(async () => {
  owner = await signIn(s, "owner");
  await openConsolePage(owner, "Live Chat Window");
}, 30_000);

/** Picks the preset in the console and saves it. */
async function choosePreset(label: string): Promise<void> {
  await owner.getByRole("radiogroup", { name: "Preset" }).getByRole("radio", { name: label, exact: true }).check();
  await savePolicy(owner);
}

/** A ticket and a conversation for the current visitor, straight from the API through the demo proxy. */
async function apiVisitor(): Promise<(name: string, bytes: Buffer) => Promise<Response>> {
  const origin = s.hostOrigin;
  const base = `${s.demo.urls.proxy}/api/v1/widget/${DEMO_ACCOUNT.id}`;
  const verdict = await (
    await fetch(`${base}/ticket?page=${encodeURIComponent(s.demo.urls.host)}`, { headers: { origin } })
  ).json();
  expect(verdict.show).toBe(true);
  const auth = { origin, authorization: `Bearer ${verdict.ticket}` };
  const started = await fetch(`${base}/conversations`, { method: "POST", headers: auth });
  expect(started.status).toBe(201);
  const { conversation, secret } = await started.json();
  return (name, bytes) =>
    fetch(`${base}/conversations/${conversation.id}/files`, {
      method: "POST",
      headers: { ...auth, "x-chat-secret": secret, "x-file-name": name, "content-type": "application/octet-stream" },
      body: new Uint8Array(bytes),
    });
}

describe.each(FILE_PRESETS.map((preset) => [preset.label, preset.id] as const))(
  'under the preset "%s"',
  (_label, preset) => {
    it(
      "refuses in the widget, before any upload request, every sample file the preset does not allow, and sends the others",
      { timeout: 30_000 },
      async () => {
        await choosePreset(CONSOLE_LABELS[preset]);
        await shot(owner, "harmful-files", `console-preset-${preset}`);
        await chooseVisitor(s, { ip: ADDRESSES[preset][0], country: "DE" });
        const visit = await visitHost(s);
        await expectChatShown(visit);
        const page = visit.page;
        const uploads: Request[] = [];
        page.on("request", (request) => {
          if (
            request.url().startsWith(s.demo.urls.proxy) &&
            /\/conversations\/[^/]+\/files$/.test(new URL(request.url()).pathname)
          )
            uploads.push(request);
        });
        await startChat(page, "I have some files for you");
        for (const file of FILES) {
          const outcome = outcomeUnder(file.category, preset);
          const before = uploads.length;
          await page
            .getByLabel("Attach a file")
            .setInputFiles({ name: file.name, mimeType: "application/octet-stream", buffer: file.bytes });
          if (outcome.sent) {
            await expect
              .poll(() => page.getByRole("log").textContent(), { message: `${file.name} is sent` })
              .toContain(file.name);
            expect(uploads.length).toBe(before + 1);
          } else {
            await expect
              .poll(() => page.getByRole("dialog", { name: "Chat with us" }).getByRole("alert").first().textContent())
              .toContain(outcome.message);
            // Reading the bytes is local: give a wrong upload the time to start, then check none did.
            await page.waitForTimeout(150);
            expect(uploads.length, `${file.name} is not uploaded`).toBe(before);
            expect(await page.getByRole("log").textContent()).not.toContain(file.name);
            if (file === FILES[0]) await shot(page, "harmful-files", `widget-${preset}-refused`);
          }
        }
        await shot(page, "harmful-files", `widget-${preset}-after-all-files`);
        await page.context().close();
      },
    );

    it("refuses on the server, with 415, the same bytes sent to the API directly, and takes the allowed ones with 201", async () => {
      await chooseVisitor(s, { ip: ADDRESSES[preset][1], country: "DE" });
      const upload = await apiVisitor();
      for (const file of FILES) {
        const outcome = outcomeUnder(file.category, preset);
        const answer = await upload(file.name, file.bytes);
        const body = await answer.json();
        expect({ file: file.name, status: answer.status }).toEqual({
          file: file.name,
          status: outcome.sent ? 201 : 415,
        });
        if (outcome.sent) continue;
        expect(body.error.message).toBe((DISGUISES[file.name] ?? "") + outcome.message);
      }
    });
  },
);
