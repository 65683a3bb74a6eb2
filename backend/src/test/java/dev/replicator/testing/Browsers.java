package dev.replicator.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts headless Chromium for browser tests: the one named by {@code REPLICATOR_TEST_CHROMIUM},
 * else a system Chromium or Chrome. Playwright downloads its own browser only where no system
 * browser exists (a laptop); CI installs Debian's chromium, so nothing is downloaded there.
 */
public final class Browsers {

  private static final List<String> CANDIDATES =
      List.of(
          "/usr/bin/chromium",
          "/usr/bin/chromium-browser",
          "/usr/bin/google-chrome",
          "/usr/bin/google-chrome-stable");

  private Browsers() {}

  public static Optional<Path> systemChromium() {
    String configured = System.getenv("REPLICATOR_TEST_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  public static Playwright playwright() {
    Playwright.CreateOptions options = new Playwright.CreateOptions();
    if (systemChromium().isPresent()) {
      options.setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
    }
    return Playwright.create(options);
  }

  public static Browser chromium(Playwright playwright) {
    BrowserType.LaunchOptions options =
        new BrowserType.LaunchOptions()
            .setHeadless(true)
            .setArgs(
                List.of(
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync"));
    systemChromium().ifPresent(options::setExecutablePath);
    return playwright.chromium().launch(options);
  }
}
