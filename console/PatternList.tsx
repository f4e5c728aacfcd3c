// A list of website patterns, one a line, each checked as it is typed with the reason it is bad.

import { parseWebsitePattern } from "../policy/website";
import { TextField } from "./TextField";

/** The bad lines of a pattern list, as "Line N: reason". */
export function patternErrors(lines: readonly string[]): string[] {
  return lines.flatMap((line, index) => {
    if (line.trim() === "") return [];
    const result = parseWebsitePattern(line.trim());
    return result.ok ? [] : [`Line ${index + 1} (${line.trim()}): ${result.message}`];
  });
}

export function PatternList({
  id,
  label,
  hint,
  lines,
  onChange,
  readOnly,
}: {
  id: string;
  label: string;
  hint: string;
  lines: string[];
  onChange(next: string[]): void;
  readOnly: boolean;
}) {
  const errors = patternErrors(lines);
  return (
    <TextField
      id={id}
      label={label}
      hint={hint}
      multiline
      rows={4}
      value={lines.join("\n")}
      onInput={(text) => !readOnly && onChange(text.split("\n"))}
      error={errors.length > 0 ? errors.join("\n") : undefined}
      placeholder={"example.com\n*.example.com\nexample.com/support"}
    />
  );
}
