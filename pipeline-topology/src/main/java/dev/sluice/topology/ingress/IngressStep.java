package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import java.util.List;
import java.util.Objects;

/**
 * What a stage of the request path makes of one request. {@link RequestPreparer} ends in a
 * {@link Prepared} or a {@link Reject}; {@link RequestAdmission} turns a Prepared into a
 * {@link Reject}, a {@link Dropped}, an {@link Answer} or lets it through to be routed. The
 * {@link RequestProcessor} writes each case to its topic.
 */
sealed interface IngressStep {

  /**
   * A request that was decoded, routed, validated and normalized: after admission it goes to
   * {@code <prefix>.inference.<model>}, plus one copy per shadow version.
   *
   * @param in the input record it came from
   * @param request the prepared request, for the primary version
   * @param shadows the shadow versions that get a copy (sorted by version, never the primary)
   * @param dedupKey the dedup key when the request carries an idempotency key, else null
   */
  record Prepared(Inbound in, PreparedRequest request, List<ModelDeployment> shadows, String dedupKey) implements IngressStep {
    public Prepared {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(shadows, "shadows");
    }
  }

  /**
   * A refused request, for {@code <prefix>.requests.rejected}.
   *
   * @param rejection the dead letter
   */
  record Reject(RejectedRequest rejection) implements IngressStep {
    public Reject {
      Objects.requireNonNull(rejection, "rejection");
    }
  }

  /**
   * A request answered from the result cache, for {@code <prefix>.results}.
   *
   * @param in the input record it came from
   * @param result the cached answer under the new request's id
   */
  record Answer(Inbound in, InferenceResult result) implements IngressStep {
    public Answer {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(result, "result");
    }
  }

  /** A retry of an idempotency key seen within the dedup TTL: dropped, counted, nothing written. */
  record Dropped() implements IngressStep {}
}
