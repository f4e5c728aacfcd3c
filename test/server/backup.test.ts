// Backups: `hatch backup` taken while visitors write and upload, restored by `hatch restore` into a
// new folder, finds every acknowledged write and names no file it lacks; restore refuses what it
// must; and on PostgreSQL the README's pg_dump/pg_restore lines carry a deployment into a new database.
// Runs once, in the sqlite project: each test picks its engine. Runs build/hatch.js (npm run build).
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar";
import { afterAll, describe, expect, it } from "vitest";
import { backup, restore } from "../../server/backup";
import { loadConfig } from "../../server/config";
import {
  signIn,
  startHarness,
  startInstance,
  visitorSession,
  withoutAutomaticBans,
  type ConsoleClient,
  type Harness,
} from "./harness";
import { runTool } from "./postgres-tools";
import { sharedServicesEnv } from "./shared-services";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hatch-backup-"));
  dirs.push(dir);
  return dir;
}

/** `hatch …` as a process, awaited without blocking this one (the server under test runs here). */
function hatch(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/hatch.js", ...args], { env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, out: out.trim(), err: err.trim() }));
  });
}

/** A write the server answered 201: a message or an upload (file set) in a chat. */
interface Ack {
  conversationId: string;
  messageId: number;
  text: string;
  file: { name: string; bytes: Buffer } | null;
}

const UPLOAD_BYTES = 128 * 1024;
/** Writes per visitor, under the per-address message limit; then another visitor from another address takes over. */
const WRITES_PER_VISITOR = 20;

/**
 * Visitors, one after another from fresh addresses, each writing messages and uploading files in turn
 * until `stop()`; every 201 is pushed onto `acks` as it arrives. `writers` run side by side.
 */
function busyVisitors(h: Harness, writers: number) {
  const acks: Ack[] = [];
  const stopping = new AbortController();
  let visitors = 0;
  async function writer(): Promise<void> {
    while (!stopping.signal.aborted) {
      const n = ++visitors;
      const visitor = await visitorSession(h, { forwardedFor: `10.0.${n >> 8}.${n & 255}` });
      for (let i = 0; i < WRITES_PER_VISITOR && !stopping.signal.aborted; i++) {
        const name = `notes-${n}-${i}.txt`;
        const file =
          i % 2 === 1 ? { name, bytes: Buffer.from(`${name}\n`.repeat(UPLOAD_BYTES / (name.length + 1))) } : null;
        const text = file ? "" : `Message ${i} of visitor ${n}`;
        const response = file
          ? await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
              method: "POST",
              headers: { "x-file-name": name, "content-type": "application/octet-stream" },
              body: file.bytes,
            })
          : await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
              method: "POST",
              json: { text },
            });
        if (response.status !== 201) throw new Error(`write refused: ${response.status} ${await response.text()}`);
        const { id } = (await response.json()) as { id: number };
        acks.push({ conversationId: visitor.conversationId, messageId: id, text, file });
      }
    }
  }
  const running = Promise.all(Array.from({ length: writers }, writer));
  // Seen by stop() or reached(); marked handled so that a refusal is reported there, once.
  running.catch(() => undefined);
  return {
    acks,
    /** Resolves once `count` writes are acknowledged; rejects if the visitors failed first. */
    async reached(count: number): Promise<void> {
      while (acks.length < count) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 10))]);
    },
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

interface StoredMessage {
  id: number;
  text: string;
  file: { id: string; name: string } | null;
}

/** Each chat's messages as the console reads them. */
async function messagesOf(client: ConsoleClient, conversationIds: string[]): Promise<Map<string, StoredMessage[]>> {
  const found = new Map<string, StoredMessage[]>();
  for (const id of new Set(conversationIds)) {
    const answer = await client.fetch(`/api/v1/console/conversations/${id}`);
    found.set(id, answer.status === 200 ? ((await answer.json()) as { messages: StoredMessage[] }).messages : []);
  }
  return found;
}

async function download(client: ConsoleClient, fileId: string): Promise<Buffer> {
  const answer = await client.fetch(`/api/v1/console/files/${fileId}`);
  expect(answer.status).toBe(200);
  return Buffer.from(await answer.arrayBuffer());
}

