// The open-stream registry: places taken and given back, and changes handed out by account only.
import { describe, expect, it } from "vitest";
import type { ApiError } from "../../../server/http/errors";
import { inProcessChanges } from "../../../server/realtime/changes";
import type { Change } from "../../../server/realtime/changes";
import { OpenStreams, STREAM_CAPS, visitorStreamCap, type Follower } from "../../../server/realtime/open-streams";

/** A process-wide cap no test but the one about it reaches. */
const CAP = 1000;

/** A follower that only hears. */
const hearing = (hear: (change: Change) => void): Follower => ({
  hear,
  beat: () => {},
  farewell: async () => {},
  buffered: () => 0,
});

describe("OpenStreams", () => {
  it("takes no place at all when one holder is full, and a release given twice frees once", () => {
    const streams = new OpenStreams(inProcessChanges(), 15, CAP);
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

  it.each([
    [10, 9],
    [30, 27],
    [1000, 900],
  ])(
    "holds at most %i streams: visitors get 503 with Retry-After past %i, the console's feeds the rest and what visitors leave",
    (cap, visitors) => {
      expect(visitorStreamCap(cap)).toBe(visitors);
      const streams = new OpenStreams(inProcessChanges(), 15, cap);
      for (let i = 0; i < visitors; i++) streams.admit([["address", `a${i}`]]);
      expect(refusal(() => streams.admit([["address", "one more"]]))).toMatchObject({
        status: 503,
        code: "busy",
        headers: { "Retry-After": "15" },
      });
      const consoles = Array.from({ length: cap - visitors }, (_, i) => streams.admit([["session", `s${i}`]]));
      expect(refusal(() => streams.admit([["session", "one more"]]))?.status).toBe(503);
      consoles[0]!();
      // The place a console feed gave back is still the console's.
      expect(refusal(() => streams.admit([["address", "one more"]]))?.status).toBe(503);
      expect(refusal(() => streams.admit([["session", "one more"]]))).toBeUndefined();
      expect(streams.size).toBe(cap);

      const consolesOnly = new OpenStreams(inProcessChanges(), 15, cap);
      for (let i = 0; i < cap; i++) consolesOnly.admit([["session", `s${i}`]]);
      expect(refusal(() => consolesOnly.admit([["session", "one more"]]))?.status).toBe(503);
    },
  );

  it("hands a change only to the streams of its account", async () => {
    const changes = inProcessChanges();
    const streams = new OpenStreams(changes, 15, CAP);
    const heard: string[] = [];
    const acme = hearing((change) => heard.push(`acme:${change.type}`));
    streams.follow("acme", acme, 15_000);
    streams.follow(
      "rival",
      hearing((change) => heard.push(`rival:${change.type}`)),
      15_000,
    );
    const handedOn = () => new Promise<void>((resolve) => setImmediate(resolve));
    changes.publish({ type: "policy", accountId: "acme" });
    await handedOn();
    streams.unfollow("acme", acme, 15_000);
    changes.publish({ type: "policy", accountId: "acme" });
    changes.publish({ type: "policy", accountId: "rival" });
    await handedOn();
    expect(heard).toEqual(["acme:policy", "rival:policy"]);
  });

  it("hands a change on only after every other subscriber has seen it", async () => {
    const changes = inProcessChanges();
    const streams = new OpenStreams(changes, 15, CAP);
    const order: string[] = [];
    streams.follow(
      "acme",
      hearing(() => order.push("stream")),
      15_000,
    );
    changes.subscribe(() => order.push("subscribed later"));
    changes.publish({ type: "policy", accountId: "acme" });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(order).toEqual(["subscribed later", "stream"]);
  });

  it("beats every follower of an interval from one timer, stops it with the last, and says farewell to all", async () => {
    const streams = new OpenStreams(inProcessChanges(), 15, CAP);
    const beats: string[] = [];
    const farewells: string[] = [];
    const follower = (name: string): Follower => ({
      hear: () => {},
      beat: () => beats.push(name),
      farewell: async () => void farewells.push(name),
      buffered: () => 0,
    });
    const [a, b] = [follower("a"), follower("b")];
    streams.follow("acme", a, 20);
    streams.follow("rival", b, 20);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(new Set(beats)).toEqual(new Set(["a", "b"]));
    await streams.closeAll();
    expect(farewells.sort()).toEqual(["a", "b"]);
    streams.unfollow("acme", a, 20);
    streams.unfollow("rival", b, 20);
    const counted = beats.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(beats.length).toBe(counted);
  });

  it("says farewell at once to a stream that starts following after the shutdown began", async () => {
    const streams = new OpenStreams(inProcessChanges(), 15, CAP);
    await streams.closeAll();
    const farewells: string[] = [];
    const late: Follower = {
      hear: () => {},
      beat: () => {},
      farewell: async () => void farewells.push("late"),
      buffered: () => 0,
    };
    streams.follow("acme", late, 20);
    expect(farewells).toEqual(["late"]);
    streams.unfollow("acme", late, 20);
  });
});

/** The error `admit` threw, or undefined when it took the place. */
function refusal(admit: () => unknown): ApiError | undefined {
  try {
    admit();
    return undefined;
  } catch (error) {
    return error as ApiError;
  }
}
