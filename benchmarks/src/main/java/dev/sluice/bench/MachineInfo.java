package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The machine a benchmark ran on, as the JVM sees it.
 *
 * @param cores {@code Runtime.availableProcessors()}
 * @param cpuModel the first "model name" of /proc/cpuinfo, or "unknown"
 * @param maxHeapBytes {@code Runtime.maxMemory()}
 * @param javaVersion {@code java.version}
 * @param javaVm {@code java.vm.name}
 * @param os {@code os.name os.version os.arch}
 */
record MachineInfo(int cores, String cpuModel, long maxHeapBytes, String javaVersion, String javaVm, String os) {
  private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

  /** This JVM's machine. */
  static MachineInfo current() {
    Runtime runtime = Runtime.getRuntime();
    return new MachineInfo(runtime.availableProcessors(), readCpuModel(), runtime.maxMemory(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
  }

  /** One line for the report. */
  String describe() {
    return String.format(Locale.ROOT, "%d cores (%s), max heap %.1f GiB, Java %s (%s), %s", cores, cpuModel,
        maxHeapBytes / (1024.0 * 1024 * 1024), javaVersion, javaVm, os);
  }

  private static String readCpuModel() {
    if (!Files.isReadable(CPU_INFO)) {
      return "unknown";
    }
    try (Stream<String> lines = Files.lines(CPU_INFO)) {
      return lines.filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
