package dev.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a dashboard page with axe-core (the dashboard's devDependency, from npm) and keeps a
 * full-page screenshot of it under {@code target/screenshots/} to look at. A page fails on any
 * serious or critical violation, and when it has no single {@code h1} or no {@code main} landmark
 * (axe rates those two moderate, but every page has them).
 */
public final class Accessibility {

  private static final Path AXE = Path.of("frontend", "node_modules", "axe-core", "axe.min.js");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Violations of the impacts that fail a page, as JSON; the other results are not needed. */
  private static final String RUN_AXE =
      """
      async () => {
        const results = await axe.run(document, { resultTypes: ['violations'] });
        return JSON.stringify(results.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
          })));
      }
      """;

  private Accessibility() {}

  /**
   * Saves {@code target/screenshots/<name>.png} of the page as it is now, then fails the test on
   * its serious or critical axe-core violations, each listed with the elements and why. Call it
   * once the page shows what the test came for (after a Playwright assertion on it).
   */
  public static void check(Page page, String name) {
    screenshot(page, name);
    List<String> violations = new ArrayList<>();
    int headings = page.locator("h1").count();
    if (headings != 1) {
      violations.add(headings + " h1 elements: a page has one, its title");
    }
    int mains = page.getByRole(AriaRole.MAIN).count();
    if (mains != 1) {
      violations.add(mains + " main landmarks: a page has one, around its content");
    }
    if (!Boolean.TRUE.equals(page.evaluate("() => typeof axe !== 'undefined'"))) {
      page.addScriptTag(new Page.AddScriptTagOptions().setPath(axeScript()));
    }
    for (JsonNode violation : parse((String) page.evaluate(RUN_AXE))) {
      StringBuilder text =
          new StringBuilder()
              .append(violation.path("impact").asText())
              .append(' ')
              .append(violation.path("id").asText())
              .append(": ")
              .append(violation.path("help").asText());
      for (JsonNode node : violation.path("nodes")) {
        text.append("\n    at ")
            .append(node.path("target").asText())
            .append("\n      ")
            .append(node.path("summary").asText().replace("\n", "\n      "));
      }
      violations.add(text.toString());
    }
    assertThat(violations)
        .as("accessibility violations (axe-core: serious or critical) on %s (%s)", name, page.url())
        .isEmpty();
  }

  /** Saves {@code target/screenshots/<name>.png}, the whole page. */
  public static void screenshot(Page page, String name) {
    // Scrolled down, a full-page shot paints the fixed header and navigation halfway down.
    page.evaluate("() => window.scrollTo(0, 0)");
    try {
      Files.createDirectories(SCREENSHOTS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Transitions run to their end first (a resized window slides the navigation away), so the
    // shot, and the checks after it, see the page at rest.
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(SCREENSHOTS.resolve(name + ".png"))
            .setFullPage(true)
            .setAnimations(ScreenshotAnimations.DISABLED));
  }

  /** axe.min.js of the dashboard's node_modules, looked for from the working directory up. */
  private static Path axeScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve(AXE);
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new IllegalStateException(
        "No "
            + AXE
            + " in "
            + Path.of("").toAbsolutePath()
            + " or a directory above it: run `npm ci` in frontend/ (axe-core is one of the"
            + " dashboard's devDependencies)");
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
