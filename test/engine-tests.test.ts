// The "postgres" project runs a server test again only when its imports reach the module that says which
// engine the run uses (test/engine-tests.ts): that module must be the only one that asks, and a test that
// reaches it through any helper must be found.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENGINE_MODULE, engineTests } from "./engine-tests";
import { sourceFiles } from "./source-files";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("the server tests run on both engines", () => {
  it("are told the engine by one module alone", () => {
    const asking = ["server", "test"]
      .flatMap((folder) => sourceFiles(join(ROOT, folder)))
      .filter(
        (file) => file !== fileURLToPath(import.meta.url) && readFileSync(file, "utf8").includes("HATCH_TEST_STORE"),
      )
      .map((file) => relative(ROOT, file));
    expect(asking).toEqual([ENGINE_MODULE]);
  });

  const onBoth = engineTests();
  it.each([
    ["through the harness's servers", "test/server/routes/conversations.test.ts", true],
    ["importing it for a database of its own", "test/server/routes/visitors.test.ts", true],
    ["of a pure function", "test/server/screening/cards.test.ts", false],
    ["of bytes in a folder of files", "test/server/files/inspection/archives.test.ts", false],
  ])("finds a test %s (%s): %s", (_how, file, found) => {
    expect(onBoth.includes(file)).toBe(found);
  });
});