describe("hatch backup and hatch restore, on SQLite", () => {
  it("back up while chats and uploads are in flight: the restore has every write acknowledged before, and no file it names is missing", async () => {
    const h = await startHarness({ TRUST_PROXY: "loopback" });
    const folder = tempDir();
    const archive = join(folder, "hatch.tar.gz");
    const restored = join(folder, "restored");
    let writes: ReturnType<typeof busyVisitors> | undefined;
    try {
      await withoutAutomaticBans(h);
      writes = busyVisitors(h, 4);
      await writes.reached(20);
      const acknowledgedBefore = writes.acks.length;
      const made = await hatch(["backup", archive], { DATA_DIR: h.server.deps.config.dataDir });
      await writes.stop();
      expect(made.err).toBe("");
      expect(made).toMatchObject({
        status: 0,
        out: expect.stringMatching(/^Backed up the database and \d+ uploaded file/),
      });

      const put = await hatch(["restore", archive], { DATA_DIR: restored });
      expect(put).toMatchObject({ status: 0, out: expect.stringContaining(`into DATA_DIR=${restored}`) });
      const r = await startInstance({ DATA_DIR: restored });
      try {
        const owner = await signIn(r.url, "acme", "owner@acme.test");
        const acks = writes.acks;
        const chats = await messagesOf(
          owner,
          acks.map((ack) => ack.conversationId),
        );
        for (const ack of acks.slice(0, acknowledgedBefore)) {
          const message = chats.get(ack.conversationId)?.find((m) => m.id === ack.messageId);
          expect(message, `message ${ack.messageId} of ${ack.conversationId}`).toMatchObject({ text: ack.text });
          if (ack.file) expect(message!.file?.name).toBe(ack.file.name);
        }
        // Every file the copy names is there with its bytes, acknowledged before the backup or during it.
        const uploads = new Map(acks.flatMap((ack) => (ack.file ? [[ack.file.name, ack.file.bytes] as const] : [])));
        const named = [...chats.values()].flat().flatMap((m) => (m.file ? [m.file] : []));
        expect(named.length).toBeGreaterThanOrEqual(acks.slice(0, acknowledgedBefore).filter((ack) => ack.file).length);
        for (const file of named) expect((await download(owner, file.id)).equals(uploads.get(file.name)!)).toBe(true);
        // And nothing else: no unfinished part, no upload the copied database does not name.
        expect(readdirSync(join(restored, "files")).sort()).toEqual(named.map((file) => file.id).sort());
      } finally {
        await r.stop();
      }
    } finally {
      await writes?.stop();
      await h.stop();
    }
  }, 60_000);

  it("refuses with DATABASE_URL set, and points to pg_dump (exit 2)", async () => {
    const env = { DATABASE_URL: "postgres://hatch@127.0.0.1:1/hatch", REDIS_URL: "redis://127.0.0.1:1" };
    const folder = tempDir();
    for (const command of ["backup", "restore"]) {
      const result = await hatch([command, join(folder, "hatch.tar.gz")], { ...env, DATA_DIR: join(folder, "data") });
      expect(result).toMatchObject({ status: 2, out: "" });
      expect(result.err).toContain("pg_dump --format=custom");
    }
    expect(readdirSync(folder)).toEqual([]);
  });

  it("refuses to restore into a folder that is not empty (exit 2), and leaves it as it was", async () => {
    const source = await smallDeployment();
    const dataDir = tempDir();
    writeFileSync(join(dataDir, "notes.txt"), "mine");
    const result = await hatch(["restore", source.archive], { DATA_DIR: dataDir });
    expect(result.status).toBe(2);
    expect(result.err).toBe(
      `DATA_DIR=${dataDir} is not empty (it holds notes.txt): restore fills an empty folder. Set DATA_DIR to a new folder, or move this one's contents away first.`,
    );
    expect(readdirSync(dataDir)).toEqual(["notes.txt"]);
  });

  it.each([
    ["cut short", (whole: Buffer) => whole.subarray(0, whole.length - 100), "is cut short or damaged"],
    // gzip's trailer holds the checksum of what it packed: a changed byte anywhere fails it.
    ["damaged", (whole: Buffer) => flipByte(whole, whole.length - 6), "is cut short or damaged"],
    ["not an archive", () => Buffer.from("SQLite format 3\0"), "is not an archive hatch backup wrote"],
  ])("refuses an archive %s and writes nothing", async (_, spoil, message) => {
    const source = await smallDeployment();
    const spoilt = join(tempDir(), "spoilt.tar.gz");
    writeFileSync(spoilt, spoil(readFileSync(source.archive)));
    const dataDir = join(tempDir(), "data");
    await expect(restore(loadConfig({ DATA_DIR: dataDir }), spoilt)).rejects.toThrow(message);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it.each([
    [
      "a path out of the folder",
      [
        ["hatch-backup.json", "{}"],
        ["../../escape.txt", "x"],
      ],
    ],
    [
      "an absolute path",
      [
        ["hatch-backup.json", "{}"],
        ["/tmp/hatch-escape.txt", "x"],
      ],
    ],
    [
      "a path that climbs out of files/",
      [
        ["hatch-backup.json", "{}"],
        ["files/../../../escape.txt", "x"],
      ],
    ],
    [
      "an entry outside the layout",
      [
        ["hatch-backup.json", "{}"],
        ["hatch.sqlite-wal", "x"],
      ],
    ],
    ["no manifest first", [["hatch.sqlite", "x"]]],
    ["no database", [["hatch-backup.json", "{}"]]],
    [
      "a manifest of another kind",
      [
        ["hatch-backup.json", '{"format":"other"}'],
        ["hatch.sqlite", "x"],
      ],
    ],
  ] as const)("refuses an archive with %s and writes nothing anywhere", async (_, entries) => {
    const folder = tempDir();
    const dataDir = join(folder, "data");
    const archive = await craft(folder, entries);
    await expect(restore(loadConfig({ DATA_DIR: dataDir }), archive)).rejects.toThrow(
      "is not an archive hatch backup wrote",
    );
    expect(readdirSync(dataDir)).toEqual([]);
    expect(existsSync(join(folder, "escape.txt")) || existsSync("/tmp/hatch-escape.txt")).toBe(false);
  });

  it("refuses an archive holding a link, and does not follow it", async () => {
    const folder = tempDir();
    const dataDir = join(folder, "data");
    const staged = join(folder, "staged");
    mkdirSync(staged);
    writeFileSync(join(staged, "hatch-backup.json"), "{}");
    symlinkSync("/etc/passwd", join(staged, "hatch.sqlite"));
    const archive = join(folder, "link.tar.gz");
    await tar.c({ file: archive, gzip: true, cwd: staged }, ["hatch-backup.json", "hatch.sqlite"]);
    await expect(restore(loadConfig({ DATA_DIR: dataDir }), archive)).rejects.toThrow(
      "is not an archive hatch backup wrote (it holds hatch.sqlite (SymbolicLink))",
    );
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("refuses an archive a newer Hatch wrote, one whose file is shorter than its manifest says, and one whose database is not one", async () => {
    const { folder, unpacked } = await unpackedBackup();
    const manifest = JSON.parse(readFileSync(join(unpacked, "hatch-backup.json"), "utf8"));
    const [fileId] = Object.keys(manifest.files);
    const repack = async (name: string, change: (m: typeof manifest) => void) => {
      const changed = structuredClone(manifest);
      change(changed);
      writeFileSync(join(unpacked, "hatch-backup.json"), JSON.stringify(changed));
      const archive = join(folder, name);
      await tar.c({ file: archive, gzip: true, cwd: unpacked }, [
        "hatch-backup.json",
        "hatch.sqlite",
        `files/${fileId}`,
      ]);
      return archive;
    };
    const newer = await repack("newer.tar.gz", (m) => (m.migration = "9999-from-a-later-hatch"));
    await expect(restore(loadConfig({ DATA_DIR: join(folder, "a") }), newer)).rejects.toThrow(
      "was made by a newer Hatch (its database has migration 9999-from-a-later-hatch",
    );
    const short = await repack("short.tar.gz", (m) => (m.files[fileId!] += 1));
    await expect(restore(loadConfig({ DATA_DIR: join(folder, "b") }), short)).rejects.toThrow(
      `is cut short or damaged (files/${fileId}:`,
    );
    writeFileSync(join(unpacked, "hatch.sqlite"), Buffer.alloc(8192, "x"));
    const garbled = await repack("garbled.tar.gz", () => undefined);
    await expect(restore(loadConfig({ DATA_DIR: join(folder, "c") }), garbled)).rejects.toThrow(
      "holds a damaged database (file is not a database)",
    );
    expect(readdirSync(join(folder, "c"))).toEqual([]);
  });

  it("restores every file private to Hatch (0600 in a 0700 folder), whatever modes the archive carries", async () => {
    const { folder, unpacked } = await unpackedBackup();
    const names = [
      "hatch-backup.json",
      "hatch.sqlite",
      ...readdirSync(join(unpacked, "files")).map((id) => `files/${id}`),
    ];
    // setuid, setgid and world-writable, as a hostile archive could set them.
    for (const name of names) chmodSync(join(unpacked, name), 0o6777);
    const archive = join(folder, "modes.tar.gz");
    await tar.c({ file: archive, gzip: true, cwd: unpacked }, names);
    const dataDir = join(folder, "data");
    await restore(loadConfig({ DATA_DIR: dataDir }), archive);
    const modeOf = (path: string) => statSync(path).mode & 0o7777;
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, "files"))).toBe(0o700);
    const restored = ["hatch.sqlite", ...names.filter((name) => name.startsWith("files/"))];
    expect(restored.map((name) => [name, modeOf(join(dataDir, name))])).toEqual(restored.map((name) => [name, 0o600]));
  });
});

/** A stopped deployment with one chat and one upload, and its backup made by the module. */
async function smallDeployment(): Promise<{ archive: string }> {
  const h = await startHarness();
  try {
    const visitor = await visitorSession(h);
    const uploaded = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
      method: "POST",
      headers: { "x-file-name": "hello.txt", "content-type": "application/octet-stream" },
      body: "hello from a visitor\n",
    });
    expect(uploaded.status).toBe(201);
    const archive = join(tempDir(), "small.tar.gz");
    await backup(h.server.deps.config, archive);
    return { archive };
  } finally {
    await h.stop();
  }
}

