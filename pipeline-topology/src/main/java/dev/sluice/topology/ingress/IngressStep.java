package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.PreparedRequest;
import dev.sluice.avro.RejectedRequest;
import java.util.List;
import java.util.Objects;

/**
 * What a stage of the request path makes of one request. {@link RequestPreparer} decodes into a
 * {@link Decoded} and ends in a {@link Prepared} or a {@link Reject}; {@link RequestAdmission} turns a Prepared into a
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
   * @param cacheAlternates further versions whose cached answer to the same content may serve the
   *     request when its own version has none: the model's other serving versions, largest share
   *     first, for a request that does not name its version; none for one that does
   */
  record Prepared(RequestRecord in, PreparedRequest request, List<ModelDeployment> shadows, String dedupKey, List<String> cacheAlternates)
      implements IngressStep {
    public Prepared {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(shadows, "shadows");
      Objects.requireNonNull(cacheAlternates, "cacheAlternates");
    }
  }

  /**
   * A record decoded into a request, not routed yet: the request path goes on with it here, or
   * passes it to the task that owns its idempotency key ({@code <prefix>.requests.rerouted}).
   *
   * @param in the input record, with its decoded request
   */
  record Decoded(RequestRecord in) implements IngressStep {
    public Decoded {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(in.request(), "in.request()");
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
  record Answer(RequestRecord in, InferenceResult result) implements IngressStep {
    public Answer {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * A retry of an idempotency key seen within the dedup TTL: dropped and counted; only a caller
   * waiting on a reply partition is told ({@code Replies.DUPLICATE}).
   *
   * @param requestId the retry's own request id
   */
  record Dropped(String requestId) implements IngressStep {}
}
