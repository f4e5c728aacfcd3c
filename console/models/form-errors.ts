// What a form shows after a refused submit: each field's error beside the field, and one message for the rest.

import { messageOf, RequestFailure } from "../api";

/** Field errors of a form plus one message for what belongs to no field. */
export interface FormErrors {
  fields: Record<string, string>;
  message: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, message: null };

/** Splits a thrown error into the form's field errors and a general message. */
export function formErrorsOf(error: unknown): FormErrors {
  if (error instanceof RequestFailure && Object.keys(error.fields).length > 0)
    return { fields: error.fields, message: null };
  return { fields: {}, message: messageOf(error) };
}