/** smallDeployment()'s backup unpacked into `unpacked`, in a folder for the archives a test repacks from it. */
async function unpackedBackup(): Promise<{ folder: string; unpacked: string }> {
  const source = await smallDeployment();
  const folder = tempDir();
  const unpacked = join(folder, "unpacked");
  mkdirSync(unpacked);
  await tar.x({ file: source.archive, cwd: unpacked });
  return { folder, unpacked };
}

function flipByte(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

/** A gzipped tar whose entries have the names given, as a hostile or foreign archive could have them. */
async function craft(folder: string, entries: readonly (readonly [string, string])[]): Promise<string> {
  const staged = join(folder, "staged");
  mkdirSync(staged);
  const names = new Map(entries.map(([name, content], i) => [`${i}`, { name, content }]));
  for (const [file, { content }] of names) writeFileSync(join(staged, file), content);
  const archive = join(folder, "crafted.tar.gz");
  await tar.c(
    {
      file: archive,
      gzip: true,
      cwd: staged,
      onWriteEntry(entry) {
        entry.path = names.get(entry.path)?.name ?? entry.path;
      },
    },
    [...names.keys()],
  );
  return archive;
}

describe("on PostgreSQL, the README's pg_dump and pg_restore lines", () => {
  it("carry a deployment, its chats and files, into a new database", async () => {
    const section = readFileSync("README.md", "utf8")
      .split(/^## /m)
      .find((part) => part.startsWith("Backups and upgrades"));
    const block = [...(section ?? "").matchAll(/```sh\n([\s\S]*?)```/g)]
      .map((match) => match[1]!)
      .find((lines) => lines.includes("pg_dump"));
    expect(block, "the README's PostgreSQL backup lines").toBeDefined();
    const source = await startHarness(await sharedServicesEnv());
    const folder = tempDir();
    const target = await sharedServicesEnv();
    let chat: { id: string; fileId: string };
    try {
      const visitor = await visitorSession(source);
      const written = await visitor.fetch(`/conversations/${visitor.conversationId}/messages`, {
        method: "POST",
        json: { text: "Kept in PostgreSQL" },
      });
      expect(written.status).toBe(201);
      const uploaded = await visitor.fetch(`/conversations/${visitor.conversationId}/files`, {
        method: "POST",
        headers: { "x-file-name": "kept.txt", "content-type": "application/octet-stream" },
        body: "bytes kept in file_chunks\n",
      });
      expect(uploaded.status).toBe(201);
      const [stored] = (await source.server.deps.conversations.messages(visitor.conversationId)).filter((m) => m.file);
      chat = { id: visitor.conversationId, fileId: stored!.file!.id };
      // As an operator runs them, while the server serves, with the two URLs set.
      await runTool("sh", ["-e", "-c", block!], {
        env: { DATABASE_URL: source.env.DATABASE_URL!, NEW_DATABASE_URL: target.DATABASE_URL },
        cwd: folder,
      });
    } finally {
      await source.stop();
    }
    const r = await startInstance(target);
    try {
      const owner = await signIn(r.url, "acme", "owner@acme.test");
      const [messages] = (await messagesOf(owner, [chat.id])).values();
      expect(messages!.map((m) => m.text)).toEqual(["Kept in PostgreSQL", ""]);
      expect((await download(owner, chat.fileId)).toString()).toBe("bytes kept in file_chunks\n");
    } finally {
      await r.stop();
    }
  });
});
