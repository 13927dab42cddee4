package io.octohost.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real browser for the scenarios of octod's pages: Debian's headless Chromium driven by Selenium
 * through Debian's chromedriver (both given by path, so Selenium Manager never downloads anything),
 * with a profile, config and cache in a temp dir of its own. Started when first asked for; on a
 * failed test it keeps a screenshot and the page's HTML in the test's output; closed after all tests:
 *
 * <pre>
 * &#64;RegisterExtension static final Browser browser = new Browser();
 * </pre>
 */
public final class Browser implements AfterAllCallback, TestExecutionExceptionHandler {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private ChromeDriver driver;
    private Path home;

    /** The browser, started the first time. */
    public synchronized ChromeDriver driver() {
        if (driver == null) {
            for (String file : List.of(CHROMIUM, CHROMEDRIVER)) {
                if (!Files.isExecutable(Paths.get(file))) {
                    throw new IllegalStateException(file + " is missing: apt-get install -y chromium chromium-driver (scripts/test does)");
                }
            }
            try {
                home = Files.createTempDirectory("octohost-browser-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .withLogFile(home.resolve("chromedriver.log").toFile())
                    .withEnvironment(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString(),
                            "XDG_CACHE_HOME", home.resolve("cache").toString(), "TMPDIR", home.toString()))
                    .build();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--user-data-dir=" + home.resolve("profile"), "--window-size=1400,900", "--no-first-run");
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(STEP_TIMEOUT).scriptTimeout(STEP_TIMEOUT);
        }
        return driver;
    }

    public void open(String url) {
        driver().get(url);
    }

    /** Runs a script in the page and returns what it returns (numbers come back as Long or Double). */
    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(script, args);
    }

    /** The elements the CSS selector finds now (none: an empty list). */
    public List<WebElement> all(String css) {
        return driver().findElements(By.cssSelector(css));
    }

    /** Waits until the selector finds an element whose text satisfies {@code text}; returns that text. */
    public String awaitText(String what, Duration timeout, String css, java.util.function.Predicate<String> text) {
        return Await.until(what, timeout, () -> all(css).stream().map(e -> e.getText()).filter(text).findFirst().orElse(null),
                t -> t != null);
    }

    /** A PNG of the window, written to {@code file}. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver().getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a test's screenshots go: {@code src/test/target/e2e/browser/TEST/}. */
    public static Path outputDir(String test) {
        return Paths.get(System.getProperty("octohost.e2e.target", "target")).resolve("e2e").resolve("browser").resolve(test);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        if (driver != null) {
            try {
                Path dir = outputDir(context.getRequiredTestClass().getSimpleName());
                screenshot(dir.resolve("failed.png"));
                Files.writeString(dir.resolve("failed.html"), driver.getPageSource());
                System.err.println("==== the browser's screenshot and page: " + dir + " ====");
            } catch (RuntimeException | IOException e) {
                System.err.println("==== no screenshot of the failed test: " + e + " ====");
            }
        }
        throw throwable;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (driver != null) {
            try {
                driver.quit();
            } catch (WebDriverException e) {
                System.err.println("the browser did not quit cleanly: " + e.getMessage());
            }
            driver = null;
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
