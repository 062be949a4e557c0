package dev.mmcheck.lib.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.run.Verdict;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The HTML report as a person sees it, in a real headless browser: Debian's chromium driven by Debian's
 * chromedriver (both from apt; Selenium Manager never runs because the driver path is given, so nothing is
 * downloaded). Without them the browser tests are skipped on a developer's machine and fail under CI=true.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String SPEC = "specs/cow/cve-2020-29374-vmsplice-child.mmc";

    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    private static WebDriver driver;
    private static Path profileDir;
    private static CheckReport vmsplice;

    @BeforeAll
    static void checkTheSpec() throws Exception {
        Spec spec = SpecParser.parse(Repo.spec(SPEC));
        vmsplice = new Runner(1).check(spec, Profiles.named("v5.7").orElseThrow());
    }

    /** The browser, started on first use; skips (or under CI fails) the calling test when there is none. */
    private static WebDriver browser() throws IOException {
        if (driver != null) return driver;
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("the HTML report browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install the Debian packages with 'apt-get install -y chromium chromium-driver'");
        }
        assumeTrue(present, "no " + CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install chromium chromium-driver): "
                + "browser test skipped");
        // Selenium's CDP support lags Debian's chromium by a few versions; these tests use WebDriver only, not CDP.
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
        // With the driver's path given, Selenium does not run Selenium Manager (which would download drivers).
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        profileDir = Files.createTempDirectory("mmcheck-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--disable-default-apps", "--window-size=1400,1000",
                // Chromium's own services (search preconnect, extension and component updates) still look up
                // hosts despite the flags above; resolving no name at all keeps the browser off the network.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + profileDir);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        return driver;
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profileDir != null) {
            try (Stream<Path> files = Files.walk(profileDir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static WebDriver open(List<CheckReport> reports, Path dir) throws IOException {
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(reports));
        WebDriver d = browser();
        d.manage().logs().get(LogType.PERFORMANCE); // drop what earlier pages logged: the log then covers this page only
        d.get(html.toUri().toString());
        return d;
    }

    private static WebElement viewer(WebDriver d, String property) {
        for (WebElement e : d.findElements(By.cssSelector("section.trace"))) {
            if (property.equals(e.getDomAttribute("data-property"))) return e;
        }
        throw new AssertionError("no trace viewer for " + property);
    }

    private static String stepTitle(WebElement viewer) {
        return viewer.findElement(By.cssSelector("[data-testid='step-title']")).getText();
    }

    /** The cell of the shown state: table by title, row by key (first cell), column by header. */
    private static WebElement cell(WebElement viewer, String table, String key, String column) {
        List<WebElement> found = viewer.findElements(By.cssSelector("[data-testid='state-" + table.replace(' ', '-')
                + "'] tr[data-key='" + key + "'] [data-col='" + column + "']"));
        assertEquals(1, found.size(), "cells for " + table + " / " + key + " / " + column);
        assertTrue(found.get(0).isDisplayed());
        return found.get(0);
    }

    private static boolean hasClass(WebElement e, String c) {
        String cls = e.getDomAttribute("class");
        return cls != null && List.of(cls.split("\\s+")).contains(c);
    }

    private static void press(WebDriver d, CharSequence key) {
        new Actions(d).sendKeys(key).perform();
    }

    private static PropertyReport property(String name) {
        return vmsplice.properties().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theNoLeakCounterexampleStepsWithTheKeyboardAndHighlightsWhatEachStepChanged(@TempDir Path dir) throws IOException {
        WebDriver d = open(List.of(vmsplice), dir);
        WebElement v = viewer(d, "no-leak-across-fork");
        WebElement other = viewer(d, "forbidden P1:pipe == 0xff");

        assertEquals("step 0 of 3: initial state", stepTitle(v));
        assertEquals("2", cell(v, "folios", "folio#0", "refcount").getText());
        assertTrue(v.findElements(By.cssSelector(".tables .changed, .tables .added, .tables .removed")).isEmpty(),
                "the initial state has nothing to compare with");
        for (String t : List.of("page tables", "folios", "swap slots", "GUP references")) {
            assertEquals(1, v.findElements(By.cssSelector("[data-testid='state-" + t.replace(' ', '-') + "']")).size(), t);
        }

        v.findElement(By.tagName("h3")).click(); // focuses this viewer: keys now step it, not the first one
        press(d, Keys.ARROW_RIGHT);
        assertEquals("step 1 of 3: P1 get_user_pages(A) as pipe", stepTitle(v));
        WebElement refcount = cell(v, "folios", "folio#0", "refcount");
        assertEquals("3", refcount.getText());
        assertTrue(hasClass(refcount, "changed"), "refcount 2 -> 3 is highlighted");
        assertEquals("was: 2", refcount.getDomAttribute("title"));
        assertFalse(hasClass(cell(v, "folios", "folio#0", "mapcount"), "changed"), "mapcount did not change");
        WebElement pipe = v.findElement(By.cssSelector("[data-testid='state-GUP-references'] tr[data-key='pipe']"));
        assertTrue(hasClass(pipe, "added"), "the pipe's reference is a new row");
        assertEquals("1", v.findElement(By.cssSelector("li.step.selected")).getDomAttribute("data-step"));
        assertEquals("step 0 of 3: initial state", stepTitle(other), "the other viewer did not move");

        press(d, Keys.ARROW_RIGHT);
        assertEquals("step 2 of 3: P1 munmap(A)", stepTitle(v));
        assertEquals("2", cell(v, "folios", "folio#0", "refcount").getText());
        assertTrue(hasClass(cell(v, "page tables", "P1 A", "pte"), "changed"));
        assertEquals("none", cell(v, "page tables", "P1 A", "pte").getText());
        press(d, Keys.ARROW_RIGHT);
        assertEquals("step 3 of 3: P0 *A = 0xff", stepTitle(v));
        WebElement data = cell(v, "folios", "folio#0", "data");
        assertTrue(data.getText().startsWith("0xff"), data.getText());
        assertTrue(hasClass(data, "changed"));
        press(d, Keys.ARROW_RIGHT);
        assertEquals("step 3 of 3: P0 *A = 0xff", stepTitle(v), "the last step is the end");

        press(d, Keys.ARROW_LEFT);
        assertEquals("step 2 of 3: P1 munmap(A)", stepTitle(v));
        press(d, Keys.HOME);
        assertEquals("step 0 of 3: initial state", stepTitle(v));
        press(d, Keys.ARROW_LEFT);
        assertEquals("step 0 of 3: initial state", stepTitle(v), "step 0 is the start");
        press(d, Keys.END);
        assertEquals("step 3 of 3: P0 *A = 0xff", stepTitle(v));
        press(d, "k");
        assertEquals("step 2 of 3: P1 munmap(A)", stepTitle(v));
        press(d, "j");
        assertEquals("step 3 of 3: P0 *A = 0xff", stepTitle(v));

        v.findElement(By.cssSelector("li.step[data-step='1']")).click();
        assertEquals("step 1 of 3: P1 get_user_pages(A) as pipe", stepTitle(v));
        assertTrue(hasClass(cell(v, "folios", "folio#0", "refcount"), "changed"));
        v.findElement(By.cssSelector("button[data-go='1']")).click();
        assertEquals("step 2 of 3: P1 munmap(A)", stepTitle(v));
        assertEquals("step 0 of 3: initial state", stepTitle(other));
    }

    @Test
    void thePageShowsTheRunTheVerdictsAndTheViolationDetail(@TempDir Path dir) throws IOException {
        WebDriver d = open(List.of(vmsplice), dir);
        String h2 = d.findElement(By.tagName("h2")).getText();
        assertTrue(h2.contains(vmsplice.spec()) && h2.contains(vmsplice.title()), h2);
        assertEquals(vmsplice.boundsSummary(), d.findElement(By.cssSelector("[data-testid='bounds']")).getText());
        String body = d.findElement(By.tagName("body")).getText();
        for (String c : vmsplice.cites()) assertTrue(body.contains(c), c);
        assertTrue(body.contains(vmsplice.profile()));
        assertFalse(body.toLowerCase(Locale.ROOT).contains("verified"), "a bounded search verifies nothing");

        List<WebElement> rows = d.findElements(By.cssSelector("[data-testid='properties'] tbody tr"));
        assertEquals(vmsplice.properties().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            PropertyReport p = vmsplice.properties().get(i);
            assertEquals(p.name(), rows.get(i).getDomAttribute("data-property"));
            assertEquals(p.verdict().text(), rows.get(i).findElement(By.cssSelector("[data-testid='verdict']")).getText());
        }

        PropertyReport noLeak = property("no-leak-across-fork");
        assertEquals(Verdict.VIOLATED, noLeak.verdict());
        assertEquals(noLeak.detail(), viewer(d, "no-leak-across-fork").findElement(By.cssSelector("[data-testid='broken']")).getText());
        PropertyReport forbidden = property("forbidden P1:pipe == 0xff");
        assertEquals(forbidden.detail(), viewer(d, forbidden.name()).findElement(By.cssSelector("[data-testid='broken']")).getText());
        assertEquals(2, d.findElements(By.cssSelector("section.trace")).size(), "one viewer per property with a trace");
    }

    @Test
    void thePageLoadsNothingAndCarriesTheJsonReport(@TempDir Path dir) throws IOException {
        WebDriver d = open(List.of(vmsplice), dir);
        JavascriptExecutor js = (JavascriptExecutor) d;
        @SuppressWarnings("unchecked")
        List<String> refs = (List<String>) js.executeScript("return Array.from(document.querySelectorAll('[src],[href]'))"
                + ".map(e => e.getAttribute('src') || e.getAttribute('href'));");
        for (String r : refs) {
            assertFalse(r.toLowerCase(Locale.ROOT).contains("http") || r.startsWith("//"), "external reference " + r);
        }
        assertEquals(0L, js.executeScript("return performance.getEntriesByType('resource').length;"), "resources fetched");
        // The browser's network log of what this page requested: only the file itself.
        String page = d.getCurrentUrl();
        List<String> requested = new ArrayList<>();
        for (LogEntry e : d.manage().logs().get(LogType.PERFORMANCE)) {
            JsonObject msg = JsonParser.parseString(e.getMessage()).getAsJsonObject().getAsJsonObject("message");
            if (!"Network.requestWillBeSent".equals(msg.get("method").getAsString())) continue;
            JsonObject params = msg.getAsJsonObject("params");
            if (!params.has("documentURL") || !page.equals(params.get("documentURL").getAsString())) continue;
            requested.add(params.getAsJsonObject("request").get("url").getAsString());
        }
        assertEquals(List.of(page), requested, "requests made for " + page);

        String embedded = (String) js.executeScript(
                "return JSON.stringify(JSON.parse(document.getElementById('mmcheck-data').textContent));");
        assertNotNull(embedded);
        JsonElement expected = JsonParser.parseString(JsonReport.render(List.of(vmsplice)));
        assertEquals(expected, JsonParser.parseString(embedded));
    }

    @Test
    void textFromTheModelIsShownAsTextNotMarkup(@TempDir Path dir) throws Exception {
        String title = "</script><img src=x onerror=window.pwned=1><b>bold</b> & 'q'";
        String text = Files.readString(Repo.spec(SPEC))
                .replaceFirst("(?m)^title .*$", "title \"" + title.replace("\\", "\\\\") + "\"")
                .replaceFirst("(?m)^cite \"CVE-2020-29374 \\(Jann Horn\\)\"$", "cite \"<i>a</i> </style> & b\"");
        Spec spec = SpecParser.parse("<evil>.mmc", text);
        assertEquals(title, spec.title());
        CheckReport r = new Runner(1).check(spec, Profiles.named("v5.7").orElseThrow());
        WebDriver d = open(List.of(r), dir);
        JavascriptExecutor js = (JavascriptExecutor) d;
        assertEquals(title, d.findElement(By.cssSelector("h2 .title")).getText());
        assertTrue(d.findElement(By.tagName("body")).getText().contains("<i>a</i> </style> & b"));
        assertTrue(d.findElement(By.tagName("body")).getText().contains("<evil>.mmc"));
        assertEquals(0L, js.executeScript("return document.querySelectorAll('img, b, i').length;"), "no injected elements");
        assertEquals(null, js.executeScript("return window.pwned === undefined ? null : window.pwned;"));
        assertEquals(title, js.executeScript(
                "return JSON.parse(document.getElementById('mmcheck-data').textContent).runs[0].title;"));
        WebElement v = viewer(d, "no-leak-across-fork");
        v.findElement(By.tagName("h3")).click();
        press(d, Keys.END);
        assertEquals("step 3 of 3: P0 *A = 0xff", stepTitle(v), "the page's script still runs");
    }

    @Test
    void outWithAnHtmlExtensionWritesOneSelfContainedPage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        assertEquals(Report.Format.HTML, Report.formatOf(file));
        Report.write(file, List.of(vmsplice), false);
        String html = Files.readString(file);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(html.contains("http://") || html.contains("https://"), "no external references");
        assertFalse(html.contains("<script src") || html.contains("<link rel=\"stylesheet\""));
        assertEquals(1, html.split("id=\"mmcheck-data\"", -1).length - 1);
        String data = html.substring(html.indexOf("id=\"mmcheck-data\">") + "id=\"mmcheck-data\">".length(),
                html.indexOf("</script>", html.indexOf("id=\"mmcheck-data\"")));
        assertFalse(data.contains("<"), "the embedded JSON cannot close its script element");
    }

    @Test
    void aMultiSpecPageHasASummaryTheRaceTheMinimalSequenceTheSourceAndMarksWhatBreaks(@TempDir Path dir) throws Exception {
        CheckReport reached = new Runner(1).check(SpecParser.parse(Repo.spec("specs/gup/foll-get-write-fork.mmc")),
                Profiles.named("v7.0").orElseThrow());
        WebDriver d = open(List.of(vmsplice, reached), dir);
        List<WebElement> summary = d.findElements(By.cssSelector("[data-testid='summary'] tbody tr"));
        assertEquals(2, summary.size());
        assertTrue(summary.get(0).getText().contains("VIOLATION"), summary.get(0).getText());
        assertTrue(summary.get(0).getText().contains("no-leak-across-fork"), summary.get(0).getText());
        assertTrue(summary.get(1).getText().contains("no violation within bounds"), summary.get(1).getText());

        WebElement v = viewer(d, "no-leak-across-fork");
        assertEquals(String.join("\n", TextReport.raceDiagram(property("no-leak-across-fork").trace().orElseThrow())),
                v.findElement(By.cssSelector("[data-testid='race']")).getText());
        JavascriptExecutor js = (JavascriptExecutor) d;
        js.executeScript("arguments[0].open = true;", v.findElement(By.cssSelector("details.minimal")));
        List<WebElement> minimal = v.findElements(By.cssSelector("[data-testid='minimal'] li"));
        assertEquals(property("no-leak-across-fork").minimal().orElseThrow().calls(), minimal.stream().map(WebElement::getText).toList());

        js.executeScript("arguments[0].open = true;", d.findElement(By.cssSelector("details.spec-source")));
        assertEquals(vmsplice.source().strip(), d.findElement(By.cssSelector("[data-testid='spec-source']")).getText().strip());

        // The last state marks the rows the violation is about: the pipe's reference and the folio it holds.
        v.findElement(By.tagName("h3")).click();
        press(d, Keys.END);
        List<String> marked = v.findElements(By.cssSelector(".tables tr.culprit")).stream().map(e -> e.getDomAttribute("data-key")).toList();
        assertEquals(List.of("folio#0", "pipe"), marked);
        press(d, Keys.HOME);
        assertTrue(v.findElements(By.cssSelector(".tables tr.culprit")).isEmpty(), "only the last state marks culprits");

        // A reached 'exists' is what the spec expects: shown as reached, not as broken.
        WebElement exists = viewer(d, "exists P1:A == 0xee");
        assertTrue(exists.findElements(By.cssSelector("[data-testid='broken']")).isEmpty());
        assertEquals("final state reached where P1:A == 0xee", exists.findElement(By.cssSelector("[data-testid='reached']")).getText());
    }
}
