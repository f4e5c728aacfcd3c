// "Test a visitor": an IP, a country and a page, and the saved policy's verdict with every reason.

import { signal } from "@preact/signals";
import type { Api } from "../api";
import type { Verdict } from "../types";
import { formErrorsOf, NO_ERRORS, type FormErrors } from "./form-errors";

export function createVisitorTestModel(api: Api) {
  const ip = signal("");
  const country = signal("");
  const page = signal("");
  const result = signal<Verdict | null>(null);
  const errors = signal<FormErrors>(NO_ERRORS);
  const busy = signal(false);
  return {
    ip,
    country,
    page,
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
