import { describe, expect, it } from "vitest";
import { kafkaConfig } from "./kafka-rest.ts";

describe("kafkaConfig", () => {
  it.each([
    [{}, undefined],
    [{ KAFKA_REST_URL: "http://proxy:8082" }, { url: "http://proxy:8082", api: "v3" }],
    [{ KAFKA_REST_URL: "http://proxy:8082", KAFKA_REST_API: "v2" }, { url: "http://proxy:8082", api: "v2" }],
    [{ KAFKA_REST_URL: "http://proxy:8082", KAFKA_CLUSTER_ID: "lkc-1" }, { url: "http://proxy:8082", api: "v3", clusterId: "lkc-1" }],
    [{ KAFKA_REST_URL: "http://proxy:8082", KAFKA_CLUSTER_ID: "" }, { url: "http://proxy:8082", api: "v3" }],
  ])("reads %j", (env, expected) => {
    expect(kafkaConfig(env)).toEqual(expected);
  });
});
