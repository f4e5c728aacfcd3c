// Who reads visitors' addresses whole (issue #29): owners always; agents unless the owners chose that
// agents read each address as its network (`agentsSeeAddresses: "network"`). The console's answers,
// its live feed and the mail to agents all ask here.

import { anonymizeValue } from "./cidr";
import type { Role } from "./wire";

/** How a reader is shown what holds addresses. */
export interface AddressView {
  /** false: as stored, and `shown` gives back what it is given. */
  seesNetworks: boolean;
  shown<T>(value: T): T;
}

const WHOLE: AddressView = { seesNetworks: false, shown: (value) => value };
const AS_NETWORKS: AddressView = { seesNetworks: true, shown: anonymizeValue };

/** The view of a user of `role` where the owners chose `agentsSee` (absent: full). */
export function addressViewOf(role: Role, agentsSee: "full" | "network" | undefined): AddressView {
  return role === "agent" && agentsSee === "network" ? AS_NETWORKS : WHOLE;
}
