package dev.sluice.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The API's routes on Jetty's core handler, asynchronous end to end: a call waiting for Kafka
 * holds no thread. Finds the route ({@link Route}), authenticates ({@code Authorization: Bearer
 * <key>}; the protocol's health routes are open, for probes), reads the body within
 * {@link GatewayConfig#maxBodyBytes()}, turns the call's headers into {@link CallOptions}
 * (deadline from {@value #TIMEOUT_HEADER} in milliseconds, else the OpenAI SDKs'
 * {@value #SDK_TIMEOUT_HEADER} in seconds, else the default; {@code Idempotency-Key};
 * {@code traceparent}) and answers from the route's endpoint, in the route's error shape.
 */
final class GatewayHandler extends Handler.Abstract.NonBlocking {
  static final String TIMEOUT_HEADER = "X-Sluice-Timeout-Ms";
  static final String SDK_TIMEOUT_HEADER = "X-Stainless-Timeout";
  private static final int MAX_IDEMPOTENCY_KEY = 255;
  /** How long past a request's deadline the gateway still waits for the pipeline's own EXPIRED answer. */
  private static final Duration GRACE = Duration.ofMillis(250);

  private final GatewayConfig config;
  private final EmbeddingsEndpoint embeddings;
  private final ModelsEndpoint models;
  private final OpenInferenceEndpoint inference;
  private final BooleanSupplier ready;
  private final GatewayMetrics metrics;
  private final AuditTrail audit;

  /** Who made one call, once known. */
  private static final class CallContext {
    private ApiKeys.Caller caller;
  }

  GatewayHandler(GatewayConfig config, Pipeline pipeline, BooleanSupplier ready, GatewayMetrics metrics, AuditTrail audit) {
    this.config = config;
    this.embeddings = new EmbeddingsEndpoint(pipeline, config.maxInputs());
    this.models = new ModelsEndpoint(pipeline);
    this.inference = new OpenInferenceEndpoint(pipeline, config.maxInputs());
    this.ready = ready;
    this.metrics = metrics;
    this.audit = audit;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long started = System.nanoTime();
    metrics.started();
    String path = Request.getPathInContext(request);
    Route route = Route.of(path);
    CallContext context = new CallContext();
    answer(request, path, route, context).exceptionally(failure -> route.errors().internal("the gateway failed on this call: " + failure))
        .thenAccept(answer -> {
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          metrics.answered(route.label(), answer, took);
          if (route.kind() != Route.Kind.HEALTH_LIVE && route.kind() != Route.Kind.HEALTH_READY) {
            audit.record(audit.event(request, context.caller, answer, took));
          }
          write(response, answer, callback);
        });
    return true;
  }

  private CompletableFuture<ApiResponse> answer(Request request, String path, Route route, CallContext context) {
    ErrorShape errors = route.errors();
    if (route.kind() == Route.Kind.UNKNOWN) {
      return done(errors.notFound(path));
    }
    String method = request.getMethod();
    if (!method.equals(route.method()) && !(method.equals("HEAD") && route.method().equals("GET"))) {
      return done(errors.methodNotAllowed(method, path, route.method()));
    }
    switch (route.kind()) {
      case HEALTH_LIVE:
        return done(OpenInferenceEndpoint.health("live", true));
      case HEALTH_READY:
        return done(OpenInferenceEndpoint.health("ready", ready.getAsBoolean()));
      default:
        break;
    }
    Optional<ApiKeys.Caller> caller = Callers.authenticate(config, request);
    context.caller = caller.orElse(null);
    if (caller.isEmpty()) {
      return done(errors.unauthorized(Callers.refusal(request)));
    }
    switch (route.kind()) {
      case MODELS:
        return done(models.list());
      case SERVER:
        return done(inference.server());
      case MODEL_METADATA:
        return done(inference.metadata(route.model(), route.version()));
      case MODEL_READY:
        return done(inference.ready(route.model(), route.version()));
      default:
        break;
    }
    long length = request.getLength();
    if (length > config.maxBodyBytes()) {
      return done(errors.tooLarge("the body has " + length + " bytes; at most " + config.maxBodyBytes()));
    }
    CallOptions options;
    try {
      options = options(request, caller.get());
    } catch (IllegalArgumentException e) {
      return done(errors.badRequest(null, e.getMessage()));
    }
    return Content.Source.asByteArrayAsync(request, config.maxBodyBytes()).handle((bytes, failure) -> {
      if (failure != null) {
        return done(errors.tooLarge("the body is over " + config.maxBodyBytes() + " bytes or could not be read: " + failure.getMessage()));
      }
      JsonNode body;
      try {
        body = ApiResponse.JSON.readTree(bytes);
      } catch (JsonProcessingException e) {
        return done(errors.badRequest(null, "the body is not JSON: " + e.getOriginalMessage()));
      } catch (IOException e) {
        return done(errors.badRequest(null, "the body cannot be read: " + e.getMessage()));
      }
      return route.kind() == Route.Kind.EMBEDDINGS ? embeddings.call(body, options)
          : inference.infer(route.model(), route.version(), body, options);
    }).thenCompose(answer -> answer);
  }

  private CallOptions options(Request request, ApiKeys.Caller caller) {
    Duration timeout = timeout(request);
    String idempotencyKey = request.getHeaders().get("Idempotency-Key");
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
      throw new IllegalArgumentException("Idempotency-Key must have 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
    }
    // The gateway's own span when it traces (TracedCalls), else the caller's header as it came.
    String traceparent = request.getAttribute(TracedCalls.TRACEPARENT) instanceof String own ? own : request.getHeaders().get("traceparent");
    return new CallOptions(caller, Instant.now().plus(timeout), timeout.plus(GRACE), idempotencyKey, traceparent);
  }

  private Duration timeout(Request request) {
    String millis = request.getHeaders().get(TIMEOUT_HEADER);
    String seconds = request.getHeaders().get(SDK_TIMEOUT_HEADER);
    Duration asked;
    try {
      asked = millis != null ? Duration.ofMillis(Long.parseLong(millis.strip()))
          : seconds != null ? Duration.ofMillis((long) (Double.parseDouble(seconds.strip()) * 1000)) : config.defaultTimeout();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(TIMEOUT_HEADER + " must be a number of milliseconds (" + SDK_TIMEOUT_HEADER + ": of seconds)");
    }
    if (asked.isNegative() || asked.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive");
    }
    return asked.compareTo(config.maxTimeout()) > 0 ? config.maxTimeout() : asked;
  }

  private static void write(Response response, ApiResponse answer, Callback callback) {
    response.setStatus(answer.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      response.getHeaders().put(header.getKey(), header.getValue());
    }
    response.write(true, ByteBuffer.wrap(answer.body()), callback);
  }

  private static CompletableFuture<ApiResponse> done(ApiResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
