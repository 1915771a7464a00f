package dev.sluice.loadgen;

/** The texts a bench sends, by request index; the same index always gives the same text. */
public interface TextSource {
  /** The text of the request at this index (0-based). */
  String text(long index);

  /** A short description for the report, e.g. {@code builtin} or the file name. */
  String describe();
}
