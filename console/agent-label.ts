// How the console names an agent to their co-workers: the name visitors read, and the email that
// tells two agents with one name apart.

/** Finds a user's email by their id, or null when this console does not know it. */
export type EmailOf = (userId: string) => string | null;

/**
 * "Anna (anna@acme.test)", the email alone when no name is set, the name alone when the email is
 * not known here, or null when neither is.
 * @example agentLabel("Anna", "anna@acme.test") // "Anna (anna@acme.test)"
 */
export function agentLabel(name: string | null, email: string | null): string | null {
  if (name && email) return `${name} (${email})`;
  return name || email || null;
}
