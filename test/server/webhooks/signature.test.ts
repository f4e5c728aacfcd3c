// Secrets and signatures checked against the `standardwebhooks` package, the specification's own library.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signDelivery } from "../../../server/webhooks/signature";

describe("webhook secrets", () => {
  it("are whsec_ and the base64 of 24 random bytes, a new one each time", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe("signDelivery", () => {
  it("signs exactly as the standardwebhooks library does", () => {
    const secret = newWebhookSecret();
    const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const timestamp = 1_614_265_330;
    const body = '{"type":"chat.message","timestamp":"2021-02-25T15:02:10.000Z","data":{"text":"héllo"}}';
    expect(signDelivery({ id, timestamp, body, secret })).toBe(
      new Webhook(secret).sign(id, new Date(timestamp * 1000), body),
    );
  });

  it("matches the specification's published example", () => {
    // From the Standard Webhooks reference libraries' tests.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const body = '{"test": 2432232314}';
    const signature = signDelivery({ id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body, secret });
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
});
