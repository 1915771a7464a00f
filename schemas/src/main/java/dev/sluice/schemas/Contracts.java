package dev.sluice.schemas;

import dev.sluice.avro.Alert;
import dev.sluice.avro.AuditEvent;
import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.MetricEvent;
import dev.sluice.avro.MetricsSnapshot;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLoadState;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The pipeline's published contracts: the Avro record types written to its topics, and the
 * {@code .avsc} files of them that the build ships inside this module's jar (under
 * {@value #RESOURCE_DIR}), so a client in any language can read the schema without the
 * {@code .avdl} source or a running registry. {@link #main} writes those files at build time.
 */
public final class Contracts {
  /** The classpath folder of the shipped {@code .avsc} files, one per contract, named {@code <Record>.avsc}. */
  public static final String RESOURCE_DIR = "dev/sluice/avro";

  /** Every record type that is a topic's value, in the order of the flow. */
  public static final List<Schema> ALL = List.of(InferenceRequest.getClassSchema(), PreparedRequest.getClassSchema(),
      InferenceResult.getClassSchema(), RejectedRequest.getClassSchema(), MetricEvent.getClassSchema(),
      MetricsSnapshot.getClassSchema(), Alert.getClassSchema(), Feedback.getClassSchema(), ModelDeployment.getClassSchema(),
      AuditEvent.getClassSchema(), ModelLoadState.getClassSchema());

  private Contracts() {}

  /** The file name of a contract's {@code .avsc}. */
  public static String fileName(Schema contract) {
    return contract.getName() + ".avsc";
  }

  /** The classpath file of the dead letters' reason codes, each with what it means and what to do. */
  public static final String REASON_CODES = "dev/sluice/reason-codes.md";

  /** The reason codes' table ({@value #REASON_CODES}), as markdown. */
  public static String reasonCodes() {
    return resource(REASON_CODES);
  }

  /**
   * The shipped {@code .avsc} text of a contract, as the build wrote it.
   *
   * @throws IllegalStateException when the jar has no such file (a build without {@code process-classes})
   */
  public static String shippedText(Schema contract) {
    return resource(RESOURCE_DIR + "/" + fileName(contract));
  }

  private static String resource(String resource) {
    try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the build did not ship " + resource + "; rebuild with mvn install");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /**
   * Writes every contract as a pretty-printed {@code .avsc} into a folder, replacing files of the same name.
   *
   * @return the files written, in the order of {@link #ALL}
   */
  public static List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new java.util.ArrayList<>();
    for (Schema contract : ALL) {
      Path file = dir.resolve(fileName(contract));
      Files.writeString(file, contract.toString(true) + "\n", StandardCharsets.UTF_8);
      written.add(file);
    }
    return List.copyOf(written);
  }

  /** The build step: {@code Contracts <output folder>}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: Contracts <output folder>");
    }
    AvroTrust.trustContracts();
    write(Path.of(args[0]));
  }
}
