package dev.sluice.worker.runtime;

import java.util.Objects;

/**
 * One text after tokenization, unpadded: its token ids and token type ids, special tokens
 * included. Every token is real, so its attention mask is all ones.
 *
 * @param ids token ids
 * @param typeIds token type (segment) ids, as many as ids
 */
record TokenizedText(long[] ids, long[] typeIds) {
  TokenizedText {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(typeIds, "typeIds");
    if (ids.length != typeIds.length) {
      throw new IllegalArgumentException(ids.length + " ids but " + typeIds.length + " type ids");
    }
  }

  /** Number of tokens. */
  int length() {
    return ids.length;
  }
}
