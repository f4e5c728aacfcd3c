// The demo's inspected sample files in Chromium (issue #28), where the owner allows documents and
// archives: the widget sends each (its kind is allowed), the server opens it and refuses a macro
// document, a PDF that runs JavaScript, a ZIP with a program inside and a bomb, each with its reason
// in the visitor's words; the agent sees a line naming why, never a download; a photo is sent and the
// agent downloads it without its GPS position.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { inspectionOutcome, SAMPLE_FILES, sampleFileBytes } from "../../../demo/sample-files";
import { checkFile } from "../../../widget/file-check";
import { enPanel } from "../../../widget/i18n/en-panel";
import { acceptChat, chooseVisitor, consoleApi, shot, signIn, startChat, useDemo, visitHost } from "./demo-session";

const s = useDemo();
const VISITOR = { ip: "192.0.2.120", country: "DE" };
const INSPECTED = SAMPLE_FILES.filter((file) => file.inspection !== undefined);
const PHOTO = "gps.jpg";
/** What the widget tells the visitor, in English, for each refusal the server's inspection gives. */
const TOLD: Record<string, string> = {
  macro: enPanel["file.macro"],
  active_content: enPanel["file.activeContent"],
  archive_content: enPanel["file.archiveContent"],
  archive_bomb: enPanel["file.archiveBomb"],
};

it(
  "refuses what the server finds inside allowed files, and strips a photo's position",
  { timeout: 60_000 },
  async () => {
    const owner = await consoleApi(s, "owner");
    const current = await owner("/api/v1/console/policy");
    const doc = await current.json();
    doc.files = { categories: ["image", "document", "archive", "text"], maxBytes: 10 * 1024 * 1024 };
    // The ZIP with a program inside is refused by the widget itself, from the names in its directory:
    // it never reaches the server, so the agents read no line of it.
    const inWidget: string[] = [];
    for (const file of INSPECTED)
      if (await checkFile(new File([new Uint8Array(sampleFileBytes(file.name)!)], file.name), doc.files))
        inWidget.push(file.name);
    expect(inWidget).toEqual(["exe-inside.zip"]);
    const saved = await owner("/api/v1/console/policy", {
      method: "PUT",
      headers: { "content-type": "application/json", "if-match": current.headers.get("etag")! },
      body: JSON.stringify(doc),
    });
    expect(saved.status).toBe(200);

    await chooseVisitor(s, VISITOR);
    const visit = await visitHost(s);
    const page = visit.page;
    await startChat(page, "Here are my documents");
    const panel = page.getByRole("dialog", { name: "Chat with us" });
    for (const file of INSPECTED) {
      const outcome = inspectionOutcome(file, "safe");
      expect(outcome.refused).toBe(true);
      await page.getByLabel("Attach a file").setInputFiles({
        name: file.name,
        mimeType: "application/octet-stream",
        buffer: Buffer.from(sampleFileBytes(file.name)!),
      });
      await expect.poll(() => panel.getByRole("alert").first().textContent()).toContain(TOLD[file.inspection!]);
      expect(await panel.getByRole("alert").first().textContent()).toContain(file.name);
    }
    await shot(page, "inspected-files", "widget-refused");
    await page
      .getByLabel("Attach a file")
      .setInputFiles({ name: PHOTO, mimeType: "image/jpeg", buffer: Buffer.from(sampleFileBytes(PHOTO)!) });
    await expect.poll(() => panel.getByRole("log").textContent()).toContain(PHOTO);

    const agent = await signIn(s, "agent");
    const chat = await acceptChat(agent, VISITOR.ip, "Here are my documents");
    // The agents read the server's own words, naming the file.
    for (const file of INSPECTED.filter(({ name }) => !inWidget.includes(name))) {
      const outcome = inspectionOutcome(file, "safe");
      await chat.getByText(`The visitor's file was refused: ${outcome.refused ? outcome.message : ""}`).waitFor();
    }
    // A refused file is a line, never a download.
    for (const file of INSPECTED)
      expect(await chat.getByRole("link", { name: new RegExp(file.name.replace(".", "\\.")) }).count()).toBe(0);
    await shot(agent, "inspected-files", "agent-lines");

    // The photo the agent downloads has its orientation and no GPS position.
    const api = await consoleApi(s, "agent");
    const { conversations } = await (await api("/api/v1/console/conversations?status=active")).json();
    const id = conversations.find((c: { visitorIp: string }) => c.visitorIp === VISITOR.ip).id;
    const { messages } = await (await api(`/api/v1/console/conversations/${id}`)).json();
    const photo = messages.find((m: { file: { name: string } | null }) => m.file?.name === PHOTO).file;
    const bytes = Buffer.from(await (await api(`/api/v1/console/files/${photo.id}`)).arrayBuffer());
    const path = join(mkdtempSync(join(tmpdir(), "hatch-photo-")), PHOTO);
    writeFileSync(path, bytes);
    const tags = JSON.parse(execFileSync("/usr/bin/exiftool", ["-j", "-n", path], { encoding: "utf8" }))[0];
    expect(tags.Orientation).toBe(6);
    expect(Object.keys(tags).filter((tag) => tag.startsWith("GPS"))).toEqual([]);
    for (const p of [page, agent]) await p.context().close();
  },
);
