package io.mediaurlingest.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in Debian's chromium, headless, driven by Selenium through Debian's
 * chromedriver (installed by .ci/run; no browser is downloaded): submit through the form, watch
 * progress bars move to SUCCESS, cancel, retry after the source is fixed, re-send a dead letter,
 * see a media's cover; and with AccessKeys, sign in (a wrong secret is refused). Screenshots go
 * to target/console-screenshots/.
 */
class ConsoleBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    static Path work;
    static LoopbackHttpServer sources;
    static LoopbackHttpServer receiver;
    static RunningService service;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        sources = new LoopbackHttpServer()
                .serve("/m/clip.mp4", "video/mp4", Fixtures.media("sample.mp4"))
                .serve("/m/cover-me.mp4", "video/mp4", Fixtures.media("sample.mp4"))
                // about 4 s with a Content-Length: the bar has a total to move towards
                .serveSlowly("/m/progress.mp4", "video/mp4", Fixtures.mp4OfSize(6 << 20, 31), 40)
                .serveSlowly("/m/endless.mp4", "video/mp4", Fixtures.mp4OfSize(64 << 20, 32), 200)
                .answer("/m/later.mp4", 404, "text/plain", new byte[0]);
        receiver = new LoopbackHttpServer().answer("/hook", 500, "text/plain", new byte[0]);
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.callback.retry-schedule", "200ms,200ms");
        // every source is on 127.0.0.1: the slow ones must not hold the others back
        settings.put("ingest.fetch.per-host-concurrency", "16");
        service = RunningService.start(work.resolve("data"), settings);
        browser = chromium();
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        service.close();
        sources.close();
        receiver.close();
    }

    @AfterEach
    void screenshot(TestInfo test) throws Exception {
        shot(test.getTestMethod().orElseThrow().getName());
    }

    static void shot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Debian's chromium through Debian's chromedriver, headless, with no network of its own. */
    static ChromeDriver chromium() throws Exception {
        assertThat(new File("/usr/bin/chromium")).as("Debian's chromium (apt-get install chromium; .ci/run does)").exists();
        assertThat(new File("/usr/bin/chromedriver")).as("Debian's chromium-driver").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory(work, "chromium"));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(driver, options);
    }

    static String console(RunningService on) {
        String base = on.baseUrl();
        return base + (base.endsWith("/") ? "" : "/") + "console/";
    }

    static <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(100)).until(condition);
    }

    static String submitThroughTheForm(String workflow, String... urls) {
        browser.get(console(service) + "#/submit");
        await(d -> d.findElement(By.id("urls"))).sendKeys(String.join("\n", urls));
        if (workflow != null) {
            browser.findElement(By.id("workflow")).sendKeys(workflow);
        }
        browser.findElement(By.id("submit-button")).click();
        List<WebElement> ids = await(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#submitted a.job-id"));
            return found.size() == urls.length ? found : null;
        });
        return ids.get(ids.size() - 1).getText();
    }

    static WebElement row(String jobId) {
        return await(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("tr[data-job-id='" + jobId + "']"));
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    static void awaitStatus(String jobId, String status) {
        await(d -> {
            try {
                return status.equals(row(jobId).findElement(By.cssSelector(".status")).getText()) ? true : null;
            } catch (org.openqa.selenium.StaleElementReferenceException refreshed) {
                return null; // the table was redrawn meanwhile: look again
            }
        });
    }

    static Double progressOf(String jobId) {
        try {
            List<WebElement> bars = row(jobId).findElements(By.cssSelector("progress"));
            return bars.isEmpty() || bars.get(0).getAttribute("value") == null ? null
                    : Double.valueOf(bars.get(0).getAttribute("value"));
        } catch (org.openqa.selenium.StaleElementReferenceException refreshed) {
            return null;
        }
    }

    static void select(String jobId) {
        await(d -> {
            try {
                WebElement box = row(jobId).findElement(By.cssSelector("input.select"));
                if (!box.isSelected()) {
                    box.click();
                }
                return box.isSelected() ? true : null;
            } catch (org.openqa.selenium.StaleElementReferenceException refreshed) {
                return null;
            }
        });
    }

    @Test
    void aBatchSubmittedThroughTheFormShowsProgressBarsMovingToSuccess() throws Exception {
        String clip = sources.url("/m/clip.mp4");
        String progress = sources.url("/m/progress.mp4");
        String progressJob = submitThroughTheForm(null, clip, progress);

        browser.get(console(service) + "#/jobs");
        double first = await(d -> {
            Double value = progressOf(progressJob);
            return value != null && value > 0 ? value : null;
        });
        double later = await(d -> {
            Double value = progressOf(progressJob);
            return value != null && value > first ? value : null;
        });
        shot("jobs-with-progress");
        WebElement bar = row(progressJob).findElement(By.cssSelector("progress"));
        assertThat(Double.parseDouble(bar.getAttribute("max"))).isEqualTo(6 << 20);
        assertThat(later).isGreaterThan(first);
        awaitStatus(progressJob, "SUCCESS");
        assertThat(browser.findElement(By.cssSelector(".count[data-status='SUCCESS'] b")).getText()).isNotEqualTo("0");
    }

    @Test
    void onlyTheConsolesOwnFilesAreServedWithTheirPolicy() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> ask = (method, path) -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.baseUrl() + path.substring(1)))
                        .method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        var script = ask.apply("GET", "/console/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
        assertThat(ask.apply("GET", "/console").headers().firstValue("Location")).contains("/console/");
        for (String path : List.of("/console/../application.properties", "/console/app.js.map", "/console/routes/api.camel.yaml",
                "/elsewhere")) {
            assertThat(ask.apply("GET", path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(ask.apply("POST", "/console/app.js").statusCode()).isEqualTo(405);
    }

    @Test
    void aSlowJobIsCanceledFromTheTable() {
        String jobId = submitThroughTheForm(null, sources.url("/m/endless.mp4"));
        browser.get(console(service) + "#/jobs");
        awaitStatus(jobId, "PROCESSING");

        select(jobId);
        browser.findElement(By.id("cancel-selected")).click();

        awaitStatus(jobId, "CANCELED");
    }

    @Test
    void aFailedJobIsRetriedOnceItsSourceIsFixed() throws Exception {
        String jobId = submitThroughTheForm(null, sources.url("/m/later.mp4"));
        browser.get(console(service) + "#/jobs");
        awaitStatus(jobId, "FAIL");
        assertThat(row(jobId).findElement(By.cssSelector(".error")).getText()).contains("SourceNotFound");

        sources.serve("/m/later.mp4", "video/mp4", Fixtures.media("sample.mp4"));
        select(jobId);
        browser.findElement(By.id("retry-selected")).click();

        awaitStatus(jobId, "SUCCESS");
        browser.get(console(service) + "#/job/" + jobId);
        assertThat(await(d -> d.findElement(By.id("job-detail"))).getText()).contains("SUCCESS").contains("later.mp4");
    }

    @Test
    void aDeadLetterIsSentAgainFromItsPage() throws Exception {
        String jobId = service.post("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url("/m/clip.mp4")),
                "UserData", "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/hook") + "\"}}"))
                .body().path("UploadJobs").get(0).path("JobId").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(service.call(
                "ListCallbackEvents", Map.of("JobId", jobId)).body().toString() + service.call("GetUrlUploadInfos",
                Map.of("JobIds", jobId)).body()).contains("\"Status\":\"DEAD\""));
        browser.get(console(service) + "#/dead");
        WebElement dead = await(d -> d.findElements(By.cssSelector("#dead-letters tr")).stream()
                .filter(r -> r.getText().contains(jobId)).findFirst().orElse(null));
        String eventId = dead.getAttribute("data-event-id");
        int refused = receiver.requestCount();

        receiver.serve("/hook", "text/plain", new byte[0]); // the receiver is fixed
        dead.findElement(By.cssSelector("button.resend")).click();

        await(d -> d.findElements(By.cssSelector("#dead-letters tr[data-event-id='" + eventId + "']")).isEmpty() ? true : null);
        await(d -> receiver.requestCount() > refused ? true : null);
        browser.get(console(service) + "#/job/" + jobId);
        await(d -> d.findElements(By.cssSelector("#job-events tr[data-event-id='" + eventId + "'] .event-status.DELIVERED"))
                .isEmpty() ? null : true);
    }

    @Test
    void aMediaPageShowsItsCoverFiguresAndPlayer() throws Exception {
        String jobId = submitThroughTheForm("snapshot", sources.url("/m/cover-me.mp4"));
        String mediaId = service.awaitJobEnd(jobId).path("MediaId").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> service.call("GetMediaInfo",
                Map.of("MediaId", mediaId)).body().path("MediaInfo").path("MediaBasicInfo").path("WorkflowStatus")
                .asText().equals("SUCCESS"));

        browser.get(console(service) + "#/media");
        WebElement cover = await(d -> {
            List<WebElement> images = d.findElements(By.cssSelector(".media-card[data-media-id='" + mediaId + "'] img.cover"));
            return images.isEmpty() ? null : images.get(0);
        });
        await(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", cover) ? true : null);
        shot("media-grid");
        cover.click();

        WebElement detail = await(d -> d.findElement(By.id("media-detail")));
        assertThat(detail.findElement(By.id("player")).getAttribute("src")).contains(mediaId);
        assertThat(detail.findElement(By.id("download")).getAttribute("href")).contains("X-Amz-Signature");
        assertThat(browser.findElements(By.cssSelector("#streams tbody tr"))).hasSizeGreaterThanOrEqualTo(1);
        assertThat(detail.getText()).contains("Duration").contains("SHA-256");
    }

    @Test
    void withAccessKeysTheConsoleSignsInAndAWrongSecretIsRefused() throws Exception {
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.auth.access-key-id", "LTAIconsole01");
        settings.put("ingest.auth.access-key-secret", "console-secret-01");
        // a second context in this JVM: under the same name it would share (and stop) the first one's Quartz scheduler
        settings.put("camel.main.name", "media-url-ingest-signed");
        try (RunningService signed = RunningService.start(work.resolve("signed"), settings)) {
            browser.get(console(signed) + "#/jobs");
            await(d -> d.getCurrentUrl().endsWith("#/signin") ? true : null);

            browser.findElement(By.id("access-key-id")).sendKeys("LTAIconsole01");
            browser.findElement(By.id("access-key-secret")).sendKeys("not-the-secret");
            browser.findElement(By.id("signin-button")).click();
            String refusal = await(d -> {
                String text = d.findElement(By.id("signin-error")).getText();
                return text.isEmpty() ? null : text;
            });
            assertThat(refusal).contains("SignatureDoesNotMatch");

            browser.findElement(By.id("access-key-id")).clear();
            browser.findElement(By.id("access-key-id")).sendKeys("LTAIconsole01");
            browser.findElement(By.id("access-key-secret")).clear();
            browser.findElement(By.id("access-key-secret")).sendKeys("console-secret-01");
            browser.findElement(By.id("signin-button")).click();

            await(d -> d.findElements(By.cssSelector("#counts .count")).size() == 5 ? true : null);
            assertThat(browser.findElement(By.id("signed-in-as")).getText()).contains("LTAIconsole01");
            String secretInPage = (String) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.outerHTML + JSON.stringify(localStorage)");
            assertThat(secretInPage).doesNotContain("console-secret-01");
            browser.findElement(By.id("signout")).click();
        }
    }
}
