package dev.sluice.cli.run;

import dev.sluice.topology.ingress.IngressApp;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice ingress}: the ingress topology against an existing cluster, until SIGTERM or Ctrl-C. */
@Command(name = "ingress", mixinStandardHelpOptions = true,
    description = {"Run the ingress Kafka Streams application: validate, normalize, de-duplicate and route requests.",
        "Settings come from --config (a properties file), then SLUICE_* environment variables, then these flags;",
        "without any, it joins the local stack of ./sluice up or ./sluice broker (localhost:9092, http://localhost:8081)."})
public final class IngressCommand implements Callable<Integer>, ComponentCommand {
  @Mixin ComponentOptions options;

  @Option(names = "--port", paramLabel = "PORT", description = "Port of /metrics and /health/* (default 8090; 0 picks a free one).")
  Integer port;

  @Override
  public Integer call() throws IOException, InterruptedException {
    return IngressApp.run(settings(System.getenv()));
  }

  @Override
  public Map<String, String> settings(Map<String, String> environment) {
    return options.settingsWithState("ingress", environment).flag("ingress.http.port", port == null ? null : port.toString()).toMap();
  }
}
