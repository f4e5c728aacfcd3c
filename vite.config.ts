// One Vite config for every browser bundle and for the tests. `vite build --mode loader` builds the
// classic-script loader (one file, no imports, fixed name); `--mode widget` the widget's hashed ES
// modules with a manifest the server reads to name the entry; `--mode console` the console app
// (console/index.html) served at /console/. `npm run build` runs all three.
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import preact from "@preact/preset-vite";
import { engineTests } from "./test/engine-tests";

/** Test files that replace a module with vi.mock. */
const MOCKING_FILES = [
  "test/server/http/metrics-token.test.ts",
  "test/widget/challenge-check.test.tsx",
  "test/widget/languages.test.ts",
];
const WEB_STORAGE_OFF = process.allowedNodeEnvironmentFlags.has("--no-experimental-webstorage")
  ? ["--no-experimental-webstorage"]
  : [];

export default defineConfig(({ mode }) => {
  if (mode === "loader") {
    return {
      build: {
        outDir: "dist",
        emptyOutDir: false,
        target: "es2019",
        lib: { entry: "loader/loader.ts", formats: ["iife"], name: "hatchLoader", fileName: () => "loader.js" },
        minify: true,
      },
    };
  }
  if (mode === "widget") {
    return {
      plugins: [preact()],
      build: {
        outDir: "dist/widget",
        emptyOutDir: true,
        target: "es2020",
        manifest: true,
        modulePreload: false,
        rollupOptions: {
          input: { widget: "widget/main.tsx" },
          // Exports are kept: the loader calls the entry's `mount`.
          preserveEntrySignatures: "exports-only",
          output: {
            entryFileNames: "[name]-[hash].js",
            chunkFileNames: "[name]-[hash].js",
            assetFileNames: "[name]-[hash][extname]",
          },
        },
      },
    };
  }
  if (mode === "console") {
    return {
      plugins: [preact()],
      root: "console",
      base: "/console/",
      build: { outDir: "../dist/console", emptyOutDir: true, target: "es2022" },
    };
  }
  return {
    plugins: [preact()],
    test: {
      environment: "node",
      testTimeout: 20_000,
      // Vitest's default is a worker per core less one: a single worker on a 2-core machine, where
      // test files mostly wait on their servers and Chromium. Two side by side took the server
      // suite from 152 s to 100 s here; four were slower again (111 s), each worker compiling anew.
      maxWorkers: Math.max(availableParallelism(), 2),
      reporters: ["default", "./test/slowest-files.ts"],
      hookTimeout: 30_000,
      // One PostgreSQL and one Redis for the run; each test server takes a database of its own.
      globalSetup: ["test/global-setup.ts"],
      projects: [
        // The server, policy and house tests share their workers' module graph (isolate: false): each
        // file imported the server anew otherwise, a second of every file's time. They keep no state
        // in modules between files (each starts its own server), which the postgres project relies on too.
        // instances.test.ts runs two instances on PostgreSQL and Redis whatever the project: it runs once, there.
        {
          extends: true,
          test: {
            name: "sqlite",
            include: [
              "test/*.test.ts",
              "test/demo/**/*.test.ts",
              "test/deploy/**/*.test.ts",
              "test/policy/**/*.test.ts",
              "test/server/**/*.test.ts",
            ],
            exclude: [
              "test/server/http/metrics-token.test.ts",
              "test/server/instances.test.ts",
              "test/server/realtime/redis-changes.test.ts",
              // .ci/run: the release's pack-and-install (a better-sqlite3 build of its own) runs in npm test's line only.
              ...(process.env.HATCH_NODE_LINE ? ["test/server/release.test.ts"] : []),
            ],
            isolate: false,
          },
        },
        // The widget's and the console's components, a DOM each (happy-dom), in one module graph per
        // worker thread: a fresh graph for each of ~50 files took the project from 26 s to 46 s here,
        // each file importing preact, msw and the components anew. Threads rather than processes: a
        // worker starts for less. Module state the files share is made once (test/console/setup.ts).
        {
          extends: true,
          test: {
            name: "components",
            pool: "threads",
            isolate: false,
            // From Node 25 a localStorage of Node's own, without methods unless given a file, stands where
            // happy-dom's would (vitest#8757): the widget and console are tested with the browser's.
            execArgv: WEB_STORAGE_OFF,
            include: ["test/console/**/*.test.{ts,tsx}", "test/widget/**/*.test.{ts,tsx}"],
            exclude: MOCKING_FILES,
          },
        },
        // The files that mock a module, each in a fresh graph: vi.mock cannot replace a module a shared
        // graph already holds, and its replacement must not reach the next file.
        {
          extends: true,
          test: { name: "isolated", pool: "threads", execArgv: WEB_STORAGE_OFF, include: MOCKING_FILES },
        },
        // End to end: Chromium and Hatch's processes; the graph is shared as in "sqlite" (imports 90 s → 11 s, summed).
        // A poll waits up to 10 s, not Vitest's 1 s: on a loaded machine a first message's round trip
        // through two instances took longer (#24: nothing may depend on the machine's speed).
        {
          extends: true,
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            isolate: false,
            expect: { poll: { timeout: 10_000 } },
          },
        },
        // The server tests again on PostgreSQL and Redis (test/server/harness.ts reads HATCH_TEST_STORE): those
        // whose imports reach it (test/engine-tests.ts), the others run the same in both. cli, start and
        // release run Hatch's own commands over DATA_DIR; they, file-store, db, backup and upgrade test
        // DATABASE_URL themselves.
        {
          extends: true,
          test: {
            name: "postgres",
            include: engineTests(),
            exclude: [
              "test/server/http/metrics-token.test.ts",
              "test/server/cli.test.ts",
              "test/server/start.test.ts",
              "test/server/store/file-store.test.ts",
              "test/server/store/db.test.ts",
              "test/server/release.test.ts",
              "test/server/backup.test.ts",
              "test/server/upgrade.test.ts",
            ],
            env: { HATCH_TEST_STORE: "postgres" },
            isolate: false,
          },
        },
      ],
    },
  };
});
