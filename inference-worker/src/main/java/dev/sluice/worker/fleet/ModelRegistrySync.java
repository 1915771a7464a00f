package dev.sluice.worker.fleet;

import java.util.HashMap;
import java.util.Map;

/**
 * When "not deployed" is final, for a {@link ModelFleet}: a lookup of a version the
 * {@link ModelRegistryFeed} has not seen asks for a read of the model registry
 * ({@code <prefix>.models}) to its current end, and the version counts as missing only once a
 * read asked for after that lookup has finished. Read number 0 is the start-up read. (The schema
 * registry has nothing to do with it.) Not thread-safe: the fleet guards it.
 */
final class ModelRegistrySync {
  private final Map<String, Long> unknown = new HashMap<>();
  private long wanted;
  private long done = -1;

  /** The number of the latest read asked for. */
  long wanted() {
    return wanted;
  }

  /** A read asked for as number {@code request} (and all before it) has finished. */
  void done(long request) {
    done = Math.max(done, request);
  }

  /** Whether the start-up read has finished. */
  boolean startUpDone() {
    return done >= 0;
  }

  /**
   * Whether an unseen version is missing for good; the first call for it asks for a new read.
   *
   * @return true once a read asked for after the first call has finished
   */
  boolean missingAfterRead(String version) {
    Long request = unknown.computeIfAbsent(version, v -> ++wanted);
    return done >= request;
  }

  /** The feed has seen the version (deployed or removed): forget the lookups of it. */
  void seen(String version) {
    unknown.remove(version);
  }
}
