package dev.sluice.cli.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAsWideAsTheirWidestCellWithoutTrailingBlanks() {
    StringWriter text = new StringWriter();

    new Table("A", "LONGER", "C").row("wide cell", 1, null).row("x", 22, "last").print(new PrintWriter(text));

    assertThat(text.toString().lines()).containsExactly(
        "A          LONGER  C",
        "wide cell  1",
        "x          22      last");
  }

  @Test
  void refusesARowOfTheWrongWidth() {
    assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
  }
}
