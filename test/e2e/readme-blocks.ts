// The README's examples as an operator copies them: the fenced block under a heading, and the few
// substitutions a test may make in it (certificate paths, ports), each required to still apply.

import { readFileSync } from "node:fs";

const README = new URL("../../README.md", import.meta.url);

/**
 * The first block fenced as ```` ```lang ```` after the line `heading` of README.md, without its fences.
 * @example readmeBlock("### nginx", "nginx") → "server {\n    listen 80;\n…"
 */
export function readmeBlock(heading: string, lang: string): string {
  const text = readFileSync(README, "utf8");
  const at = text.split("\n").indexOf(heading);
  if (at === -1) throw new Error(`README.md has no line "${heading}".`);
  const after = text.split("\n").slice(at + 1);
  const open = after.indexOf("```" + lang);
  const close = after.indexOf("```", open + 1);
  if (open === -1 || close === -1) throw new Error(`README.md has no \`\`\`${lang} block under "${heading}".`);
  return after.slice(open + 1, close).join("\n") + "\n";
}

/** The NAME=value lines of a shell block, as an environment; comments and blank lines are skipped. */
export function environmentOf(block: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of block.split("\n")) {
    const assignment = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (assignment) env[assignment[1]!] = assignment[2]!;
  }
  return env;
}

/** `text` with every match of each pattern replaced; throws when one matches nothing, so a README edit cannot slip past. */
export function substitute(text: string, replacements: [pattern: RegExp, by: string][]): string {
  let result = text;
  for (const [pattern, by] of replacements) {
    if (!pattern.global) throw new Error(`${pattern} must be global: every occurrence is replaced.`);
    if (!result.match(pattern)) throw new Error(`The README's block no longer has ${pattern}:\n${text}`);
    result = result.replace(pattern, by);
  }
  return result;
}
