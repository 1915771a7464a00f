package dev.sluice.topology.monitor;

import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import java.util.Comparator;

/**
 * One side of the result–feedback join, or its outcome, keyed by request id in the join: a
 * prediction (model, version, top label of an OK classification result) or a label (the model
 * the feedback names, if any; version null; the true label).
 *
 * @param model the model, or null on a feedback that names none
 * @param version the model version, or null on a feedback
 * @param label the predicted label, or the true one
 */
record LabelledOutcome(String model, String version, String label) {

  /** The prediction of an OK classification result, or null for any other result. */
  static LabelledOutcome prediction(InferenceResult result) {
    if (result.getStatus() != Status.OK || !(result.getOutput() instanceof ClassScores scores) || scores.getScores().isEmpty()) {
      return null;
    }
    ClassScore top = scores.getScores().stream().max(Comparator.comparingDouble(ClassScore::getScore)).orElseThrow();
    return new LabelledOutcome(result.getModel(), result.getModelVersion(), top.getLabel());
  }

  /** The longest label a feedback may carry: labels are class names, not documents. */
  static final int MAX_LABEL_CHARS = 1024;

  /** Whether a feedback can be joined: it names a request and carries a label of at most {@value #MAX_LABEL_CHARS} chars. */
  static boolean usable(Feedback feedback) {
    return feedback.getRequestId() != null && !feedback.getRequestId().isBlank() && feedback.getLabel() != null
        && !feedback.getLabel().isBlank() && feedback.getLabel().length() <= MAX_LABEL_CHARS
        && (feedback.getModel() == null || feedback.getModel().length() <= MAX_LABEL_CHARS);
  }

  /** The true label of a feedback. */
  static LabelledOutcome truth(Feedback feedback) {
    return new LabelledOutcome(feedback.getModel(), null, feedback.getLabel());
  }

  /** Whether a feedback's model (when it names one) is this prediction's. */
  boolean matches(LabelledOutcome truth) {
    return truth.model() == null || truth.model().equals(model);
  }
}
