package dev.sluice.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Texts from a UTF-8 file, one per non-blank line, used in turn and from the start again when they run out. */
public final class FileTexts implements TextSource {
  private final Path file;
  private final List<String> lines;

  private FileTexts(Path file, List<String> lines) {
    this.file = file;
    this.lines = lines;
  }

  /**
   * Reads the file.
   *
   * @throws IllegalArgumentException when it cannot be read or has no text
   */
  public static FileTexts read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the text source " + file + ": " + e.getMessage(), e);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("the text source " + file + " has no non-blank line");
    }
    return new FileTexts(file, lines);
  }

  @Override
  public String text(long index) {
    return lines.get((int) (index % lines.size()));
  }

  @Override
  public String describe() {
    return file.toString();
  }
}
