package dev.sluice.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Sluice;
import dev.sluice.stack.LocalStackLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BrokerCommandTest {

  @Test
  void takenBrokerPortIsOneLineNamingTheFlag(@TempDir Path dataDir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      StringWriter err = new StringWriter();
      CommandLine cli = Sluice.commandLine();
      cli.setOut(new PrintWriter(new StringWriter(), true));
      cli.setErr(new PrintWriter(err, true));

      int exit = cli.execute("broker", "--data-dir", dataDir.toString(), "--host", "localhost",
          "--broker-port", Integer.toString(taken.getLocalPort()), "--registry-port", "0");

      assertThat(exit).isEqualTo(1);
      assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("Exception")
          .startsWith("sluice: Port " + taken.getLocalPort()).contains("--broker-port");
    }
  }

  @Test
  void settingNamesBecomeFlagNamesButWordsAroundThemStay() {
    assertThat(LocalStackLauncher.inFlagNames("Port 9092 on localhost (broker.port) is taken; choose another port with broker.port."))
        .isEqualTo("Port 9092 on localhost (--broker-port) is taken; choose another port with --broker-port.");
    assertThat(LocalStackLauncher.inFlagNames("Invalid value -1 for configuration registry.port: must be between 0 and 65535"))
        .isEqualTo("Invalid value -1 for configuration --registry-port: must be between 0 and 65535");
    assertThat(LocalStackLauncher.inFlagNames("kafka.data.dir.x stays")).isEqualTo("kafka.data.dir.x stays");
  }
}
