package dev.sluice.gateway;

/**
 * What a path asks for: the route's kind, the one method it serves, its error shape, the model and
 * version named in it, and a label of low cardinality for the metrics.
 *
 * @param kind what is asked
 * @param method the method served
 * @param model the model named in the path, or null
 * @param version the version named in the path, or null
 * @param label the route's template, e.g. {@code /v2/models/{m}/infer}
 */
record Route(Kind kind, String method, String model, String version, String label) {

  /** The routes. */
  enum Kind { EMBEDDINGS, MODELS, SERVER, HEALTH_LIVE, HEALTH_READY, MODEL_METADATA, MODEL_READY, INFER, MCP, UNKNOWN }

  /** OpenAI's shape under /v1 (and for unknown paths), the protocol's under /v2. */
  ErrorShape errors() {
    return label.startsWith("/v2") ? ErrorShape.OPEN_INFERENCE : ErrorShape.OPENAI;
  }

  static Route of(String path) {
    switch (path) {
      case "/v1/embeddings":
        return new Route(Kind.EMBEDDINGS, "POST", null, null, path);
      case "/v1/models":
        return new Route(Kind.MODELS, "GET", null, null, path);
      case "/v2":
        return new Route(Kind.SERVER, "GET", null, null, path);
      case "/v2/health/live":
        return new Route(Kind.HEALTH_LIVE, "GET", null, null, path);
      case "/v2/health/ready":
        return new Route(Kind.HEALTH_READY, "GET", null, null, path);
      case McpEndpoint.PATH:
        return new Route(Kind.MCP, "POST", null, null, path);
      default:
        break;
    }
    String[] parts = path.split("/", -1);
    if (parts.length < 4 || !parts[0].isEmpty() || !parts[1].equals("v2") || !parts[2].equals("models") || parts[3].isEmpty()) {
      return new Route(Kind.UNKNOWN, "GET", null, null, "other");
    }
    String model = parts[3];
    int next = 4;
    String version = null;
    String template = "/v2/models/{m}";
    if (parts.length > 5 && parts[4].equals("versions") && !parts[5].isEmpty()) {
      version = parts[5];
      next = 6;
      template += "/versions/{v}";
    }
    if (parts.length == next) {
      return new Route(Kind.MODEL_METADATA, "GET", model, version, template);
    }
    if (parts.length == next + 1 && parts[next].equals("ready")) {
      return new Route(Kind.MODEL_READY, "GET", model, version, template + "/ready");
    }
    if (parts.length == next + 1 && parts[next].equals("infer")) {
      return new Route(Kind.INFER, "POST", model, version, template + "/infer");
    }
    return new Route(Kind.UNKNOWN, "GET", null, null, "other");
  }
}
