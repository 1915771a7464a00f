package dev.sluice.cli.models;

import dev.sluice.avro.EndpointProtocol;
import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelEndpoint;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.Task;
import dev.sluice.cli.ClusterOptions;
import dev.sluice.cli.PrefixOption;
import dev.sluice.platform.UserError;
import dev.sluice.platform.models.TrafficChange;
import dev.sluice.platform.models.TrafficPlan;
import dev.sluice.schemas.topics.ModelKey;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.runtime.ArtifactCheck;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice models deploy}: writes one ModelDeployment, deployed now. */
@Command(name = "deploy",
    header = "Deploy a model version (or redeploy it) in the model registry.",
    
    description = {"Deploy a model version: check that its artifact is there (a local path or classpath resource exists,",
        "an http(s) URL answers), then write its ModelDeployment (deployed_at now) under model/version, replacing an",
        "earlier deployment of the same version. Weights are percents of the model's traffic. With --weight W the",
        "version gets W and the model's other versions share the rest as they share traffic now. Without it, a",
        "version deployed again keeps its weight, the first version of a model (or of a model without traffic) gets",
        "100 and any other new version 0: loaded by the workers, serving only requests that name it, until",
        "./sluice models traffic gives it a share. With --endpoint, the version runs on remote servers (Triton, KServe,",
        "TEI, vLLM, OpenAI, a Sluice gateway), tried in the order given; the workers reach them, this command does not."})
final class ModelsDeployCommand implements Callable<Integer> {
  private static final Duration ARTIFACT_CHECK_TIMEOUT = Duration.ofSeconds(10);

  // Not mixinStandardHelpOptions: its -V/--version would clash with --version below, and picocli
  // then leaves out --help as well.
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model name.")
  String model;

  @Option(names = "--version", required = true, paramLabel = "VERSION", description = "Version label.")
  String version;

  @Option(names = "--artifact", paramLabel = "URI", showDefaultValue = CommandLine.Help.Visibility.NEVER,
      description = "Where the model is: a directory or file path, classpath:..., or an http(s) URL. Required unless --endpoint is given;"
          + " with endpoints, it is what a LOCAL endpoint runs and whose tokenizer counts tokens a server does not report.")
  String artifact = "";

  @Option(names = "--endpoint", paramLabel = "SPEC", description = "Where the version runs, in order of preference (repeatable: the first"
      + " is the primary, the others its fallbacks); comma-separated key=value: " + EndpointSpec.KEYS + ". For example"
      + " name=gpu,protocol=oip-v2,url=http://triton:8000,timeout-ms=2000 then name=cpu,protocol=local. API keys come from the worker's"
      + " environment or a mounted file, never from the record.", showDefaultValue = CommandLine.Help.Visibility.NEVER)
  List<String> endpointSpecs = new ArrayList<>();

  @Option(names = "--task", defaultValue = "TEXT_EMBEDDING", description = "${COMPLETION-CANDIDATES}.")
  Task task;

  @Option(names = "--engine", defaultValue = "ONNX_RUNTIME", description = "${COMPLETION-CANDIDATES}.")
  Engine engine;

  @Option(names = "--weight", paramLabel = "W", description = "Percent of the model's traffic, 0 to 100 (default: see above).")
  Double weight;

  @Option(names = "--no-artifact-check", description = "Write the deployment without checking its artifact: for a path that only"
      + " the workers' machines have.")
  boolean noArtifactCheck;

  @Option(names = "--shadow", description = "A shadow version: gets a copy of every request; its results are never served.")
  boolean shadow;

  @Option(names = "--label", paramLabel = "L", description = "A class label, in output order (repeatable; classification models).", showDefaultValue = CommandLine.Help.Visibility.NEVER)
  List<String> labels = new ArrayList<>();

  @Option(names = "--property", paramLabel = "KEY=VALUE", description = "An engine or runtime option (repeatable).", showDefaultValue = CommandLine.Help.Visibility.NEVER)
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(names = "--max-text-chars", paramLabel = "N", description = "Longest text accepted, in characters (default: the ingress's).")
  Integer maxTextChars;

  @Option(names = "--description", paramLabel = "TEXT", description = "Free-text description.")
  String description;

  private List<ModelEndpoint> endpoints = List.of();

