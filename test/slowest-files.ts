// A Vitest reporter that prints, after the default report, the ten test files that took longest,
// with their project: the next slowdown is seen in every run's output rather than found later.
import type { Reporter, TestModule } from "vitest/node";

const SHOWN = 10;

export default class SlowestFiles implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const timed = testModules
      .map((module) => ({
        name: `${module.project.name} ${module.relativeModuleId}`,
        ms: module.diagnostic().duration + module.diagnostic().collectDuration,
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOWN);
    if (timed.length === 0) return;
    const lines = timed.map(({ name, ms }) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${name}`);
    process.stdout.write(`\nThe ${timed.length} slowest test files (tests and import):\n${lines.join("\n")}\n`);
  }
}
