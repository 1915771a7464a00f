package dev.sluice.worker;

import dev.sluice.worker.flush.FlushBuffer;
import dev.sluice.worker.fleet.ModelFleet;
import dev.sluice.worker.fleet.VersionLookup;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a flush while a waiting request's model version is still loading or being looked up in
 * the model registry (the fleet says {@link VersionLookup.Pending}), so no request is answered
 * ERROR for a version about to serve; and tells the fleet which versions no waiting request needs
 * any more, so a removed version can close. On the loop's thread.
 */
final class LoadHold {
  private static final Logger LOG = LoggerFactory.getLogger(LoadHold.class);

  private final ModelFleet fleet;
  private final FlushBuffer<PolledRecord> waiting;
  private String reason;

  LoadHold(ModelFleet fleet, FlushBuffer<PolledRecord> waiting) {
    this.fleet = fleet;
    this.waiting = waiting;
  }

  /** Whether a flush must wait now; logs each new reason once. */
  boolean holds() {
    String now = null;
    for (String version : waitingVersions()) {
      if (fleet.lookup(version) instanceof VersionLookup.Pending pending) {
        now = pending.reason();
        break;
      }
    }
    if (now != null && !now.equals(reason)) {
      LOG.info("Holding {} waiting requests: {}", waiting.size(), now);
    }
    reason = now;
    return now != null;
  }

  /** What the last {@link #holds} check waited for, or null when it did not hold. */
  String reason() {
    return reason;
  }

  /** Whether no waiting request is for the version. */
  boolean drained(String version) {
    return !waitingVersions().contains(version);
  }

  private Set<String> waitingVersions() {
    Set<String> versions = new HashSet<>();
    for (PolledRecord polled : waiting.peekAll()) {
      if (polled instanceof PolledRecord.Request request) {
        versions.add(request.version());
      }
    }
    return versions;
  }
}
