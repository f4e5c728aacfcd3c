// @vitest-environment happy-dom
// The proof-of-work gate in the mounted widget: the check shown and announced with its progress and
// Cancel, the message sent once the solution is taken, solved again after a refusal, given up in words.
// happy-dom has no Worker: the solver runs on the main thread, spied on to hold it where a test looks.

import { fireEvent, waitFor, within } from "@testing-library/preact";
import { render } from "preact";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { en } from "../../widget/i18n/en";
import { solveInBackground } from "../../widget/solve-in-background";
import { ACCOUNT, challengedTicket, proves, solutionOf, TICKET_REQUEST, visitorApi } from "./fakes";
import { mountWidget, type Mounted } from "./mount";

vi.mock(import("../../widget/solve-in-background"), { spy: true });

const { server, requests, urls, reset } = visitorApi();
const POSTS = [
  `POST /api/v1/widget/${ACCOUNT}/conversations`,
  `POST /api/v1/widget/${ACCOUNT}/conversations/conv_1/messages`,
];

let host: HTMLElement;
let root: ShadowRoot;

async function openPanel() {
  let view: Mounted["view"];
  ({ host, root, view } = mountWidget());
  fireEvent.click(view.getByRole("button", { name: "Open chat" }));
  await view.findByRole("dialog", { name: "Chat with us" });
  return view;
}

function write(view: ReturnType<typeof within>, text: string) {
  fireEvent.input(view.getByLabelText("Message"), { target: { value: text } });
  fireEvent.click(view.getByRole("button", { name: "Send" }));
}

/**
 * Holds the next solving after its first progress report (a quarter of the numbers), until the
 * returned `release` is called or it is cancelled; `signal` is the one it was given.
 */
function holdNextSolve() {
  const held = { release: () => {}, signal: null as AbortSignal | null };
  vi.mocked(solveInBackground).mockImplementationOnce(async (challenge, onProgress, signal) => {
    held.signal = signal;
    onProgress(challenge.maxnumber / 4);
    await new Promise<void>((resolve) => {
      held.release = resolve;
      signal.addEventListener("abort", () => resolve());
    });
    if (signal.aborted) return null;
    const actual = await vi.importActual<typeof import("../../widget/solve-in-background")>(
      "../../widget/solve-in-background",
    );
    return actual.solveInBackground(challenge, onProgress, signal);
  });
  return held;
}

const ticketUrls = () => urls.filter((url) => url.includes("/ticket?"));

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  reset();
  localStorage.clear();
});
afterEach(() => {
  render(null, root);
  host.remove();
  server.resetHandlers();
  vi.unstubAllGlobals();
  vi.mocked(solveInBackground).mockReset();
});
afterAll(() => server.close());

describe("the proof-of-work check", () => {
  it("is shown and announced with its progress while solving, then the message goes with a correct solution", async () => {
    const { handler, challenges } = challengedTicket({ number: 700 });
    server.use(handler);
    const view = await openPanel();
    // The live region is there before the check, so that the check is announced when it appears.
    const status = view.getByRole("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    expect(status.textContent).toBe("");
    const held = holdNextSolve();

    write(view, "Do you ship to Norway?");
    await waitFor(() => expect(status.textContent).toBe(`${en["challenge.checking"]} ${en["challenge.hint"]}`));
    expect(view.getByRole("progressbar", { name: en["challenge.progress"] }).getAttribute("aria-valuenow")).toBe("25");
    expect(view.getByRole("button", { name: "Send" }).hasAttribute("disabled")).toBe(true);

    held.release();
    await view.findByText("Do you ship to Norway?", { selector: ".text" });
    expect(requests).toEqual([TICKET_REQUEST, TICKET_REQUEST, ...POSTS]);
    const payload = solutionOf(ticketUrls()[1]!)!;
    expect(payload).toMatchObject({ challenge: challenges[0]!.challenge, salt: challenges[0]!.salt, number: 700 });
    expect(proves(payload)).toBe(true);
    expect(status.textContent).toBe("");
    expect(view.queryByRole("progressbar")).toBeNull();
    // Nothing of the check is kept in the browser.
    expect(Object.keys(localStorage).sort()).toEqual([`hatch:${ACCOUNT}:conversation`, `hatch:${ACCOUNT}:visitor`]);
    expect(document.cookie).toBe("");
  });

  it("stops on Cancel and sends nothing, keeping the draft and the focus; Send starts again", async () => {
    server.use(challengedTicket().handler);
    const view = await openPanel();
    const held = holdNextSolve();
    write(view, "Hello?");
    // Once the solver has started and reported, not merely while it is being fetched.
    await waitFor(() => expect(view.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("25"));
    const cancel = view.getByRole("button", { name: en["challenge.cancel"] });
    cancel.focus();
    fireEvent.click(cancel);

    await waitFor(() => expect(view.queryByRole("progressbar")).toBeNull());
    expect(held.signal?.aborted).toBe(true);
    expect(view.getByRole("status").textContent).toBe("");
    const field = view.getByLabelText("Message") as HTMLTextAreaElement;
    expect(field.value).toBe("Hello?");
    expect(root.activeElement).toBe(field);
    expect(view.getByRole("alert").textContent).toBe("");
    expect(requests).toEqual([TICKET_REQUEST]);

    await waitFor(() => expect(view.getByRole("button", { name: "Send" }).hasAttribute("disabled")).toBe(false));
    fireEvent.click(view.getByRole("button", { name: "Send" }));
    await view.findByText("Hello?", { selector: ".text" });
    expect(requests).toEqual([TICKET_REQUEST, TICKET_REQUEST, TICKET_REQUEST, ...POSTS]);
  });

  it("solves the new challenge that comes with a refused solution, and sends", async () => {
    const { handler, challenges } = challengedTicket({ refuse: 1 });
    server.use(handler);
    const view = await openPanel();
    write(view, "Second try");
    await view.findByText("Second try", { selector: ".text" });
    expect(requests).toEqual([TICKET_REQUEST, TICKET_REQUEST, TICKET_REQUEST, ...POSTS]);
    expect(solutionOf(ticketUrls()[2]!)?.signature).toBe(challenges[1]!.signature);
    expect(view.getByRole("alert").textContent).toBe("");
  });

  it("gives up after repeated refusals with a clear message, keeping the draft", async () => {
    server.use(challengedTicket({ refuse: 99 }).handler);
    const view = await openPanel();
    write(view, "Anyone?");
    await waitFor(() => expect(view.getByRole("alert").textContent).toBe(en["challenge.gaveUp"]));
    expect(requests).toEqual(Array(4).fill(TICKET_REQUEST));
    expect((view.getByLabelText("Message") as HTMLTextAreaElement).value).toBe("Anyone?");
    expect(view.queryByRole("progressbar")).toBeNull();
  });
});
