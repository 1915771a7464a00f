package dev.sluice.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests this instance sent and waits for, by request id. A reply completes its request's
 * future; a deadline fails it with a {@link TimeoutException} and forgets it, so a reply that
 * comes later is counted as unclaimed and dropped. Thread-safe: HTTP threads register, the reply
 * reader completes, the futures' own timers expire.
 */
final class PendingCalls {
  private final Map<String, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong unclaimed = new AtomicLong();

  /** Registers a request before it is sent; its future completes with the reply or fails after the timeout. */
  CompletableFuture<Reply> register(String requestId, Duration timeout) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    if (waiting.putIfAbsent(requestId, reply) != null) {
      throw new IllegalStateException("request id " + requestId + " is already waiting");
    }
    reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> waiting.remove(requestId, reply));
    return reply;
  }

  /** A reply arrived: completes its request; one nobody waits for any more is counted. */
  void complete(String requestId, Reply reply) {
    CompletableFuture<Reply> future = requestId == null ? null : waiting.remove(requestId);
    if (future == null || !future.complete(reply)) {
      unclaimed.incrementAndGet();
    }
  }

  /** Gives up on a request (its send failed, or its caller left). */
  void fail(String requestId, Throwable cause) {
    CompletableFuture<Reply> future = waiting.remove(requestId);
    if (future != null) {
      future.completeExceptionally(cause);
    }
  }

  /** Fails every waiting request, at shutdown or when replies can no longer be read. */
  void failAll(Throwable cause) {
    for (String id : waiting.keySet()) {
      fail(id, cause);
    }
  }

  /** Requests waiting now. */
  int size() {
    return waiting.size();
  }

  /** Replies nobody waited for (late, or for an earlier run of this instance). */
  long unclaimed() {
    return unclaimed.get();
  }
}
