// The password every test user has: one module, so the run's global setup hashes it without loading a server.
export const PASSWORD = "correct horse battery";