  @Mixin PrefixOption prefix;
  @Mixin ClusterOptions cluster;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    check();
    PrintWriter out = spec.commandLine().getOut();
    if (!noArtifactCheck && !artifact.isBlank()) {
      try {
        ArtifactCheck.check(deployment(0), ARTIFACT_CHECK_TIMEOUT);
      } catch (ModelLoadException e) {
        throw new UserError(e.getMessage() + " (nothing deployed; --no-artifact-check deploys it unchecked, for a path only the workers have)", e);
      }
    }
    try (ModelRegistrySession registry = ModelRegistrySession.open(cluster, prefix)) {
      List<ModelDeployment> versions = registry.read(spec.commandLine().getErr()).versionsOf(model);
      ModelDeployment deployment = deployment(shadow && weight != null ? weight : TrafficPlan.defaultWeight(versions, version, shadow));
      List<ModelDeployment> after = new ArrayList<>(versions.stream().filter(d -> !d.getVersion().equals(version)).toList());
      after.add(deployment);
      after.sort((a, b) -> a.getVersion().compareTo(b.getVersion()));
      List<ModelDeployment> written = new ArrayList<>(List.of(deployment));
      if (weight != null && !shadow) {
        TrafficChange change;
        try {
          change = TrafficPlan.reweigh(model, after, Map.of(version, weight));
        } catch (IllegalArgumentException e) {
          throw new UserError(e.getMessage() + " (nothing deployed)", e);
        }
        after = change.after();
        List<ModelDeployment> changed = change.changed();
        written = new ArrayList<>(after.stream().filter(d -> d.getVersion().equals(version) || changed.contains(d)).toList());
      }
      registry.write(written);
      out.printf("deployed %s/%s (%s %s)%s%n", model, version, task, endpoints.isEmpty() ? "on " + engine + ", " + artifact
          : "on " + endpoints.stream().map(e -> e.getName() + " " + (e.getUrl() == null ? "(" + engine + ", " + artifact + ")" : e.getUrl()))
              .collect(Collectors.joining(", then ")), shadow ? " as a shadow" : "");
      out.printf("%s traffic: %s%n", model, TrafficChange.split(after));
      out.flush();
    }
    return 0;
  }

  private void check() {
    List<String> problems = new ArrayList<>();
    try {
      new ModelKey(model, version);
      prefix.topics().inference(model);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    endpoints = new ArrayList<>();
    for (String spec : endpointSpecs) {
      try {
        endpoints.add(EndpointSpec.parse(spec));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (endpoints.stream().map(ModelEndpoint::getName).distinct().count() < endpoints.size()) {
      problems.add("every --endpoint needs a name of its own");
    }
    boolean runsLocally = endpointSpecs.isEmpty() || endpoints.stream().anyMatch(e -> e.getProtocol() == EndpointProtocol.LOCAL);
    if (artifact.isBlank() && runsLocally) {
      problems.add(endpointSpecs.isEmpty() ? "--artifact is required (or --endpoint, for a version served elsewhere)"
          : "a local endpoint runs --artifact: give one");
    }
    if (task != Task.TEXT_EMBEDDING && endpoints.stream().anyMatch(e -> e.getProtocol() == EndpointProtocol.OPENAI)) {
      problems.add("an openai endpoint serves TEXT_EMBEDDING only; use oip-v2 for " + task);
    }
    if (weight != null && (!Double.isFinite(weight) || weight < 0 || weight > TrafficPlan.ALL)) {
      problems.add("--weight must be a percent from 0 to 100, got " + weight);
    }
    if (maxTextChars != null && maxTextChars < 1) {
      problems.add("--max-text-chars must be >= 1, got " + maxTextChars);
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  private ModelDeployment deployment(double trafficWeight) {
    return ModelDeployment.newBuilder()
        .setModel(model)
        .setVersion(version)
        .setArtifactUri(artifact)
        .setEngine(engine)
        .setTask(task)
        .setTrafficWeight(trafficWeight)
        .setShadow(shadow)
        .setLimits(maxTextChars == null ? null : ModelLimits.newBuilder().setMaxTextChars(maxTextChars).build())
        .setLabels(labels)
        .setProperties(properties)
        .setDeployedAt(Instant.now())
        .setDescription(description)
        .setEndpoints(endpoints)
        .build();
  }
}
