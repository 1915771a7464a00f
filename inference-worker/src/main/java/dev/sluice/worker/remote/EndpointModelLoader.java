package dev.sluice.worker.remote;

import dev.sluice.avro.EndpointProtocol;
import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelEndpoint;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.Task;
import dev.sluice.worker.model.ModelInfo;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelLoader;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.model.TokenCounter;
import dev.sluice.worker.runtime.DjlModelLoader;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a model version where its deployment says it runs: on the worker (DJL) when it names no
 * endpoints, else on its endpoints in order ({@link FallbackRunner}), a LOCAL one among them
 * loading the artifact here. Nothing is called at load: an endpoint that is down now is tried
 * (and falls back) per batch; what can be checked is (URLs, keys present, trust files, protocol
 * against task, names unique).
 */
public final class EndpointModelLoader implements ModelLoader {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointModelLoader.class);

  private final DjlModelLoader local;
  private final MeterRegistry meters;
  private final UnaryOperator<String> environment;
  private final Clock clock;

  /**
   * @param local loads artifacts on this worker
   * @param meters where the endpoints' meters go
   */
  public EndpointModelLoader(DjlModelLoader local, MeterRegistry meters) {
    this(local, meters, System::getenv, Clock.systemUTC());
  }

  EndpointModelLoader(DjlModelLoader local, MeterRegistry meters, UnaryOperator<String> environment, Clock clock) {
    this.local = local;
    this.meters = meters;
    this.environment = environment;
    this.clock = clock;
  }

  @Override
  public ModelRunner load(ModelDeployment deployment) throws ModelLoadException {
    List<ModelEndpoint> endpoints = deployment.getEndpoints();
    if (endpoints.isEmpty()) {
      return local.load(deployment);
    }
    long start = System.nanoTime();
    String id = deployment.getModel() + "/" + deployment.getVersion();
    check(id, deployment);
    EndpointMetrics metrics = new EndpointMetrics(meters, deployment.getModel(), deployment.getVersion());
    List<FallbackRunner.Route> routes = new ArrayList<>();
    Optional<TokenCounter> tokens = Optional.empty();
    try {
      for (ModelEndpoint endpoint : endpoints) {
        if (endpoint.getProtocol() == EndpointProtocol.LOCAL) {
          routes.add(new FallbackRunner.Local(endpoint.getName(), local.load(deployment)));
          continue;
        }
        HttpEndpoint client = new HttpEndpoint(endpoint, wire(deployment, endpoint), environment);
        CircuitBreaker breaker = new CircuitBreaker(endpoint.getBreakerFailures(), Duration.ofMillis(endpoint.getBreakerOpenMs()), clock);
        metrics.breaker(endpoint.getName(), breaker);
        routes.add(new FallbackRunner.Remote(client, breaker, Duration.ofMillis(endpoint.getTimeoutMs()), Math.max(0, endpoint.getRetries())));
      }
      tokens = deployment.getTask() == Task.TENSOR ? Optional.empty() : local.tokenCounter(deployment);
    } catch (ModelLoadException | RuntimeException e) {
      FallbackRunner.closeLocal(routes);
      metrics.close();
      throw e;
    }
    String names = endpoints.stream().map(e -> e.getName() + " (" + e.getProtocol() + (e.getUrl() == null ? "" : " " + e.getUrl()) + ")")
        .collect(Collectors.joining(", then "));
    Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
    ModelInfo info = new ModelInfo(deployment.getModel(), deployment.getVersion(), deployment.getTask(),
        endpoints.stream().map(e -> e.getProtocol().name()).distinct().collect(Collectors.joining("+")),
        "endpoints:" + endpoints.stream().map(ModelEndpoint::getName).collect(Collectors.joining(",")), routes.size(), loadTime);
    LOG.info("Model {} ({}) runs on {}; tokens counted by {}", id, deployment.getTask(), names,
        tokens.isPresent() ? "the artifact's tokenizer where the server reports none" : "the server's usage only");
    return new FallbackRunner(info, routes, tokens, metrics, clock);
  }

  /** What can be refused before anything is built: names, protocols against the task, a LOCAL entry without artifact. */
  private static void check(String id, ModelDeployment deployment) throws ModelLoadException {
    Set<String> names = new HashSet<>();
    for (ModelEndpoint endpoint : deployment.getEndpoints()) {
      if (endpoint.getName() == null || endpoint.getName().isBlank() || !names.add(endpoint.getName())) {
        throw new ModelLoadException("Model " + id + ": every endpoint needs a name of its own, " + (endpoint.getName() == null
            || endpoint.getName().isBlank() ? "one has none" : endpoint.getName() + " is used twice"), null);
      }
      if (endpoint.getProtocol() == EndpointProtocol.OPENAI && deployment.getTask() != Task.TEXT_EMBEDDING) {
        throw new ModelLoadException("Model " + id + " is " + deployment.getTask() + ", but endpoint " + endpoint.getName()
            + " speaks the OpenAI embeddings API, which serves TEXT_EMBEDDING only: use oip-v2", null);
      }
      if (endpoint.getProtocol() == EndpointProtocol.LOCAL && (deployment.getArtifactUri() == null || deployment.getArtifactUri().isBlank())) {
        throw new ModelLoadException("Model " + id + " lists a LOCAL endpoint " + endpoint.getName() + " but names no artifact_uri to run", null);
      }
    }
  }

  private static WireFormat wire(ModelDeployment deployment, ModelEndpoint endpoint) {
    String remoteModel = endpoint.getRemoteModel() != null ? endpoint.getRemoteModel() : deployment.getModel();
    if (endpoint.getProtocol() == EndpointProtocol.OPENAI) {
      return new OpenAiWire(endpoint.getUrl(), remoteModel);
    }
    ModelLimits limits = deployment.getLimits();
    List<String> features = limits != null && limits.getFeatureNames() != null ? limits.getFeatureNames()
        : deployment.getFeatureStats().stream().map(FeatureStats::getName).toList();
    boolean tensorsBatch = limits != null && limits.getTensorShape() != null && !limits.getTensorShape().isEmpty() && limits.getTensorShape().get(0) < 0;
    return new OipV2Wire(remoteModel, endpoint.getRemoteVersion(), deployment.getTask(), endpoint.getInputName(), endpoint.getOutputName(), deployment.getLabels(), features,
        tensorsBatch);
  }
}
