package dev.sluice.cli.run;

import dev.sluice.topology.monitor.MonitorApp;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice monitor}: the monitoring topology against an existing cluster, until SIGTERM or Ctrl-C. */
@Command(name = "monitor",
    header = "Run the monitoring application: metric snapshots, alerts, quality.",
    mixinStandardHelpOptions = true,
    description = {"Run the monitoring Kafka Streams application: windowed metric snapshots on sluice.metrics, model",
        "quality from sluice.feedback, alerts on sluice.alerts. Settings come from --config, then SLUICE_* environment",
        "variables, then these flags; without any, it joins the local stack of ./sluice up or ./sluice broker."})
public final class MonitorCommand implements Callable<Integer>, ComponentCommand {
  @Mixin ComponentOptions options;

  @Option(names = "--port", paramLabel = "PORT", description = "Port of /metrics and /health/* (default 8092; 0 picks a free one).")
  Integer port;

  @Override
  public Integer call() throws IOException, InterruptedException {
    return MonitorApp.run(settings(System.getenv()));
  }

  @Override
  public Map<String, String> settings(Map<String, String> environment) {
    return options.settingsWithState("monitor", environment).flag("monitor.http.port", port == null ? null : port.toString()).toMap();
  }
}
