// The zod schemas of the policy document, of IP rule input and of a chat message; types are inferred from them.
// zod/mini keeps these light enough for the console; the widget imports only types from here (erased, no zod).

import * as z from "zod/mini";
import type { RuleAuthor } from "./rules";
import { MAX_MESSAGE_CHARS } from "./chat";
import { CATEGORIES, DEFAULT_MAX_FILE_BYTES, PRESETS } from "./file-category";
import { COUNTRY_MODES, countryCodeError } from "./country";
import { MAX_RULE_LINE_CHARS, MAX_RULE_LINES } from "./rule-paste";
import { websitePatternSchema } from "./website";

/** Limits on what one document may hold, with their unit in the name. */
const MAX_WEBSITE_PATTERNS = 1_000;
export const MAX_UPLOAD_BYTES_LIMIT = 100 * 1024 * 1024;
export const MAX_COMMENT_CHARS = 500;

/** One ISO 3166-1 alpha-2 code (or XK), in capitals. */
export const countryCodeSchema = z.string().check(
  z.refine((code) => countryCodeError(code) === null, {
    error: (issue) => countryCodeError(String(issue.input)) ?? "Not a country code.",
  }),
);

const uniqueList = <T>(items: readonly T[]) => new Set(items).size === items.length;

const countriesSchema = z.strictObject({
  mode: z.enum(COUNTRY_MODES),
  list: z
    .array(countryCodeSchema)
    .check(
      z.maxLength(300, "List at most 300 countries."),
      z.refine(uniqueList, "Each country may be listed only once."),
    ),
  unknown: z.optional(z.enum(["show", "hide"])),
});

const patternList = z
  .array(websitePatternSchema)
  .check(z.maxLength(MAX_WEBSITE_PATTERNS, `List at most ${MAX_WEBSITE_PATTERNS} patterns.`));

const websitesSchema = z.strictObject({
  allowed: patternList,
  blocked: patternList,
});

const filesSchema = z.strictObject({
  categories: z.array(z.enum(CATEGORIES)).check(z.refine(uniqueList, "Each category may be listed only once.")),
  maxBytes: z
    .number()
    .check(
      z.int("The size limit is a whole number of bytes."),
      z.minimum(1, "The size limit must be at least 1 byte."),
      z.maximum(MAX_UPLOAD_BYTES_LIMIT, `The size limit can be at most ${MAX_UPLOAD_BYTES_LIMIT} bytes (100 MiB).`),
    ),
});

/**
 * What a network switch does to visitors from such a network: nothing, hide the chat, or (issue #15,
 * automatic protection) show it behind a proof of work. Until that lands, `challenge` is refused.
 */
const networkMode = z.enum(["off", "hide", "challenge"], { error: 'A network switch is "off" or "hide".' }).check(
  z.refine((mode) => mode !== "challenge", {
    error: 'The "challenge" mode comes with automatic protection and is not available yet: choose "off" or "hide".',
  }),
);

const networksSchema = z.strictObject({
  /** Hosting, cloud and VPN-infrastructure networks (policy/hosting.ts). */
  hosting: networkMode,
  /** Tor exits, from the operator's TOR_EXIT_LIST. */
  tor: networkMode,
});

/** What `GET /api/v1/console/policy` returns and `PUT` takes. `networks` absent: both off. */
export const policyDocumentSchema = z.strictObject({
  countries: countriesSchema,
  websites: websitesSchema,
  files: filesSchema,
  networks: z.optional(networksSchema),
});

export type NetworkSwitches = z.infer<typeof networksSchema>;

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type FilePolicy = z.infer<typeof filesSchema>;

/** A new account: countries off, no website rules, the "no harmful files" preset, 10 MiB. */
export const DEFAULT_POLICY: PolicyDocument = {
  countries: { mode: "off", list: [] },
  websites: { allowed: [], blocked: [] },
  files: { categories: [...PRESETS.safe], maxBytes: DEFAULT_MAX_FILE_BYTES },
};

const comment = z
  .string()
  .check(z.trim(), z.maxLength(MAX_COMMENT_CHARS, `A comment is at most ${MAX_COMMENT_CHARS} characters.`));

const expiresAt = z.optional(
  z.nullable(
    z.iso.datetime({ offset: true, error: "expiresAt must be an ISO 8601 date-time, e.g. 2026-12-31T23:59:00Z." }),
  ),
);

/** `POST /api/v1/console/ip-rules`: one or many lines of addresses and networks. */
export const ipRulesInputSchema = z.strictObject({
  text: z
    .string()
    .check(
      z.maxLength(MAX_RULE_LINES * (MAX_RULE_LINE_CHARS + 2), "That paste is too long: split it into smaller ones."),
    ),
  comment,
  expiresAt,
});

/** A chat message as a visitor or an agent sends it: `{"text": …}`. */
export const messageInputSchema = z.strictObject({
  text: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, "Write a message first."),
      z.maxLength(MAX_MESSAGE_CHARS, `A message is at most ${MAX_MESSAGE_CHARS} characters.`),
    ),
});

/** An IP rule as the API returns it. */
export interface IpRule {
  id: string;
  network: string;
  comment: string;
  createdBy: RuleAuthor;
  createdAt: string;
  expiresAt: string | null;
}
