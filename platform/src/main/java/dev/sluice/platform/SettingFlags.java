package dev.sluice.platform;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Components name their settings as properties ({@code registry.port}); on the command line the
 * same settings are flags ({@code --port}). Rewrites a component's message into the flag names the
 * user typed, leaving longer names that merely start with a setting's name alone.
 */
public final class SettingFlags {
  private SettingFlags() {}

  /**
   * @param message a component's message
   * @param flags setting name to flag, e.g. {@code registry.port -> --port}
   * @return the message with each whole setting name replaced by its flag
   */
  public static String rename(String message, Map<String, String> flags) {
    String out = message;
    for (Map.Entry<String, String> entry : flags.entrySet()) {
      out = out.replaceAll("(?<![\\w.-])" + Pattern.quote(entry.getKey()) + "(?![\\w-])", Matcher.quoteReplacement(entry.getValue()));
    }
    return out;
  }
}
