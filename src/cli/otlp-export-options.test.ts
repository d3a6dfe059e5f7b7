import { describe, expect, it } from "vitest";
import { otlpExportOptions, otlpTracesUrl } from "./otlp-export-options.js";

const flags = (fields: Partial<Parameters<typeof otlpExportOptions>[0]> = {}) => ({
  otlpEndpoint: "http://collector:4318",
  otlpHeader: [],
  otlpServiceName: "deployslo",
  otlpTimeout: "10s",
  ...fields,
});

describe("otlpExportOptions", () => {
  it("adds /v1/traces to a base URL, and keeps a URL that names it", () => {
    expect(otlpTracesUrl("http://collector:4318")).toBe("http://collector:4318/v1/traces");
    expect(otlpTracesUrl("https://tempo.example.com/otlp/")).toBe(
      "https://tempo.example.com/otlp/v1/traces",
    );
    expect(otlpTracesUrl("http://c:4318/v1/traces")).toBe("http://c:4318/v1/traces");
  });

  it("reads headers from OTEL_EXPORTER_OTLP_HEADERS and --otlp-header, which wins", () => {
    const config = otlpExportOptions(
      flags({ otlpHeader: ["X-Scope=ml", "Authorization=Bearer%20flag"] }),
      { OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20env, x-tenant = a" },
    );
    expect(config?.headers).toEqual({
      authorization: "Bearer flag",
      "x-tenant": "a",
      "x-scope": "ml",
    });
    expect(config?.timeoutMs).toBe(10_000);
  });

  it("exports nothing without --otlp-endpoint", () => {
    expect(otlpExportOptions(flags({ otlpEndpoint: undefined }), {})).toBeUndefined();
  });

  it.each([
    [{ otlpEndpoint: "collector:4318" }, "--otlp-endpoint must be an http or https URL"],
    [{ otlpEndpoint: "not a url" }, "--otlp-endpoint must be an http(s) URL"],
    [{ otlpHeader: ["no-value"] }, '--otlp-header: "no-value" is not NAME=VALUE'],
    [{ otlpTimeout: "0s" }, "--otlp-timeout must be a duration from 100ms to 10m"],
    [{ otlpServiceName: " " }, "--otlp-service-name must not be empty"],
    [{ otlpEndpoint: undefined, otlpHeader: ["a=b"] }, "--otlp-header needs --otlp-endpoint"],
  ])("refuses %j", (fields, message) => {
    expect(() => otlpExportOptions(flags(fields), {})).toThrow(message);
  });
});
