package dev.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's {@code --help} reads: each option's default value shown (picocli's
 * {@code Default:} line; options whose default depends on the command say it in words), and a
 * command's description, written in the source as an array of line-sized pieces, joined into
 * paragraphs that picocli wraps to the terminal's width, instead of one printed line per piece.
 * An empty piece separates paragraphs; a piece that starts with a space (an example command) stays
 * a line of its own.
 */
final class HelpLayout {
  private HelpLayout() {}

  /** Applies the layout to the command and all its subcommands; returns the command. */
  static CommandLine apply(CommandLine command) {
    UsageMessageSpec usage = command.getCommandSpec().usageMessage();
    usage.showDefaultValues(true);
    usage.description(paragraphs(usage.description()));
    command.getSubcommands().values().forEach(HelpLayout::apply);
    return command;
  }

  /** The pieces joined by spaces, a new paragraph at each empty or indented piece. */
  static String[] paragraphs(String[] pieces) {
    List<String> paragraphs = new ArrayList<>();
    StringBuilder paragraph = new StringBuilder();
    for (String piece : pieces) {
      if (piece.isBlank() || Character.isWhitespace(piece.charAt(0))) {
        if (paragraph.length() > 0) {
          paragraphs.add(paragraph.toString());
          paragraph.setLength(0);
        }
        paragraphs.add(piece.isBlank() ? "" : piece);
      } else {
        if (paragraph.length() > 0) {
          paragraph.append(' ');
        }
        paragraph.append(piece.strip());
      }
    }
    if (paragraph.length() > 0) {
      paragraphs.add(paragraph.toString());
    }
    return paragraphs.toArray(String[]::new);
  }
}
