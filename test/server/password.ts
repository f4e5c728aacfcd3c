// The password every test user has, and the scrypt cost test servers hash with: one module, so the
// run's global setup hashes it without loading a server.
import type { ScryptParams } from "../../server/auth/passwords";

export const PASSWORD = "correct horse battery";

/**
 * A millisecond's scrypt rather than OWASP's 400 ms: for servers whose subject is not the hash. The
 * tests of the hash itself (session.test.ts) start theirs with SCRYPT_PARAMS.
 */
export const TEST_PASSWORD_COST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
