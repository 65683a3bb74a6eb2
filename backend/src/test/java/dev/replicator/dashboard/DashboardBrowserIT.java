package dev.replicator.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.replicator.testing.Accessibility;
import dev.replicator.testing.Api;
import dev.replicator.testing.Browsers;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real Chromium against the real server: sign-in, tokens, users, sign-out, and
 * every page of it checked by axe-core ({@link Accessibility}) at 1024 px, some at 390 px too.
 */
class DashboardBrowserIT {

  static TestServer server;
  static Playwright playwright;
  static Browser browser;
  BrowserContext context;
  Page page;

  @BeforeAll
  static void start() {
    java.util.Map<String, Object> config = new java.util.HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.worker.poll-interval", "100ms");
    config.put("replicator.metrics.pending-sample-tick", "200ms");
    server = TestServer.start(config);
    playwright = Browsers.playwright();
    browser = Browsers.chromium(playwright);
  }

  @AfterAll
  static void stop() {
    browser.close();
    playwright.close();
    server.close();
  }

  @BeforeEach
  void openPage() {
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1024, 800));
    page = context.newPage();
    page.setDefaultTimeout(15_000);
  }

  @AfterEach
  void closePage() {
    context.close();
  }

  @Test
  void anAdministratorCreatesATenantATokenAndAUserWhoThenSignsIn() {
    page.navigate(server.baseUrl() + "/");
    assertThat(page).hasURL(Pattern.compile(".*/login.*"));
    assertThat(page.getByLabel("Email")).isVisible();
    Accessibility.check(page, "sign-in");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with an API token"))
        .click();
    assertThat(page.getByLabel("API token")).isVisible();
    Accessibility.check(page, "sign-in-token");
    page.getByLabel("API token").fill(TestServer.ADMIN_TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

    assertThat(page).hasURL(Pattern.compile(".*/tenants$"));
    String tenantName = Fixtures.unique("browser-co");
    typeInto(page.getByLabel("Tenant name"), tenantName);
    press(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create tenant")));
    Locator tenant = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(tenantName));
    assertThat(tenant).isVisible();
    Accessibility.check(page, "tenants");
    tenant.click();
    assertThat(page).hasURL(Pattern.compile(".*/tenants/[0-9a-f-]+/overview$"));
    String tenantId = page.url().replaceAll(".*/tenants/([0-9a-f-]+)/overview$", "$1");
    assertThat(page.getByText("No rules yet")).isVisible();
    Accessibility.check(page, "overview-no-rules");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("API tokens")).click();

    page.getByLabel("Token name").fill("deploy");
    page.getByLabel("Role").selectOption("OPERATOR");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")).click();
    String secret = page.getByTestId("new-token-secret").innerText().strip();
    assertThat(secret).startsWith("rpl_");
    Accessibility.check(page, "tokens-new-secret");
    Api.Response me = server.api().withToken(secret).get("/api/v1/auth/me");
    assertThat(me.json().get("role").asText()).isEqualTo("OPERATOR");
    assertThat(me.json().get("tenantId").asText()).isEqualTo(tenantId);

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done")).click();
    Locator row =
        page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("deploy"));
    row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
    page.getByRole(AriaRole.DIALOG)
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke"))
        .click();
    assertThat(row).hasCount(0);
    assertThat(server.api().withToken(secret).get("/api/v1/auth/me").status()).isEqualTo(401);
    Accessibility.check(page, "tokens");

    page.navigate(server.baseUrl() + "/tenants/" + tenantId + "/users");
    String email = Fixtures.unique("alice") + "@example.com";
    typeInto(page.getByLabel("Email"), email);
    typeInto(page.getByLabel("Password"), Fixtures.PASSWORD);
    typeInto(page.getByLabel("Role"), "VIEWER");
    assertThat(page.getByLabel("Role")).hasValue("VIEWER");
    press(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create user")));
    assertThat(page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(email)))
        .hasCount(1);
    Accessibility.check(page, "users");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit log")).click();
    assertThat(
            page.getByRole(AriaRole.ROW)
                .filter(new Locator.FilterOptions().setHasText(email))
                .first())
        .isVisible();
    Accessibility.check(page, "audit");

    page.navigate(server.baseUrl() + "/no-such-page");
    assertThat(
            page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Page not found")))
        .isVisible();
    Accessibility.check(page, "not-found");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    assertThat(page).hasURL(Pattern.compile(".*/login.*"));

    page.getByLabel("Email").fill(email);
    page.getByLabel("Password").fill(Fixtures.PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(Pattern.compile(".*/tenants/" + tenantId + "/overview$"));
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("API tokens")).click();
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")))
        .hasCount(0);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();

    page.getByLabel("Email").fill(email);
    page.getByLabel("Password").fill("not " + Fixtures.PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).containsText("Wrong email or password");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with an API token"))
        .click();
    page.getByLabel("API token").fill(TestServer.ADMIN_TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(Pattern.compile(".*/tenants$"));
    tenantSwitcher().click();
    page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName(tenantName)).click();
    assertThat(page).hasURL(Pattern.compile(".*/tenants/" + tenantId + "/overview$"));
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit log")).click();
    page.getByLabel("Action").selectOption("session.failed");
    assertThat(page).hasURL(Pattern.compile(".*/audit\\?action=session.failed$"));
    Locator failed =
        page.getByRole(AriaRole.ROW)
            .filter(new Locator.FilterOptions().setHasText("session.failed"));
    assertThat(failed).hasCount(1);
    assertThat(failed).containsText("anonymous");
    assertThat(failed).containsText("user:" + email);
    Accessibility.check(page, "audit-failed-sign-ins");
  }

  @Test
  void anAdministratorSignsInAndCreatesATokenWithTheKeyboardOnly() {
    Fixtures fixtures = new Fixtures(server);
    String tenantId = fixtures.tenant();
    page.navigate(server.baseUrl() + "/login?method=token");
    Locator field = page.getByLabel("API token");
    assertThat(field).isVisible();
    tabTo(field);
    page.keyboard().type(fixtures.token(tenantId, "ADMIN"));
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile(".*/tenants/" + tenantId + "/overview$"));

    tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("API tokens")));
    page.keyboard().press("Enter");
    Locator name = page.getByLabel("Token name");
    tabTo(name);
    page.keyboard().type("by-keyboard");
    page.keyboard().press("Enter");
    assertThat(page.getByTestId("new-token-secret")).containsText("rpl_");
    tabTo(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done")));
    page.keyboard().press("Enter");
    assertThat(
            page.getByRole(AriaRole.ROW)
                .filter(new Locator.FilterOptions().setHasText("by-keyboard")))
        .containsText("VIEWER");
  }

  @Test
  void thePlatformAdministratorSwitchesTenantAndFiltersTheAuditLogWithTheKeyboardOnly() {
    Fixtures fixtures = new Fixtures(server);
    String tenantId = fixtures.tenant();
    String tenantName =
        server.admin().get("/api/v1/tenants/" + tenantId).json().get("name").asText();
    String email = Fixtures.unique("kbd") + "@example.com";
    fixtures.user(tenantId, email, "VIEWER");
    server
        .api()
        .unchecked()
        .post("/api/v1/auth/login", java.util.Map.of("email", email, "password", "wrong password"));

    signInWithToken(TestServer.ADMIN_TOKEN, ".*/tenants$");

    // typing filters the tenants, Enter opens the first that matches
    tabTo(tenantSwitcher());
    page.keyboard().type(tenantName);
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile(".*/tenants/" + tenantId + "/overview$"));
    tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit log")));
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile(".*/tenants/" + tenantId + "/audit$"));

    tabTo(page.getByLabel("Action"));
    page.keyboard().type("Failed");
    assertThat(page).hasURL(Pattern.compile(".*/audit\\?action=session.failed$"));
    tabTo(page.getByLabel("Actor contains"));
    page.keyboard().type("ANONYMOUS");
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile(".*/audit\\?action=session.failed&actor=ANONYMOUS$"));
    Locator failed =
        page.getByRole(AriaRole.ROW)
            .filter(new Locator.FilterOptions().setHasText("user:" + email));
    assertThat(failed).containsText("session.failed");
    assertThat(page.getByRole(AriaRole.ROW)).hasCount(2);
  }

  /**
   * Signs in with {@code token} on the token form, with the keyboard only, and checks where that
   * lands ({@code landing}, a URL pattern).
   */
  private void signInWithToken(String token, String landing) {
    page.navigate(server.baseUrl() + "/login?method=token");
    typeInto(page.getByLabel("API token"), token);
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile(landing));
  }

  /** Tabs to {@code field} and types {@code text} into it. */
  private void typeInto(Locator field, String text) {
    tabTo(field);
    page.keyboard().type(text);
  }

  /** Tabs to a link or button and presses Enter on it. */
  private void press(Locator target) {
    tabTo(target);
    page.keyboard().press("Enter");
  }

  private Locator tenantSwitcher() {
    return page.getByRole(
        AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Tenant").setExact(true));
  }

  /**
   * Presses Tab until {@code target} has the focus, and checks that a link or button shows it (an
   * input shows it by its border); fails after 80 presses: a trap, or an element Tab never reaches.
   */
  private void tabTo(Locator target) {
    // attached, not visible: a segmented control's radios are visually hidden behind their labels
    target.waitFor(
        new Locator.WaitForOptions()
            .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
    for (int presses = 0; presses < 80; presses++) {
      page.keyboard().press("Tab");
      if (Boolean.TRUE.equals(target.evaluate("e => e === document.activeElement"))) {
        Object ring =
            target.evaluate(
                "e => ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName)"
                    + " || (getComputedStyle(e).outlineStyle !== 'none'"
                    + " && parseFloat(getComputedStyle(e).outlineWidth) > 0)");
        assertThat(ring).as("a focus ring on %s", target).isEqualTo(true);
        return;
      }
    }
    throw new AssertionError("80 presses of Tab never reached " + target);
  }

  @Test
  void aWrongPasswordShowsTheServersExplanation() {
    page.navigate(server.baseUrl() + "/login");
    page.getByLabel("Email").fill("nobody@example.com");
    page.getByLabel("Password").fill("wrong-password-123");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).containsText("Wrong email or password");
    Accessibility.check(page, "sign-in-wrong-password");
  }

  @Test
  void reloadingAClientSideRouteServesTheDashboard() {
    page.navigate(server.baseUrl() + "/tenants/whatever/audit");
    assertThat(page).hasURL(Pattern.compile(".*/login.*"));
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")))
        .isVisible();
  }

  @Test
  void anAdministratorConnectsAStoreAndVerifiesABucket() {
    TestS3 s3 = TestS3.get();
    String bucket = s3.bucket(false);
    Fixtures fixtures = new Fixtures(server);
    String tenantId = fixtures.tenant();
    String token = fixtures.token(tenantId, "ADMIN");

    // with the keyboard only, up to the verification's results
    signInWithToken(token, ".*/tenants/" + tenantId + "/overview$");
    press(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Trusts")));
    press(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New trust")));
    assertThat(page.getByLabel("Name")).isVisible();
    Accessibility.check(page, "trust-new");

    typeInto(page.getByLabel("Name"), "local s3");
    assertThat(page.getByLabel("Type")).hasValue("STATIC");
    typeInto(
        page.getByLabel("Endpoint", new Page.GetByLabelOptions().setExact(true)), s3.endpoint());
    typeInto(page.getByLabel("Region"), "us-east-1");
    tabTo(page.getByLabel("Path-style addressing"));
    page.keyboard().press("Space");
    assertThat(page.getByLabel("Path-style addressing")).isChecked();
    typeInto(page.getByLabel("Access key ID"), TestS3.ACCESS_KEY);
    typeInto(page.getByLabel("Secret access key"), TestS3.SECRET_KEY);
    press(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create trust")));

    assertThat(page.getByTestId("trust-details")).containsText(s3.endpoint());
    assertThat(page.locator("body")).not().containsText(TestS3.SECRET_KEY);
    typeInto(page.getByLabel("Bucket"), bucket);
    press(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Verify")));

    assertThat(page.getByTestId("verify-results").getByTestId("verify-overall"))
        .hasText("Needs attention");
    assertThat(page.getByTestId("verify-results"))
        .containsText("Enable versioning on bucket " + bucket);
    page.reload();
    assertThat(page.getByTestId("kept-verify-results"))
        .containsText("Enable versioning on bucket " + bucket);
    assertThat(page.getByTestId("verification-history")).containsText("Needs attention");
    Accessibility.check(page, "trust");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit").setExact(true))
        .click();
    assertThat(page).hasURL(Pattern.compile(".*/edit$"));
    assertThat(page.getByLabel("Name")).hasValue("local s3");
    Accessibility.check(page, "trust-edit");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Trusts").setExact(true))
        .click();
    assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("local s3")))
        .isVisible();
    Locator lastVerification =
        page.getByRole(AriaRole.ROW)
            .filter(new Locator.FilterOptions().setHasText("local s3"))
            .getByTestId("last-verification");
    assertThat(lastVerification).containsText("Needs attention");
    assertThat(lastVerification).containsText(bucket + " ·");
    Accessibility.check(page, "trusts");
  }

  @Test
  void anAdministratorCreatesARuleAndSeesItsAwsConfiguration() {
    TestS3 s3 = TestS3.get();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    Fixtures fixtures = new Fixtures(server);
    String tenantId = fixtures.tenant();
    String token = fixtures.token(tenantId, "ADMIN");
    String trustName = Fixtures.unique("store");
    Fixtures.trust(new Fixtures(server).as(token), tenantId, s3.trustBody(trustName));

    // with the keyboard only, up to the rule's AWS configuration; a native select takes the
    // keyboard by typing the start of an option
    signInWithToken(token, ".*/tenants/" + tenantId + "/overview$");
    press(
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Rules").setExact(true)));
    press(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New rule")));
    assertThat(page.getByLabel("Source trust")).isVisible();
    Accessibility.check(page, "rule-new");

    typeInto(page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)), "Tax documents");
    typeInto(page.getByLabel("Source trust"), trustName);
    assertThat(page.getByLabel("Source trust").locator("option:checked")).hasText(trustName);
    typeInto(page.getByLabel("Source bucket"), source);
    typeInto(page.getByLabel("Prefix"), "Tax/");
    Locator first =
        page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Destination 1"));
    typeInto(first.getByLabel("Destination trust"), trustName);
    typeInto(first.getByLabel("Destination bucket"), destination);
    tabTo(page.getByLabel("Replicate delete markers"));
    page.keyboard().press("Space");
    assertThat(page.getByLabel("Replicate delete markers")).isChecked();
    press(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create rule")));

    assertThat(
            page.getByRole(
                AriaRole.HEADING, new Page.GetByRoleOptions().setName("Rule Tax documents")))
        .isVisible();
    assertThat(page.getByTestId("rule-details")).containsText("Tax/");
    press(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show AWS JSON")));
    assertThat(page.getByTestId("aws-json")).containsText("\"ID\": \"Tax documents\"");
    assertThat(page.getByTestId("aws-json")).containsText("arn:aws:s3:::" + destination);
    Accessibility.check(page, "rule");

    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit").setExact(true))
        .click();
    assertThat(page).hasURL(Pattern.compile(".*/edit$"));
    assertThat(page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)))
        .hasValue("Tax documents");
    Accessibility.check(page, "rule-edit");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Rules").setExact(true))
        .click();
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Import AWS configuration"))
        .click();
    assertThat(page.getByLabel("Replication configuration (JSON)")).isVisible();
    Accessibility.check(page, "rules-import");
  }

  @Test
  void anOperatorSeesWhyObjectsFailedAndRetriesThemAfterTheFixWithTheKeyboardOnly() {
    TestS3 s3 = TestS3.get();
    String source = s3.bucket(true);
    String destination = s3.bucket(false);
    Fixtures fixtures = new Fixtures(server);
    Fixtures.TenantRule created =
        fixtures.tenantRule(s3.trustBody("store"), "to-unversioned", 30, source, destination);
    String tenantId = created.tenant();
    Api admin = created.admin();
    var rule = created.rule();
    Fixtures.untilLive(rule);
    s3.client()
        .putObject(
            b -> b.bucket(source).key("report.csv"),
            software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    dev.replicator.testing.Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
    String rulePath = "/api/v1/tenants/" + tenantId + "/rules/" + rule.get("id").asText();
    dev.replicator.testing.Eventually.await(
        "the failure",
        java.time.Duration.ofSeconds(30),
        () -> admin.get(rulePath + "/objects?status=FAILED").json().get("items").size() == 1,
        () -> "");

    // with the keyboard only: sign in, open the rule, look at another time range, retry
    signInWithToken(fixtures.token(tenantId, "OPERATOR"), ".*/tenants/" + tenantId + "/overview$");
    tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Rules")));
    page.keyboard().press("Enter");
    tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("to-unversioned")));
    page.keyboard().press("Enter");

    assertThat(
            page.getByRole(
                AriaRole.HEADING, new Page.GetByRoleOptions().setName("Replication status")))
        .isVisible();
    assertThat(page.getByTestId("objects")).containsText("report.csv");
    assertThat(page.getByTestId("objects")).containsText("DstBucketUnversioned");
    Accessibility.check(page, "rule-failed-objects");

    // the time ranges are one radio group: Tab reaches the chosen one, arrows move the choice
    tabTo(page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Last hour")));
    page.keyboard().press("ArrowRight");
    assertThat(page).hasURL(Pattern.compile(".*\\?range=6h$"));
    for (int press = 0; press < 3; press++) {
      page.keyboard().press("ArrowRight");
    }
    assertThat(page.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Custom range…")))
        .isChecked();
    tabTo(
        page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("Custom time range"))
            .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply")));
    page.keyboard().press("Enter");
    assertThat(page).hasURL(Pattern.compile(".*\\?from=[^&]+&to=[^&]+$"));
    Accessibility.check(page, "rule-custom-range");

    s3.client()
        .putBucketVersioning(
            b -> b.bucket(destination).versioningConfiguration(v -> v.status("Enabled")));
    tabTo(
        page.getByRole(
            AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retry DstBucketUnversioned")));
    page.keyboard().press("Enter");
    assertThat(page.getByText("Queued 1 object again.")).isVisible();
    dev.replicator.testing.Eventually.await(
        "the replica",
        java.time.Duration.ofSeconds(30),
        () -> !s3.keys(destination).isEmpty(),
        () -> "");
    page.reload();
    assertThat(page.getByTestId("objects")).containsText("No failed objects.");
  }

  @Test
  void aStuckObjectShowsUpPendingWithItsAttemptsAndLastErrorWithoutAReload() throws Exception {
    TestS3 s3 = TestS3.get();
    String source = s3.bucket(true);
    Fixtures fixtures = new Fixtures(server);
    String tenantId = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenantId, "ADMIN"));
    String store = Fixtures.trust(admin, tenantId, s3.trustBody("store"));
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String down =
        Fixtures.trust(admin, tenantId, s3.trustBody("down", "http://127.0.0.1:" + closedPort));
    var rule =
        Fixtures.rule(
            admin,
            tenantId,
            Fixtures.ruleBody(
                "to-a-store-that-is-down",
                30,
                store,
                source,
                Fixtures.destination(down, "replicas")));

    signInWithToken(fixtures.token(tenantId, "OPERATOR"), ".*/tenants/" + tenantId + "/.*");
    page.navigate(
        server.baseUrl()
            + "/tenants/"
            + tenantId
            + "/rules/"
            + rule.get("id").asText()
            + "?objectStatus=PENDING");
    Locator objects = page.getByTestId("objects");
    assertThat(objects).containsText("No pending objects.");

    // Written once the page is open: it shows up as the page polls, without a reload.
    Fixtures.untilLive(rule);
    s3.client()
        .putObject(
            b -> b.bucket(source).key("stuck/1"),
            software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    dev.replicator.testing.Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    Locator row = objects.locator("tr", new Locator.LocatorOptions().setHasText("stuck/1"));
    com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions polled =
        new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
            .setTimeout(60_000);
    assertThat(row).containsText("the endpoint refused the connection", polled);
    assertThat(row).containsText("PENDING");
    assertThat(row.locator("td").nth(6))
        .hasText(
            Pattern.compile("[1-9][0-9]*"),
            new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                .setTimeout(60_000));
    // Backing off: the next attempt is a time (it is "Due now" only for the moment before a
    // worker takes it).
    assertThat(row.locator("td").nth(7).locator("time"))
        .isVisible(
            new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(60_000));
    assertThat(
            page.getByRole(
                AriaRole.STATUS,
                new Page.GetByRoleOptions().setName(Pattern.compile("^Objects updated "))))
        .isVisible();
    // once the cause is fixed, an operator need not wait out the backoff (here an hour)
    dev.replicator.testing.Eventually.await(
        "the version waiting an hour for its next attempt",
        java.time.Duration.ofSeconds(30),
        () ->
            dev.replicator.testing.Sql.update(
                    server.database(),
                    "UPDATE replication_tasks SET not_before = now() + interval '1 hour'"
                        + " WHERE state = 'PENDING' AND source_key = 'stuck/1'")
                == 1,
        () -> "");
    String attempts = row.locator("td").nth(6).innerText();
    Locator retryNow =
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Retry stuck/1 now"));
    retryNow.click(new Locator.ClickOptions().setTimeout(60_000));
    assertThat(page.getByText("1 object waiting for a next attempt is tried now.")).isVisible();
    assertThat(row.locator("td").nth(6))
        .not()
        .hasText(
            attempts,
            new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                .setTimeout(60_000));
    // the figures, polled too, chart what waits
    assertThat(page.getByTestId("pending-chart").locator("svg.recharts-surface"))
        .isVisible(
            new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions()
                .setTimeout(60_000));
    Accessibility.check(page, "rule-pending-objects");

    // The overview, and the rules list, tell the stuck rule apart once its version keeps failing
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Overview")).click();
    Locator stuck =
        page.getByRole(AriaRole.ROW)
            .filter(new Locator.FilterOptions().setHasText("to-a-store-that-is-down"));
    assertThat(stuck).containsText("Failing", polled);
    assertThat(stuck.locator("td").nth(6)).hasText("1");
    assertThat(page.getByTestId("health-summary")).hasText("1 rule: 1 failing");
    Accessibility.check(page, "overview");
    page.setViewportSize(390, 800);
    Accessibility.check(page, "overview-390");
    page.setViewportSize(1024, 800);
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Rules").setExact(true))
        .click();
    assertThat(
            page.getByRole(AriaRole.ROW)
                .filter(new Locator.FilterOptions().setHasText("to-a-store-that-is-down")))
        .containsText("Failing");
    Accessibility.check(page, "rules");
    page.setViewportSize(390, 800);
    Accessibility.check(page, "rules-390");
  }

  @Test
  void anOperatorBackfillsExistingObjectsWithABatchJobAndDownloadsItsReport() throws Exception {
    TestS3 s3 = TestS3.get();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    for (String key : java.util.List.of("old/1", "old/2")) {
      s3.client()
          .putObject(
              b -> b.bucket(source).key(key),
              software.amazon.awssdk.core.sync.RequestBody.fromString(key));
    }
    OneStoreRule setup = oneStoreRule(s3, "backfill", source, destination);
    Fixtures fixtures = setup.fixtures();
    String tenantId = setup.tenantId();
    Api admin = setup.admin();
    String trust = setup.trust();
    String ruleId = setup.ruleId();

    // with the keyboard only, up to the job's progress
    signInWithToken(fixtures.token(tenantId, "OPERATOR"), ".*/tenants/" + tenantId + "/.*");
    page.navigate(server.baseUrl() + "/tenants/" + tenantId + "/rules/" + ruleId);
    press(
        page.getByRole(
            AriaRole.LINK, new Page.GetByRoleOptions().setName("Replicate existing objects")));
    Locator start =
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start batch job"));
    assertThat(start).isVisible();
    Accessibility.check(page, "batch-job-new");
    press(start);

    assertThat(page)
        .hasURL(Pattern.compile(".*/tenants/" + tenantId + "/batch-jobs/[0-9a-f-]{36}$"));
    Locator succeeded =
        page.getByTestId("batch-job-counts")
            .getByRole(AriaRole.ROW)
            .filter(new Locator.FilterOptions().setHasText("Succeeded"))
            .getByRole(AriaRole.CELL);
    assertThat(succeeded)
        .hasText(
            "2",
            new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions()
                .setTimeout(30_000));
    com.microsoft.playwright.Download download =
        page.waitForDownload(
            () ->
                page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Download report (all tasks)"))
                    .click());
    String report = java.nio.file.Files.readString(download.path());
    org.assertj.core.api.Assertions.assertThat(report.lines().toList())
        .startsWith("bucket,key,versionId,destinationBucket,status,failureReason")
        .anySatisfy(
            line ->
                org.assertj.core.api.Assertions.assertThat(line)
                    .startsWith(source + ",old/1,")
                    .endsWith("," + destination + ",COMPLETED,"));
    org.assertj.core.api.Assertions.assertThat(s3.keys(destination))
        .containsExactlyInAnyOrder("old/1", "old/2");
    Accessibility.check(page, "batch-job");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Batch jobs").setExact(true))
        .click();
    assertThat(
            page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText("backfill")))
        .containsText("COMPLETED");
    Accessibility.check(page, "batch-jobs");
  }

  @Test
  void theReportLocationAndItsCopyButtonFitOnADesktopAndAPhone() throws Exception {
    TestS3 s3 = TestS3.get();
    String source = s3.bucket(true);
    String reports = s3.bucket(true);
    s3.client()
        .putObject(
            b -> b.bucket(source).key("old/1"),
            software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
    OneStoreRule setup = oneStoreRule(s3, "reported", source, s3.bucket(true));
    Fixtures fixtures = setup.fixtures();
    String tenantId = setup.tenantId();
    Api admin = setup.admin();
    String trust = setup.trust();
    String ruleId = setup.ruleId();
    String jobs = "/api/v1/tenants/" + tenantId + "/batch-jobs";
    String jobId =
        admin
            .post(
                jobs,
                java.util.Map.of(
                    "ruleId",
                    ruleId,
                    "filter",
                    java.util.Map.of("replicationStatuses", java.util.List.of("NONE")),
                    "report",
                    java.util.Map.of(
                        "trustId", trust, "bucket", reports, "prefix", "batch/reports/quarterly")))
            .json()
            .get("id")
            .asText();
    dev.replicator.testing.Eventually.await(
        "the report in its bucket",
        java.time.Duration.ofSeconds(60),
        () -> !admin.get(jobs + "/" + jobId).json().get("reportLocation").isNull(),
        () -> admin.get(jobs + "/" + jobId).body());

    signInWithToken(fixtures.token(tenantId, "VIEWER"), ".*/tenants/" + tenantId + "/.*");
    page.navigate(server.baseUrl() + "/tenants/" + tenantId + "/batch-jobs/" + jobId);
    Locator copy =
        page.getByRole(
            AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Copy report location"));
    for (int width : new int[] {1024, 390}) {
      page.setViewportSize(width, 900);
      assertThat(page.getByTestId("batch-job-details")).containsText("report.csv");
      copy.scrollIntoViewIfNeeded();
      assertThat(copy).isVisible();
      // The button was squeezed to a sliver beside a long location, its label cut off inside it.
      Object fits =
          copy.evaluate(
              "b => [b, ...b.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth)"
                  + " && b.getBoundingClientRect().right <= document.documentElement.clientWidth");
      org.assertj.core.api.Assertions.assertThat(fits).as("whole at %d px", width).isEqualTo(true);
      Accessibility.check(page, "batch-job-report-" + width);
    }
  }

  @Test
  void anAdministratorRegistersAWebhookSeesItsSecretOnceAndSendsASignedTestEvent()
      throws Exception {
    java.util.List<String[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/events",
        exchange -> {
          received.add(
              new String[] {
                exchange.getRequestHeaders().getFirst("X-Replicator-Signature"),
                new String(
                    exchange.getRequestBody().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8)
              });
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      Fixtures fixtures = new Fixtures(server);
      String tenantId = fixtures.tenant();
      // with the keyboard only, up to the test event's delivery
      signInWithToken(fixtures.token(tenantId, "ADMIN"), ".*/tenants/" + tenantId + "/.*");
      press(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Webhooks")));
      press(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New webhook")));
      assertThat(page.getByLabel("URL")).isVisible();
      Accessibility.check(page, "webhook-new");
      typeInto(
          page.getByLabel("URL"),
          "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
      // failures are what a new webhook is sent unless told otherwise
      assertThat(page.getByLabel("OperationFailedReplication")).isChecked();
      press(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create webhook")));

      String secret = page.getByTestId("webhook-secret").innerText().strip();
      org.assertj.core.api.Assertions.assertThat(secret).isNotBlank();
      Accessibility.check(page, "webhook-secret");
      press(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open webhook")));
      assertThat(page.locator("body")).not().containsText(secret);
      press(
          page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send test event")));
      assertThat(page.getByTestId("webhook-deliveries"))
          .containsText(
              "DELIVERED",
              new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                  .setTimeout(30_000));
      Accessibility.check(page, "webhook");
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit").setExact(true))
          .click();
      assertThat(page).hasURL(Pattern.compile(".*/edit$"));
      assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("URL")))
          .hasValue(Pattern.compile(".*/events$"));
      Accessibility.check(page, "webhook-edit");
      page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Webhooks").setExact(true))
          .click();
      assertThat(
              page.getByRole(AriaRole.ROW)
                  .filter(new Locator.FilterOptions().setHasText("/events")))
          .containsText("ENABLED");
      Accessibility.check(page, "webhooks");

      org.assertj.core.api.Assertions.assertThat(received).hasSize(1);
      String[] signature = received.get(0)[0].split(",");
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      String expected =
          java.util.HexFormat.of()
              .formatHex(
                  mac.doFinal(
                      (signature[0].substring(2) + "." + received.get(0)[1])
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      org.assertj.core.api.Assertions.assertThat(signature[1]).isEqualTo("v1=" + expected);
    } finally {
      receiver.stop(0);
    }
  }

  /** A new tenant whose rule copies {@code source} to {@code destination} on one store. */
  private static OneStoreRule oneStoreRule(
      TestS3 s3, String name, String source, String destination) {
    Fixtures fixtures = new Fixtures(server);
    Fixtures.TenantRule created =
        fixtures.tenantRule(s3.trustBody("store"), name, 0, source, destination);
    return new OneStoreRule(
        fixtures,
        created.tenant(),
        created.admin(),
        created.trust(),
        created.rule().get("id").asText());
  }

  private record OneStoreRule(
      Fixtures fixtures, String tenantId, Api admin, String trust, String ruleId) {}
}
