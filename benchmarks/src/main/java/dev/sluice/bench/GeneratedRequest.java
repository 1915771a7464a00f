package dev.sluice.bench;

import dev.sluice.avro.InferenceRequest;

/**
 * One request of the workload with the record key it is produced under.
 *
 * @param key the record key (UTF-8); the ingress routes by it, so a key sticks to its version
 * @param request the request
 */
record GeneratedRequest(byte[] key, InferenceRequest request) {}
