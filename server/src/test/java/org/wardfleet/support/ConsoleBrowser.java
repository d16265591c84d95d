package org.wardfleet.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driving the console of a running
 * server. One per test class ({@code @BeforeAll}/{@code @AfterAll}): starting a browser costs seconds on 2 cores,
 * {@link #reset} between tests costs nothing. Every wait has a generous bound and ends as soon as its condition holds;
 * there is no fixed sleep. Screenshots go to {@code server/target/screenshots/<name>.png}.
 */
public final class ConsoleBrowser implements AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(60);
    public static final Dimension LAPTOP = new Dimension(1440, 900);
    public static final Dimension TABLET = new Dimension(820, 1180);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    private ConsoleBrowser(ChromeDriver driver, Path profile, String baseUrl) {
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    /** A fresh browser (new profile: no cookies, no cache) for the server at {@code baseUrl}. */
    public static ConsoleBrowser start(String baseUrl) {
        if (!Files.isExecutable(Path.of("/usr/bin/chromium")) || !Files.isExecutable(Path.of("/usr/bin/chromedriver"))) {
            throw new IllegalStateException("The browser tests need /usr/bin/chromium and /usr/bin/chromedriver "
                    + "(Debian/Ubuntu packages chromium and chromium-driver; .ci/run installs them)");
        }
        try {
            Path profile = Files.createTempDirectory("wardfleet-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(Path.of("/usr/bin/chromium").toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "--window-size=" + LAPTOP.width + "," + LAPTOP.height, "--lang=en-GB");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
            return new ConsoleBrowser(driver, profile, baseUrl.endsWith("/")
                    ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Navigates to {@code path} on the server and waits for the page to load. */
    public ConsoleBrowser open(String path) {
        driver.get(baseUrl + path);
        waitForPage();
        return this;
    }

    /** Signs in with the form, as a person would, and waits for the answer (the next page, or the form again). */
    public ConsoleBrowser signIn(String email, String password) {
        open("/console/signin");
        WebElement form = find(By.id("signin"));
        form.findElement(By.id("email")).sendKeys(email);
        form.findElement(By.id("password")).sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        until(d -> gone(form));
        waitForPage();
        return this;
    }

    /**
     * Whether the element has left the page. Chromium sometimes answers a question about an element whose document is
     * being replaced with a generic error ("Node with given id does not belong to the document") rather than a stale
     * element: that is gone too.
     */
    /** A condition for {@link #until}: the element has left the page (see {@link #gone}). */
    public static Function<WebDriver, Boolean> left(WebElement element) {
        return d -> gone(element);
    }

    public static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException stale) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** Presses "Sign out" in the header and waits for the sign-in page. */
    public ConsoleBrowser signOut() {
        find(By.cssSelector(".who button[type=submit]")).click();
        until(ExpectedConditions.urlContains("/console/signin"));
        waitForPage();
        return this;
    }

    /** The element, once it is there and visible. */
    public WebElement find(By by) {
        return new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The value of a cookie this browser holds for the server, or null. */
    public String cookie(String name) {
        org.openqa.selenium.Cookie cookie = driver.manage().getCookieNamed(name);
        return cookie == null ? null : cookie.getValue();
    }

    /** The current page's CSRF token, as console.js sends it with htmx requests. */
    public String csrfToken() {
        return new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("meta[name=csrf-token]"))).getDomAttribute("content");
    }

    /** Text of the page's main area. */
    public String mainText() {
        return find(By.id("main")).getText();
    }

    /** Waits for {@code condition}; an element redrawn meanwhile (live pages redraw) is looked up again. */
    public <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Waits for the document, and for htmx to have nothing in flight. */
    public void waitForPage() {
        until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState"))
                && Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "return document.querySelector('.htmx-request') === null")));
    }

    /** A new visitor: no cookies. The browser itself stays up. */
    public ConsoleBrowser reset() {
        driver.manage().deleteAllCookies();
        driver.manage().window().setSize(LAPTOP);
        return this;
    }

    public ConsoleBrowser size(Dimension size) {
        driver.manage().window().setSize(size);
        return this;
    }

    /**
     * The whole page (not only the window) as {@code target/screenshots/<name>.png}: the window is stretched to the
     * page's height for the shot, then put back.
     */
    public Path screenshot(String name) {
        waitForPage();
        Dimension before = driver.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) driver).executeScript(
                "return Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight))");
        try {
            driver.manage().window().setSize(new Dimension(before.width, (int) Math.max(before.height,
                    Math.min(height + (before.height - viewportHeight()), 6000))));
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, png);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /** What the browser drew for one element (scrolled into view first: only the visible part is captured). */
    public byte[] picture(WebElement element) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        return element.getScreenshotAs(OutputType.BYTES);
    }

    private long viewportHeight() {
        return (Long) ((JavascriptExecutor) driver).executeScript("return window.innerHeight");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
