package dev.sluice.bench;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.serde.AvroSerde;
import dev.sluice.schemas.topics.PipelineTopics;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * One round of the benchmark on its own topic prefix: create the topics, deploy the model, seed
 * worker results for the popular texts, write the requests (all untimed), run the pass-through
 * over them, then the ingress over the same requests. Each run has a fresh application id.
 *
 * <p>The seeded results are written to {@code <prefix>.results} before the ingress starts; the
 * ingress's cache feed moves them onto {@code <prefix>.results.cache} and every instance's global
 * result cache loads them from there, during the timed run, so repeats of popular texts that the
 * ingress reads before that has happened are routed rather than answered from the cache. The
 * seeded results stay within the ingress's default cache TTL of 5 minutes as long as the
 * pass-through run before the ingress takes less than that.
 */
final class BenchmarkRound {
  private final BenchmarkCluster cluster;
  private final BenchmarkSettings settings;
  private final StreamsSettings streams;
  private final PrintStream progress;

  BenchmarkRound(BenchmarkCluster cluster, BenchmarkSettings settings, StreamsSettings streams, PrintStream progress) {
    this.cluster = cluster;
    this.settings = settings;
    this.streams = streams;
    this.progress = progress;
  }

  /**
   * Runs a round.
   *
   * @param label names the round's topics and application ids
   * @param prefix the topic prefix
   * @param requests how many requests
   * @param seed the workload's seed
   * @param reportFigures whether to print the round's figures as it goes (not for the warm-up)
   */
  RoundResult run(String label, String prefix, long requests, long seed, boolean reportFigures) throws InterruptedException {
    PipelineTopics topics = new PipelineTopics(prefix);
    String passThroughTopic = prefix + ".passthrough";
    String runId = Long.toString(System.currentTimeMillis(), 36);
    cluster.createTopics(topics, settings.partitions(), Workload.MODEL, List.of(passThroughTopic));
    try (RestSchemaRegistryClient registry = cluster.newRegistryClient()) {
      ModelFixture fixture = new ModelFixture(cluster, registry, topics);
      fixture.deploy(Instant.now());
      Workload workload = new Workload(seed, label, Instant.now(), settings.keyedByRequestId());
      long seeded = fixture.seedResults(workload.popularTexts());
      long loadStart = System.nanoTime();
      WorkloadExpectations expectations = new RequestLoader(cluster, registry).load(topics.requests(), workload, requests);
      progress.printf(Locale.ROOT, "[%s] wrote %d requests to %s in %.1f s (untimed)%n", label, requests, topics.requests(),
          (System.nanoTime() - loadStart) / 1e9);

      PassMeasurement passThrough = runPassThrough("bench-passthrough-" + label + "-" + runId, topics, passThroughTopic, requests);
      progress.println("[" + label + "] pass-through done" + (reportFigures
          ? String.format(Locale.ROOT, ": %.0f records/s (%.2f s)", passThrough.recordsPerSecond(), passThrough.seconds()) : ""));

      IngressPass.Result ingress = new IngressPass(new StreamsPass(cluster), streams, cluster.registryUrl(), settings.ingressOverrides())
          .run("bench-ingress-" + label + "-" + runId, topics, settings.partitions(), requests, seeded, settings.passTimeout());
      progress.println("[" + label + "] ingress done" + (reportFigures ? String.format(Locale.ROOT, ": %.0f records/s (%.2f s)",
          ingress.measurement().recordsPerSecond(), ingress.measurement().seconds()) : ""));
      return new RoundResult(label, expectations, passThrough, ingress.measurement(), ingress.outcomes(), seeded);
    }
  }

  private PassMeasurement runPassThrough(String applicationId, PipelineTopics topics, String output, long requests)
      throws InterruptedException {
    try (RestSchemaRegistryClient registry = cluster.newRegistryClient();
        OutputCounter counter = new OutputCounter(cluster.bootstrapServers(), List.of(output))) {
      AvroSerde<InferenceRequest> serde = AvroSerde.specific(InferenceRequest.class, registry);
      Properties properties = new Properties();
      properties.putAll(streams.forApplication(applicationId));
      PassSpec spec = new PassSpec("pass-through", PassThroughTopology.build(topics.requests(), output, serde), properties,
          topics.requests(), requests, settings.passTimeout());
      return new StreamsPass(cluster).run(spec, counter, () -> counter.count(output));
    }
  }
}
