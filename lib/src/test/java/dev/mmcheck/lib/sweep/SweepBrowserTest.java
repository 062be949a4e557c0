package dev.mmcheck.lib.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.spec.SpecParser;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A sweep's index.html in a real headless browser (Debian's chromium and chromedriver, as in HtmlReportBrowserTest:
 * skipped without them on a developer's machine, failed under CI=true): its plots are images the browser decoded.
 */
class SweepBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void theSummaryPageShowsThePlotsAsImagesTheBrowserLoaded(@TempDir Path dir) throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("the sweep browser test needs " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
        }
        assumeTrue(present, "no chromium or chromedriver: browser test skipped");
        Sweep.Result result = new Sweep(List.of(SpecParser.parse(Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc")),
                SpecParser.parse(Repo.spec("specs/gup/ro-pin-swap-out-in.mmc")))).profiles(Ranges.profiles("v5.7..v5.11")).run(p -> { });
        SweepHtml.write(result, dir.resolve("out"));
        Logger.getLogger("org.openqa.selenium.devtools").setLevel(Level.SEVERE);
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("mmcheck-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--disable-default-apps", "--window-size=1400,1000", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + profile);
        WebDriver d = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        try {
            d.get(dir.resolve("out").resolve(SweepHtml.INDEX).toUri().toString());
            WebElement img = d.findElement(By.cssSelector("img[src='verdicts-pin-coherent.png']"));
            Object width = ((JavascriptExecutor) d).executeScript(
                    "const i = arguments[0]; return i.complete ? i.naturalWidth : -1;", img);
            byte[] png = Files.readAllBytes(dir.resolve("out").resolve("verdicts-pin-coherent.png"));
            int declared = java.nio.ByteBuffer.wrap(png, 16, 4).getInt();   // the IHDR chunk's width
            assertTrue(declared > 0);
            assertEquals(declared, ((Number) width).intValue());
            Object broken = ((JavascriptExecutor) d).executeScript(
                    "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);");
            assertEquals(List.of(), broken);
            assertTrue(d.findElement(By.tagName("h1")).getText().contains("mmcheck sweep"));
        } finally {
            d.quit();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
