// "Test a visitor": an IP, a country, a page and optionally a visitor id, and the saved policy's verdict with every reason.

import { signal } from "@preact/signals";
import type { Api } from "../api";
import type { Verdict } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";

export function createVisitorTestModel(api: Api) {
  const ip = signal("");
  const country = signal("");
  const page = signal("");
  /** A visitor id as a chat shows it (`v_…`), to test visitor rules; empty for none. */
  const visitor = signal("");
  const result = signal<Verdict | null>(null);
  const errors = signal<FormErrors>(NO_ERRORS);
  const busy = signal(false);
  return {
    ip,
    country,
    page,
    visitor,
    result,
    errors,
    busy,
    async run() {
      busy.value = true;
      errors.value = NO_ERRORS;
      result.value = null;
      try {
        result.value = await api.preview({
          ip: ip.value.trim(),
          country: country.value || null,
          page: page.value.trim(),
          visitor: visitor.value.trim() || null,
        });
      } catch (error) {
        errors.value = formErrorsOf(error);
      } finally {
        busy.value = false;
      }
    },
  };
}

export type VisitorTestModel = ReturnType<typeof createVisitorTestModel>;
