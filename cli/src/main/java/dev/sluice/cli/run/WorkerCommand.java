package dev.sluice.cli.run;

import dev.sluice.worker.WorkerApp;
import dev.sluice.worker.WorkerConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice worker}: one inference worker of a model against an existing cluster, until SIGTERM or Ctrl-C. */
@Command(name = "worker",
    header = "Run an inference worker of one model.",
    mixinStandardHelpOptions = true,
    description = {"Run an inference worker: consume a model's prepared requests, run the model in micro-batches,",
        "produce results and metric events exactly once. Settings come from --config, then SLUICE_* environment",
        "variables, then these flags; without any, it joins the local stack of ./sluice up or ./sluice broker."})
public final class WorkerCommand implements Callable<Integer>, ComponentCommand {
  @Option(names = "--model", paramLabel = "NAME", description = "The model whose requests this worker serves.")
  String model;

  @Mixin ComponentOptions options;

  @Option(names = "--device", description = "auto, cpu or gpu:N (default auto).")
  String device;

  @Option(names = "--port", paramLabel = "PORT", description = "Port of /metrics and /health/* (default 8091; 0 picks a free one).")
  Integer port;

  @Option(names = "--wait-for-model", description = "When no version of the model is deployed yet, wait for one instead of exiting.")
  boolean waitForModel;

  @Override
  public Integer call() throws InterruptedException {
    int status = WorkerApp.run(settings(System.getenv()));
    return Math.max(status, 0);
  }

  @Override
  public Map<String, String> settings(Map<String, String> environment) {
    return options.settings(environment)
        .flag("worker.model", model)
        .flag("worker.model.device", device)
        .flag(WorkerConfig.HTTP_PORT, port == null ? null : port.toString())
        .flag(WorkerConfig.WAIT_FOR_MODEL, waitForModel ? "true" : null)
        .toMap();
  }
}
