import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.loadgen.RequestTexts;
import dev.sluice.loadgen.TextPlan;

/**
 * Prints the request bodies of POST /v1/embeddings for a load generator other than `sluice bench`
 * (wrk): one JSON body per line, each with the text `sluice bench` would send as request i of a run
 * whose id ends in TAG (the same generated sentences, tagged so that no text repeats and the result
 * cache answers none), asking for the vector in base64.
 *   java -cp cli/target/sluice.jar benchmarks/scripts/BenchTexts.java COUNT TAG [MODEL] > bodies.jsonl
 */
public class BenchTexts {
  public static void main(String[] args) {
    int count = Integer.parseInt(args[0]);
    String model = args.length > 2 ? args[2] : "minilm";
    RequestTexts texts = new RequestTexts(new TextPlan(new GeneratedSentences(42), 42, true, 0.0), "wrk-" + args[1]);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String text = texts.text(i).replace("\\", "\\\\").replace("\"", "\\\"");
      out.append("{\"model\":\"").append(model).append("\",\"input\":\"").append(text).append("\",\"encoding_format\":\"base64\"}\n");
    }
    System.out.print(out);
  }
}
