package dev.sluice.cli.run;

import dev.sluice.gateway.GatewayApp;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice gateway}: the HTTP API over an existing cluster, until SIGTERM or Ctrl-C. */
@Command(name = "gateway",
    header = "Run the HTTP gateway (OpenAI embeddings, Open Inference Protocol v2).",
    mixinStandardHelpOptions = true, subcommands = GatewayHashKeyCommand.class,
    description = {"Run the HTTP gateway: OpenAI-compatible POST /v1/embeddings and GET /v1/models over the pipeline,",
        "each call answered from this instance's partition of the replies topic. Settings come from --config, then",
        "SLUICE_* environment variables (SLUICE_GATEWAY_API_KEYS among them), then these flags."})
public final class GatewayCommand implements Callable<Integer>, ComponentCommand {
  @Mixin ComponentOptions options;

  @Option(names = "--host", description = "Address to listen on (default 127.0.0.1; any other needs API keys or --allow-anonymous).")
  String host;

  @Option(names = "--port", description = "API port (default 8080; 0 for a free one).")
  Integer port;

  @Option(names = "--ops-port", description = "Port of /metrics and /health/* (default 8094; 0 for a free one).")
  Integer opsPort;

  @Option(names = "--reply-partition", paramLabel = "N",
      description = "The partition of the replies topic this instance owns; each running gateway needs its own (default 0).")
  Integer replyPartition;

  @Option(names = "--api-keys-file", paramLabel = "FILE", description = "API keys, one <key id>:<tenant>:sha256:<hex> per line.")
  String apiKeysFile;

  @Option(names = "--allow-anonymous", description = "Serve calls without an API key (as the default tenant) even when keys are configured"
      + " or the gateway listens beyond loopback.")
  boolean allowAnonymous;

  @Option(names = "--allow-plaintext", description = "Serve plain HTTP beyond loopback (else TLS is required there: SLUICE_GATEWAY_TLS_*).")
  boolean allowPlaintext;

  @Override
  public Integer call() throws InterruptedException {
    return Math.max(GatewayApp.run(settings(System.getenv())), 0);
  }

  @Override
  public Map<String, String> settings(Map<String, String> environment) {
    return options.settings(environment)
        .flag("gateway.host", host)
        .flag("gateway.port", port == null ? null : port.toString())
        .flag("gateway.ops.port", opsPort == null ? null : opsPort.toString())
        .flag("gateway.reply.partition", replyPartition == null ? null : replyPartition.toString())
        .flag("gateway.api.keys.file", apiKeysFile)
        .flag("gateway.allow.anonymous", allowAnonymous ? "true" : null)
        .flag("gateway.allow.plaintext", allowPlaintext ? "true" : null)
        .toMap();
  }
}
