// A command's refusal the operator can act on (wrong arguments, a missing account, a folder that is
// not empty): the CLI prints its message alone, with no stack trace, and exits 2.

export class CommandRefusal extends Error {}

/** parse()'s result, or a CommandRefusal that names `what` was wrong with the field messages of its error. */
export function orRefused<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const fields = (error as { fields?: Record<string, string> }).fields;
    throw new CommandRefusal(`${what}: ${fields ? Object.values(fields).join(" ") : (error as Error).message}`);
  }
}
