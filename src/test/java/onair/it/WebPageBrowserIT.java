package onair.it;

import onair.config.ServerConfig;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Headless Chromium opens Onair's web page while ffmpeg publishes, picks the stream from the list and plays it: the
 * video's clock advances and a frame drawn from the video element is not blank. Each playback protocol the page offers
 * is one case: HTTP-FLV and WebSocket-FLV through mpegts.js (HLS joins once HLS muxing lands).
 */
class WebPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String STREAM = "web";

    private static TestServer server;
    private static FfmpegPublisher publisher;

    @BeforeAll
    static void start() throws Exception {
        for (Path tool : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(tool)) {
                fail(tool + " is missing: install Debian's chromium and chromium-driver packages "
                        + "(apt-get install chromium chromium-driver) to run the browser tests");
            }
        }
        server = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; } } }
                http { server { listen 127.0.0.1:0;
                    location / { }
                    location /live { flv_live on; }
                    location /hls { root %s; }
                } }
                """.formatted(ServerConfig.DEFAULT_MEDIA_DIR));
        publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("live", STREAM)).loop().start();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.server().registry()
                .find(new StreamKey("live", STREAM)).map(LiveStream::isLive).orElse(false));
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flv", "ws-flv"})
    void thePagePlaysALiveStreamThatShowsAPicture(String kind) throws IOException {
        Path profile = Files.createTempDirectory("onair-chromium-");
        WebDriver browser = browser(profile);
        try {
            int port = server.server().httpAddresses().getFirst().getPort();
            browser.get("http://127.0.0.1:" + port + "/");
            By play = By.cssSelector("button[data-kind='" + kind + "'][data-stream='live/" + STREAM + "']");
            await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(play).isEmpty());
            browser.findElement(play).click();

            JavascriptExecutor js = (JavascriptExecutor) browser;
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    ((Number) js.executeScript("return document.getElementById('video').currentTime;")).doubleValue() > 2);
            List<?> first = frame(js);
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            List<?> later = frame(js);
            double variance = ((Number) later.get(0)).doubleValue();
            File screenshot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Path saved = Path.of("target", "browser", "web-page-" + kind + ".png");
            Files.createDirectories(saved.getParent());
            Files.copy(screenshot.toPath(), saved, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            assertThat(variance).as("luma variance of the frame drawn from the video").isGreaterThan(100);
            assertThat(later.get(1)).as("the picture moves on").isNotEqualTo(first.get(1));
            assertThat(browser.findElement(By.id("now-playing")).getText())
                    .contains("live/" + STREAM, kind.toUpperCase());
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.parseInt((String) js.executeScript(
                    "return document.querySelector('#streams tbody tr td:nth-child(4)').textContent;")) > 0);
        } finally {
            browser.quit();
        }
    }

    /** The luma variance and a checksum of the video's current picture, drawn into a canvas. */
    private static List<?> frame(JavascriptExecutor js) {
        return (List<?>) js.executeScript("""
                const v = document.getElementById('video');
                const c = document.createElement('canvas');
                c.width = v.videoWidth; c.height = v.videoHeight;
                const g = c.getContext('2d');
                g.drawImage(v, 0, 0);
                const p = g.getImageData(0, 0, c.width, c.height).data;
                let n = 0, sum = 0, squares = 0, hash = 0;
                for (let i = 0; i < p.length; i += 4 * 7) {
                  const y = 0.299 * p[i] + 0.587 * p[i + 1] + 0.114 * p[i + 2];
                  n++; sum += y; squares += y * y;
                  hash = (hash * 31 + p[i] + 7 * p[i + 1] + 13 * p[i + 2]) | 0;
                }
                const mean = sum / n;
                return [squares / n - mean * mean, hash];
                """);
    }

    private static WebDriver browser(Path profile) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }
}
