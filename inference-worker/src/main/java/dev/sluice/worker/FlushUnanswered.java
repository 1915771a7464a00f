package dev.sluice.worker;

import dev.sluice.worker.model.EndpointsUnavailableException;

/**
 * A flush the worker cannot answer now: no endpoint of one of its versions could (see
 * {@link EndpointsUnavailableException}). No input is at fault and no result may be made up, so
 * the flush is not committed: the {@link CommitPipeline} rewinds over it and reads it again after a
 * pause, when requests past their deadline are answered EXPIRED without a call.
 */
final class FlushUnanswered extends RuntimeException {
  private static final long serialVersionUID = 1L;

  FlushUnanswered(String version, EndpointsUnavailableException cause) {
    super("No endpoint of model version " + version + " could answer: " + cause.getMessage(), cause);
  }
}
