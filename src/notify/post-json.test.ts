import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HttpReceiver, startReceiver } from "../../test/support/http-receiver.js";
import { DeliveryError } from "./delivery-error.js";
import { postJson } from "./post-json.js";

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

function post(
  url = `${receiver.url}/hook`,
  timeoutMs = 5_000,
  signal = new AbortController().signal,
) {
  return postJson({ url, body: '{"a":1}', headers: { "x-extra": "1" }, timeoutMs, signal });
}

describe("postJson", () => {
  it("posts JSON and resolves on 2xx", async () => {
    receiver.script({ status: 202, body: "accepted" });
    expect(await post()).toBe("accepted");
    expect(receiver.requests[0]).toMatchObject({
      method: "POST",
      path: "/hook",
      body: '{"a":1}',
      headers: expect.objectContaining({ "content-type": "application/json", "x-extra": "1" }),
    });
  });

  it("retries 5xx, 429 and 408, with the status and the answer in the message", async () => {
    for (const status of [500, 503, 429, 408]) {
      receiver.script({ status, body: "try later" });
      const error = await failure(post());
      expect([error.status, error.retryable]).toEqual([status, true]);
      expect(error.message).toBe(
        `${new URL(receiver.url).host} answered HTTP ${status}: try later`,
      );
    }
  });

  it("gives up on other 4xx and on redirects", async () => {
    for (const status of [400, 401, 403, 404, 410, 301]) {
      receiver.script({ status });
      const error = await failure(post());
      expect([error.status, error.retryable]).toEqual([status, false]);
    }
  });

  it("retries a receiver that does not answer in time", async () => {
    receiver.script("hang");
    const error = await failure(post(undefined, 200));
    expect([error.status, error.retryable]).toEqual([null, true]);
    expect(error.message).toMatch(/did not answer within 200 ms/);
  });

  it("retries when nothing listens, and never shows the URL's path", async () => {
    const url = `${receiver.url}/services/T000/B000/SECRET`;
    await receiver.close();
    const error = await failure(post(url));
    expect([error.status, error.retryable]).toEqual([null, true]);
    expect(error.message).toMatch(/^cannot reach 127\.0\.0\.1:\d+: /);
    expect(error.message).not.toContain("SECRET");
    receiver = await startReceiver();
  });

  it("stops when its signal aborts", async () => {
    receiver.script("hang");
    const controller = new AbortController();
    const pending = failure(post(undefined, 10_000, controller.signal));
    while (receiver.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect((await pending).message).toMatch(/shutting down/);
  });
});
