// A one-line message: an error (announced), a loading state, or an empty state saying what to do.

import type { ComponentChildren } from "preact";

export function Notice({
  kind,
  children,
}: {
  kind: "error" | "loading" | "empty" | "ok";
  children: ComponentChildren;
}) {
  if (kind === "error")
    return (
      <p class="notice notice-error" role="alert">
        {children}
      </p>
    );
  if (kind === "loading")
    return (
      <p class="notice notice-loading" aria-busy="true">
        {children}
      </p>
    );
  return (
    <p class={`notice notice-${kind}`} role={kind === "ok" ? "status" : undefined}>
      {children}
    </p>
  );
}
