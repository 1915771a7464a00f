package dev.sluice.cli.run;

import dev.sluice.gateway.ApiKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice gateway hash-key}: the stored form of an API key read from standard input, so the key itself is never stored. */
@Command(name = "hash-key",
    header = "Print the stored form of an API key read from standard input.",
    mixinStandardHelpOptions = true,
    description = {"Read an API key from standard input and print its stored form, sha256:<hex>, for a key entry",
        "<key id>:<tenant>:sha256:<hex> in the gateway's key file or SLUICE_GATEWAY_API_KEYS."})
public final class GatewayHashKeyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    PrintWriter out = spec.commandLine().getOut();
    if (key == null || key.strip().isEmpty()) {
      spec.commandLine().getErr().println("Error: no key on standard input (e.g. printf %s \"$KEY\" | sluice gateway hash-key)");
      return 2;
    }
    out.println(ApiKeys.hash(key.strip()));
    out.flush();
    return 0;
  }
}
