package dev.sluice.worker.runtime;

import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelRunException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * TEXT_CLASSIFICATION as zero-shot classification over a sentence encoder. At load each of the
 * deployment's labels is put into a prompt ({@value #DEFAULT_TEMPLATE} unless the deployment's
 * property {@value #TEMPLATE} says otherwise) and embedded once. A text's scores are the softmax
 * of its cosine similarities to those prompts divided by a temperature (property
 * {@value #TEMPERATURE}, default {@value #DEFAULT_TEMPERATURE}; cosine similarities of a sentence
 * encoder lie close together, so a small temperature spreads them into usable probabilities).
 * Scores sum to 1 and come best first.
 */
final class ZeroShotClassificationHandler implements TaskHandler {
  static final String TEMPLATE = "classification.template";
  static final String TEMPERATURE = "classification.temperature";
  static final String DEFAULT_TEMPLATE = "This text is about {label}.";
  static final double DEFAULT_TEMPERATURE = 0.05;
  private static final String PLACEHOLDER = "{label}";

  private final TextEncoder encoder;
  private final List<String> labels;
  private final List<float[]> labelVectors;
  private final double temperature;

  private ZeroShotClassificationHandler(TextEncoder encoder, List<String> labels, List<float[]> labelVectors,
      double temperature) {
    this.encoder = encoder;
    this.labels = labels;
    this.labelVectors = labelVectors;
    this.temperature = temperature;
  }

  /**
   * Embeds the labels' prompts.
   *
   * @throws ModelLoadException when there are no labels, a label repeats, a property is invalid,
   *     or the prompts cannot be embedded
   */
  static ZeroShotClassificationHandler create(TextEncoder encoder, List<String> labels, Map<String, String> properties)
      throws ModelLoadException {
    if (labels.isEmpty()) {
      throw new ModelLoadException("A TEXT_CLASSIFICATION deployment needs labels; this one has none", null);
    }
    if (new HashSet<>(labels).size() != labels.size()) {
      throw new ModelLoadException("The deployment's labels repeat: " + labels, null);
    }
    String template = properties.getOrDefault(TEMPLATE, DEFAULT_TEMPLATE);
    if (!template.contains(PLACEHOLDER)) {
      throw new ModelLoadException("Invalid value " + template + " for deployment property " + TEMPLATE
          + ": must contain " + PLACEHOLDER, null);
    }
    double temperature = temperature(properties.get(TEMPERATURE));
    List<String> prompts = labels.stream().map(label -> template.replace(PLACEHOLDER, label)).toList();
    try {
      List<float[]> vectors = encoder.encode(prompts).vectors();
      return new ZeroShotClassificationHandler(encoder, List.copyOf(labels), vectors, temperature);
    } catch (ModelRunException e) {
      throw new ModelLoadException("Cannot embed the classification labels: " + e.getMessage(), e);
    }
  }

  private static double temperature(String text) throws ModelLoadException {
    if (text == null) {
      return DEFAULT_TEMPERATURE;
    }
    try {
      double value = Double.parseDouble(text.trim());
      if (value > 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      throw new ModelLoadException("Invalid value " + text + " for deployment property " + TEMPERATURE
          + ": must be a number > 0", e);
    }
    throw new ModelLoadException("Invalid value " + text + " for deployment property " + TEMPERATURE
        + ": must be a number > 0", null);
  }

  @Override
  public BatchResult run(List<Object> inputs) throws ModelRunException {
    TextEncoder.EncodedTexts encoded = encoder.encode(TextInputs.texts(inputs, "TEXT_CLASSIFICATION"));
    List<Object> outputs = new ArrayList<>(inputs.size());
    for (float[] vector : encoded.vectors()) {
      outputs.add(scores(vector));
    }
    return new BatchResult(outputs, encoded.realTokens(), encoded.paddedTokens(), 0);
  }

  private ClassScores scores(float[] vector) {
    double[] logits = new double[labels.size()];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < logits.length; j++) {
      float[] label = labelVectors.get(j);
      double cosine = 0;
      for (int d = 0; d < vector.length; d++) {
        cosine += (double) vector[d] * label[d];
      }
      logits[j] = cosine / temperature;
      max = Math.max(max, logits[j]);
    }
    double sum = 0;
    for (int j = 0; j < logits.length; j++) {
      logits[j] = Math.exp(logits[j] - max);
      sum += logits[j];
    }
    List<ClassScore> scores = new ArrayList<>(logits.length);
    for (int j = 0; j < logits.length; j++) {
      scores.add(ClassScore.newBuilder().setLabel(labels.get(j)).setScore((float) (logits[j] / sum)).build());
    }
    scores.sort(Comparator.comparingDouble(ClassScore::getScore).reversed());
    return ClassScores.newBuilder().setScores(scores).build();
  }

  @Override
  public void close() {
    encoder.close();
  }
}
