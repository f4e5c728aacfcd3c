// The folders are the architecture (DESIGN.md "Layout"): policy/ imports nothing of the project
// outside itself and nothing of Node; server/, widget/, console/ and loader/ depend on policy/ and
// never on each other; inside server/, the concern folders import only the ones below them
// (SERVER_ORDER); and no module imports itself back through others, type imports included.
// The sources are read as text (source-files.ts).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveModule, sourceFiles, SPECIFIER } from "./source-files";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LAYERS = ["policy", "server", "widget", "console", "loader"] as const;
type Layer = (typeof LAYERS)[number];

/**
 * server/'s concern folders, lowest first: each imports only the folders before it. The modules at
 * server/'s top level are outside the order: the composition (cli, serve, server, app, deps, config,
 * backup) that wires the folders together, and the few small ones every folder uses (ids, log,
 * chat-secret, limits); the cycle check keeps them honest.
 */
const SERVER_ORDER = [
  "networks",
  "http",
  "store",
  "outbox",
  "mail",
  "webhooks",
  "files",
  "screening",
  "realtime",
  "protection",
  "verdict",
  "auth",
  "routes",
];

/**
 * Module → the project modules and the packages it imports, relative to the root; `loaded`: those of
 * them that load with it (a value import, not a type-only or a dynamic one).
 */
type Graph = Map<string, { modules: string[]; packages: string[]; loaded?: string[] }>;

// The statements among those that load "x" with the module: neither `import type` nor `import("x")`.
const LOADED = /^(?:import|export)\s+(?!type\b)(?:[^;]*?\bfrom\s*)?["']([^"']+)["']/gm;

const relativeTo = (path: string | null) => (path === null ? null : relative(ROOT, path));

function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of LAYERS.flatMap((layer) => sourceFiles(join(ROOT, layer)))) {
    const modules: string[] = [];
    const packages: string[] = [];
    const source = readFileSync(file, "utf8");
    // A Vite query (`./worker?worker&inline`) says how to bundle a file, not which file it is.
    const target = (specifier: string) =>
      specifier.startsWith(".")
        ? (relativeTo(resolveModule(file, specifier.replace(/\?.*$/, ""))) ?? `unresolved:${specifier}`)
        : specifier;
    for (const [, specifier] of source.matchAll(SPECIFIER)) {
      if (!specifier) continue;
      (specifier.startsWith(".") ? modules : packages).push(target(specifier));
    }
    const loaded = [...source.matchAll(LOADED)].map(([, specifier]) => target(specifier!));
    graph.set(relative(ROOT, file), { modules, packages, loaded });
  }
  return graph;
}

const layerOf = (module: string): Layer | null => LAYERS.find((layer) => module.startsWith(`${layer}/`)) ?? null;

/** Every import that crosses the layers the design allows, as "from → to". */
function layerCrossings(graph: Graph): string[] {
  const crossings: string[] = [];
  for (const [from, { modules, packages }] of graph) {
    const layer = layerOf(from);
    for (const to of modules) {
      const target = layerOf(to);
      if (target === layer || target === "policy") continue;
      crossings.push(`${from} → ${to}`);
    }
    if (layer === "policy")
      for (const name of packages.filter((p) => p.startsWith("node:"))) crossings.push(`${from} → ${name}`);
  }
  return crossings;
}

const concernOf = (module: string): string | null => /^server\/([^/]+)\//.exec(module)?.[1] ?? null;

/** Every import inside server/ from a concern folder to one at its level or above, as "from → to". */
function upwardImports(graph: Graph): string[] {
  const upward: string[] = [];
  for (const [from, { modules }] of graph) {
    const level = SERVER_ORDER.indexOf(concernOf(from) ?? "");
    if (level < 0) continue;
    for (const to of modules) {
      const target = concernOf(to);
      if (target !== null && target !== concernOf(from) && SERVER_ORDER.indexOf(target) >= level)
        upward.push(`${from} → ${to}`);
    }
  }
  return upward;
}

/** Every cycle, each as the modules on it. */
function cycles(graph: Graph): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (module: string) => {
    state.set(module, "open");
    path.push(module);
    for (const next of graph.get(module)?.modules ?? []) {
      if (state.get(next) === "open") found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(module, "done");
  };
  for (const module of graph.keys()) if (!state.has(module)) visit(module);
  return found;
}

/** The packages that load when `entry` does, through the project modules it loads. */
function packagesLoadedWith(graph: Graph, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (module: string) => {
    if (seen.has(module)) return;
    seen.add(module);
    for (const next of graph.get(module)?.loaded ?? []) visit(next);
  };
  visit(entry);
  return [...seen].filter((name) => !graph.has(name) && !name.startsWith("node:")).sort();
}

describe("the architecture", () => {
  const graph = importGraph();

  it("resolves every project import", () => {
    const unresolved = [...graph].flatMap(([from, { modules }]) =>
      modules.filter((m) => m.startsWith("unresolved:")).map((m) => `${from} → ${m}`),
    );
    expect(unresolved).toEqual([]);
  });

  it("keeps policy/ pure and the other layers apart", () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(layerCrossings(graph)).toEqual([]);
  });

  it("keeps server/'s concern folders in order, each importing only those below it", () => {
    const folders = readdirSync(join(ROOT, "server"), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).sort()).toEqual([...SERVER_ORDER].sort());
    expect(upwardImports(graph)).toEqual([]);
  });

  it("has no import cycles, type imports included", () => {
    expect(cycles(graph)).toEqual([]);
  });

  // cli.ts imports each command's module when it runs: an operator's `hatch user role` answers in a
  // third of the time the whole server's packages took to load, and `--help` loads none.
  it("starts the hatch commands without the server: --help loads no package, the account commands only the store's", () => {
    expect(packagesLoadedWith(graph, "server/cli.ts")).toEqual([]);
    expect(packagesLoadedWith(graph, "server/team-commands.ts")).toEqual(["better-sqlite3", "kysely", "zod/mini"]);
  });

  it("would catch a crossing and a cycle", () => {
    const broken: Graph = new Map([
      ["widget/a.ts", { modules: ["console/b.ts", "policy/c.ts"], packages: [] }],
      ["console/b.ts", { modules: [], packages: [] }],
      ["policy/c.ts", { modules: ["policy/d.ts"], packages: ["node:fs"] }],
      ["policy/d.ts", { modules: ["policy/c.ts"], packages: [] }],
    ]);
    expect(layerCrossings(broken)).toEqual(["widget/a.ts → console/b.ts", "policy/c.ts → node:fs"]);
    expect(cycles(broken)).toEqual([["policy/c.ts", "policy/d.ts", "policy/c.ts"]]);
    const upward: Graph = new Map([
      [
        "server/store/a.ts",
        { modules: ["server/http/b.ts", "server/routes/c.ts", "server/store/d.ts", "server/deps.ts"], packages: [] },
      ],
      ["server/http/b.ts", { modules: ["server/store/a.ts"], packages: [] }],
    ]);
    expect(upwardImports(upward)).toEqual([
      "server/store/a.ts → server/routes/c.ts",
      "server/http/b.ts → server/store/a.ts",
    ]);
  });
});
