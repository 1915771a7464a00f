package dev.sluice.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes scratch files so that a reader never sees a half-written one. */
final class ScratchFiles {
  private ScratchFiles() {}

  /** Fills a file that is written by {@link #writeAtomically}. */
  @FunctionalInterface
  interface Writer {
    void write(Path partial) throws IOException;
  }

  /**
   * Writes into a temporary file next to the target, then moves it over the target in one step;
   * the temporary file is removed when writing fails.
   */
  static void writeAtomically(Path target, Writer writer) throws IOException {
    Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
    try {
      writer.write(partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }
}
