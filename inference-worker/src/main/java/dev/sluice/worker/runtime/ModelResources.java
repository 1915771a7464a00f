package dev.sluice.worker.runtime;

import java.util.List;

/** Closes native resources in order, keeping the first failure and suppressing the rest. */
final class ModelResources {
  private ModelResources() {}

  /**
   * Closes each resource, even when an earlier one fails.
   *
   * @throws IllegalStateException carrying the first failure, the others suppressed in it
   */
  static void closeAll(List<? extends AutoCloseable> resources) {
    IllegalStateException failure = null;
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Closing model resources failed: " + e.getMessage(), e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
