// The open-stream registry: places taken and given back, and changes handed out by account only.
import { describe, expect, it } from "vitest";
import { inProcessChanges } from "../../server/changes";
import { OpenStreams, STREAM_CAPS } from "../../server/open-streams";

describe("OpenStreams", () => {
  it("takes no place at all when one holder is full, and a release given twice frees once", () => {
    const streams = new OpenStreams(inProcessChanges(), 15);
    const releases = Array.from({ length: STREAM_CAPS.ticket }, () =>
      streams.admit([
        ["ticket", "t"],
        ["address", "a"],
      ]),
    );
    expect(() =>
      streams.admit([
        ["ticket", "t"],
        ["address", "a"],
      ]),
    ).toThrow("Too many open event streams for this ticket");
    expect(streams.size).toBe(STREAM_CAPS.ticket);
    releases[0]!();
    releases[0]!();
    expect(streams.size).toBe(STREAM_CAPS.ticket - 1);
    // The address's count fell by one too, not two: it still holds the other stream.
    for (let i = 0; i < STREAM_CAPS.address - 1; i++) streams.admit([["address", "a"]]);
    expect(() => streams.admit([["address", "a"]])).toThrow("for this address");
  });

  it("hands a change only to the streams of its account", async () => {
    const changes = inProcessChanges();
    const streams = new OpenStreams(changes, 15);
    const heard: string[] = [];
    const stop = streams.listen("acme", (change) => heard.push(`acme:${change.type}`));
    streams.listen("rival", (change) => heard.push(`rival:${change.type}`));
    const handedOn = () => new Promise<void>((resolve) => setImmediate(resolve));
    changes.publish({ type: "policy", accountId: "acme" });
    await handedOn();
    stop();
    changes.publish({ type: "policy", accountId: "acme" });
    changes.publish({ type: "policy", accountId: "rival" });
    await handedOn();
    expect(heard).toEqual(["acme:policy", "rival:policy"]);
  });

  it("hands a change on only after every other subscriber has seen it", async () => {
    const changes = inProcessChanges();
    const streams = new OpenStreams(changes, 15);
    const order: string[] = [];
    streams.listen("acme", () => order.push("stream"));
    changes.subscribe(() => order.push("subscribed later"));
    changes.publish({ type: "policy", accountId: "acme" });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(order).toEqual(["subscribed later", "stream"]);
  });
});
