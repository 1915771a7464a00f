package dev.sluice.worker.model;

/**
 * Counts the tokens of a text the way the model's own tokenizer makes them (special tokens
 * included), for a version whose server does not report them. Closing releases the tokenizer.
 */
public interface TokenCounter extends AutoCloseable {

  /** Tokens the text comes to. */
  int tokens(String text);

  @Override
  void close();
}
