package dev.sluice.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.ModelDeployment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code GET /v1/models}: each deployed model (the ingress routes it by its traffic split)
 * and each of its versions as {@code name/version} (pinned), {@code created} the earliest
 * deployment time in seconds, {@code owned_by} {@code sluice}.
 */
final class ModelsEndpoint {
  private final Pipeline pipeline;

  ModelsEndpoint(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  ApiResponse list() {
    Map<String, Instant> created = new LinkedHashMap<>();
    List<ModelDeployment> all = pipeline.models();
    for (ModelDeployment deployment : all) {
      created.merge(deployment.getModel(), deployedAt(deployment), (a, b) -> a.isBefore(b) ? a : b);
    }
    for (ModelDeployment deployment : all) {
      created.put(deployment.getModel() + "/" + deployment.getVersion(), deployedAt(deployment));
    }
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    created.forEach((id, at) -> {
      ObjectNode model = data.addObject();
      model.put("id", id);
      model.put("object", "model");
      model.put("created", at.getEpochSecond());
      model.put("owned_by", "sluice");
    });
    return ApiResponse.json(200, body);
  }

  private static Instant deployedAt(ModelDeployment deployment) {
    return deployment.getDeployedAt() == null ? Instant.EPOCH : deployment.getDeployedAt();
  }
}
