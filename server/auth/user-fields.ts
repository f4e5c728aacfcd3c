// The fields that name a console user, as a request or the command line gives them: the account's id
// and the email. Apart from the routes, so the `hatch` commands check them without loading the server.

import * as z from "zod/mini";
import { emailProblem } from "../../policy/chat";
import { ACCOUNT_ID } from "../store/accounts";

export const accountIdSchema = z
  .string()
  .check(
    z.regex(
      ACCOUNT_ID,
      "An account id is 3 to 40 lower-case letters, digits or dashes, not starting or ending with a dash.",
    ),
  );
/** An email address, trimmed and in lower case; policy/chat.ts's emailProblem says what it may hold. */
export const emailSchema = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.superRefine((email: string, ctx) => {
    const problem = emailProblem(email);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: email });
  }),
);
